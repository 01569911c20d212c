"""SARIF 2.1.0, with rule metadata and help text taken from the rule pages, as GitHub code scanning
takes it: artifact URIs relative to ``%SRCROOT%`` (the folder detlint ran in), percent-encoded;
``partialFingerprints`` that stay the same when unrelated lines change; notebook results name their cell
and point at the ``.ipynb`` file's own lines."""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from detlint import __version__
from detlint.docs import doc_url, load_doc
from detlint.finding import Finding
from detlint.output import RenderContext
from detlint.output.notebook_regions import NotebookFile
from detlint.output.printable import valid_unicode
from detlint.output.sources import SourceLines
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


SRCROOT = "%SRCROOT%"
FINGERPRINT = "detlintLineHash/v1"


def _artifact_location(path: str, root: Path) -> dict[str, Any]:
    """Relative to ``%SRCROOT%`` (the folder detlint ran in) when the file is inside it, else an absolute
    ``file:`` URI; percent-encoded from the file name's bytes, so any name gives a valid URI."""
    absolute = Path(os.path.normpath(root / path))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(os.fsencode(relative.as_posix())), "uriBaseId": SRCROOT}


def _fingerprint(f: Finding, uri: str, line: str | None, seen: Counter[str]) -> str:
    """The same for a finding after unrelated edits (lines added or removed elsewhere move it, but not
    this): the rule, the file and the flagged line's text without its indentation and spacing, and
    which occurrence of that triple in the file it is."""
    basis = "\0".join((f.code, uri, " ".join((line if line is not None else f.message).split())))
    seen[basis] += 1
    return hashlib.sha256(f"{basis}\0{seen[basis]}".encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _region(f: Finding, notebooks: dict[str, NotebookFile | None]) -> dict[str, Any]:
    """The finding's span. Notebooks: SARIF viewers know no cells, so the region is in the ``.ipynb``
    file's own text (the JSON strings that hold the cell's lines); if that cannot be found, in the
    code cells' concatenated source. The message and the properties name the cell either way."""
    if f.cell is not None:
        if f.path not in notebooks:
            notebooks[f.path] = _notebook_file(f.path)
        notebook = notebooks[f.path]
        start = notebook.position(f.cell, f.line, f.column) if notebook else None
        end = notebook.position(f.cell, f.end_line, f.end_column) if notebook else None
        if start is not None and end is not None:
            return {"startLine": start[0], "startColumn": start[1], "endLine": end[0], "endColumn": end[1]}
    line = f.notebook_line or f.line
    return {"startLine": line, "startColumn": f.column, "endLine": line + (f.end_line - f.line),
            "endColumn": f.end_column}


def _notebook_file(path: str) -> NotebookFile | None:
    try:
        with open(path, "rb") as handle:
            return NotebookFile(handle.read())
    except (OSError, ValueError, AttributeError, TypeError, IndexError, RecursionError):
        return None  # changed since it was linted, or not readable: fall back


def render(result: "RunResult", stream: TextIO, context: RenderContext) -> None:
    codes = sorted(all_rules())
    index = {code: i for i, code in enumerate(codes)}
    root = Path.cwd()
    sources = SourceLines()
    notebooks: dict[str, NotebookFile | None] = {}
    seen: Counter[str] = Counter()
    results = []
    for f in result.findings:
        region = _region(f, notebooks)
        message = f.message if f.cell is None else f"{f.message} (cell {f.cell}, line {f.line})"
        artifact = _artifact_location(f.path, root)
        item: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVEL.get(f.severity, "warning"),
            "message": {"text": valid_unicode(message)},
            "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
            "partialFingerprints": {FINGERPRINT: _fingerprint(f, artifact["uri"], sources.line(f), seen)},
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
            "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri().rstrip("/") + "/"}},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }
    json.dump(log, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
