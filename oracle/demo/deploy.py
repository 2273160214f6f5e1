"""Deploy the contracts to the demo's Anvil with the project's own `ape run deploy`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


class DeployError(RuntimeError):
    """`ape run deploy` failed; the message carries its output."""


def run_deploy(
    rpc_url: str, *, out: Path, model_hash: str, log_path: Path, extra_env: dict[str, str]
) -> Path:
    """`ape run deploy --network RPC_URL --out OUT`; returns the deployment file it wrote.

    The file goes to the demo's work folder so a deployment of the user's own in
    `deployments/` is never overwritten.
    """
    if shutil.which("ape") is None:
        raise DeployError("`ape` is not on PATH: run `make setup` and use `make demo`")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    env = {**os.environ, **extra_env, "ORACLE_MODEL_HASH": model_hash}
    command = ["ape", "run", "deploy", "--network", rpc_url, "--out", str(out)]
    with open(log_path, "w") as log:
        result = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, env=env, check=False)
    output = log_path.read_text()
    if result.returncode != 0:
        raise DeployError(
            f"`{' '.join(command)}` failed (status {result.returncode}); its output "
            f"({log_path}):\n{output[-3000:]}\n"
            "Fix the error above (`make compile` shows compiler errors), then run the demo again."
        )
    if not out.is_file():
        raise DeployError(
            f"`ape run deploy` succeeded but wrote no {out}; its output:\n{output[-2000:]}"
        )
    return out
