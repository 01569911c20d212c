"""One file end to end: read -> script or notebook -> cache -> analyse and run the rules -> fix loop ->
positions in notebook cells -> cache.

Every way in goes through here: ``detlint check`` and the library API (``detlint.api``), standard
input, the editor server and the runtime probe. The functions return values and change none of their
arguments. A fixed file is never written here: its bytes come back in :attr:`FileOutcome.write` and
only the parent process writes them (:func:`write_pending`), so a worker process that dies never
leaves half a fix behind.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from detlint.analysis.project import ProjectIndex, module_name_for
from detlint.cache import ResultCache
from detlint.config import Config
from detlint.discovery import SourceFile
from detlint.engine import FileResult, Selection, check_parses, lint_source, parse_error_finding
from detlint.finding import Finding
from detlint.source import Source, SourceError, decode

if TYPE_CHECKING:  # imported where used: a plain check of scripts needs none of them
    from detlint.fixes import FixedFile
    from detlint.notebook import NotebookSource

MAX_FIX_PASSES = 10


@dataclass(frozen=True)
class FixMode:
    apply: bool = False  # --fix: write files
    diff: bool = False  # --diff: print what --fix would change, write nothing
    unsafe: bool = False
    unfixable: frozenset[str] = frozenset()  # codes whose fixes are never applied (--unfixable)
    # Called in the parent process with a fixed file's path right before it is written (editor
    # integrations save their buffer here; tests edit the file to act as a concurrent editor).
    before_write: Callable[[Path], None] | None = field(default=None, compare=False, repr=False)

    @property
    def active(self) -> bool:
        return self.apply or self.diff


@dataclass(frozen=True)
class Project:
    """The project a file belongs to: its root folder and the index of its modules' summaries (which
    fills up as the run goes: the one shared, growing state of a run)."""

    root: Path
    index: ProjectIndex

    def module_name(self, path: Path | None, display: str) -> str:
        return module_name_for(path if path is not None else Path(display), self.root) or display


@dataclass(frozen=True)
class Settings:
    """What every file of one run shares (picklable: it is handed to worker processes)."""

    config: Config
    project: Project | None = None  # None: the file alone, no cross-module facts
    fix: FixMode = FixMode()
    cache: ResultCache | None = None


@dataclass(frozen=True)
class FileOutcome:
    """What checking one file produced (picklable: it crosses process boundaries)."""

    findings: tuple[Finding, ...] = ()
    errors: tuple[str, ...] = ()  # internal errors and fixes that could not be made: exit 2
    fixed: int = 0  # fixes applied (or that --diff shows)
    diff: str | None = None  # --diff: the file's unified diff
    fixed_data: bytes | None = None  # --fix on standard input: the fixed buffer, in the input's format
    write: FixedFile | None = None  # --fix on a file: written by the parent process only (write_pending)


@dataclass(frozen=True)
class _File:
    """One file being checked, as read."""

    data: bytes
    display: str
    path: Path | None  # None: standard input
    source: Source
    notebook: NotebookSource | None
    selection: Selection
    module: str | None


def check_file(source_file: SourceFile, settings: Settings) -> FileOutcome:
    """Read and check one file of the disk."""
    try:
        if not stat.S_ISREG(os.stat(source_file.path).st_mode):
            raise OSError(0, "not a regular file")  # reading a FIFO or a device could block forever
        data = source_file.path.read_bytes()
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        return not_checked(source_file.display, settings, f"cannot read file: {reason}")
    return check_data(data, source_file.display, source_file.path, settings)


def not_checked(display: str, settings: Settings, why: str) -> FileOutcome:
    """One DET000 saying why a file was not analysed."""
    return FileOutcome((parse_error_finding(display, settings.config.selection_for(display), why),))


def check_data(data: bytes, display: str, path: Path | None, settings: Settings) -> FileOutcome:
    """Check a file's bytes (``path`` None: standard input, shown as ``display``): a script, or a
    notebook when ``display`` ends with ``.ipynb``."""
    selection = settings.config.selection_for(display)
    cache, key = settings.cache, None
    if cache is not None:
        key = cache.key(data, display, repr(sorted(selection.enabled)) + repr(sorted(selection.severities.items()))
                        + repr(selection.seed_name))
        cached = cache.get(key, display)
        if cached is not None:
            return FileOutcome(tuple(cached))
    notebook = None
    try:
        if display.endswith(".ipynb"):
            from detlint.notebook import read_notebook  # its NotebookError is a SourceError

            notebook = read_notebook(data)
            if notebook.language != "python":
                return FileOutcome()
            source = Source(notebook.text, "utf-8")
        else:
            source = decode(data)
    except SourceError as error:
        if "DET000" not in selection.enabled:
            return FileOutcome()
        return FileOutcome((parse_error_finding(display, selection, error.message, error.line, error.column),))
    module = settings.project.module_name(path, display) if settings.project is not None else None
    file = _File(data, display, path, source, notebook, selection, module)
    first = _analyse(file, file.source, settings)
    if settings.fix.active:
        outcome = _with_fixes(file, settings, first)
    else:
        outcome = FileOutcome(_placed(first.findings, notebook), tuple(first.errors))
    if cache is not None and key is not None and not outcome.errors:
        index = settings.project.index if settings.project is not None else ProjectIndex()
        cache.put(key, list(outcome.findings), index.dependency_paths(), index.dependency_folders(),
                  index.depends_on_every_module())
    return outcome


def check_text(text: str, display: str, settings: Settings) -> FileOutcome:
    """Check Python source text as it is (no notebook, no cache, no fixes)."""
    selection = settings.config.selection_for(display)
    file = _File(b"", display, None, Source(text, "utf-8"), None, selection, None)
    result = _analyse(file, file.source, settings)
    return FileOutcome(tuple(result.findings), tuple(result.errors))


def write_pending(outcome: FileOutcome, fix: FixMode) -> FileOutcome:
    """Write a worker's fixed file (in the parent process), unless it changed since it was checked or
    cannot be written: then it stays as it is, with its findings and an error (exit 2)."""
    pending = outcome.write
    if pending is None:
        return outcome
    from detlint.fixes import FixNotWritten, write_fix

    if fix.before_write is not None:
        fix.before_write(pending.path)
    try:
        write_fix(pending.path, pending.linted, pending.data)
    except (FixNotWritten, OSError) as error:
        return replace(outcome, write=None, findings=pending.findings_if_unwritten, fixed=outcome.fixed - pending.applied,
                       errors=(*outcome.errors, f"{pending.display}: fixes not written: {error}"))
    return replace(outcome, write=None)


def _analyse(file: _File, source: Source, settings: Settings) -> FileResult:
    if settings.project is None:
        return lint_source(source, file.display, file.selection)
    settings.project.index.begin(file.module)
    return lint_source(source, file.display, file.selection, settings.project.index, file.module)


def _placed(findings: Iterable[Finding], notebook: NotebookSource | None) -> tuple[Finding, ...]:
    if notebook is None:
        return tuple(findings)
    return tuple(_in_cell(finding, notebook) for finding in findings)


def _in_cell(finding: Finding, notebook: NotebookSource) -> Finding:
    """A finding on the notebook's concatenated source, placed in its cell."""
    cell, line = notebook.position(finding.line)
    end_cell, end_line = notebook.position(finding.end_line)
    if end_cell != cell:
        end_line, end_column = line, finding.column
    else:
        end_column = finding.end_column
    return replace(finding, line=line, end_line=end_line, end_column=end_column, cell=cell,
                   notebook_line=finding.line)


@dataclass(frozen=True)
class _FixLoop:
    text: str  # the text with the fixes
    applied: int
    last: FileResult  # the check of ``text``
    error: str | None = None  # why no fix was applied


def _fix_loop(file: _File, settings: Settings, first: FileResult) -> _FixLoop:
    """Apply the fixes, check again and repeat until nothing more is fixable."""
    from detlint.fixes import applicable, apply_edits

    fix = settings.fix
    text, current, applied_total = file.source.text, first, 0
    for _ in range(MAX_FIX_PASSES):
        fixable = [f for f in applicable(current.findings, fix.unsafe) if f.code not in fix.unfixable]
        if not fixable:
            break
        new_text, applied = apply_edits(text, fixable)
        if applied == 0 or new_text == text:
            break
        try:
            check_parses(new_text)
        except SourceError as error:
            return _FixLoop(text, 0, current,
                            f"{file.display}: fixes not applied: they would produce invalid code ({error.message})")
        text = new_text
        applied_total += applied
        current = _analyse(file, Source(text, file.source.encoding), settings)
    return _FixLoop(text, applied_total, current)


def _with_fixes(file: _File, settings: Settings, first: FileResult) -> FileOutcome:
    """The outcome under --fix or --diff: what remains after the fixes, with the fixed bytes to write
    (or print, for standard input) or the diff; what was found before them when they go nowhere."""
    from detlint.fixes import FixedFile, digest
    from detlint.notebook import NotebookError
    from detlint.patch import unified_diff

    loop = _fix_loop(file, settings, first)
    if loop.error is not None:
        return FileOutcome(_placed(loop.last.findings, file.notebook), (*loop.last.errors, loop.error))
    if loop.applied == 0:
        return FileOutcome(_placed(loop.last.findings, file.notebook), tuple(loop.last.errors))
    unfixed = _placed(first.findings, file.notebook)
    display, source, notebook = file.display, file.source, file.notebook
    try:
        new_bytes = notebook.write_back(loop.text) if notebook is not None else None
    except NotebookError as error:
        return FileOutcome(unfixed, (*first.errors, f"{display}: fixes not written: {error.message}"))
    if settings.fix.diff:
        try:
            old_bytes = notebook.write_back(notebook.text) if notebook is not None else source.encode(source.text)
            diff = unified_diff(old_bytes, new_bytes if new_bytes is not None else source.encode(loop.text), display)
        except UnicodeEncodeError as error:
            return FileOutcome(unfixed, (*first.errors, f"{display}: fixes not shown: {error}"), fixed=loop.applied)
        return FileOutcome(unfixed, tuple(first.errors), fixed=loop.applied, diff=diff)
    try:
        fixed_data = new_bytes if new_bytes is not None else source.encode(loop.text)
    except UnicodeEncodeError as error:
        if file.path is not None:
            return FileOutcome(unfixed, (*first.errors, f"{display}: fixes not written: {error}"))
        return FileOutcome(unfixed, (*first.errors, f"{display}: fixes not applied: {error}"), fixed=loop.applied)
    remaining = _placed(loop.last.findings, notebook)
    if file.path is None:  # standard input: the caller prints the fixed buffer; nothing is written
        return FileOutcome(remaining, tuple(loop.last.errors), fixed=loop.applied, fixed_data=fixed_data)
    write = FixedFile(file.path, display, fixed_data, loop.applied, digest(file.data), unfixed)
    return FileOutcome(remaining, tuple(loop.last.errors), fixed=loop.applied, write=write)
