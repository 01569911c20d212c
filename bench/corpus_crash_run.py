"""Crash hunt: run detlint's engine over every ``.py`` file of the installed TensorFlow, Keras and
scikit-learn packages, with every rule enabled, and report what went wrong.

The packages are located with ``importlib.util.find_spec`` (never imported). Files are linted by
worker processes (one per core by default), each file handed to one worker at a time, so a worker
that dies (a segmentation fault in a native parser, say) or hangs costs only that file: it is
recorded as a crash and a fresh worker takes over.

Printed: files, lines, crashes (internal errors recorded by the engine, exceptions that escaped
it, workers that died or hung, each with the file and the message), DET000 counts with the first
messages, findings per rule, the slowest files and the wall time. Exit status 1 on any crash.

    python bench/corpus_crash_run.py                       # tensorflow, keras, sklearn
    python bench/corpus_crash_run.py --packages sklearn --limit 200
    python bench/corpus_crash_run.py --project             # also with each package as the project
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import multiprocessing
import multiprocessing.connection
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PACKAGES = ("tensorflow", "keras", "sklearn")


# --------------------------------------------------------------------------------------------
# in the worker


def _serve(connection: multiprocessing.connection.Connection, use_project: bool) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from detlint.engine import Selection
    from detlint.rules import all_rules

    selection = Selection(frozenset(all_rules()))
    indexes: dict[str, Any] = {}
    while True:
        try:
            task = connection.recv()
        except EOFError:
            return
        if task is None:
            return
        path, package_root = task
        connection.send(_lint_one(path, package_root, selection, indexes if use_project else None))


def _lint_one(path: str, package_root: str, selection: Any, indexes: dict[str, Any] | None) -> dict[str, Any]:
    from detlint.engine import lint_bytes

    report: dict[str, Any] = {"path": path, "lines": 0, "findings": {}, "det000": [], "errors": [],
                              "exception": None, "seconds": 0.0}
    started = time.perf_counter()
    try:
        data = Path(path).read_bytes()
        report["lines"] = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
        project = module = None
        if indexes is not None:
            from detlint.analysis.project import ProjectIndex, ProjectLoader, module_name_for

            # as `detlint check <package folder>` would: the folder is the project root
            if package_root not in indexes:
                indexes[package_root] = ProjectIndex(loader=ProjectLoader(Path(package_root), lambda p: False))
            project = indexes[package_root]
            module = module_name_for(Path(path), Path(package_root))
        result = lint_bytes(data, path, selection, project, module)
        for finding in result.findings:
            report["findings"][finding.code] = report["findings"].get(finding.code, 0) + 1
            if finding.code == "DET000":
                report["det000"].append(f"{finding.line}:{finding.column} {finding.message}")
        report["errors"] = list(result.errors)
    except BaseException as error:  # noqa: BLE001 - everything that escapes the engine is a crash
        if isinstance(error, KeyboardInterrupt):
            raise
        frames = traceback.extract_tb(error.__traceback__)
        names = [f"{Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames]
        # where it left the engine (outermost frames) and where it was raised (innermost ones)
        where = names if len(names) <= 8 else [*names[:4], "...", *names[-4:]]
        report["exception"] = f"{type(error).__name__}: {str(error)[:300]} [{' -> '.join(where)}]"
    report["seconds"] = time.perf_counter() - started
    return report


# --------------------------------------------------------------------------------------------
# in the parent


@dataclass
class _Worker:
    context: Any
    use_project: bool
    connection: Any = None
    process: Any = None
    task: tuple[str, str] | None = None
    started: float = 0.0

    def start(self) -> None:
        parent, child = self.context.Pipe()
        self.process = self.context.Process(target=_serve, args=(child, self.use_project), daemon=True)
        self.process.start()
        child.close()
        self.connection = parent
        self.task = None

    def give(self, task: tuple[str, str]) -> None:
        self.task = task
        self.started = time.monotonic()
        self.connection.send(task)

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


@dataclass
class Totals:
    files: int = 0
    lines: int = 0
    crashes: list[dict[str, str]] = field(default_factory=list)
    det000: list[str] = field(default_factory=list)
    findings: collections.Counter = field(default_factory=collections.Counter)
    seconds: list[tuple[float, str]] = field(default_factory=list)


def package_roots(names: list[str]) -> list[Path]:
    roots = []
    for name in names:
        spec = importlib.util.find_spec(name)  # top-level: locates without importing
        if spec is None or not spec.submodule_search_locations:
            print(f"package {name!r} is not installed: skipped", file=sys.stderr)
            continue
        roots.extend(Path(location) for location in spec.submodule_search_locations)
    return roots


def python_files(roots: list[Path]) -> list[tuple[str, str]]:
    files = []
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            files.extend((os.path.join(folder, name), str(root)) for name in sorted(names) if name.endswith(".py"))
    return files


def _record(totals: Totals, report: dict[str, Any]) -> None:
    totals.files += 1
    totals.lines += report["lines"]
    totals.findings.update(report["findings"])
    totals.det000.extend(f"{report['path']}:{message}" for message in report["det000"])
    totals.seconds.append((report["seconds"], report["path"]))
    for error in report["errors"]:
        totals.crashes.append({"path": report["path"], "kind": "internal error", "message": error})
    if report["exception"]:
        totals.crashes.append({"path": report["path"], "kind": "exception", "message": report["exception"]})


def _count_lines(path: str) -> int:
    try:
        data = Path(path).read_bytes()
    except OSError:
        return 0
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def run(files: list[tuple[str, str]], jobs: int, timeout: float, use_project: bool, progress: bool) -> Totals:
    context = multiprocessing.get_context("spawn")  # fresh interpreters: nothing inherited
    totals = Totals()
    pending = collections.deque(files)
    workers = [_Worker(context, use_project) for _ in range(max(1, min(jobs, len(files))))]
    for worker in workers:
        worker.start()
        if pending:
            worker.give(pending.popleft())
    done = 0
    last_report = time.monotonic()
    while any(w.task is not None for w in workers):
        busy = [w for w in workers if w.task is not None]
        multiprocessing.connection.wait([w.connection for w in busy] + [w.process.sentinel for w in busy], timeout=1.0)
        for worker in busy:
            assert worker.task is not None
            path = worker.task[0]
            finished = False
            try:
                if worker.connection.poll():
                    _record(totals, worker.connection.recv())
                    finished = True
            except (EOFError, OSError):
                pass
            if not finished and not worker.process.is_alive():
                code = worker.process.exitcode
                why = f"killed by signal {-code}" if code is not None and code < 0 else f"exited with status {code}"
                totals.files += 1
                totals.lines += _count_lines(path)
                totals.crashes.append({"path": path, "kind": "worker died", "message": f"worker process {why}"})
                worker.kill()
                worker.start()
                finished = True
            elif not finished and time.monotonic() - worker.started > timeout:
                totals.files += 1
                totals.lines += _count_lines(path)
                totals.crashes.append({"path": path, "kind": "hang",
                                       "message": f"no result after {timeout:.0f} s: worker killed"})
                worker.kill()
                worker.start()
                finished = True
            if finished:
                done += 1
                worker.task = None
                if pending:
                    worker.give(pending.popleft())
        if progress and time.monotonic() - last_report > 30:
            last_report = time.monotonic()
            print(f"  ... {done}/{len(files)} files, {len(totals.crashes)} crashes", file=sys.stderr, flush=True)
    for worker in workers:
        worker.stop()
    return totals


def _revision() -> str:
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "src"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown revision"
    return f"{head or 'unknown revision'}{' + uncommitted changes in src/' if dirty else ''}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", nargs="+", default=list(DEFAULT_PACKAGES))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds one file may take (default: 600)")
    parser.add_argument("--limit", type=int, help="only the first N files (a quick run)")
    parser.add_argument("--project", action="store_true",
                        help="lint with a project index rooted at each package (cross-module lookups)")
    parser.add_argument("--show", type=int, default=10, help="how many DET000 messages and slow files to print")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the crashes and counts as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)

    roots = package_roots(args.packages)
    files = python_files(roots)
    if args.limit:
        files = files[:args.limit]
    print(f"detlint: {_revision()}")
    print(f"packages: {', '.join(str(r) for r in roots)}")
    print(f"linting {len(files)} files with {args.jobs} worker(s), every rule enabled"
          f"{', project index on' if args.project else ''}", flush=True)
    started = time.perf_counter()
    totals = run(files, args.jobs, args.timeout, args.project, not args.quiet)
    wall = time.perf_counter() - started

    print()
    print(f"files:    {totals.files}")
    print(f"lines:    {totals.lines}")
    print(f"crashes:  {len(totals.crashes)}")
    for crash in totals.crashes:
        print(f"  {crash['path']}: [{crash['kind']}] {crash['message']}")
    print(f"DET000:   {len(totals.det000)}")
    by_message = collections.Counter(m.split(" ", 1)[1] if " " in m else m for m in totals.det000)
    for message in totals.det000[:args.show]:
        print(f"  {message}")
    if by_message:
        print("  by message:")
        for message, count in by_message.most_common(args.show):
            print(f"    {count:6d}  {message}")
    print("findings per rule:")
    for code, count in sorted(totals.findings.items()):
        print(f"  {code}  {count}")
    print("slowest files:")
    for seconds, path in sorted(totals.seconds, reverse=True)[:args.show]:
        print(f"  {seconds:8.2f} s  {path}")
    print(f"wall time: {wall:.1f} s ({totals.files / wall if wall else 0:.1f} files/s, "
          f"{totals.lines / wall if wall else 0:.0f} lines/s)")
    if args.json:
        args.json.write_text(json.dumps({
            "files": totals.files, "lines": totals.lines, "crashes": totals.crashes, "det000": totals.det000,
            "findings": dict(totals.findings), "wall_seconds": wall,
            "slowest": sorted(totals.seconds, reverse=True)[:50],
        }, indent=2))
    return 1 if totals.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
