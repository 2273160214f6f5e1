"""Consensus explorer: a read-only web page that watches the oracle contract.

The indexer follows the contract's events incrementally (a block cursor, never a
re-scan), the FastAPI app serves one static page plus JSON endpoints built from
the indexed state, and a server-sent-events stream tells the page when to
refresh. Everything is read from the chain; the explorer holds no keys.
"""
