"""A JSON array of findings (stable field names, 1-based lines and columns)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from detlint.docs import doc_url
from detlint.finding import Finding
from detlint.fixes import edit_to_dict
from detlint.output import RenderContext
from detlint.output.printable import valid_unicode

if TYPE_CHECKING:
    from detlint.api import RunResult


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    item: dict[str, Any] = {
        "path": valid_unicode(finding.path),  # a name that is not UTF-8 shows its bytes as \xNN
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        "message": finding.message,
        "fixable": finding.fixable,
        "fix": None if finding.fix is None else {
            "message": finding.fix.title,
            "applicability": "safe" if finding.fix.safe else "unsafe",
            "edits": [edit_to_dict(e) for e in finding.fix.edits],
        },
        "url": doc_url(finding.code),
    }
    if finding.cell is not None:
        # Notebooks: line/column are within the cell; fix edits and notebook_line refer to the
        # code cells' concatenated source.
        item["cell"] = finding.cell
        item["notebook_line"] = finding.notebook_line
    return item


def render(result: "RunResult", stream: TextIO, context: RenderContext) -> None:
    json.dump([finding_to_dict(f) for f in result.findings], stream, indent=2, ensure_ascii=False)
    stream.write("\n")
