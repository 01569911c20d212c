"""DET001 unused-or-unknown-suppression: a suppression comment that suppresses nothing (opt-in)."""

from __future__ import annotations

from typing import Iterator

from detlint.rule import Report, RuleContext, rule


@rule(
    "DET001",
    "unused-or-unknown-suppression",
    summary="Suppression comment names a code that reports nothing on its line, or no detlint code",
    severity="warning",
    default=False,
    fix="sometimes",
)
def unused_or_unknown_suppression(ctx: RuleContext) -> Iterator[Report]:
    # Whether a suppression was used is known only once suppressions are applied to every rule's
    # findings, so the engine reports DET001 itself (see detlint.suppression); this entry carries the metadata.
    return iter(())
