"""Signer consent (issue 9, item 4): a key is bound to an operator only with its own acceptance.

A binding is permanent (a signer serves one operator for ever), so before consent one cheap
account could bind any address to itself and bar it from ever staking, or copy a pending
rotation and take the new key first. Each attack is replayed here and now fails.
"""

from __future__ import annotations

import ape
from eth_account import Account

from tests.support.constants import STAKE
from tests.support.signer_consent import acceptance
from tests.support.vote_signing import Domain, sign_signer_acceptance

ZERO = "0x" + "00" * 20


def test_set_signer__squatter_without_the_keys_acceptance__reverts_and_victim_still_stakes(
    oracle, validators, chain
):
    squatter, victim = validators[:2]
    oracle.stake(sender=squatter, value=STAKE)
    # The best a squatter can offer: the victim's acceptance, signed with its own key.
    deadline = chain.pending_timestamp + 3600
    forged = sign_signer_acceptance(
        Domain(chain.chain_id, oracle.address), squatter.address, squatter, deadline, victim.address
    )
    with ape.reverts(
        oracle.StakingSignerNotAccepted, signer=victim.address, recovered=squatter.address
    ):
        oracle.setSigner(victim.address, deadline, forged, sender=squatter)

    oracle.stake(sender=victim, value=STAKE)  # the address that never accepted registers
    assert oracle.operatorOf(victim.address) == victim.address
    assert oracle.validatorInfo(victim).signer == victim.address


def test_set_signer__copied_acceptance_of_a_pending_rotation__reverts_for_the_copier(
    oracle, validators
):
    operator, attacker = validators[:2]
    oracle.stake(sender=operator, value=STAKE)
    oracle.stake(sender=attacker, value=STAKE)
    new_key = Account.create()
    deadline, signature = acceptance(oracle, operator, new_key)

    # The attacker front-runs with the very arguments it saw in the mempool: the acceptance
    # names the operator, so under the attacker it recovers to some other address.
    with ape.reverts(oracle.StakingSignerNotAccepted, signer=new_key.address):
        oracle.setSigner(new_key.address, deadline, signature, sender=attacker)

    oracle.setSigner(new_key.address, deadline, signature, sender=operator)
    assert oracle.operatorOf(new_key.address) == operator.address
    assert oracle.validatorInfo(operator).signer == new_key.address


def test_set_signer__acceptance_past_its_deadline__reverts(oracle, validators, chain):
    operator = validators[0]
    oracle.stake(sender=operator, value=STAKE)
    key = Account.create()
    deadline, signature = acceptance(oracle, operator, key, deadline=chain.pending_timestamp - 1)
    with ape.reverts(oracle.StakingAcceptanceExpired, signer=key.address, deadline=deadline):
        oracle.setSigner(key.address, deadline, signature, sender=operator)


def test_set_signer__no_acceptance_for_another_key__reverts_recovering_nobody(oracle, validators):
    operator = validators[0]
    oracle.stake(sender=operator, value=STAKE)
    key = Account.create()
    with ape.reverts(oracle.StakingSignerNotAccepted, signer=key.address, recovered=ZERO):
        oracle.setSigner(key.address, chain_far_future(), b"", sender=operator)


def test_set_signer__acceptance_signed_for_another_key__reverts_naming_the_signer(
    oracle, validators
):
    operator = validators[0]
    oracle.stake(sender=operator, value=STAKE)
    key, other = Account.create(), Account.create()
    deadline, signature = acceptance(oracle, operator, other)
    with ape.reverts(oracle.StakingSignerNotAccepted, signer=key.address):
        oracle.setSigner(key.address, deadline, signature, sender=operator)
    assert oracle.operatorOf(key.address) == ZERO


def chain_far_future() -> int:
    return 2**64
