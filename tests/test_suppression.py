"""Inline suppressions are honoured on the finding's line only, and never inside strings."""

from __future__ import annotations

from detlint.rules import all_rules
from lintutil import findings_of

HEADER = "from sklearn.model_selection import train_test_split\n"
# The default rules: the opt-in DET001 would report the unused DET103 in these comments.
DEFAULT = {code for code, rule in all_rules().items() if rule.meta.default_enabled}


def test_noqa_with_code() -> None:
    assert findings_of(HEADER + "a = train_test_split([1, 2])  # noqa: DET101\n") == []


def test_bare_noqa_covers_all() -> None:
    assert findings_of(HEADER + "a = train_test_split([1, 2])  # noqa\n") == []


def test_noqa_with_other_code_does_not_cover() -> None:
    assert findings_of(HEADER + "a = train_test_split([1, 2])  # noqa: E501\n") == [("DET101", 2, 5)]


def test_detlint_ignore_list() -> None:
    code = HEADER + "a = train_test_split([1, 2])  # detlint: ignore[DET103, DET101]\n"
    assert findings_of(code, select=DEFAULT) == []
    code = HEADER + "a = train_test_split([1, 2])  # detlint: ignore[DET103]\n"
    assert findings_of(code, select=DEFAULT) == [("DET101", 2, 5)]


def test_skip_file() -> None:
    assert findings_of("# detlint: skip-file\n" + HEADER + "a = train_test_split([1, 2])\n") == []


def test_markers_inside_strings_do_not_count() -> None:
    code = HEADER + 'a = train_test_split([1, 2]); s = "# noqa"\nt = "# detlint: skip-file"\n'
    assert findings_of(code) == [("DET101", 2, 5)]


def test_suppression_applies_to_the_reported_line_only() -> None:
    code = HEADER + "a = train_test_split(  # noqa: DET101\n    [1, 2],\n)\nb = train_test_split([3])\n"
    assert findings_of(code) == [("DET101", 5, 5)]
