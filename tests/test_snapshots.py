"""Per-rule snapshots (like ruff's): each fixture's findings and fixed files, and the rule catalogue,
compared exactly with the generated files under tests/snapshots/. Regenerate them with
``python scripts/update_snapshots.py`` and review the diff.

Also checked on every fixture and doc example: the fix metadata a rule declares matches the fixes
its findings carry, and the rule's pre-filter predicate (``needs=``) holds wherever it reports."""

from __future__ import annotations

import ast
import textwrap
from collections import defaultdict
from pathlib import Path
from typing import Callable

import pytest

from detlint.analysis.syntax import SyntaxIndex, build_index
from detlint.docs import load_doc
from detlint.engine import Selection, lint_bytes
from detlint.finding import Finding
from detlint.rule import RuleMeta
from detlint.rules import all_rules
from snapshotutil import CATALOGUE, RULE_SNAPSHOTS, UPDATE_COMMAND, catalogue, findings, fixture_files, snapshots_of

RULES = all_rules()


@pytest.mark.parametrize("fixture", fixture_files(), ids=lambda p: p.name)
def test_fixture_snapshots(fixture: Path) -> None:
    expected = snapshots_of(fixture)
    stored = {path: path.read_text(encoding="utf-8") for path in RULE_SNAPSHOTS.glob(f"{fixture.stem}.*")}
    assert stored == expected, f"snapshots of {fixture.name} differ; regenerate with `{UPDATE_COMMAND}`"


def test_every_snapshot_belongs_to_a_fixture() -> None:
    stems = {fixture.stem for fixture in fixture_files()}
    orphans = sorted(p.name for p in RULE_SNAPSHOTS.iterdir() if p.name.split(".", 1)[0] not in stems)
    assert orphans == [], f"remove them with `{UPDATE_COMMAND}`"


def test_catalogue_snapshot() -> None:
    assert catalogue() == CATALOGUE.read_text(encoding="utf-8"), f"regenerate with `{UPDATE_COMMAND}`"


# -- every fixture and doc example ------------------------------------------------------------------
def _sources() -> list[tuple[str, str]]:
    """(name, code) of every fixture and every doc example."""
    sources = [(fixture.name, fixture.read_text(encoding="utf-8")) for fixture in fixture_files()]
    for code in RULES:
        doc = load_doc(code)
        assert doc is not None
        for number, example in enumerate((*doc.bad_examples, *doc.good_examples)):
            sources.append((f"{code}.md example {number + 1}", textwrap.dedent(example)))
    return sources


@pytest.fixture(scope="module")
def linted() -> list[tuple[str, str, list[Finding]]]:
    selection = Selection(frozenset(RULES))
    return [(name, code, lint_bytes(code.encode("utf-8"), "snippet.py", selection).findings)
            for name, code in _sources()]


def _fix_metadata_mismatches(meta: RuleMeta, found: list[Finding]) -> list[str]:
    """How the fixes a rule's findings carry contradict what the rule declares."""
    problems = []
    fixes = [f.fix for f in found if f.fix is not None]
    if meta.fix == "never" and fixes:
        problems.append(f"declares fix='never' but {len(fixes)} findings carry a fix")
    if meta.fix == "always" and len(fixes) != len(found):
        problems.append(f"declares fix='always' but {len(found) - len(fixes)} findings carry none")
    if meta.fix == "sometimes" and not fixes:
        problems.append("declares fix='sometimes' but no finding carries a fix")
    if meta.fix_safe and any(not fix.safe for fix in fixes):
        problems.append("declares safe fixes but some fixes are unsafe")
    if not meta.fix_safe and fixes and all(fix.safe for fix in fixes):
        problems.append("declares unsafe fixes but every fix is safe")
    return problems


def test_declared_fix_metadata_matches_the_findings(linted: list[tuple[str, str, list[Finding]]]) -> None:
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for _, _, found in linted:
        for finding in found:
            by_code[finding.code].append(finding)
    assert set(by_code) == set(RULES)  # every rule reports somewhere, so its metadata is checked
    problems = {code: _fix_metadata_mismatches(RULES[code].meta, found) for code, found in by_code.items()}
    assert {code: found for code, found in problems.items() if found} == {}


def test_a_wrong_fix_declaration_is_caught(linted: list[tuple[str, str, list[Finding]]]) -> None:
    found = [f for _, _, findings_ in linted for f in findings_ if f.code == "DET101"]
    meta = RULES["DET101"].meta
    wrong = RuleMeta(meta.code, meta.name, meta.summary, meta.severity, meta.default_enabled, "never", False,
                     meta.imports, meta.words, meta.needs)
    assert _fix_metadata_mismatches(wrong, found) == [
        f"declares fix='never' but {len(found)} findings carry a fix", "declares unsafe fixes but every fix is safe"]


def _unsound(linted: list[tuple[str, str, list[Finding]]],
             needs_of: Callable[[str], Callable[[SyntaxIndex], bool] | None]) -> list[str]:
    """Places where a rule reports although its ``needs`` predicate says it cannot."""
    problems = []
    for name, code, found in linted:
        codes = {f.code for f in found}
        if not codes:
            continue
        try:
            index = build_index(ast.parse(code))
        except SyntaxError:
            continue  # the parse-error rule: no index, nothing to filter
        for rule_code in sorted(codes):
            needs = needs_of(rule_code)
            if needs is not None and not needs(index):
                problems.append(f"{rule_code} reports in {name} but its needs= predicate is false there")
    return problems


def test_prefilter_predicates_hold_wherever_a_rule_reports(linted: list[tuple[str, str, list[Finding]]]) -> None:
    assert _unsound(linted, lambda code: RULES[code].meta.needs) == []


def test_a_wrong_prefilter_predicate_is_caught(linted: list[tuple[str, str, list[Finding]]]) -> None:
    def needs_of(code: str) -> Callable[[SyntaxIndex], bool] | None:
        return (lambda index: False) if code == "DET207" else RULES[code].meta.needs

    problems = _unsound(linted, needs_of)
    assert problems and all(p.startswith("DET207 reports in ") for p in problems)
    assert "DET207 reports in DET207.py but its needs= predicate is false there" in problems
