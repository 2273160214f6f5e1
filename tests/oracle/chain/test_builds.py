"""The build profiles: the default matches ape-config.yaml; a missing build names its command."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from oracle.chain.builds import PRAGUE, SHANGHAI, BuildError, artifacts_path, build_named

ROOT = Path(__file__).resolve().parents[3]


def test_prague_build__is_what_ape_config_compiles() -> None:
    solidity = yaml.safe_load((ROOT / "ape-config.yaml").read_text())["solidity"]
    assert solidity["evm_version"] == PRAGUE.evm_version
    assert PRAGUE.remapping in solidity["import_remapping"]


def test_guard_folders__each_build_has_one_with_the_guard_file() -> None:
    for build in (PRAGUE, SHANGHAI):
        assert (ROOT / build.guard_folder / "OracleReentrancyGuard.sol").is_file(), build.name


def test_artifacts_path__not_compiled__names_the_make_target(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="make compile-shanghai"):
        artifacts_path(SHANGHAI, root=tmp_path)


def test_build_named__unknown__lists_the_builds() -> None:
    with pytest.raises(BuildError, match="prague, shanghai"):
        build_named("cancun")
