"""DET103 missing-tf-seed: a module trains a TF/Keras model and never sets the TF global seed."""

from __future__ import annotations

from typing import Iterator


from detlint.analysis import ml
from detlint.analysis.facts import FileFacts
from detlint.rule import InsertAfterImports, Report, RuleContext, rule


def keras_seed_statement(facts: FileFacts, seed: str) -> tuple[tuple[str, ...], str]:
    """(import lines to add, statement) that seed Python, NumPy and TF through Keras."""
    for name, bindings in facts.module_scope.bindings.items():
        if any(b.fixed_origin == "keras" for b in bindings):
            return (), f"{name}.utils.set_random_seed({seed})"
    for name, bindings in facts.module_scope.bindings.items():
        if any(b.fixed_origin == "tensorflow" for b in bindings):
            return (), f"{name}.keras.utils.set_random_seed({seed})"
    return ("import keras",), f"keras.utils.set_random_seed({seed})"


@rule(
    "DET103",
    "missing-tf-seed",
    summary="Model trained without setting the TensorFlow global seed",
    severity="error",
    fix="always",
    imports=("tensorflow", "keras", "tf_keras", "autokeras", "keras_tuner", "kerastuner"),
    words=("fit", "train_on_batch", "search"),
)
def missing_tf_seed(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    first = next((c for c in facts.calls if ml.is_training_call(facts, c)), None)
    if first is None:
        return
    kinds = ml.module_seed_kinds(facts, ctx.project)
    if "tf" in kinds:
        return
    seed = ctx.seed_text()
    imports, statement = keras_seed_statement(facts, seed)
    message = (
        "model is trained but the TensorFlow global seed is never set, so weights, dropout and "
        f"shuffling differ on every run; call `{statement}` once after the imports"
    )
    if ml.enables_op_determinism(facts) and not kinds:
        message += (
            " (op determinism is enabled without a seed, so `fit` will raise "
            "RuntimeError: Random ops require a seed to be set when determinism is enabled)"
        )
    after = (seed,) if seed.isidentifier() else ()
    yield Report(
        first.node,
        message,
        fix_title=f"Insert `{statement}` after the imports",
        edits=(InsertAfterImports((*imports, statement), after_names=after),),
    )
