"""`oracle stake | unstake | withdraw | set-signer | claim | status` against the real contracts.

Each command signs with a real keystore (a fresh funded account per test) on the shared
Anvil; a refusal by the contract must come back as one line that names the custom error
and says what to do.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eth_account import Account

from oracle.chain.client import OracleClient
from oracle.chain.submitter import Submitter
from oracle.chain.units import parse_amount
from oracle.validator.keys import write_keystore
from tests.support.cli_invoke import invoke_oracle
from tests.support.timetravel import advance_to

PASSWORD_ENV = "OPERATOR_CLI_TEST_PASSWORD"


def _keystore(tmp_path: Path, account) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "operator.json"
    write_keystore(path, account.key, "operator-pw", light=True)
    return path


def _run(client: OracleClient, keystore: Path, *args: str):  # type: ignore[no-untyped-def]
    return invoke_oracle(
        client,
        *args,
        "--keystore",
        str(keystore),
        *([] if args[0] == "status" else ["--password-env", PASSWORD_ENV]),
        env={PASSWORD_ENV: "operator-pw"},
    )


def _staked_keystore(client: OracleClient, tmp_path: Path, account) -> Path:  # type: ignore[no-untyped-def]
    """The operator's keystore after `oracle stake 1` with it succeeded."""
    keystore = _keystore(tmp_path, account)
    assert _run(client, keystore, "stake", "1").exit_code == 0
    return keystore


def _status(client: OracleClient, keystore: Path) -> dict:  # type: ignore[type-arg]
    result = _run(client, keystore, "status", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def _refusal(result, error: str) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ") and error in lines[0], lines[0]
    return lines[0]


def test_stake_unstake_withdraw__full_cycle__status_follows_each_step(
    client: OracleClient, account, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    keystore = _keystore(tmp_path, account)
    assert _status(client, keystore)["registered"] is False

    staked = _run(client, keystore, "stake", "2")
    assert staked.exit_code == 0, staked.output
    state = _status(client, keystore)
    assert (state["registered"], state["active_wei"]) == (True, str(2 * 10**18))
    assert state["signer"] == account.address

    unstaked = _run(client, keystore, "unstake", "2eth")
    assert unstaked.exit_code == 0, unstaked.output
    state = _status(client, keystore)
    assert (state["active_wei"], state["unbonding_wei"]) == ("0", str(2 * 10**18))
    assert state["withdrawable_now"] is False

    line = _refusal(_run(client, keystore, "withdraw"), "StakingStillUnbonding")
    assert "run `oracle withdraw` again after it" in line
    assert client.validator_info(account.address).unbonding == 2 * 10**18  # nothing lost

    advance_to(client, state["withdrawable_at"] + 1)
    before = client.w3.eth.get_balance(account.address)
    withdrew = _run(client, keystore, "withdraw")
    assert withdrew.exit_code == 0, withdrew.output
    assert client.validator_info(account.address).unbonding == 0
    assert client.w3.eth.get_balance(account.address) > before


def test_stake__below_the_minimum__one_line_naming_the_minimum(
    client: OracleClient, account, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    minimum = int(client.param("minStake"))
    line = _refusal(
        _run(client, _keystore(tmp_path, account), "stake", f"{minimum // 2}wei"),
        "StakingBelowMinimum",
    )
    assert "below the minimum stake" in line
    assert client.validator_info(account.address).active == 0


def test_unstake__never_staked__one_line_saying_stake_first(
    client: OracleClient, account, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    line = _refusal(
        _run(client, _keystore(tmp_path, account), "unstake", "1"), "StakingNotValidator"
    )
    assert "oracle stake AMOUNT" in line


def _acceptance(client: OracleClient, tmp_path: Path, hot, operator: str) -> list[str]:  # type: ignore[no-untyped-def]
    """`oracle accept-signer OPERATOR` with the hot key: the set-signer arguments it prints."""
    hot_keystore = tmp_path / f"hot-{hot.address}" / "k.json"
    if not hot_keystore.exists():
        write_keystore(hot_keystore, hot.key, "operator-pw", light=True)
    result = _run(client, hot_keystore, "accept-signer", operator)
    assert result.exit_code == 0, result.output
    words = result.output.split()
    assert words[:3] == ["oracle", "set-signer", hot.address], result.output
    return words[2:]


def test_set_signer__new_key_with_its_acceptance_then_a_taken_one(
    client: OracleClient, account, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    keystore = _staked_keystore(client, tmp_path, account)
    hot = Account.create()
    result = _run(
        client, keystore, "set-signer", *_acceptance(client, tmp_path, hot, account.address)
    )
    assert result.exit_code == 0, result.output
    assert _status(client, keystore)["signer"] == hot.address

    other = Account.create()
    client.w3.provider.make_request("anvil_setBalance", [other.address, hex(10**21)])  # type: ignore[arg-type]
    other_keystore = tmp_path / "other" / "k.json"
    write_keystore(other_keystore, other.key, "operator-pw", light=True)
    assert _run(client, other_keystore, "stake", "1").exit_code == 0
    args = _acceptance(client, tmp_path, hot, other.address)  # the key accepts a second operator
    line = _refusal(_run(client, other_keystore, "set-signer", *args), "StakingSignerTaken")
    assert account.address in line  # names the operator that holds it


def test_set_signer__without_the_keys_acceptance__one_line_saying_how_to_get_it(
    client: OracleClient, account, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    keystore = _staked_keystore(client, tmp_path, account)
    hot = Account.create().address
    result = _run(client, keystore, "set-signer", hot)
    assert result.exit_code != 0
    (line,) = [x for x in result.output.splitlines() if x.strip()]
    assert line.startswith(f"error: {hot} must accept first") and "accept-signer" in line


def test_set_signer__acceptance_for_another_operator__refused_in_one_line(
    client: OracleClient, account, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    keystore = _staked_keystore(client, tmp_path, account)
    hot = Account.create()
    args = _acceptance(client, tmp_path, hot, Account.create().address)
    _refusal(_run(client, keystore, "set-signer", *args), "StakingSignerNotAccepted")
    assert _status(client, keystore)["signer"] == account.address


def test_set_signer__not_an_address__one_line(
    client: OracleClient, account, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    result = _run(client, _keystore(tmp_path, account), "set-signer", "0x1234")
    assert result.exit_code != 0
    assert result.output.startswith("error: '0x1234' is not an address")


def test_claim__nothing_then_a_refunded_fee(client: OracleClient, account, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    keystore = _keystore(tmp_path, account)
    _refusal(_run(client, keystore, "claim"), "OracleNothingToClaim")
    # A proposal nobody votes on ends NoConsensus after maxRounds: its fee is claimable.
    (submitted,) = Submitter(client, account).submit([b"\x05" * 64])
    sender = client.make_sender(account)
    for _ in range(int(client.param("maxRounds")) + 1):
        advance_to(
            client, client.round_timing(client.proposal(submitted.proposal_id).round).reveal_end + 1
        )
        client.finalize_many(sender, [submitted.proposal_id])
        if client.proposal(submitted.proposal_id).status != 1:
            break
    fee = client.claimable(account.address)
    assert fee > 0 and _status(client, keystore)["claimable_wei"] == str(fee)
    result = _run(client, keystore, "claim")
    assert result.exit_code == 0, result.output
    assert client.claimable(account.address) == 0


def test_stake__more_than_the_key_holds__one_line_naming_the_balance(
    client: OracleClient, tmp_path: Path
) -> None:
    poor = Account.create()
    client.w3.provider.make_request("anvil_setBalance", [poor.address, hex(10**15)])  # type: ignore[arg-type]
    line = _refusal(_run(client, _keystore(tmp_path, poor), "stake", "1"), "cannot pay")
    assert poor.address in line and "0.001 ETH" in line


def test_status__operator_option__reads_without_a_key(
    client: OracleClient, account, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    result = invoke_oracle(client, "status", "--operator", account.address)
    assert result.exit_code == 0, result.output
    assert "not registered" in result.output
    assert "signer balance   1000 ETH" in result.output


@pytest.mark.parametrize("amount", ["lots", "0.5wei", "1.5.2eth"])
def test_stake__bad_amount__one_line_before_any_transaction(
    client: OracleClient, account, tmp_path: Path, amount: str
) -> None:  # type: ignore[no-untyped-def]
    result = _run(client, _keystore(tmp_path, account), "stake", amount)
    assert result.exit_code != 0
    assert result.output.startswith("error: amount")
    assert client.validator_info(account.address).active == 0


@pytest.mark.parametrize(
    "text,wei", [("1.5", 15 * 10**17), ("1.5eth", 15 * 10**17), ("20gwei", 2 * 10**10), ("7wei", 7)]
)
def test_parse_amount__units__give_exact_wei(text: str, wei: int) -> None:
    assert parse_amount(text) == wei


def test_parse_amount__negative__refused() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        parse_amount("-1")
