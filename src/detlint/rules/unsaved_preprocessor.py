"""DET301 unsaved-preprocessor: a fitted scaler/encoder/tokenizer that is not saved beside the model."""

from __future__ import annotations

import ast
from typing import Iterator

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.calls import binding_name_of_call
from detlint.analysis.facts import Binding, Call, FunctionInfo
from detlint.analysis.persistence import (
    MODEL_DUMP_CALLS, MODEL_SAVE_CALLS, ModulePersistence, fate_of_result,
)
from detlint.analysis.syntax import SyntaxIndex
from detlint.knowledge import keras
from detlint.knowledge.estimators import FIT_METHODS, RETURNS_SELF, SKLEARN_PREPROCESSOR, SKLEARN_PREPROCESSOR_MODULES
from detlint.rule import Report, RuleContext, rule

_PERSIST_NAMES = frozenset({
    *(c.rsplit(".", 1)[-1] for c in (*MODEL_DUMP_CALLS, *MODEL_SAVE_CALLS)), "save", "export", "ModelCheckpoint",
    *keras.SELF_PERSISTING_METHODS,
})
_KERAS_LAYERS = frozenset(n for n in keras.KERAS_PREPROCESSORS if n.startswith("keras.layers."))


def preprocessor_class(origin: str | None) -> str | None:
    ctor = ml.strip_call(origin)
    if ctor is None:
        return None
    if ctor in keras.KERAS_PREPROCESSORS or SKLEARN_PREPROCESSOR.match(ctor):
        return ctor
    return None


# A fitted object is a preprocessor only by the origin of its constructor, so one of these names is in
# the code: the scikit-learn modules holding them, or the Keras class itself.
_PREPROCESSOR_NAMES = frozenset({
    *SKLEARN_PREPROCESSOR_MODULES, *(name.rsplit(".", 1)[-1] for name in keras.KERAS_PREPROCESSORS),
})


def _may_report(index: SyntaxIndex) -> bool:
    # A fit of a preprocessor, and a save here (also in a helper of this module), a helper, factory or
    # callback builder of another project module, or a function returning what it fits (its callers,
    # anywhere in the project, may persist the result).
    return index.may_call(FIT_METHODS) and index.mentions(_PREPROCESSOR_NAMES) and (
        index.may_call(_PERSIST_NAMES) or index.imports_project_code() or _fits_in_returning_function(index))


def _fits_in_returning_function(index: SyntaxIndex) -> bool:
    """Some module-level function (not a method, not nested) fits something and returns a value, both
    in its own body (a nested function's fit or return is that function's)."""
    lines = {call.lineno for name in FIT_METHODS for call in index.calls.get(name, ())}
    scopes = [*index.class_defs, *index.function_defs]
    for function in index.function_defs:
        start, end = function.lineno, function.end_lineno or function.lineno
        if not any(start <= line <= end for line in lines):
            continue
        if any(other is not function and other.lineno <= start and end <= (other.end_lineno or other.lineno)
               and other.col_offset < function.col_offset for other in scopes):
            continue  # a method or a nested function: not what its module's callers get
        if _fits_and_returns(function):
            return True
    return False


_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _fits_and_returns(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    fits = returns = False
    pending: list[ast.AST] = list(function.body)
    while pending and not (fits and returns):
        node = pending.pop()
        if isinstance(node, _NESTED_SCOPES):
            # its body is its own; what its header evaluates (decorators, defaults, bases) is not
            pending.extend(node.decorator_list)
            pending.extend(node.bases if isinstance(node, ast.ClassDef)
                           else [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)])
            continue
        if node.__class__ is ast.Return:
            returns = returns or node.value is not None  # type: ignore[attr-defined]
        elif node.__class__ is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            fits = fits or (func.__class__ is ast.Attribute and func.attr in FIT_METHODS)
        pending.extend(ast.iter_child_nodes(node))
    return fits and returns


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
    needs=_may_report,
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
    if not fits:
        return
    persistence = ModulePersistence(facts, ctx.project)
    persisted = persistence.persisted_bindings()
    module_saves: bool | None = None
    reported: set[int] = set()
    for call, binding, kind in fits:
        if binding is not None:
            if id(binding) in persisted or id(binding) in reported:
                continue
        returned_by = _returning_function(persistence, call, binding)
        if returned_by is not None:
            # The caller's object: persisted when a caller persists the result.
            fate = fate_of_result(ctx.project, facts.module_name or "", returned_by.name, persistence.result_fates())
            if fate.persisted:
                continue
            if not fate.caller_persists_model:
                if module_saves is None:
                    module_saves = persistence.persists_model()
                if not module_saves:
                    continue
        else:
            if module_saves is None:
                module_saves = persistence.persists_model()
            if not module_saves:
                continue
        if binding is not None:
            reported.add(id(binding))
            what = f"`{binding.name}` ({kind.rsplit('.', 1)[-1]})"
        else:
            what = f"a `{kind.rsplit('.', 1)[-1]}`"
        where = "make it part of the saved model or " if kind in _KERAS_LAYERS else ""
        state = (f"is fitted here and returned by `{returned_by.name}()`, but no caller saves it"
                 if returned_by is not None else "is fitted here but never saved")
        yield Report(
            call.node,
            f"{what} {state}, while the model is: serving would refit it on "
            f"other data and get different inputs; {where}save it next to the model "
            "(e.g. `joblib.dump`) or inside a saved Pipeline",
        )


def _returning_function(persistence: ModulePersistence, call: Call, binding: Binding | None) -> FunctionInfo | None:
    """The module-level function that returns the fitted object to its callers, if any."""
    info = call.function
    if info is None or info.class_name is not None or info.scope.parent is not persistence.facts.module_scope:
        return None
    returned = persistence.returned(info)
    if binding is not None:
        return info if id(binding) in returned.bindings else None
    # `return Scaler().fit(x)` returns the scaler; `return Scaler().fit_transform(x)` only the data
    return info if call.method in RETURNS_SELF and id(call.node) in returned.calls else None
