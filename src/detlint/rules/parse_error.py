"""DET000 parse-error: reported by the engine when a file cannot be read or parsed."""

from __future__ import annotations

from typing import Iterator

from detlint.rule import Report, RuleContext, rule


@rule(
    "DET000",
    "parse-error",
    summary="File cannot be decoded or parsed as Python",
    severity="error",
)
def parse_error(ctx: RuleContext) -> Iterator[Report]:
    # The engine emits DET000 itself, before any rule runs; this entry carries the metadata.
    return iter(())
