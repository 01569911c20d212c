"""Text from files and file names, made safe to print: control characters shown as visible escapes.

A source line or a file name may hold an escape sequence (``\\x1b[2J``, a title change, a hyperlink)
that a terminal would obey, a carriage return that hides what came before, or bidirectional
controls that reorder what is shown. File names that are not valid UTF-8 reach Python as lone
surrogates (``os.fsdecode``); printed as they are they make invalid UTF-8 or a crash. Each of these
is shown as ``\\xNN`` (``\\uNNNN`` above U+00FF), so what is printed is what is in the file."""

from __future__ import annotations

import functools
import re

# C0 and C1 controls, DEL, bidirectional embedding/override/isolate controls, and surrogates.
_UNSAFE = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"


@functools.lru_cache(maxsize=None)
def _pattern(keep: str) -> re.Pattern[str]:
    unsafe = _UNSAFE
    if keep:
        return re.compile(f"(?![{re.escape(keep)}])[{unsafe}]")
    return re.compile(f"[{unsafe}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, keep: str = "") -> str:
    """``text`` with every control character (except those in ``keep``) written as an escape."""
    if text.isascii() and text.isprintable():  # the common case; every unsafe ASCII character is a control
        return text
    return _pattern(keep).sub(_escape, text)


@functools.lru_cache(maxsize=None)
def _surrogate() -> re.Pattern[str]:
    return re.compile("[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """``text`` with only the bytes that were not UTF-8 escaped (``\\xNN``): for JSON and SARIF strings,
    which must be valid UTF-8 but may carry control characters (JSON escapes them itself)."""
    if text.isascii():
        return text
    return _surrogate().sub(_escape, text)
