"""Static analysis of the deployable contracts with Slither; the `make audit` gate.

Runs Slither on each deployable contract through the project's solcjs wrapper, then:
- fails on any high or medium impact finding;
- fails on any low / informational / optimization finding that docs/security.md does not
  triage (a row "| `check` | `Element` | why |" in its Slither table), so a new finding
  is either fixed or justified in writing, never silently accepted;
- writes every finding to .build/slither.json for review.

Usage: python scripts/audit_contracts.py   (from the repository root, after `make setup`)

Why a runner and not the bare `slither` command: Slither 0.11.6 merges the `using L for *`
directives of a contract's parents with `dict.update`, so when two parents each declare one
(OpenZeppelin's ReentrancyGuardTransient `using TransientSlot for *` and EIP712
`using ShortStrings for *`) the later one replaces the earlier. The EIP712 calls
`name.toShortStringWithFallback(...)` then fail to resolve, Slither marks the whole contract
as incorrectly parsed, skips its SSA/alias analysis, and reports every mapping written
through a storage pointer (`Proposal storage p = _proposals[id]; p.x = ...`) as
"uninitialized-state" (high). The patch below merges the lists instead, which is what
Solidity does; with it the IR of every function is generated and the detectors see the
real code.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from oracle.chain.builds import GUARD_IMPORT_PREFIX, PRAGUE

ROOT = Path(__file__).resolve().parent.parent
TARGETS = [
    "contracts/VerdictOracle.sol",
    "contracts/examples/GuardedTreasury.sol",
    "contracts/integrations/OracleSafeGuard.sol",
]
TRIAGE_DOC = ROOT / "docs" / "security.md"
OUT_DIR = ROOT / ".build"  # git-ignored build folder
SOLC = ROOT / "tools" / "solc.cjs"
# Slither compiles the prague build (the one `ape run deploy` picks on Anvil and mainnet).
REMAPS = [
    "@openzeppelin/contracts/=node_modules/@openzeppelin/contracts/",
    "@safe-global/safe-contracts/=node_modules/@safe-global/safe-contracts/",
    f"{GUARD_IMPORT_PREFIX}/={PRAGUE.guard_folder.as_posix()}/",
]
BLOCKING = {"High", "Medium"}
# A triage row in docs/security.md: | `check` | `Element` | justification |
TRIAGE_ROW = re.compile(r"^\|\s*`([a-z0-9-]+)`\s*\|\s*`([^`]+)`\s*\|\s*(\S.*)\|\s*$")


def patch_inherited_using_for() -> None:
    """Merge (not replace) the `using ... for` lists a contract inherits; see module doc."""
    from slither.solc_parsing.declarations.contract import ContractSolc

    original = ContractSolc.analyze_using_for

    def analyze_using_for(self: Any) -> None:
        inherited: dict[Any, list[Any]] = {}
        for father in self._contract.inheritance:
            for key, libraries in father.using_for.items():
                merged = inherited.setdefault(key, [])
                merged.extend(lib for lib in libraries if lib not in merged)
        original(self)
        using_for = self._contract.using_for
        for key, libraries in inherited.items():
            # A fresh list: the original shares the parent's list object with the child.
            combined = list(libraries)
            combined.extend(lib for lib in using_for.get(key, []) if lib not in combined)
            using_for[key] = combined

    ContractSolc.analyze_using_for = analyze_using_for


def run_slither(target: str) -> list[dict[str, Any]]:
    """Every finding Slither reports on `target` (dependencies filtered out)."""
    from slither import Slither
    from slither.detectors import all_detectors
    from slither.detectors.abstract_detector import AbstractDetector

    slither = Slither(
        target,
        solc=str(SOLC),
        solc_remaps=REMAPS,
        # The build settings of ape-config.yaml (via-IR: the Safe guard needs it to compile).
        solc_args=f"--evm-version {PRAGUE.evm_version} --via-ir --optimize",
        filter_paths=["node_modules"],
        exclude_dependencies=True,
    )
    for name in dir(all_detectors):
        detector = getattr(all_detectors, name)
        if isinstance(detector, type) and issubclass(detector, AbstractDetector):
            slither.register_detector(detector)
    findings: list[dict[str, Any]] = []
    for results in slither.run_detectors():
        findings.extend(r for r in results if not _only_in_dependencies(r))
    return findings


def _only_in_dependencies(finding: dict[str, Any]) -> bool:
    files = [
        e.get("source_mapping", {}).get("filename_relative", "")
        for e in finding.get("elements", [])
    ]
    return bool(files) and all(f.startswith("node_modules") for f in files)


def element_name(finding: dict[str, Any]) -> str:
    """`Contract.member` of the finding's first element, stable across line moves."""
    elements = finding.get("elements") or [{}]
    first = elements[0]
    name = str(first.get("name", "?"))
    parent = first.get("type_specific_fields", {}).get("parent", {})
    if first.get("type") == "variable" and parent.get("type") == "function":
        grand = parent.get("type_specific_fields", {}).get("parent", {})
        return f"{grand.get('name', '?')}.{parent.get('name', '?')}.{name}"
    if parent.get("name"):
        return f"{parent['name']}.{name}"
    return name


def load_triage() -> set[tuple[str, str]]:
    if not TRIAGE_DOC.exists():
        return set()
    rows = set()
    for line in TRIAGE_DOC.read_text(encoding="utf-8").splitlines():
        match = TRIAGE_ROW.match(line.strip())
        if match:
            rows.add((match.group(1), match.group(2)))
    return rows


def main() -> int:
    sys.setrecursionlimit(10_000)
    patch_inherited_using_for()
    triage = load_triage()
    report: list[dict[str, Any]] = []
    blocking, untriaged = [], []
    seen: set[tuple[str, str, str]] = set()
    for target in TARGETS:
        print(f"slither {target} ...", flush=True)
        for finding in run_slither(target):
            key = (finding["check"], element_name(finding), finding["description"])
            if key in seen:  # a library or base contract analysed under two targets
                continue
            seen.add(key)
            row = {
                "target": target,
                "check": finding["check"],
                "impact": finding["impact"],
                "confidence": finding["confidence"],
                "element": element_name(finding),
                "description": finding["description"].strip(),
                "triaged": (finding["check"], element_name(finding)) in triage,
            }
            report.append(row)
            if row["impact"] in BLOCKING:
                blocking.append(row)
            elif not row["triaged"]:
                untriaged.append(row)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "slither.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    by_impact: dict[str, int] = {}
    for row in report:
        by_impact[row["impact"]] = by_impact.get(row["impact"], 0) + 1
    print(f"findings by impact: {json.dumps(by_impact, sort_keys=True)}")
    print(f"triaged in docs/security.md: {sum(r['triaged'] for r in report)}/{len(report)}")
    for row in blocking:
        print(f"BLOCKING {row['impact']}: {row['check']} {row['element']}\n  {row['description']}")
    for row in untriaged:
        print(
            f"UNTRIAGED {row['impact']}: | `{row['check']}` | `{row['element']}` | ... |\n"
            f"  {row['description']}\n  fix it, or add a justified row to docs/security.md"
        )
    if blocking or untriaged:
        print(f"audit FAILED: {len(blocking)} high/medium, {len(untriaged)} untriaged")
        return 1
    print("audit passed: no high/medium finding, every other finding triaged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
