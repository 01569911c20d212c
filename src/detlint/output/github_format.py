"""GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per finding.

Values are escaped as the runner expects, so a newline or ``::`` in a message or a file
name cannot start another command."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from detlint.output import RenderContext

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
            f"file={escape_property(f.path)}", f"line={f.line}", f"col={f.column}",
            f"endLine={f.end_line}", f"endColumn={f.end_column}", f"title={escape_property(f.code + ' ' + f.name)}",
        ])
        stream.write(f"::{level} {properties}::{escape_data(f'{f.code} {f.message}')}\n")
