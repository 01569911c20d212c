"""The library API: lint paths or text and get findings back. Never prints.

This module finds the files and hands them out (to worker processes when there are many); each file
is checked by :mod:`detlint.pipeline`."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, Mapping

from detlint.analysis.project import ProjectIndex, ProjectLoader, find_project_root
from detlint.collector import fewer_collections, raise_threshold
from detlint.cache import ResultCache, cache_salt, default_cache_dir
from detlint.config import Options, load_config
from detlint.discovery import SourceFile, discover
from detlint.finding import Finding
from detlint.pipeline import FileOutcome, FixMode, Project, Settings, check_data, check_file, check_text, not_checked
from detlint.pipeline import write_pending
from detlint.processes import kill_workers, prepare_worker, signals_blocked, stop_on_signals
from detlint.scheduling import file_size, plan_chunks

__all__ = ["FixMode", "RunResult", "lint_paths", "lint_text", "run"]


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    errors: list[str] = field(default_factory=list)  # internal errors and unreadable paths: exit 2
    fixed: int = 0  # fixes applied (or that would be applied with --diff)
    diffs: list[str] = field(default_factory=list)
    duration: float = 0.0
    fixed_stdin: bytes | None = None  # --fix on standard input: the fixed buffer, in the input's format


def lint_paths(paths: list[str], options: Options | None = None) -> list[Finding]:
    """Lint files and folders with the configuration found for them; the findings, sorted."""
    return run(paths, options or Options()).findings


def lint_text(text: str, path: str = "<stdin>", options: Options | None = None) -> list[Finding]:
    config = load_config(options or Options(), Path(path).parent if path != "<stdin>" else Path.cwd())
    return list(check_text(text, path, Settings(config)).findings)


PARALLEL_MIN_FILES = 16

_worker_settings: Settings | None = None


def run(paths: list[str], options: Options, *, fix: FixMode = FixMode(), force_exclude: bool = False,
        stdin: bytes | None = None, stdin_filename: str | None = None, use_cache: bool = True,
        jobs: int | None = None, progress: Callable[[int, int], None] | None = None,
        cache_dir: Path | None = None, unsaved: Mapping[str, str] | None = None) -> RunResult:
    """Lint ``paths`` (or ``stdin``). Files are checked in parallel when there are many; output order is
    always the same. ``jobs=1`` forces a single process. ``unsaved`` (absolute path -> text) holds an
    editor's buffers that other modules' summaries read instead of the files on disk."""
    with fewer_collections():
        return _run(paths, options, fix, force_exclude, stdin, stdin_filename, use_cache, jobs, progress, cache_dir,
                    unsaved)


def _run(paths: list[str], options: Options, fix: FixMode, force_exclude: bool, stdin: bytes | None,
         stdin_filename: str | None, use_cache: bool, jobs: int | None, progress: Callable[[int, int], None] | None,
         cache_dir: Path | None, unsaved: Mapping[str, str] | None) -> RunResult:
    started = time.perf_counter()
    named_stdin = stdin is not None and bool(stdin_filename)
    anchor = Path(stdin_filename) if named_stdin else Path(paths[0] if paths else ".")
    # A buffer's name may be a file not saved yet: its configuration is still that of its folder.
    config = load_config(options, anchor if anchor.exists() or named_stdin else Path.cwd())
    root = find_project_root([anchor] if stdin is not None else [Path(p) for p in paths if Path(p).exists()])
    loader = ProjectLoader(root, config.is_excluded, max_file_size=config.max_file_size, unsaved=unsaved)
    cache = None
    if use_cache and not fix.active and stdin is None and not unsaved:
        cache = ResultCache(cache_dir or default_cache_dir(root), cache_salt(config, root), loader.state_digest)
    settings = Settings(config, Project(root, ProjectIndex(loader=loader)), fix, cache)
    outcomes: list[FileOutcome] = []
    errors: list[str] = []
    if stdin is not None:
        display = stdin_filename or "<stdin>"
        if not (force_exclude and stdin_filename and config.is_excluded(Path(stdin_filename))):
            outcomes = [check_data(stdin, display, None, settings)]
    else:
        files, errors = discover(paths, config, force_exclude)
        loader.will_lint(source_file.path for source_file in files)
        workers = _worker_count(len(files), jobs)
        if workers > 1:
            outcomes = _parallel(files, settings, workers, progress)
        else:
            outcomes = _serial(files, settings, progress)
    if cache is not None:
        cache.prune_if_due()
    return _summed(outcomes, errors, time.perf_counter() - started)


def _summed(outcomes: list[FileOutcome], errors: list[str], duration: float) -> RunResult:
    """The run's result from its files' outcomes (one per file checked) and the paths it could not list."""
    fixed_stdin = [outcome.fixed_data for outcome in outcomes if outcome.fixed_data is not None]
    return RunResult(
        findings=sorted((finding for outcome in outcomes for finding in outcome.findings), key=Finding.sort_key),
        files_checked=len(outcomes),
        errors=[*errors, *(error for outcome in outcomes for error in outcome.errors)],
        fixed=sum(outcome.fixed for outcome in outcomes),
        diffs=[outcome.diff for outcome in outcomes if outcome.diff is not None],
        duration=duration,
        fixed_stdin=fixed_stdin[-1] if fixed_stdin else None,
    )


def _worker_count(files: int, jobs: int | None) -> int:
    if jobs is not None:
        return max(1, jobs)
    if files < PARALLEL_MIN_FILES:
        return 1
    return max(1, min(os.cpu_count() or 1, files // 4))


def _serial(files: list[SourceFile], settings: Settings,
            progress: Callable[[int, int], None] | None) -> list[FileOutcome]:
    outcomes = []
    for done, source_file in enumerate(files, start=1):
        outcomes.append(write_pending(check_file(source_file, settings), settings.fix))
        if progress is not None:
            progress(done, len(files))
    return outcomes


def _init_worker(settings: Settings, parent_pid: int) -> None:
    global _worker_settings
    prepare_worker(parent_pid)
    raise_threshold()  # a spawned worker does not inherit the parent's thresholds
    _worker_settings = settings


def _work(chunk: list[SourceFile]) -> list[FileOutcome]:
    assert _worker_settings is not None
    return [check_file(source_file, _worker_settings) for source_file in chunk]


def _parallel(files: list[SourceFile], settings: Settings, workers: int,
              progress: Callable[[int, int], None] | None) -> list[FileOutcome]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    # Largest files first, then shrinking chunks (see detlint.scheduling); outcomes keep the files' order.
    chunks = plan_chunks([file_size(source_file.path) for source_file in files], workers)
    outcomes: list[FileOutcome | None] = [None] * len(files)
    done = 0

    def finished(index: int, outcome: FileOutcome) -> None:
        nonlocal done
        outcomes[index] = write_pending(outcome, settings.fix)
        done += 1
        if progress is not None:
            progress(done, len(files))

    worker_settings = replace(settings, fix=replace(settings.fix, before_write=None))
    with stop_on_signals(), _summary_exchange(settings):
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                   initargs=(worker_settings, os.getpid()))
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
                        finished(index, _check_isolated(source_file, worker_settings))
            pool.shutdown()
        except BaseException:  # SIGTERM, Ctrl-C, a crash: the workers go now, their queue is dropped
            kill_workers(pool)
            raise
    return [outcome for outcome in outcomes if outcome is not None]


@contextmanager
def _summary_exchange(settings: Settings) -> Iterator[None]:
    """Workers hand each other the project modules' summaries through a folder of this run (see
    detlint.analysis.exchange), removed when the run ends."""
    loader = settings.project.index.loader if settings.project is not None else None
    if loader is None:
        yield
        return
    import shutil

    from detlint.analysis.exchange import SummaryExchange, make_run_folder

    folder = make_run_folder()
    loader.exchange = SummaryExchange(folder)
    try:
        yield
    finally:
        loader.exchange = None
        shutil.rmtree(folder, ignore_errors=True)


def _check_isolated(source_file: SourceFile, settings: Settings) -> FileOutcome:
    from detlint.isolate import ChildCrashed, run_in_child

    try:
        return run_in_child(check_file, source_file, settings)
    except ChildCrashed as crash:
        return not_checked(source_file.display, settings,
                           f"the analysis of this file crashed ({crash}); it was not analysed")
