"""A local fleet: N validator processes, each with its own key, store and port.

For development and tests against a local chain: keys come from the Anvil
mnemonic (account `first_account + i`), keystores are encrypted with light
scrypt and a per-validator password file in the fleet's folder. Each validator
is a separate OS process in its own process group, as on separate machines.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from oracle.chain.anvil import ANVIL_MNEMONIC, free_port
from oracle.validator.keys import anvil_key, write_keystore

# The production CLI: `python -m oracle.cli validator run --config FILE`.
CLI_LAUNCHER: tuple[str, ...] = ("-m", "oracle.cli")


@dataclass
class Member:
    index: int
    address: str
    port: int
    config: Path
    db_path: Path
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    # What the interpreter runs before the CLI's arguments; benches and tests run some
    # members through a wrapper (tests/support/shifted_clock.py, byzantine_cli.py).
    launcher: tuple[str, ...] = CLI_LAUNCHER

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class FleetSpec:
    rpc_url: str
    deployment: Path
    model_dir: Path
    workdir: Path
    validators: int = 4
    first_account: int = 1
    stake_wei: int = 10**18
    mnemonic: str = ANVIL_MNEMONIC
    sanctions_file: Path | None = None
    poll_interval_s: float = 0.2
    relayer_index: int | None = None  # this member relays the others' votes
    base_port: int = 0  # 0: pick free ports
    rpc_timeout_s: float | None = None  # the validators' rpc_timeout_s (None: its default)
    # The launcher made every member's key and starts each member once: no other process
    # can hold them, so the doppelganger window (which holds first commits) is off.
    doppelganger_window_s: float = 0.0


class Fleet:
    def __init__(self, spec: FleetSpec) -> None:
        self.spec = spec
        self.members: list[Member] = []
        spec.workdir.mkdir(parents=True, exist_ok=True)
        ports = [
            spec.base_port + i if spec.base_port else free_port() for i in range(spec.validators)
        ]
        for i in range(spec.validators):
            self.members.append(self._prepare(i, ports[i], ports))

    def _prepare(self, i: int, port: int, ports: list[int]) -> Member:
        s = self.spec
        d = s.workdir / f"validator-{i}"
        d.mkdir(parents=True, exist_ok=True)
        account = anvil_key(s.first_account + i, s.mnemonic)
        keystore = d / "signer.json"
        password_file = d / "password"
        if not keystore.exists():
            password = os.urandom(16).hex()
            fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(password)
            write_keystore(keystore, account.key, password, light=True)
        lines = {
            "rpc_url": s.rpc_url,
            "deployment": str(s.deployment.resolve()),
            "model_dir": str(s.model_dir.resolve()),
            "signer_keystore": str(keystore.resolve()),
            "signer_password_file": str(password_file.resolve()),
            "db_path": str((d / "validator.db").resolve()),
            "host": "127.0.0.1",
            "port": port,
            "auto_stake_wei": s.stake_wei,
            "poll_interval_s": s.poll_interval_s,
            "relayer": s.relayer_index == i,
            "doppelganger_window_s": s.doppelganger_window_s,
        }
        if s.rpc_timeout_s is not None:
            lines["rpc_timeout_s"] = s.rpc_timeout_s
        if s.sanctions_file is not None:
            lines["sanctions_file"] = str(s.sanctions_file.resolve())
        if s.relayer_index is not None and s.relayer_index != i:
            lines["relay_url"] = f"http://127.0.0.1:{ports[s.relayer_index]}"
        config = d / "validator.toml"
        config.write_text("".join(f"{k} = {_toml(v)}\n" for k, v in lines.items()))
        return Member(
            i, str(account.address), port, config, d / "validator.db", d / "validator.log"
        )

    def start(
        self,
        i: int,
        env: dict[str, str] | None = None,
        launcher: tuple[str, ...] | None = None,
    ) -> Member:
        """Start member i; `env` adds variables (settings override the TOML: ORACLE_<NAME>).

        `launcher` replaces the member's (`Member.launcher`, kept for its later restarts)."""
        m = self.members[i]
        if launcher is not None:
            m.launcher = launcher
        log = open(m.log_path, "ab")  # noqa: SIM115 - the child process owns it
        env = {
            **os.environ,
            "TOKENIZERS_PARALLELISM": "false",
            "OMP_NUM_THREADS": "1",
            "PYTHONUNBUFFERED": "1",  # a kill -9 must not eat the last log lines
            **(env or {}),
        }
        m.process = subprocess.Popen(
            [sys.executable, *m.launcher, "validator", "run", "--config", str(m.config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own process group: killed as one, never leaks
        )
        return m

    def start_all(self) -> None:
        for i in range(len(self.members)):
            self.start(i)

    def wait_ready(self, timeout_s: float = 180.0, indices: list[int] | None = None) -> None:
        """Until every member answers /ready with 200 (staked, model loaded, chain reachable)."""
        deadline = time.monotonic() + timeout_s
        todo = set(range(len(self.members)) if indices is None else indices)
        while todo:
            for i in list(todo):
                m = self.members[i]
                if m.process is not None and m.process.poll() is not None:
                    raise RuntimeError(
                        f"validator {i} exited ({m.process.returncode}); see {m.log_path}:\n"
                        + m.log_path.read_text()[-3000:]
                    )
                try:
                    if httpx.get(m.url + "/ready", timeout=2).status_code == 200:
                        todo.discard(i)
                except httpx.HTTPError:
                    pass
            if todo and time.monotonic() > deadline:
                raise TimeoutError(f"validators {sorted(todo)} not ready after {timeout_s}s")
            time.sleep(0.3)

    def kill(self, i: int, sig: int = signal.SIGKILL) -> None:
        m = self.members[i]
        if m.process is None or m.process.poll() is not None:
            return
        try:
            os.killpg(m.process.pid, sig)
        except ProcessLookupError:
            return
        try:
            m.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(m.process.pid, signal.SIGKILL)
            m.process.wait(timeout=5)

    def stop_all(self) -> None:
        """Stop every member now, all at once: SIGTERM twice, since the first only starts a
        drain (oracle/validator/shutdown.py) and the second exits at once."""
        running = [m for m in self.members if m.process is not None and m.process.poll() is None]
        for _ in range(2):
            for m in running:
                self._signal(m, signal.SIGTERM)
            # Handled before the next: two signals sent together may arrive as one.
            time.sleep(0.5)
        for m in running:
            assert m.process is not None
            try:
                m.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._signal(m, signal.SIGKILL)
                m.process.wait(timeout=5)

    def send_signal(self, i: int, sig: int) -> None:
        """Send `sig` to member i and return at once (a SIGTERM starts its drain)."""
        self._signal(self.members[i], sig)

    def _signal(self, m: Member, sig: int) -> None:
        if m.process is None or m.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(m.process.pid, sig)

    def __enter__(self) -> Fleet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_all()


def _toml(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return str(v)
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'
