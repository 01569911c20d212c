"""Run the analysis of one file on a thread with a large stack.

LibCST's native parser recurses once per nesting level and overflows the default 8 MB stack
(a segmentation fault, not an exception) on a few thousand nested brackets; our tree walks
recurse too. The interpreter's own parser refuses code nested that deeply, and we ask it first,
but chains it accepts (``a.b.c...``, ``x + x + ...``, ``not not ...``) still go deep. On a 512 MB
stack they end as a RecursionError that becomes one DET000 finding.
"""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, TypeVar

T = TypeVar("T")
_STACK_BYTES = 512 * 1024 * 1024
_RECURSION_LIMIT = 60_000
_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _reset_after_fork() -> None:
    global _executor
    _executor = None  # the worker thread does not exist in a forked child


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def _start() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            previous = threading.stack_size()
            try:
                threading.stack_size(_STACK_BYTES)
                executor = ThreadPoolExecutor(1, thread_name_prefix="detlint-analysis")
                executor.submit(lambda: None).result()  # start the thread while the large stack size is set
            finally:
                threading.stack_size(previous)
            _executor = executor
        return _executor


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
    """Call ``function(*args)`` on the large-stack analysis thread and return its result."""
    if threading.current_thread().name.startswith("detlint-analysis"):
        return function(*args)
    return _start().submit(_with_deep_recursion, function, *args).result()
