"""DET202 nondeterministic-pipeline: ``tf.data`` told it may reorder elements (``deterministic=False``)."""

from __future__ import annotations

import ast
from typing import Iterator

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.origins import Local, is_local
from detlint.analysis.syntax import SyntaxIndex
from detlint.analysis.values import literal
from detlint.knowledge import data
from detlint.rule import Report, RuleContext, rule


def _could_be_dataset(facts: FileFacts, call: Call) -> bool:
    origin = call.receiver_origin
    if ml.is_dataset(origin):
        return True
    if origin is not None and (origin.startswith(data.NOT_TF_DATA_PREFIXES) or is_local(origin, Local.CLASS)):
        return False
    # Receivers we cannot type (parameters, project functions, unknown values) count in a TF module.
    return facts.imports_any("tensorflow", "keras", "tf_keras")


def _is_false(arg: cst.Arg | object, facts: FileFacts) -> bool:
    return isinstance(arg, cst.Arg) and literal(arg.value, facts) is False


def _options_target(facts: FileFacts, target: cst.BaseExpression) -> bool:
    """``options.deterministic`` / ``options.experimental_deterministic`` of a ``tf.data.Options``."""
    if not isinstance(target, cst.Attribute) or target.attr.value not in data.OPTION_ATTRIBUTES:
        return False
    origin = facts.origin(target.value)
    if origin is not None and (origin in data.OPTIONS_ORIGINS or (origin.endswith(".options()") and ml.is_dataset(origin))):
        return True
    if target.attr.value != "experimental_deterministic":
        return False
    # The experimental name is unique to tf.data; accept receivers we cannot type, but not ``self``.
    if isinstance(target.value, cst.Name) and target.value.value in ("self", "cls"):
        return False
    return (origin is None or is_local(origin, Local.PARAMETER)) and facts.imports_any("tensorflow")


_PARALLEL_INTERLEAVE_NAME = frozenset({data.PARALLEL_INTERLEAVE.rsplit(".", 1)[-1]})


def _may_report(index: SyntaxIndex) -> bool:
    """``deterministic`` passed what may be False, ``parallel_interleave`` named, or an options attribute
    set: nothing else can be reported."""
    return (index.mentions(_PARALLEL_INTERLEAVE_NAME)
            or not data.OPTION_ATTRIBUTES.isdisjoint(index.attributes)
            or any(_may_pass_false(call, method, position, index)
                   for method, position in data.DETERMINISTIC_POSITION.items() for call in index.calls.get(method, ())))


def _may_pass_false(call: ast.Call, method: str, position: int | None, index: SyntaxIndex) -> bool:
    """Whether a ``.map(...)``-like method call passes ``deterministic`` (by keyword or at its position) a
    value ``literal`` may read as False: ``False`` itself, or a module constant that may be."""
    func = call.func
    if func.__class__ is not ast.Attribute or func.attr != method:  # type: ignore[attr-defined]
        return False  # not a method call: the rule looks at methods only
    values = [keyword.value for keyword in call.keywords if keyword.arg == "deterministic"]
    if position is not None:
        if any(argument.__class__ is ast.Starred for argument in call.args[:position + 1]):
            return True  # where the arguments after it stand is not known here
        if len(call.args) > position:
            values.append(call.args[position])
    return any(_may_be_false(value, index) for value in values)


def _may_be_false(value: ast.AST, index: SyntaxIndex, depth: int = 0) -> bool:
    """``False``, or a name the module's own code assigns something that may be (``literal`` follows
    module-level constants only)."""
    if value.__class__ is ast.Constant:
        return value.value is False  # type: ignore[attr-defined]
    if value.__class__ is not ast.Name or depth > 20:
        return False
    name = value.id  # type: ignore[attr-defined]
    return any(_may_be_false(assigned, index, depth + 1) for assigned in index.module_values(name))


@rule(
    "DET202",
    "nondeterministic-pipeline",
    summary="tf.data pipeline allowed to emit elements out of order (deterministic=False)",
    severity="warning",
    fix="never",
    imports=("tensorflow", "keras", "tf_keras"),
    # ``.map(``/``.batch(``/``interleave``: ``deterministic`` may be passed by position
    words=("deterministic", "sloppy", "interleave", ".map(", ".batch("),
    needs=_may_report,
)
def nondeterministic_pipeline(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    for call in facts.calls:
        method = call.method
        if call.callee == data.PARALLEL_INTERLEAVE:
            sloppy = call.passes("sloppy", data.SLOPPY_POSITION)
            if isinstance(sloppy, cst.Arg) and literal(sloppy.value, facts) is True:
                yield Report(
                    sloppy,
                    "`parallel_interleave(sloppy=True)` emits elements in whatever order they finish, so the "
                    "order of training examples changes between runs; drop `sloppy=True`",
                )
            continue
        if method not in data.DETERMINISTIC_POSITION:
            continue
        position = data.DETERMINISTIC_POSITION[method]
        argument = call.argument("deterministic", position)
        if argument is None or not _is_false(argument, facts) or not _could_be_dataset(facts, call):
            continue
        yield Report(
            argument,
            f"`{method}(deterministic=False)` lets tf.data emit elements in the order they finish, so the "
            "order of training examples changes between runs (measured: up to 151-200 of 200 elements moved "
            "for a variable-cost function); drop the argument or pass `deterministic=True`",
        )
    for assign in facts.nodes(cst.Assign):
        if literal(assign.value, facts) is not False:
            continue
        for target in assign.targets:
            if _options_target(facts, target.target):
                attribute = target.target.attr.value  # type: ignore[attr-defined]
                yield Report(
                    assign,
                    f"`Options().{attribute} = False` lets tf.data emit elements in the order they finish, so "
                    "the order of training examples changes between runs; leave it at its default (True)",
                )
                break
