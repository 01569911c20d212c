"""DET111 incomplete-keras-seed: a Keras model trained with only the TensorFlow seed set, not Python's
``random``."""

from __future__ import annotations

from typing import Iterator

from detlint.analysis import ml
from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.seeding import callee_text
from detlint.edits import keras_seed_statement
from detlint.analysis.values import literal
from detlint.knowledge.seeds import GLOBAL_SEEDS
from detlint.rule import FixEdit, InsertAfterImports, Replace, Report, RuleContext, rule

# Global seeding calls that seed only TensorFlow (DET111).
_TF_ONLY_SEED_CALLS = frozenset(callee for callee, seed in GLOBAL_SEEDS.items() if seed.seeds == {"tf"})


def _keras_seed_function(facts: FileFacts) -> tuple[str, tuple[FixEdit, ...]]:
    """The spelling of ``keras.utils.set_random_seed`` in this module, and an import edit if one is needed."""
    imports, statement = keras_seed_statement(facts, "")
    function = statement.rsplit("(", 1)[0]
    return function, ((InsertAfterImports(imports),) if imports else ())


def _is_int_seed(call: Call) -> bool:
    arg = call.argument("seed", 0)
    if arg is None:
        return False
    value = literal(arg.value, call.facts)
    return isinstance(value, int) and not isinstance(value, bool)


@rule(
    "DET111",
    "incomplete-keras-seed",
    summary="Keras model trained with only the TensorFlow seed set, not Python's random",
    fix="always",
    fix_safe=False,
    imports=("tensorflow", "keras", "tf_keras", "autokeras", "keras_tuner", "kerastuner"),
    words=("set_seed", "set_random_seed"),
)
def incomplete_keras_seed(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    tf_seed_calls = [call for call in facts.calls if call.callee in _TF_ONLY_SEED_CALLS]
    if not tf_seed_calls or not any(ml.is_training_call(facts, call, ctx.project) for call in facts.calls):
        return
    if "python" in ml.module_seed_kinds(facts, ctx.project):
        return
    function, import_edits = _keras_seed_function(facts)
    for call in tf_seed_calls:
        name = callee_text(facts, call.node.func)
        yield Report(
            call.node,
            f"`{name}` seeds only TensorFlow, but Keras 3 draws its initializer and dropout seeds from "
            "Python's `random`, so training still differs between runs; "
            f"use `{function}(...)`, which seeds Python, NumPy and TensorFlow",
            fix_title=f"Replace with `{function}(...)`",
            edits=(Replace(call.node.func, function), *import_edits),
            # an int seed is accepted as is; other values may be rejected by set_random_seed
            fix_safe=_is_int_seed(call),
        )
