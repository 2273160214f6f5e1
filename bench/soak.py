"""Operating-conditions soak (issue 12's proof): 8 validator processes on an Anvil that makes
a block every 2 s, for --minutes or --proposals (whichever comes first), under the ordinary
conditions of a real chain, each on some validators:

- 150 ms added RPC latency (its proxy sleeps before answering);
- an RPC view 3 blocks behind the head (its proxy answers as a node that far behind);
- the host clock 5 s fast or slow (tests/support/shifted_clock.py shifts time.time());
- SIGTERM at random seconds of the round (each quarter of the phase window, first and last
  block included), a drain, then a restart;
- /admin/pause, then /admin/resume;
- a 12 s chain freeze for everyone (`evm_setIntervalMining 0`, then back to 2 s);
- a second process started with the same key (a doppelganger: it must never vote).

Usage (after `make setup compile`):
    python bench/soak.py                        # 30 minutes or 1,000 proposals
    python bench/soak.py --minutes 5            # a quicker check

Afterwards, from chain state and events: per validator the rounds eligible, committed and
revealed, slashes by reason (0 for every validator: all are honest), missed participation
with its cause (what the controller was doing to it then), JSON-RPC requests per block
(counted in its proxy; overall and in steady state, i.e. over samples in which nothing was
done to it and it had been up a minute), and whether every proposal is final. It prints a
table, writes bench/results/soak.json and exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from eth_account import Account  # noqa: E402
from eth_utils import abi_to_signature, function_signature_to_4byte_selector  # noqa: E402
from web3 import Web3  # noqa: E402

from bench.chaos import (  # noqa: E402
    bench_params,
    make_payloads,
    model_or_tiny,
    read_events,
    wait_until,
    write_and_judge,
)
from oracle.chain.anvil import ANVIL_MNEMONIC, Anvil  # noqa: E402
from oracle.chain.client import OracleClient, Status  # noqa: E402
from oracle.chain.clock_mode import ClockMode  # noqa: E402
from oracle.chain.deployment import Deployment  # noqa: E402
from oracle.chain.rpc import connect  # noqa: E402
from oracle.chain.slashing import SlashReason  # noqa: E402
from oracle.chain.submitter import Submitter  # noqa: E402
from oracle.validator.fleet import Fleet, FleetSpec, Member  # noqa: E402
from oracle.validator.keys import anvil_key  # noqa: E402
from tests.support.localchain import deploy  # noqa: E402
from tests.support.rpc_proxy import RpcProxy  # noqa: E402
from tests.support.shifted_clock import launcher  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "soak.json"
REQUESTER_INDEX = 19  # an Anvil account no validator uses
BLOCK_TIME_S = 2
FREEZE_S = 12.0
ADMIN_TOKEN = "soak-admin-token"
LATENCY_S = 0.150
LAG_BLOCKS = 3
CLOCK_SHIFT_S = 5.0
# A validator counts as steady from this long after it (re)started until it is disturbed.
STEADY_AFTER_START_S = 60.0


@dataclass(frozen=True)
class Conditions:
    """What is done to one validator for the whole soak (the intermittent ones come below)."""

    latency_s: float = 0.0
    lag_blocks: int = 0
    clock_shift_s: float = 0.0
    sigterm: bool = False  # SIGTERM / restart at random seconds
    pause: bool = False  # /admin/pause, /admin/resume
    twin: bool = False  # a second process with its key is started now and then

    def label(self) -> str:
        parts = []
        if self.latency_s:
            parts.append(f"+{self.latency_s * 1000:.0f}ms")
        if self.lag_blocks:
            parts.append(f"lag {self.lag_blocks}")
        if self.clock_shift_s:
            parts.append(f"clock {self.clock_shift_s:+.0f}s")
        if self.sigterm:
            parts.append("SIGTERM")
        if self.pause:
            parts.append("pause")
        if self.twin:
            parts.append("twin")
        return ", ".join(parts) or "none"


# Each condition on two validators, so no single validator explains a pass.
PLAN = [
    Conditions(latency_s=LATENCY_S, sigterm=True),
    Conditions(lag_blocks=LAG_BLOCKS, sigterm=True),
    Conditions(clock_shift_s=+CLOCK_SHIFT_S, pause=True),
    Conditions(clock_shift_s=-CLOCK_SHIFT_S, sigterm=True),
    Conditions(latency_s=LATENCY_S, lag_blocks=LAG_BLOCKS, pause=True),
    Conditions(clock_shift_s=+CLOCK_SHIFT_S, twin=True),
    Conditions(twin=True, sigterm=True),
    Conditions(),  # the control: only the chain freeze
]


@dataclass
class Disturbance:
    validator: int | None  # None: every validator (the chain freeze)
    cause: str
    start: float  # wall seconds (Anvil stamps blocks with the wall clock)
    end: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)


class Controller(threading.Thread):
    """Disturbs at most `max_absent` validators at a time (stopped or paused: a round needs a
    supermajority of the stake), at random moments; freezes the chain every few minutes."""

    def __init__(self, soak: Soak, seed: int) -> None:
        super().__init__(name="soak-controller", daemon=True)
        self.soak = soak
        self.rng = random.Random(seed)
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.absent: set[int] = set()
        self.log: list[Disturbance] = []
        self.notes: list[str] = []
        self.max_absent = 2
        self.sigterm_offsets: list[float] = []
        self.twin_starts = 0
        self.crashes = 0

    def note(self, text: str) -> None:
        self.notes.append(f"{time.monotonic() - self.soak.t0:7.1f}s {text}")

    def begin(self, validator: int | None, cause: str, **detail: Any) -> Disturbance:
        d = Disturbance(validator, cause, time.time(), detail=detail)
        with self.lock:
            self.log.append(d)
        self.note(f"{cause} {'all' if validator is None else f'validator {validator}'} {detail}")
        return d

    def run(self) -> None:
        next_freeze = time.monotonic() + 90.0
        next_twin = time.monotonic() + 45.0
        while not self.stop_event.wait(self.rng.uniform(3.0, 8.0)):
            self._check_crashes()
            now = time.monotonic()
            if now >= next_freeze:
                self._freeze()
                next_freeze = time.monotonic() + self.rng.uniform(240.0, 360.0)
                continue
            with self.lock:
                up = [i for i, c in enumerate(PLAN) if c.twin and i not in self.absent]
            if now >= next_twin and self.soak.twin is None and up:
                self._start_twin(self.rng.choice(up))
                next_twin = time.monotonic() + self.rng.uniform(300.0, 420.0)
                continue
            with self.lock:
                if len(self.absent) >= self.max_absent:
                    continue
                # A twin's original stays up: a key silent for the whole window is a
                # fail-over the check cannot tell from a twin (doppelganger.py).
                twin = None if self.soak.twin is None else self.soak.twin[1].index
                free = [i for i in range(len(PLAN)) if i not in self.absent and i != twin]
                choices = [("sigterm", i) for i in free if PLAN[i].sigterm]
                choices += [("pause", i) for i in free if PLAN[i].pause]
                if not choices:
                    continue
                kind, target = self.rng.choice(choices)
                self.absent.add(target)
            runner = self._sigterm_and_restart if kind == "sigterm" else self._pause_and_resume
            threading.Thread(target=runner, args=(target,), daemon=True).start()

    def _check_crashes(self) -> None:
        for m in self.soak.fleet.members:
            with self.lock:
                if m.index in self.absent or m.process is None or m.process.poll() is None:
                    continue
                self.absent.add(m.index)
            self.crashes += 1
            d = self.begin(m.index, "crashed", returncode=m.process.returncode)
            self.soak.fleet.start(m.index, env=self.soak.env, launcher=self.soak.launcher(m.index))
            self._release_when_ready(m.index, d)

    def _sigterm_and_restart(self, i: int) -> None:
        # A random second of the phase window (chain time), each quarter in turn, so that
        # the first block and the last block of a phase are hit too.
        quarter = len(self.sigterm_offsets) % 4
        offset = self.rng.uniform(quarter * 0.25, (quarter + 1) * 0.25) * self.soak.round_s
        self._sleep_until_window_offset(offset)
        d = self.begin(i, "SIGTERM", window_offset_s=round(self.soak.window_offset(), 1))
        self.sigterm_offsets.append(float(d.detail["window_offset_s"]))
        m = self.soak.fleet.members[i]
        self.soak.fleet.send_signal(i, signal.SIGTERM)
        assert m.process is not None
        drain_limit = self.soak.round_s + self.soak.reveal_s + 60
        try:
            m.process.wait(timeout=drain_limit)
            d.detail["drain_s"] = round(time.time() - d.start, 1)
            d.detail["exit"] = m.process.returncode
        except subprocess.TimeoutExpired:
            d.detail["drain_s"] = None  # did not exit: a failure, counted below
            self.soak.fleet.kill(i)
        down_s = self.rng.uniform(1.0, 10.0)
        time.sleep(down_s)
        self.soak.fleet.start(i, env=self.soak.env, launcher=self.soak.launcher(i))
        self.note(f"restart validator {i} after {down_s:.1f}s down")
        self._release_when_ready(i, d)

    def _pause_and_resume(self, i: int) -> None:
        member = self.soak.fleet.members[i]
        d = self.begin(i, "paused", window_offset_s=round(self.soak.window_offset(), 1))
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        try:
            httpx.post(member.url + "/admin/pause", headers=headers, timeout=10).raise_for_status()
            time.sleep(self.rng.uniform(10.0, 45.0))
            httpx.post(member.url + "/admin/resume", headers=headers, timeout=10).raise_for_status()
        except httpx.HTTPError as exc:
            d.detail["error"] = str(exc)
        d.end = time.time()
        self.note(f"resumed validator {i}")
        with self.lock:
            self.absent.discard(i)

    def _release_when_ready(self, i: int, d: Disturbance) -> None:
        url = self.soak.fleet.members[i].url + "/ready"
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not self.stop_event.is_set():
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1.0)
        d.end = time.time()
        self.soak.started_at[i] = time.time()
        self.note(f"validator {i} ready again")
        with self.lock:
            self.absent.discard(i)

    def _freeze(self) -> None:
        d = self.begin(None, "chain freeze", window_offset_s=round(self.soak.window_offset(), 1))
        self.soak.rpc("evm_setIntervalMining", [0])
        time.sleep(FREEZE_S)
        self.soak.rpc("evm_setIntervalMining", [BLOCK_TIME_S])
        d.end = time.time() + BLOCK_TIME_S  # the first block after it
        self.note("chain mining again")

    def _start_twin(self, i: int) -> None:
        """A second process with validator i's key (own port, store and proxy): it must see
        the key's nonce move without it and never commit."""
        self.twin_starts += 1
        d = self.begin(i, "twin started")
        self.soak.start_twin(i)
        threading.Timer(180.0, self._stop_twin, args=(d,)).start()

    def _stop_twin(self, d: Disturbance) -> None:
        d.detail.update(self.soak.stop_twin())
        d.end = time.time()
        self.note(f"twin stopped: {d.detail}")

    def _sleep_until_window_offset(self, offset: float) -> None:
        wait = (offset - self.soak.window_offset()) % self.soak.round_s
        time.sleep(wait)

    def stop_and_heal(self) -> None:
        self.stop_event.set()
        deadline = time.monotonic() + self.soak.round_s + self.soak.reveal_s + 120
        while self.absent and time.monotonic() < deadline:
            time.sleep(0.5)
        self.soak.rpc("evm_setIntervalMining", [BLOCK_TIME_S])
        if self.soak.twin is not None:
            self.soak.stop_twin()


class Soak:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.round_s, self.reveal_s = args.round_s, args.reveal_s
        self.clock = ClockMode[args.clock.upper()]
        self.t0 = time.monotonic()
        self.anvil = Anvil(block_time=BLOCK_TIME_S, log_path=workdir / "anvil.log")
        self.url = self.anvil.url
        self.http = httpx.Client(timeout=30)
        self.proxies: list[RpcProxy] = []
        self.fleet: Fleet = None  # type: ignore[assignment]
        self.genesis = 0
        self.first_block = 0
        self.env = {"ORACLE_ADMIN_TOKEN": ADMIN_TOKEN, "PYTHONPATH": str(ROOT)}
        self.started_at: dict[int, float] = {}
        self.twin: tuple[subprocess.Popen[bytes], Member, RpcProxy] | None = None
        self.twin_reports: list[dict[str, Any]] = []

    def rpc(self, method: str, params: list[Any]) -> Any:
        body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
        return self.http.post(self.url, json=body).json().get("result")

    def head(self) -> tuple[int, int]:
        block = self.rpc("eth_getBlockByNumber", ["latest", False])
        return int(block["number"], 16), int(block["timestamp"], 16)

    def window_offset(self) -> float:
        """Seconds into the current phase window (commit of r+1 = reveal of r). Timestamp
        clock: by wall clock, which Anvil stamps blocks with. Block clock: the head's blocks
        into the window, plus the seconds since the head was mined."""
        if self.clock is ClockMode.TIMESTAMP:
            return (time.time() - self.genesis) % self.round_s
        number, timestamp = self.head()
        blocks_in = (number - self.genesis) % (self.round_s // BLOCK_TIME_S)
        return (blocks_in * BLOCK_TIME_S + max(0.0, time.time() - timestamp)) % self.round_s

    def seconds_of(self, reading: int) -> float:
        """A reading of the oracle's clock as a wall time (what the disturbances are logged
        in): itself under timestamps; under the block clock that block's timestamp (or, for
        a block not mined yet, the head's plus the blocks to it at the block time)."""
        if self.clock is ClockMode.TIMESTAMP:
            return float(reading)
        number, timestamp = self.head()
        if reading <= number:
            block = self.rpc("eth_getBlockByNumber", [hex(reading), False])
            return float(int(block["timestamp"], 16))
        return float(timestamp + (reading - number) * BLOCK_TIME_S)

    def launcher(self, i: int) -> tuple[str, ...]:
        shift = PLAN[i].clock_shift_s
        return launcher(shift) if shift else ("-m", "oracle.cli")

    def start_twin(self, i: int) -> None:
        m = self.fleet.members[i]
        d = self.workdir / f"twin-{i}-{len(self.twin_reports)}"
        d.mkdir(parents=True)
        proxy = RpcProxy(self.url)
        proxy.server.handle_error = lambda *_a: None  # type: ignore[method-assign]
        from oracle.chain.anvil import free_port

        port = free_port()
        lines = []
        for line in m.config.read_text().splitlines():
            key = line.split(" = ", 1)[0]
            if key == "rpc_url":
                line = f'rpc_url = "{proxy.url}"'
            elif key == "port":
                line = f"port = {port}"
            elif key == "db_path":
                line = f'db_path = "{d / "validator.db"}"'
            elif key == "doppelganger_window_s":
                continue  # the default: one round's commit and reveal phases
            lines.append(line)
        config = d / "validator.toml"
        config.write_text("\n".join(lines) + "\n")
        twin = Member(i, m.address, port, config, d / "validator.db", d / "validator.log")
        log = open(twin.log_path, "ab")  # noqa: SIM115 - the child owns it
        process = subprocess.Popen(
            [sys.executable, "-m", "oracle.cli", "validator", "run", "--config", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**_base_env(), **self.env},
            start_new_session=True,
        )
        self.twin = (process, twin, proxy)

    def stop_twin(self) -> dict[str, Any]:
        if self.twin is None:
            return {}
        process, twin, proxy = self.twin
        report: dict[str, Any] = {"validator": twin.index}
        try:
            ready = httpx.get(twin.url + "/ready", timeout=5)
            report["ready_status"] = ready.status_code
            report["named_twin"] = "another process" in ready.text
            metrics = httpx.get(twin.url + "/metrics", timeout=5).text
            report["votes_sent"] = {
                line.split('kind="')[1].split('"')[0]: float(line.rsplit(" ", 1)[1])
                for line in metrics.splitlines()
                if line.startswith("oracle_votes_sent_total{")
            }
        except httpx.HTTPError as exc:
            report["error"] = f"{type(exc).__name__}: {exc}"
        for _ in range(2):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                time.sleep(0.5)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        proxy.close()
        report["log_names_twin"] = "another process is running with this key" in (
            twin.log_path.read_text(errors="replace")
        )
        report["sent_nothing"] = not any(report.get("votes_sent", {}).values())
        self.twin = None
        self.twin_reports.append(report)
        return report


def _base_env() -> dict[str, str]:
    import os

    return {
        **os.environ,
        "TOKENIZERS_PARALLELISM": "false",
        "OMP_NUM_THREADS": "1",
        "PYTHONUNBUFFERED": "1",
    }


class Sampler(threading.Thread):
    """Every 10 s: each proxy's request count and the head block; a sample is steady for a
    validator when nothing was done to it, or to the chain, in it (and it had been up a
    minute)."""

    def __init__(self, soak: Soak, controller: Controller) -> None:
        super().__init__(name="soak-sampler", daemon=True)
        self.soak, self.controller = soak, controller
        self.stop_event = threading.Event()
        self.steady_requests: Counter[int] = Counter()
        self.steady_blocks: Counter[int] = Counter()

    def run(self) -> None:
        last = self._sample()
        while not self.stop_event.wait(10.0):
            now = self._sample()
            t0, t1 = last[0], now[0]
            blocks = now[1] - last[1]
            for i in range(len(self.soak.proxies)):
                if blocks > 0 and self._steady(i, t0, t1):
                    self.steady_requests[i] += now[2][i] - last[2][i]
                    self.steady_blocks[i] += blocks
            last = now

    def _sample(self) -> tuple[float, int, list[int]]:
        number, _ = self.soak.head()
        return time.time(), number, [p.total_requests() for p in self.soak.proxies]

    def _steady(self, i: int, t0: float, t1: float) -> bool:
        if t0 - self.soak.started_at.get(i, math.inf) < STEADY_AFTER_START_S:
            return False
        with self.controller.lock:
            for d in self.controller.log:
                if d.validator not in (None, i):
                    continue
                end = d.end if d.end is not None else math.inf
                if d.start < t1 and end + STEADY_AFTER_START_S > t0:
                    return False
        return True


def audit(
    soak: Soak, client: OracleClient, ids: list[int], controller: Controller, sampler: Sampler
) -> dict[str, Any]:
    members = [m.address for m in soak.fleet.members]
    statuses = Counter(client.verdict_of(pid)[0] for pid in ids)
    last_round = max(client.proposal(pid).round for pid in ids)
    first_round = min(client.proposal(pid).round for pid in ids)
    rounds = [r for r in range(first_round, last_round + 1) if client.round_info(r).size > 0]
    slashes: dict[int, Counter[str]] = defaultdict(Counter)
    for e in read_events(client, "Slashed", soak.first_block):
        i = members.index(Web3.to_checksum_address(e.args["validator"]))
        slashes[i][SlashReason(int(e.args["reason"])).label] += 1
    blocks = client.w3.eth.block_number - soak.first_block
    per_validator = []
    for i, address in enumerate(members):
        committed = revealed = 0
        missed_commit: Counter[str] = Counter()
        missed_reveal: Counter[str] = Counter()
        for r in rounds:
            b = client.ballot_of(r, address)
            t = client.round_timing(r)
            if b.committed:
                committed += 1
                if b.revealed:
                    revealed += 1
                else:
                    window = soak.seconds_of(t.reveal_start), soak.seconds_of(t.reveal_end)
                    missed_reveal[cause_of(controller, i, *window)] += 1
            else:
                window = soak.seconds_of(t.commit_start), soak.seconds_of(t.reveal_start)
                missed_commit[cause_of(controller, i, *window)] += 1
        requests = soak.proxies[i].total_requests()
        steady_blocks = sampler.steady_blocks[i]
        per_validator.append(
            {
                "validator": i,
                "conditions": PLAN[i].label(),
                "rounds_eligible": len(rounds),
                "committed": committed,
                "revealed": revealed,
                "slashes": dict(slashes[i]),
                "missed_commits_by_cause": dict(missed_commit),
                "missed_reveals_by_cause": dict(missed_reveal),
                "rpc_requests": requests,
                "rpc_requests_per_block": round(requests / max(1, blocks), 2),
                "rpc_requests_per_block_steady": round(
                    sampler.steady_requests[i] / steady_blocks, 2
                )
                if steady_blocks
                else None,
                "steady_blocks": steady_blocks,
                "rpc_requests_by_method": dict(soak.proxies[i].requests.most_common()),
                "rpc_requests_by_call": by_call(client, soak.proxies[i].detail),
            }
        )
    return {
        "chain_halts": chain_halts(client, soak.first_block),
        "proposals": len(ids),
        "finalized": statuses.get(Status.FINALIZED, 0),
        "no_consensus": statuses.get(Status.NO_CONSENSUS, 0),
        "pending": statuses.get(Status.PENDING, 0),
        "rounds": len(rounds),
        "blocks": blocks,
        "validators": per_validator,
    }


def by_call(client: OracleClient, detail: Counter[str]) -> dict[str, int]:
    """The proxy's finer counts with each `eth_call` selector named by the oracle's ABI."""
    names = {
        "0x" + function_signature_to_4byte_selector(abi_to_signature(f)).hex(): f["name"]
        for f in client.abi
        if f.get("type") == "function"
    }
    named: Counter[str] = Counter()
    for key, count in detail.items():
        method, _, selector = key.partition(":")
        label = names.get(selector, selector) if method == "eth_call" else selector
        named[f"{method}:{label}" if label else method] += count
    return dict(named.most_common())


def chain_halts(client: OracleClient, first_block: int) -> list[dict[str, int]]:
    """Every gap between consecutive blocks longer than two block times: the freezes as the
    chain had them (a loaded machine can stretch one), and any stall of Anvil itself."""
    halts = []
    previous: int | None = None
    for n in range(first_block, client.w3.eth.block_number + 1):
        ts = int(client.w3.eth.get_block(n)["timestamp"])
        if previous is not None and ts - previous > 2 * BLOCK_TIME_S:
            halts.append({"block": n, "gap_s": ts - previous, "resumed_at": ts})
        previous = ts
    return halts


def cause_of(controller: Controller, i: int, start: float, end: float) -> str:
    """What was done to validator i (or the chain) during [start, end) chain seconds; else
    its standing conditions (e.g. 'standing: lag 3'); else 'none' (an unexplained miss)."""
    causes = sorted(
        {
            d.cause
            for d in controller.log
            if d.validator in (None, i)
            and d.cause != "twin started"
            and d.start < end
            and (d.end is None or d.end > start)
        }
    )
    if causes:
        return " + ".join(causes)
    standing = PLAN[i].label()
    return "none" if standing == "none" else f"standing: {standing}"


def print_table(result: dict[str, Any]) -> None:
    head = (
        f"{'v':>2} {'conditions':<28} {'elig':>4} {'comm':>4} {'rev':>4} {'slash':>5} "
        f"{'rpc/blk':>7} {'steady':>6}  missed (cause)"
    )
    print(head)
    print("-" * len(head))
    for v in result["validators"]:
        missed = {
            **{f"commit: {k}": n for k, n in v["missed_commits_by_cause"].items()},
            **{f"reveal: {k}": n for k, n in v["missed_reveals_by_cause"].items()},
        }
        steady = v["rpc_requests_per_block_steady"]
        print(
            f"{v['validator']:>2} {v['conditions']:<28} {v['rounds_eligible']:>4} "
            f"{v['committed']:>4} {v['revealed']:>4} {sum(v['slashes'].values()):>5} "
            f"{v['rpc_requests_per_block']:>7} {'-' if steady is None else steady:>6}  "
            + ", ".join(f"{k} x{n}" for k, n in missed.items())
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--proposals", type=int, default=1000)
    parser.add_argument("--round-s", type=int, default=20, help="commit phase (round) length")
    parser.add_argument("--reveal-s", type=int, default=20, help="reveal phase length")
    parser.add_argument(
        "--clock",
        choices=("blocknumber", "timestamp"),
        default="blocknumber",
        help="the oracle's clock (docs/protocol.md, 'The clock'); phases are --round-s and "
        "--reveal-s either way (in blocks of 2 s under the block clock)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model-dir", type=Path, default=None, help="a trained checkpoint")
    parser.add_argument("--workdir", type=Path, default=None, help="kept afterwards if given")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="soak-"))
    workdir.mkdir(parents=True, exist_ok=True)
    soak = Soak(args, workdir)
    controller: Controller | None = None
    try:
        model_dir = model_or_tiny(args.model_dir, workdir, args.seed)
        params = bench_params(args.round_s, args.reveal_s, model_dir)
        if soak.clock is ClockMode.BLOCKNUMBER:
            # The same phases, counted in blocks: a freeze delays them instead of cutting them.
            params = params.with_(
                clockMode=ClockMode.BLOCKNUMBER,
                roundDuration=args.round_s // BLOCK_TIME_S,
                revealDuration=args.reveal_s // BLOCK_TIME_S,
                unbondingPeriod=params.unbondingPeriod // BLOCK_TIME_S,
            )
        w3 = Web3(Web3.HTTPProvider(soak.url))
        deployment_path = deploy(
            w3, anvil_key(0, ANVIL_MNEMONIC), workdir / "deploy", params, soak.url
        )
        client = OracleClient(connect(soak.url, timeout_s=60), Deployment.load(deployment_path))
        soak.genesis = client.round_timing(0).commit_start
        soak.first_block = int(w3.eth.block_number)
        spec = FleetSpec(
            rpc_url=soak.url,
            deployment=deployment_path,
            model_dir=model_dir,
            workdir=workdir / "fleet",
            validators=len(PLAN),
            stake_wei=10**18,
            poll_interval_s=0.5,
        )
        # Proxies first: they bind port 0, and a port the fleet picked (free when picked,
        # not yet bound) could otherwise be handed to a proxy.
        for c in PLAN:
            proxy = RpcProxy(soak.url, latency_s=c.latency_s, lag_blocks=c.lag_blocks)
            # A stopped validator resets its connections; that is the point, not an error.
            proxy.server.handle_error = lambda *_a: None  # type: ignore[method-assign]
            soak.proxies.append(proxy)
        soak.fleet = Fleet(spec)
        for m, proxy in zip(soak.fleet.members, soak.proxies, strict=True):
            m.config.write_text(
                m.config.read_text().replace(f'rpc_url = "{soak.url}"', f'rpc_url = "{proxy.url}"')
            )
        print(f"starting {len(PLAN)} validators ...", flush=True)
        for i in range(len(PLAN)):
            soak.fleet.start(i, env=soak.env, launcher=soak.launcher(i))
        soak.fleet.wait_ready(timeout_s=600)
        for i in range(len(PLAN)):
            soak.started_at[i] = time.time()
        t_ready = time.monotonic()

        controller = Controller(soak, args.seed)
        sampler = Sampler(soak, controller)
        controller.start()
        sampler.start()
        requester = Account.from_key(anvil_key(REQUESTER_INDEX, ANVIL_MNEMONIC).key)
        payloads = make_payloads(args.proposals, args.seed, client.chain_id)
        fee = client.quote_submit(requester.address)
        submitter = Submitter(client, requester)
        windows = max(1, int(args.minutes * 60 / args.round_s) - 1)
        per_window = max(1, math.ceil(len(payloads) / windows))
        print(
            f"soaking: {len(payloads)} proposals, {per_window} per {args.round_s} s window, "
            f"for at most {args.minutes:g} min ...",
            flush=True,
        )
        ids: list[int] = []
        stop_at = t_ready + args.minutes * 60
        sent = 0
        while sent < len(payloads) and time.monotonic() < stop_at - args.round_s:
            window_start = time.monotonic()
            chunk = payloads[sent : sent + per_window]
            ids += [s.proposal_id for s in submitter.submit(chunk, fee=fee)]
            sent += len(chunk)
            time.sleep(max(0.0, args.round_s - (time.monotonic() - window_start)))
        print(f"submitted {len(ids)}; waiting for every proposal to be final ...", flush=True)

        def all_final() -> bool:
            return all(client.verdict_of(pid)[0] != Status.PENDING for pid in ids)

        budget = (params.maxRounds + 2) * (args.round_s + args.reveal_s) + 120
        final = wait_until("every proposal to be final", all_final, budget, 2.0)
        t_final = time.monotonic()
        controller.stop_and_heal()
        sampler.stop_event.set()
        # Let the last ballots settle (slashes of missed reveals show on settlement).
        time.sleep(args.round_s + args.reveal_s + 10)
        result = audit(soak, client, ids, controller, sampler)
        drains = [d.detail.get("drain_s") for d in controller.log if d.cause == "SIGTERM"]
        quarters = Counter(int(o / args.round_s * 4) for o in controller.sigterm_offsets)
        result.update(
            {
                "all_final": final,
                "minutes": round((t_final - t_ready) / 60, 1),
                "clock": args.clock,
                "round_s": args.round_s,
                "reveal_s": args.reveal_s,
                "block_time_s": BLOCK_TIME_S,
                "sigterms": len(drains),
                "sigterm_window_quarters": {str(q): quarters.get(q, 0) for q in range(4)},
                "sigterm_first_block": sum(o < BLOCK_TIME_S for o in controller.sigterm_offsets),
                "sigterm_last_block": sum(
                    o >= args.round_s - BLOCK_TIME_S for o in controller.sigterm_offsets
                ),
                "drain_s_max": max((x for x in drains if x is not None), default=None),
                "drains_not_exited": sum(x is None for x in drains),
                "pauses": sum(d.cause == "paused" for d in controller.log),
                "chain_freezes": sum(d.cause == "chain freeze" for d in controller.log),
                "twins": soak.twin_reports,
                "validator_crashes": controller.crashes,
                "machine": "2-core development machine (say in the report what else ran)",
                "log": controller.notes,
            }
        )
    finally:
        if controller is not None:
            controller.stop_event.set()
        if soak.twin is not None:
            soak.stop_twin()
        if soak.fleet is not None:
            soak.fleet.stop_all()
        for p in soak.proxies:
            p.close()
        soak.anvil.stop()
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)

    vs = result["validators"]
    checks = {
        "every proposal final and finalized": result["finalized"] == result["proposals"],
        "zero slashes (every validator is honest)": all(not v["slashes"] for v in vs),
        "zero missed reveals": all(not v["missed_reveals_by_cause"] for v in vs),
        "no missed commit without a cause (none on the control validator)": all(
            "none" not in v["missed_commits_by_cause"] for v in vs
        ),
        "every SIGTERM drained and exited": result["drains_not_exited"] == 0,
        "SIGTERM in every quarter of the phase window": all(
            n > 0 for n in result["sigterm_window_quarters"].values()
        ),
        "pause, freeze and twin each exercised": result["pauses"] > 0
        and result["chain_freezes"] > 0
        and bool(result["twins"]),
        "every twin refused to vote and said why": all(
            t.get("sent_nothing") and t.get("log_names_twin") for t in result["twins"]
        ),
        "no validator exited on its own": result["validator_crashes"] == 0,
    }
    print_table(result)
    return write_and_judge(result, checks, args.out, ("validators", "log"))


if __name__ == "__main__":
    sys.exit(main())
