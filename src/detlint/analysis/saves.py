"""Saves made through a module's own helper functions (``def save_model(model, path): model.save(path)``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import libcst as cst

from detlint.analysis import kinds, ml
from detlint.analysis.facts import Call, FileFacts, FunctionInfo
from detlint.knowledge import keras

if TYPE_CHECKING:
    from detlint.analysis.project import ProjectIndex


def _param_index(info: FunctionInfo, name: str) -> int | None:
    for index, param in enumerate(info.node.params.params):
        if param.name.value == name:
            return index
    return None


def _module_functions(facts: FileFacts) -> Iterator[FunctionInfo]:
    for info in facts.functions:
        if info.class_name is None and info.scope.parent is facts.module_scope:
            yield info


def model_save_helpers(facts: FileFacts) -> dict[str, tuple[int, int]]:
    """Module-level functions running ``param.save(param)``: name -> (model position, path position)."""
    helpers: dict[str, tuple[int, int]] = {}
    for info in _module_functions(facts):
        for call in info.calls:
            if call.method != "save" or not isinstance(call.receiver, cst.Name):
                continue
            path = call.keyword_value("filepath", 0)
            if not isinstance(path, cst.Name):
                continue
            model_at = _param_index(info, call.receiver.value)
            path_at = _param_index(info, path.value)
            if model_at is not None and path_at is not None:
                helpers[info.name] = (model_at, path_at)
    return helpers


def _positional(call: Call) -> list[cst.BaseExpression]:
    return [arg.value for arg in call.node.args if arg.keyword is None and not arg.star]


def helper_calls(facts: FileFacts, names: set[str] | dict[str, object]) -> Iterator[tuple[Call, str]]:
    """Calls of the named module-level functions of this module."""
    if not names:
        return
    for call in facts.calls:
        func = call.node.func
        if not isinstance(func, cst.Name) or func.value not in names:
            continue
        binding = facts.binding_of(func)
        if binding is not None and binding.kind == "def" and binding.scope is facts.module_scope:
            yield call, func.value


def _imported_helper_calls(facts: FileFacts, project: "ProjectIndex | None") -> Iterator[tuple[Call, str, tuple[int, int]]]:
    # Only helpers named like Keras' own savers: the file pre-filter looks for those names.
    if project is None:
        return
    for call in facts.calls:
        func = call.node.func
        if not isinstance(func, cst.Name) or func.value not in keras.SAVE_NAMES:
            continue
        binding = facts.binding_of(func)
        if binding is None:  # maybe brought by `from common import *`
            origin = kinds.star_origin(facts, func.value, project)
        else:
            origin = call.callee if binding.kind == "import" else None
        if not origin:
            continue
        positions = project.model_save_helper(facts, origin)
        if positions is not None:
            yield call, func.value, positions


def helper_model_saves(facts: FileFacts, project: "ProjectIndex | None" = None
                       ) -> Iterator[tuple[Call, cst.BaseExpression, str]]:
    """Helper calls that save a known Keras model: (call, the call's path argument, helper name);
    helpers of this module, and of project modules when ``project`` is given."""
    helpers = model_save_helpers(facts)
    found = [(call, name, helpers[name]) for call, name in helper_calls(facts, helpers)]
    found += _imported_helper_calls(facts, project)
    for call, name, (model_at, path_at) in sorted(found, key=lambda item: facts.order(item[0].node)):
        args = _positional(call)
        if len(args) > max(model_at, path_at) and (ml.is_keras_model(facts, facts.origin(args[model_at])) or (
                project is not None and ml.kind_of(facts, args[model_at], project) is ml.Kind.KERAS_MODEL)):
            yield call, args[path_at], name
