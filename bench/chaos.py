"""Chaos under load: proposals through a fleet of validators on a local Anvil while a
controller kills and restarts validators (kill -9), cuts their RPC for seconds at a time,
and one validator votes Byzantine.

Usage (after `make setup compile`):
    python bench/chaos.py                       # 1,000 proposals, 8 validators (~7 min)
    python bench/chaos.py --proposals 200       # a quicker check
    python bench/chaos.py --model-dir DIR       # reuse a trained checkpoint

Afterwards it checks, from chain state and events only:
- every proposal final (finalized, or rolled and then finalized; no-consensus counted apart);
- zero missed reveals by honest validators (committed but never revealed);
- zero slashes of honest validators;
- ETH accounting exact: the oracle's balance equals the sum of its books, and each book
  equals what the events say went in and out.
It prints the counts and writes bench/results/chaos.json. Exit status 1 when a check fails.

Every validator is a separate OS process (as on separate machines) reaching Anvil through
its own RPC proxy (tests/support/rpc_proxy.py), so the controller can cut one off alone.
The deployer is the e2e suite's web3.py one (tests/support/localchain.py).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The e2e suite's deployer and JSON-RPC proxy (tests/support/).
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from eth_account import Account  # noqa: E402
from web3 import Web3  # noqa: E402

from oracle.chain.anvil import ANVIL_MNEMONIC, Anvil  # noqa: E402
from oracle.chain.client import OracleClient, Status  # noqa: E402
from oracle.chain.deployment import Deployment  # noqa: E402
from oracle.chain.events import EventReader  # noqa: E402
from oracle.chain.payload import encode_payload  # noqa: E402
from oracle.chain.rpc import connect  # noqa: E402
from oracle.chain.submitter import Submitter  # noqa: E402
from oracle.model.generate import CorpusGenerator  # noqa: E402
from oracle.model.labels import Verdict  # noqa: E402
from oracle.validator.fleet import Fleet, FleetSpec  # noqa: E402
from oracle.validator.keys import anvil_key  # noqa: E402
from tests.support.byzantine_cli import launcher as byzantine_launcher  # noqa: E402
from tests.support.localchain import OracleParams, deploy  # noqa: E402
from tests.support.rpc_proxy import RpcProxy  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "chaos.json"
REQUESTER_INDEX = 19  # an Anvil account no validator uses
BYZANTINE_SHIFT = 1


@dataclass
class ChaosLog:
    kills: int = 0
    restarts: int = 0
    crashes: int = 0  # validator processes that exited without being killed
    rpc_cuts: int = 0
    rpc_cut_s: float = 0.0
    events: list[str] = field(default_factory=list)

    def note(self, t0: float, text: str) -> None:
        self.events.append(f"{time.monotonic() - t0:7.1f}s {text}")


class Controller(threading.Thread):
    """Disturbs at most `max_disturbed` honest validators at a time, at random moments."""

    def __init__(
        self,
        fleet: Fleet,
        proxies: list[RpcProxy],
        honest: list[int],
        seed: int,
        t0: float,
        supervise: bool,
    ) -> None:
        super().__init__(name="chaos-controller", daemon=True)
        self.fleet, self.proxies, self.honest = fleet, proxies, honest
        self.rng = random.Random(seed)
        self.stop_event = threading.Event()
        self.log = ChaosLog()
        self.t0 = t0
        self.busy: set[int] = set()
        self.lock = threading.Lock()
        self.max_disturbed = 2
        self.supervise = supervise

    def run(self) -> None:
        while not self.stop_event.wait(self.rng.uniform(2.0, 5.0)):
            self._check_crashes()
            with self.lock:
                free = [i for i in self.honest if i not in self.busy]
                if len(self.busy) >= self.max_disturbed or not free:
                    continue
                target = self.rng.choice(free)
                self.busy.add(target)
            if self.rng.random() < 0.5:
                self._kill_and_restart(target, self.rng.uniform(1.0, 4.0))
            else:
                self._cut_rpc(target, self.rng.uniform(2.0, 6.0))

    def _check_crashes(self) -> None:
        """A process that exited while not being disturbed crashed on its own. With
        `supervise` it is restarted, as systemd's Restart=always would; it is counted."""
        for m in self.fleet.members:
            with self.lock:
                if m.index in self.busy or m.process is None or m.process.poll() is None:
                    continue
            self.log.crashes += 1
            self.log.note(
                self.t0, f"validator {m.index} exited on its own ({m.process.returncode})"
            )
            if self.supervise:
                with self.lock:
                    self.busy.add(m.index)
                self.fleet.start(m.index)
                self.log.note(self.t0, f"supervisor restarted validator {m.index}")
                threading.Thread(
                    target=self._release_when_ready, args=(m.index,), daemon=True
                ).start()

    def _kill_and_restart(self, i: int, down_s: float) -> None:
        self.fleet.kill(i, signal.SIGKILL)
        self.log.kills += 1
        self.log.note(self.t0, f"kill -9 validator {i} for {down_s:.1f}s")

        def restart() -> None:
            self.fleet.start(i)
            self.log.restarts += 1
            self.log.note(self.t0, f"restart validator {i}")
            self._release_when_ready(i)

        threading.Timer(down_s, restart).start()

    def _release_when_ready(self, i: int) -> None:
        """A restarted validator counts as disturbed until it answers /ready again (model
        loaded, chain reachable): "at most two down at a time" must include booting ones,
        or on a small machine most of the fleet would be loading torch at any moment."""
        deadline = time.monotonic() + 300
        url = self.fleet.members[i].url + "/ready"
        while time.monotonic() < deadline and not self.stop_event.is_set():
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1.0)
        self.log.note(self.t0, f"validator {i} ready again")
        with self.lock:
            self.busy.discard(i)

    def _cut_rpc(self, i: int, cut_s: float) -> None:
        self.proxies[i].down()
        self.log.rpc_cuts += 1
        self.log.rpc_cut_s += cut_s
        self.log.note(self.t0, f"cut RPC of validator {i} for {cut_s:.1f}s")

        def restore() -> None:
            self.proxies[i].up()
            self.log.note(self.t0, f"RPC of validator {i} back")
            with self.lock:
                self.busy.discard(i)

        threading.Timer(cut_s, restore).start()

    def stop_and_heal(self) -> None:
        """Stop disturbing; wait for pending restores; every proxy up, every process running."""
        self.stop_event.set()
        deadline = time.monotonic() + 30
        while self.busy and time.monotonic() < deadline:
            time.sleep(0.2)
        for p in self.proxies:
            p.up()
        for m in self.fleet.members:
            if m.process is None or m.process.poll() is not None:
                self.fleet.start(m.index)


def make_payloads(n: int, seed: int, chain_id: int) -> list[bytes]:
    """Generated requests of every class in turn (malformed ones stay malformed)."""
    gen = CorpusGenerator(seed)
    labels = list(Verdict)
    out = []
    for i in range(n):
        tx = gen.record(labels[i % len(labels)]).tx
        if tx.chain_id == 1:
            tx = replace(tx, chain_id=chain_id)
        out.append(encode_payload(tx))
    return out


def model_or_tiny(model_dir: Path | None, workdir: Path, seed: int) -> Path:
    """The checkpoint given, or the tiny model trained now (~30 s)."""
    if model_dir is not None:
        return model_dir
    from oracle.model.tiny import train_tiny_model

    print("training the tiny model ...", flush=True)
    return train_tiny_model(workdir / "model", seed=seed)


def bench_params(round_s: int, reveal_s: int, model_dir: Path) -> OracleParams:
    """The deployment the chaos bench and the soak run against: short phases, 3 rounds."""
    from oracle.model.checkpoint import model_hash

    return OracleParams(
        roundDuration=round_s,
        revealDuration=reveal_s,
        unbondingPeriod=3600,
        maxProposalsPerRound=256,
        maxRounds=3,
        modelHash=model_hash(model_dir),
    )


def read_events(client: OracleClient, name: str, from_block: int) -> list[Any]:
    reader = EventReader(
        client.w3,
        address=client.address,
        abi=client.abi,
        event_names=(name,),
        start_block=from_block,
    )
    found, _ = reader.read(None, max_chunks=10_000)
    return found


def wait_until(what: str, fn: Any, timeout_s: float, interval_s: float = 1.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if fn():
            return True
        time.sleep(interval_s)
    print(f"  timed out after {timeout_s:.0f}s waiting for {what}")
    return False


def audit(
    client: OracleClient,
    ids: list[int],
    members: list[str],
    honest: list[int],
    byzantine: list[int],
    first_block: int,
    fee: int,
) -> dict[str, Any]:
    """Everything the issue asks to count, from chain state and events."""
    statuses = Counter(client.verdict_of(pid)[0] for pid in ids)
    rolled = {int(e.args["id"]) for e in read_events(client, "ProposalRolled", first_block)}
    rounds = sorted({r for pid in ids for r in range(client.proposal(pid).round + 1)})
    rounds = [r for r in rounds if client.round_info(r).size > 0]

    missed: dict[str, int] = Counter()
    committed: dict[str, int] = Counter()
    unsettled = 0
    for r in rounds:
        for i, address in enumerate(members):
            b = client.ballot_of(r, address)
            if not b.committed:
                continue
            committed[str(i)] += 1
            if not b.revealed:
                missed[str(i)] += 1
            if not b.settled:
                unsettled += 1

    slashed = read_events(client, "Slashed", first_block)
    by_validator: dict[str, int] = Counter()
    slashed_wei = 0
    for e in slashed:
        index = members.index(Web3.to_checksum_address(e.args["validator"]))
        by_validator[str(index)] += 1
        slashed_wei += int(e.args["amount"])
    staked = sum(int(e.args["amount"]) for e in read_events(client, "Staked", 0))
    withdrawn = sum(int(e.args["amount"]) for e in read_events(client, "Withdrawn", 0))
    rewards = sum(int(e.args["reward"]) for e in read_events(client, "BallotSettled", 0))
    claimed = sum(int(e.args["amount"]) for e in read_events(client, "Claimed", 0))
    refunds = fee * statuses.get(Status.NO_CONSENSUS, 0)
    # Fees no ballot can claim any more, moved to the reserve by sweepRoundFees (if anyone did).
    swept = sum(int(e.args["amount"]) for e in read_events(client, "RoundFeesSwept", 0))

    books = {
        "totalActive": int(client.fn("totalActive").call()),
        "totalUnbonding": int(client.fn("totalUnbonding").call()),
        "totalClaimable": int(client.fn("totalClaimable").call()),
        "undistributedFees": int(client.fn("undistributedFees").call()),
        "slashedReserve": int(client.fn("slashedReserve").call()),
    }
    balance = int(client.w3.eth.get_balance(client.address))
    accounting = {
        "balance_equals_books": balance == sum(books.values()),
        "stake_in_minus_out": staked - withdrawn - slashed_wei
        == books["totalActive"] + books["totalUnbonding"],
        "slashed_reserve_is_slashes_and_sweeps": books["slashedReserve"] == slashed_wei + swept,
        "fees_in_minus_out": fee * len(ids) - rewards - refunds - swept
        == books["undistributedFees"],
        "claimable_is_credits_minus_claims": rewards + refunds - claimed == books["totalClaimable"],
    }
    honest_keys = {str(i) for i in honest}
    return {
        "proposals": len(ids),
        "finalized": statuses.get(Status.FINALIZED, 0),
        "no_consensus": statuses.get(Status.NO_CONSENSUS, 0),
        "pending": statuses.get(Status.PENDING, 0),
        "rolled_then_final": len(rolled & {pid for pid in ids}),
        "rounds": len(rounds),
        "ballots_committed": dict(committed),
        "missed_reveals_honest": sum(v for k, v in missed.items() if k in honest_keys),
        "missed_reveals_byzantine": sum(v for k, v in missed.items() if k not in honest_keys),
        "slashes_honest": sum(v for k, v in by_validator.items() if k in honest_keys),
        "slashes_byzantine": sum(v for k, v in by_validator.items() if k not in honest_keys),
        "slashed_wei": slashed_wei,
        "unsettled_ballots": unsettled,
        "eth_balance_wei": balance,
        "books_wei": books,
        "accounting_exact": all(accounting.values()),
        "accounting_checks": accounting,
        "byzantine_validators": byzantine,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=1000)
    parser.add_argument("--validators", type=int, default=8)
    parser.add_argument("--round-s", type=int, default=30, help="commit phase (and round) length")
    parser.add_argument("--reveal-s", type=int, default=30, help="reveal phase length (<= round)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model-dir", type=Path, default=None, help="a trained checkpoint")
    parser.add_argument("--workdir", type=Path, default=None, help="kept afterwards if given")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--no-supervise",
        dest="supervise",
        action="store_false",
        help="do not restart validators that exit on their own (default: restart, as systemd)",
    )
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="chaos-"))
    workdir.mkdir(parents=True, exist_ok=True)
    t_start = time.monotonic()
    anvil = Anvil(block_time=1, mixed_mining=True, log_path=workdir / "anvil.log")
    url = anvil.url
    fleet: Fleet | None = None
    proxies: list[RpcProxy] = []
    try:
        model_dir = model_or_tiny(args.model_dir, workdir, args.seed)
        params = bench_params(args.round_s, args.reveal_s, model_dir)
        w3 = Web3(Web3.HTTPProvider(url))
        deployment_path = deploy(w3, anvil_key(0, ANVIL_MNEMONIC), workdir / "deploy", params, url)
        client = OracleClient(connect(url), Deployment.load(deployment_path))
        first_block = int(w3.eth.block_number)

        byzantine = [args.validators - 1]
        honest = [i for i in range(args.validators) if i not in byzantine]
        spec = FleetSpec(
            rpc_url=url,
            deployment=deployment_path,
            model_dir=model_dir,
            workdir=workdir / "fleet",
            validators=args.validators,
            stake_wei=10**18,
            poll_interval_s=0.3,
        )
        fleet = Fleet(spec)
        for i in byzantine:  # kept for every restart (Member.launcher)
            fleet.members[i].launcher = byzantine_launcher(BYZANTINE_SHIFT)
        proxies = [RpcProxy(url) for _ in fleet.members]
        for proxy in proxies:
            # A killed validator resets its connections; that is the point, not an error.
            proxy.server.handle_error = lambda *_a: None  # type: ignore[method-assign]
        for m, proxy in zip(fleet.members, proxies, strict=True):
            m.config.write_text(
                m.config.read_text().replace(f'rpc_url = "{url}"', f'rpc_url = "{proxy.url}"')
            )
        print(f"starting {args.validators} validators (1 Byzantine) ...", flush=True)
        fleet.start_all()
        fleet.wait_ready(timeout_s=600)
        t_ready = time.monotonic()

        requester = Account.from_key(anvil_key(REQUESTER_INDEX, ANVIL_MNEMONIC).key)
        payloads = make_payloads(args.proposals, args.seed, client.chain_id)
        fee = client.quote_submit(requester.address)
        controller = Controller(fleet, proxies, honest, args.seed, t_ready, args.supervise)
        controller.start()
        print(f"submitting {len(payloads)} proposals under chaos ...", flush=True)
        ids = [s.proposal_id for s in Submitter(client, requester).submit(payloads, fee=fee)]
        t_submitted = time.monotonic()

        rounds_needed = (len(ids) + 255) // 256 + params.maxRounds
        budget_s = rounds_needed * (args.round_s + args.reveal_s) + 600

        def all_final() -> bool:
            return all(client.verdict_of(pid)[0] != Status.PENDING for pid in ids)

        final = wait_until("every proposal to be final", all_final, budget_s, 2.0)
        t_final = time.monotonic()
        controller.stop_and_heal()
        print("chaos stopped; waiting for the validators to settle their ballots ...", flush=True)
        last_round = max(client.proposal(pid).round for pid in ids)
        settle_wait = args.round_s + args.reveal_s + 120

        def settled() -> bool:
            ballots = [
                client.ballot_of(r, m.address)
                for r in range(last_round + 1)
                if client.round_info(r).size > 0
                for m in fleet.members
            ]
            # Validators settle what they revealed; a missed ballot is left for others.
            return all(b.settled or not b.revealed for b in ballots)

        wait_until("every revealed ballot to be settled", settled, settle_wait, 3.0)
        result = audit(
            client,
            ids,
            [m.address for m in fleet.members],
            honest,
            byzantine,
            first_block,
            fee,
        )
        result.update(
            {
                "all_final": final,
                "validators": args.validators,
                "round_s": args.round_s,
                "reveal_s": args.reveal_s,
                "kills": controller.log.kills,
                "restarts": controller.log.restarts,
                "validator_crashes": controller.log.crashes,
                "supervised": args.supervise,
                "rpc_cuts": controller.log.rpc_cuts,
                "rpc_cut_s": round(controller.log.rpc_cut_s, 1),
                "fleet_start_s": round(t_ready - t_start, 1),
                "submit_s": round(t_submitted - t_ready, 1),
                "to_final_s": round(t_final - t_ready, 1),
                "chaos_log": controller.log.events,
            }
        )
    finally:
        if fleet is not None:
            fleet.stop_all()
        for p in proxies:
            p.close()
        anvil.stop()
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)

    checks = {
        "every proposal finalized (none left pending or without consensus)": result["finalized"]
        == result["proposals"],
        "zero missed reveals by honest validators": result["missed_reveals_honest"] == 0,
        "zero slashes of honest validators": result["slashes_honest"] == 0,
        "ETH accounting exact": result["accounting_exact"],
        "no validator exited on its own": result["validator_crashes"] == 0,
    }
    return write_and_judge(result, checks, args.out, ("chaos_log", "books_wei"))


def write_and_judge(
    result: dict[str, Any], checks: dict[str, bool], out: Path, unprinted: tuple[str, ...]
) -> int:
    """Write the JSON (checks included), print the summary and each check; the exit status."""
    result["checks"] = checks
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k not in unprinted}, indent=2))
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    print(f"wrote {out}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
