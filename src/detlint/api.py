"""The library API: lint paths or text and get findings back. Never prints."""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping

from detlint.analysis.project import ProjectIndex, ProjectLoader, find_project_root, module_name_for
from detlint.cache import ResultCache, cache_salt, default_cache_dir
from detlint.config import Config, Options, load_config
from detlint.discovery import SourceFile, discover
from detlint.engine import FileResult, Selection, check_parses, lint_source, parse_error_finding
from detlint.finding import Finding
from detlint.notebook import NotebookError, NotebookSource, read_notebook
from detlint.patch import unified_diff
from detlint.processes import kill_workers, prepare_worker, signals_blocked, stop_on_signals
from detlint.scheduling import file_size, plan_chunks
from detlint.fixes import FixedFile, FixNotWritten, applicable, apply_edits, digest, write_fix
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
    fixed_stdin: bytes | None = None  # --fix on standard input: the fixed buffer, in the input's format


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


PARALLEL_MIN_FILES = 16


@dataclass
class _Outcome:
    """What linting one file produced (picklable: it crosses process boundaries)."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fixed: int = 0
    diffs: list[str] = field(default_factory=list)
    fixed_stdin: bytes | None = None
    write: FixedFile | None = None  # --fix: written by the parent process (_write_fix), never by a worker


@dataclass
class _State:
    """Per-process state of a run: configuration, project index and cache."""

    config: Config
    project: _Project
    fix: FixMode
    cache: ResultCache | None


_worker_state: _State | None = None


def run(paths: list[str], options: Options, *, fix: FixMode = FixMode(), force_exclude: bool = False,
        stdin: bytes | None = None, stdin_filename: str | None = None, use_cache: bool = True,
        jobs: int | None = None, progress: Callable[[int, int], None] | None = None,
        cache_dir: Path | None = None, unsaved: Mapping[str, str] | None = None) -> RunResult:
    """Lint ``paths`` (or ``stdin``). Files are checked in parallel when there are many; output order is
    always the same. ``jobs=1`` forces a single process. ``unsaved`` (absolute path -> text) holds an
    editor's buffers that other modules' summaries read instead of the files on disk."""
    started = time.perf_counter()
    result = RunResult()
    named_stdin = stdin is not None and bool(stdin_filename)
    anchor = Path(stdin_filename) if named_stdin else Path(paths[0] if paths else ".")
    # A buffer's name may be a file not saved yet: its configuration is still that of its folder.
    config = load_config(options, anchor if anchor.exists() or named_stdin else Path.cwd())
    root = find_project_root([anchor] if stdin is not None else [Path(p) for p in paths if Path(p).exists()])
    loader = ProjectLoader(root, config.is_excluded, max_file_size=config.max_file_size, unsaved=unsaved)
    cache = None
    if use_cache and not fix.active and stdin is None and not unsaved:
        cache = ResultCache(cache_dir or default_cache_dir(root), cache_salt(config, root), loader.state_digest)
    state = _State(config, _Project(root, ProjectIndex(loader=loader)), fix, cache)
    if stdin is not None:
        display = stdin_filename or "<stdin>"
        if not (force_exclude and stdin_filename and config.is_excluded(Path(stdin_filename))):
            _merge(result, _lint_data(stdin, display, None, state))
            result.files_checked = 1
    else:
        files, errors = discover(paths, config, force_exclude)
        result.errors.extend(errors)
        loader.will_lint(source_file.path for source_file in files)
        workers = _worker_count(len(files), jobs)
        if workers > 1:
            outcomes = _parallel(files, state, workers, progress)
        else:
            outcomes = _serial(files, state, progress)
        for outcome in outcomes:
            _merge(result, outcome)
        result.files_checked = len(files)
    if cache is not None:
        cache.prune_if_due()
    result.findings.sort(key=Finding.sort_key)
    result.duration = time.perf_counter() - started
    return result


def _worker_count(files: int, jobs: int | None) -> int:
    if jobs is not None:
        return max(1, jobs)
    if files < PARALLEL_MIN_FILES:
        return 1
    return max(1, min(os.cpu_count() or 1, files // 4))


def _serial(files: list[SourceFile], state: _State, progress: Callable[[int, int], None] | None) -> list[_Outcome]:
    outcomes = []
    for done, source_file in enumerate(files, start=1):
        outcomes.append(_write_fix(_lint_file(source_file, state), state.fix))
        if progress is not None:
            progress(done, len(files))
    return outcomes


def _init_worker(state: _State, parent_pid: int) -> None:
    global _worker_state
    prepare_worker(parent_pid)
    _worker_state = state


def _work(chunk: list[SourceFile]) -> list[_Outcome]:
    assert _worker_state is not None
    return [_lint_file(source_file, _worker_state) for source_file in chunk]


def _parallel(files: list[SourceFile], state: _State, workers: int,
              progress: Callable[[int, int], None] | None) -> list[_Outcome]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    # Largest files first, then shrinking chunks (see detlint.scheduling); outcomes keep the files' order.
    chunks = plan_chunks([file_size(source_file.path) for source_file in files], workers)
    outcomes: list[_Outcome | None] = [None] * len(files)
    done = 0

    def finished(index: int, outcome: _Outcome) -> None:
        nonlocal done
        outcomes[index] = _write_fix(outcome, state.fix)
        done += 1
        if progress is not None:
            progress(done, len(files))

    worker_state = replace(state, fix=replace(state.fix, before_write=None))
    with stop_on_signals():
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                   initargs=(worker_state, os.getpid()))
        try:
            with signals_blocked():  # the pool's threads start here: stop signals then reach this thread
                results = pool.map(_work, [[files[index] for index in chunk] for chunk in chunks])
            try:
                for chunk, chunk_outcomes in zip(chunks, results):
                    for index, outcome in zip(chunk, chunk_outcomes):
                        finished(index, outcome)
            except BrokenProcessPool:
                # A worker died (a native crash in one file): the files not yet done are checked one
                # by one in their own child, so only the file that crashes is lost, as one DET000.
                kill_workers(pool)
                for index, source_file in enumerate(files):
                    if outcomes[index] is None:
                        finished(index, _lint_file_isolated(source_file, worker_state))
            pool.shutdown()
        except BaseException:  # SIGTERM, Ctrl-C, a crash: the workers go now, their queue is dropped
            kill_workers(pool)
            raise
    return [outcome for outcome in outcomes if outcome is not None]


def _lint_file_isolated(source_file: SourceFile, state: _State) -> _Outcome:
    from detlint.isolate import ChildCrashed, run_in_child

    try:
        return run_in_child(_lint_file, source_file, state)
    except ChildCrashed as crash:
        selection = state.config.selection_for(source_file.display)
        return _Outcome([parse_error_finding(source_file.display, selection,
                                             f"the analysis of this file crashed ({crash}); it was not analysed")])


def _write_fix(outcome: _Outcome, fix: FixMode) -> _Outcome:
    """Write a worker's fixed file, unless it changed since it was linted or cannot be written: then
    it stays as it is, with its findings and an error (exit 2)."""
    pending, outcome.write = outcome.write, None
    if pending is None:
        return outcome
    if fix.before_write is not None:
        fix.before_write(pending.path)
    try:
        write_fix(pending.path, pending.linted, pending.data)
    except (FixNotWritten, OSError) as error:
        outcome.errors.append(f"{pending.display}: fixes not written: {error}")
        outcome.fixed -= pending.applied
        outcome.findings = pending.findings_if_unwritten
    return outcome


def _merge(result: RunResult, outcome: _Outcome) -> None:
    result.findings.extend(outcome.findings)
    result.errors.extend(outcome.errors)
    result.fixed += outcome.fixed
    result.diffs.extend(outcome.diffs)
    if outcome.fixed_stdin is not None:
        result.fixed_stdin = outcome.fixed_stdin


def _lint_file(source_file: SourceFile, state: _State) -> _Outcome:
    try:
        if not stat.S_ISREG(os.stat(source_file.path).st_mode):
            raise OSError(0, "not a regular file")  # reading a FIFO or a device could block forever
        data = source_file.path.read_bytes()
    except (OSError, ValueError) as error:
        selection = state.config.selection_for(source_file.display)
        reason = getattr(error, "strerror", None) or str(error)
        return _Outcome([parse_error_finding(source_file.display, selection, f"cannot read file: {reason}")])
    return _lint_data(data, source_file.display, source_file.path, state)


def _lint_data(data: bytes, display: str, path: Path | None, state: _State) -> _Outcome:
    selection = state.config.selection_for(display)
    key = None
    if state.cache is not None:
        key = state.cache.key(data, display, repr(sorted(selection.enabled)) + repr(sorted(selection.severities.items()))
                              + repr(selection.seed_name))
        cached = state.cache.get(key, display)
        if cached is not None:
            return _Outcome(cached)
    outcome = _Outcome()
    notebook = None
    try:
        if display.endswith(".ipynb"):
            notebook = read_notebook(data)
            if notebook.language != "python":
                return outcome
            source = Source(notebook.text, "utf-8")
        else:
            source = decode(data)
    except (SourceError, NotebookError) as error:
        if "DET000" in selection.enabled:
            outcome.findings.append(parse_error_finding(display, selection, error.message, error.line, error.column))
        return outcome
    module = state.project.module_name(path, display)
    state.project.index.begin(module)
    file_result = lint_source(source, display, selection, state.project.index, module)
    unfixed = file_result.findings
    if state.fix.active:
        file_result = _fix(source, display, path, selection, state.fix, file_result, outcome, state.project, module,
                           notebook)
    if notebook is not None:
        file_result.findings = [_in_cell(f, notebook) for f in file_result.findings]
    if outcome.write is not None:  # what the parent reports should it not write the fix
        outcome.write.linted = digest(data)
        outcome.write.findings_if_unwritten = ([_in_cell(f, notebook) for f in unfixed] if notebook is not None
                                               else unfixed)
    outcome.findings.extend(file_result.findings)
    outcome.errors.extend(file_result.errors)
    if state.cache is not None and key is not None and not file_result.errors:
        index = state.project.index
        state.cache.put(key, file_result.findings, index.dependency_paths(), index.dependency_folders(),
                        index.depends_on_every_module())
    return outcome


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


def _fix(source: Source, display: str, path: Path | None, selection: Selection, fix: FixMode,
         first: FileResult, result: _Outcome, project: _Project, module: str,
         notebook: NotebookSource | None = None) -> FileResult:
    text = source.text
    current = first
    applied_total = 0
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
            current.errors.append(f"{display}: fixes not applied: they would produce invalid code ({error.message})")
            return current
        text = new_text
        applied_total += applied
        current = lint_source(Source(text, source.encoding), display, selection, project.index, module)
    if applied_total == 0:
        return current
    if notebook is not None:
        try:
            new_bytes = notebook.write_back(text)
        except NotebookError as error:
            first.errors.append(f"{display}: fixes not written: {error.message}")
            return first
    else:
        new_bytes = None
    result.fixed += applied_total
    if fix.diff:
        try:
            old_bytes = notebook.write_back(notebook.text) if notebook is not None else source.encode(source.text)
            result.diffs.append(unified_diff(old_bytes, new_bytes if new_bytes is not None else source.encode(text),
                                             display))
        except UnicodeEncodeError as error:
            first.errors.append(f"{display}: fixes not shown: {error}")
        return first
    if path is not None:
        try:
            result.write = FixedFile(path, display, new_bytes if new_bytes is not None else source.encode(text),
                                     applied_total)
        except UnicodeEncodeError as error:
            result.fixed -= applied_total
            first.errors.append(f"{display}: fixes not written: {error}")
            return first
    else:  # standard input: the CLI prints the fixed buffer, in the input's format; nothing is written
        try:
            result.fixed_stdin = new_bytes if new_bytes is not None else source.encode(text)
        except UnicodeEncodeError as error:
            first.errors.append(f"{display}: fixes not applied: {error}")
            return first
    return current
