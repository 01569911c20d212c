"""The command line's adoption modes: ``--add-noqa``, ``--write-baseline`` and ``--baseline``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from detlint.api import RunResult
from detlint.cli import EXIT_CLEAN, EXIT_ERROR
from detlint.baseline import BaselineError, apply_baseline, read_baseline, write_baseline
from detlint.notebook import NotebookError, read_notebook
from detlint.noqa import add_noqa_to_files
from detlint.source import SourceError, decode



def linted_text_reader(stdin: bytes | None, stdin_name: str | None):  # type: ignore[no-untyped-def]
    """``read_text(display_path)``: the text detlint linted for that path (stdin included)."""
    def read_text(display: str) -> str | None:
        try:
            data = stdin if stdin is not None and display == (stdin_name or "<stdin>") else Path(display).read_bytes()
            assert data is not None
            return read_notebook(data).text if display.endswith(".ipynb") else decode(data).text
        except (OSError, SourceError, NotebookError):
            return None

    return read_text


def _in_scope(entry_path: str, paths: list[str]) -> bool:
    """A baseline entry is judged only when its file was among those checked."""
    target = os.path.normpath(os.path.abspath(entry_path))
    for given in paths:
        root = os.path.normpath(os.path.abspath(given))
        if target == root or target.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False


def adopt(args: argparse.Namespace, result: RunResult, stdin: bytes | None) -> int | None:
    """Run the adoption mode the arguments ask for. Returns the exit status when the run ends
    here, ``None`` when the (filtered) findings should be reported as usual."""
    read_text = linted_text_reader(stdin, args.stdin_filename)
    if result.errors:
        return None  # internal errors are reported as usual and exit 2
    if args.add_noqa:
        if stdin is not None:
            sys.stderr.write("detlint: error: --add-noqa edits files; it cannot be used with standard input\n")
            return EXIT_ERROR
        done = add_noqa_to_files(result.findings)
        for problem in done.problems:
            sys.stderr.write(f"detlint: warning: {problem}\n")
        sys.stderr.write(f"Added {done.comments} noqa comment{'s' * (done.comments != 1)} "
                         f"to {done.files} file{'s' * (done.files != 1)}.\n")
        return EXIT_CLEAN if not done.problems else EXIT_ERROR
    if args.write_baseline:
        try:
            count = write_baseline(args.write_baseline, result.findings, read_text)
        except OSError as error:
            sys.stderr.write(f"detlint: error: cannot write baseline {args.write_baseline}: {error}\n")
            return EXIT_ERROR
        sys.stderr.write(f"Recorded {count} finding{'s' * (count != 1)} in {args.write_baseline}.\n")
        return EXIT_CLEAN
    try:
        entries = read_baseline(args.baseline)
    except BaselineError as error:
        sys.stderr.write(f"detlint: error: {error}\n")
        return EXIT_ERROR
    result.findings, gone = apply_baseline(result.findings, entries, read_text)
    checked = [args.stdin_filename or "<stdin>"] if stdin is not None else (args.paths or ["."])
    gone = [entry for entry in gone if _in_scope(entry.path, checked)]
    if gone:
        sys.stderr.write(f"detlint: {len(gone)} baseline entr{'ies' if len(gone) != 1 else 'y'} no longer "
                         f"occur (run --write-baseline again to shrink {args.baseline}):\n")
        for entry in gone:
            sys.stderr.write(f"  {entry.path}:{entry.line}: {entry.code} {entry.message}\n")
    return None
