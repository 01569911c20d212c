"""DET110 mismatched-split-seeds: training and validation subsets of one directory drawn with different seeds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import libcst as cst

from detlint.analysis.calls import flag, short_name
from detlint.analysis.facts import Call, FileFacts, UNKNOWN
from detlint.analysis.values import NOT_LITERAL, is_none, literal
from detlint.knowledge import data
from detlint.knowledge.splits import DIRECTORY_LOADER_POSITIONS
from detlint.rule import Report, RuleContext, rule

_SUBSETS = {"training": frozenset({"training"}), "validation": frozenset({"validation"}),
            "both": frozenset({"training", "validation"})}
_MISSING = object()  # no seed, or ``seed=None``


@dataclass(frozen=True)
class SubsetLoad:
    call: Call
    directory: object  # comparable key of the directory argument
    subsets: frozenset[str]
    seed: object  # literal value, _MISSING, or NOT_LITERAL
    seed_text: str | None  # the seed as written
    shuffles: bool | None
    scope: cst.CSTNode | None  # the enclosing function, None at module level


def _directory_key(facts: FileFacts, expr: cst.BaseExpression) -> object:
    value = literal(expr, facts)
    if isinstance(value, str):
        return ("literal", value)
    if isinstance(expr, cst.Name):
        binding = facts.binding_of(expr)
        return ("name", expr.value, id(binding) if binding is not None else None)
    # Same source text: ``os.path.join(root, "flowers")`` twice. Whitespace does not matter.
    return ("code", "".join(facts.module.code_for_node(expr).split()))


def _subset_load(facts: FileFacts, call: Call) -> SubsetLoad | None:
    callee = call.callee
    if callee is None or not data.DATASET_FROM_DIRECTORY.match(callee):
        return None
    positions = DIRECTORY_LOADER_POSITIONS.get(short_name(callee))
    if positions is None:
        return None
    shuffle_at, seed_at, split_at, subset_at = positions
    directory = call.argument("directory", 0)
    split = call.argument("validation_split", split_at)
    subset = call.argument("subset", subset_at)
    if directory is None or split is None or subset is None or is_none(split.value):
        return None
    subsets = _SUBSETS.get(literal(subset.value, facts))  # type: ignore[arg-type]
    if subsets is None:
        return None
    seed_arg = call.passes("seed", seed_at)
    if seed_arg is UNKNOWN:
        return None
    seed_text = None
    if seed_arg is None or is_none(seed_arg.value):  # type: ignore[union-attr]
        seed: object = _MISSING
    else:
        seed = literal(seed_arg.value, facts)  # type: ignore[union-attr]
        seed_text = facts.module.code_for_node(seed_arg.value)  # type: ignore[union-attr]
    scope = next((node for node in facts.ancestors(call.node) if isinstance(node, (cst.FunctionDef, cst.Lambda))), None)
    return SubsetLoad(call, _directory_key(facts, directory.value), subsets, seed, seed_text,
                      flag(call, "shuffle", shuffle_at, True), scope)


def _complementary(first: SubsetLoad, second: SubsetLoad) -> bool:
    if (len(first.subsets) > 1 or len(second.subsets) > 1) and first.scope is not second.scope:
        # ``subset="both"`` is a complete pair by itself: a load in another function is an alternative to it.
        return False
    return ("training" in first.subsets and "validation" in second.subsets) or (
        "validation" in first.subsets and "training" in second.subsets)


def _mismatch(first: SubsetLoad, second: SubsetLoad) -> bool:
    if first.shuffles is False and second.shuffles is False:
        return False  # files are split in listing order: no seed is involved
    if first.seed is _MISSING or second.seed is _MISSING:
        return True
    if first.seed is NOT_LITERAL or second.seed is NOT_LITERAL:
        return False  # may well be the same value
    return first.seed != second.seed


def _describe(load: SubsetLoad) -> str:
    return "no seed" if load.seed is _MISSING else f"`seed={load.seed_text}`"


def _subset_words(load: SubsetLoad) -> str:
    return " and ".join(sorted(load.subsets, reverse=True))  # "training and validation"


def _plain(seed: object) -> object:
    return None if seed is _MISSING or seed is NOT_LITERAL else seed


@rule(
    "DET110",
    "mismatched-split-seeds",
    summary="Training and validation subsets of one directory loaded with different or missing seeds",
    fix="never",
    imports=("tensorflow", "keras", "tf_keras"),
    words=("_dataset_from_directory",),
)
def mismatched_split_seeds(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    loads: list[SubsetLoad] = []
    for call in facts.calls:
        load = _subset_load(facts, call)
        if load is None:
            continue
        partner = next((earlier for earlier in loads
                        if earlier.directory == load.directory and _complementary(earlier, load)
                        and _mismatch(earlier, load)), None)
        loads.append(load)
        if partner is None:
            continue
        yield Report(
            call.node,
            f"`{short_name(call.callee or '')}` loads the {_subset_words(load)} subset with "
            f"{_describe(load)} but the {_subset_words(partner)} subset of the same directory with "
            f"{_describe(partner)}: the files are shuffled differently before the split, so "
            "validation images also end up in training; pass the same `seed=` to both calls",
            data={"seed": _plain(load.seed), "other_seed": _plain(partner.seed)},
        )
