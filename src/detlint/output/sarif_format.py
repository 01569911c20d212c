"""SARIF 2.1.0, with rule metadata and help text taken from the rule pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from detlint import __version__
from detlint.docs import doc_url, load_doc
from detlint.output import RenderContext
from detlint.rules import all_rules

if TYPE_CHECKING:
    from detlint.api import RunResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning"}


def _rule_descriptor(code: str) -> dict[str, Any]:
    rule = all_rules()[code]
    doc = load_doc(code)
    descriptor: dict[str, Any] = {
        "id": code,
        "name": rule.meta.name,
        "shortDescription": {"text": rule.meta.summary},
        "helpUri": doc_url(code),
        "defaultConfiguration": {"level": _LEVEL[rule.meta.severity], "enabled": rule.meta.default_enabled},
        "properties": {"fixable": rule.meta.fix},
    }
    if doc is not None:
        descriptor["fullDescription"] = {"text": doc.summary or rule.meta.summary}
        descriptor["help"] = {"text": doc.text, "markdown": doc.text}
    return descriptor


def _uri(path: str) -> str:
    return quote(Path(path).as_posix())


def render(result: "RunResult", stream: TextIO, context: RenderContext) -> None:
    codes = sorted(all_rules())
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for f in result.findings:
        # Notebooks: SARIF viewers know no cells, so the region is in the code cells' concatenated
        # source; the cell and the line within it are kept as properties.
        line = f.notebook_line or f.line
        region: dict[str, Any] = {
            "startLine": line, "startColumn": f.column, "endLine": line + (f.end_line - f.line),
            "endColumn": f.end_column,
        }
        item: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVEL.get(f.severity, "warning"),
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(f.path)}, "region": region}}],
        }
        if f.cell is not None:
            item["properties"] = {"cell": f.cell, "cellLine": f.line}
        results.append(item)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "detlint",
                "version": __version__,
                "informationUri": "https://github.com/detlint/detlint",
                "rules": [_rule_descriptor(code) for code in codes],
            }},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }
    json.dump(log, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
