"""The rule pages in rules/ are the single source of each rule's documentation; their examples run here."""

from __future__ import annotations

import pytest

from detlint.docs import SECTIONS, docs_dir, load_doc
from detlint.rules import all_rules
from lintutil import lint_snippet

RULES = all_rules()
DEFAULT_CODES = {code for code, rule in RULES.items() if rule.meta.default_enabled}


def test_every_rule_has_a_page_and_every_page_a_rule() -> None:
    pages = {p.stem for p in docs_dir().glob("DET*.md")}
    assert pages == set(RULES)


@pytest.mark.parametrize("code", sorted(RULES))
def test_page_structure_matches_rule(code: str) -> None:
    doc = load_doc(code)
    assert doc is not None
    assert doc.title == f"{code}: {RULES[code].meta.name}"
    assert [s for s in SECTIONS if s in doc.sections] == list(SECTIONS)


@pytest.mark.parametrize("code", sorted(RULES))
def test_bad_example_reports_exactly_this_rule(code: str) -> None:
    doc = load_doc(code)
    assert doc is not None and doc.bad_examples
    for example in doc.bad_examples:
        result = lint_snippet(example, select=DEFAULT_CODES | {code})
        assert {f.code for f in result.findings} == {code}, example


@pytest.mark.parametrize("code", sorted(RULES))
def test_good_example_is_clean(code: str) -> None:
    doc = load_doc(code)
    assert doc is not None and doc.good_examples
    for example in doc.good_examples:
        result = lint_snippet(example, select=DEFAULT_CODES | {code})
        assert result.findings == [], example
