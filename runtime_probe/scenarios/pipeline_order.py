"""DET202: ``tf.data`` ``map(..., deterministic=False)`` reorders elements.

One process maps 200 elements through a function whose cost varies per
element (a ``py_function`` that sleeps 0–8 ms, like decoding files of
different sizes) with ``num_parallel_calls=4``: twice with
``deterministic=False`` and once with the default (deterministic) order.
How much the order changes depends on per-element cost; with a cheap op it
may barely change at all.
"""

from __future__ import annotations

from typing import Any

from runtime_probe.child import ChildContext
from runtime_probe.scenarios.base import Scenario, ScenarioContext
from runtime_probe.verdicts import Observation, Outcome, Role, Verdict, differs, identical, overall_verdict

ELEMENTS = 200
PARALLEL_CALLS = 4


# --------------------------------------------------------------------- parent side
def _out_of_place(order: list[int]) -> int:
    return sum(1 for position, value in enumerate(order) if position != value)


def _between(first: list[int], second: list[int]) -> int:
    return sum(1 for a, b in zip(first, second, strict=True) if a != b)


def run(context: ScenarioContext) -> Outcome:
    orders = context.workspace.run("A", child_map_orders).value()
    first, second, fixed = orders["nondeterministic_1"], orders["nondeterministic_2"], orders["deterministic"]
    observations = [
        Observation("map(deterministic=False), first run", f"elements out of place (of {ELEMENTS})",
                    _out_of_place(first), differs(_out_of_place(first))),
        Observation("map(deterministic=False), second run", f"elements out of place (of {ELEMENTS})",
                    _out_of_place(second), differs(_out_of_place(second))),
        Observation("map(deterministic=False), first vs second run", "positions that differ",
                    _between(first, second), Verdict.CONFIRMED if _between(first, second) else Verdict.NOT_REPRODUCED,
                    Role.INFO),
        Observation("map(num_parallel_calls=4) with the default deterministic order", "elements out of place",
                    _out_of_place(fixed), identical(_out_of_place(fixed)), Role.FIX),
    ]
    verdict = overall_verdict(observations)
    reason = (
        f"deterministic=False: {max(_out_of_place(first), _out_of_place(second))} of {ELEMENTS} elements out of "
        f"place; default order: {_out_of_place(fixed)}"
    )
    return Outcome(verdict, reason, tuple(observations))


# --------------------------------------------------------------------- child side
def child_map_orders(args: dict[str, Any], context: ChildContext) -> dict[str, Any]:
    with context.phase("import"):
        import time

        import tensorflow as tf

    def variable_cost_identity(value: Any) -> Any:
        time.sleep((int(value) * 7919 % 5) * 0.002)  # 0-8 ms, varying per element
        return value

    def ordered(deterministic: bool | None) -> list[int]:
        dataset = tf.data.Dataset.range(ELEMENTS).map(
            lambda value: tf.py_function(variable_cost_identity, [value], tf.int64),
            num_parallel_calls=PARALLEL_CALLS,
            deterministic=deterministic,
        )
        return [int(value) for value in dataset.as_numpy_iterator()]

    with context.phase("pipeline"):
        return {
            "nondeterministic_1": ordered(False),
            "nondeterministic_2": ordered(False),
            "deterministic": ordered(None),
        }


SCENARIO = Scenario(
    scenario_id="pipeline-order",
    title="tf.data map with deterministic=False",
    codes=("DET202",),
    requires=("tensorflow",),
    run=run,
    expected_s=8,
)
