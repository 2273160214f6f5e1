"""Shared fixtures for the contract tests (ape test, in-process EVM).

Roles: `owner` deploys and governs, `requester` submits proposals, `validators`
stake and vote, `reporter`/`relayer`/`stranger` are bystanders. `oracle` is a
VerdictOracle with short phases (ORACLE_CONFIG); `treasury` a GuardedTreasury
on it. Time travel helpers move the chain to a round's phases. The constants and
helper classes live in tests/support/ (`from tests.support.constants import STAKE`);
fixture names here stay stable.

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

# The names contract tests import live in tests/support/ (re-exported here for old imports).
from tests.support.constants import (  # noqa: F401
    EQUIVOCATION,
    FINALIZED,
    FRAUD,
    ILLICIT,
    INCOHERENT,
    LEGAL,
    MALFORMED,
    MIN_STAKE,
    MODEL_HASH,
    NO_CONSENSUS,
    NON_REVEAL,
    NONE,
    ORACLE_CONFIG,
    PENDING,
    PROPOSAL_FEE,
    REVEAL_DURATION,
    ROUND_DURATION,
    SANCTIONED,
    STAKE,
    TX_REQUEST_TYPE,
    UNBONDING_PERIOD,
    eth_balance_of,
    verdicts_of,
)
from tests.support.signer_consent import set_signer
from tests.support.vote_signing import Domain
from tests.support.vote_signing import sign_commit as sign_commit_in
from tests.support.vote_signing import sign_verdict as sign_verdict_in
from tests.support.voting import Rounds, Voter, chain_advancer

# ------------------------------------------------------------------ accounts


def _account_at(role: str, index: int):
    """A session fixture named `role`: the test account at `index`."""

    @pytest.fixture(scope="session", name=role)
    def account(accounts):
        return accounts[index]

    return account


# One test account per role; accounts 2-6 are the validators, 10+ are free for single tests.
owner = _account_at("owner", 0)
requester = _account_at("requester", 1)
reporter = _account_at("reporter", 7)
relayer = _account_at("relayer", 8)
stranger = _account_at("stranger", 9)


@pytest.fixture(scope="session")
def validators(accounts):
    """Five funded validator operators (each is also its own signer until setSigner)."""
    return [accounts[i] for i in range(2, 7)]


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
        return with_views(
            core,
            project.VerdictOracleViews.contract_type,
            project.VerdictOracleEquivocation.contract_type,
        )

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
    """Factory: `abi.encode(TxRequest)` bytes as docs/labels.md defines them."""

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
    return chain_advancer(chain)


@pytest.fixture(scope="session")
def rounds(oracle, advance_to, chain):
    return Rounds(oracle, advance_to, chain.chain_id)


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


@pytest.fixture(scope="session")
def sign_commit(chain):
    """Factory: EIP-712 `Commit(round, commitment, validator)` signed with `key`."""

    def sign(oracle: Any, round_: int, commitment: bytes, validator: str, key: Any) -> bytes:
        domain = Domain(chain.chain_id, oracle.address)
        return sign_commit_in(domain, round_, bytes(commitment), validator, key)

    return sign


@pytest.fixture(scope="session")
def sign_verdict(chain):
    """Factory: EIP-712 `Verdict(proposalId, round, payloadHash, modelHash, verdict)` signed
    with `key` (pass a verdict tuple as `*v`)."""

    def sign(
        oracle: Any,
        proposal_id: int,
        round_: int,
        payload_hash: bytes,
        model_hash: bytes,
        verdict: int,
        key: Any,
    ) -> bytes:
        return sign_verdict_in(
            Domain(chain.chain_id, oracle.address),
            proposal_id,
            round_,
            payload_hash,
            model_hash,
            verdict,
            key,
        )

    return sign


@pytest.fixture(scope="session")
def hot_keys(oracle, validators):
    """A fresh signer key per validator, registered with setSigner (validators must have staked)."""

    def make() -> list[Any]:
        keys = [Account.create() for _ in validators]
        for validator, key in zip(validators, keys, strict=True):
            set_signer(oracle, validator, key)
        return keys

    return make


@pytest.fixture(scope="module")
def signers(stake_all, hot_keys):
    """Per module: every validator staked, each with a fresh hot signer key (the keys)."""
    stake_all()
    return hot_keys()


@pytest.fixture(scope="module")
def driver(oracle, chain):
    """Rounds helper bound to this module's chain (phases, ballots, the EIP-712 domain)."""
    return Rounds.on(oracle, chain)


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
