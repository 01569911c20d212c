"""Per-file result cache in ``.detlint_cache/``.

An entry is keyed by the file's content hash, its display path, the detlint version and the
effective rule selection; it also records the other project files the result depended on
(seed helpers, custom layers in other modules) with their size and modification time, and is
only used while those are unchanged. Entries are written atomically (temp file + rename), so
concurrent runs are safe; a corrupt or unreadable entry is a miss and is removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from detlint import __version__
from detlint.finding import Edit, Finding, Fix

CACHE_DIR = ".detlint_cache"
_FORMAT = 1


def _stat_key(path: str) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_mtime_ns, info.st_size]


class ResultCache:
    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_DIR / f"v{_FORMAT}"
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(data: bytes, display: str, selection_text: str) -> str:
        digest = hashlib.sha256()
        for part in (__version__.encode(), display.encode("utf-8", "surrogateescape"), selection_text.encode(), data):
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[Finding] | None:
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if entry.get("format") != _FORMAT:
                raise ValueError("old format")
            for dep_path, stat in entry["deps"].items():
                if _stat_key(dep_path) != stat:
                    self.misses += 1
                    return None
            findings = [_finding_from(item) for item in entry["findings"]]
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.misses += 1
            try:
                path.unlink()
            except OSError:
                pass
            return None
        self.hits += 1
        return findings

    def put(self, key: str, findings: list[Finding], deps: list[str]) -> None:
        entry = {
            "format": _FORMAT,
            "deps": {d: _stat_key(d) for d in sorted(deps)},
            "findings": [_finding_to(f) for f in findings],
        }
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            gitignore = self.folder.parent / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n")
            handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump(entry, stream, default=str)
                os.replace(temp, path)
            except BaseException:
                try:
                    os.unlink(temp)
                except OSError:
                    pass
                raise
        except OSError:
            pass  # a read-only checkout simply runs without a cache


def _finding_to(finding: Finding) -> dict[str, Any]:
    item = {
        "path": finding.path, "line": finding.line, "column": finding.column, "end_line": finding.end_line,
        "end_column": finding.end_column, "code": finding.code, "name": finding.name, "severity": finding.severity,
        "message": finding.message, "data": finding.data, "cell": finding.cell,
        "notebook_line": finding.notebook_line, "fix": None,
    }
    if finding.fix is not None:
        item["fix"] = {"title": finding.fix.title, "safe": finding.fix.safe,
                       "edits": [[e.start_line, e.start_column, e.end_line, e.end_column, e.text] for e in finding.fix.edits]}
    return item


def _finding_from(item: dict[str, Any]) -> Finding:
    fix = None
    if item["fix"] is not None:
        fix = Fix(item["fix"]["title"], tuple(Edit(*e) for e in item["fix"]["edits"]), item["fix"]["safe"])
    return Finding(item["path"], item["line"], item["column"], item["end_line"], item["end_column"], item["code"],
                   item["name"], item["severity"], item["message"], fix, item["data"], item["cell"],
                   item["notebook_line"])
