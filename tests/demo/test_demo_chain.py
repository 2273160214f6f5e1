"""ORACLE_DEMO_CHAIN: which local chain `make demo` starts."""

from __future__ import annotations

import pytest

from oracle.chain.anvil import Anvil
from oracle.chain.ganache import Ganache
from oracle.demo.runner import NODES
from oracle.demo.settings import DemoSettings, SettingsError


def test_demo_chain__unset__is_anvil() -> None:
    assert DemoSettings.from_env({}).chain == "anvil"
    assert NODES["anvil"] is Anvil


def test_demo_chain__ganache__starts_ganache() -> None:
    assert DemoSettings.from_env({"ORACLE_DEMO_CHAIN": " Ganache "}).chain == "ganache"
    assert NODES["ganache"] is Ganache


def test_demo_chain__unknown__names_the_variable_and_the_choices() -> None:
    with pytest.raises(SettingsError, match=r"ORACLE_DEMO_CHAIN='hardhat'.*anvil, ganache"):
        DemoSettings.from_env({"ORACLE_DEMO_CHAIN": "hardhat"})
