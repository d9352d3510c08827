"""Every shared book through the gates retailers and readers use: EPUBCheck and Ace by DAISY.

Each checker runs once per book for the whole session (see the `gates` fixture), two at a time.
"""

from __future__ import annotations

import pytest
from conftest import describe

BOOK_NAMES = ["sample", "manuscript", "scripts", "kitchen-sink", "reading-list", "raw-html", "zh-guide", "hebrew"]


@pytest.mark.parametrize("name", BOOK_NAMES)
def test_epubcheck_reports_nothing(name, gates):
    messages = gates.epubcheck[name]
    assert messages == [], describe(messages)


@pytest.mark.parametrize("name", BOOK_NAMES)
def test_ace_by_daisy_finds_no_violations(name, gates):
    assert gates.ace[name] == []
