"""Shared fixtures for the contract tests (ape test, in-process EVM).

Roles: `owner` deploys and governs, `requester` submits proposals, `validators`
stake and vote, `reporter`/`relayer`/`stranger` are bystanders. `oracle` is a
VerdictOracle with short phases (ORACLE_CONFIG); `treasury` a GuardedTreasury
on it. Time travel helpers move the chain to a round's phases. Contract tests
import this module's constants, so keep the names stable.

Factories are session-scoped so that modules can build shared state in
module-scoped fixtures: ape snapshots the chain after each fixture scope and
reverts after every test, so each test still starts from the same state, and
the expensive setup (staking, submitting) runs once per module.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from eth_abi import encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak

# Verdict classes (LABELS.md) and proposal statuses (IVerdictOracle.Status).
LEGAL, FRAUD, ILLICIT, SANCTIONED, MALFORMED = range(5)
NONE, PENDING, FINALIZED, NO_CONSENSUS = range(4)
# Slashed.reason (IValidatorStaking.SlashReason)
NON_REVEAL, INCOHERENT, EQUIVOCATION = range(3)

ROUND_DURATION = 300
REVEAL_DURATION = 150
UNBONDING_PERIOD = 1_000
PROPOSAL_FEE = 10**15
MIN_STAKE = 10**18
STAKE = 10 * 10**18
MODEL_HASH = keccak(b"test-model")

ORACLE_CONFIG: dict[str, Any] = {
    "roundDuration": ROUND_DURATION,
    "revealDuration": REVEAL_DURATION,
    "unbondingPeriod": UNBONDING_PERIOD,
    "proposalFee": PROPOSAL_FEE,
    "maxPayloadSize": 4_096,
    "maxProposalsPerRound": 64,
    "quorumBps": 5_000,
    "supermajorityBps": 6_667,
    "maxRounds": 2,
    "minStake": MIN_STAKE,
    "nonRevealSlashBps": 100,
    "incoherentSlashBps": 500,
    "equivocationSlashBps": 5_000,
    "callbackGasLimit": 100_000,
    "modelHash": MODEL_HASH,
}

TX_REQUEST_TYPE = "(uint256,address,address,uint256,bytes,string)"


# ------------------------------------------------------------------ accounts


@pytest.fixture(scope="session")
def owner(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def requester(accounts):
    return accounts[1]


@pytest.fixture(scope="session")
def validators(accounts):
    """Five funded validator operators (each is also its own signer until setSigner)."""
    return [accounts[i] for i in range(2, 7)]


@pytest.fixture(scope="session")
def reporter(accounts):
    return accounts[7]


@pytest.fixture(scope="session")
def relayer(accounts):
    return accounts[8]


@pytest.fixture(scope="session")
def stranger(accounts):
    return accounts[9]


@pytest.fixture(scope="session")
def stake_amount():
    return STAKE


# ------------------------------------------------------------------ contracts


@pytest.fixture(scope="session")
def deploy_oracle(project, owner):
    """Factory: a VerdictOracle with ORACLE_CONFIG overridden by keyword arguments. The object
    also has the views the oracle answers through its view extension (IOracleViews)."""
    from oracle.chain.oracle_abi import with_views

    def deploy(**overrides: Any) -> Any:
        config = {**ORACLE_CONFIG, **overrides}
        core = owner.deploy(project.VerdictOracle, config, owner.address)
        return with_views(core, project.VerdictOracleViews.contract_type)

    return deploy


@pytest.fixture(scope="session")
def oracle(deploy_oracle):
    return deploy_oracle()


@pytest.fixture(scope="session")
def treasury(project, owner, oracle):
    """A GuardedTreasury owned by `owner`, funded with 100 ETH."""
    contract = owner.deploy(project.GuardedTreasury, oracle.address, owner.address)
    owner.transfer(contract.address, 100 * 10**18)
    return contract


# ------------------------------------------------------------------ payloads


@pytest.fixture(scope="session")
def make_payload(chain):
    """Factory: `abi.encode(TxRequest)` bytes as LABELS.md defines them."""

    def make(
        to: str = "0x000000000000000000000000000000000000dEaD",
        value: int = 10**18,
        data: bytes = b"",
        memo: str = "invoice 2291 for design work",
        sender: str = "0x1111111111111111111111111111111111111111",
        chain_id: int | None = None,
    ) -> bytes:
        chain_id = chain.chain_id if chain_id is None else chain_id
        return encode([TX_REQUEST_TYPE], [(chain_id, sender, to, value, data, memo)])

    return make


@pytest.fixture(scope="session")
def submit(oracle, requester, make_payload):
    """Factory: submit a proposal (default payload and fee); returns its id."""

    def do_submit(payload: bytes | None = None, sender: Any = None, fee: int | None = None) -> int:
        payload = make_payload(memo=f"memo {secrets.token_hex(4)}") if payload is None else payload
        fee = oracle.proposalFee() if fee is None else fee
        tx = oracle.submit(payload, sender=sender or requester, value=fee)
        # From the event: ape's `return_value` re-runs the call on the post-state (next id).
        return int(tx.decode_logs(oracle.ProposalSubmitted)[0].id)

    return do_submit


# ------------------------------------------------------------------ staking and time


@pytest.fixture(scope="session")
def stake_all(oracle, validators):
    """Factory: stake `amount` (default STAKE) for each validator; returns them."""

    def do_stake(
        amount: int | Sequence[int] = STAKE, who: Sequence[Any] | None = None
    ) -> list[Any]:
        who = list(validators if who is None else who)
        amounts = [amount] * len(who) if isinstance(amount, int) else list(amount)
        for account, value in zip(who, amounts, strict=True):
            oracle.stake(sender=account, value=value)
        return who

    return do_stake


@pytest.fixture(scope="session")
def advance_to(chain) -> Callable[[int], None]:
    """Make the next transaction carry timestamp `timestamp` (or later, never earlier)."""

    def advance(timestamp: int) -> None:
        if chain.pending_timestamp < timestamp:
            chain.mine(timestamp=timestamp - 1)

    return advance


class Rounds:
    """Phases of an oracle's voting rounds, and travel to them."""

    def __init__(self, oracle: Any, advance: Callable[[int], None]) -> None:
        self.oracle = oracle
        self.advance = advance

    def timing(self, round_: int) -> tuple[int, int, int]:
        commit_start, reveal_start, reveal_end = self.oracle.roundTiming(round_)
        return int(commit_start), int(reveal_start), int(reveal_end)

    def round_of(self, proposal_id: int) -> int:
        return int(self.oracle.proposal(proposal_id).round)

    def ids(self, round_: int) -> list[int]:
        return [int(i) for i in self.oracle.roundProposals(round_)]

    def to_round_start(self, round_: int) -> None:
        """Start of `round_`'s commit phase (proposals submitted now join `round_ + 1`)."""
        self.advance(self.timing(round_)[0])

    def to_commit(self, round_: int) -> None:
        self.advance(self.timing(round_)[0])

    def to_reveal(self, round_: int) -> None:
        self.advance(self.timing(round_)[1])

    def past_reveal(self, round_: int) -> None:
        self.advance(self.timing(round_)[2])

    def fresh(self) -> int:
        """Jump to the start of the next round; returns the round new proposals will join."""
        current = int(self.oracle.currentRound())
        self.to_round_start(current + 1)
        return current + 2


@pytest.fixture(scope="session")
def rounds(oracle, advance_to):
    return Rounds(oracle, advance_to)


class Voter:
    """Commit-reveal for one round, computing commitments with the contract's own view."""

    def __init__(self, oracle: Any, rounds: Rounds) -> None:
        self.oracle = oracle
        self.rounds = rounds
        self.salts: dict[tuple[int, str], bytes] = {}

    def commit(self, round_: int, validator: Any, verdicts: bytes, sender: Any = None) -> Any:
        salt = secrets.token_bytes(32)
        self.salts[(round_, validator.address)] = salt
        commitment = self.oracle.commitmentFor(round_, validator.address, verdicts, salt)
        return self.oracle.commit(round_, commitment, sender=sender or validator)

    def reveal(self, round_: int, validator: Any, verdicts: bytes, sender: Any = None) -> Any:
        salt = self.salts[(round_, validator.address)]
        return self.oracle.reveal(
            round_, validator.address, verdicts, salt, sender=sender or validator
        )

    def vote(
        self, round_: int, votes: dict[Any, bytes], reveal: Sequence[Any] | None = None
    ) -> None:
        """Everyone in `votes` commits, those in `reveal` (default: all) reveal.

        Ends in the reveal phase."""
        self.rounds.to_commit(round_)
        for validator, verdicts in votes.items():
            self.commit(round_, validator, verdicts)
        self.rounds.to_reveal(round_)
        for validator in votes if reveal is None else reveal:
            self.reveal(round_, validator, votes[validator])


@pytest.fixture(scope="session")
def voter(oracle, rounds):
    return Voter(oracle, rounds)


@pytest.fixture(scope="session")
def new_round(rounds, submit):
    """Factory: fill a fresh round with `n` proposals (no staking); returns `(round, ids)`."""

    def make(n: int = 1) -> tuple[int, list[int]]:
        round_ = rounds.fresh()
        return round_, [submit() for _ in range(n)]

    return make


@pytest.fixture(scope="session")
def open_round(stake_all, rounds, submit):
    """Factory: stake every validator, then fill a fresh round with `n` proposals.

    Returns `(round, ids)`; the chain sits before that round's commit phase."""

    def make(n: int = 1, stakes: int | Sequence[int] = STAKE) -> tuple[int, list[int]]:
        stake_all(stakes)
        round_ = rounds.fresh()
        ids = [submit() for _ in range(n)]
        return round_, ids

    return make


# ------------------------------------------------------------------ EIP-712 signatures

_DOMAIN_FIELDS = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]
_COMMIT_FIELDS = [
    {"name": "round", "type": "uint64"},
    {"name": "commitment", "type": "bytes32"},
    {"name": "validator", "type": "address"},
]
_VERDICT_FIELDS = [
    {"name": "proposalId", "type": "uint256"},
    {"name": "round", "type": "uint64"},
    {"name": "verdict", "type": "uint8"},
]


def _sign(oracle: Any, chain_id: int, primary: str, fields: list, message: dict, key: Any) -> bytes:
    typed = {
        "types": {"EIP712Domain": _DOMAIN_FIELDS, primary: fields},
        "primaryType": primary,
        "domain": {
            "name": "VerdictOracle",
            "version": "1",
            "chainId": chain_id,
            "verifyingContract": oracle.address,
        },
        "message": message,
    }
    private_key = getattr(key, "key", key)  # a LocalAccount or a raw key
    return bytes(Account.sign_message(encode_typed_data(full_message=typed), private_key).signature)


@pytest.fixture(scope="session")
def sign_commit(chain):
    """Factory: EIP-712 `Commit(round, commitment, validator)` signed with `key`."""

    def sign(oracle: Any, round_: int, commitment: bytes, validator: str, key: Any) -> bytes:
        message = {"round": round_, "commitment": bytes(commitment), "validator": validator}
        return _sign(oracle, chain.chain_id, "Commit", _COMMIT_FIELDS, message, key)

    return sign


@pytest.fixture(scope="session")
def sign_verdict(chain):
    """Factory: EIP-712 `Verdict(proposalId, round, verdict)` signed with `key`."""

    def sign(oracle: Any, proposal_id: int, round_: int, verdict: int, key: Any) -> bytes:
        message = {"proposalId": proposal_id, "round": round_, "verdict": verdict}
        return _sign(oracle, chain.chain_id, "Verdict", _VERDICT_FIELDS, message, key)

    return sign


@pytest.fixture(scope="session")
def hot_keys(oracle, validators):
    """A fresh signer key per validator, registered with setSigner (validators must have staked)."""

    def make() -> list[Any]:
        keys = [Account.create() for _ in validators]
        for validator, key in zip(validators, keys, strict=True):
            oracle.setSigner(key.address, sender=validator)
        return keys

    return make


def eth_balance_of(oracle: Any) -> int:
    """The ETH accounting invariant's right-hand side (docs/protocol.md)."""
    return (
        int(oracle.totalActive())
        + int(oracle.totalUnbonding())
        + int(oracle.totalClaimable())
        + int(oracle.undistributedFees())
        + int(oracle.slashedReserve())
    )


def verdicts_of(*classes: int) -> bytes:
    """One verdict byte per proposal, in round order."""
    return bytes(classes)


@pytest.fixture(scope="session", autouse=True)
def _session_fixtures_first(
    owner,
    requester,
    validators,
    reporter,
    relayer,
    stranger,
    oracle,
    deploy_oracle,
    make_payload,
    submit,
    stake_all,
    advance_to,
    rounds,
    voter,
    new_round,
    sign_commit,
    sign_verdict,
    hot_keys,
):
    """Set up the session-scoped fixtures before any module-scoped one.

    ape snapshots the chain per fixture scope; a session fixture first requested
    after a module fixture forces a costly "rebase" (InvalidIsolationWarning)."""
