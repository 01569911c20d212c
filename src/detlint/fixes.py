"""Applying fixes: text edits in, new text out; files written atomically."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable

from detlint.finding import Edit, Finding
from detlint.source import line_starts


def applicable(findings: Iterable[Finding], unsafe: bool) -> list[Finding]:
    return [f for f in findings if f.fix is not None and (f.fix.safe or unsafe)]


def apply_edits(text: str, findings: list[Finding]) -> tuple[str, int]:
    """Apply the fixes of ``findings`` whose edits do not overlap an earlier accepted fix.
    Returns the new text and how many fixes were applied (the caller re-lints and repeats)."""
    starts = line_starts(text)

    def offset(line: int, column: int) -> int:
        if line - 1 >= len(starts):
            return len(text)
        return min(starts[line - 1] + column, len(text))

    accepted: list[tuple[int, int, str]] = []
    applied = 0
    for finding in sorted(findings, key=Finding.sort_key):
        assert finding.fix is not None
        spans = [(offset(e.start_line, e.start_column), offset(e.end_line, e.end_column), e.text) for e in finding.fix.edits]
        if any(_overlaps(span, other) for span in spans for other in accepted):
            continue
        accepted.extend(spans)
        applied += 1
    for start, end, new in sorted(accepted, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text, applied


def _overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    if a[0] == a[1] and b[0] == b[1]:
        return a[0] == b[0]  # two insertions at one point: order would be ambiguous
    return a[0] < b[1] and b[0] < a[1] or (a[0] == a[1] and b[0] < a[0] < b[1]) or (b[0] == b[1] and a[0] < b[0] < a[1])


def write_atomically(path: Path, data: bytes) -> None:
    """Replace a file's content in one rename: never half written; mode kept; temp removed on error."""
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(os.stat(target).st_mode)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".detlint-tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        raise


def edit_to_dict(edit: Edit) -> dict[str, object]:
    return {
        "location": {"line": edit.start_line, "column": edit.start_column + 1},
        "end_location": {"line": edit.end_line, "column": edit.end_column + 1},
        "content": edit.text,
    }
