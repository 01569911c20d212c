"""DET303 custom-layer-without-config: a custom Keras layer or model that Keras cannot rebuild with
the same arguments from a saved model."""

from __future__ import annotations

import ast
from typing import Iterator

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.facts import ClassInfo, FileFacts
from detlint.analysis.origins import Local, parse_local
from detlint.analysis.syntax import SyntaxIndex
from detlint.knowledge import keras
from detlint.rule import Report, RuleContext, rule


def constructor_arguments(init: cst.FunctionDef) -> list[str]:
    """Names of the arguments ``__init__`` takes besides ``self``, ``*args`` and ``**kwargs``."""
    params = init.params
    positional = [*params.posonly_params, *params.params][1:]  # drop `self`
    return [p.name.value for p in (*positional, *params.kwonly_params)]


def _local_bases(facts: FileFacts, info: ClassInfo, seen: frozenset[str] = frozenset()) -> Iterator[ClassInfo]:
    for base in info.bases:
        local = parse_local(facts.origin(base))
        if local is not None and local.kind is Local.CLASS and local.text not in seen:
            parent = next((c for c in facts.classes if c.name == local.text), None)
            if parent is not None:
                yield parent
                yield from _local_bases(facts, parent, seen | {info.name})


def _inherited_config_covers(facts: FileFacts, info: ClassInfo, arguments: list[str]) -> bool:
    """A project base class defines ``get_config`` for a constructor with the same arguments."""
    for base in _local_bases(facts, info):
        if "get_config" not in base.methods:
            continue
        init = base.methods.get("__init__")
        return init is not None and set(arguments) <= set(constructor_arguments(init))
    return False


# A class is a Keras layer or model by the origin of a base: canonical spellings keep the last name.
_KERAS_BASE_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in keras.KERAS_LAYER_BASES | keras.KERAS_MODEL_BASES)


def _may_report(index: SyntaxIndex) -> bool:
    """Some class takes constructor arguments, defines no ``get_config`` and may derive from a Keras base."""
    classes: dict[str, list[ast.ClassDef]] = {}
    for node in index.class_defs:
        classes.setdefault(node.name, []).append(node)
    return any(_takes_arguments_without_config(node) and _may_derive_from_keras(node, index, classes, set())
               for node in index.class_defs)


def _takes_arguments_without_config(node: ast.ClassDef) -> bool:
    """The class body's (last) ``__init__`` takes arguments besides ``self`` and the body defines no
    ``get_config``: the methods the analysis reads are the defs directly in the body."""
    if not node.bases:
        return False
    methods = {stmt.name: stmt for stmt in node.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
    init = methods.get("__init__")
    if init is None or "get_config" in methods:
        return False
    arguments = init.args
    return len(arguments.posonlyargs) + len(arguments.args) > 1 or bool(arguments.kwonlyargs)


def _may_derive_from_keras(node: ast.ClassDef, index: SyntaxIndex, classes: dict[str, list[ast.ClassDef]],
                           seen: set[str]) -> bool:
    """Whether a base's origin may be a Keras layer or model class: by its last name, through an import
    alias or a local base class; a base bound by assignment, or one that is not a dotted name, may be."""
    seen.add(node.name)
    for base in node.bases:
        if isinstance(base, ast.Name):
            name = base.id
            if name in _KERAS_BASE_NAMES or index.import_aliases.get(name) in _KERAS_BASE_NAMES \
                    or name in index.assigned:
                return True
            if name not in seen and any(_may_derive_from_keras(parent, index, classes, seen)
                                        for parent in classes.get(name, ())):
                return True
        elif isinstance(base, ast.Attribute):
            if base.attr in _KERAS_BASE_NAMES:
                return True
            root = base.value
            while isinstance(root, ast.Attribute):
                root = root.value
            # ``self.base``: an attribute the analysis may follow to what was stored there
            if not (isinstance(root, ast.Name) and root.id in index.imported):
                return True
        else:
            return True  # a call, a subscript...: whatever the analysis makes of it
    return False


@rule(
    "DET303",
    "custom-layer-without-config",
    summary="Custom Keras layer or model takes constructor arguments but defines no get_config",
    severity="error",
    imports=keras.LAYER_CODE_IMPORTS,
    words=("__init__",),
    needs=_may_report,
)
def custom_layer_without_config(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    for info in facts.classes:
        init = info.methods.get("__init__")
        if init is None or "get_config" in info.methods:
            continue
        arguments = constructor_arguments(init)
        if not arguments or not ml.is_keras_layer_class(facts, info):
            continue
        if _inherited_config_covers(facts, info, arguments):
            continue
        kind = "model" if ml.is_keras_model_class(facts, info) else "layer"
        listed = ", ".join(f"`{a}`" for a in arguments)
        yield Report(
            info.node,
            f"custom {kind} `{info.name}` takes constructor arguments ({listed}) but defines no `get_config`: "
            "Keras cannot rebuild it with the same arguments from a saved model (tf.keras refuses to save it, "
            "Keras 3 only captures plain-value arguments); add a `get_config` that returns them",
            data={"class": info.name, "arguments": arguments},
        )
