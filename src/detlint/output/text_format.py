"""Human output: findings grouped by file, with source lines and a caret, then a summary.

Colour comes from rich when the output is a terminal (and NO_COLOR is unset); otherwise plain text."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, TextIO

from detlint.output import RenderContext, location

if TYPE_CHECKING:
    from detlint.api import RunResult

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


def _source_lines(path: str, cache: dict[str, list[str] | None]) -> list[str] | None:
    if path not in cache:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                cache[path] = handle.read().splitlines()
        except OSError:
            cache[path] = None
    return cache[path]


def render(result: "RunResult", stream: TextIO, context: RenderContext) -> None:
    out = _Writer(stream, context.color)
    counts = Counter(f.code for f in result.findings)
    if context.statistics:
        names = {f.code: f.name for f in result.findings}
        for code, count in sorted(counts.items()):
            out.line((f"{count:>5}  ", None), (code, "code"), (f"  {names[code]}", None))
        return
    if not context.quiet:
        cache: dict[str, list[str] | None] = {}
        current_path = None
        for f in result.findings:
            if f.path != current_path:
                if current_path is not None:
                    out.line(("", None))
                out.line((f.path, "path"))
                current_path = f.path
            out.line((f"{location(f)}: ", "dim"), (f.code, "code"), (f" [{f.severity}] ", f.severity),
                     (f.message, None))
            lines = _source_lines(f.path, cache) if f.cell is None else None
            if lines and 0 < f.line <= len(lines):
                gutter = f"{f.line:>5} | "
                source = lines[f.line - 1].replace("\t", " ")
                out.line((gutter, "dim"), (source, None))
                width = max(1, (f.end_column - f.column) if f.end_line == f.line else len(source) - f.column + 1)
                out.line((" " * (len(gutter) - 2) + "| ", "dim"), (" " * (f.column - 1) + "^" * width, "caret"))
            if f.fix is not None and context.fix_hint:
                safety = "" if f.fix.safe else " (unsafe: needs --unsafe-fixes)"
                out.line(("      = fix: ", "fix"), (f.fix.title + safety, "fix"))
    _summary(out, result, counts, context)


def _summary(out: _Writer, result: "RunResult", counts: Counter[str], context: RenderContext) -> None:
    if result.findings:
        if not context.quiet:
            out.line(("", None))
        per_rule = ", ".join(f"{code} x{n}" for code, n in sorted(counts.items()))
        fixable = sum(1 for f in result.findings if f.fixable)
        out.line((f"Found {len(result.findings)} finding{'s' if len(result.findings) != 1 else ''}", "error"),
                 (f" in {result.files_checked} file{'s' if result.files_checked != 1 else ''} checked "
                  f"({result.duration:.2f}s): {per_rule}.", None))
        if fixable:
            out.line((f"{fixable} fixable with `detlint check --fix`.", "fix"))
    elif not context.quiet:
        out.line((f"All checks passed: {result.files_checked} file{'s' if result.files_checked != 1 else ''} "
                  f"checked ({result.duration:.2f}s).", None))
    if result.fixed:
        out.line((f"Fixed {result.fixed} finding{'s' if result.fixed != 1 else ''}.", "fix"))
