"""`make demo`: the whole system end to end on a local Anvil (see `oracle/demo/__main__.py`)."""
