"""Command line: arguments, output format choice and exit codes. Nothing else lives here.

Exit codes: 0 no findings, 1 findings (or --diff would change files), 2 usage, configuration
or internal error (message on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence, TextIO

from detlint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"detlint: error: {message}\n")
        raise SystemExit(EXIT_ERROR)


def _codes(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="detlint", description="Find nondeterminism and save/load pitfalls in ML code.")
    parser.add_argument("--version", action="version", version=f"detlint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="lint files and folders (default: .)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders; '-' reads standard input")
    check.add_argument("--stdin-filename", metavar="NAME", help="file name to report for standard input")
    check.add_argument("--select", type=_codes, action="append", metavar="CODES",
                       help="rule codes or prefixes to enable (replaces the default set)")
    check.add_argument("--ignore", type=_codes, action="append", metavar="CODES", help="codes or prefixes to disable")
    check.add_argument("--extend-select", type=_codes, action="append", metavar="CODES",
                       help="codes or prefixes to enable in addition (e.g. the opt-in DET201, DET306)")
    from detlint.output import FORMATS

    check.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--config", type=Path, metavar="PATH", help="configuration file (default: nearest pyproject.toml)")
    check.add_argument("--no-color", action="store_true", help="plain output without colours")
    check.add_argument("--quiet", "-q", action="store_true", help="print only the summary (text format)")
    check.add_argument("--statistics", action="store_true", help="print the number of findings per rule")
    check.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    check.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that may change behaviour")
    check.add_argument("--no-cache", action="store_true", help="do not read or write .detlint_cache/")
    check.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: one per core for many files)")
    check.add_argument("--progress", action="store_true",
                       help="show a progress bar (automatic when stderr is a terminal and there are many files)")
    check.add_argument("--force-exclude", action="store_true",
                       help="apply exclusions also to files named explicitly (for pre-commit)")
    show = check.add_mutually_exclusive_group()
    show.add_argument("--show-settings", action="store_true",
                      help="print the resolved configuration and the file it came from; lint nothing")
    show.add_argument("--show-files", action="store_true",
                      help="print the files that would be checked, one per line; lint nothing")

    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")

    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("code", metavar="CODE")
    explain.add_argument("--no-color", action="store_true")

    probe = commands.add_parser("probe", help="confirm flagged pitfalls with real runs (needs detlint[probe])",
                                add_help=False)
    probe.add_argument("probe_args", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "probe":
        return _probe(args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "rules":
            return _rules(args, sys.stdout)
        if args.command == "explain":
            return _explain(args, sys.stdout)
    except KeyboardInterrupt:
        sys.stderr.write("detlint: interrupted\n")
        return EXIT_ERROR
    parser.print_help(sys.stderr)
    return EXIT_ERROR


def _use_color(no_color: bool, stream: TextIO) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _flatten(values: list[list[str]] | None) -> tuple[str, ...]:
    return tuple(code for group in values or [] for code in group)


def _check(args: argparse.Namespace) -> int:
    from detlint.api import FixMode, run
    from detlint.config import ConfigError, Options
    from detlint.output import RenderContext, renderer

    if args.fix and args.diff:
        sys.stderr.write("detlint: error: --fix and --diff cannot be used together\n")
        return EXIT_ERROR
    paths = args.paths or ["."]
    stdin = None
    if paths == ["-"]:
        stdin = sys.stdin.buffer.read()
    elif "-" in paths:
        sys.stderr.write("detlint: error: '-' (standard input) cannot be combined with other paths\n")
        return EXIT_ERROR
    options = Options(
        select=_flatten(args.select) if args.select else None,
        ignore=_flatten(args.ignore),
        extend_select=_flatten(args.extend_select),
        config_path=args.config,
        unsafe_fixes=args.unsafe_fixes,
    )
    if args.show_settings or args.show_files:
        from detlint.show import show

        return show(paths, options, files=args.show_files, force_exclude=args.force_exclude,
                    stdin_filename=args.stdin_filename, out=sys.stdout, err=sys.stderr)
    fix = FixMode(apply=args.fix, diff=args.diff, unsafe=args.unsafe_fixes)
    bar = _ProgressBar(args.progress, _use_color(args.no_color, sys.stderr) or args.progress)
    try:
        result = run(paths, options, fix=fix, force_exclude=args.force_exclude, stdin=stdin,
                     stdin_filename=args.stdin_filename, use_cache=not args.no_cache, progress=bar.update, jobs=args.jobs)
    except ConfigError as error:
        sys.stderr.write(f"detlint: error: {error}\n")
        return EXIT_ERROR
    finally:
        bar.close()
    out = sys.stdout
    if args.diff:
        for diff in result.diffs:
            out.write(diff)
    elif args.fix and stdin is not None:
        out.write(result.diffs[0] if result.diffs else stdin.decode("utf-8", errors="surrogateescape"))
        out = sys.stderr  # the fixed buffer owns stdout; findings go to stderr
    context = RenderContext(color=_use_color(args.no_color, out), quiet=args.quiet, statistics=args.statistics)
    if not args.diff:
        renderer(args.format)(result, out, context)
    for error in result.errors:
        sys.stderr.write(f"detlint: error: {error}\n")
    if result.errors:
        return EXIT_ERROR
    if args.diff:
        return EXIT_FINDINGS if result.fixed else EXIT_CLEAN
    if result.findings and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


class _ProgressBar:
    """A rich progress bar on stderr, started only once a run turns out to have many files."""

    MIN_FILES = 50

    def __init__(self, forced: bool, terminal: bool) -> None:
        self.enabled = forced or (terminal and sys.stderr.isatty())
        self.forced = forced
        self.progress = None
        self.task = None

    def update(self, done: int, total: int) -> None:
        if not self.enabled or (total < self.MIN_FILES and not self.forced):
            return
        if self.progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self.progress = Progress("[progress.description]checking", BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), console=Console(file=sys.stderr), transient=True)
            self.progress.start()
            self.task = self.progress.add_task("check", total=total)
        self.progress.update(self.task, completed=done)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _fix_label(meta: object) -> str:
    fix = meta.fix  # type: ignore[attr-defined]
    if fix == "never":
        return "no"
    return f"{fix}, {'safe' if meta.fix_safe else 'unsafe'}"  # type: ignore[attr-defined]


def _rules(args: argparse.Namespace, stream: TextIO) -> int:
    from detlint.rules import all_rules

    rules = all_rules()
    if args.format == "json":
        json.dump([{
            "code": code, "name": r.meta.name, "summary": r.meta.summary, "severity": r.meta.severity,
            "default": r.meta.default_enabled, "fix": r.meta.fix, "fix_safe": r.meta.fix_safe,
        } for code, r in rules.items()], stream, indent=2)
        stream.write("\n")
        return EXIT_CLEAN
    rows = [(code, r.meta.name, r.meta.severity, "on" if r.meta.default_enabled else "off (opt-in)",
             _fix_label(r.meta), r.meta.summary) for code, r in rules.items()]
    header = ("CODE", "NAME", "SEVERITY", "DEFAULT", "FIXABLE", "SUMMARY")
    widths = [max(len(str(row[i])) for row in (*rows, header)) for i in range(5)]
    for row in (header, *rows):
        stream.write("  ".join(str(v).ljust(widths[i]) for i, v in enumerate(row[:5])) + "  " + row[5] + "\n")
    return EXIT_CLEAN


def _explain(args: argparse.Namespace, stream: TextIO) -> int:
    from detlint.docs import load_doc
    from detlint.rules import all_rules

    code = args.code.upper()
    if code not in all_rules():
        sys.stderr.write(f"detlint: error: unknown rule {args.code!r} (see `detlint rules`)\n")
        return EXIT_ERROR
    doc = load_doc(code)
    if doc is None:
        sys.stderr.write(f"detlint: error: no documentation found for {code}\n")
        return EXIT_ERROR
    if _use_color(args.no_color, stream):
        from rich.console import Console
        from rich.markdown import Markdown

        Console(file=stream).print(Markdown(doc.text))
    else:
        stream.write(doc.text if doc.text.endswith("\n") else doc.text + "\n")
    return EXIT_CLEAN


def _probe(argv: list[str]) -> int:
    try:
        from runtime_probe.cli import main as probe_main
    except ImportError as error:
        sys.stderr.write(f"detlint: error: the runtime probe is not available ({error})\n")
        return EXIT_ERROR
    return probe_main(argv)
