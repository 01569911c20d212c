"""``detlint check --watch``: check, then check again whenever a watched file changes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

WATCHED_SUFFIXES = (".py", ".pyi", ".ipynb", ".toml")


def _relevant(_change: object, path: str) -> bool:
    return path.endswith(WATCHED_SUFFIXES) and "/.detlint_cache/" not in path.replace("\\", "/")


def watch(paths: list[str], check: Callable[[], int]) -> int:
    """Run ``check`` now and after every batch of changes under ``paths``; Ctrl-C ends it (exit 0)."""
    try:
        from watchfiles import watch as changes_under
    except ImportError as error:
        sys.stderr.write(f"detlint: error: --watch needs the 'watch' extra: pip install 'detlint[watch]' ({error})\n")
        return 2
    roots = sorted({str(Path(p).resolve().parent if Path(p).is_file() else Path(p).resolve()) for p in paths})
    check()
    announced = False
    try:
        # The watcher yields an empty set when it times out waiting: from then on it is watching, so
        # a change made after the announcement is never missed.
        for changes in changes_under(*roots, watch_filter=_relevant, debounce=200, raise_interrupt=False,
                                     yield_on_timeout=True, rust_timeout=300):
            if changes:
                sys.stdout.write("\n")
                check()
            elif announced:
                continue
            sys.stdout.flush()
            sys.stderr.write("detlint: watching for changes (Ctrl-C stops)\n")
            sys.stderr.flush()
            announced = True
    except KeyboardInterrupt:
        pass
    return 0
