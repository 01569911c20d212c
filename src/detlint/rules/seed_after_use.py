"""DET104 seed-after-use: a global seed set after the randomness it should control."""

from __future__ import annotations

import ast
from collections import defaultdict
from typing import TYPE_CHECKING, Callable, Iterator

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.calls import lacks_seed
from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.seeding import (GLOBAL_DRAWS, SEED_CALL_NAMES, callee_text, draws_globally, global_draw_library,
                                     in_lambda)
from detlint.analysis.splits import is_split_name, unseeded_split_api
from detlint.analysis.syntax import SyntaxIndex, dotted_parts, first_line
from detlint.knowledge import keras
from detlint.knowledge.seeds import GLOBAL_SEEDS, TF_RANDOM_OPS
from detlint.rule import Report, RuleContext, rule

if TYPE_CHECKING:
    from detlint.analysis.project import ProjectIndex

_MODEL_BUILDER_NAMES = frozenset(c.rsplit(".", 1)[-1] for c in keras.KERAS_MODEL_BUILDERS)


def _may_seed(index: SyntaxIndex) -> bool:
    """A global seed call, or a call that may reach one in a project helper (a local helper can only
    seed through a seed call or a project call that is then in this file too)."""
    return index.may_call(SEED_CALL_NAMES) or index.imports_project_code()


def _may_seed_after_a_use(index: SyntaxIndex) -> bool:
    """A call that may seed (by a seed call's name, or a function of this file that may call one) after a
    call in its block that may be a use no earlier seed there surely controls: what the rule reports.
    Where the file imports project code (or star-imports), any call may reach a seeding helper."""
    if index.imports_project_code() or index.star_import:
        return True
    aliased = index.with_aliases(SEED_CALL_NAMES)
    if aliased is None:
        return True
    seed_names = set(aliased)
    seeders = _seeding_functions(index, seed_names)
    seeds = index.calls_of(seed_names | seeders) if seeders is not None else None
    if seeds is None:
        return True
    may_use = _use_test(index)
    for seed in seeds:
        before = index.calls_before_in_block(seed)
        if before is None or _uncontrolled_use(index, before, may_use):
            return True
    return False


def _seeding_functions(index: SyntaxIndex, seed_names: set[str]) -> set[str] | None:
    """Module-level functions of this file that may seed: they call a seed function, or another of them,
    anywhere in their lines (the rule follows only module-level functions' calls, transitively; a method
    is no seeding helper for it). None: not known (one is returned, and may be called under any name)."""
    functions = [statement for statement in index.module_statements()
                 if statement.__class__ is ast.FunctionDef or statement.__class__ is ast.AsyncFunctionDef]
    found: set[str] = set()
    calls = [call for name in seed_names for call in index.calls.get(name, ())]
    while calls:
        lines = {call.lineno for call in calls}
        newly = {function.name for function in functions if function.name not in found  # type: ignore[attr-defined]
                 and any(first_line(function) <= line <= (function.end_lineno or function.lineno) for line in lines)}
        if not newly:
            break
        found |= newly
        next_calls = index.calls_of(newly)  # also under the names they are bound to
        if next_calls is None:
            return None
        calls = next_calls
    return found


def _uncontrolled_use(index: SyntaxIndex, before: list[tuple[ast.Call, bool]],
                      may_use: Callable[[ast.Call], bool]) -> bool:
    """Whether a call of ``before`` (a block's calls before a seed, in order) may be a use that no seed
    before it surely controls: a draw is controlled by an earlier seed of its library surely in the block."""
    seeded: set[str] = set()
    for call, exact in before:
        callee = index.known_callee(call)
        seed = GLOBAL_SEEDS.get(callee) if callee is not None else None
        if seed is not None:
            if exact:
                seeded |= seed.seeds
            continue
        if not may_use(call):
            continue
        library = global_draw_library(callee)
        if library is None or library not in seeded:
            return True
    return False


def _use_test(index: SyntaxIndex) -> Callable[[ast.Call], bool]:
    """Whether a call may be one of the rule's uses (``_randomness_used``): a draw, a TF random op, training,
    a model built (by a Keras builder or application, a class of this file, or a function of this file
    that returns a value), a split; by its name or a name bound to one. A call that is not of a dotted
    name may be anything."""
    returning = {function.name for function in index.function_defs
                 if index.returns_a_value_within(function.lineno, function.end_lineno or function.lineno)}
    names = (GLOBAL_DRAWS | TF_RANDOM_OPS | ml.TRAINING_CALL_NAMES | _MODEL_BUILDER_NAMES | returning
             | {definition.name for definition in index.class_defs} | set(index.names_matching(is_split_name)))
    aliased = index.with_aliases(names)
    if aliased is None:
        return lambda call: True
    expanded = set(aliased)

    def may_use(call: ast.Call) -> bool:
        parts = dotted_parts(call.func)
        if parts is None:
            return True
        last = parts[-1]
        if last in expanded or index.import_aliases.get(last, last) in expanded or is_split_name(last):
            return True
        if "applications" in parts or any("applications" in path.split(".")
                                          for path in index.import_paths.get(parts[0], ())):
            return True
        return index.is_global_draw(call, GLOBAL_DRAWS)

    return may_use


def _may_use_randomness(index: SyntaxIndex) -> bool:
    """Draws, TF random ops, training, Keras model construction or a split (DET104's "uses")."""
    return (draws_globally(index) or index.may_call(TF_RANDOM_OPS) or index.may_call(ml.TRAINING_CALL_NAMES)
            or index.may_call(_MODEL_BUILDER_NAMES) or "applications" in index.attributes
            or "applications" in index.imported or not index.defined.isdisjoint(index.called)
            or bool(index.names_matching(is_split_name)))


def _keras_model_built(facts: FileFacts, call: Call, project: "ProjectIndex") -> bool:
    """A call that builds (and so initialises) a Keras model: ``keras.Sequential(...)``, a project model
    class, or a project function that returns one."""
    origin = facts.origin(call.node)
    built = ml.strip_call(origin)
    if built is None or "(" in built:
        return False
    if built in keras.KERAS_MODEL_BUILDERS or built.startswith(keras.KERAS_APPLICATIONS_PREFIX):
        return True
    info = ml.local_class(facts, origin)
    if info is not None:
        return ml.kind_of(facts, origin, project) is ml.Kind.KERAS_MODEL  # its base may be another module's
    return project.is_project_origin(facts.module_name, built + "()") and \
        project.kind_of_origin(facts.module_name, built + "()") is ml.Kind.KERAS_MODEL


def _randomness_used(call: Call, ctx: RuleContext) -> tuple[str, str] | None:
    """(seed kind, description) when this call consumes randomness a global seed should control."""
    facts = ctx.facts
    callee = call.callee
    library = global_draw_library(callee)
    if library is not None:
        return library, "a draw"
    if callee is not None and callee.startswith("tensorflow.random.") and callee.rsplit(".", 1)[1] in TF_RANDOM_OPS:
        return ("tf", "a random op") if lacks_seed(call, "seed") else None
    if ml.is_training_call(facts, call, ctx.project):
        return "tf", "training"
    if _keras_model_built(facts, call, ctx.project):
        return "tf", "model construction"
    split = unseeded_split_api(call, ctx.facts)
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
    needs=lambda index: _may_seed(index) and (_may_use_randomness(index) or index.imports_project_code())
    and _may_seed_after_a_use(index),
    project_imports=True,  # seeded through a project helper, randomness used through a project model
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
        if block not in events or in_lambda(call):
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
                    f"`{callee_text(facts, call.node.func)}(...)` runs after {what} (`{callee_text(facts, use.node.func)}(...)`) "
                    f"earlier in the same block, so the {_KIND_NAMES[late]} randomness that already happened is "
                    "not controlled by this seed; set the seed before any model construction, training, split "
                    "or random draw",
                    data={"kind": late, "use": use.callee},
                )
            # What follows is controlled by this seed; a later seed call of the same kind re-seeds on purpose.
            seeded |= kinds
            for kind in kinds:
                uncontrolled.pop(kind, None)
