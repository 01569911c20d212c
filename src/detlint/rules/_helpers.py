"""Small helpers shared by rule modules: argument checks, fix builders, sub-expression walks."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from detlint.analysis.facts import UNKNOWN, Call, FileFacts
from detlint.analysis.values import NOT_LITERAL, is_none, literal
from detlint.rule import FixEdit, InsertAfter, Replace, RuleContext


def lacks_seed(call: Call, keyword: str, position: int | None = None) -> bool:
    """True when the seed argument is certainly absent (a written ``None`` is DET108's business)."""
    return call.passes(keyword, position) is None


def passed_none(call: Call, keyword: str, position: int | None = None) -> cst.Arg | None:
    arg = call.argument(keyword, position)
    return arg if arg is not None and is_none(arg.value) else None


def flag(call: Call, keyword: str, position: int | None, default: bool) -> bool | None:
    """A boolean argument's literal value, its default when absent, None when not literal or hidden."""
    found = call.passes(keyword, position)
    if found is None:
        return default
    if found is UNKNOWN:
        return None
    value = literal(found.value, call.facts)  # type: ignore[union-attr]
    return value if isinstance(value, bool) else None


def add_keyword(call: Call, keyword: str, value: str) -> tuple[FixEdit, ...]:
    """Edits that append ``keyword=value`` to a call's arguments, keeping its formatting.

    Anchored on the whole last argument (its range includes parentheses around the value, which the
    value's own range does not) or, with no arguments, right after the opening parenthesis."""
    args = call.node.args
    if not args:
        return (InsertAfter(call.node.whitespace_before_args, f"{keyword}={value}"),)
    return (InsertAfter(args[-1], f", {keyword}={value}"),)


def replace_value(arg: cst.Arg, text: str) -> tuple[FixEdit, ...]:
    return (Replace(arg.value, text),)


def literal_kwargs(call: Call) -> dict[str, object]:
    """Keyword arguments of a call: literal values as themselves, other values as their source text."""
    found: dict[str, object] = {}
    for arg in call.node.args:
        if arg.keyword is None:
            continue
        value = literal(arg.value, call.facts)
        if value is NOT_LITERAL:
            value = call.facts.module.code_for_node(arg.value)
        found[arg.keyword.value] = value
    return found


def subexpressions(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


def short_name(callee: str) -> str:
    """``sklearn.model_selection.train_test_split`` → ``train_test_split``; ``x().fit`` → ``fit``."""
    return callee.rsplit(".", 1)[-1].replace("()", "")


def binding_name_of_call(facts: FileFacts, node: cst.Call) -> str | None:
    parent = facts.parent(node)
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
        return parent.targets[0].target.value
    return None


def seed_fix(ctx: RuleContext, call: Call, keyword: str) -> tuple[FixEdit, ...]:
    return add_keyword(call, keyword, ctx.seed_text())
