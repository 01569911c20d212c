"""Adding ``# noqa: DETxxx`` comments: one line at a time, merged with what is already there.

Used by the editor server's "Suppress" action (and by bulk suppression): the result is
checked with the same reader that applies suppressions, so a comment that would not take
effect (a line that ends inside a string, a backslash continuation) is never written.
"""

from __future__ import annotations

import ast
import re
from typing import Iterable

from detlint.suppression import ALL, suppressed_codes

_NOQA_CODES = re.compile(r"(#\s*noqa)(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)


def add_noqa(text: str, line: int, codes: Iterable[str]) -> str | None:
    """``text`` with ``codes`` suppressed on ``line`` (1-based); ``text`` itself when they already
    are; ``None`` when no comment on that line can suppress them without breaking the code."""
    wanted = sorted({code.upper() for code in codes})
    present = suppressed_codes(text).get(line, set())
    if ALL in present or all(code in present for code in wanted):
        return text
    lines = text.splitlines(keepends=True)
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
