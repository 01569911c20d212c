"""Which files a run lints: walk the given paths, apply exclusions, keep a stable order."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from detlint.config import Config

SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb")


@dataclass(frozen=True)
class SourceFile:
    path: Path  # where to read it
    display: str  # how to name it in output: as given on the command line, or joined to it


def discover(paths: list[str], config: Config, force_exclude: bool = False) -> tuple[list[SourceFile], list[str]]:
    """Files to lint, and error messages for paths that do not exist or cannot be listed."""
    files: list[SourceFile] = []
    errors: list[str] = []
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if not os.path.lexists(path):
            errors.append(f"{given}: no such file or directory")
            continue
        if path.is_dir():
            if config.is_excluded(path) and given not in (".", "./") and force_exclude:
                continue
            found, walk_errors = _walk(path, given, config)
            errors.extend(walk_errors)
        else:
            if force_exclude and config.is_excluded(path):
                continue
            found = [SourceFile(path, given)]
        for source in found:
            key = os.path.normcase(os.path.abspath(source.path))
            if key not in seen:
                seen.add(key)
                files.append(source)
    return files, errors


def _walk(root: Path, given: str, config: Config) -> tuple[list[SourceFile], list[str]]:
    found: list[SourceFile] = []
    errors: list[str] = []

    def on_error(error: OSError) -> None:
        errors.append(f"{error.filename}: cannot list directory: {error.strerror}")

    for folder, dirs, names in os.walk(root, onerror=on_error):  # does not follow symlinked dirs: no loops
        folder_path = Path(folder)
        dirs[:] = sorted(d for d in dirs if not config.is_excluded(folder_path / d, is_dir=True))
        for name in sorted(names):
            if not name.endswith(SOURCE_SUFFIXES):
                continue
            path = folder_path / name
            if config.is_excluded(path, is_dir=False):
                continue
            if not os.path.isfile(path) and not os.path.islink(path):
                continue  # a FIFO, socket or device named like a source file: never read it
            relative = os.path.relpath(path, root)
            display = relative if given in (".", "./") else os.path.join(given, relative)
            found.append(SourceFile(path, display))
    return found, errors
