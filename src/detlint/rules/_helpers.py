"""Fix builders shared by rule modules: add a keyword, replace a value, wrap in ``sorted(...)``."""

from __future__ import annotations

import libcst as cst

from detlint.analysis.facts import Call, FileFacts
from detlint.rule import FixEdit, InsertAfter, Replace, RuleContext


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


def seed_fix(ctx: RuleContext, call: Call, keyword: str) -> tuple[FixEdit, ...]:
    return add_keyword(call, keyword, ctx.seed_text())


def sorted_is_shadowed(facts: FileFacts) -> bool:
    if facts.module_scope.bindings.get("sorted"):
        return True
    return any(info.scope.bindings.get("sorted") for info in facts.functions)


def sorted_replacement(facts: FileFacts, node: cst.CSTNode, key: str = "") -> FixEdit:
    """``sorted(<node>)``, replacing a ``list(<node>)`` around it (same type, less noise)."""
    code = facts.module.code_for_node(node)
    arg = facts.parent(node)
    if isinstance(arg, cst.Arg) and arg.keyword is None and not arg.star:
        call = facts.parent(arg)
        if isinstance(call, cst.Call) and len(call.args) == 1 and facts.origin(call.func) == "builtins.list":
            return Replace(call, f"sorted({code}{key})")
    return Replace(node, f"sorted({code}{key})")
