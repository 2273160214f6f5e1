"""What `make demo` can be told, all through environment variables.

ORACLE_DEMO_MODEL       `default` (the default): `models/default`, the fine-tuned MiniLM,
                        trained by `oracle train` when missing; `tiny`: a 2-layer test
                        network trained in seconds (CI); or the path of a checkpoint folder.
DEMO_EXIT               `1`: exit after the report instead of serving the explorer page
                        until Ctrl-C.
ORACLE_DEMO_PORT        port of the explorer page on 127.0.0.1 (default 8600).
ORACLE_DEMO_CHAIN       `anvil` (the default): the demo starts Anvil (EVM prague, chain 31337);
                        `ganache`: Ganache 7 from npm (EVM shanghai, chain 1337), deployed
                        with the shanghai build (`make demo` compiles it first).
ORACLE_DEMO_ANVIL_PORT  port of the local chain, Anvil or Ganache (default: any free port).
ORACLE_DEMO_WORKDIR     logs, the fleet's keys and stores, the deployment file
                        (default runs/demo).
ORACLE_DEMO_TIMEOUT     seconds to wait for every final verdict (default 600).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CHAINS = ("anvil", "ganache")


class SettingsError(ValueError):
    """An environment variable has a value the demo cannot use."""


@dataclass(frozen=True)
class DemoSettings:
    model: str = "default"
    exit_when_done: bool = False
    explorer_port: int = 8600
    anvil_port: int | None = None
    chain: str = "anvil"
    workdir: Path = Path("runs/demo")
    timeout_s: float = 600.0
    validators: int = 4

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> DemoSettings:
        env = dict(os.environ if env is None else env)
        return cls(
            model=env.get("ORACLE_DEMO_MODEL", "default").strip() or "default",
            exit_when_done=env.get("DEMO_EXIT", "").strip() in {"1", "true", "yes"},
            explorer_port=_int(env, "ORACLE_DEMO_PORT", 8600) or 8600,
            anvil_port=_int(env, "ORACLE_DEMO_ANVIL_PORT", None),
            chain=_chain(env),
            workdir=Path(env.get("ORACLE_DEMO_WORKDIR", "runs/demo")),
            timeout_s=float(_int(env, "ORACLE_DEMO_TIMEOUT", 600) or 600),
        )


def _chain(env: dict[str, str]) -> str:
    raw = env.get("ORACLE_DEMO_CHAIN", "").strip().lower() or "anvil"
    if raw not in CHAINS:
        raise SettingsError(
            f"ORACLE_DEMO_CHAIN={raw!r} is not a chain the demo starts: "
            f"use one of {', '.join(CHAINS)}"
        )
    return raw


def _int(env: dict[str, str], name: str, default: int | None) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(
            f"{name}={raw!r} is not a whole number: unset it or give e.g. {name}=8601"
        ) from None
    if value <= 0:
        raise SettingsError(f"{name}={raw!r} must be positive")
    return value
