"""Helpers for rule tests: lint a snippet and get (code, line, column) triples back."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from detlint.analysis.project import ProjectIndex
from detlint.engine import FileResult, Selection, lint_bytes
from detlint.finding import Finding
from detlint.rules import all_rules

ALL_CODES = frozenset(all_rules())
_EXPECT = re.compile(r"#\s*expect:\s*(?P<items>(?:DET\d{3}@\d+\s*)+)")


def lint_snippet(code: str, *, select: frozenset[str] | set[str] | None = None, path: str = "snippet.py",
                 seed_name: str | None = None, project: ProjectIndex | None = None,
                 module_name: str | None = None) -> FileResult:
    source = textwrap.dedent(code).lstrip("\n")
    selection = Selection(frozenset(select) if select is not None else ALL_CODES, seed_name=seed_name)
    result = lint_bytes(source.encode("utf-8"), path, selection, project, module_name)
    # Every snippet also proves the ast pre-filter sound: without it, the same findings.
    unfiltered = lint_bytes(source.encode("utf-8"), path, selection, project, module_name, prefilter=False)
    assert [(f.code, f.line, f.column, f.message) for f in result.findings] == \
        [(f.code, f.line, f.column, f.message) for f in unfiltered.findings], "pre-filter dropped findings"
    return result


def triples(findings: list[Finding]) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in findings]


def findings_of(code: str, **kwargs: object) -> list[tuple[str, int, int]]:
    result = lint_snippet(code, **kwargs)  # type: ignore[arg-type]
    assert not result.errors, result.errors
    return triples(result.findings)


def expectations(text: str) -> list[tuple[str, int, int]]:
    """Parse ``# expect: DET101@19 DET107@7`` annotations: code and 1-based column on that line."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            for item in match.group("items").split():
                code, column = item.split("@")
                found.append((code, number, int(column)))
    return sorted(found)


def fixture_files() -> list[Path]:
    return sorted((Path(__file__).parent / "fixtures" / "rules").glob("*.py"))
