"""The mutation score of `make mutation`, module by module, as a Markdown table (docs/testing.md
carries the last one). Reads what mutmut recorded in mutants/; mutants not yet run are counted
apart, so a run stopped early still says what it measured."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).parent / "mutmut"


def statuses() -> dict[str, Counter[str]]:
    """module -> how many of its mutants were killed, survived, timed out, or are not yet run."""
    listing = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for line in listing.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if "__mutmut_" not in name:
            continue
        module = name.split(".x")[0] if ".x_" in name or ".xǁ" in name else name.rsplit(".", 1)[0]
        found[module][status] += 1
    return found


def table(found: dict[str, Counter[str]]) -> str:
    lines = ["| module | mutants run | killed | survived | score | not yet run |", "|---|---|---|---|---|---|"]
    total: Counter[str] = Counter()
    for module in sorted(found):
        counts = found[module]
        total.update(counts)
        lines.append(row(module, counts))
    lines.append(row("**all**", total))
    return "\n".join(lines)


def row(name: str, counts: Counter[str]) -> str:
    killed = counts["killed"] + counts["timeout"]
    run = sum(value for status, value in counts.items() if status not in ("not checked", "checked"))
    waiting = counts["not checked"] + counts["checked"]
    score = f"{100 * killed / run:.1f}%" if run else "–"
    return f"| `{name}` | {run} | {killed} | {counts['survived']} | {score} | {waiting} |"


def survivors() -> str:
    """Each surviving mutant and its change, one line removed and one added, for docs/testing.md."""
    listing = subprocess.run([str(MUTMUT), "results"], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    lines = []
    for name in sorted(line.strip().rpartition(": ")[0] for line in listing.splitlines() if "survived" in line):
        shown = subprocess.run([str(MUTMUT), "show", name], capture_output=True, text=True, cwd=ROOT).stdout
        change = [line for line in shown.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        lines.append(f"{name}\n" + "\n".join(f"    {line.strip()}" for line in change))
    return "\n".join(lines)


if __name__ == "__main__":
    print(survivors() if sys.argv[1:] == ["--survivors"] else table(statuses()))
