"""DET304 legacy-save-format: saving a Keras model as .h5 or a SavedModel folder."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.saves import helper_model_saves
from detlint.analysis.syntax import SyntaxIndex
from detlint.analysis.values import literal, string_tail
from detlint.knowledge import keras, producers
from detlint.rule import Replace, Report, RuleContext, rule

if TYPE_CHECKING:
    from detlint.analysis.project import ProjectIndex


def _is_model_receiver(facts: FileFacts, call: Call, project: "ProjectIndex | None" = None) -> bool:
    """A Keras model by its kind (also built in another module of the project: no Keras import needed
    here), or a value ``.fit``-ed in a module that imports Keras and not known to be something else."""
    origin = call.receiver_origin
    if ml.is_keras_model(facts, origin):
        return True
    kind = ml.receiver_kind(call, project)
    if kind is ml.Kind.KERAS_MODEL:
        return True
    binding = call.receiver_binding
    if binding is None or not ml.imports_keras_family(facts) or ml.is_sklearn(origin) or kind.other_than_keras:
        return False
    return any(c.method == "fit" and c.receiver_binding is binding for c in facts.calls)


def _kind(tail: str) -> str | None:
    """Why a path is not a native Keras file, or None when it is."""
    base = tail.rsplit("/", 1)[-1]
    if base.endswith(keras.NATIVE_SUFFIX):
        return None
    if base.endswith(keras.HDF5_SUFFIXES):
        return "h5"
    if "." not in base:
        return "dir"
    return "other"


def _read_as_savedmodel(facts: FileFacts, tail: str) -> bool:
    for call in facts.calls:
        if call.callee in keras.SAVEDMODEL_READERS and call.node.args:
            if string_tail(call.node.args[0].value, facts) == tail:
                return True
    return False


def _may_save_to_a_known_path(index: SyntaxIndex) -> bool:
    """Pre-filter: a save whose path may end in literal text (the rule judges nothing else) or that passes
    ``save_format``; or a call of a module-level function here that saves one parameter to another (a
    helper: its callers' paths count)."""
    calls = index.calls_of(keras.SAVE_NAMES)
    if calls is None:
        return True
    for call in calls:
        if any(keyword.arg == "save_format" or index.may_end_in_literal(keyword.value) for keyword in call.keywords) \
                or any(argument.__class__ is ast.Starred or index.may_end_in_literal(argument) for argument in call.args):
            return True
    return any(function.name in index.called and _saves_a_parameter(index, function) for function in index.function_defs)


def _saves_a_parameter(index: SyntaxIndex, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a module-level function runs ``model.save(...)`` on one of its parameters
    (``saves.model_save_helpers`` also wants the path to be one: "may")."""
    if not index.at_module_level(function):
        return False
    parameters = {parameter.arg for parameter in function.args.args}
    for node in ast.walk(function):
        if node.__class__ is ast.Call and node.func.__class__ is ast.Attribute and node.func.attr == "save" \
                and node.func.value.__class__ is ast.Name and node.func.value.id in parameters:  # type: ignore[attr-defined]
            return True
    return False


_MESSAGES = {
    "h5": "saves the legacy HDF5 format, which drops custom-object configs and some optimizer state",
    "dir": "saves a TF SavedModel folder, which Keras 3 refuses to write and `load_model` cannot read",
    "other": "uses an extension Keras 3 does not accept for whole-model saving",
}


def _keras_path_fix(path: cst.BaseExpression, kind: str) -> tuple[Replace, ...]:
    if not isinstance(path, cst.SimpleString):
        return ()
    value = path.evaluated_value
    if not isinstance(value, str):
        return ()
    # Edit the literal as written (escapes and quotes kept), never re-quote the evaluated value.
    raw = path.raw_value
    if kind == "h5":
        suffix = "." + value.rsplit(".", 1)[1]
        if not raw.endswith(suffix):
            return ()
        new = raw[: -len(suffix)] + ".keras"
    elif kind == "dir":
        new = raw.rstrip("/\\") + ".keras"
    else:
        return ()
    quote = path.quote
    return (Replace(path, f"{path.prefix}{quote}{new}{quote}"),)


@rule(
    "DET304",
    "legacy-save-format",
    summary="Model saved in the legacy .h5 or SavedModel-folder format",
    severity="error",
    fix="sometimes",
    fix_safe=False,
    imports=("tensorflow", "keras", "tf_keras", "autokeras", *producers.MODEL_PRODUCER_ROOTS),
    words=("save", "ModelCheckpoint"),
    needs=_may_save_to_a_known_path,
    project_imports=True,  # a project model saved in a module that does not import Keras
)
def legacy_save_format(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    yield from _legacy_saves(facts, ctx.project)
    for call, path, name in helper_model_saves(facts, ctx.project):
        yield from _path_report(facts, call, path, f"`{name}`")


def _legacy_saves(facts: FileFacts, project: "ProjectIndex") -> Iterator[Report]:
    for call in facts.calls:
        callee = call.callee or ""
        path: cst.BaseExpression | None = None
        if call.method == "save" and _is_model_receiver(facts, call, project):
            path, what = call.keyword_value("filepath", 0), "`save`"
        elif callee in keras.SAVE_MODEL_FUNCTIONS:
            path, what = call.keyword_value("filepath", 1), "`save_model`"
        elif callee == keras.MODEL_CHECKPOINT:
            if literal(call.keyword_value("save_weights_only", 4), facts) is True:
                continue
            path, what = call.keyword_value("filepath", 0), "`ModelCheckpoint`"
        elif call.method == "save_weights" and _is_model_receiver(facts, call, project):
            tail = string_tail(call.keyword_value("filepath", 0), facts)
            if tail is not None and not tail.endswith(keras.WEIGHTS_SUFFIX):
                yield Report(call.node, "`save_weights` path must end in `.weights.h5` in Keras 3 "
                             "(other names raise ValueError); use a `*.weights.h5` file name")
            continue
        else:
            continue
        save_format = literal(call.keyword_value("save_format"), facts)
        if save_format in ("h5", "tf"):
            yield Report(call.node, f"{what} with `save_format={save_format!r}` writes a legacy format that Keras 3 "
                         "rejects or reads back incompletely; drop `save_format` and use a `.keras` path")
            continue
        yield from _path_report(facts, call, path, what)


def _path_report(facts: FileFacts, call: Call, path: cst.BaseExpression | None, what: str) -> Iterator[Report]:
    tail = string_tail(path, facts)
    if tail is None:
        return
    kind = _kind(tail)
    if kind is None or (kind == "dir" and _read_as_savedmodel(facts, tail)):
        return
    edits = _keras_path_fix(path, kind) if path is not None else ()
    yield Report(
        call.node,
        f"{what} to {tail!r} {_MESSAGES[kind]}; save to a `.keras` file instead "
        "(use `model.export(...)` for a serving SavedModel)",
        fix_title="Use a `.keras` file name" if edits else None,
        edits=edits,
        fix_safe=False,
    )
