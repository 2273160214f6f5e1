"""Compile a non-default build of the contracts into its own artifacts file.

    python tools/compile_build.py shanghai      # `make compile-shanghai`

The default build is `ape compile` (prague, `.build/__local__.json`). This runs the
same ape-solidity compiler on the same sources with `ape-config.yaml`'s settings
and two overrides from `oracle/chain/builds.py`: the EVM version and the folder the
`reentrancy-guard/` import maps to. Guard folders of other builds are left out (the
transient guard does not compile for shanghai). The result goes to the build's own
file (`.build/shanghai.json`), so `.build/__local__.json` stays the default build.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    from oracle.chain.builds import (
        GUARD_FOLDERS,
        GUARD_IMPORT_PREFIX,
        PRAGUE,
        BuildError,
        build_named,
    )

    if len(argv) != 1:
        print("usage: python tools/compile_build.py BUILD   (e.g. shanghai)", file=sys.stderr)
        return 2
    try:
        build = build_named(argv[0])
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if build is PRAGUE:
        print("error: the prague build is the default: run `ape compile`", file=sys.stderr)
        return 2

    os.chdir(ROOT)  # ape's `project` is the folder it starts in
    from ape import compilers, project

    solidity = project.config.solidity
    settings = solidity.model_dump(mode="json", by_alias=True)
    remappings = [
        str(r)
        for r in solidity.import_remapping
        if not str(r).startswith(f"{GUARD_IMPORT_PREFIX}=")
    ] + [build.remapping]
    project.reconfigure(
        solidity={**settings, "evm_version": build.evm_version, "import_remapping": remappings}
    )
    guards = (ROOT / GUARD_FOLDERS).resolve()
    chosen = (ROOT / build.guard_folder).resolve()
    sources = [
        p
        for p in project.sources.paths
        if not p.resolve().is_relative_to(guards) or p.resolve().is_relative_to(chosen)
    ]
    types = list(compilers.compile(sources, project=project))
    out = ROOT / build.artifacts
    out.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "build": build.name,
        "evmVersion": build.evm_version,
        "contractTypes": {
            c.name: c.model_dump(mode="json", by_alias=True) for c in types if c.name
        },
    }
    out.write_text(json.dumps(record) + "\n")
    print(f"compiled {len(record['contractTypes'])} contract types for {build.name} into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
