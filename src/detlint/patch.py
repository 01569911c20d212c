"""``--diff`` output: a unified diff of a file's bytes that ``git apply`` and ``patch -p1`` apply exactly.

The diff is made on the bytes, not on decoded text, so that any encoding (a Latin-1 coding cookie,
a BOM) and any line ending (CRLF, a lone CR) comes back unchanged: lines are split at ``\\n`` only
(a CR is part of its line), and a last line without a newline gets the ``\\ No newline at end of
file`` marker, so that the next file of a multi-file patch still starts on a line of its own.

The result is a ``str`` holding the bytes decoded as UTF-8 with ``surrogateescape``: readable
for UTF-8 files, and ``diff.encode("utf-8", "surrogateescape")`` gives the exact bytes to write.
"""

from __future__ import annotations

import difflib
import os

NO_NEWLINE = "\\ No newline at end of file\n"
ENCODING, ERRORS = "utf-8", "surrogateescape"


def unified_diff(old: bytes, new: bytes, name: str) -> str:
    """The diff from ``old`` to ``new`` for the file ``name`` (headers ``a/name`` and ``b/name``, the name
    relative to the current folder)."""
    if old == new:
        return ""
    body = difflib.unified_diff(_lines(old), _lines(new), lineterm="\n", n=3)
    name = _relative(name)
    out = [f"--- {_header_name('a/' + name)}\n", f"+++ {_header_name('b/' + name)}\n"]
    for index, line in enumerate(body):
        if index < 2:
            continue  # difflib's own headers: ours quote unusual names
        out.append(line if line.endswith("\n") else line + "\n" + NO_NEWLINE)
    return "".join(out)


def to_bytes(diff: str) -> bytes:
    """The bytes of a diff made by :func:`unified_diff`, as they must be written out."""
    return diff.encode(ENCODING, ERRORS)


def _lines(data: bytes) -> list[str]:
    parts = data.decode(ENCODING, ERRORS).split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _relative(name: str) -> str:
    """The name relative to the current folder, without ``./``: git apply and patch refuse absolute
    names and ``./`` in them, and the diff is applied where detlint ran."""
    path = os.path.normpath(name)
    if os.path.isabs(path):
        try:
            path = os.path.relpath(path)
        except ValueError:  # on another drive (Windows)
            pass
    return path.replace(os.sep, "/")


_QUOTED = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _header_name(name: str) -> str:
    """A name as git writes it in ``---``/``+++`` lines, which GNU patch reads too: C-quoted when it has
    quotes, backslashes or control characters; followed by a tab when it has a space (so that the
    name does not seem to end there)."""
    if any(c in _QUOTED or ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        quoted = "".join(_QUOTED.get(c) or (f"\\{ord(c):03o}" if ord(c) < 0x20 or ord(c) == 0x7F else c)
                         for c in name)
        return f'"{quoted}"'
    return name + "\t" if " " in name else name
