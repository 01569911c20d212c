"""DET108 nondeterministic-seed-value: a seed that is not a fixed value (None, the clock, OS entropy,
another random draw)."""

from __future__ import annotations

import ast
from typing import Iterator

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.calls import subexpressions
from detlint.analysis.estimators import is_estimator_name, is_random_estimator
from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.seeding import GLOBAL_DRAWS, SEED_CALL_NAMES, callee_text, global_draw_library
from detlint.analysis.splits import classify_split, is_split_name, seed_matters
from detlint.analysis.syntax import SyntaxIndex
from detlint.analysis.values import is_none
from detlint.knowledge import keras
from detlint.knowledge.seeds import (
    CLOCKS_AND_ENTROPY, ENTROPY_MODULES, GENERATORS, GLOBAL_SEEDS, RESEED_FROM_ENTROPY, SeedParameter,
)
from detlint.rule import Report, RuleContext, rule
from detlint.edits import replace_value

_MAX_NAME_DEPTH = 5
_GENERATOR_NAMES = frozenset({*(c.rsplit(".", 1)[-1] for c in GENERATORS), "from_non_deterministic_state"})
_CLOCK_NAMES = frozenset(c.rsplit(".", 1)[-1] for c in CLOCKS_AND_ENTROPY)
_AUTOML_NAMES = frozenset(c.rsplit(".", 1)[-1] for c in keras.KERAS_TUNERS)
_OTHER_SOURCES = _CLOCK_NAMES | {"SystemRandom"}
_SEED_KEYWORDS = frozenset({"random_state", "seed",
                            *(p.keyword for p in (*GENERATORS.values(), *(seed.parameter for seed in GLOBAL_SEEDS.values())))})


def _is_seed_api_name(name: str) -> bool:
    """The last name of a call whose seed DET108 judges (generators, global seeds, estimators, splits)."""
    return name in _GENERATOR_NAMES or name in SEED_CALL_NAMES or is_estimator_name(name) or is_split_name(name)


def _is_automl_name(name: str) -> bool:
    return name in _AUTOML_NAMES or name == "AutoModel" or name.endswith(("Classifier", "Regressor", "Forecaster"))


def _may_have_random_seed(index: SyntaxIndex) -> bool:
    """DET108: `np.random.seed()` with no argument, or a seed-taking call whose seed may be None or
    computed from the clock, OS entropy or a global draw."""
    if index.may_call_lacking(("seed",), "seed", 0):  # `np.random.seed()` reseeds from entropy
        return True
    names = index.names_matching(_is_seed_api_name)
    if not index.imports.isdisjoint(("autokeras", "keras_tuner", "kerastuner")):
        names += index.names_matching(_is_automl_name)
    expanded = index.with_aliases(names)  # `cv_class = ShuffleSplit` ... `cv_class(random_state=None)`
    if expanded is None:
        return True
    names = expanded
    if not names:
        return False
    if index.may_pass(names, _SEED_KEYWORDS, none=True):
        return True
    if not index.imports.isdisjoint(("uuid", "secrets")):  # any of their functions: keep it simple
        return index.may_pass(names, _SEED_KEYWORDS, none=False)

    def is_random_source(call: ast.Call) -> bool:
        names = index.function_names(call) | {getattr(call.func, "attr", "")}
        return not names.isdisjoint(_OTHER_SOURCES) or index.is_global_draw(call, GLOBAL_DRAWS)

    return any(index.may_compute_from(value, is_random_source) for value in index.argument_values(names, _SEED_KEYWORDS))


def _seed_parameter(call: Call, ctx: RuleContext, tf_seeded: list[bool]) -> SeedParameter | None:
    """The seed parameter of a call whose seed DET108 judges (APIs of DET101/102/106/109, global seeds)."""
    callee = call.callee
    if callee is None:
        return None
    global_seed = GLOBAL_SEEDS.get(callee)
    parameter = GENERATORS.get(callee) or (global_seed.parameter if global_seed is not None else None)
    if parameter is not None:
        return parameter
    if (keras.AUTOKERAS_TASK.match(callee) or callee in keras.KERAS_TUNERS) and callee not in keras.AUTOML_WITHOUT_RANDOMNESS:
        return SeedParameter("seed", None)
    if is_random_estimator(callee, call):
        return SeedParameter("random_state", None)
    api = classify_split(call, ctx.facts)
    if api is None or not seed_matters(call, api):
        return None  # a seed of a split that does not shuffle has no effect (KFold even rejects one)
    if api.needs_no_tf_seed:
        if not tf_seeded:
            tf_seeded.append("tf" in ml.module_seed_kinds(ctx.facts, ctx.project))
        if tf_seeded[0]:
            return None  # the TF global seed fixes the op seed, as DET101 says
    return SeedParameter(api.seed, api.seed_position)


def _is_variable(facts: FileFacts, name: cst.Name) -> bool:
    """A name read as a variable, not the attribute of ``cfg.seed`` or the keyword of ``f(seed=...)``."""
    parent = facts.parent(name)
    if isinstance(parent, cst.Attribute) and parent.attr is name:
        return False
    return not (isinstance(parent, cst.Arg) and parent.keyword is name)


def _nondeterministic_source(expr: cst.CSTNode, facts: FileFacts, depth: int = 0) -> str | None:
    """The call a value is computed from that differs on every run (``time.time()``), following names
    assigned exactly once; None when there is none."""
    for node in subexpressions(expr):
        if isinstance(node, cst.Call):
            callee = facts.origin(node.func)
            if callee is None:
                continue
            if (callee in CLOCKS_AND_ENTROPY or callee.startswith(ENTROPY_MODULES)
                    or global_draw_library(callee) is not None):
                return callee_text(facts, node.func)
        elif isinstance(node, cst.Name) and depth < _MAX_NAME_DEPTH and _is_variable(facts, node):
            binding = facts.binding_of(node)
            if binding is None or binding.kind != "assign" or binding.value is None:
                continue
            if len(binding.scope.bindings.get(node.value, ())) != 1:
                continue  # rebound somewhere: which value reaches the seed is not known
            found = _nondeterministic_source(binding.value, facts, depth + 1)
            if found is not None:
                return found
    return None


@rule(
    "DET108",
    "nondeterministic-seed-value",
    summary="Seed that is not a fixed value (None, the clock, OS entropy, another random draw)",
    fix="sometimes",
    imports=("numpy", "random", "sklearn", "pandas", "tensorflow", "keras", "tf_keras", "autokeras",
             "keras_tuner", "kerastuner"),
    words=("None", "seed", "time", "urandom", "uuid", "secrets", "random"),
    needs=_may_have_random_seed,
)
def nondeterministic_seed_value(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    tf_seeded: list[bool] = []
    for call in facts.calls:
        parameter = _seed_parameter(call, ctx, tf_seeded)
        if parameter is None:
            continue
        name = callee_text(facts, call.node.func)
        found = call.passes(parameter.keyword, parameter.position)
        if found is None:
            if call.callee in RESEED_FROM_ENTROPY:
                yield Report(
                    call.node,
                    f"`{name}()` without a seed reseeds from the operating system's entropy, so every run "
                    f"differs; pass a fixed seed such as `{name}({ctx.seed_text()})`",
                )
            continue
        if not isinstance(found, cst.Arg):
            continue  # hidden in **kwargs
        if is_none(found.value):
            seed = ctx.seed_text()
            yield Report(
                found,
                f"`None` passed as `{parameter.keyword}` to `{name}` asks for a fresh seed from the operating "
                f"system on every run, so results differ between runs; pass a fixed seed such as `{seed}`",
                fix_title=f"Replace `None` with `{seed}`",
                edits=replace_value(found, seed),
            )
            continue
        source = _nondeterministic_source(found.value, facts)
        if source is not None:
            yield Report(
                found,
                f"the seed passed to `{name}` is computed from `{source}(...)`, which differs on every run, "
                f"so the seed does not make anything reproducible; use a fixed value such as `{ctx.seed_text()}` "
                "(and log it)",
            )
