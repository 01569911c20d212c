"""The library API: lint paths or text and get findings back. Never prints."""

from __future__ import annotations

import difflib
import time
from dataclasses import dataclass, field
from pathlib import Path

from detlint.analysis.project import ProjectIndex, ProjectLoader, find_project_root, module_name_for
from detlint.config import Config, Options, load_config
from detlint.discovery import SourceFile, discover
from detlint.engine import FileResult, Selection, lint_source, parse, parse_error_finding
from detlint.finding import Finding
from detlint.fixes import applicable, apply_edits, write_atomically
from detlint.source import Source, SourceError, decode

MAX_FIX_PASSES = 10


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    errors: list[str] = field(default_factory=list)  # internal errors and unreadable paths: exit 2
    fixed: int = 0  # fixes applied (or that would be applied with --diff)
    diffs: list[str] = field(default_factory=list)
    duration: float = 0.0


@dataclass(frozen=True)
class FixMode:
    apply: bool = False  # --fix: write files
    diff: bool = False  # --diff: print what --fix would change, write nothing
    unsafe: bool = False

    @property
    def active(self) -> bool:
        return self.apply or self.diff


def lint_paths(paths: list[str], options: Options | None = None) -> list[Finding]:
    """Lint files and folders with the configuration found for them; the findings, sorted."""
    return run(paths, options or Options()).findings


def lint_text(text: str, path: str = "<stdin>", options: Options | None = None) -> list[Finding]:
    config = load_config(options or Options(), Path(path).parent if path != "<stdin>" else Path.cwd())
    return lint_source(Source(text, "utf-8"), path, config.selection_for(path)).findings


@dataclass
class _Project:
    root: Path
    index: ProjectIndex

    def module_name(self, path: Path | None, display: str) -> str:
        return module_name_for(path if path is not None else Path(display), self.root) or display


def run(paths: list[str], options: Options, *, fix: FixMode = FixMode(), force_exclude: bool = False,
        stdin: bytes | None = None, stdin_filename: str | None = None) -> RunResult:
    started = time.perf_counter()
    result = RunResult()
    anchor = Path(stdin_filename) if stdin is not None and stdin_filename else Path(paths[0] if paths else ".")
    config = load_config(options, anchor if anchor.exists() else Path.cwd())
    root = find_project_root([anchor] if stdin is not None else [Path(p) for p in paths if Path(p).exists()])
    project = _Project(root, ProjectIndex(loader=ProjectLoader(root, config.is_excluded)))
    if stdin is not None:
        display = stdin_filename or "<stdin>"
        if not (force_exclude and stdin_filename and config.is_excluded(Path(stdin_filename))):
            _lint_one(stdin, display, None, config, fix, result, project)
            result.files_checked = 1
    else:
        files, errors = discover(paths, config, force_exclude)
        result.errors.extend(errors)
        for source_file in files:
            _lint_path(source_file, config, fix, result, project)
        result.files_checked = len(files)
    result.findings.sort(key=Finding.sort_key)
    result.duration = time.perf_counter() - started
    return result


def _lint_path(source_file: SourceFile, config: Config, fix: FixMode, result: RunResult, project: _Project) -> None:
    selection = config.selection_for(source_file.display)
    try:
        data = source_file.path.read_bytes()
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        result.findings.append(parse_error_finding(source_file.display, selection, f"cannot read file: {reason}"))
        return
    _lint_one(data, source_file.display, source_file.path, config, fix, result, project)


def _lint_one(data: bytes, display: str, path: Path | None, config: Config, fix: FixMode, result: RunResult,
              project: _Project) -> None:
    selection = config.selection_for(display)
    try:
        source = decode(data)
    except SourceError as error:
        if "DET000" in selection.enabled:
            result.findings.append(parse_error_finding(display, selection, error.message, error.line, error.column))
        return
    module = project.module_name(path, display)
    file_result = lint_source(source, display, selection, project.index, module)
    if fix.active:
        file_result = _fix(source, display, path, selection, fix, file_result, result, project, module)
    result.findings.extend(file_result.findings)
    result.errors.extend(file_result.errors)


def _fix(source: Source, display: str, path: Path | None, selection: Selection, fix: FixMode,
         first: FileResult, result: RunResult, project: _Project, module: str) -> FileResult:
    text = source.text
    current = first
    applied_total = 0
    for _ in range(MAX_FIX_PASSES):
        fixable = applicable(current.findings, fix.unsafe)
        if not fixable:
            break
        new_text, applied = apply_edits(text, fixable)
        if applied == 0 or new_text == text:
            break
        try:
            parse(new_text)
        except SourceError as error:
            current.errors.append(f"{display}: fixes not applied: they would produce invalid code ({error.message})")
            return current
        text = new_text
        applied_total += applied
        current = lint_source(Source(text, source.encoding), display, selection, project.index, module)
    if applied_total == 0:
        return current
    result.fixed += applied_total
    if fix.diff:
        result.diffs.append("".join(difflib.unified_diff(
            source.text.splitlines(keepends=True), text.splitlines(keepends=True),
            fromfile=f"a/{display}", tofile=f"b/{display}")))
        return first
    if path is not None:
        try:
            write_atomically(path, source.encode(text))
        except (OSError, UnicodeEncodeError) as error:
            current.errors.append(f"{display}: fixes not written: {error}")
            return first
    else:
        result.diffs.append(text)  # stdin: the fixed text goes to stdout
    return current
