"""The rule base: metadata, registration, what a rule reports, and the context it gets.

A rule is one function decorated with :func:`rule` in one module under
``detlint/rules/``. Its user-facing doc is ``rules/<CODE>.md``; the doc's code
examples are run by the test suite. Nothing else registers a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal

import libcst as cst

# The fix intents a rule reports (re-exported: a rule module needs only this module and its builders).
from detlint.edits import FixEdit, InsertAfter, InsertAfterImports, Replace  # noqa: F401

if TYPE_CHECKING:
    from detlint.analysis.facts import FileFacts
    from detlint.analysis.project import ProjectIndex
    from detlint.analysis.syntax import SyntaxIndex

Severity = Literal["error", "warning"]
FixAvailability = Literal["never", "sometimes", "always"]


@dataclass(frozen=True)
class RuleMeta:
    code: str
    name: str
    summary: str
    severity: Severity
    default_enabled: bool
    fix: FixAvailability
    fix_safe: bool
    # Pre-filter: a file can only match when it imports one of ``imports`` (any if empty)
    # and its text contains one of ``words``.
    imports: tuple[str, ...]
    words: tuple[str, ...]
    # Second pre-filter stage, on the stdlib ``ast`` index of the file's code (strings and comments
    # excluded): False must mean the rule cannot report anything in the file.
    needs: "Callable[[SyntaxIndex], bool] | None" = None
    # A file importing none of ``imports`` may still match when it imports a module of the project
    # (whose values, e.g. a Keras model built there, the rule follows).
    project_imports: bool = False


@dataclass
class Report:
    node: cst.CSTNode
    message: str
    fix_title: str | None = None
    edits: tuple[FixEdit, ...] = ()
    fix_safe: bool = True
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class RuleContext:
    facts: "FileFacts"
    project: "ProjectIndex"
    seed_name: str | None = None

    def seed_text(self) -> str:
        """The seed expression a fix writes: the configured name, a module-level seed constant, or 42."""
        facts = self.facts
        if self.seed_name and facts.module_scope.bindings.get(self.seed_name):
            return self.seed_name
        for name in ("SEED", "RANDOM_SEED", "RANDOM_STATE", "GLOBAL_SEED", "SEED_VALUE"):
            value = facts.constant(name)
            if isinstance(value, cst.Integer):
                return name
        return "42"


CheckFunction = Callable[[RuleContext], Iterable[Report]]


@dataclass(frozen=True)
class Rule:
    meta: RuleMeta
    check: CheckFunction

    @property
    def code(self) -> str:
        return self.meta.code


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    *,
    summary: str,
    severity: Severity = "warning",
    default: bool = True,
    fix: FixAvailability = "never",
    fix_safe: bool = True,
    imports: Iterable[str] = (),
    words: Iterable[str] = (),
    needs: "Callable[[SyntaxIndex], bool] | None" = None,
    project_imports: bool = False,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a rule function under ``code``."""

    def register(check: CheckFunction) -> CheckFunction:
        if code in REGISTRY:
            raise ValueError(f"rule {code} registered twice")
        meta = RuleMeta(code, name, summary, severity, default, fix, fix_safe, tuple(imports), tuple(words), needs,
                        project_imports)
        REGISTRY[code] = Rule(meta, check)
        return check

    return register
