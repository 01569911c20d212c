"""``detlint probe``: confirm flagged pitfalls with tiny real experiments.

Exit codes: 0 no pitfall confirmed, 1 at least one CONFIRMED, 2 usage error
(or the linter could not run), 130 interrupted.
"""

from __future__ import annotations

import argparse
import datetime
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from runtime_probe import __version__
from runtime_probe.child import HIDE_ENV_VAR, hidden_modules
from runtime_probe.environment import fingerprint
from runtime_probe.findings import FindingRef, as_finding_refs, parse_code_filter
from runtime_probe.progress import LiveProgress
from runtime_probe.report import ProbeReport, render_json, render_text
from runtime_probe.runner import DEFAULT_TIMEOUT_S, ProbePlan, default_jobs, plan_all, plan_for_findings, run_plan
from runtime_probe.scenarios import probed_codes

NON_TERMINAL_WIDTH = 120
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """Bad combination of options or paths; reported as ``error: ...`` with exit code 2."""


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _code_filter(text: str) -> frozenset[str]:
    try:
        return parse_code_filter(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="detlint probe",
        description=(
            "Run tiny real train/save/load experiments in fresh processes to confirm, on this "
            "machine and stack, the pitfalls detlint flags. Scenarios exist for: "
            + ", ".join(probed_codes()) + "."
        ),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or folders to lint; each flagged rule with a scenario is probed")
    parser.add_argument("--all", action="store_true", dest="run_all",
                        help="run every scenario without linting (an environment check)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    parser.add_argument("--timeout", type=_positive_float, default=DEFAULT_TIMEOUT_S, metavar="SECONDS",
                        help=f"time limit per scenario (default: {DEFAULT_TIMEOUT_S:g})")
    parser.add_argument("--only", type=_code_filter, default=None, metavar="CODES",
                        help="comma-separated rule codes to probe, e.g. DET101,DET302")
    parser.add_argument("--jobs", type=_positive_int, default=None, metavar="N",
                        help=f"child processes at once (default: {default_jobs()} here)")
    parser.add_argument("--no-color", action="store_true", help="plain text without colors")
    return parser


def lint_findings(paths: Sequence[str]) -> list[FindingRef]:
    """Findings of the linter for ``paths`` (imported lazily: the linter never needs the probe)."""
    try:
        from detlint.api import lint_paths
    except ImportError as exc:
        raise UsageError(f"the linter is not available ({exc}); use --all to run every scenario") from None
    try:
        findings = lint_paths(list(paths))
    except Exception as exc:  # a linter failure must not become a traceback of the probe
        raise UsageError(f"linting failed: {type(exc).__name__}: {exc}") from None
    return as_finding_refs(findings)


def _plan(options: argparse.Namespace) -> tuple[ProbePlan, str]:
    if options.run_all and options.paths:
        raise UsageError("give PATHs to lint or --all, not both")
    if options.run_all:
        return plan_all(options.only), "all"
    if not options.paths:
        raise UsageError("give PATHs to lint, or --all to run every scenario")
    missing = [path for path in options.paths if not Path(path).exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    return plan_for_findings(lint_findings(options.paths), options.only), "paths"


def _consoles(options: argparse.Namespace) -> tuple[Console, Console]:
    out = Console(no_color=options.no_color, highlight=False, soft_wrap=False)
    if not out.is_terminal:
        out = Console(no_color=options.no_color, highlight=False, width=NON_TERMINAL_WIDTH)
    err = Console(stderr=True, no_color=options.no_color, highlight=False)
    return out, err


def _load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def run_notes(load_before: float | None, load_after: float | None) -> list[str]:
    """Context a reader of the report needs: a busy machine, packages hidden for testing."""
    notes: list[str] = []
    cores = os.cpu_count() or 1
    loads = [load for load in (load_before, load_after) if load is not None]
    if loads and max(loads) > cores:
        notes.append(f"the machine was busy (load average {max(loads):.1f} on {cores} cores): "
                     "timings are slower than on an idle machine")
    hidden = hidden_modules()
    if hidden:
        notes.append(f"packages hidden by {HIDE_ENV_VAR} for testing: {', '.join(sorted(hidden))}")
    return notes


def _interrupt_on_sigterm() -> None:
    """Treat SIGTERM like Ctrl-C so children are killed and temporary folders removed."""
    if threading.current_thread() is not threading.main_thread():
        return

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``detlint probe`` / ``python -m runtime_probe``; returns the exit code."""
    parser = build_parser()
    try:
        options = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage and the error on stderr
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    out, err = _consoles(options)
    _interrupt_on_sigterm()
    started_at = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    started = time.monotonic()
    load_before = _load_average()
    try:
        plan, mode = _plan(options)
        jobs = options.jobs or default_jobs()
        scenarios = [item.scenario for item in plan.scenarios]
        with LiveProgress(err, scenarios, log_lines=options.format == "text") as progress:
            results = run_plan(plan, timeout_s=options.timeout, jobs=jobs, listener=progress)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("detlint probe: interrupted; child processes stopped and temporary files removed", file=sys.stderr)
        return EXIT_INTERRUPTED
    report = ProbeReport(
        mode=mode,
        environment=fingerprint(),
        results=results,
        paths=tuple(options.paths),
        unprobed=plan.unprobed,
        started_at=started_at,
        duration_s=time.monotonic() - started,
        tool_version=__version__,
        jobs=jobs,
        timeout_s=options.timeout,
        notes=run_notes(load_before, _load_average()),
    )
    if options.format == "json":
        sys.stdout.write(render_json(report) + "\n")
    else:
        render_text(report, out)
    return report.exit_code
