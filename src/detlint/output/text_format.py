"""Human output: findings grouped by file, with source lines and a caret, then a summary.

Colour comes from rich when the output is a terminal (and NO_COLOR is unset); otherwise plain text."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, TextIO

from detlint.output import RenderContext, location
from detlint.output.printable import printable
from detlint.output.sources import SourceLines

if TYPE_CHECKING:
    from detlint.api import RunResult
    from detlint.finding import Finding

_STYLES = {"error": "bold red", "warning": "bold yellow", "path": "bold", "code": "bold magenta",
           "dim": "dim", "caret": "bold red", "fix": "cyan"}


class _Writer:
    """Collects styled segments and prints them plainly or through rich."""

    def __init__(self, stream: TextIO, color: bool) -> None:
        self.stream = stream
        self.console = None
        if color:
            from rich.console import Console

            self.console = Console(file=stream, highlight=False, soft_wrap=True, force_terminal=True)

    def line(self, *segments: tuple[str, str | None]) -> None:
        if self.console is None:
            self.stream.write("".join(text for text, _ in segments) + "\n")
            return
        from rich.text import Text

        text = Text()
        for content, style in segments:
            text.append(content, style=_STYLES.get(style or "", None))
        self.console.print(text)


def _cells(text: str) -> int:
    """Terminal columns ``text`` takes (wide CJK characters and emoji take two)."""
    from rich.cells import cell_len

    return cell_len(text)


def _source_and_caret(f: "Finding", raw: str) -> tuple[str, str]:
    """The source line as printed (tabs as spaces, control characters escaped) and the caret line under
    the finding's columns, counted in terminal cells so that it lines up under wide characters too."""
    raw = raw.replace("\t", " ")
    before = raw[:f.column - 1]
    marked = raw[f.column - 1:f.end_column - 1] if f.end_line == f.line else raw[f.column - 1:]
    return printable(raw), " " * _cells(printable(before)) + "^" * max(1, _cells(printable(marked)))


def render(result: "RunResult", stream: TextIO, context: RenderContext) -> None:
    out = _Writer(stream, context.color)
    counts = Counter(f.code for f in result.findings)
    if context.statistics:
        names = {f.code: f.name for f in result.findings}
        for code, count in sorted(counts.items()):
            out.line((f"{count:>5}  ", None), (code, "code"), (f"  {names[code]}", None))
        return
    if not context.quiet:
        sources = SourceLines()
        current_path = None
        for f in result.findings:
            if f.path != current_path:
                if current_path is not None:
                    out.line(("", None))
                out.line((printable(f.path), "path"))
                current_path = f.path
            out.line((f"{location(f)}: ", "dim"), (f.code, "code"), (f" [{f.severity}] ", f.severity),
                     (printable(f.message), None))
            raw = sources.line(f)
            if raw is not None:
                gutter = f"{f.line:>5} | "
                source, caret = _source_and_caret(f, raw)
                out.line((gutter, "dim"), (source, None))
                out.line((" " * (len(gutter) - 2) + "| ", "dim"), (caret, "caret"))
            if f.fix is not None and context.fix_hint:
                safety = "" if f.fix.safe else " (unsafe: needs --unsafe-fixes)"
                out.line(("      = fix: ", "fix"), (f.fix.title + safety, "fix"))
    _summary(out, result, counts, context)


def _summary(out: _Writer, result: "RunResult", counts: Counter[str], context: RenderContext) -> None:
    if result.findings:
        if not context.quiet:
            out.line(("", None))
        per_rule = ", ".join(f"{code} x{n}" for code, n in sorted(counts.items()))
        fixable = sum(1 for f in result.findings if f.fix is not None and (f.fix.safe or context.unsafe_fixes))
        unsafe = sum(1 for f in result.findings if f.fix is not None) - fixable
        out.line((f"Found {len(result.findings)} finding{'s' if len(result.findings) != 1 else ''}", "error"),
                 (f" in {result.files_checked} file{'s' if result.files_checked != 1 else ''} checked "
                  f"({result.duration:.2f}s): {per_rule}.", None))
        if fixable or unsafe:
            more = f" ({unsafe} more with `--unsafe-fixes`)" if unsafe else ""
            out.line((f"{fixable} fixable with `detlint check --fix`{more}.", "fix"))
    elif not context.quiet:
        out.line((f"All checks passed: {result.files_checked} file{'s' if result.files_checked != 1 else ''} "
                  f"checked ({result.duration:.2f}s).", None))
    if result.fixed:
        out.line((f"Fixed {result.fixed} finding{'s' if result.fixed != 1 else ''}.", "fix"))
