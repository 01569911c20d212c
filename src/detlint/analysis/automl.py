"""AutoKeras tasks and KerasTuner tuners: where they are built, whether they are searched."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.values import is_false
from detlint.knowledge import keras


def automl_constructions(facts: FileFacts, include_grid: bool) -> Iterator[Call]:
    for call in facts.calls:
        callee = call.callee
        if callee is None:
            continue
        if keras.AUTOKERAS_TASK.match(callee) or callee in keras.KERAS_TUNERS:
            if callee in keras.AUTOML_WITHOUT_RANDOMNESS and not include_grid:
                continue
            yield call


def is_searched(facts: FileFacts, construction: Call) -> bool:
    """Whether the object built by this call is ever ``.search``-ed or ``.fit``-ed."""
    parent = facts.parent(construction.node)
    if isinstance(parent, cst.Attribute) and parent.attr.value in keras.AUTOML_SEARCH_METHODS:
        return True
    for call in facts.calls:
        if call.method in keras.AUTOML_SEARCH_METHODS:
            binding = call.receiver_binding
            if binding is not None and binding.value is construction.node:
                return True
    return False


def deliberate_reload(facts: FileFacts, call: Call) -> bool:
    """``overwrite=False`` written out on an object never searched: reloading a finished search."""
    overwrite = call.argument("overwrite")
    return overwrite is not None and is_false(overwrite.value, facts) and not is_searched(facts, call)


def automl_name(call: Call) -> str:
    return (call.callee or "").rsplit(".", 1)[-1]
