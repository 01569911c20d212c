"""Run the analysis of one file on a thread with a large stack.

LibCST's native parser recurses once per nesting level and overflows the default 8 MB stack
(a segmentation fault, not an exception) on a few thousand nested brackets; our tree walks
recurse too. The interpreter's own parser refuses code nested that deeply, and we ask it first,
but chains it accepts (``a.b.c...``, ``x + x + ...``, ``not not ...``) still go deep. On a 512 MB
stack they end as a RecursionError that becomes one DET000 finding.
"""

from __future__ import annotations

import sys
import threading
from typing import Callable, TypeVar

T = TypeVar("T")
_STACK_BYTES = 512 * 1024 * 1024
_RECURSION_LIMIT = 60_000
_THREAD_NAME = "detlint-analysis"
_lock = threading.Lock()  # the stack size is process-wide: one thread is started with it at a time


def _with_deep_recursion(function: Callable[..., T], *args: object) -> T:
    # The recursion limit is process-wide: raise it only while the caller waits for this call,
    # so the caller's own (small-stack) thread never runs with it.
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, _RECURSION_LIMIT))
    try:
        return function(*args)
    finally:
        sys.setrecursionlimit(previous)


def on_big_stack(function: Callable[..., T], *args: object) -> T:
    """Call ``function(*args)`` on a thread with a large stack and return its result (or raise its error).

    A thread per call (tens of microseconds; the stack is reserved, not committed): no pool to import,
    keep alive or reset after a fork, and a daemon thread never holds up the exit after Ctrl-C."""
    if threading.current_thread().name == _THREAD_NAME:
        return function(*args)
    outcome: list[tuple[bool, object]] = []

    def run() -> None:
        try:
            outcome.append((True, _with_deep_recursion(function, *args)))
        except BaseException as error:  # noqa: BLE001 - handed to the caller
            outcome.append((False, error))

    with _lock:
        previous = threading.stack_size()
        try:
            threading.stack_size(_STACK_BYTES)
            thread = threading.Thread(target=run, name=_THREAD_NAME, daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    ok, value = outcome[0]
    if ok:
        return value  # type: ignore[return-value]
    raise value  # type: ignore[misc]
