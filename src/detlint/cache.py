"""Per-file result cache, by default in ``.detlint_cache/`` at the project root.

An entry is keyed by the file's content, its display path, the rule selection and a salt: detlint's
version and a hash of its own code, the Python and LibCST versions, the project root and the whole
effective configuration. It also records what the result depended on: other project files (seed helpers,
custom layers) with their size and modification time, the places where an imported module would be
found but is not (so creating it invalidates), the listings of the project's top-level folders, and for
results about models saved elsewhere in the project, a digest of every module of the project. An entry
is only used while all of those are unchanged.

Entries are untrusted input: only regular files of bounded size and nesting are used, and an entry must
match the schema and name the key it was made for; anything else is a miss and is replaced. Entries are
written atomically (temp file + rename), so concurrent runs are safe. The cache is pruned now and then:
entries unused for ``MAX_AGE_DAYS`` go, then the least recently used ones beyond ``MAX_TOTAL_BYTES``.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import stat
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from detlint import __version__
from detlint.finding import Edit, Finding, Fix

if TYPE_CHECKING:
    from detlint.config import Config

CACHE_DIR = ".detlint_cache"
CACHE_DIR_ENV = "DETLINT_CACHE_DIR"
_FORMAT = 2
MAX_ENTRY_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 32
MAX_AGE_DAYS = 30
MAX_TOTAL_BYTES = 256 * 1024 * 1024
PRUNE_INTERVAL_SECONDS = 3600
_TOUCH_AFTER_SECONDS = 86400  # a hit refreshes an entry's time of last use at most once a day
# The standard cache folder tag (https://bford.info/cachedir/): backup tools skip the folder, and
# `detlint clean` only removes folders that carry it.
TAG_NAME = "CACHEDIR.TAG"
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by detlint.\n"
        "# For information about cache directory tags see https://bford.info/cachedir/\n")
_PRUNE_MARK = ".last-prune"
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
_CODE = re.compile(r"DET\d{3}")


class CleanError(Exception):
    """The folder given to clean is not a detlint cache."""


def default_cache_dir(root: Path) -> Path:
    """``$DETLINT_CACHE_DIR`` when set, else ``.detlint_cache/`` at the project root."""
    configured = os.environ.get(CACHE_DIR_ENV)
    return Path(configured) if configured else root / CACHE_DIR


_code_digest: str | None = None


def code_digest() -> str:
    """A hash of detlint's own code (every module of the package), computed once per process: a changed
    build with an unchanged version string must not reuse old results."""
    global _code_digest
    if _code_digest is None:
        package = Path(__file__).resolve().parent
        import hashlib  # imported when used: a run with --no-cache does without it

        digest = hashlib.sha256()
        for path in sorted(package.rglob("*.py")):
            try:
                data = path.read_bytes()
            except OSError:
                data = b"unreadable"
            for part in (path.relative_to(package).as_posix().encode(), data):
                digest.update(len(part).to_bytes(8, "little"))
                digest.update(part)
        _code_digest = digest.hexdigest()
    return _code_digest


def _libcst_version() -> str:
    try:
        from libcst._version import __version__ as version  # cheap; importlib.metadata costs ~30 ms
    except ImportError:  # pragma: no cover - a LibCST without that module
        from importlib.metadata import version as installed_version

        return installed_version("libcst")
    return str(version)


def cache_salt(config: "Config", root: Path) -> str:
    """Everything besides a file's own content and selection that its result depends on."""
    return _digest(__version__, code_digest(), sys.version, _libcst_version(), str(root), config.fingerprint())


def _digest(*parts: str | bytes) -> str:
    import hashlib

    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogateescape")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def _stat_key(path: str) -> list[int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return [info.st_mtime_ns, info.st_size]


class _BadEntry(Exception):
    pass


class ResultCache:
    def __init__(self, base: Path, salt: str, project_state: Callable[[], str] | None = None) -> None:
        self.base = base
        self.folder = base / f"v{_FORMAT}"
        self.salt = salt
        self.project_state = project_state  # a digest of every module of the project, for project-wide results
        self.hits = 0
        self.misses = 0
        self._listings: dict[str, str | None] = {}
        self._stats: dict[str, list[int] | None] = {}
        self._prepared: set[Path] = set()  # entry folders made (or found) in this process
        self._temp_names = itertools.count()

    def key(self, data: bytes, display: str, selection_text: str) -> str:
        return _digest(self.salt, display, selection_text, data)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    # -- reading --------------------------------------------------------------------------------------
    def get(self, key: str, display: str | None = None) -> list[Finding] | None:
        """The findings stored for ``key`` (made for the file shown as ``display``), or None."""
        path = self._path(key)
        try:
            entry, used = _read_entry(path)
            findings = _validated(entry, key, display)
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, _BadEntry):
            self.misses += 1
            _remove(path)
            return None
        if not self._fresh(entry):
            self.misses += 1
            return None
        if time.time() - used > _TOUCH_AFTER_SECONDS:
            try:
                os.utime(path)  # the time of last use, for pruning
            except OSError:
                pass
        self.hits += 1
        return findings

    def _fresh(self, entry: dict[str, Any]) -> bool:
        if any(self._stat(path) != state for path, state in entry["deps"].items()):
            return False
        if not all(self._listing(folder) == state for folder, state in entry["folders"].items()):
            return False
        return entry["project"] is None or (self.project_state is not None and self.project_state() == entry["project"])

    def _stat(self, path: str) -> list[int] | None:
        """A file's modification time and size (None: missing), memoized per run: entries share most of
        their dependencies (the same modules, the same places where a module is not)."""
        if path not in self._stats:
            self._stats[path] = _stat_key(path)
        return self._stats[path]

    def _listing(self, folder: str) -> str | None:
        """A digest of a folder's module files and subfolders (not of this cache), memoized per run."""
        if folder not in self._listings:
            own = os.path.abspath(self.base)
            try:
                names = sorted((entry.name, entry.is_dir()) for entry in os.scandir(folder)
                               if (entry.name.endswith(".py") or entry.is_dir()) and os.path.abspath(entry.path) != own)
            except OSError:
                self._listings[folder] = None
            else:
                self._listings[folder] = _digest(repr(names))
        return self._listings[folder]

    # -- writing --------------------------------------------------------------------------------------
    def put(self, key: str, findings: list[Finding], deps: Sequence[str], folders: Sequence[str] = (),
            whole_project: bool = False) -> None:
        """Store a file's findings with what they depended on: files (``deps``, existing or not), folder
        listings, and with ``whole_project`` every module of the project."""
        if whole_project and self.project_state is None:
            return
        entry = {
            "format": _FORMAT,
            "key": key,
            "deps": {d: self._stat(d) for d in sorted(deps)},
            "folders": {f: self._listing(f) for f in sorted(folders)},
            "project": self.project_state() if whole_project and self.project_state is not None else None,
            "findings": [_finding_to(f) for f in findings],
        }
        try:
            text = json.dumps(entry, default=str)
        except (ValueError, RecursionError):
            return  # data too deep to store: no entry, the file is simply checked again next time
        if len(text.encode("utf-8", "surrogateescape")) > MAX_ENTRY_BYTES:
            return
        path = self._path(key)
        try:
            self._prepare(path.parent)
            handle, temp = self._temporary(path.parent)
            try:
                with os.fdopen(handle, "w", encoding="utf-8", errors="surrogateescape") as stream:
                    stream.write(text)
                os.replace(temp, path)
            except BaseException:
                _remove(temp)
                raise
        except OSError:
            self._prepared.discard(path.parent)  # removed meanwhile (``detlint clean``)? made again next time
            # a read-only checkout simply runs without a cache

    def _temporary(self, folder: Path) -> tuple[int, Path]:
        """A new file to write an entry into, then renamed over it: named by this process and a counter
        (no two processes, or two entries of one, share a name), created exclusively, readable by its owner."""
        for _ in range(100):
            temp = folder / f".tmp-{os.getpid()}-{next(self._temp_names)}.json"
            try:
                return os.open(temp, _CREATE_FLAGS, 0o600), temp
            except FileExistsError:  # left by a killed run of a process with the same id
                continue
        raise FileExistsError(folder)

    def _prepare(self, folder: Path) -> None:
        """Create the entry's folder, and the cache's tag and .gitignore on first use (once per process)."""
        if folder in self._prepared:
            return
        folder.mkdir(parents=True, exist_ok=True)
        if not os.path.lexists(self.base / TAG_NAME):
            for name, text in ((TAG_NAME, _TAG), (".gitignore", "*\n")):
                _create(self.base / name, text)
        self._prepared.add(folder)

    # -- bounding ----------------------------------------------------------------------------------------
    def prune_if_due(self, now: float | None = None) -> bool:
        """Prune when the last pruning is older than ``PRUNE_INTERVAL_SECONDS`` (cheap otherwise)."""
        now = time.time() if now is None else now
        mark = self.base / _PRUNE_MARK
        try:
            if now - os.lstat(mark).st_mtime < PRUNE_INTERVAL_SECONDS:
                return False
        except FileNotFoundError:
            pass
        except OSError:
            return False
        if not self.folder.is_dir():
            return False
        self.prune(now=now)
        try:
            _remove(mark)
            _create(mark, "")
            os.utime(mark, (now, now))
        except OSError:
            pass
        return True

    def prune(self, max_bytes: int | None = None, max_age_days: float | None = None, now: float | None = None) -> None:
        """Remove entries unused for ``max_age_days``, then the least recently used beyond ``max_bytes``,
        and the folders of older cache formats."""
        now = time.time() if now is None else now
        max_bytes = MAX_TOTAL_BYTES if max_bytes is None else max_bytes
        oldest = now - 86400 * (MAX_AGE_DAYS if max_age_days is None else max_age_days)
        kept: list[tuple[float, int, Path]] = []
        for path in _cache_files(self.folder):
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode) or info.st_mtime < oldest:
                _remove(path)
            else:
                kept.append((info.st_mtime, info.st_size, path))
        total = sum(size for _, size, _ in kept)
        for _, size, path in sorted(kept, key=lambda item: item[0]):
            if total <= max_bytes:
                break
            _remove(path)
            total -= size
        import shutil  # here: shutil imports the compression modules, which a run seldom needs

        for old in _format_folders(self.base):
            if old != self.folder:
                shutil.rmtree(old, ignore_errors=True)


def clean(base: Path) -> bool:
    """Remove a cache folder; False when there is none. Refuses (``CleanError``) a folder that is not a
    detlint cache, so a mistyped ``--cache-dir`` cannot remove anything else."""
    if not os.path.lexists(base):
        return False
    if base.is_symlink() or not base.is_dir():
        raise CleanError(f"{base} is not a detlint cache folder")
    if not (base / TAG_NAME).is_file() and base.name != CACHE_DIR:
        raise CleanError(f"{base} is not a detlint cache folder (it has no {TAG_NAME})")
    unknown = [entry.name for entry in os.scandir(base)
               if entry.name not in (TAG_NAME, ".gitignore", _PRUNE_MARK) and not re.fullmatch(r"v\d+", entry.name)]
    if unknown:
        raise CleanError(f"{base} is not a detlint cache folder (it holds {', '.join(sorted(unknown)[:3])})")
    import shutil

    shutil.rmtree(base)
    return True


def _format_folders(base: Path) -> list[Path]:
    try:
        return [Path(entry.path) for entry in os.scandir(base)
                if re.fullmatch(r"v\d+", entry.name) and entry.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _cache_files(folder: Path) -> list[Path]:
    """The entries (and leftover temp files) of a cache format folder, without following links."""
    found = []
    try:
        shards = [entry for entry in os.scandir(folder) if entry.is_dir(follow_symlinks=False)]
        for shard in shards:
            found.extend(Path(entry.path) for entry in os.scandir(shard.path) if not entry.is_dir(follow_symlinks=False))
    except OSError:
        pass
    return found


def _create(path: Path, text: str) -> None:
    """Write a new small file; never opens an existing one (it could be a FIFO)."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except OSError:
        return
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _read_entry(path: Path) -> tuple[Any, float]:
    """An entry's JSON and its time of last use. Only a regular file (not a link, FIFO or device) of at
    most ``MAX_ENTRY_BYTES`` is read; the schema check then bounds the nesting to ``MAX_DEPTH``."""
    try:
        handle = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise
    except OSError as error:  # a symlink (O_NOFOLLOW), a folder, no permission
        raise _BadEntry(str(error)) from None
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            raise _BadEntry("not a regular file of acceptable size")
        raw = stream.read(MAX_ENTRY_BYTES + 1)
    if len(raw) > MAX_ENTRY_BYTES:
        raise _BadEntry("too large")
    try:
        return json.loads(raw), info.st_mtime
    except (ValueError, RecursionError) as error:  # the parser stops deep nesting with RecursionError
        raise _BadEntry(str(error)) from None


def _depth(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether a parsed JSON value nests at most ``limit`` levels (checked without recursion)."""
    level = [value]
    for _ in range(limit + 1):
        level = [child for item in level if isinstance(item, (dict, list))
                 for child in (item.values() if isinstance(item, dict) else item)]
        if not level:
            return True
    return False


# -- schema ---------------------------------------------------------------------------------------------------
def _validated(entry: Any, key: str, display: str | None) -> list[Finding]:
    """The findings of an entry made for ``key`` (and the file ``display``); ``_BadEntry`` for anything else."""
    _expect(isinstance(entry, dict) and set(entry) == {"format", "key", "deps", "folders", "project", "findings"},
            "keys")
    _expect(entry["format"] == _FORMAT and entry["key"] == key, "made for another key or format")
    deps, folders, findings = entry["deps"], entry["folders"], entry["findings"]
    # A dependency's recorded state is only compared for equality with the current one, so a malformed
    # state makes the entry stale: checking the containers is enough.
    _expect(isinstance(deps, dict) and isinstance(folders, dict), "deps")
    _expect(entry["project"] is None or isinstance(entry["project"], str), "project")
    _expect(isinstance(findings, list) and _depth(findings), "findings")
    result = [_finding_from(item) for item in findings]
    paths = {finding.path for finding in result}
    _expect(len(paths) <= 1 and (display is None or paths <= {display}), "findings of another file")
    return result


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise _BadEntry(what)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_position(value: Any) -> bool:
    return _is_int(value) and value >= 0


def _is_optional_int(value: Any) -> bool:
    return value is None or _is_position(value)


_FINDING_KEYS = {"path", "line", "column", "end_line", "end_column", "code", "name", "severity", "message", "data",
                 "cell", "notebook_line", "fix"}


def _finding_to(finding: Finding) -> dict[str, Any]:
    item = {
        "path": finding.path, "line": finding.line, "column": finding.column, "end_line": finding.end_line,
        "end_column": finding.end_column, "code": finding.code, "name": finding.name, "severity": finding.severity,
        "message": finding.message, "data": finding.data, "cell": finding.cell,
        "notebook_line": finding.notebook_line, "fix": None,
    }
    if finding.fix is not None:
        item["fix"] = {"title": finding.fix.title, "safe": finding.fix.safe,
                       "edits": [[e.start_line, e.start_column, e.end_line, e.end_column, e.text] for e in finding.fix.edits]}
    return item


def _finding_from(item: Any) -> Finding:
    _expect(isinstance(item, dict) and set(item) == _FINDING_KEYS, "finding keys")
    _expect(all(_is_position(item[k]) for k in ("line", "column", "end_line", "end_column")), "finding position")
    _expect(all(isinstance(item[k], str) for k in ("path", "code", "name", "severity", "message")), "finding text")
    _expect(bool(_CODE.fullmatch(item["code"])) and item["severity"] in ("error", "warning"), "finding code")
    _expect(isinstance(item["data"], dict) and _is_optional_int(item["cell"]) and _is_optional_int(item["notebook_line"]),
            "finding data")
    fix = None
    if item["fix"] is not None:
        raw = item["fix"]
        _expect(isinstance(raw, dict) and set(raw) == {"title", "safe", "edits"} and isinstance(raw["title"], str)
                and isinstance(raw["safe"], bool) and isinstance(raw["edits"], list), "fix")
        for edit in raw["edits"]:
            _expect(isinstance(edit, list) and len(edit) == 5 and all(_is_position(v) for v in edit[:4])
                    and isinstance(edit[4], str), "fix edit")
        fix = Fix(raw["title"], tuple(Edit(*e) for e in raw["edits"]), raw["safe"])
    return Finding(item["path"], item["line"], item["column"], item["end_line"], item["end_column"], item["code"],
                   item["name"], item["severity"], item["message"], fix, item["data"], item["cell"],
                   item["notebook_line"])
