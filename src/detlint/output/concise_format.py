"""``path:line:col: CODE message`` — one line per finding, for editors' problem matchers."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from detlint.output import RenderContext, location
from detlint.output.printable import printable

if TYPE_CHECKING:
    from detlint.api import RunResult


def render(result: "RunResult", stream: TextIO, context: RenderContext) -> None:
    for finding in result.findings:
        message = printable(finding.message.replace("\n", " "))
        stream.write(f"{location(finding)}: {finding.code} {message}\n")
