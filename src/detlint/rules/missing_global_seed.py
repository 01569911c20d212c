"""DET105 missing-global-seed: a draw from the global NumPy or Python generator with no global seed set
earlier."""

from __future__ import annotations

from typing import Iterator

import ast

from detlint.analysis import ml
from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.seeding import GLOBAL_DRAWS, callee_text, draws_globally, global_draw_library, in_lambda
from detlint.analysis.syntax import Enclosing, SyntaxIndex
from detlint.knowledge.seeds import GLOBAL_SEEDS
from detlint.rule import Report, RuleContext, rule


def _is_deferred(call: Call) -> bool:
    """Code inside a function or lambda: when it runs relative to module-level code is not known."""
    return call.function is not None or in_lambda(call)


def _seed_satisfies(draw: Call, seed: Call, facts: FileFacts) -> bool:
    """Whether ``seed`` runs before ``draw``: module-level draws need a module-level seed earlier in the
    file; a draw inside a function is satisfied by an earlier seed in that function or by a seed
    anywhere else (module level or another function) — the call order cannot be known."""
    earlier = facts.order(seed.node) < facts.order(draw.node)
    if not _is_deferred(draw):
        return earlier and not _is_deferred(seed)
    if seed.function is draw.function and not in_lambda(draw):
        return earlier
    return True


def _may_draw_unseeded(index: SyntaxIndex) -> bool:
    """Pre-filter: a draw from a global generator that no seed surely satisfies as ``_seed_satisfies``
    judges it. Draws and seeds count as such only where the analysis surely resolves them; any other call
    that may be a draw keeps the rule."""
    if not draws_globally(index):
        return False
    draws: list[tuple[ast.Call, Enclosing, str]] = []
    seeds: dict[str, list[tuple[ast.Call, Enclosing]]] = {"numpy": [], "python": []}
    for call in index.every_call:
        func = call.func
        name = func.attr if func.__class__ is ast.Attribute else getattr(func, "id", None)  # type: ignore[attr-defined]
        callee = index.known_callee(call) if name in GLOBAL_DRAWS or name in _SEED_NAMES else None
        if callee is None:
            if index.is_global_draw(call, GLOBAL_DRAWS):
                return True  # a draw not surely resolved, or under another name
            continue
        library = global_draw_library(callee)
        seed = GLOBAL_SEEDS.get(callee)
        kinds = [kind for kind in (seed.seeds if seed is not None else ()) if kind in seeds]
        if library is None and not kinds:
            continue
        where = index.enclosing(call)
        if library is not None:
            draws.append((call, where, library))
        for kind in kinds:
            seeds[kind].append((call, where))
    return any(not any(_surely_satisfies(draw, where, seed, seed_where) for seed, seed_where in seeds[library])
               for draw, where, library in draws)


_SEED_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in GLOBAL_SEEDS)


def _surely_satisfies(draw: ast.Call, where: Enclosing, seed: ast.Call, seed_where: Enclosing) -> bool:
    """``_seed_satisfies`` on the stdlib tree: "earlier" only where the seed starts strictly before."""
    earlier = (seed.lineno, seed.col_offset) < (draw.lineno, draw.col_offset)
    if where.function is None and not where.in_lambda:
        return earlier and seed_where.function is None and not seed_where.in_lambda
    if seed_where.function is where.function and not where.in_lambda:
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
    needs=_may_draw_unseeded,
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
            f"`{callee_text(facts, call.node.func)}` draws from {title}, but no global seed is set "
            f"before it, so the values change on every run; call `{seed_call}` (or "
            f"`keras.utils.set_random_seed`) first, {alternative.replace('SEED', ctx.seed_text())}",
            data={"library": library},
        )
