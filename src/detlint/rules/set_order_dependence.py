"""DET204 set-order-dependence: an ordered result built from iterating a set, whose order changes
between runs."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from detlint.analysis.facts import FileFacts
from detlint.analysis.order import OrderUse
from detlint.analysis.values import literal
from detlint.knowledge import ordering
from detlint.rule import FixEdit, Report, RuleContext, rule
from detlint.edits import sorted_is_shadowed, sorted_replacement

_SET_OPERATORS = (cst.BitOr, cst.BitAnd, cst.Subtract, cst.BitXor)


def _set_constructions(facts: FileFacts) -> Iterator[cst.BaseExpression]:
    """Every expression that builds a set, widened to the largest set expression around it
    (``set(a) | set(b)``, ``set(a).union(b)``), each once."""
    starts: list[cst.BaseExpression] = [
        c.node for c in facts.calls if c.callee in ("builtins.set", "builtins.frozenset")
    ]
    starts.extend(facts.nodes(cst.Set))
    starts.extend(facts.nodes(cst.SetComp))
    seen: set[int] = set()
    for start in sorted(starts, key=facts.order):
        node = _widen_set(facts, start)
        if id(node) not in seen:
            seen.add(id(node))
            yield node


def _widen_set(facts: FileFacts, node: cst.BaseExpression) -> cst.BaseExpression:
    while True:
        parent = facts.parent(node)
        if isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, _SET_OPERATORS):
            node = parent
            continue
        if isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value in ordering.SET_METHODS:
            call = facts.parent(parent)
            if isinstance(call, cst.Call) and call.func is parent:
                node = call
                continue
        return node


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numbers_only(facts: FileFacts, node: cst.CSTNode) -> bool:
    """A set known to hold only numbers, whose hashes (and so iteration order) do not change
    between runs: ``{1, 2}``, ``set(range(n))``, ``set([0.5, 1.5])``."""
    if isinstance(node, cst.Set):
        return all(isinstance(e, cst.Element) and _is_number(literal(e.value, facts)) for e in node.elements)
    if isinstance(node, cst.Call) and facts.origin(node.func) in ("builtins.set", "builtins.frozenset") \
            and len(node.args) == 1:
        inner = node.args[0].value
        if isinstance(inner, cst.Call) and facts.origin(inner.func) == "builtins.range":
            return True
        value = literal(inner, facts)
        return isinstance(value, (list, tuple)) and bool(value) and all(_is_number(v) for v in value)
    return False


def _assigned_name(facts: FileFacts, node: cst.CSTNode) -> cst.Name | None:
    parent = facts.parent(node)
    if isinstance(parent, cst.Assign) and parent.value is node and len(parent.targets) == 1:
        target = parent.targets[0].target
        return target if isinstance(target, cst.Name) else None
    if isinstance(parent, cst.AnnAssign) and parent.value is node and isinstance(parent.target, cst.Name):
        return parent.target
    return None


def _elements_comparable(facts: FileFacts, node: cst.CSTNode, reason: str) -> bool:
    """Whether ``sorted`` certainly works on the set's items (so the fix cannot raise TypeError)."""
    if reason == "joined into a string":
        return True  # join needs strings anyway
    if isinstance(node, cst.Set):
        return all(isinstance(e, cst.Element) and isinstance(literal(e.value, facts), str) for e in node.elements)
    if isinstance(node, cst.Call) and facts.origin(node.func) in ("builtins.set", "builtins.frozenset") and node.args:
        inner = node.args[0].value
        if isinstance(literal(inner, facts), str):
            return True
        return (isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute)
                and inner.func.attr.value in ordering.STRING_LISTS)
    return False


def _set_report(facts: FileFacts, node: cst.CSTNode, reason: str, what: str, fixable: bool) -> Report:
    edits: tuple[FixEdit, ...] = (sorted_replacement(facts, node),) if fixable else ()
    safe = _elements_comparable(facts, node, reason)
    return Report(
        node,
        f"{what} is {reason}, but a set's iteration order changes between runs (string hashes are "
        "randomised per process), so positions such as label ids differ from run to run; "
        "iterate `sorted(...)` of it instead",
        fix_title="Wrap the set in `sorted(...)`" if edits else None,
        edits=edits,
        fix_safe=safe,
        data={"reason": reason},
    )


@rule(
    "DET204",
    "set-order-dependence",
    summary="Ordered value built from iterating a set",
    severity="warning",
    fix="sometimes",  # always, unless `sorted` is shadowed in the module
    fix_safe=False,
    # Set literals and comprehensions can only be told from dicts after parsing, hence "{".
    words=("set(", "{"),
    needs=lambda index: index.set_in_ordered_context,
)
def set_order_dependence(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    orders = OrderUse(facts)
    fixable = not sorted_is_shadowed(facts)
    for node in _set_constructions(facts):
        if _numbers_only(facts, node):
            continue
        name = _assigned_name(facts, node)
        if name is not None:
            # A set kept in a variable: each ordered use is its own finding, fixed where it is used.
            for used in orders.uses_of(name):
                reason = orders.use(used, "set")
                if reason is not None:
                    yield _set_report(facts, used, reason, f"set `{name.value}`", fixable)
            continue
        reason = orders.use(node, "set")
        if reason is not None:
            yield _set_report(facts, node, reason, "a set", fixable)
