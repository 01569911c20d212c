"""Snapshots of what each rule fixture produces: the findings (code, position, message, fix) and the
file after ``--fix`` (and after ``--unsafe-fixes`` where that differs), plus the rule catalogue.

``tests/test_snapshots.py`` compares them exactly; ``python scripts/update_snapshots.py``
regenerates them after an intended change (review the diff before committing it).
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from detlint.api import FixMode, run
from detlint.cli import main as cli_main
from detlint.config import Options
from detlint.engine import Selection, lint_bytes
from detlint.finding import Finding
from detlint.rules import all_rules

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "rules"
SNAPSHOTS = ROOT / "tests" / "snapshots"
RULE_SNAPSHOTS = SNAPSHOTS / "rules"
CATALOGUE = SNAPSHOTS / "catalogue.json"
UPDATE_COMMAND = "python scripts/update_snapshots.py"


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.py"))


def findings(fixture: Path) -> list[Finding]:
    """Every rule's findings on a fixture, as the fixture tests see them."""
    result = lint_bytes(fixture.read_bytes(), fixture.name, Selection(frozenset(all_rules())))
    return result.findings


def _finding_record(finding: Finding) -> dict[str, object]:
    fix = None
    if finding.fix is not None:
        fix = {"title": finding.fix.title, "applicability": "safe" if finding.fix.safe else "unsafe"}
    return {"code": finding.code, "line": finding.line, "column": finding.column, "end_line": finding.end_line,
            "end_column": finding.end_column, "message": finding.message, "fix": fix}


def fixed_text(fixture: Path, unsafe: bool) -> str:
    """The fixture after ``detlint check --select DET --fix`` (``--unsafe-fixes`` too when asked), run on
    standard input so nothing is written."""
    result = run([], Options(select=("DET",)), fix=FixMode(apply=True, unsafe=unsafe), stdin=fixture.read_bytes(),
                 stdin_filename=fixture.name, use_cache=False, jobs=1)
    assert not result.errors, result.errors
    return result.fixed_stdin.decode("utf-8") if result.fixed_stdin is not None else fixture.read_text(encoding="utf-8")


def snapshots_of(fixture: Path) -> dict[Path, str]:
    """The snapshot files of one fixture and their expected contents."""
    stem = RULE_SNAPSHOTS / fixture.stem
    records = [_finding_record(f) for f in findings(fixture)]
    expected = {stem.with_suffix(".findings.json"): json.dumps(records, indent=2, ensure_ascii=False) + "\n"}
    source = fixture.read_text(encoding="utf-8")
    safe = fixed_text(fixture, unsafe=False)
    unsafe = fixed_text(fixture, unsafe=True)
    if safe != source:
        expected[stem.with_suffix(".fixed")] = safe
    if unsafe != safe:
        expected[stem.with_suffix(".unsafe-fixed")] = unsafe
    return expected


def catalogue() -> str:
    """What ``detlint rules --format json`` prints."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli_main(["rules", "--format", "json"])
    assert status == 0
    return out.getvalue()


def all_snapshots() -> dict[Path, str]:
    expected = {CATALOGUE: catalogue()}
    for fixture in fixture_files():
        expected.update(snapshots_of(fixture))
    return expected
