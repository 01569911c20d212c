"""Inline suppressions: ``# noqa``, ``# noqa: DET101``, ``# detlint: ignore[DET101]``, ``# detlint: skip-file``.

Comments are found with the stdlib tokenizer, so text inside strings never counts.
"""

from __future__ import annotations

import io
import re
import tokenize

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_IGNORE = re.compile(r"#\s*detlint:\s*ignore\[(?P<codes>[^\]]*)\]")
_SKIP_FILE = re.compile(r"#\s*detlint:\s*skip-file\b")

ALL = "*"


def _comments(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                found.append((token.start[0], token.string))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # The parser accepted the file, so fall back to a per-line look for comments.
        for number, line in enumerate(text.splitlines(), start=1):
            index = line.find("#")
            if index >= 0:
                found.append((number, line[index:]))
    return found


def skip_file(text: str) -> bool:
    if "skip-file" not in text:
        return False
    return any(_SKIP_FILE.search(comment) for _, comment in _comments(text))


def suppressed_codes(text: str) -> dict[int, set[str]]:
    """Line number → codes suppressed on it (``ALL`` for a bare ``# noqa``)."""
    result: dict[int, set[str]] = {}
    if "noqa" not in text.lower() and "detlint" not in text:
        return result
    for line, comment in _comments(text):
        codes: set[str] = set()
        for match in _NOQA.finditer(comment):
            listed = match.group("codes")
            codes |= {ALL} if listed is None else {c.upper() for c in re.split(r"[\s,]+", listed) if c}
        for match in _IGNORE.finditer(comment):
            codes |= {c.strip().upper() for c in match.group("codes").split(",") if c.strip()}
        if codes:
            result.setdefault(line, set()).update(codes)
    return result


def is_suppressed(codes_by_line: dict[int, set[str]], line: int, code: str) -> bool:
    codes = codes_by_line.get(line)
    if not codes:
        return False
    return ALL in codes or code in codes
