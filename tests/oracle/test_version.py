"""The package version: defined once (pyproject.toml), read back from the installed metadata."""

from __future__ import annotations

import tomllib
from pathlib import Path

import oracle
from oracle.version import package_version

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_version__installed_metadata__matches_pyproject():
    declared = tomllib.loads(PYPROJECT.read_text())["project"]["version"]
    # A mismatch means the checkout changed its version without `pip install -e .` (make setup).
    assert package_version() == declared
    assert oracle.__version__ == declared
