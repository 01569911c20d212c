"""DET305 inference-in-training-mode: a Keras model or layer called with ``training=True`` outside a
training step, so it does not predict the same way twice."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator

import libcst as cst

from detlint.analysis import kinds, ml
from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.names import root
from detlint.analysis.origins import Local, parse_local
from detlint.analysis.syntax import SyntaxIndex
from detlint.analysis.values import literal
from detlint.knowledge import keras
from detlint.rule import Report, RuleContext, rule

if TYPE_CHECKING:  # pragma: no cover
    from detlint.analysis.project import ProjectIndex


def _is_model_or_layer_call(facts: FileFacts, call: Call, project: "ProjectIndex | None" = None) -> bool:
    """Whether the called object is a Keras model or layer (approximately, for values we cannot
    follow, in a module that uses Keras or TensorFlow)."""
    func = call.node.func
    if isinstance(func, cst.Attribute) and func.attr.value in ("call", "__call__"):
        func = func.value  # model.call(x, training=True) is the model called
    origin = facts.origin(func)
    keras_module = ml.imports_keras_family(facts)
    if origin is None:
        return keras_module
    local = parse_local(origin)
    if local is not None and local.kind is Local.CLASS:
        if not origin.endswith(")"):
            return False  # constructing a class of the project
        info = ml.local_class(facts, origin)
        return info is not None and ml.is_keras_layer_class(facts, info)
    if local is not None and local.kind is Local.FUNCTION:
        return keras_module and origin.endswith(")")  # calling what a project function returned
    if local is not None and local.kind is Local.PARAMETER:
        return keras_module
    if ml.is_model_instance(facts, origin) or kinds.is_project_model_instance(facts, origin, project):
        return True
    top = root(origin)
    if top in ("keras", "tensorflow_hub"):
        return origin.endswith(")")  # an instance: `Dropout(0.5)(x, training=True)`
    if top == "tensorflow":
        return ".layers." in origin  # TF1 functional layers: tf.compat.v1.layers.batch_normalization
    return top in keras.KERAS_FAMILY_ROOTS and origin.endswith(")")


def _in_training_context(facts: FileFacts, call: Call) -> bool:
    for item in call.withs:
        if "GradientTape" in (facts.origin(item.item) or ""):
            return True
    return any(isinstance(ancestor, cst.FunctionDef) and _is_training_function(ancestor.name.value)
               for ancestor in facts.ancestors(call.node))


def _is_training_function(name: str) -> bool:
    """A function whose name makes its body a training context (the pre-filter asks the same)."""
    return name in keras.TRAINING_STEP_FUNCTIONS or "train" in name.lower()


def _may_report(index: SyntaxIndex) -> bool:
    """Some call passes ``training=True`` (or a name that may be a module constant bound to it) outside
    every function whose name makes it a training context."""
    if "training" not in index.keywords:
        return False
    training_spans = [(f.lineno, f.end_lineno or f.lineno) for f in index.function_defs if _is_training_function(f.name)]
    for call in index.every_call:
        for keyword in call.keywords:
            if keyword.arg != "training":
                continue
            value = keyword.value
            # ``True``, or a name assigned somewhere (a module constant may hold it; a parameter cannot)
            if not ((value.__class__ is ast.Name and value.id in index.assigned)  # type: ignore[attr-defined]
                    or (value.__class__ is ast.Constant and value.value is True)):  # type: ignore[attr-defined]
                continue
            if not any(start <= call.lineno <= end for start, end in training_spans):
                return True
    return False


@rule(
    "DET305",
    "inference-in-training-mode",
    summary="Model or layer called with training=True outside a training step",
    severity="error",
    imports=keras.LAYER_CODE_IMPORTS,
    words=("training",),
    needs=_may_report,
    project_imports=True,  # a model class of a project module called in a module importing only NumPy
)
def inference_in_training_mode(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    for call in facts.calls:
        training = call.argument("training")
        if training is None or literal(training.value, facts) is not True:
            continue
        if not _is_model_or_layer_call(facts, call, ctx.project) or _in_training_context(facts, call):
            continue
        called = facts.module.code_for_node(call.node.func).strip()
        if len(called) > 40 or "\n" in called:
            called = "the model"
        else:
            called = f"`{called}`"
        yield Report(
            call.node,
            f"{called} is called with `training=True` outside a training step: Dropout stays active and "
            "BatchNormalization uses batch statistics, so outputs change from call to call and differ from "
            "the saved model; use `training=False` (or `predict`) for inference",
        )
