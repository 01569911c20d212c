"""DET106 unseeded-automl and DET107 stale-search-resume: AutoKeras and KerasTuner searches."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.values import is_false
from detlint.knowledge import keras
from detlint.rule import Report, RuleContext, rule
from detlint.rules._helpers import add_keyword, lacks_seed, replace_value, subexpressions

_FRESH_DIRECTORIES = ("tempfile.mkdtemp()", "tempfile.TemporaryDirectory()", "param:tmp_path", "param:tmpdir",
                      "param:tmp_path_factory", "param:tmpdir_factory")


def _automl_constructions(facts: FileFacts, include_grid: bool) -> Iterator[Call]:
    for call in facts.calls:
        callee = call.callee
        if callee is None:
            continue
        if keras.AUTOKERAS_TASK.match(callee) or callee in keras.KERAS_TUNERS:
            if callee in keras.AUTOML_WITHOUT_RANDOMNESS and not include_grid:
                continue
            yield call


def _is_searched(facts: FileFacts, construction: Call) -> bool:
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


def _deliberate_reload(facts: FileFacts, call: Call) -> bool:
    """``overwrite=False`` written out on an object never searched: reloading a finished search."""
    overwrite = call.argument("overwrite")
    return overwrite is not None and is_false(overwrite.value, facts) and not _is_searched(facts, call)


def _fresh_directory(facts: FileFacts, call: Call) -> bool:
    directory = call.keyword_value("directory")
    if directory is None:
        return False
    for node in subexpressions(directory):
        origin = facts.origin(node) if isinstance(node, (cst.Name, cst.Call, cst.Attribute)) else None
        if origin and origin.startswith(_FRESH_DIRECTORIES):
            return True
    return False


def _name(call: Call) -> str:
    return (call.callee or "").rsplit(".", 1)[-1]


@rule(
    "DET106",
    "unseeded-automl",
    summary="AutoKeras task or KerasTuner tuner created without seed=",
    severity="error",
    fix="always",
    imports=("autokeras", "keras_tuner", "kerastuner"),
    words=("Classifier", "Regressor", "Forecaster", "AutoModel", "Search", "Optimization", "Hyperband", "Tuner"),
)
def unseeded_automl(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    for call in _automl_constructions(facts, include_grid=False):
        if not lacks_seed(call, "seed", keras.TUNER_SEED_POSITIONS.get(call.callee or "")) or _deliberate_reload(facts, call):
            continue
        if call.callee == "keras_tuner.Tuner" and call.passes("oracle") is not None:
            continue  # a custom Tuner takes no seed: it is the oracle's (reported when built without one)
        seed = ctx.seed_text()
        yield Report(
            call.node,
            f"`{_name(call)}` without `seed=` samples a different sequence of trials on every run; "
            f"pass `seed={seed}` (and seed Keras with `keras.utils.set_random_seed`)",
            fix_title=f"Add `seed={seed}`",
            edits=add_keyword(call, "seed", seed),
        )


@rule(
    "DET107",
    "stale-search-resume",
    summary="AutoKeras/KerasTuner search that silently resumes an old search from disk",
    severity="error",
    fix="always",
    fix_safe=False,  # overwrite=True deletes the previous search in that directory on the next run
    imports=("autokeras", "keras_tuner", "kerastuner"),
    words=("Classifier", "Regressor", "Forecaster", "AutoModel", "Search", "Optimization", "Hyperband", "Tuner"),
)
def stale_search_resume(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    for call in _automl_constructions(facts, include_grid=True):
        overwrite = call.passes("overwrite")
        if overwrite is not None and not isinstance(overwrite, cst.Arg):
            continue  # hidden in **kwargs
        if isinstance(overwrite, cst.Arg) and not is_false(overwrite.value, facts):
            continue  # True, or a value the user controls
        if _deliberate_reload(facts, call) or _fresh_directory(facts, call):
            continue
        edits = replace_value(overwrite, "True") if isinstance(overwrite, cst.Arg) else add_keyword(call, "overwrite", "True")
        yield Report(
            call.node,
            f"`{_name(call)}` without `overwrite=True` reloads and continues the previous search in its "
            "project directory, so a rerun can return a stale model; pass `overwrite=True`",
            fix_title="Set `overwrite=True`",
            edits=edits,
            fix_safe=False,
        )
