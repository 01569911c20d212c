"""Output formats. Each is one module with ``render(result, stream, context)``; imported only when used."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, TextIO

if TYPE_CHECKING:
    from detlint.api import RunResult

FORMATS = ("text", "concise", "json", "sarif", "github")


@dataclass(frozen=True)
class RenderContext:
    color: bool = False
    quiet: bool = False
    statistics: bool = False
    fix_hint: bool = True
    unsafe_fixes: bool = False  # --unsafe-fixes was given: --fix would apply unsafe fixes too


Renderer = Callable[["RunResult", TextIO, RenderContext], None]


def renderer(name: str) -> Renderer:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}")
    module = importlib.import_module(f"detlint.output.{name}_format")
    return module.render  # type: ignore[no-any-return]


def location(finding: object) -> str:
    """``path:line:col`` (``path:cell N:line:col`` for notebook cells); control characters escaped."""
    from detlint.output.printable import printable

    cell = getattr(finding, "cell", None)
    path = printable(finding.path)  # type: ignore[attr-defined]
    prefix = f"{path}:cell {cell}" if cell else path
    return f"{prefix}:{finding.line}:{finding.column}"  # type: ignore[attr-defined]
