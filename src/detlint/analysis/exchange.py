"""Module summaries handed between the worker processes of one run.

Each worker has its own project index. Without an exchange, a module that files in two workers need
(a helper both import, every module that may save a model) is parsed and summarized in each. With one,
the first worker to summarize a module leaves the summary in a private folder of the run and the
others read it instead of parsing the module again; a worker's own linted files are shared the same way.

A worker that is about to summarize a module for its index claims it first; another worker that needs
the same module meanwhile waits for that summary rather than parsing the module too. Nothing is
consulted while a claim is held (a summary is made from its module alone), so no two workers wait on
each other; a claim not answered in time is given up on and the module summarized again.

A summary is keyed by the module's name and the exact text it was made from, so a stale one is never
read. The folder is the run's own (created by the parent, readable by this user only) and removed when
the run ends; a run killed outright (SIGKILL) cannot remove it, so the next run removes the folders of
runs whose process is gone. Losing a folder only costs parses: every operation below treats a missing
folder as "nothing published, nobody to wait for".
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from detlint.analysis.project import ModuleSummary

# How long a worker waits for a summary another worker claimed (parsing a module at the size limit,
# in a child process, takes seconds); then it makes the summary itself.
CLAIM_TIMEOUT_SECONDS = 60.0
_POLL_SECONDS = 0.002
_FOLDER_PREFIX = "detlint-summaries-"  # then the id of the run's process, then mkdtemp's random part


@dataclass(frozen=True)
class SummaryKey:
    module: str
    digest: str  # of the module's name and text


class SummaryExchange:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def key(self, module: str, text: str) -> SummaryKey:
        """The key of a module's summary made from ``text`` (computed once, used by every call below)."""
        import hashlib

        digest = hashlib.blake2b(digest_size=16)
        digest.update(module.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return SummaryKey(module, digest.hexdigest())

    def lookup(self, key: SummaryKey) -> "tuple[bool, ModuleSummary | None]":
        """(True, summary) when a worker published this module's summary, None meaning that the module
        cannot be summarized (it does not parse); (False, None) when none is published."""
        try:
            with open(self.folder / f"{key.digest}.pickle", "rb") as handle:
                found = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError):
            return False, None
        if found is None or getattr(found, "name", None) == key.module:
            return True, found
        return False, None

    def claim(self, key: SummaryKey) -> bool:
        """Whether this worker is the one to summarize the module (False: another worker claimed it)."""
        try:
            os.close(os.open(self._claim(key), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            return False
        except OSError:
            return True  # cannot coordinate: summarize it here
        return True

    def wait(self, key: SummaryKey) -> "tuple[bool, ModuleSummary | None]":
        """The summary another worker claimed, once published (see :meth:`lookup`); (False, None) when the
        claim is withdrawn or not answered in time."""
        claim = self._claim(key)
        deadline = time.monotonic() + CLAIM_TIMEOUT_SECONDS
        while True:
            published, summary = self.lookup(key)
            if published:
                return published, summary
            if not os.path.exists(claim) or time.monotonic() > deadline:
                return self.lookup(key)  # published just before the claim went
            time.sleep(_POLL_SECONDS)

    def publish(self, key: SummaryKey, summary: "ModuleSummary | None") -> None:
        """Leave a summary for the other workers (None: the module cannot be summarized), and withdraw
        this worker's claim on it, if any."""
        path = self.folder / f"{key.digest}.pickle"
        if not os.path.exists(path):
            partial = path.with_name(f"{path.name}.{os.getpid()}.part")
            try:
                with open(partial, "wb") as handle:
                    pickle.dump(summary, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(partial, path)  # readers see the whole summary or none
            except (OSError, pickle.PicklingError, RecursionError, TypeError):
                _unlink(partial)
        self.withdraw(key)

    def withdraw(self, key: SummaryKey) -> None:
        _unlink(self._claim(key))

    def _claim(self, key: SummaryKey) -> Path:
        return self.folder / f"{key.digest}.claim"


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def make_run_folder(parent: "Path | None" = None) -> Path:
    """A new private folder for one run's exchange, in ``parent`` (the temporary directory by default),
    after removing the folders that killed runs left there."""
    base = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    remove_abandoned_folders(base)
    return Path(tempfile.mkdtemp(prefix=f"{_FOLDER_PREFIX}{os.getpid()}-", dir=base))


def remove_abandoned_folders(base: Path) -> list[Path]:
    """Remove this user's exchange folders in ``base`` whose run's process no longer exists; the
    folders removed."""
    if os.name != "posix":  # os.kill(pid, 0) probes a process only on POSIX (on Windows it signals it)
        return []
    removed: list[Path] = []
    try:
        entries = list(os.scandir(base))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(_FOLDER_PREFIX):
            continue
        owner = entry.name[len(_FOLDER_PREFIX):].partition("-")[0]
        if not owner.isdigit() or _process_exists(int(owner)):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process, or cannot tell: keep the folder
    return True
