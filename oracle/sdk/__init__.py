"""A typed client for dApp backends: submit proposals, read and await verdicts, judge Safe txs."""
