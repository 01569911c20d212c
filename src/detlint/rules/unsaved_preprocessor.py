"""DET301 unsaved-preprocessor: a fitted scaler/encoder/tokenizer that is not saved beside the model."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.calls import binding_name_of_call
from detlint.analysis.facts import Binding, Call, FileFacts
from detlint.analysis.saves import helper_dumped_values, helper_model_saves
from detlint.knowledge import keras
from detlint.knowledge.estimators import CONTAINER_BUILDERS, FIT_METHODS, RETURNS_SELF, SKLEARN_PREPROCESSOR
from detlint.rule import Report, RuleContext, rule

# `np.save` stores arrays (predictions, statistics), never a model: it does not make the module persist one.
_MODEL_DUMP_CALLS = keras.DUMP_CALLS - keras.ARRAY_ONLY_DUMPS
_MODEL_SAVE_CALLS = keras.SAVE_MODEL_FUNCTIONS | {keras.SAVED_MODEL_SAVE}
_PERSIST_NAMES = frozenset({
    *(c.rsplit(".", 1)[-1] for c in (*_MODEL_DUMP_CALLS, *_MODEL_SAVE_CALLS)), "save", "export", "ModelCheckpoint",
})
_KERAS_LAYERS = frozenset(n for n in keras.KERAS_PREPROCESSORS if n.startswith("keras.layers."))


def preprocessor_class(origin: str | None) -> str | None:
    ctor = ml.strip_call(origin)
    if ctor is None:
        return None
    if ctor in keras.KERAS_PREPROCESSORS or SKLEARN_PREPROCESSOR.match(ctor):
        return ctor
    return None


def persists_model(facts: FileFacts) -> bool:
    for call in facts.calls:
        callee = call.callee or ""
        if callee in _MODEL_DUMP_CALLS or callee in _MODEL_SAVE_CALLS or callee == keras.MODEL_CHECKPOINT:
            return True
        if call.method in ("save", "export") and (
            ml.is_keras_model(facts, call.receiver_origin)
            or (ml.imports_keras_family(facts) and call.receiver_origin is None)
        ):
            return True
    return any(True for _ in helper_model_saves(facts))


def _stored_names(facts: FileFacts, node: cst.CSTNode) -> Iterator[cst.Name]:
    """Names whose objects are stored in a value: itself, or inside containers and pipeline builders
    (``{"scaler": scaler}``, ``Pipeline([("s", scaler), ...])``) — not ``scaler.transform(x)``."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            yield current
        elif isinstance(current, (cst.Dict, cst.List, cst.Tuple, cst.Set)):
            stack.extend(current.elements)
        elif isinstance(current, (cst.DictElement, cst.Element, cst.StarredElement, cst.StarredDictElement)):
            stack.extend(c for c in current.children if isinstance(c, cst.BaseExpression))
        elif isinstance(current, cst.Call) and CONTAINER_BUILDERS.match(facts.origin(current.func) or ""):
            stack.extend(a.value for a in current.args)


def _persisted_bindings(facts: FileFacts) -> set[int]:
    """Bindings whose object is saved: dumped (also inside containers or pipelines),
    saved through its own method, or part of a Keras model."""
    seen: set[int] = set()
    pending: list[cst.CSTNode] = []
    for call in facts.calls:
        callee = call.callee or ""
        if callee in keras.DUMP_CALLS:
            pending.extend(a.value for a in call.node.args)
        elif call.method in keras.SELF_PERSISTING_METHODS and isinstance(call.receiver, cst.Name):
            pending.append(call.receiver)
        elif callee in keras.SEQUENTIAL_MODELS or call.method == "add":
            pending.extend(a.value for a in call.node.args)
    pending.extend(helper_dumped_values(facts))
    for name in facts.nodes(cst.Name):
        if facts.is_called(name):
            pending.append(name)  # a layer called on a tensor is part of the model
    while pending:
        node = pending.pop()
        for name in _stored_names(facts, node):
            binding = facts.binding_of(name)
            if binding is None or id(binding) in seen:
                continue
            seen.add(id(binding))
            if binding.value is not None and binding.kind == "assign":
                pending.append(binding.value)  # a bundle or pipeline that holds it
    return seen


def _result_binding(call: Call) -> Binding | None:
    """The binding of ``name`` in ``name = Preprocessor().fit(...)``."""
    name = binding_name_of_call(call.facts, call.node)
    if name is None:
        return None
    return next((b for b in call.scope.bindings.get(name, ()) if b.value is call.node), None)


@rule(
    "DET301",
    "unsaved-preprocessor",
    summary="Fitted preprocessor not saved beside the model",
    severity="error",
    imports=("sklearn", "tensorflow", "keras", "tf_keras"),
    words=("fit", "adapt"),
    needs=lambda index: index.may_call(FIT_METHODS) and index.may_call(_PERSIST_NAMES),
)
def unsaved_preprocessor(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    fits: list[tuple[Call, Binding | None, str]] = []
    for call in facts.calls:
        if call.method not in FIT_METHODS:
            continue
        kind = preprocessor_class(call.receiver_origin)
        if kind is None:
            continue
        receiver = call.receiver
        binding = call.receiver_binding
        if binding is None and isinstance(receiver, cst.Call) and call.method in RETURNS_SELF:
            binding = _result_binding(call)
        if binding is None and not isinstance(receiver, cst.Call):
            continue  # an attribute or subscript: we cannot follow where it goes
        fits.append((call, binding, kind))
    if not fits or not (persists_model(facts) or any(True for _ in helper_model_saves(facts, ctx.project))):
        return
    persisted = _persisted_bindings(facts)
    reported: set[int] = set()
    for call, binding, kind in fits:
        if binding is not None:
            if id(binding) in persisted or id(binding) in reported:
                continue
            reported.add(id(binding))
            what = f"`{binding.name}` ({kind.rsplit('.', 1)[-1]})"
        else:
            what = f"a `{kind.rsplit('.', 1)[-1]}`"
        where = "make it part of the saved model or " if kind in _KERAS_LAYERS else ""
        yield Report(
            call.node,
            f"{what} is fitted here but never saved, while the model is: serving would refit it on "
            f"other data and get different inputs; {where}save it next to the model "
            "(e.g. `joblib.dump`) or inside a saved Pipeline",
        )
