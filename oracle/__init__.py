"""Verdict oracle: off-chain validators that judge transactions with a fine-tuned
classifier and vote on-chain by stake-weighted commit-reveal."""

__version__ = "0.1.0"
