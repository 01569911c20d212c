"""How large a file detlint analyses, and where large files are analysed.

Parsing costs memory in proportion to the source: the stdlib ``ast`` stage about 150 bytes per byte
of source, LibCST several hundred (a 1 MB data table takes about 0.9 GB). A file larger than
``max-file-size`` is never parsed: when the text pre-filter finds no rule that could match it (a
generated data table, say) it is skipped like any pre-filtered file; otherwise it is one DET000
saying it was too large to analyse. Files above ``ISOLATE_ABOVE`` are analysed in a child process
(see ``detlint.isolate``).
"""

from __future__ import annotations

import re

MB = 1024 * 1024
DEFAULT_MAX_FILE_SIZE = 1 * MB
ISOLATE_ABOVE = 256 * 1024  # smaller files are analysed in-process: no fork for the common case

_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?\s*", re.IGNORECASE)
_UNITS = {"B": 1, "KB": 1024, "MB": MB, "GB": 1024 * MB}


def parse_size(value: object) -> int | None:
    """A size in bytes from an integer or a string such as ``"2MB"``/``"512 KB"`` (None if invalid)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if not isinstance(value, str):
        return None
    match = _SIZE.fullmatch(value)
    if match is None:
        return None
    size = int(float(match.group(1)) * _UNITS[(match.group(2) or "B").upper()])
    return size if size > 0 else None


def describe_size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f} MB"
    return f"{size / 1024:.0f} kB"


def too_large_message(size: int, limit: int) -> str:
    shown, allowed = describe_size(size), describe_size(limit)
    if shown == allowed:  # just over the limit
        shown, allowed = f"{size:,} bytes", f"{limit:,} bytes"
    return (f"file too large to analyse ({shown} of source > {allowed}, the `max-file-size` limit); "
            "raise `max-file-size` to analyse it")
