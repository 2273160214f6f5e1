"""Run the oracle CLI with the host clock off by SHIFT seconds: a libfaketime for Python.

    python -m tests.support.shifted_clock +5 validator run --config validator.toml

`time.time()` and `time.time_ns()` (what the validator and its libraries read as wall
time) answer the real wall time plus SHIFT; `time.monotonic()` is left alone, as a
skewed host clock leaves it. For the soak (bench/soak.py) and the e2e tests: a validator
must decide phases on chain time (oracle/chain/chain_clock.py), so a host clock 5 s fast
or slow must not change what it does. Test-only: nothing in oracle/ reads the shift.
"""

from __future__ import annotations

import sys
import time


def shift_host_clock(shift_s: float) -> None:
    real_time, real_time_ns = time.time, time.time_ns
    time.time = lambda: real_time() + shift_s
    time.time_ns = lambda: real_time_ns() + int(shift_s * 1e9)


def launcher(shift_s: float) -> tuple[str, ...]:
    """The `Fleet.start` launcher that runs a member with its clock `shift_s` off."""
    return ("-m", "tests.support.shifted_clock", f"{shift_s:+g}")


if __name__ == "__main__":
    shift_host_clock(float(sys.argv.pop(1)))
    from oracle.cli import app

    app(prog_name="oracle")
