"""The validator's duties, one module each: a frozen snapshot in, a list of typed actions out.

Each module holds a pure decision (no chain, no clock, no store: unit-tested in
tests/oracle/validator/duties/) and a thin executor that gathers the snapshot from the
store and the seen block, and carries the actions out. The engine's tick wires them
(engine.py); judging runs on its own thread (judge_worker.py).
"""
