"""`make demo`: the whole system end to end on a local chain, then the explorer until Ctrl-C.

Steps: model (train if missing) → Anvil (Ganache with ORACLE_DEMO_CHAIN=ganache) →
`ape run deploy` → explorer page →
4 staked validators → a mixed set of proposals, directly and through the
GuardedTreasury and a 2-of-3 Safe with OracleSafeGuard → follow them live to
final verdicts → treasury and Safe execute what was judged legal (the guard
refuses the rest) → report tables → serve the explorer (or exit with
DEMO_EXIT=1) → stop everything that was started.
"""

from __future__ import annotations

import json
import shutil
import time
from contextlib import ExitStack, suppress
from pathlib import Path
from types import FrameType
from typing import Any

from rich.console import Console
from web3 import Web3

from oracle.chain.anvil import Anvil
from oracle.chain.deployment import Deployment
from oracle.chain.ganache import Ganache
from oracle.chain.localnode import LocalNode
from oracle.demo.deploy import run_deploy
from oracle.demo.follow import follow_until_final
from oracle.demo.model_setup import ensure_model
from oracle.demo.report import print_report, summary_json
from oracle.demo.safe_scenario import judge_via_safe, set_up_safe, settle_safe
from oracle.demo.scenario import direct_proposals, treasury_transfers
from oracle.demo.settings import DemoSettings
from oracle.demo.submissions import settle_treasury, submit_direct, submit_via_treasury
from oracle.demo.wallet import DemoTxError, Wallet
from oracle.explorer.indexer import Indexer
from oracle.explorer.server import BackgroundExplorer, ExplorerError, check_port_free

ANVIL_MNEMONIC = "test test test test test test test test test test test junk"
DEPLOYER_INDEX = 0  # `ape run deploy` uses Anvil's first account; it owns the treasury
REQUESTER_INDEX = 9  # validators take accounts 1..4
SAFE_SIGNER_INDICES = (12, 13)  # the Safe's other two owners: they only sign, never pay gas
STAKE_WEI = 2 * 10**18
# Short rounds so the demo finishes in about a minute once the validators are up.
ROUND_ENV = {"ORACLE_ROUND_DURATION": "6", "ORACLE_REVEAL_DURATION": "6"}
# ORACLE_DEMO_CHAIN: `ape run deploy` picks the build the chain runs (shanghai on Ganache).
NODES: dict[str, type[LocalNode]] = {"anvil": Anvil, "ganache": Ganache}


class Demo:
    def __init__(self, settings: DemoSettings, console: Console | None = None) -> None:
        self.settings = settings
        self.console = console or Console(highlight=False)

    def log(self, message: str) -> None:
        self.console.print(message, markup=False)

    def step(self, message: str) -> None:
        self.console.print(f"[bold cyan]==>[/] {message}")

    def run(self) -> int:
        """Run the demo; returns the process exit status. Everything started is stopped."""
        from oracle.validator.fleet import Fleet, FleetSpec
        from oracle.validator.keys import anvil_key

        s = self.settings
        workdir = s.workdir
        workdir.mkdir(parents=True, exist_ok=True)
        # Every run starts a fresh chain, and Anvil deploys to the same addresses each
        # time: a validator store left from the last run would believe it already voted.
        for stale in ("fleet", "deployment"):
            shutil.rmtree(workdir / stale, ignore_errors=True)
        (workdir / "summary.json").unlink(missing_ok=True)
        with ExitStack() as started:
            self.step("checking ports")
            try:
                check_port_free("127.0.0.1", s.explorer_port)
            except ExplorerError:
                raise ExplorerError(
                    f"port {s.explorer_port} on 127.0.0.1 is taken (the explorer page's port): "
                    "stop what uses it, or set ORACLE_DEMO_PORT to a free port"
                ) from None

            self.step(f"model: {s.model}")
            model_dir, model_hash = ensure_model(s.model, workdir, self.log)
            self.log(f"    {model_dir} (model hash {model_hash})")

            node_class = NODES[s.chain]
            self.step(f"starting {node_class.title}")
            # Interval mining: block timestamps follow the wall clock. With one block per
            # transaction a burst of submissions pushes timestamps seconds ahead of it,
            # and validators that estimate gas at wall-clock time then miss the commit phase.
            anvil = started.enter_context(
                node_class(s.anvil_port, block_time=1, log_path=workdir / f"{s.chain}.log")
            )
            w3 = Web3(Web3.HTTPProvider(anvil.url, request_kwargs={"timeout": 30}))
            chain_id = int(w3.eth.chain_id)
            self.log(f"    {anvil.url} (chain {chain_id})")

            self.step("deploying the contracts: ape run deploy")
            deployment_path = run_deploy(
                anvil.url,
                out=workdir / "deployment" / f"{chain_id}.json",
                model_hash=model_hash,
                log_path=workdir / "deploy.log",
                extra_env=ROUND_ENV,
            )
            deployment = Deployment.load(deployment_path)
            oracle = w3.eth.contract(
                address=Web3.to_checksum_address(deployment.oracle_address),
                abi=deployment.abi("VerdictOracle"),
            )
            treasury = w3.eth.contract(
                address=Web3.to_checksum_address(deployment.address("GuardedTreasury")),
                abi=deployment.abi("GuardedTreasury"),
            )
            self.log(f"    VerdictOracle   {oracle.address}")
            self.log(f"    GuardedTreasury {treasury.address}")
            self.log(f"    deployment file {deployment_path}")

            indexer = Indexer(Web3(Web3.HTTPProvider(anvil.url)), deployment)
            explorer = BackgroundExplorer(indexer, port=s.explorer_port).start()
            started.callback(explorer.stop)
            self.step(f"explorer page: {explorer.url}  (watch the votes arrive)")

            self.step(f"starting {s.validators} validators (stake {STAKE_WEI // 10**18} ETH each)")
            from oracle.model.rules import sample_sanctions_path

            fleet = Fleet(
                FleetSpec(
                    rpc_url=anvil.url,
                    deployment=deployment_path,
                    model_dir=model_dir,
                    workdir=workdir / "fleet",
                    validators=s.validators,
                    stake_wei=STAKE_WEI,
                    sanctions_file=sample_sanctions_path(),
                    rpc_timeout_s=anvil.request_timeout_s,
                )
            )
            started.callback(fleet.stop_all)
            fleet.start_all()
            for member in fleet.members:
                self.log(
                    f"    V{member.index + 1} {member.address} {member.url}  log {member.log_path}"
                )
            fleet.wait_ready(timeout_s=300)
            self.log("    all validators staked and ready")

            self.step("submitting proposals: directly and through the GuardedTreasury")
            requester = Wallet(w3, anvil_key(REQUESTER_INDEX, ANVIL_MNEMONIC))
            owner = Wallet(w3, anvil_key(DEPLOYER_INDEX, ANVIL_MNEMONIC))
            sanctioned = _first_sanctioned(sample_sanctions_path())
            direct = submit_direct(
                oracle, requester, direct_proposals(chain_id, requester.address, sanctioned)
            )
            via_treasury = submit_via_treasury(oracle, treasury, owner, treasury_transfers())
            signers = [anvil_key(i, ANVIL_MNEMONIC) for i in SAFE_SIGNER_INDICES]
            safe = set_up_safe(w3, deployment, owner, signers, model_hash)
            via_safe = judge_via_safe(oracle, safe, owner, treasury_transfers())
            submissions = direct + via_treasury + via_safe
            self.log(
                f"    {len(direct)} direct proposals, {len(via_treasury)} treasury transfers, "
                f"{len(via_safe)} Safe transfers (Safe {safe.wallet.address}, guard installed)"
            )

            self.step("following the proposals to their final verdicts")
            follow_until_final(
                indexer,
                [sub.proposal_id for sub in submissions],
                timeout_s=s.timeout_s,
                log=self.log,
                finalize=lambda ids: keeper_finalize(oracle, requester, ids),
            )

            self.step("the treasury executes what the oracle judged legal")
            outcomes = settle_treasury(oracle, treasury, owner, via_treasury)
            self.step("the Safe executes what the oracle judged legal; its guard refuses the rest")
            safe_report = (safe.wallet.address, settle_safe(oracle, safe, owner, via_safe))
            indexer.sync()
            validators = [m.address for m in fleet.members]
            print_report(self.console, indexer, submissions, validators, outcomes, safe_report)
            endpoints = {
                "explorer_url": explorer.url,
                "rpc_url": anvil.url,
                "validator_urls": [m.url for m in fleet.members],
                "model_hash": model_hash,
                "deployment": str(deployment_path),
            }
            summary = summary_json(
                indexer, submissions, validators, outcomes, endpoints, safe_report
            )
            (workdir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
            self.log(f"    summary written to {workdir / 'summary.json'}")

            if s.exit_when_done:
                self.step("DEMO_EXIT=1: stopping everything")
            else:
                self.console.print()
                self.step(f"explorer running at {explorer.url} — press Ctrl-C to stop everything")
                while True:
                    time.sleep(1)
        self.log(f"stopped {NODES[s.chain].title}, the validators and the explorer")
        return 0


def keeper_finalize(oracle: Any, wallet: Wallet, ids: list[int]) -> None:
    """Finalize overdue proposals; a validator finalizing first makes this revert, harmlessly."""
    with suppress(DemoTxError):
        wallet.send(oracle.functions.finalizeMany(ids), what=f"finalizeMany({ids})")


def _first_sanctioned(path: Path) -> str:
    for line in path.read_text().splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            return entry
    raise RuntimeError(f"{path} lists no address")


def raise_keyboard_interrupt(_signum: int, _frame: FrameType | None) -> None:
    """SIGTERM stops the demo like Ctrl-C, so the cleanup runs."""
    raise KeyboardInterrupt
