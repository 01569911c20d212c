"""DET204 / DET203 / DET207: label order from ``list(set(words))``, ``PYTHONHASHSEED``, and buckets
from ``hash(word) % 10``.

String hashing is randomised per interpreter, so iterating a set of strings
gives a different order in every process; a label encoding built that way
(``{label: i for i, label in enumerate(set(words))}``) changes between
training and serving. Pairs of fresh interpreters (no framework needed):

- launched without ``PYTHONHASHSEED``: orders differ (DET204); ``sorted(set(...))``
  in the same processes is identical (the DET204 fix);
- ``os.environ["PYTHONHASHSEED"] = "0"`` set inside the script: still differ
  (DET203: the interpreter is already running);
- launched with ``PYTHONHASHSEED=0`` in the environment: identical;
- ``hash(word) % 10`` in two processes launched with different ``PYTHONHASHSEED``: buckets differ
  (DET207); ``zlib.crc32(word.encode()) % 10`` in the same processes: identical (the DET207 fix).
"""

from __future__ import annotations

import os
import zlib
from typing import Any

from runtime_probe.child import ChildContext
from runtime_probe.harness import ChildSpec
from runtime_probe.scenarios.base import Scenario, ScenarioContext
from runtime_probe.verdicts import Observation, Outcome, Role, differs, identical, overall_verdict

WORDS: tuple[str, ...] = (
    "cat", "dog", "bird", "fish", "horse", "sheep", "cow", "goat", "mouse", "rabbit",
    "fox", "wolf", "bear", "deer", "duck", "goose", "frog", "snake", "lion", "tiger",
)


# --------------------------------------------------------------------- parent side
def _differing(first: list[str], second: list[str]) -> int:
    return sum(1 for a, b in zip(first, second, strict=True) if a != b)


def run(context: ScenarioContext) -> Outcome:
    unset = {"PYTHONHASHSEED": None}
    runs = context.workspace.run_together(
        ChildSpec("A-unset", child_label_order, {}, unset),
        ChildSpec("B-unset", child_label_order, {}, unset),
        ChildSpec("A-inside", child_label_order, {"set_hashseed_inside": True}, unset),
        ChildSpec("B-inside", child_label_order, {"set_hashseed_inside": True}, unset),
        ChildSpec("A-launch", child_label_order, {}, {"PYTHONHASHSEED": "0"}),
        ChildSpec("B-launch", child_label_order, {}, {"PYTHONHASHSEED": "0"}),
        ChildSpec("A-seed1", child_label_order, {}, {"PYTHONHASHSEED": "1"}),
        ChildSpec("B-seed2", child_label_order, {}, {"PYTHONHASHSEED": "2"}),
    )
    a_unset, b_unset, a_inside, b_inside, a_launch, b_launch, a_seed, b_seed = (run.value() for run in runs)
    total = len(WORDS)

    def cat_ids(first: dict[str, Any], second: dict[str, Any]) -> str:
        return f"label id of 'cat': {first['set_order'].index('cat')} vs {second['set_order'].index('cat')}"

    moved = _differing(a_unset["set_order"], b_unset["set_order"])
    inside = _differing(a_inside["set_order"], b_inside["set_order"])
    launched = _differing(a_launch["set_order"], b_launch["set_order"])
    sorted_moved = _differing(a_unset["sorted_order"], b_unset["sorted_order"])
    buckets_moved = _differing(a_seed["hash_buckets"], b_seed["hash_buckets"])
    crc_moved = _differing(a_seed["crc32_buckets"], b_seed["crc32_buckets"])
    observations = [
        Observation("list(set(words)), 2 processes", f"positions that differ (of {total})", moved, differs(moved),
                    detail="DET204; " + cat_ids(a_unset, b_unset)),
        Observation("sorted(set(words)), same 2 processes", "positions that differ", sorted_moved,
                    identical(sorted_moved), Role.FIX, detail="DET204 fix"),
        Observation('os.environ["PYTHONHASHSEED"] = "0" inside the script, 2 processes', "positions that differ",
                    inside, differs(inside), detail="DET203; " + cat_ids(a_inside, b_inside)),
        Observation("launched with PYTHONHASHSEED=0, 2 processes", "positions that differ", launched,
                    identical(launched), Role.FIX, detail="DET203 fix"),
        Observation("hash(word) % 10, PYTHONHASHSEED=1 vs 2", f"buckets that differ (of {total})", buckets_moved,
                    differs(buckets_moved), detail="DET207; bucket of 'cat': "
                    f"{a_seed['hash_buckets'][0]} vs {b_seed['hash_buckets'][0]}"),
        Observation("zlib.crc32(word.encode()) % 10, same 2 processes", "buckets that differ", crc_moved,
                    identical(crc_moved), Role.FIX, detail="DET207 fix"),
    ]
    verdict = overall_verdict(observations)
    reason = (
        f"list(set(words)) order differs in {moved} of {total} positions between 2 processes "
        f"({cat_ids(a_unset, b_unset)}); setting PYTHONHASHSEED inside the script: {inside} differ; "
        f"set at launch: {launched}; hash(word) % 10 buckets differ for {buckets_moved} of {total} words"
    )
    return Outcome(verdict, reason, tuple(observations))


# --------------------------------------------------------------------- child side
def child_label_order(args: dict[str, Any], context: ChildContext) -> dict[str, Any]:
    if args.get("set_hashseed_inside"):
        os.environ["PYTHONHASHSEED"] = "0"  # what DET203 flags: too late for this interpreter
    words = list(WORDS) * 3
    return {"set_order": list(set(words)), "sorted_order": sorted(set(words)),
            "hash_buckets": [hash(word) % 10 for word in WORDS],  # what DET207 flags
            "crc32_buckets": [zlib.crc32(word.encode()) % 10 for word in WORDS]}


SCENARIO = Scenario(
    scenario_id="hash-order",
    title="Set iteration order and PYTHONHASHSEED",
    codes=("DET203", "DET204", "DET207"),
    requires=(),
    run=run,
    expected_s=1,
)
