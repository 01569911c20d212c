"""Worker processes that never outlive the run that started them.

Editors stop a run with SIGTERM, CI and ``docker stop`` with SIGTERM then SIGKILL. Workers only lint and
return results (the parent alone writes files); they die with their parent, and a parent that is told to
stop kills its workers instead of waiting for them to finish their queue.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Any, Iterator

# Signals that mean "stop now" to a command-line tool; SIGINT is Ctrl-C.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_PARENT_POLL_SECONDS = 0.5


class Terminated(KeyboardInterrupt):
    """The run was told to stop by a signal; handled as an interrupt (Ctrl-C) is."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


def prepare_worker(parent_pid: int) -> None:
    """Run first in every worker. Stop signals and Ctrl-C are the parent's to handle (sent to the whole
    process group, they would otherwise kill workers under a parent that is still collecting results);
    the parent kills its workers when it stops, and a worker dies with its parent, however it dies."""
    for signum in (signal.SIGINT, *STOP_SIGNALS):
        signal.signal(signum, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # forked while the parent blocked them (signals_blocked)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, *STOP_SIGNALS})
    if not _kill_me_with_parent():
        threading.Thread(target=_watch_parent, args=(parent_pid,), name="detlint-parent-watch", daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before the line above could take effect
        os._exit(1)


def _kill_me_with_parent() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int) -> None:
    # Without prctl: an orphan is adopted by another process, so its parent id changes.
    stopped = threading.Event()
    while not stopped.wait(_PARENT_POLL_SECONDS):
        if os.getppid() != parent_pid:
            os._exit(1)


class _StopState:
    deferring = 0  # depth of signals_deferred blocks on the main thread
    pending: int | None = None  # a stop signal that arrived during one


_stop = _StopState()


def _on_stop_signal(signum: int, frame: object) -> None:
    if _stop.deferring:
        _stop.pending = signum
        return
    raise Terminated(signum)


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the block runs, SIGTERM, SIGHUP and Ctrl-C raise :class:`Terminated` in the main thread, so
    the caller's cleanup (killing workers) runs. Outside the main thread nothing is installed."""
    if not _on_main_thread():
        yield
        return
    previous = {}
    try:
        for signum in (signal.SIGINT, *STOP_SIGNALS):
            if signal.getsignal(signum) is not signal.SIG_IGN:  # nohup: SIGHUP stays ignored
                previous[signum] = signal.signal(signum, _on_stop_signal)
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _stop.pending = None


@contextmanager
def signals_blocked() -> Iterator[None]:
    """Block stop signals on this thread, and so on every thread started in the block (threads inherit
    the mask): the main thread, waiting on a result, then receives them at once, not after the next
    result wakes it."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, *STOP_SIGNALS})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold stop signals (and Ctrl-C) back for the block, so a file write is never cut in half; they take
    effect when the block ends. Under :func:`stop_on_signals` the handler notes them; with the default
    handlers the operating system holds them."""
    if not _on_main_thread():
        yield
        return
    _stop.deferring += 1
    try:
        with signals_blocked():
            yield
    finally:
        _stop.deferring -= 1
        if not _stop.deferring and _stop.pending is not None:
            signum, _stop.pending = _stop.pending, None
            raise Terminated(signum)


def kill_workers(pool: Any) -> None:
    """Kill a ProcessPoolExecutor's workers now, rather than let ``shutdown`` wait for their queue. A
    second stop signal waits until this is done (a half-done kill could leave exit waiting on workers)."""
    with signals_deferred():
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            try:
                process.kill()
            except (OSError, ValueError):  # already gone
                pass
        for process in processes:
            process.join(timeout=5)
        manager = getattr(pool, "_executor_manager_thread", None)  # shutdown forgets it
        pool.shutdown(wait=False, cancel_futures=True)
        if manager is not None:  # let it see the dead workers and close its pipes before the interpreter exits
            manager.join(timeout=5)
