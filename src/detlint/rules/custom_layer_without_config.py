"""DET303 custom-layer-without-config: a custom Keras layer or model that Keras cannot rebuild with
the same arguments from a saved model."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.facts import ClassInfo, FileFacts
from detlint.analysis.origins import Local, parse_local
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


@rule(
    "DET303",
    "custom-layer-without-config",
    summary="Custom Keras layer or model takes constructor arguments but defines no get_config",
    severity="error",
    imports=keras.LAYER_CODE_IMPORTS,
    words=("__init__",),
    needs=lambda index: index.class_without_config,
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
