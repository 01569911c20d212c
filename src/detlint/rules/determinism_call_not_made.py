"""DET206 determinism-call-not-made: a seeding or determinism function mentioned but never called, or overwritten."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.facts import FileFacts
from detlint.knowledge import determinism
from detlint.rule import InsertAfter, Report, RuleContext, rule

_LAST_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in determinism.MUST_CALL.keys() | determinism.MUST_NOT_ASSIGN)


def _imported_aliases(facts: FileFacts) -> set[str]:
    """Local names the functions are imported under (``from tensorflow.random import set_seed as seed``)."""
    scopes = [facts.module_scope, *(info.scope for info in facts.functions)]
    return {binding.name for scope in scopes for bindings in scope.bindings.values() for binding in bindings
            if binding.kind == "import" and binding.fixed_origin in determinism.MUST_CALL}


def _in_import(facts: FileFacts, node: cst.CSTNode) -> bool:
    return any(isinstance(a, (cst.Import, cst.ImportFrom)) for a in facts.ancestors(node))


def _unused_reference(facts: FileFacts, node: cst.BaseExpression) -> cst.CSTNode | None:
    """The place where a mention is evaluated and dropped: the ``Expr`` statement, a truth test or a
    ``not``. None when the function object is used (passed, stored, returned, called, compared, or
    chosen with ``or``: ``seed_fn = custom or tf.random.set_seed``)."""
    current: cst.CSTNode = node
    parent = facts.parent(current)
    while isinstance(parent, cst.BooleanOperation):  # `a and tf.random.set_seed`: judged by where it goes
        current, parent = parent, facts.parent(parent)
    if isinstance(parent, cst.Expr):
        return parent
    if isinstance(parent, (cst.If, cst.While, cst.Assert, cst.IfExp)) and parent.test is current:
        return parent
    if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
        return parent
    return None


def _assigned_targets(facts: FileFacts) -> Iterator[cst.BaseExpression]:
    for assign in facts.nodes(cst.Assign):
        for target in assign.targets:
            yield target.target
    for annotated in facts.nodes(cst.AnnAssign):
        if annotated.value is not None:
            yield annotated.target
    for augmented in facts.nodes(cst.AugAssign):
        yield augmented.target


@rule(
    "DET206",
    "determinism-call-not-made",
    summary="Seeding or determinism function referenced without () or overwritten",
    severity="warning",
    fix="sometimes",
    imports=("tensorflow", "keras", "tf_keras"),
    words=tuple(sorted(_LAST_NAMES)),
)
def determinism_call_not_made(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    assigned: set[int] = set()
    for target in _assigned_targets(facts):
        if not isinstance(target, cst.Attribute) or target.attr.value not in _LAST_NAMES:
            continue
        origin = facts.origin(target)
        if origin in determinism.MUST_NOT_ASSIGN:
            assigned.add(id(target))
            name = origin.rsplit(".", 1)[-1]
            yield Report(
                target,
                f"assigning to `{facts.module.code_for_node(target)}` replaces the function instead of "
                f"calling it, so the setting never takes effect; call it: "
                f"`{facts.module.code_for_node(target)}(...)`",
                data={"function": origin, "kind": "assigned", "name": name},
            )
    names = _LAST_NAMES | _imported_aliases(facts)
    mentions: list[cst.BaseExpression] = [
        *(a for a in facts.nodes(cst.Attribute) if a.attr.value in _LAST_NAMES),
        *(n for n in facts.nodes(cst.Name) if n.value in names),
    ]
    mentions.sort(key=facts.order)
    for node in mentions:
        if id(node) in assigned or facts.is_called(node):
            continue
        parent = facts.parent(node)
        if isinstance(parent, cst.Attribute) and (parent.value is node or parent.attr is node):
            continue  # part of a longer dotted name
        if isinstance(node, cst.Name) and _in_import(facts, node):
            continue
        origin = facts.origin(node)
        if origin not in determinism.MUST_CALL:
            continue
        dropped = _unused_reference(facts, node)
        if dropped is None:
            continue
        written = facts.module.code_for_node(node)
        takes_seed = determinism.MUST_CALL[origin]
        arguments = f"({ctx.seed_text()})" if takes_seed else "()"
        edits: tuple[InsertAfter, ...] = ()
        safe = True
        if isinstance(dropped, cst.Expr) and dropped.value is node:
            edits = (InsertAfter(node, arguments),)
            # Op determinism without any seed makes `fit` raise: adding the call may change more than intended.
            safe = takes_seed or "tf" in ml.module_seed_kinds(facts, ctx.project)
        yield Report(
            node,
            f"`{written}` without parentheses only mentions the function and does nothing; call it: "
            f"`{written}{arguments}`",
            fix_title=f"Call it: `{written}{arguments}`" if edits else None,
            edits=edits,
            fix_safe=safe,
            data={"function": origin, "kind": "not-called"},
        )
