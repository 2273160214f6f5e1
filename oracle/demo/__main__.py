"""`python -m oracle.demo` (what `make demo` runs). Settings: see oracle/demo/settings.py."""

from __future__ import annotations

import signal
import sys
import traceback

from rich.console import Console

from oracle.chain.localnode import LocalNodeError
from oracle.demo.deploy import DeployError
from oracle.demo.follow import FollowTimeout
from oracle.demo.model_setup import ModelSetupError
from oracle.demo.runner import Demo, raise_keyboard_interrupt
from oracle.demo.settings import DemoSettings, SettingsError
from oracle.demo.wallet import DemoTxError
from oracle.explorer.server import ExplorerError

KNOWN_FAILURES = (
    LocalNodeError,
    DeployError,
    DemoTxError,
    ExplorerError,
    FollowTimeout,
    ModelSetupError,
    SettingsError,
)


def main() -> int:
    # Piped output (CI, `tee`) would otherwise be squeezed into 80 columns.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    signal.signal(signal.SIGTERM, raise_keyboard_interrupt)
    # Started in the background by a script, SIGINT arrives ignored; Ctrl-C must always work.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return Demo(DemoSettings.from_env(), console).run()
    except KNOWN_FAILURES as exc:
        console.print(f"[bold red]demo failed:[/] {exc}", markup=True, highlight=False)
        return 1
    except KeyboardInterrupt:
        console.print("stopped (Ctrl-C); everything the demo started was shut down")
        return 130
    except Exception as exc:  # an unexpected failure: short message here, details in a file
        settings = DemoSettings.from_env()
        settings.workdir.mkdir(parents=True, exist_ok=True)
        trace = settings.workdir / "error.log"
        trace.write_text(traceback.format_exc())
        console.print(f"[bold red]demo failed:[/] {type(exc).__name__}: {exc}")
        console.print(f"(traceback in {trace}; everything the demo started was shut down)")
        return 1


if __name__ == "__main__":
    sys.exit(main())
