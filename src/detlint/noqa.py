"""Adding ``# noqa: DETxxx`` comments: one line at a time, merged with what is already there.

Used by the editor server's "Suppress" action (and by bulk suppression): the result is
checked with the same reader that applies suppressions, so a comment that would not take
effect (a line that ends inside a string, a backslash continuation) is never written.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from detlint.finding import Finding
from detlint.fixes import FixNotWritten, digest, write_fix
from detlint.notebook import NotebookError, read_notebook
from detlint.source import SourceError, decode
from detlint.suppression import ALL, suppressed_codes

_NOQA_CODES = re.compile(r"(#\s*noqa)(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)


def add_noqa(text: str, line: int, codes: Iterable[str]) -> str | None:
    """``text`` with ``codes`` suppressed on ``line`` (1-based); ``text`` itself when they already
    are; ``None`` when no comment on that line can suppress them without breaking the code."""
    wanted = sorted({code.upper() for code in codes})
    present = suppressed_codes(text).get(line, set())
    if ALL in present or all(code in present for code in wanted):
        return text
    lines = source_lines(text)
    if not 1 <= line <= len(lines):
        return None
    body = lines[line - 1]
    content = body.rstrip("\r\n")
    ending = body[len(content):]
    merged = _merge_into_existing(content, wanted) if present else None
    new_content = merged if merged is not None else f"{content.rstrip()}  # noqa: {', '.join(wanted)}"
    lines[line - 1] = new_content + ending
    new_text = "".join(lines)
    if not _still_valid(text, new_text):
        return None
    now = suppressed_codes(new_text).get(line, set())
    if not (ALL in now or all(code in now for code in wanted)):
        return None
    return new_text


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def source_lines(text: str) -> list[str]:
    """Lines as Python numbers them (only CR, LF and CRLF end a line), with their endings."""
    return _LINE.findall(text)


def _merge_into_existing(content: str, wanted: list[str]) -> str | None:
    """Extend the line's ``# noqa: A`` comment to ``# noqa: A, B``."""
    match = None
    for candidate in _NOQA_CODES.finditer(content):
        if candidate.group("codes"):
            match = candidate
    if match is None:
        return None
    listed = [c for c in re.split(r"[\s,]+", match.group("codes")) if c]
    merged = listed + [code for code in wanted if code.upper() not in {c.upper() for c in listed}]
    return content[:match.start()] + f"{match.group(1)}: {', '.join(merged)}" + content[match.end():]


def _still_valid(old: str, new: str) -> bool:
    """A comment must not turn code that parsed into code that does not."""
    try:
        ast.parse(old)
    except (SyntaxError, ValueError):
        return True  # it did not parse before; the comment cannot make that worse
    try:
        ast.parse(new)
    except (SyntaxError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class NoqaResult:
    comments: int  # lines that got (or extended) a comment
    files: int
    problems: tuple[str, ...]  # lines that cannot carry a comment, files that could not be written


def add_noqa_to_files(findings: Iterable[Finding]) -> NoqaResult:
    """Suppress every finding where it is reported: ``# noqa: CODES`` on its line, merged with the
    comments already there; notebooks are edited cell by cell. Files are written atomically."""
    by_path: dict[str, dict[int, set[str]]] = {}
    for finding in findings:
        if finding.code == "DET000":
            continue  # a file that does not parse cannot be suppressed line by line
        line = finding.notebook_line if finding.notebook_line is not None else finding.line
        by_path.setdefault(finding.path, {}).setdefault(line, set()).add(finding.code)
    comments, files, problems = 0, 0, []
    for display, lines in sorted(by_path.items()):
        path = Path(display)
        try:
            data = path.read_bytes()
            notebook = read_notebook(data) if display.endswith(".ipynb") else None
            source = None if notebook is not None else decode(data)
        except (OSError, SourceError) as error:  # NotebookError is a SourceError
            problems.append(f"{display}: not changed ({getattr(error, 'message', error)})")
            continue
        text = notebook.text if notebook is not None else source.text  # type: ignore[union-attr]
        changed = 0
        for line, codes in sorted(lines.items()):
            new_text = add_noqa(text, line, codes)
            if new_text is None:
                problems.append(f"{display}:{line}: no comment can suppress {', '.join(sorted(codes))} here")
            elif new_text != text:
                text, changed = new_text, changed + 1
        if not changed:
            continue
        try:
            new_bytes = notebook.write_back(text) if notebook is not None else source.encode(text)  # type: ignore[union-attr]
            write_fix(path, digest(data), new_bytes)  # only if nobody changed the file meanwhile
        except (OSError, UnicodeEncodeError, NotebookError, FixNotWritten) as error:
            problems.append(f"{display}: not changed ({getattr(error, 'message', error)})")
            continue
        comments += changed
        files += 1
    return NoqaResult(comments, files, tuple(problems))
