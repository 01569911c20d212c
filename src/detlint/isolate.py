"""Run one piece of work in a forked child process, so that a native crash or a huge memory peak
stays there.

LibCST's parser is native code: an input it cannot cope with may abort or crash the process, and it
needs several hundred bytes of memory per byte of source. Large files are therefore analysed in a
child: a crash there becomes an exception here (one DET000 for that file) and the run goes on; the
memory the child used goes back to the system when it exits. Small files never pay for a fork.
"""

from __future__ import annotations

import os
import signal
import warnings
from typing import Callable, TypeVar

T = TypeVar("T")


class ChildCrashed(Exception):
    """The child ended without a result (killed by a signal or exited on its own)."""


def can_fork() -> bool:
    return hasattr(os, "fork")


def run_in_child(function: Callable[..., T], *args: object) -> T:
    """``function(*args)`` computed in a forked child and its result returned (it must pickle).
    An exception in the child is raised here; a child that dies raises :class:`ChildCrashed`."""
    import pickle  # only large files and crashed workers come here

    read_end, write_end = os.pipe()
    with warnings.catch_warnings():  # Python 3.12+ warns about forking with threads; the child uses none of ours
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child (coverage cannot see it)
        status = 0
        try:
            os.close(read_end)
            try:
                payload = pickle.dumps((True, function(*args)))
            except BaseException as error:  # noqa: BLE001 - hand every failure to the parent
                payload = _pickled_error(error)
            with os.fdopen(write_end, "wb") as stream:
                stream.write(payload)
        except BaseException:  # noqa: BLE001
            status = 70
        finally:
            os._exit(status)  # no atexit handlers, no flushing of the parent's buffers
    os.close(write_end)
    with os.fdopen(read_end, "rb") as stream:
        data = stream.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        raise ChildCrashed(_describe(status))
    ok, value = pickle.loads(data)
    if ok:
        return value  # type: ignore[no-any-return]
    raise value


def _pickled_error(error: BaseException) -> bytes:
    import pickle

    try:
        return pickle.dumps((False, error))
    except Exception:  # noqa: BLE001 - an exception that does not pickle: keep its text
        return pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")))


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return f"killed by {name}"
    if os.WIFEXITED(status):
        return f"exited with status {os.WEXITSTATUS(status)}"
    return f"ended with status {status}"
