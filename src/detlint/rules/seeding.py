"""Seeding rules: generators without a seed (DET102), seeds set too late (DET104), global draws with
no seed (DET105), seeds that are not fixed values (DET108) and TF-only seeding of Keras (DET111)."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from typing import Iterator

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.syntax import SyntaxIndex
from detlint.analysis.values import is_none, literal
from detlint.knowledge import keras
from detlint.knowledge.seeds import (
    CLOCKS_AND_ENTROPY, ENTROPY_MODULES, GENERATORS, GLOBAL_SEEDS, NON_DETERMINISTIC_GENERATORS, NUMPY_GLOBAL_DRAWS,
    PYTHON_GLOBAL_DRAWS, RESEED_FROM_ENTROPY, TF_RANDOM_OPS, SeedParameter,
)
from detlint.rule import FixEdit, InsertAfterImports, Replace, Report, RuleContext, rule
from detlint.rules._helpers import flag, lacks_seed, passed_none, replace_value, subexpressions
from detlint.rules.missing_tf_seed import keras_seed_statement
from detlint.rules.unseeded_estimator import is_estimator_name, is_random_estimator
from detlint.rules.unseeded_split import SplitApi, _classify as classify_split, is_split_name


# Global seeding calls that seed only TensorFlow (DET111).
_TF_ONLY_SEED_CALLS = frozenset(callee for callee, seed in GLOBAL_SEEDS.items() if seed.seeds == {"tf"})
_MAX_NAME_DEPTH = 5

# -- pre-filter predicates: the last names of the calls each rule looks at ------------------------------
_GENERATOR_NAMES = frozenset({*(c.rsplit(".", 1)[-1] for c in GENERATORS), "from_non_deterministic_state"})
_SEED_CALL_NAMES = frozenset(c.rsplit(".", 1)[-1] for c in GLOBAL_SEEDS)
_GLOBAL_DRAWS = NUMPY_GLOBAL_DRAWS | PYTHON_GLOBAL_DRAWS
_MODEL_BUILDER_NAMES = frozenset(c.rsplit(".", 1)[-1] for c in keras.KERAS_MODEL_BUILDERS)
_CLOCK_NAMES = frozenset(c.rsplit(".", 1)[-1] for c in CLOCKS_AND_ENTROPY)
_AUTOML_NAMES = frozenset(c.rsplit(".", 1)[-1] for c in keras.KERAS_TUNERS)
_OTHER_SOURCES = _CLOCK_NAMES | {"SystemRandom"}
_SEED_KEYWORDS = frozenset({"random_state", "seed",
                            *(p.keyword for p in (*GENERATORS.values(), *(seed.parameter for seed in GLOBAL_SEEDS.values())))})


def _draws_globally(index: SyntaxIndex) -> bool:
    return not index.random_module_calls.isdisjoint(_GLOBAL_DRAWS)


def _may_seed(index: SyntaxIndex) -> bool:
    """A global seed call, or a call that may reach one in a project helper (a local helper can only
    seed through a seed call or a project call that is then in this file too)."""
    return index.may_call(_SEED_CALL_NAMES) or index.imports_project_code()


def _may_use_randomness(index: SyntaxIndex) -> bool:
    """Draws, TF random ops, training, Keras model construction or a split (DET104's "uses")."""
    return (_draws_globally(index) or index.may_call(TF_RANDOM_OPS) or index.may_call(ml.TRAINING_CALL_NAMES)
            or index.may_call(_MODEL_BUILDER_NAMES) or "applications" in index.attributes
            or "applications" in index.imported or not index.defined.isdisjoint(index.called)
            or bool(index.names_matching(is_split_name)))


def _is_seed_api_name(name: str) -> bool:
    """The last name of a call whose seed DET108 judges (generators, global seeds, estimators, splits)."""
    return name in _GENERATOR_NAMES or name in _SEED_CALL_NAMES or is_estimator_name(name) or is_split_name(name)


def _is_automl_name(name: str) -> bool:
    return name in _AUTOML_NAMES or name == "AutoModel" or name.endswith(("Classifier", "Regressor", "Forecaster"))


def _may_have_random_seed(index: SyntaxIndex) -> bool:
    """DET108: `np.random.seed()` with no argument, or a seed-taking call whose seed may be None or
    computed from the clock, OS entropy or a global draw."""
    if "seed" in index.called:
        return True
    names = index.names_matching(_is_seed_api_name)
    if not index.imports.isdisjoint(("autokeras", "keras_tuner", "kerastuner")):
        names += index.names_matching(_is_automl_name)
    if not names:
        return False
    if index.may_pass(names, _SEED_KEYWORDS, none=True):
        return True
    if not index.imports.isdisjoint(("uuid", "secrets")):  # any of their functions: keep it simple
        return index.may_pass(names, _SEED_KEYWORDS, none=False)

    def is_random_source(call: ast.Call) -> bool:
        names = index.function_names(call) | {getattr(call.func, "attr", "")}
        return not names.isdisjoint(_OTHER_SOURCES) or index.is_global_draw(call, _GLOBAL_DRAWS)

    return any(index.may_compute_from(value, is_random_source) for value in index.argument_values(names, _SEED_KEYWORDS))


def _may_lack_generator_seed(index: SyntaxIndex) -> bool:
    if index.may_call(frozenset({"from_non_deterministic_state"})):
        return True
    return any(index.may_call_lacking((callee.rsplit(".", 1)[-1],), parameter.keyword, parameter.position)
               for callee, parameter in GENERATORS.items())


def global_draw_library(callee: str | None) -> str | None:
    """``"numpy"`` or ``"python"`` for a draw from that library's global generator, else None."""
    if callee is None:
        return None
    module, _, name = callee.rpartition(".")
    if module == "numpy.random" and name in NUMPY_GLOBAL_DRAWS:
        return "numpy"
    if module == "random" and name in PYTHON_GLOBAL_DRAWS:
        return "python"
    return None


def _code(facts: FileFacts, node: cst.CSTNode) -> str:
    """Source text of a callee for messages, on one line (a chain may be spread over several)."""
    return re.sub(r"\s+", "", facts.module.code_for_node(node))


def _in_lambda(call: Call) -> bool:
    scope = call.scope
    while scope is not None:
        if scope.kind == "lambda":
            return True
        scope = scope.parent
    return False


def _seed_matters(call: Call, api: SplitApi) -> bool:
    """Whether a DET101 split actually shuffles (its seed then decides the result)."""
    if api.shuffle is None:
        return True
    keyword, position, default = api.shuffle
    return flag(call, keyword, position, default) is True


def _unseeded_split(call: Call, ctx: RuleContext) -> SplitApi | None:
    """A DET101 split that shuffles with no seed of its own (absent or ``None``)."""
    api = classify_split(call, ctx)
    if api is None or not _seed_matters(call, api):
        return None
    if lacks_seed(call, api.seed, api.seed_position) or passed_none(call, api.seed, api.seed_position):
        return api
    return None


# -- DET102 ------------------------------------------------------------------------------------------

@rule(
    "DET102",
    "unseeded-generator",
    summary="Random generator object created without a seed",
    imports=("numpy", "random", "tensorflow", "keras", "tf_keras"),
    needs=_may_lack_generator_seed,
    words=("default_rng", "Random", "SeedSequence", "PCG64", "MT19937", "Philox", "SFC64",
           "from_non_deterministic_state", "SeedGenerator"),
)
def unseeded_generator(ctx: RuleContext) -> Iterator[Report]:
    for call in ctx.facts.calls:
        callee = call.callee
        if callee in NON_DETERMINISTIC_GENERATORS:
            yield Report(
                call.node,
                "`Generator.from_non_deterministic_state()` seeds the generator from the operating system, so "
                f"its numbers change on every run; use `tf.random.Generator.from_seed({ctx.seed_text()})`",
            )
            continue
        parameter = GENERATORS.get(callee or "")
        if parameter is None or not lacks_seed(call, parameter.keyword, parameter.position):
            continue
        if callee == "numpy.random.Philox" and call.passes("key") is not None:
            continue  # a Philox key seeds it as well as a seed does
        name = _code(ctx.facts, call.node.func)
        yield Report(
            call.node,
            f"`{name}()` without a seed takes fresh entropy from the operating system, so its numbers change "
            f"on every run; pass a fixed seed, e.g. `{name}({ctx.seed_text()})`",
        )


# -- DET104 ------------------------------------------------------------------------------------------

def _keras_model_built(facts: FileFacts, call: Call) -> bool:
    """A call that builds (and so initialises) a Keras model: ``keras.Sequential(...)``, a project model
    class, or a project function that returns one."""
    origin = facts.origin(call.node)
    built = ml.strip_call(origin)
    if built is None or "(" in built:
        return False
    if built in keras.KERAS_MODEL_BUILDERS or built.startswith(keras.KERAS_APPLICATIONS_PREFIX):
        return True
    info = ml.local_class(facts, origin)
    return info is not None and ml.is_keras_model_class(facts, info)


def _randomness_used(call: Call, ctx: RuleContext) -> tuple[str, str] | None:
    """(seed kind, description) when this call consumes randomness a global seed should control."""
    facts = ctx.facts
    callee = call.callee
    library = global_draw_library(callee)
    if library is not None:
        return library, "a draw"
    if callee is not None and callee.startswith("tensorflow.random.") and callee.rsplit(".", 1)[1] in TF_RANDOM_OPS:
        return ("tf", "a random op") if lacks_seed(call, "seed") else None
    if ml.is_training_call(facts, call):
        return "tf", "training"
    if _keras_model_built(facts, call):
        return "tf", "model construction"
    split = _unseeded_split(call, ctx)
    if split is not None:
        return ("tf" if split.needs_no_tf_seed else "numpy"), "an unseeded split or shuffle"
    return None


def _block_of(facts: FileFacts, call: Call) -> cst.CSTNode | None:
    """The straight-line block a call runs in: the body (indented or on the same line, as in
    ``if flag: np.random.seed(0)``) or module that holds its statement."""
    for ancestor in facts.ancestors(call.node):
        if isinstance(ancestor, (cst.IndentedBlock, cst.SimpleStatementSuite, cst.Module)):
            return ancestor
    return None


_KIND_NAMES = {"tf": "TensorFlow", "numpy": "NumPy", "python": "Python `random`"}


@rule(
    "DET104",
    "seed-after-use",
    summary="Global seed set after the randomness it should control",
    imports=("numpy", "random", "tensorflow", "keras", "tf_keras"),
    words=("seed",),
    needs=lambda index: _may_seed(index) and _may_use_randomness(index),
)
def seed_after_use(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    # Each straight-line block's seed calls and random uses, walked in source order.
    events: dict[int, list[tuple[int, Call, frozenset[str] | None, str, str]]] = defaultdict(list)
    for call, kinds in ml.seeding_calls(facts, ctx.project):
        events[id(_block_of(facts, call))].append((facts.order(call.node), call, kinds, "", ""))
    if not events:
        return
    for call in facts.calls:
        block = id(_block_of(facts, call))
        if block not in events or _in_lambda(call):
            continue
        used = _randomness_used(call, ctx)
        if used is not None:
            events[block].append((facts.order(call.node), call, None, *used))
    for block_events in events.values():
        seeded: set[str] = set()
        # kind -> the first use of that kind in this block that no earlier seed in the block controls
        uncontrolled: dict[str, tuple[Call, str]] = {}
        for _, call, kinds, kind, what in sorted(block_events, key=lambda event: event[0]):
            if kinds is None:
                if kind not in seeded:
                    uncontrolled.setdefault(kind, (call, what))
                continue
            late = next((k for k in sorted(kinds) if k in uncontrolled), None)
            if late is not None:
                use, what = uncontrolled[late]
                yield Report(
                    call.node,
                    f"`{_code(facts, call.node.func)}(...)` runs after {what} (`{_code(facts, use.node.func)}(...)`) "
                    f"earlier in the same block, so the {_KIND_NAMES[late]} randomness that already happened is "
                    "not controlled by this seed; set the seed before any model construction, training, split "
                    "or random draw",
                    data={"kind": late, "use": use.callee},
                )
            # What follows is controlled by this seed; a later seed call of the same kind re-seeds on purpose.
            seeded |= kinds
            for kind in kinds:
                uncontrolled.pop(kind, None)


# -- DET105 ------------------------------------------------------------------------------------------

def _is_deferred(call: Call) -> bool:
    """Code inside a function or lambda: when it runs relative to module-level code is not known."""
    return call.function is not None or _in_lambda(call)


def _seed_satisfies(draw: Call, seed: Call, facts: FileFacts) -> bool:
    """Whether ``seed`` runs before ``draw``: module-level draws need a module-level seed earlier in the
    file; a draw inside a function is satisfied by an earlier seed in that function or by a seed
    anywhere else (module level or another function) — the call order cannot be known."""
    earlier = facts.order(seed.node) < facts.order(draw.node)
    if not _is_deferred(draw):
        return earlier and not _is_deferred(seed)
    if seed.function is draw.function and not _in_lambda(draw):
        return earlier
    return True


_LIBRARY_ADVICE = {
    "numpy": ("NumPy's global generator", "np.random.seed(SEED)", "or draw from `np.random.default_rng(SEED)`"),
    "python": ("the global generator of Python's `random`", "random.seed(SEED)", "or draw from `random.Random(SEED)`"),
}


@rule(
    "DET105",
    "missing-global-seed",
    summary="Draw from the global NumPy or Python random generator with no global seed set earlier",
    imports=("numpy", "random"),
    words=("random",),
    needs=_draws_globally,
)
def missing_global_seed(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    seeds: list[tuple[Call, frozenset[str]]] | None = None
    reported: set[str] = set()
    for call in facts.calls:
        library = global_draw_library(call.callee)
        if library is None or library in reported:
            continue
        if seeds is None:
            seeds = list(ml.seeding_calls(facts, ctx.project))
        if any(library in kinds and _seed_satisfies(call, seed, facts) for seed, kinds in seeds):
            continue
        reported.add(library)
        title, seed_call, alternative = _LIBRARY_ADVICE[library]
        seed_call = seed_call.replace("SEED", ctx.seed_text())
        yield Report(
            call.node,
            f"`{_code(facts, call.node.func)}` draws from {title}, but no global seed is set "
            f"before it, so the values change on every run; call `{seed_call}` (or "
            f"`keras.utils.set_random_seed`) first, {alternative.replace('SEED', ctx.seed_text())}",
            data={"library": library},
        )


# -- DET108 ------------------------------------------------------------------------------------------

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
    api = classify_split(call, ctx)
    if api is None or not _seed_matters(call, api):
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
                return _code(facts, node.func)
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
        name = _code(facts, call.node.func)
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


# -- DET111 ------------------------------------------------------------------------------------------

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
    if not tf_seed_calls or not any(ml.is_training_call(facts, call) for call in facts.calls):
        return
    if "python" in ml.module_seed_kinds(facts, ctx.project):
        return
    function, import_edits = _keras_seed_function(facts)
    for call in tf_seed_calls:
        name = _code(facts, call.node.func)
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
