"""One staked validator decides proposals by hand: commit, reveal, finalize (Anvil time travel)."""

from __future__ import annotations

from eth_account.signers.local import LocalAccount

from oracle.chain.client import OracleClient
from oracle.chain.commitment import seal_ballot
from tests.support.timetravel import advance_to


def fund(client: OracleClient, account: LocalAccount, wei: int = 10**21) -> None:
    client.w3.provider.make_request("anvil_setBalance", [account.address, hex(wei)])  # type: ignore[arg-type]


def to_fresh_round(client: OracleClient) -> None:
    """Proposals submitted now join a round whose stake snapshot follows every stake so far."""
    advance_to(client, client.round_timing(client.current_round() + 2).commit_start)


def decide(client: OracleClient, validator: LocalAccount, proposal_id: int, verdict: int) -> None:
    """The validator (the only stake) votes `verdict` on the proposal's round; then finalize."""
    sender = client.make_sender(validator)
    round_ = client.proposal(proposal_id).round
    listed = client.round_proposals(round_)
    verdicts = bytes([verdict] * len(listed))
    salt, sealed = seal_ballot(
        validator,
        chain_id=client.chain_id,
        oracle=client.address,
        round_=round_,
        validator=validator.address,
        proposal_ids=listed,
        verdicts=verdicts,
    )
    timing = client.round_timing(round_)
    advance_to(client, timing.commit_start)
    client.commit(sender, round_, sealed)
    advance_to(client, timing.reveal_start)
    client.reveal(sender, round_, validator.address, verdicts, salt)
    advance_to(client, timing.reveal_end)
    client.finalize_many(sender, [proposal_id])
