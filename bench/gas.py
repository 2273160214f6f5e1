"""Amortized gas per validator-verdict of the three ways to vote, on a local Anvil.

    amortized = gas(commit + reveal + finalize + settle txs) / (validators x proposals)

Modes (docs/protocol.md):
  naive    every proposal in its own round (maxProposalsPerRound = 1); per validator
           per proposal one `commit` and one `reveal`, one `finalize` per proposal,
           one `settle` per validator per round;
  batched  all proposals in one round; per validator one `commit`, one `reveal`,
           one `settle`; one `finalizeMany`;
  relayed  all proposals in one round; one `commitRelayed` carrying every
           validator's EIP-712 signature, one `revealMany`, one `finalizeMany`,
           one `settleMany`.
Each scenario gets a fresh oracle so every run pays the same cold-storage costs.
The max-round scenario (`max_round` in the JSON) is one round of MAX_ROUND_PROPOSALS
(the contract's maximum, 1,024) with MAX_ROUND_VALIDATORS validators voting every class
in turn across the round, all but one agreeing: it reports the first and a later reveal,
finalizeMany in chunks, and settle, each of which must stay under the 2^24-gas
transaction cap (EIP-7825).
Staking and submission are not voting costs and are not counted. An aggregate tx
that would not fit in a block is split (the JSON records every split).

The chain is an Anvil the bench starts itself (oracle.chain.anvil, 127.0.0.1), which ape
joins as an existing node: the Anvil that ape-foundry would start runs with
`--steps-tracing`, which records every EVM step with its memory, and made the 1,024-proposal
reveal take longer than ape's 20 s receipt wait on a 2-core machine. Nothing here reads
traces; gas comes from the receipts.

Run: `make bench` (or `python bench/gas.py`; the Makefile exports the env vars).
Writes bench/results/gas.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ape import accounts, chain, networks, project
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import to_checksum_address

from oracle.chain.anvil import Anvil
from oracle.chain.eip712 import Domain, sign_signer_acceptance
from oracle.chain.gas_cap import TX_GAS_CAP  # EIP-7825
from oracle.chain.oracle_abi import with_views
from oracle.chain.params import DEPLOY_DEFAULTS, SPECS
from oracle.model.labels import NUM_CLASSES

RESULTS_FILE = Path(__file__).resolve().parent / "results" / "gas.json"
PROPOSAL_COUNTS = (1, 16, 64)
VALIDATOR_COUNTS = (4, 16)
MODES = ("naive", "batched", "relayed")
TARGET_GAS_PER_VALIDATOR_VERDICT = 10_000
HEADLINE = (64, 16)  # proposals x validators the target is judged at
MAX_ROUND_PROPOSALS = SPECS["maxProposalsPerRound"].maximum  # 1,024 in the contract
MAX_ROUND_VALIDATORS = 4
MAX_ROUND_FINALIZE_CHUNK = 512

# Phases are long so that hundreds of transactions fit in one phase: Anvil's
# block time follows the wall clock after a jump.
ROUND_DURATION = 3_600
REVEAL_DURATION = 1_800
UNBONDING_PERIOD = 3 * ROUND_DURATION
PROPOSAL_FEE = DEPLOY_DEFAULTS.proposalFee
STAKE = 10 * 10**18
# One validator in DISSENT_EVERY disagrees on each proposal, so settlement both
# pays (coherent) and slashes (incoherent) as it would in a real round.
DISSENT_EVERY = 8
# Keep an aggregate transaction under this share of the block gas limit.
BLOCK_SHARE = 0.9


@dataclass
class Measurement:
    mode: str
    proposals: int
    validators: int
    gas_by_phase: dict[str, int] = field(
        default_factory=lambda: {"commit": 0, "reveal": 0, "finalize": 0, "settle": 0}
    )
    txs_by_phase: dict[str, int] = field(
        default_factory=lambda: {"commit": 0, "reveal": 0, "finalize": 0, "settle": 0}
    )
    splits: list[str] = field(default_factory=list)

    def add(self, phase: str, receipt: Any) -> None:
        self.gas_by_phase[phase] += int(receipt.gas_used)
        self.txs_by_phase[phase] += 1

    @property
    def total_gas(self) -> int:
        return sum(self.gas_by_phase.values())

    @property
    def amortized(self) -> float:
        return self.total_gas / (self.proposals * self.validators)

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "proposals": self.proposals,
            "validators": self.validators,
            "total_gas": self.total_gas,
            "amortized_gas_per_validator_verdict": round(self.amortized, 1),
            "gas_by_phase": self.gas_by_phase,
            "txs_by_phase": self.txs_by_phase,
            "splits": self.splits,
        }


@dataclass
class Validator:
    operator: Any  # an ape test account: holds the stake
    signer: Any  # an eth-account LocalAccount: the hot key that signs relayed commits


def verdict_of(proposal_index: int, validator_index: int) -> int:
    """Mostly `legal`, some `fraud`; one validator in DISSENT_EVERY says `illicit`."""
    truth = 1 if proposal_index % 5 == 4 else 0
    dissents = (proposal_index + validator_index) % DISSENT_EVERY == 0
    return 2 if dissents else truth


def verdict_bytes(proposal_indices: Sequence[int], validator_index: int) -> bytes:
    return bytes(verdict_of(i, validator_index) for i in proposal_indices)


def max_round_verdicts(proposals: int, *, dissents: bool) -> bytes:
    """Every class in turn across the round, so every tally word gets written; the dissenter
    is one class off everywhere. The others agree: each proposal finalizes (with no
    consensus all 1,024 would roll, which is not the round a validator's transactions face
    at their largest) and settle both pays and slashes."""
    return bytes((i + int(dissents)) % NUM_CLASSES for i in range(proposals))


# ---------------------------------------------------------------- chain helpers


def commit_each(
    oracle: Any,
    round_: int,
    validators: list[Validator],
    verdicts_of_validator: Callable[[int], bytes],
    on_commit: Callable[[Any], None] | None = None,
) -> list[tuple[Validator, bytes, bytes]]:
    """Every validator commits its verdicts for `round_` (in its commit phase): the ballots
    (validator, verdicts, salt) to reveal later; `on_commit` sees each receipt."""
    ballots = []
    for v_index, v in enumerate(validators):
        verdicts = verdicts_of_validator(v_index)
        salt = secrets.token_bytes(32)
        commitment = oracle.commitmentFor(round_, v.operator.address, verdicts, salt)
        receipt = oracle.commit(round_, commitment, sender=v.operator)
        if on_commit is not None:
            on_commit(receipt)
        ballots.append((v, verdicts, salt))
    return ballots


def advance_to(timestamp: int) -> None:
    """Mine an empty block at `timestamp` unless the chain is already there."""
    if chain.pending_timestamp < timestamp:
        chain.mine(timestamp=timestamp)


def sign_commit(oracle: Any, round_: int, commitment: bytes, validator: str, signer: Any) -> bytes:
    typed = {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Commit": [
                {"name": "round", "type": "uint64"},
                {"name": "commitment", "type": "bytes32"},
                {"name": "validator", "type": "address"},
            ],
        },
        "primaryType": "Commit",
        "domain": {
            "name": "VerdictOracle",
            "version": "1",
            "chainId": chain.chain_id,
            "verifyingContract": to_checksum_address(oracle.address),
        },
        "message": {
            "round": round_,
            "commitment": commitment,
            "validator": to_checksum_address(validator),
        },
    }
    return bytes(signer.sign_message(encode_typed_data(full_message=typed)).signature)


def block_gas_budget() -> int:
    return int(chain.blocks.head.gas_limit * BLOCK_SHARE)


def send_in_chunks(
    measurement: Measurement,
    phase: str,
    items: Sequence[Any],
    send: Callable[[Sequence[Any]], Any],
    estimate: Callable[[Sequence[Any]], int],
) -> None:
    """Send `items` in as few aggregate txs as fit under the block gas limit."""
    chunk = len(items)
    while chunk > 1 and estimate(items[:chunk]) > block_gas_budget():
        chunk = (chunk + 1) // 2
    if chunk < len(items):
        measurement.splits.append(f"{phase}: {len(items)} items in chunks of {chunk}")
    for start in range(0, len(items), chunk):
        measurement.add(phase, send(items[start : start + chunk]))


# ---------------------------------------------------------------- deployment


def deploy_oracle(owner: Any, max_proposals_per_round: int) -> Any:
    config = DEPLOY_DEFAULTS.with_(
        roundDuration=ROUND_DURATION,
        revealDuration=REVEAL_DURATION,
        unbondingPeriod=UNBONDING_PERIOD,
        proposalFee=PROPOSAL_FEE,
        maxProposalsPerRound=max_proposals_per_round,
        modelHash=b"\x11" * 32,
    ).as_config()
    core = owner.deploy(project.VerdictOracle, config, owner.address)
    return with_views(
        core,
        project.VerdictOracleViews.contract_type,
        project.VerdictOracleEquivocation.contract_type,
    )


def setup_round(
    owner: Any, requester: Any, validators: list[Validator], proposals: int, per_round: int
) -> tuple[Any, list[int]]:
    """A fresh oracle with staked validators and `proposals` submitted proposals."""
    oracle = deploy_oracle(owner, per_round)
    for v in validators:
        oracle.stake(sender=v.operator, value=STAKE)
        deadline = chain.pending_timestamp + 3600
        acceptance = sign_signer_acceptance(
            v.signer,
            Domain(chain.chain_id, oracle.address),
            operator=v.operator.address,
            deadline=deadline,
        )
        oracle.setSigner(v.signer.address, deadline, acceptance, sender=v.operator)
    # A round's snapshot is one second before its first proposal joined; Anvil packs
    # blocks into one second, so let a second pass or the fresh stake would not count.
    advance_to(chain.pending_timestamp + 2)
    ids = [submit_proposal(oracle, requester, b"bench-payload-%d" % i) for i in range(proposals)]
    rounds = sorted({int(oracle.proposal(pid).round) for pid in ids})
    return oracle, rounds


def submit_proposal(oracle: Any, requester: Any, payload: bytes) -> int:
    """Submit one proposal the way a requester does; its id. Every scenario submits through
    here: what `submit` must be sent (the oracle's quote: the fee, plus the callback deposit
    for a requester that is called back) is stated once."""
    receipt = oracle.submit(payload, sender=requester, value=oracle.quoteSubmit(requester))
    return int(receipt.decode_logs(oracle.ProposalSubmitted)[0].id)


def round_timing(oracle: Any, round_: int) -> tuple[int, int, int]:
    commit_start, reveal_start, reveal_end = oracle.roundTiming(round_)
    return int(commit_start), int(reveal_start), int(reveal_end)


# ---------------------------------------------------------------- the three modes


def run_naive(
    owner: Any, requester: Any, validators: list[Validator], proposals: int
) -> Measurement:
    m = Measurement("naive", proposals, len(validators))
    oracle, rounds = setup_round(owner, requester, validators, proposals, per_round=1)
    assert len(rounds) == proposals, "naive mode needs one proposal per round"
    for p_index, round_ in enumerate(rounds):
        commit_start, reveal_start, reveal_end = round_timing(oracle, round_)
        ballots = []
        advance_to(commit_start)
        for v_index, v in enumerate(validators):
            verdicts = verdict_bytes([p_index], v_index)
            salt = secrets.token_bytes(32)
            commitment = oracle.commitmentFor(round_, v.operator.address, verdicts, salt)
            m.add("commit", oracle.commit(round_, commitment, sender=v.operator))
            ballots.append((v, verdicts, salt))
        advance_to(reveal_start)
        for v, verdicts, salt in ballots:
            m.add(
                "reveal",
                oracle.reveal(round_, v.operator.address, verdicts, salt, sender=v.operator),
            )
        advance_to(reveal_end + 1)
        for pid in oracle.roundProposals(round_):
            m.add("finalize", oracle.finalize(pid, sender=owner))
        for v, verdicts, _ in ballots:
            m.add("settle", oracle.settle(round_, v.operator.address, verdicts, sender=v.operator))
    return m


def run_batched(
    owner: Any, requester: Any, validators: list[Validator], proposals: int
) -> Measurement:
    m = Measurement("batched", proposals, len(validators))
    oracle, rounds = setup_round(owner, requester, validators, proposals, per_round=proposals)
    assert len(rounds) == 1, "batched mode needs all proposals in one round"
    round_ = rounds[0]
    ids = [int(pid) for pid in oracle.roundProposals(round_)]
    commit_start, reveal_start, reveal_end = round_timing(oracle, round_)
    advance_to(commit_start)
    ballots = commit_each(
        oracle,
        round_,
        validators,
        lambda v_index: verdict_bytes(range(len(ids)), v_index),
        on_commit=lambda receipt: m.add("commit", receipt),
    )
    advance_to(reveal_start)
    for v, verdicts, salt in ballots:
        m.add(
            "reveal", oracle.reveal(round_, v.operator.address, verdicts, salt, sender=v.operator)
        )
    advance_to(reveal_end + 1)
    send_in_chunks(
        m,
        "finalize",
        ids,
        lambda chunk: oracle.finalizeMany(list(chunk), sender=owner),
        lambda chunk: oracle.finalizeMany.estimate_gas_cost(list(chunk), sender=owner),
    )
    for v, verdicts, _ in ballots:
        m.add("settle", oracle.settle(round_, v.operator.address, verdicts, sender=v.operator))
    return m


def run_relayed(
    owner: Any, requester: Any, validators: list[Validator], proposals: int
) -> Measurement:
    m = Measurement("relayed", proposals, len(validators))
    relayer = owner
    oracle, rounds = setup_round(owner, requester, validators, proposals, per_round=proposals)
    assert len(rounds) == 1, "relayed mode needs all proposals in one round"
    round_ = rounds[0]
    ids = [int(pid) for pid in oracle.roundProposals(round_)]
    commit_start, reveal_start, reveal_end = round_timing(oracle, round_)
    commits, reveals = [], []
    for v_index, v in enumerate(validators):
        verdicts = verdict_bytes(range(len(ids)), v_index)
        salt = secrets.token_bytes(32)
        commitment = oracle.commitmentFor(round_, v.operator.address, verdicts, salt)
        signature = sign_commit(oracle, round_, commitment, v.operator.address, v.signer)
        commits.append((v.operator.address, commitment, signature))
        reveals.append((v.operator.address, verdicts, salt))
    advance_to(commit_start)
    send_in_chunks(
        m,
        "commit",
        commits,
        lambda chunk: oracle.commitRelayed(round_, list(chunk), sender=relayer),
        lambda chunk: oracle.commitRelayed.estimate_gas_cost(round_, list(chunk), sender=relayer),
    )
    advance_to(reveal_start)
    send_in_chunks(
        m,
        "reveal",
        reveals,
        lambda chunk: oracle.revealMany(round_, list(chunk), sender=relayer),
        lambda chunk: oracle.revealMany.estimate_gas_cost(round_, list(chunk), sender=relayer),
    )
    advance_to(reveal_end + 1)
    send_in_chunks(
        m,
        "finalize",
        ids,
        lambda chunk: oracle.finalizeMany(list(chunk), sender=relayer),
        lambda chunk: oracle.finalizeMany.estimate_gas_cost(list(chunk), sender=relayer),
    )
    settlements = [(address, verdicts) for address, verdicts, _ in reveals]
    send_in_chunks(
        m,
        "settle",
        settlements,
        lambda chunk: oracle.settleMany(
            round_, [a for a, _ in chunk], [vs for _, vs in chunk], sender=relayer
        ),
        lambda chunk: oracle.settleMany.estimate_gas_cost(
            round_, [a for a, _ in chunk], [vs for _, vs in chunk], sender=relayer
        ),
    )
    return m


def run_max_round(owner: Any, requester: Any, validators: list[Validator]) -> dict[str, Any]:
    """Gas of each validator transaction in one round of the maximum size."""
    oracle, rounds = setup_round(
        owner, requester, validators, MAX_ROUND_PROPOSALS, per_round=MAX_ROUND_PROPOSALS
    )
    round_ = rounds[0]
    ids = [int(pid) for pid in oracle.roundProposals(round_)]
    commit_start, reveal_start, reveal_end = round_timing(oracle, round_)
    advance_to(commit_start)
    ballots = commit_each(
        oracle,
        round_,
        validators,
        lambda v_index: max_round_verdicts(len(ids), dissents=v_index == len(validators) - 1),
    )
    advance_to(reveal_start)
    gas: dict[str, int] = {}
    for name, (v, verdicts, salt) in zip(("first_reveal", "later_reveal"), ballots, strict=False):
        gas[name] = int(
            oracle.reveal(round_, v.operator.address, verdicts, salt, sender=v.operator).gas_used
        )
    gas["reveal_many_rest"] = int(
        oracle.revealMany(
            round_, [(v.operator.address, vs, salt) for v, vs, salt in ballots[2:]], sender=owner
        ).gas_used
    )
    advance_to(reveal_end + 1)
    gas["finalize_many_chunk"] = max(
        int(oracle.finalizeMany(ids[i : i + MAX_ROUND_FINALIZE_CHUNK], sender=owner).gas_used)
        for i in range(0, len(ids), MAX_ROUND_FINALIZE_CHUNK)
    )
    v, verdicts, _ = ballots[0]
    gas["settle"] = int(
        oracle.settle(round_, v.operator.address, verdicts, sender=v.operator).gas_used
    )
    gas["settle_many_rest"] = int(
        oracle.settleMany(
            round_,
            [v.operator.address for v, _, _ in ballots[1:]],
            [vs for _, vs, _ in ballots[1:]],
            sender=owner,
        ).gas_used
    )
    return {
        "proposals": len(ids),
        "validators": len(validators),
        "finalize_chunk": MAX_ROUND_FINALIZE_CHUNK,
        "gas": gas,
        "share_of_cap": {name: round(used / TX_GAS_CAP, 3) for name, used in gas.items()},
        # Issue 9, item 6: the first revealer pays about what later ones do.
        "first_over_later_reveal": round(gas["first_reveal"] / gas["later_reveal"], 3),
        "tx_gas_cap": TX_GAS_CAP,
        "all_under_cap": all(g < TX_GAS_CAP for g in gas.values()),
    }


RUNNERS = {"naive": run_naive, "batched": run_batched, "relayed": run_relayed}


# ---------------------------------------------------------------- report


def summarize(measurements: list[Measurement], max_round: dict[str, Any]) -> dict[str, Any]:
    table: dict[str, dict[str, float]] = {}
    for m in measurements:
        table.setdefault(m.mode, {})[f"{m.proposals}x{m.validators}"] = round(m.amortized, 1)
    key = f"{HEADLINE[0]}x{HEADLINE[1]}"
    best_mode = min((mode for mode in table if mode != "naive"), key=lambda mode: table[mode][key])
    best = table[best_mode][key]
    ratio = table["naive"][key] / best
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cpus, {platform.platform()}",
        "chain": f"anvil {chain.provider.make_request('web3_clientVersion', [])}",
        "block_gas_limit": int(chain.blocks.head.gas_limit),
        "results": [m.as_dict() for m in measurements],
        "amortized_gas_per_validator_verdict": table,
        "ratio_naive_over_best": round(ratio, 2),
        "best_mode": best_mode,
        "target": TARGET_GAS_PER_VALIDATOR_VERDICT,
        "meets_target": best <= TARGET_GAS_PER_VALIDATOR_VERDICT and ratio >= 10,
        "max_round": max_round,
    }


def print_table(measurements: list[Measurement], summary: dict[str, Any]) -> None:
    header = (
        f"{'mode':<8} {'PxV':>6} {'total gas':>12} {'gas/vote':>10}  commit/reveal/finalize/settle"
    )
    print(header)
    print("-" * len(header))
    for m in measurements:
        phases = "/".join(
            f"{m.gas_by_phase[p]}" for p in ("commit", "reveal", "finalize", "settle")
        )
        print(
            f"{m.mode:<8} {f'{m.proposals}x{m.validators}':>6} {m.total_gas:>12,} "
            f"{m.amortized:>10,.0f}  {phases}"
        )
        for note in m.splits:
            print(f"{'':<8} split: {note}")
    print(
        f"\nbest mode at {HEADLINE[0]}x{HEADLINE[1]}: {summary['best_mode']}, "
        f"naive/best = {summary['ratio_naive_over_best']}x, target <= "
        f"{summary['target']} gas and >= 10x: {'met' if summary['meets_target'] else 'MISSED'}"
    )
    mr = summary["max_round"]
    print(
        f"\nmax round ({mr['proposals']} proposals x {mr['validators']} validators), "
        "gas per tx and its share of the 2^24 cap:"
    )
    for name, used in mr["gas"].items():
        print(f"  {name:<22} {used:>12,}  {mr['share_of_cap'][name]:>6.1%}")
    print(f"  first reveal / later reveal = {mr['first_over_later_reveal']}x")
    print(f"  all under 2^24: {'yes' if mr['all_under_cap'] else 'NO'}")


def parse_args() -> argparse.Namespace:
    def ints(text: str) -> tuple[int, ...]:
        return tuple(int(x) for x in text.split(","))

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--proposals", type=ints, default=PROPOSAL_COUNTS)
    parser.add_argument("--validators", type=ints, default=VALIDATOR_COUNTS)
    parser.add_argument("--out", type=Path, default=RESULTS_FILE)
    args = parser.parse_args()
    if HEADLINE[0] not in args.proposals or HEADLINE[1] not in args.validators:
        parser.error(f"the target is judged at {HEADLINE[0]}x{HEADLINE[1]}: include both sizes")
    return args


def main() -> int:
    args = parse_args()
    test_accounts = accounts.test_accounts
    needed = 2 + max(args.validators)
    if len(test_accounts) < needed:
        sys.exit(
            f"error: the bench needs {needed} funded accounts, ape derives "
            f"{len(test_accounts)}; raise `test: number_of_accounts` in ape-config.yaml"
        )
    # Our own Anvil (the test mnemonic, as ape's test accounts), without step tracing.
    with (
        Anvil(accounts=len(test_accounts)) as node,
        networks.parse_network_choice("ethereum:local:foundry", {"host": node.url}),
    ):
        owner, requester = test_accounts[0], test_accounts[1]
        validators = [
            Validator(operator=test_accounts[2 + i], signer=Account.create())
            for i in range(max(args.validators))
        ]
        # The largest transactions first: a failure there shows in minutes, not at the end.
        max_round = run_max_round(owner, requester, validators[:MAX_ROUND_VALIDATORS])
        print(f"  max round: {max_round['gas']}", flush=True)
        measurements = []
        # The aggregate modes first: the naive baseline sends ~90% of all transactions.
        for mode in reversed(MODES):
            for n_validators in args.validators:
                for n_proposals in args.proposals:
                    m = RUNNERS[mode](owner, requester, validators[:n_validators], n_proposals)
                    print(
                        f"  {mode} {n_proposals}x{n_validators}: {m.amortized:,.0f} gas/vote",
                        flush=True,
                    )
                    measurements.append(m)
        measurements.sort(key=lambda m: (MODES.index(m.mode), m.validators, m.proposals))
        summary = summarize(measurements, max_round)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n")
    print_table(measurements, summary)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
