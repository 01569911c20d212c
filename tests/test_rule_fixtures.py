"""Every fixture file under fixtures/rules/ is linted with every rule enabled; the findings must be
exactly the ``# expect: CODE@COLUMN`` annotations (lines without one are the negatives)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lintutil import expectations, fixture_files, lint_snippet, triples


@pytest.mark.parametrize("fixture", fixture_files(), ids=lambda p: p.name)
def test_fixture_findings_match_annotations(fixture: Path) -> None:
    text = fixture.read_text(encoding="utf-8")
    result = lint_snippet(text, path=fixture.name)
    assert not result.errors
    assert sorted(triples(result.findings)) == expectations(text)
