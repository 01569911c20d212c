"""Command line: arguments, output format choice and exit codes. Nothing else lives here.

Exit codes: 0 no findings, 1 findings (or --diff would change files), 2 usage, configuration
or internal error (message on stderr), 141 the reader of the output went away (``| head``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import NoReturn, Sequence, TextIO

from detlint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"detlint: error: {message}\n")
        raise SystemExit(EXIT_ERROR)


def _codes(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


def _jobs(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="detlint", description="Find nondeterminism and save/load pitfalls in ML code.")
    parser.add_argument("--version", action="version", version=f"detlint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="lint files and folders (default: .)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders; '-' reads standard input")
    check.add_argument("--stdin-filename", metavar="NAME", help="file name to report for standard input")
    check.add_argument("--select", type=_codes, action="append", metavar="CODES",
                       help="rule codes or prefixes to enable (replaces the default set and the configuration's "
                       "select, extend-select and ignore)")
    check.add_argument("--ignore", type=_codes, action="append", metavar="CODES", help="codes or prefixes to disable")
    check.add_argument("--extend-select", type=_codes, action="append", metavar="CODES",
                       help="codes or prefixes to enable in addition (e.g. the opt-in DET001, DET201, DET306)")
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
    check.add_argument("--unfixable", type=_codes, action="append", metavar="CODES",
                       help="codes or prefixes whose fixes are never applied")
    check.add_argument("--fix-only", action="store_true",
                       help="apply fixes and report nothing about what remains (implies --fix)")
    check.add_argument("--exit-non-zero-on-fix", action="store_true",
                       help="exit 1 when fixes were applied, even if nothing remains")
    check.add_argument("--watch", action="store_true",
                       help="check again whenever a file changes (needs detlint[watch]; Ctrl-C stops)")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    check.add_argument("--cache-dir", type=Path, metavar="DIR",
                       help="result cache folder (default: $DETLINT_CACHE_DIR, else .detlint_cache/ at the project root)")
    check.add_argument("--jobs", "-j", type=_jobs, metavar="N",
                       help="worker processes (default: one per core for many files)")
    check.add_argument("--progress", action="store_true",
                       help="show a progress bar (automatic when stderr is a terminal and there are many files)")
    check.add_argument("--force-exclude", action="store_true",
                       help="apply exclusions also to files named explicitly (for pre-commit)")
    check.add_argument("--output-file", "-o", type=Path, metavar="PATH",
                       help="write the report to PATH instead of standard output")
    adoption = check.add_argument_group("adopting detlint on an existing codebase")
    adoption.add_argument("--add-noqa", action="store_true",
                          help="add `# noqa: CODES` to every line with a finding (merged with existing comments)")
    adoption.add_argument("--baseline", type=Path, metavar="FILE",
                          help="report only findings not recorded in FILE (see --write-baseline)")
    adoption.add_argument("--write-baseline", type=Path, metavar="FILE",
                          help="record every current finding in FILE and exit 0")
    show = check.add_mutually_exclusive_group()
    show.add_argument("--show-settings", action="store_true",
                      help="print the resolved configuration and the file it came from; lint nothing")
    show.add_argument("--show-files", action="store_true",
                      help="print the files that would be checked, one per line; lint nothing")

    clean = commands.add_parser("clean", help="remove the result cache")
    clean.add_argument("paths", nargs="*", metavar="PATH", help="a file or folder of the project (default: .)")
    clean.add_argument("--cache-dir", type=Path, metavar="DIR", help="the cache folder to remove")

    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")

    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("code", metavar="CODE")
    explain.add_argument("--no-color", action="store_true")

    commands.add_parser("server", help="run the language server over stdio (needs detlint[lsp])")

    probe = commands.add_parser("probe", help="confirm flagged pitfalls with real runs (needs detlint[probe])",
                                add_help=False)
    probe.add_argument("probe_args", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; any unexpected error is reported briefly and exits 2, never 1."""
    try:
        return _main(argv)
    except BrokenPipeError:
        return _stdout_closed()
    except Exception as error:  # noqa: BLE001 - the last line of defence: exit 1 must mean findings only
        import traceback

        traceback.print_exc(file=sys.stderr)
        sys.stderr.write(f"detlint: internal error: {type(error).__name__}: {error}\n"
                         "(this is a bug in detlint; please report it with the traceback above)\n")
        return EXIT_ERROR


def console_main(argv: Sequence[str] | None = None) -> NoReturn:
    """The ``detlint`` program (the console script and ``python -m detlint``): :func:`main`, then the
    output flushed and the process ended at once, as mypy does. Tearing the interpreter down (freeing
    every module and object, LibCST's included) took longer than checking a small file, and a
    pre-commit hook pays it on every commit. :func:`main` itself returns as usual, for callers in-process."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:  # started with that descriptor closed (`detlint check >&-`)
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - for the process's life
    try:
        code = main(argv)
    except SystemExit as stop:  # argparse: --help, --version, a usage error
        if stop.code is not None and not isinstance(stop.code, int):
            raise
        code = stop.code or EXIT_CLEAN
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = _stdout_closed()
    except (OSError, ValueError):
        pass
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    import threading

    if any(thread.is_alive() and not thread.daemon for thread in threading.enumerate()
           if thread is not threading.main_thread()):
        sys.exit(code)  # a thread that must finish (an editor integration's): the usual exit waits for it
    os._exit(code)


EXIT_BROKEN_PIPE = 141  # what shells report for a program stopped by SIGPIPE (`detlint check | head`)


def _stdout_closed() -> int:
    """The reader of our output went away: stop quietly. Python flushes stdout again at exit, so point
    it at devnull first (as the Python documentation on SIGPIPE recommends)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return EXIT_BROKEN_PIPE


def _main(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "probe":
        return _probe(args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "clean":
            return _clean(args, sys.stdout)
        if args.command == "rules":
            return _rules(args, sys.stdout)
        if args.command == "explain":
            return _explain(args, sys.stdout)
        if args.command == "server":
            return _server()
    except KeyboardInterrupt:
        sys.stderr.write("detlint: interrupted\n")
        return EXIT_ERROR
    parser.print_help(sys.stderr)
    return EXIT_ERROR


def _server() -> int:
    try:
        from detlint.server import serve
    except ImportError as error:
        sys.stderr.write(f"detlint: error: the language server needs the 'lsp' extra: pip install 'detlint[lsp]' ({error})\n")
        return EXIT_ERROR
    serve()
    return EXIT_CLEAN


def _use_color(no_color: bool, stream: TextIO) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _flatten(values: list[list[str]] | None) -> tuple[str, ...]:
    return tuple(code for group in values or [] for code in group)


def _check(args: argparse.Namespace) -> int:
    from detlint.api import FixMode
    from detlint.config import ConfigError, Options, expand_codes

    if args.fix_only:
        args.fix = True
    if args.fix and args.diff:
        sys.stderr.write("detlint: error: --fix and --diff cannot be used together\n")
        return EXIT_ERROR
    adopting = [flag for flag, on in (("--add-noqa", args.add_noqa), ("--write-baseline", args.write_baseline),
                                      ("--fix", args.fix), ("--diff", args.diff)) if on]
    if len(adopting) > 1:
        sys.stderr.write(f"detlint: error: {' and '.join(adopting)} cannot be used together\n")
        return EXIT_ERROR
    paths = args.paths or ["."]
    stdin = None
    if args.stdin_filename is not None and args.paths not in ([], ["-"]):
        sys.stderr.write("detlint: error: --stdin-filename reads standard input; it cannot be combined with paths\n")
        return EXIT_ERROR
    if paths == ["-"] or args.stdin_filename is not None:  # --stdin-filename alone also means '-' (as in ruff)
        paths = ["-"]
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
    try:
        unfixable_codes = frozenset(expand_codes(_flatten(args.unfixable), "--unfixable"))
    except ConfigError as error:
        sys.stderr.write(f"detlint: error: {error}\n")
        return EXIT_ERROR
    fix = FixMode(apply=args.fix, diff=args.diff, unsafe=args.unsafe_fixes, unfixable=unfixable_codes)
    if args.watch:
        if stdin is not None or fix.active or args.add_noqa or args.write_baseline:
            sys.stderr.write("detlint: error: --watch only reports: it cannot be combined with standard input, "
                             "--fix, --diff, --add-noqa or --write-baseline\n")
            return EXIT_ERROR
        from detlint.watch import watch

        return watch(paths, lambda: _check_once(args, paths, options, fix, None))
    return _check_once(args, paths, options, fix, stdin)


def _check_once(args: argparse.Namespace, paths: list[str], options: "Options", fix: "FixMode",
                stdin: bytes | None) -> int:
    from detlint.api import run
    from detlint.config import ConfigError
    from detlint.output import RenderContext, renderer
    from detlint.output.printable import printable

    bar = _ProgressBar(args.progress, _use_color(args.no_color, sys.stderr) or args.progress)
    try:
        result = run(paths, options, fix=fix, force_exclude=args.force_exclude, stdin=stdin,
                     stdin_filename=args.stdin_filename, use_cache=not args.no_cache, progress=bar.update, jobs=args.jobs,
                     cache_dir=args.cache_dir)
    except ConfigError as error:
        sys.stderr.write(f"detlint: error: {error}\n")
        return EXIT_ERROR
    finally:
        bar.close()
    if args.add_noqa or args.write_baseline or args.baseline:
        from detlint.adoption import adopt

        status = adopt(args, result, stdin)
        if status is not None:
            return status
    out = sys.stdout
    if args.diff:
        _write_diffs(out, result.diffs)
    elif args.fix and stdin is not None:
        # The fixed buffer owns stdout, byte for byte in the input's format; findings go to stderr.
        fixed = result.fixed_stdin if result.fixed_stdin is not None else stdin
        out.flush()
        if hasattr(out, "buffer"):
            out.buffer.write(fixed)
            out.buffer.flush()
        else:  # a text-only stream (stdout replaced by a caller)
            out.write(fixed.decode("utf-8", errors="surrogateescape"))
        out = sys.stderr
    report = None
    if args.output_file is not None and not args.diff:
        try:
            report = open(args.output_file, "w", encoding="utf-8", newline="")
        except OSError as error:
            sys.stderr.write(f"detlint: error: cannot write --output-file {args.output_file}: "
                             f"{error.strerror or error}\n")
            return EXIT_ERROR
        out = report
    context = RenderContext(color=_use_color(args.no_color, out), quiet=args.quiet, statistics=args.statistics,
                            unsafe_fixes=args.unsafe_fixes)
    if args.fix_only:
        result.findings = []  # what remains is not reported; the summary says what was fixed
    if not args.diff:
        try:
            renderer(args.format)(result, out, context)
        finally:
            if report is not None:
                report.close()
    for error in result.errors:
        sys.stderr.write(f"detlint: error: {printable(error, keep=chr(10))}\n")  # names from the disk: escaped
    if result.errors:
        return EXIT_ERROR
    if args.diff:
        return EXIT_FINDINGS if result.fixed else EXIT_CLEAN
    if args.exit_non_zero_on_fix and result.fixed:
        return EXIT_FINDINGS
    if args.fix_only:
        return EXIT_CLEAN
    if result.findings and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _write_diffs(out: TextIO, diffs: list[str]) -> None:
    """The diffs as bytes: they carry the files' own bytes (any encoding), see detlint.patch."""
    from detlint.patch import to_bytes

    buffer = getattr(out, "buffer", None)
    if buffer is None:  # a text-only stream (the library used in-process)
        out.write("".join(diffs))
        return
    out.flush()
    buffer.write(b"".join(to_bytes(diff) for diff in diffs))
    buffer.flush()


def _clean(args: argparse.Namespace, stream: TextIO) -> int:
    from detlint.analysis.project import find_project_root
    from detlint.cache import CleanError, clean, default_cache_dir

    folder = args.cache_dir or default_cache_dir(find_project_root([Path(p) for p in args.paths or ["."]]))
    try:
        removed = clean(folder)
    except CleanError as error:
        sys.stderr.write(f"detlint: error: {'--cache-dir: ' if args.cache_dir else ''}{error}\n")
        return EXIT_ERROR
    except OSError as error:
        sys.stderr.write(f"detlint: error: cannot remove {folder}: {error}\n")
        return EXIT_ERROR
    stream.write(f"removed {folder}\n" if removed else f"no cache at {folder}\n")
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
