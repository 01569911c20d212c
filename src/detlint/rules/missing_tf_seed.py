"""DET103 missing-tf-seed: a module trains a TF/Keras model and never sets the TF global seed."""

from __future__ import annotations

import ast
import sys
from typing import Iterator

from detlint.analysis import ml
from detlint.analysis.syntax import SyntaxIndex, dotted_parts
from detlint.knowledge import producers
from detlint.edits import keras_seed_statement
from detlint.edits import seed_deadline
from detlint.rule import InsertAfterImports, Report, RuleContext, rule


# Roots of modules whose functions are never training as the rule judges it (``re.search``, ``np.fit``?).
_NOT_TRAINING_ROOTS = frozenset(sys.stdlib_module_names) | producers.NON_KERAS_ROOTS


def _may_train(index: SyntaxIndex) -> bool:
    """Pre-filter: a ``.fit(...)``-like method call (``is_training_call`` asks for a method) whose receiver
    is not a module of the standard library or of a library outside the Keras family (``re.search``)."""
    return any(call.func.__class__ is ast.Attribute and call.func.attr == name  # type: ignore[attr-defined]
               and not _library_module(index, call.func.value)  # type: ignore[attr-defined]
               for name in ml.TRAINING_CALL_NAMES for call in index.calls.get(name, ()))


def _library_module(index: SyntaxIndex, receiver: ast.AST) -> bool:
    """Whether a receiver surely is (an attribute of) a module imported from those roots."""
    parts = dotted_parts(receiver)
    paths = index.imported_as(parts[0]) if parts is not None else None
    return paths is not None and all(path.split(".", 1)[0] in _NOT_TRAINING_ROOTS for path in paths)


@rule(
    "DET103",
    "missing-tf-seed",
    summary="Model trained without setting the TensorFlow global seed",
    severity="error",
    fix="always",
    imports=("tensorflow", "keras", "tf_keras", "autokeras", "keras_tuner", "kerastuner", *producers.MODEL_PRODUCER_ROOTS),
    words=("fit", "train_on_batch", "search"),
    needs=lambda index: _may_train(index),
    project_imports=True,  # a model built in a project module is trained in a module importing only NumPy
)
def missing_tf_seed(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    first = next((c for c in facts.calls if ml.is_training_call(facts, c, ctx.project)), None)
    if first is None:
        return
    kinds = ml.module_seed_kinds(facts, ctx.project)
    if "tf" in kinds:
        return
    seed = ctx.seed_text()
    deadline = seed_deadline(facts, first.node)  # the seed must run before any randomness is used
    first_order = facts.order(deadline)
    seed_bindings = facts.module_scope.bindings.get(seed, [])
    if seed_bindings and not any(b.order < first_order for b in seed_bindings):
        seed = "42"  # the seed constant is only defined after randomness is first used
    imports, statement = keras_seed_statement(facts, seed, first_order)
    message = (
        "model is trained but the TensorFlow global seed is never set, so weights, dropout and "
        f"shuffling differ on every run; call `{statement}` once after the imports"
    )
    if ml.enables_op_determinism(facts) and not kinds:
        message += (
            " (op determinism is enabled without a seed, so `fit` will raise "
            "RuntimeError: Random ops require a seed to be set when determinism is enabled)"
        )
    alias = () if imports else (statement.split(".", 1)[0],)  # the module name the statement calls through
    after = (*((seed,) if seed.isidentifier() else ()), *alias)
    yield Report(
        first.node,
        message,
        fix_title=f"Insert `{statement}` after the imports",
        edits=(InsertAfterImports((*imports, statement), after_names=after, before=deadline),),
    )
