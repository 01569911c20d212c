"""Applying fixes: text edits in, new text out; files written safely (by the parent process only)."""

from __future__ import annotations

import os
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from detlint.finding import Edit, Finding
from detlint.processes import signals_deferred
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


LOCK_TIMEOUT_SECONDS = 10


class FixNotWritten(Exception):
    """A fixed file was deliberately left as it is; the message says why."""


@dataclass(frozen=True)
class FixedFile:
    """A file's fixed content, computed by a worker and written by the parent process only."""

    path: Path
    display: str
    data: bytes
    applied: int  # how many fixes ``data`` holds
    linted: bytes  # digest of the bytes that were linted (see ``digest``)
    findings_if_unwritten: tuple[Finding, ...]  # what to report should the file not be written


def digest(data: bytes) -> bytes:
    import hashlib  # imported when used: a run that fixes nothing does without it

    return hashlib.sha256(data).digest()


def write_fix(path: Path, linted: bytes, data: bytes) -> None:
    """Replace ``path``'s content with ``data`` if it still is what was linted (``linted`` is its digest).

    Raises :class:`FixNotWritten` for a read-only file or one that changed since it was read (an editor
    saved it, another run fixed it), ``OSError`` when writing fails. The file is never half written:
    a new file is renamed over it, with its mode, owner and group (as far as permitted); a file with
    hard links is written in place instead, so every link sees the fix.
    """
    target = Path(os.path.realpath(path))
    status = os.stat(target)
    if not stat.S_ISREG(status.st_mode):
        raise FixNotWritten("it is no longer a regular file")
    if not status.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise FixNotWritten("the file is read-only")
    with _locked(target), signals_deferred():
        status = os.stat(target)  # as it is under the lock
        if status.st_nlink > 1:
            _write_in_place(target, linted, data)
        else:
            _replace(target, status, linted, data)


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on the file now at ``target``, so that two detlint runs never both
    pass the content check before either replaces the file. A lock taken on a file that was renamed
    over meanwhile is dropped and taken again on the new one."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; the content check alone remains
        yield
        return
    deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
    while True:
        handle = os.open(target, os.O_RDONLY)
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise FixNotWritten("another program keeps the file locked") from None
                    time.sleep(0.01)
            locked, current = os.fstat(handle), os.stat(target)
            if (locked.st_dev, locked.st_ino) == (current.st_dev, current.st_ino):
                yield
                return
        finally:
            os.close(handle)  # releases the lock


def _changed() -> FixNotWritten:
    return FixNotWritten("the file changed while it was being checked (run detlint again)")


def _replace(target: Path, status: os.stat_result, linted: bytes, data: bytes) -> None:
    import tempfile

    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".detlint-tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _chown(temp_name, status)
        os.chmod(temp_name, stat.S_IMODE(status.st_mode))
        if digest(target.read_bytes()) != linted:  # checked last, to keep the window for a lost edit tiny
            raise _changed()
        os.replace(temp_name, target)
    except BaseException:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        raise


def _chown(name: str, status: os.stat_result) -> None:
    if hasattr(os, "chown"):
        for owner in (status.st_uid, -1):  # the owner only root may give; the group any member
            try:
                os.chown(name, owner, status.st_gid)
                return
            except OSError:
                pass


def _write_in_place(target: Path, linted: bytes, data: bytes) -> None:
    with open(target, "r+b") as stream:
        current = stream.read()
        if digest(current) != linted:
            raise _changed()
        try:
            stream.seek(0)
            stream.write(data)
            stream.truncate()
            stream.flush()
            os.fsync(stream.fileno())
        except OSError:
            stream.seek(0)  # put the original back (a full disk still has room for it: it held it)
            stream.write(current)
            stream.truncate()
            stream.flush()
            raise


def edit_to_dict(edit: Edit) -> dict[str, object]:
    return {
        "location": {"line": edit.start_line, "column": edit.start_column + 1},
        "end_location": {"line": edit.end_line, "column": edit.end_column + 1},
        "content": edit.text,
    }
