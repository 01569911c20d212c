"""Arguments and sub-expressions of calls: whether a seed argument is absent or ``None``, a flag's
literal value, the keyword arguments as written."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from detlint.analysis.facts import UNKNOWN, Call, FileFacts, child_nodes
from detlint.analysis.values import NOT_LITERAL, is_none, literal


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
    """``node`` and every node below it, less whitespace and punctuation (see ``child_nodes``)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(child_nodes(current))


def short_name(callee: str) -> str:
    """``sklearn.model_selection.train_test_split`` → ``train_test_split``; ``x().fit`` → ``fit``."""
    return callee.rsplit(".", 1)[-1].replace("()", "")


def binding_name_of_call(facts: FileFacts, node: cst.Call) -> str | None:
    parent = facts.parent(node)
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
        return parent.targets[0].target.value
    return None
