"""Typed access to the VerdictOracle contract (views and calls of docs/protocol.md).

Views go through `with_retry`; state-changing calls go through a `TxSender`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import partial
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.exceptions import ContractCustomError, ContractLogicError

from oracle.chain.clock_mode import ClockMode
from oracle.chain.deployment import Deployment
from oracle.chain.eip712 import Domain, sign_signer_acceptance
from oracle.chain.errors import ErrorDecoder
from oracle.chain.events import EventReader
from oracle.chain.oracle_abi import named_outputs
from oracle.chain.params import TIMING_FIELDS
from oracle.chain.retry import with_retry
from oracle.chain.round_clock import RoundTiming
from oracle.chain.sender import SentTx, TxSender

# How long a signer's acceptance stays valid by default: long enough to pass it to the
# operator's host and send it, short enough that a stray copy soon means nothing.
ACCEPTANCE_VALID_FOR_S = 3600

# Parameters on the dApp interface (the core), answered without the view extension's hop.
_DAPP_VIEWS = frozenset({"proposalFee", "maxPayloadSize", "modelHash"})


class Status(IntEnum):
    NONE = 0
    PENDING = 1
    FINALIZED = 2
    NO_CONSENSUS = 3


@dataclass(frozen=True)
class RoundInfo:
    size: int
    pending: int
    snapshot: int
    list_hash: bytes


@dataclass(frozen=True)
class OnChainBallot:
    commitment: bytes
    verdicts_hash: bytes
    stake: int
    revealed: bool
    settled: bool

    @property
    def committed(self) -> bool:
        return self.commitment != b"\x00" * 32


@dataclass(frozen=True)
class ProposalView:
    requester: str
    payload_hash: bytes
    model_hash: bytes
    round: int
    attempts: int
    fee: int
    status: Status
    verdict: int


@dataclass(frozen=True)
class ValidatorInfo:
    active: int
    unbonding: int
    withdrawable_at: int
    signer: str


class OracleClient:
    def __init__(
        self,
        w3: Web3,
        deployment: Deployment,
        *,
        on_rpc_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.w3 = w3
        self.deployment = deployment
        self.address = Web3.to_checksum_address(deployment.oracle_address)
        self.abi = deployment.abi("VerdictOracle")
        self.contract = w3.eth.contract(address=self.address, abi=self.abi)
        self.decoder = ErrorDecoder(self.abi)
        self.chain_id = deployment.chain_id
        self.domain = Domain(self.chain_id, self.address)
        self.on_rpc_error = on_rpc_error

    def event_reader(
        self, *names: str, confirmations: int = 0, start_block: int | None = None
    ) -> EventReader:
        """A reader of this oracle's `names` events, from its deployment block unless
        `start_block` says otherwise."""
        return EventReader(
            self.w3,
            address=self.address,
            abi=self.abi,
            event_names=names,
            start_block=self.deployment.deployed_block if start_block is None else start_block,
            confirmations=confirmations,
        )

    # ------------------------------------------------------------------ views

    def _view(self, name: str, *args: Any, block: int | None = None) -> Any:
        """Call view `name`, at block number `block` (None: the node's latest)."""
        fn = getattr(self.contract.functions, name)(*args)
        call = fn.call if block is None else partial(fn.call, block_identifier=block)
        return with_retry(call, on_error=self.on_rpc_error)

    def proposal_count(self) -> int:
        return int(self._view("proposalCount"))

    def current_round(self) -> int:
        return int(self._view("currentRound"))

    def round_timing(self, round_: int) -> RoundTiming:
        a, b, c = self._view("roundTiming", round_)
        return RoundTiming(int(a), int(b), int(c))

    def round_info(self, round_: int, *, block: int | None = None) -> RoundInfo:
        size, pending, snapshot, list_hash = self._view("roundInfo", round_, block=block)
        return RoundInfo(int(size), int(pending), int(snapshot), bytes(list_hash))

    def round_proposals(self, round_: int, *, block: int | None = None) -> list[int]:
        """The round's list at `block` (None: latest); fixed once a block of its commit
        phase exists, so a validator reads it at the block it saw (docs/validator.md)."""
        return [int(x) for x in self._view("roundProposals", round_, block=block)]

    def round_payload_hashes(self, round_: int, *, block: int | None = None) -> dict[int, bytes]:
        """The round's list, each id with its payload hash, in list order: one eth_call
        (`roundPayloadHashes`) where `payload_hashes` costs one per proposal."""
        ids, hashes = self._view("roundPayloadHashes", round_, block=block)
        return {int(i): bytes(h) for i, h in zip(ids, hashes, strict=True)}

    def ballot_of(self, round_: int, validator: str) -> OnChainBallot:
        c, vh, stake, revealed, settled = self._view("ballotOf", round_, validator)
        return OnChainBallot(bytes(c), bytes(vh), int(stake), bool(revealed), bool(settled))

    def tally_of(self, proposal_id: int, round_: int) -> list[int]:
        return [int(x) for x in self._view("tallyOf", proposal_id, round_)]

    def commitment_for(self, round_: int, validator: str, verdicts: bytes, salt: bytes) -> bytes:
        return bytes(self._view("commitmentFor", round_, validator, verdicts, salt))

    def proposal(self, proposal_id: int) -> ProposalView:
        raw = _unwrap_struct(self._view("proposal", proposal_id))
        # The first eight fields are normative (docs/protocol.md); later ones are additions.
        requester, payload_hash, model_hash, rnd, attempts, fee, status, verdict = raw[:8]
        return ProposalView(
            str(requester),
            bytes(payload_hash),
            bytes(model_hash),
            int(rnd),
            int(attempts),
            int(fee),
            Status(int(status)),
            int(verdict),
        )

    def payload_hashes(self, ids: Sequence[int], batch: int = 256) -> dict[int, bytes | None]:
        """`proposal(id).payloadHash` of each id (None: no such proposal), in JSON-RPC batches.

        One HTTP round trip per `batch` ids: a validator checks every proposal of a round
        before it seals its ballot, and one request per proposal would multiply its RPC load.
        """
        out: dict[int, bytes | None] = {}
        for start in range(0, len(ids), batch):
            chunk = list(ids[start : start + batch])
            out.update(
                with_retry(partial(self._payload_hash_batch, chunk), on_error=self.on_rpc_error)
            )
        return out

    def _payload_hash_batch(self, ids: list[int]) -> dict[int, bytes | None]:
        fn = self.contract.get_function_by_name("proposal")
        try:
            with self.w3.batch_requests() as b:
                for pid in ids:
                    b.add(fn(pid))
                replies = b.execute()
        except (ContractCustomError, ContractLogicError):
            # One unknown id fails the whole batch: ask one by one to find which.
            return {pid: self._payload_hash_one(pid) for pid in ids}
        return {pid: _payload_hash_of(raw) for pid, raw in zip(ids, replies, strict=True)}

    def _payload_hash_one(self, pid: int) -> bytes | None:
        try:
            return self.proposal(pid).payload_hash
        except (ContractCustomError, ContractLogicError):
            return None  # OracleUnknownProposal

    def model_hashes(self, ids: Sequence[int], batch: int = 256) -> dict[int, bytes]:
        """`proposal(id).modelHash` of each id (known proposals only), in JSON-RPC batches."""
        fn = self.contract.get_function_by_name("proposal")
        out: dict[int, bytes] = {}
        for start in range(0, len(ids), batch):
            chunk = list(ids[start : start + batch])

            def read(chunk: list[int] = chunk) -> list[Any]:
                with self.w3.batch_requests() as b:
                    for pid in chunk:
                        b.add(fn(pid))
                    return list(b.execute())

            replies = with_retry(read, on_error=self.on_rpc_error)
            out.update(
                {
                    pid: bytes(_unwrap_struct(raw)[2])
                    for pid, raw in zip(chunk, replies, strict=True)
                }
            )
        return out

    def equivocation_report(self, validator: str, round_: int) -> tuple[str, int, int]:
        """(reporter, bounty still held, releasableAt) of `validator`'s equivocation in
        `round_`; the zero address as reporter when none."""
        reporter, bounty, releasable_at = self._view("equivocationReport", validator, round_)
        return str(reporter), int(bounty), int(releasable_at)

    def verdict_of(self, proposal_id: int) -> tuple[Status, int]:
        status, verdict = self._view("verdictOf", proposal_id)
        return Status(int(status)), int(verdict)

    def validator_info(self, validator: str) -> ValidatorInfo:
        active, unbonding, withdrawable_at, signer = self._view("validatorInfo", validator)
        return ValidatorInfo(int(active), int(unbonding), int(withdrawable_at), str(signer))

    def open_ballots_of(self, validator: str) -> int:
        return int(self._view("openBallotsOf", validator))

    def operator_of(self, signer: str) -> str:
        return str(self._view("operatorOf", signer))

    def stake_at(self, validator: str, timepoint: int) -> int:
        return int(self._view("stakeAt", validator, timepoint))

    def total_stake_at(self, timepoint: int) -> int:
        return int(self._view("totalStakeAt", timepoint))

    def claimable(self, account: str) -> int:
        return int(self._view("claimable", account))

    def domain_separator(self) -> bytes:
        return bytes(self._view("DOMAIN_SEPARATOR"))

    def parameters(self) -> dict[str, int]:
        """Every tunable parameter now in force (and its `version`), by name."""
        return self._named("parameters", self._view("parameters"))

    def timing(self) -> dict[str, int]:
        """`genesis`, `roundDuration`, `revealDuration`, `unbondingPeriod`, `clockMode` (fixed
        at deployment; times and durations on the oracle's clock, see `clock_mode`)."""
        return self._named("timing", self._view("timing"))

    def clock_mode(self) -> ClockMode:
        """The oracle's clock (ERC-6372 `CLOCK_MODE()`): timestamps or block numbers."""
        return ClockMode.from_erc6372(str(self._view("CLOCK_MODE")))

    def clock_now(self) -> int:
        """Now on the oracle's clock (`clock()`: the latest block's timestamp or number)."""
        return int(self._view("clock"))

    def quote_submit(self, requester: str) -> int:
        """The exact `msg.value` a submit from `requester` needs: the proposal fee, plus the
        callback deposit when `requester` is a contract the oracle calls back."""
        return int(self._view("quoteSubmit", requester))

    def param(self, name: str) -> Any:
        """One parameter by name, e.g. `proposalFee`, `minStake`, `roundDuration`, `modelHash`."""
        if name in _DAPP_VIEWS:
            return self._view(name)
        if name in TIMING_FIELDS:
            return self.timing()[name]
        return self.parameters()[name]

    def _named(self, function: str, values: Any) -> dict[str, int]:
        return named_outputs(self.contract.get_function_by_name(function).abi, values)

    # ------------------------------------------------------------------ calls

    def fn(self, name: str, *args: Any) -> Any:
        return getattr(self.contract.functions, name)(*args)

    def commit(self, sender: TxSender, round_: int, commitment: bytes) -> SentTx:
        """The caller (sender) must be the validator's operator or signer key."""
        return sender.send_call(self.fn("commit", round_, commitment))

    def commit_relayed(
        self, sender: TxSender, round_: int, commits: Sequence[tuple[str, bytes, bytes]]
    ) -> SentTx:
        """commits: (validator, commitment, signature) each."""
        return sender.send_call(self.fn("commitRelayed", round_, [tuple(c) for c in commits]))

    def reveal(
        self, sender: TxSender, round_: int, validator: str, verdicts: bytes, salt: bytes
    ) -> SentTx:
        return sender.send_call(self.fn("reveal", round_, validator, verdicts, salt))

    def reveal_many(
        self, sender: TxSender, round_: int, reveals: Sequence[tuple[str, bytes, bytes]]
    ) -> SentTx:
        """reveals: (validator, verdicts, salt) each."""
        return sender.send_call(self.fn("revealMany", round_, [tuple(r) for r in reveals]))

    def finalize_many(self, sender: TxSender, ids: Sequence[int]) -> SentTx:
        return sender.send_call(self.fn("finalizeMany", list(ids)))

    def settle(self, sender: TxSender, round_: int, validator: str, verdicts: bytes) -> SentTx:
        return sender.send_call(self.fn("settle", round_, validator, verdicts))

    def settle_many(
        self, sender: TxSender, round_: int, validators: Sequence[str], verdicts: Sequence[bytes]
    ) -> SentTx:
        return sender.send_call(self.fn("settleMany", round_, list(validators), list(verdicts)))

    def stake(self, sender: TxSender, amount: int) -> SentTx:
        return sender.send_call(self.fn("stake"), value=amount)

    def request_unstake(self, sender: TxSender, amount: int) -> SentTx:
        return sender.send_call(self.fn("requestUnstake", amount))

    def withdraw(self, sender: TxSender) -> SentTx:
        return sender.send_call(self.fn("withdraw"))

    def set_signer(
        self, sender: TxSender, signer: str, deadline: int = 0, acceptance: bytes = b""
    ) -> SentTx:
        """Bind `signer` to the sender's operator; `acceptance` is the signer key's consent
        (`oracle.chain.eip712.sign_signer_acceptance`), not needed for the operator's own key."""
        return sender.send_call(self.fn("setSigner", signer, deadline, acceptance))

    def accept_signer(
        self, signer: LocalAccount, operator: str, valid_for_s: int = ACCEPTANCE_VALID_FOR_S
    ) -> tuple[int, bytes]:
        """`signer`'s consent to serve `operator`: (deadline, acceptance) for `set_signer`,
        valid for `valid_for_s` seconds of chain time from the latest block."""
        deadline = int(self.w3.eth.get_block("latest")["timestamp"]) + valid_for_s
        acceptance = sign_signer_acceptance(
            signer, self.domain, operator=operator, deadline=deadline
        )
        return deadline, acceptance

    def claim(self, sender: TxSender) -> SentTx:
        return sender.send_call(self.fn("claim"))

    def report_equivocation(
        self, sender: TxSender, a: tuple[Any, ...], sig_a: bytes, b: tuple[Any, ...], sig_b: bytes
    ) -> SentTx:
        """a, b: `Verdict` tuples (proposalId, round, payloadHash, modelHash, verdict)."""
        return sender.send_call(self.fn("reportEquivocation", a, sig_a, b, sig_b))

    def report_reveal_mismatch(
        self, sender: TxSender, v: tuple[Any, ...], sig: bytes, revealed: bytes
    ) -> SentTx:
        return sender.send_call(self.fn("reportRevealMismatch", v, sig, revealed))

    def release_equivocation_bounty(self, sender: TxSender, validator: str, round_: int) -> SentTx:
        return sender.send_call(self.fn("releaseEquivocationBounty", validator, round_))

    def submit(self, sender: TxSender, payload: bytes, fee: int) -> SentTx:
        return sender.send_call(self.fn("submit", payload), value=fee)

    def make_sender(self, account: Any, **kw: Any) -> TxSender:
        return TxSender(
            self.w3,
            account,
            chain_id=self.chain_id,
            decoder=self.decoder,
            on_rpc_error=self.on_rpc_error,
            **kw,
        )


def _unwrap_struct(raw: Any) -> Any:
    # A struct return may come back as a one-element tuple around the struct.
    if len(raw) == 1 and isinstance(raw[0], tuple | list):
        return raw[0]
    return raw


def _payload_hash_of(raw: Any) -> bytes:
    return bytes(_unwrap_struct(raw)[1])
