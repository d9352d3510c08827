"""Get mutants/ ready for `make mutation-resume`: a run that goes on from the last one's results.

Two things mutmut does not do by itself:
- A module edited since its mutants were made is forgotten whole (its mutated copy, results and
  line spans). mutmut would make its mutants again, but from coverage measured on the old mutated
  copy, whose lines are not the source's: it would mutate other lines than the tests reach.
- Every surviving mutant is checked again, as the tests may have changed since; a killed one stays
  killed (tests are added, not weakened).
- Which tests reach which function is measured again (mutmut-stats.json is dropped): mutmut would
  measure only tests that are new by name, so a case added to a golden test would reach nothing new.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
SURVIVED = 0


def mutated_modules() -> list[Path]:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    return [Path(name) for name in settings["only_mutate"]]


def forget_edited(modules: list[Path]) -> list[Path]:
    """The modules whose source is newer than their mutated copy, their mutmut files deleted."""
    forgotten = []
    for module in modules:
        copy = MUTANTS / module
        if copy.exists() and (ROOT / module).stat().st_mtime > copy.stat().st_mtime:
            for path in (copy, copy.with_name(copy.name + ".meta"), copy.with_name(copy.name + ".spans")):
                path.unlink(missing_ok=True)
            forgotten.append(module)
    return forgotten


def check_survivors_again() -> int:
    count = 0
    for meta in MUTANTS.rglob("*.py.meta"):
        data = json.loads(meta.read_text(encoding="utf-8"))
        results = data["exit_code_by_key"]
        again = [name for name, code in results.items() if code == SURVIVED]
        for name in again:
            results[name] = None
        if again:
            meta.write_text(json.dumps(data), encoding="utf-8")
        count += len(again)
    return count


if __name__ == "__main__":
    if not MUTANTS.is_dir():
        raise SystemExit("no mutants/ yet: run `make mutation` first")
    for module in forget_edited(mutated_modules()):
        print(f"edited since its mutants were made, so made again: {module}")
    print(f"surviving mutants to check again: {check_survivors_again()}")
    (MUTANTS / "mutmut-stats.json").unlink(missing_ok=True)
