"""gitignore-style path patterns (``exclude``, ``per-file-ignores``) and ``.gitignore`` files.

Matching is pathspec's implementation of git's rules, so ``**`` matches zero or more folders, a pattern
without a ``/`` matches a name at any depth, a leading ``/`` anchors it and a trailing ``/`` matches folders
only. pathspec is imported on first use: runs that match nothing never load it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from pathspec import PathSpec


def compile_patterns(patterns: Iterable[str]) -> "PathSpec":
    """One gitignore-style spec; ``./x`` (a common way to write "x at the top") is read as ``/x``."""
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines("/" + p[2:] if p.startswith("./") else p for p in patterns)


def relative_posix(path: str | os.PathLike[str], base: str) -> str:
    """``path`` relative to the absolute folder ``base``, with '/' separators. A path outside ``base`` is
    taken as given (its leading '/' dropped), so patterns without '/' still match its names."""
    absolute = _absolute(path)
    prefix = base if base.endswith(os.sep) else base + os.sep
    if absolute.startswith(prefix):
        relative = absolute[len(prefix):]
    elif absolute == base:
        relative = ""
    else:
        relative = os.path.splitdrive(os.fspath(path))[1].lstrip("/\\")
    return relative.replace(os.sep, "/") if os.sep != "/" else relative


def _absolute(path: str | os.PathLike[str]) -> str:
    """A normalised absolute path; skips the working-folder look-up for a path that is absolute already."""
    text = os.fspath(path)
    return os.path.normpath(text) if os.path.isabs(text) else os.path.abspath(text)


class PatternMatcher:
    """Paths matched against gitignore-style patterns that are relative to one folder."""

    def __init__(self, base_dir: Path, patterns: Sequence[str]) -> None:
        self._base = os.path.abspath(base_dir)
        self._spec = compile_patterns(patterns) if patterns else None

    def relative(self, path: str | os.PathLike[str]) -> str:
        return relative_posix(path, self._base)

    def matches(self, path: str | os.PathLike[str], is_dir: bool = False) -> bool:
        return self.matches_relative(self.relative(path), is_dir)

    def matches_relative(self, relative: str, is_dir: bool = False) -> bool:
        if self._spec is None or not relative:
            return False
        return bool(self._spec.match_file(relative + "/" if is_dir else relative))


class _IgnoreFile:
    """The patterns of one ignore file. ``decide`` is True (ignored), False (re-included by a ``!``
    pattern) or None (no pattern matches: a shallower file decides)."""

    def __init__(self, lines: list[str]) -> None:
        self._last_match = compile_patterns(lines)
        # the same patterns without negation: does any pattern match at all?
        self._any_match = compile_patterns(line[1:] if line.startswith("!") else line for line in lines)

    def decide(self, relative: str) -> bool | None:
        if not self._any_match.match_file(relative):
            return None
        return bool(self._last_match.match_file(relative))


class GitIgnoreFiles:
    """The ``.gitignore`` files that apply to paths, applied as git applies them: each file's patterns are
    relative to its folder, a deeper file overrides a shallower one, and nothing below an ignored folder is
    re-included. Files are read from the repository's top folder (the nearest folder with ``.git``, whose
    ``.git/info/exclude`` counts too) down; outside a repository, from ``fallback_top`` down. Every folder's
    file is read once."""

    def __init__(self, fallback_top: Path) -> None:
        self._fallback = os.path.abspath(fallback_top)
        self._git_roots: dict[str, str | None] = {}
        self._chains: dict[str, tuple[tuple[str, _IgnoreFile], ...]] = {}
        self._ignored_folders: dict[str, bool] = {}

    def is_ignored(self, path: str | os.PathLike[str], is_dir: bool) -> bool:
        folder, name = os.path.split(_absolute(path))
        if not name:
            return False
        return self._folder_ignored(folder) or self._decide(folder, name, is_dir)

    def _decide(self, folder: str, name: str, is_dir: bool) -> bool:
        entry = name + "/" if is_dir else name
        for prefix, ignore_file in self._chain(folder):  # deepest first
            decision = ignore_file.decide(prefix + entry)
            if decision is not None:
                return decision
        return False

    def _folder_ignored(self, folder: str) -> bool:
        cached = self._ignored_folders.get(folder)
        if cached is None:
            top = self._top(folder)
            parent, name = os.path.split(folder)
            cached = top is not None and folder != top and name != "" and (
                self._folder_ignored(parent) or self._decide(parent, name, True))
            self._ignored_folders[folder] = cached
        return cached

    def _chain(self, folder: str) -> tuple[tuple[str, _IgnoreFile], ...]:
        """(path of ``folder`` relative to an ignore file's folder + '/', that file), deepest first."""
        cached = self._chains.get(folder)
        if cached is None:
            top = self._top(folder)
            if top is None:
                cached = ()
            else:
                own = self._read(folder, at_top=folder == top)
                cached = ((("", own),) if own is not None else ())
                if folder != top:
                    parent, name = os.path.split(folder)
                    cached += tuple((name + "/" + prefix, ignore_file)
                                    for prefix, ignore_file in self._chain(parent))
            self._chains[folder] = cached
        return cached

    def _top(self, folder: str) -> str | None:
        root = self._git_root(folder)
        if root is not None:
            return root
        if folder == self._fallback or folder.startswith(self._fallback.rstrip(os.sep) + os.sep):
            return self._fallback
        return None

    def _git_root(self, folder: str) -> str | None:
        if folder not in self._git_roots:
            parent = os.path.dirname(folder)
            if os.path.lexists(os.path.join(folder, ".git")):
                self._git_roots[folder] = folder
            else:
                self._git_roots[folder] = None if parent == folder else self._git_root(parent)
        return self._git_roots[folder]

    @staticmethod
    def _read(folder: str, at_top: bool) -> _IgnoreFile | None:
        lines: list[str] = []
        names = [os.path.join(".git", "info", "exclude"), ".gitignore"] if at_top else [".gitignore"]
        for name in names:  # later lines win: .gitignore over .git/info/exclude, as in git
            try:
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
                    lines.extend(handle.read().splitlines())
            except OSError:  # absent, a folder, unreadable: no patterns
                continue
        return _IgnoreFile(lines) if any(line.strip() and not line.startswith("#") for line in lines) else None
