"""The package version, defined once in pyproject.toml and read from the installed metadata."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def package_version() -> str:
    """`oracle`'s version as pip installed it; `0+unknown` when run from an uninstalled tree."""
    try:
        return version("oracle")
    except PackageNotFoundError:
        return "0+unknown"


__version__ = package_version()
