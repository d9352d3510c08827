"""Every shared book through the gates retailers and readers use: EPUBCheck and Ace by DAISY.

Each checker runs once per book for the whole session (see the `gates` fixture), two at a time.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURE_BOOKS, describe

BOOK_NAMES = ["sample", *FIXTURE_BOOKS]


@pytest.mark.parametrize("name", BOOK_NAMES)
def test_epubcheck_reports_nothing(name, gates):
    messages = gates.epubcheck[name]
    assert messages == [], describe(messages)


@pytest.mark.parametrize("name", BOOK_NAMES)
def test_ace_by_daisy_finds_no_violations(name, gates):
    assert gates.ace[name] == []
