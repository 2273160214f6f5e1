"""Verdict oracle: off-chain validators that judge transactions with a fine-tuned
classifier and vote on-chain by stake-weighted commit-reveal."""

from oracle.version import __version__

__all__ = ["__version__"]
