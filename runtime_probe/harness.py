"""Run scenario functions in fresh Python processes, in throwaway directories.

Each scenario gets one :class:`Workspace`: a temporary directory, with a
private working directory per child process and a ``shared`` folder where
process A leaves what a fresh process B loads. It is always removed: after success, on error, on
timeout and on KeyboardInterrupt. Every child runs in its own process group;
on timeout or abort the whole group is killed, so no framework worker
processes outlive the probe.

A child runs ``function(args, context)`` from a scenario module (see
:mod:`runtime_probe.child`) and answers with a JSON result file, which keeps
the protocol independent of whatever the frameworks print.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runtime_probe.child import BOOTSTRAP

#: Environment every child gets: quiet frameworks, TensorFlow as Keras backend.
CHILD_ENV_DEFAULTS: dict[str, str] = {
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "KERAS_BACKEND": "tensorflow",
    "PYTHONWARNINGS": "ignore",
    "PYTHONUNBUFFERED": "1",
    "GRPC_VERBOSITY": "ERROR",
    "AUTOGRAPH_VERBOSITY": "0",
}

PACKAGE_PARENT = Path(__file__).resolve().parent.parent
LOG_TAIL_CHARS = 1500
KILL_GRACE_S = 2.0

ChildFunction = Callable[[dict[str, Any], Any], dict[str, Any]]


@dataclass(frozen=True)
class ChildSpec:
    """One child to start: a label (``A``, ``B``...), a scenario function, its arguments."""

    label: str
    function: ChildFunction
    args: Mapping[str, Any] = field(default_factory=dict)
    env: Mapping[str, str | None] | None = None


class ProbeTimeout(Exception):
    """A scenario ran past its time limit; its processes were killed."""


class ProbeAborted(Exception):
    """The probe was interrupted (e.g. Ctrl-C); processes were killed."""


class ModuleMissing(Exception):
    """A child could not import a package the scenario needs."""

    def __init__(self, module: str) -> None:
        super().__init__(f"module {module!r} is not installed")
        self.module = module


class ChildFailed(Exception):
    """A child's scenario function raised an unexpected exception or crashed."""

    def __init__(self, run: ChildRun) -> None:
        error = run.error or {}
        super().__init__(f"process {run.label}: {error.get('type', 'Error')}: {error.get('message', '')}")
        self.run = run


@dataclass
class ChildRun:
    """What one child process reported, plus how long it took."""

    label: str
    ok: bool
    result: dict[str, Any] = field(default_factory=dict)
    error: dict[str, Any] | None = None
    missing_module: str | None = None
    wall_s: float = 0.0
    function_s: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    exit_code: int | None = None
    log_tail: str = ""
    started_at: float = 0.0  # time.monotonic() at start and end, to measure overlapping runs
    ended_at: float = 0.0

    def value(self) -> dict[str, Any]:
        """The child's result; raises :class:`ModuleMissing` / :class:`ChildFailed` otherwise."""
        if self.missing_module:
            raise ModuleMissing(self.missing_module)
        if not self.ok:
            raise ChildFailed(self)
        return self.result

    @property
    def startup_s(self) -> float:
        """Interpreter start plus loading the scenario module (wall minus function time)."""
        return max(0.0, self.wall_s - self.function_s)


class ProcessSlots:
    """Caps how many child processes run at once across all scenarios."""

    def __init__(self, count: int) -> None:
        self.count = max(1, count)
        self._semaphore = threading.Semaphore(self.count)

    def acquire(self, timeout: float | None) -> bool:
        return self._semaphore.acquire(timeout=timeout)

    def release(self) -> None:
        self._semaphore.release()


def _function_reference(function: ChildFunction) -> tuple[str, str]:
    module = function.__module__
    name = function.__qualname__
    if "." in name or module == "__main__":
        raise ValueError(f"child functions must be module-level functions of an importable module, not {module}.{name}")
    return module, name


def child_environment(overrides: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The parent's environment plus quiet-framework defaults plus ``overrides`` (None removes)."""
    environment = dict(os.environ)
    environment.update(CHILD_ENV_DEFAULTS)
    for key, value in (overrides or {}).items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return environment


def _kill_process_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the child's whole process group: the child and anything it started (even if it exited)."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - non-POSIX
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
    with contextlib.suppress(subprocess.TimeoutExpired):  # a zombie we cannot reap now
        process.wait(timeout=KILL_GRACE_S)


class ChildHandle:
    """A started child; :meth:`wait` collects its :class:`ChildRun`."""

    def __init__(self, workspace: Workspace, label: str, process: subprocess.Popen[bytes],
                 result_path: Path, log_path: Path, started: float) -> None:
        self.workspace = workspace
        self.label = label
        self.process = process
        self.result_path = result_path
        self.log_path = log_path
        self.started = started
        self.ended: float | None = None
        self._slot_released = False
        self._lock = threading.Lock()
        # The slot is freed when the process ends, whether or not anyone waits on it yet
        # (a scenario may be blocked starting its next child while this one finishes).
        self._watcher = threading.Thread(target=self._release_when_done, daemon=True,
                                         name=f"probe-watch-{label}")
        self._watcher.start()

    def _release_when_done(self) -> None:
        self.process.wait()
        self.ended = time.monotonic()
        self.release_slot()

    def release_slot(self) -> None:
        with self._lock:
            if not self._slot_released:
                self._slot_released = True
                self.workspace.release_slot()

    def kill(self) -> None:
        _kill_process_group(self.process)
        self.release_slot()

    def wait(self) -> ChildRun:
        try:
            self.process.wait(timeout=self.workspace.remaining_s())
        except subprocess.TimeoutExpired:
            self.kill()
            raise ProbeTimeout(
                f"time limit of {self.workspace.timeout_s:g} s reached (process {self.label} was killed)"
            ) from None
        self.release_slot()
        self._watcher.join(timeout=KILL_GRACE_S)
        wall_s = (self.ended or time.monotonic()) - self.started
        if self.workspace.aborted:
            raise ProbeAborted("interrupted")
        return self._collect(wall_s)

    def _log_tail(self) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return text[-LOG_TAIL_CHARS:]

    def _collect(self, wall_s: float) -> ChildRun:
        exit_code = self.process.returncode
        try:
            payload = json.loads(self.result_path.read_text())
        except (OSError, ValueError):
            tail = self._log_tail()
            last_line = tail.strip().splitlines()[-1] if tail.strip() else "no output"
            return ChildRun(
                label=self.label, ok=False, wall_s=wall_s, exit_code=exit_code, log_tail=tail,
                started_at=self.started, ended_at=self.started + wall_s,
                error={"type": "ProcessCrashed", "message": f"exit code {exit_code}: {last_line[:300]}"},
            )
        return ChildRun(
            label=self.label,
            ok=bool(payload.get("ok")),
            result=payload.get("result") or {},
            error=payload.get("error"),
            missing_module=payload.get("missing_module"),
            wall_s=wall_s,
            function_s=float(payload.get("function_s", 0.0)),
            phases={k: float(v) for k, v in (payload.get("phases") or {}).items()},
            exit_code=exit_code,
            log_tail="" if payload.get("ok") else self._log_tail(),
            started_at=self.started,
            ended_at=self.started + wall_s,
        )


_LIVE_WORKSPACES: set[Workspace] = set()
_LIVE_LOCK = threading.Lock()


def abort_all_workspaces() -> None:
    """Kill every running child of every open workspace and remove their directories."""
    with _LIVE_LOCK:
        workspaces = list(_LIVE_WORKSPACES)
    for workspace in workspaces:
        workspace.abort()


class Workspace:
    """A scenario's temporary directory, time limit and child processes.

    Use as a context manager; the directory is removed on exit in every case.
    The time limit counts from the start of the workspace's first child.
    """

    def __init__(self, name: str, timeout_s: float, slots: ProcessSlots | None = None,
                 env: Mapping[str, str | None] | None = None, python: str | None = None) -> None:
        self.name = name
        self.timeout_s = timeout_s
        self.slots = slots
        self.env = dict(env or {})
        self.python = python or sys.executable
        self.path: Path | None = None
        self.runs: list[ChildRun] = []
        self.aborted = False
        self._deadline: float | None = None
        self._children: list[ChildHandle] = []
        self._lock = threading.Lock()
        self._sequence = 0

    # -- lifecycle -----------------------------------------------------
    def __enter__(self) -> Workspace:
        self.path = Path(tempfile.mkdtemp(prefix=f"detlint-probe-{self.name}-"))
        for folder in (".probe/tasks", ".probe/results", ".probe/logs", "shared"):
            (self.path / folder).mkdir(parents=True)
        with _LIVE_LOCK:
            _LIVE_WORKSPACES.add(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Kill remaining children and remove the directory (idempotent)."""
        with self._lock:
            children = list(self._children)
        for child in children:
            child.kill()
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
        with _LIVE_LOCK:
            _LIVE_WORKSPACES.discard(self)

    def abort(self) -> None:
        self.aborted = True
        self.close()

    # -- time and slots --------------------------------------------------
    def remaining_s(self) -> float:
        if self._deadline is None:
            return self.timeout_s
        return max(0.0, self._deadline - time.monotonic())

    def release_slot(self) -> None:
        if self.slots is not None:
            self.slots.release()

    def busy_s(self) -> float:
        """Seconds during which at least one of this workspace's children ran (waits for slots excluded)."""
        total, covered_until = 0.0, float("-inf")
        for run in sorted(self.runs, key=lambda item: item.started_at):
            start = max(run.started_at, covered_until)
            if run.ended_at > start:
                total += run.ended_at - start
            covered_until = max(covered_until, run.ended_at)
        return total

    def _acquire_slot(self) -> None:
        if self.slots is None:
            return
        waited_from = time.monotonic()
        while not self.slots.acquire(timeout=0.2):
            if self.aborted:
                raise ProbeAborted("interrupted")
            if self._deadline is not None and time.monotonic() >= self._deadline:
                raise ProbeTimeout(f"time limit of {self.timeout_s:g} s reached while waiting to start a process")
            if self._deadline is None and time.monotonic() - waited_from > 24 * 3600:  # pragma: no cover
                raise ProbeTimeout("no process slot became free")

    # -- children ----------------------------------------------------------
    def start(self, label: str, function: ChildFunction, args: Mapping[str, Any] | None = None,
              env: Mapping[str, str | None] | None = None) -> ChildHandle:
        """Start ``function(args, context)`` in a fresh process; returns at once."""
        if self.path is None:
            raise RuntimeError("Workspace must be entered before starting children")
        if self.aborted:
            raise ProbeAborted("interrupted")
        module, name = _function_reference(function)
        self._acquire_slot()
        try:
            with self._lock:
                self._sequence += 1
                stem = f"{self._sequence:02d}-{label}"
            result_path = self.path / ".probe/results" / f"{stem}.json"
            task_path = self.path / ".probe/tasks" / f"{stem}.json"
            log_path = self.path / ".probe/logs" / f"{stem}.log"
            workdir = self.path / stem
            workdir.mkdir()
            task = {"module": module, "function": name, "args": dict(args or {}),
                    "result_path": str(result_path), "shared_dir": str(self.path / "shared")}
            task_path.write_text(json.dumps(task))
            environment = child_environment({**self.env, **(env or {})})
            if self._deadline is None:
                self._deadline = time.monotonic() + self.timeout_s
            with open(log_path, "wb") as log:
                started = time.monotonic()
                process = subprocess.Popen(
                    [self.python, "-c", BOOTSTRAP, str(PACKAGE_PARENT), str(task_path)],
                    cwd=workdir, env=environment, stdin=subprocess.DEVNULL,
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                )
        except BaseException:
            self.release_slot()
            raise
        handle = ChildHandle(self, label, process, result_path, log_path, started)
        with self._lock:
            self._children.append(handle)
        if self.aborted:  # abort raced with the start
            handle.kill()
            raise ProbeAborted("interrupted")
        return handle

    def wait(self, handle: ChildHandle) -> ChildRun:
        run = handle.wait()
        self.runs.append(run)
        return run

    def run(self, label: str, function: ChildFunction, args: Mapping[str, Any] | None = None,
            env: Mapping[str, str | None] | None = None) -> ChildRun:
        """Run one child to completion."""
        return self.wait(self.start(label, function, args, env))

    def run_together(self, *specs: ChildSpec) -> list[ChildRun]:
        """Start several independent children (in parallel as slots allow) and wait for all."""
        handles: list[ChildHandle] = []
        try:
            for spec in specs:
                handles.append(self.start(spec.label, spec.function, spec.args, spec.env))
            return [self.wait(handle) for handle in handles]
        except BaseException:
            for handle in handles:
                handle.kill()
            raise
