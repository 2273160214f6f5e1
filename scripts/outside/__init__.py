"""Memos and call shapes of the project's outside evaluation set (never used for training)."""
