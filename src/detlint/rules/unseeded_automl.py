"""DET106 unseeded-automl: an AutoKeras task or KerasTuner tuner built without ``seed=``."""

from __future__ import annotations

from typing import Iterator

from detlint.analysis.automl import automl_constructions, automl_name, deliberate_reload
from detlint.analysis.calls import lacks_seed
from detlint.knowledge import keras
from detlint.rule import Report, RuleContext, rule
from detlint.edits import add_keyword


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
    for call in automl_constructions(facts, include_grid=False):
        if not lacks_seed(call, "seed", keras.TUNER_SEED_POSITIONS.get(call.callee or "")) or deliberate_reload(facts, call):
            continue
        if call.callee == "keras_tuner.Tuner" and call.passes("oracle") is not None:
            continue  # a custom Tuner takes no seed: it is the oracle's (reported when built without one)
        seed = ctx.seed_text()
        yield Report(
            call.node,
            f"`{automl_name(call)}` without `seed=` samples a different sequence of trials on every run; "
            f"pass `seed={seed}` (and seed Keras with `keras.utils.set_random_seed`)",
            fix_title=f"Add `seed={seed}`",
            edits=add_keyword(call, "seed", seed),
        )
