"""DET302 load-without-custom-objects: loading a model that needs custom objects without them."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.provenance import Provenance
from detlint.analysis.syntax import SyntaxIndex
from detlint.knowledge import keras
from detlint.rule import Report, RuleContext, rule
from detlint.edits import add_keyword


def _inside_custom_object_scope(facts: FileFacts, call: Call) -> bool:
    for item in call.withs:
        if isinstance(item.item, cst.Call) and facts.origin(item.item.func) in keras.CUSTOM_OBJECT_SCOPES:
            return True
    return False


def _hub_name(facts: FileFacts) -> str | None:
    for name, bindings in facts.module_scope.bindings.items():
        if any(b.fixed_origin == "tensorflow_hub" for b in bindings):
            return name
    return None


def _describe(needed: dict[str, str]) -> str:
    parts = []
    for name, why in sorted(needed.items()):
        if why == "hub":
            parts.append("TF-Hub `KerasLayer`")
        elif why == "autokeras":
            parts.append("AutoKeras layers (registered only by `import autokeras`)")
        elif why == "class":
            parts.append(f"custom layer `{name}`")
        else:
            parts.append(f"custom {why} `{name}`")
    return ", ".join(parts)


def _suggestion(needed: dict[str, str]) -> str:
    entries = []
    for name, why in sorted(needed.items()):
        if why == "hub":
            entries.append('"KerasLayer": hub.KerasLayer')
        elif why != "autokeras":
            entries.append(f'"{name}": {name}')
    if "autokeras" in needed.values():
        return "custom_objects=ak.CUSTOM_OBJECTS" if not entries else \
            "custom_objects={**ak.CUSTOM_OBJECTS, " + ", ".join(entries) + "}"
    return "custom_objects={" + ", ".join(entries) + "}"


_LOAD_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in keras.LOAD_MODEL_FUNCTIONS)


def _may_load_without_custom_objects(index: SyntaxIndex) -> bool:
    # load_model(filepath, custom_objects=None, ...): given by keyword, at position 1, or maybe by `**`/`*`
    return index.may_call_lacking(_LOAD_NAMES, "custom_objects", 1)


@rule(
    "DET302",
    "load-without-custom-objects",
    summary="load_model of a model with custom or TF-Hub layers without custom_objects",
    severity="error",
    fix="sometimes",
    fix_safe=False,
    imports=("tensorflow", "keras", "tf_keras"),
    words=("load_model",),
    needs=_may_load_without_custom_objects,
)
def load_without_custom_objects(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    loads = [c for c in facts.calls if c.callee in keras.LOAD_MODEL_FUNCTIONS]
    if not loads:
        return
    provenance = Provenance(facts, ctx.project)
    for call in loads:
        # load_model(filepath, custom_objects=None, compile=True, ...): also given positionally
        if call.passes("custom_objects", 1) is not None or _inside_custom_object_scope(facts, call):
            continue
        # the model saved to that path decides (see analysis/provenance.py), not other mentions
        needed = provenance.needed_by_load(call)
        if facts.imports_any("autokeras"):
            needed = {k: v for k, v in needed.items() if v != "autokeras"}
        if not needed:
            continue
        suggestion = _suggestion(needed)
        hub = _hub_name(facts)
        edits = ()
        if set(needed.values()) == {"hub"} and hub is not None:
            edits = add_keyword(call, "custom_objects", f'{{"KerasLayer": {hub}.KerasLayer}}')
        yield Report(
            call.node,
            f"the loaded model uses {_describe(needed)}, but `load_model` gets no `custom_objects`: "
            f"loading fails (or needs import side effects) in a fresh process; pass `{suggestion}`",
            fix_title='Add `custom_objects={"KerasLayer": hub.KerasLayer}`' if edits else None,
            edits=edits,
            fix_safe=False,
        )
