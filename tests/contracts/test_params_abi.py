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
    TIMING_FIELDS,
    OracleParams,
    Param,
    phase_problems,
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


def test_param__order__is_the_mutable_specs_in_oracle_config_order():
    assert [p.name for p in Param] == [n for n in SPECS if n not in FIXED_AT_DEPLOYMENT]
    assert [p.value for p in Param] == list(range(len(Param)))
    for spec in SPECS.values():
        assert (
            spec.param is None if spec.name in FIXED_AT_DEPLOYMENT else spec.param.name == spec.name
        )


def test_param__each_number__is_the_contracts_parameter_of_that_name(oracle, owner):
    # The ABI carries the enum only as uint8, so ask the contract: set each number to its
    # current value and read the name its ParameterChanged event carries.
    for param in Param:
        value = getattr(oracle.parameters(), param.name)
        tx = oracle.setParameter(int(param), value, sender=owner)
        (event,) = tx.decode_logs(oracle.ParameterChanged)
        assert bytes(event.name).rstrip(b"\0").decode() == param.name


def test_views__parameters_and_timing__hold_every_spec(project):
    # Every numeric parameter is readable at the oracle's address: tunable ones in the
    # `parameters()` struct, the fixed timings in `timing()`.
    (parameters,) = [
        e
        for e in project.VerdictOracleViews.contract_type.abi
        if e.type == "function" and e.name == "parameters"
    ]
    (timing,) = [
        e
        for e in project.VerdictOracleViews.contract_type.abi
        if e.type == "function" and e.name == "timing"
    ]
    fields = [c.name for c in parameters.outputs[0].components]
    assert sorted(fields) == sorted([*Param.__members__, "version"])
    assert tuple(o.name for o in timing.outputs) == TIMING_FIELDS
    assert set(SPECS) <= set(fields) | set(TIMING_FIELDS)


def test_defaults__both_sets__deploy_on_the_real_contract(owner, project):
    for params in (OracleParams(), DEPLOY_DEFAULTS):
        assert problems(params) == []
        core = owner.deploy(project.VerdictOracle, params.as_config(), owner.address)
        oracle = with_views(
            core,
            project.VerdictOracleViews.contract_type,
            project.VerdictOracleEquivocation.contract_type,
        )
        current, timing = (
            oracle.parameters(),
            dict(zip(TIMING_FIELDS, oracle.timing(), strict=True)),
        )
        for name in SPECS:
            read = timing[name] if name in FIXED_AT_DEPLOYMENT else getattr(current, name)
            assert read == getattr(params, name)
        assert bytes(oracle.modelHash()) == bytes.fromhex(params.modelHash[2:])


def test_problems__out_of_range_values__name_each_one():
    bad = DEPLOY_DEFAULTS.with_(quorumBps=0, revealDuration=7, modelHash="0x12")
    found = problems(bad)
    assert any(line.startswith("quorumBps=0 ") for line in found)
    assert any(line.startswith("revealDuration=7 exceeds") for line in found)
    assert any(line.startswith("modelHash:") for line in found)


def test_phase_problems__phase_under_two_block_intervals__names_it_in_one_line():
    found = phase_problems(DEPLOY_DEFAULTS, block_interval=12.0)  # 6 s phases, 12 s slots
    assert [line.split()[0] for line in found] == ["roundDuration=6", "revealDuration=6"]
    assert all("\n" not in line and "--" in line and "24 or more" in line for line in found)


def test_phase_problems__long_enough_or_unmeasured__finds_nothing():
    assert phase_problems(DEPLOY_DEFAULTS, block_interval=3.0) == []  # 6 s = 2 blocks exactly
    assert phase_problems(DEPLOY_DEFAULTS, block_interval=None) == []


def test_problems__free_proposals__are_refused():
    assert any(
        line.startswith("proposalFee=0 ") for line in problems(DEPLOY_DEFAULTS.with_(proposalFee=0))
    )
