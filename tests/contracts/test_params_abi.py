"""oracle.chain.params against the compiled contract: one place fails when a parameter is added.

Every Python user of the deployment parameters (the deploy script's options,
localdeploy, the test configs, the explorer, the benches) derives from
`oracle.chain.params`; these tests hold that module to the constructor's
`OracleConfig` struct in the compiled ABI, field by field and in order.
"""

from __future__ import annotations

import dataclasses

from oracle.chain.oracle_abi import with_views
from oracle.chain.params import (
    DEPLOY_DEFAULTS,
    FIXED_AT_DEPLOYMENT,
    PARAMETER_NAMES,
    SPECS,
    OracleParams,
    problems,
)


def _oracle_config_components(project) -> list[tuple[str, str]]:
    abi = project.VerdictOracle.contract_type.abi
    (constructor,) = [entry for entry in abi if entry.type == "constructor"]
    config = constructor.inputs[0]
    assert config.internal_type.endswith("OracleConfig")
    return [(c.name, c.type) for c in config.components]


def test_oracle_params__fields__match_abi_oracle_config_names_and_order(project):
    components = _oracle_config_components(project)
    assert [name for name, _ in components] == list(PARAMETER_NAMES)
    assert [f.name for f in dataclasses.fields(OracleParams)] == list(PARAMETER_NAMES)


def test_specs__every_uint_field__has_exactly_one_spec(project):
    numeric = [name for name, kind in _oracle_config_components(project) if kind == "uint256"]
    assert list(SPECS) == numeric
    assert [name for name, kind in _oracle_config_components(project) if kind == "bytes32"] == [
        "modelHash"
    ]


def test_specs__owner_setters__exist_in_abi_for_every_mutable_parameter(project):
    # Setters are on the core; getters answer at the oracle's address from the view extension.
    functions = {
        entry.name
        for contract in (project.VerdictOracle, project.VerdictOracleViews)
        for entry in contract.contract_type.abi
        if entry.type == "function"
    }
    for spec in SPECS.values():
        assert spec.name in functions, f"no getter for {spec.name}"
        if spec.name in FIXED_AT_DEPLOYMENT:
            assert spec.setter is None
        else:
            assert spec.setter in functions, f"no setter {spec.setter} for {spec.name}"


def test_defaults__both_sets__deploy_on_the_real_contract(owner, project):
    for params in (OracleParams(), DEPLOY_DEFAULTS):
        assert problems(params) == []
        core = owner.deploy(project.VerdictOracle, params.as_config(), owner.address)
        oracle = with_views(
            core,
            project.VerdictOracleViews.contract_type,
            project.VerdictOracleEquivocation.contract_type,
        )
        for name in SPECS:
            assert getattr(oracle, name)() == getattr(params, name)
        assert bytes(oracle.modelHash()) == bytes.fromhex(params.modelHash[2:])


def test_problems__out_of_range_values__name_each_one():
    bad = DEPLOY_DEFAULTS.with_(quorumBps=0, revealDuration=7, modelHash="0x12")
    found = problems(bad)
    assert any(line.startswith("quorumBps=0 ") for line in found)
    assert any(line.startswith("revealDuration=7 exceeds") for line in found)
    assert any(line.startswith("modelHash:") for line in found)
