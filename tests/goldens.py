"""Golden files: what Octavo says and makes for a list of cases, kept in tests/golden/ and compared
whole. After a deliberate change, `OCTAVO_UPDATE_GOLDEN=1 pytest TEST` rewrites the file; read its
diff before committing it."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def matches_golden(name: str, sections: list[tuple[str, str]]) -> None:
    """Each (case, what was said) as a section of tests/golden/NAME, which must hold exactly that."""
    written = "\n".join(f"## {case}\n{said}\n" for case, said in sections)
    path = GOLDEN / name
    if os.environ.get("OCTAVO_UPDATE_GOLDEN"):
        path.write_text(written, encoding="utf-8")
    assert written == path.read_text(encoding="utf-8"), f"tests/golden/{name} differs (see its module's docstring)"
