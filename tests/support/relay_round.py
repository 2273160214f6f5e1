"""A round with three staked validators in its commit phase, for relaying tests."""

from __future__ import annotations

from eth_account import Account

from oracle.chain.client import OracleClient
from oracle.chain.sender import TxSender
from oracle.chain.submitter import Submitter
from oracle.chain.tx_attempts import MemoryAttemptStore
from oracle.chain.tx_manager import TxManager
from tests.support.timetravel import advance_to


def funded(client: OracleClient):  # type: ignore[no-untyped-def]
    acct = Account.create()
    client.w3.provider.make_request("anvil_setBalance", [acct.address, hex(10**21)])  # type: ignore[arg-type]
    return acct


def manager_of(sender: TxSender) -> TxManager:
    """The relaying validator's transaction manager (its attempts kept in memory)."""
    return TxManager(sender, MemoryAttemptStore())


def three_staked_validators_in_a_commit_phase(client: OracleClient, payloads: list[bytes]):  # type: ignore[no-untyped-def]
    """Three staked validators, `payloads` submitted into one round, the chain at its commit
    start: (validators, proposal ids, round, the round's listed proposals)."""
    validators = [funded(client) for _ in range(3)]
    for v in validators:
        client.stake(client.make_sender(v), int(client.param("minStake")))
    advance_to(client, client.round_timing(client.current_round() + 2).commit_start)
    ids = [s.proposal_id for s in Submitter(client, validators[0]).submit(payloads)]
    r = client.proposal(ids[0]).round
    listed = client.round_proposals(r)
    advance_to(client, client.round_timing(r).commit_start)
    return validators, ids, r, listed
