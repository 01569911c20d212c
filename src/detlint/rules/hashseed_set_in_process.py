"""DET203 hashseed-set-in-process: ``PYTHONHASHSEED`` set from inside the program it should affect."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.values import literal
from detlint.knowledge import determinism
from detlint.rule import Report, RuleContext, rule


def _is_hashseed(expr: cst.BaseExpression | None, facts: FileFacts) -> bool:
    return expr is not None and literal(expr, facts) == determinism.HASHSEED


def _dict_sets_hashseed(expr: cst.BaseExpression, facts: FileFacts) -> bool:
    if isinstance(expr, cst.Dict):
        return any(isinstance(e, cst.DictElement) and _is_hashseed(e.key, facts) for e in expr.elements)
    if isinstance(expr, cst.Call) and facts.origin(expr.func) == "builtins.dict":
        return any(a.keyword is not None and a.keyword.value == determinism.HASHSEED for a in expr.args)
    return False


def _environ_call_sets_hashseed(facts: FileFacts, call: Call) -> bool:
    callee = call.callee
    if callee in (f"{determinism.ENVIRON}.setdefault", "os.putenv"):
        return _is_hashseed(call.keyword_value("key", 0), facts)
    if callee == f"{determinism.ENVIRON}.update":
        if any(a.keyword is not None and a.keyword.value == determinism.HASHSEED for a in call.node.args):
            return True
        first = call.keyword_value("other", 0)
        return first is not None and _dict_sets_hashseed(first, facts)
    return False


def _subscript_key(target: cst.BaseExpression) -> cst.BaseExpression | None:
    if isinstance(target, cst.Subscript) and len(target.slice) == 1:
        index = target.slice[0].slice
        if isinstance(index, cst.Index):
            return index.value
    return None


def _starts_new_interpreter(facts: FileFacts) -> bool:
    for call in facts.calls:
        callee = call.callee or ""
        if callee.startswith(determinism.NEW_PROCESS_PREFIXES) or callee in determinism.NEW_PROCESS_CALLS:
            return True
    return False


def _settings(facts: FileFacts) -> Iterator[cst.CSTNode]:
    """Every statement or call that sets ``PYTHONHASHSEED`` in ``os.environ``, in source order."""
    found: list[cst.CSTNode] = []
    for assign in facts.nodes(cst.Assign):
        for target in assign.targets:
            subscript = target.target
            if (isinstance(subscript, cst.Subscript) and facts.origin(subscript.value) == determinism.ENVIRON
                    and _is_hashseed(_subscript_key(subscript), facts)):
                found.append(assign)
                break
    for augmented in facts.nodes(cst.AugAssign):  # os.environ |= {"PYTHONHASHSEED": "0"}
        if (isinstance(augmented.operator, cst.BitOrAssign) and facts.origin(augmented.target) == determinism.ENVIRON
                and _dict_sets_hashseed(augmented.value, facts)):
            found.append(augmented)
    for call in facts.calls:
        if _environ_call_sets_hashseed(facts, call):
            found.append(call.node)
    return iter(sorted(found, key=facts.order))


@rule(
    "DET203",
    "hashseed-set-in-process",
    summary="PYTHONHASHSEED set inside the running program, where it has no effect",
    severity="warning",
    fix="never",
    imports=("os",),
    words=(determinism.HASHSEED,),
)
def hashseed_set_in_process(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    settings = list(_settings(facts))
    if not settings or _starts_new_interpreter(facts):
        return
    for node in settings:
        yield Report(
            node,
            "setting `PYTHONHASHSEED` inside the program has no effect on the interpreter that is already "
            "running (it reads the variable at startup), so set and dict-of-string orders still change "
            "between runs; set it where the process is launched (`PYTHONHASHSEED=0 python train.py`)",
        )
