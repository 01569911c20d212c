"""GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per finding.

Values are escaped as the runner expects, so a newline or ``::`` in a message or a file
name cannot start another command; other control characters are shown as escapes."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from detlint.output import RenderContext
from detlint.output.printable import printable

if TYPE_CHECKING:
    from detlint.api import RunResult


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: "RunResult", stream: TextIO, context: RenderContext) -> None:
    for f in result.findings:
        level = "error" if f.severity == "error" else "warning"
        properties = ",".join([
            f"file={escape_property(printable(f.path))}", f"line={f.line}", f"col={f.column}",
            f"endLine={f.end_line}", f"endColumn={f.end_column}", f"title={escape_property(f.code + ' ' + f.name)}",
        ])
        message = printable(f"{f.code} {f.message}", keep="\n")
        stream.write(f"::{level} {properties}::{escape_data(message)}\n")
