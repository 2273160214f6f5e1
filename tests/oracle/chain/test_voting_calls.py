"""The client's vote calls against the real contract: relayed commit, reveal, decoded errors."""

from __future__ import annotations

import pytest
from eth_account import Account

from oracle.chain.client import OracleClient
from oracle.chain.eip712 import sign_commit
from oracle.chain.errors import TxReverted
from oracle.chain.submitter import Submitter
from tests.support.timetravel import advance_to
from tests.support.validator_parts import seal_for


def _skip_to_a_fresh_round(client: OracleClient) -> None:
    advance_to(client, client.round_timing(client.current_round() + 2).commit_start)


def test_relayed_commit_then_reveal__is_accepted_and_tallied(client: OracleClient, account) -> None:  # type: ignore[no-untyped-def]
    validator = account
    sender = client.make_sender(validator)
    client.stake(sender, int(client.param("minStake")))
    _skip_to_a_fresh_round(client)  # so the round's stake snapshot comes after this stake
    ids = [s.proposal_id for s in Submitter(client, validator).submit([b"\x05" * 64])]
    r = client.proposal(ids[0]).round
    listed = client.round_proposals(r)
    advance_to(client, client.round_timing(r).commit_start)

    verdicts = bytes([2] * len(listed))
    salt, c = seal_for(client, validator, r, listed, verdicts)
    sig = sign_commit(validator, client.domain, round_=r, commitment=c, validator=validator.address)
    relayer = client.make_sender(Account.create())
    client.w3.provider.make_request("anvil_setBalance", [relayer.address, hex(10**20)])  # type: ignore[arg-type]
    client.commit_relayed(relayer, r, [(validator.address, c, sig)])
    assert client.ballot_of(r, validator.address).commitment == c

    with pytest.raises(TxReverted) as err:
        client.commit(sender, r, c)
    assert err.value.error == "OracleAlreadyCommitted"

    advance_to(client, client.round_timing(r).reveal_start)
    client.reveal(relayer, r, validator.address, verdicts, salt)
    ballot = client.ballot_of(r, validator.address)
    assert ballot.revealed
    assert client.tally_of(ids[0], r)[2] == ballot.stake > 0


def test_relayed_commit__signed_by_another_key__reverts_with_the_named_error(
    client: OracleClient,
    account,  # type: ignore[no-untyped-def]
) -> None:
    sender = client.make_sender(account)
    client.stake(sender, int(client.param("minStake")))
    ids = [s.proposal_id for s in Submitter(client, account).submit([b"\x06" * 64])]
    r = client.proposal(ids[0]).round
    advance_to(client, client.round_timing(r).commit_start)
    c = b"\x01" * 32
    forged = sign_commit(
        Account.create(), client.domain, round_=r, commitment=c, validator=account.address
    )
    with pytest.raises(TxReverted) as err:
        client.commit_relayed(sender, r, [(account.address, c, forged)])
    assert err.value.error == "OracleInvalidSignature"
