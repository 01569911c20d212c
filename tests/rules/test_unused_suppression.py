"""DET001 unused-or-unknown-suppression: opt-in, exact positions at the comment's '#', messages naming
the codes, safe fixes that remove only what does not apply, and itself suppressible."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cliutil import detlint
from detlint.fixes import apply_edits
from detlint.rules import all_rules
from lintutil import findings_of, lint_snippet

HEADER = "from sklearn.model_selection import train_test_split\n"
DEFAULT = {code for code, rule in all_rules().items() if rule.meta.default_enabled}
WITH_DET001 = DEFAULT | {"DET001"}


def _fixed(code: str, select: set[str] = WITH_DET001) -> str:
    result = lint_snippet(code, select=select)
    fixable = [f for f in result.findings if f.code == "DET001" and f.fix is not None]
    assert fixable, result.findings
    assert all(f.fix is not None and f.fix.safe for f in fixable)
    return apply_edits(code, fixable)[0]


def test_metadata_opt_in_with_a_safe_fix() -> None:
    meta = all_rules()["DET001"].meta
    assert (meta.name, meta.severity, meta.default_enabled, meta.fix, meta.fix_safe) == (
        "unused-or-unknown-suppression", "warning", False, "sometimes", True)


def test_off_by_default() -> None:
    assert findings_of(HEADER + "a = train_test_split([1], random_state=0)  # noqa: DET101\n", select=DEFAULT) == []


def test_unused_code_is_reported_at_the_hash_with_its_code_named() -> None:
    result = lint_snippet(HEADER + "a = train_test_split([1], random_state=0)  # noqa: DET101\n", select=WITH_DET001)
    [finding] = result.findings
    assert (finding.code, finding.line, finding.column, finding.end_line, finding.end_column) == (
        "DET001", 2, 44, 2, 58)
    assert finding.message == "Suppression that does not apply: DET101 reports nothing on this line"


def test_used_suppressions_are_not_reported() -> None:
    for comment in ("# noqa: DET101", "# noqa", "# detlint: ignore[DET101]", "# NOQA:det101"):
        assert findings_of(HEADER + f"a = train_test_split([1])  {comment}\n", select=WITH_DET001) == [], comment


def test_unknown_codes_are_named() -> None:
    result = lint_snippet(HEADER + "a = train_test_split([1])  # noqa: DET101, DET999, DET1O1\n", select=WITH_DET001)
    assert [(f.code, f.line, f.column, f.message) for f in result.findings] == [
        ("DET001", 2, 28, "Suppression that does not apply: DET999, DET1O1 are not detlint rule codes")]


def test_unused_and_unknown_in_one_comment_give_one_finding() -> None:
    result = lint_snippet("x = 1  # detlint: ignore[DET101, E501]\n", select=WITH_DET001)
    assert [(f.code, f.line, f.column, f.message) for f in result.findings] == [
        ("DET001", 1, 8, "Suppression that does not apply: DET101 reports nothing on this line; "
                         "E501 is not a detlint rule code")]


def test_other_tools_codes_in_noqa_and_bare_noqa_are_left_alone() -> None:
    assert findings_of("x = 1  # noqa: E501, BLE001\ny = 2  # noqa\n", select=WITH_DET001) == []


def test_a_rule_that_is_not_enabled_is_not_judged() -> None:
    # DET201 is opt-in and off here: it could not have reported, so its suppression is not "unused"
    assert findings_of("x = 1  # noqa: DET201\n", select=WITH_DET001) == []
    assert findings_of("x = 1  # noqa: DET201\n", select=WITH_DET001 | {"DET201"}) == [("DET001", 1, 8)]


def test_suppression_on_another_line_of_the_statement_is_unused() -> None:
    code = HEADER + "a = train_test_split(\n    [1, 2],\n)  # noqa: DET101\n"
    assert findings_of(code, select=WITH_DET001) == [("DET101", 2, 5), ("DET001", 4, 4)]


def test_det001_is_itself_suppressible() -> None:
    assert findings_of("x = 1  # noqa: DET101, DET001\n", select=WITH_DET001) == []
    assert findings_of("x = 1  # detlint: ignore[DET999, DET001]\n", select=WITH_DET001) == []


def test_lone_carriage_returns_end_lines() -> None:
    code = HEADER.replace("\n", "\r") + "a = train_test_split([1])  # noqa: DET101\rb = 1  # noqa: DET101\r"
    assert findings_of(code, select=WITH_DET001) == [("DET001", 3, 8)]


def test_fix_removes_the_whole_comment_when_it_holds_only_the_directive() -> None:
    code = HEADER + "a = train_test_split([1], random_state=0)  # noqa: DET101\n"
    assert _fixed(code) == HEADER + "a = train_test_split([1], random_state=0)\n"


def test_fix_removes_only_the_unused_codes_when_others_stay() -> None:
    code = HEADER + "a = train_test_split([1])  # noqa: DET103, DET101, E501\n"
    assert _fixed(code) == HEADER + "a = train_test_split([1])  # noqa: DET101, E501\n"
    code = HEADER + "a = train_test_split([1])  # detlint: ignore[DET103, DET101]\n"
    assert _fixed(code) == HEADER + "a = train_test_split([1])  # detlint: ignore[DET101]\n"


def test_fix_keeps_another_tools_marker_before_the_directive() -> None:
    assert _fixed("x = 1  # type: ignore  # noqa: DET101\n") == "x = 1  # type: ignore\n"


def test_no_fix_when_text_follows_the_directive() -> None:
    [finding] = lint_snippet("x = 1  # noqa: DET101 - kept for later\n", select=WITH_DET001).findings
    assert (finding.code, finding.line, finding.column, finding.fix) == ("DET001", 1, 8, None)


def test_cli_extend_select_reports_and_fix_removes(tmp_path: Path) -> None:
    path = tmp_path / "train.py"
    path.write_text(HEADER + "a = train_test_split([1], random_state=0)  # noqa: DET101\n")
    assert detlint("check", "train.py", "--no-cache", cwd=tmp_path).returncode == 0  # opt-in
    result = detlint("check", "train.py", "--no-cache", "--extend-select", "DET001", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert [(f["code"], f["line"], f["column"]) for f in json.loads(result.stdout)] == [("DET001", 2, 44)]
    fixed = detlint("check", "train.py", "--no-cache", "--extend-select", "DET001", "--fix", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert path.read_text() == HEADER + "a = train_test_split([1], random_state=0)\n"


def test_notebook_cell_position(tmp_path: Path) -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Split"]},
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
             "source": [HEADER, "a = train_test_split([1], random_state=0)  # noqa: DET101"]},
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    (tmp_path / "split.ipynb").write_text(json.dumps(notebook, indent=1) + "\n")
    result = detlint("check", "split.ipynb", "--no-cache", "--extend-select", "DET001", "--format", "concise",
                     cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "split.ipynb:cell 2:2:44: DET001 Suppression that does not apply: DET101 reports nothing on this line"]


def test_listed_by_rules_and_explained() -> None:
    listing = detlint("rules", cwd=Path.cwd()).stdout
    assert re.search(r"^DET001\s+unused-or-unknown-suppression\s+warning\s+off \(opt-in\)\s+sometimes, safe\s",
                     listing, re.MULTILINE)
    listed = json.loads(detlint("rules", "--format", "json", cwd=Path.cwd()).stdout)
    [entry] = [r for r in listed if r["code"] == "DET001"]
    assert (entry["default"], entry["fix"], entry["fix_safe"]) == (False, "sometimes", True)
    assert detlint("explain", "DET001", cwd=Path.cwd()).stdout.startswith("# DET001: unused-or-unknown-suppression")
