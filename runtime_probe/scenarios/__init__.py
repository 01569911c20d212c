"""The pitfall scenarios, one module each.

Framework imports live only inside the child functions of these modules, so
importing this package is cheap and never needs TensorFlow.
"""

from __future__ import annotations

from runtime_probe.scenarios import (
    automl,
    custom_objects,
    hash_order,
    legacy_save,
    op_determinism,
    pipeline_order,
    scaler,
    seeds,
    split,
)
from runtime_probe.scenarios.base import Scenario, ScenarioContext

#: In report order (by rule code).
SCENARIOS: tuple[Scenario, ...] = (
    split.SCENARIO,  # DET101
    seeds.SCENARIO,  # DET103, DET111
    automl.SCENARIO,  # DET106, DET107
    op_determinism.SCENARIO,  # DET201
    pipeline_order.SCENARIO,  # DET202
    hash_order.SCENARIO,  # DET203, DET204
    scaler.SCENARIO,  # DET301
    custom_objects.SCENARIO,  # DET302
    legacy_save.SCENARIO,  # DET304
)

_BY_CODE: dict[str, Scenario] = {code: scenario for scenario in SCENARIOS for code in scenario.codes}


def scenario_for_code(code: str) -> Scenario | None:
    """The scenario that tests rule ``code``, if any."""
    return _BY_CODE.get(code.upper())


def scenario_by_id(scenario_id: str) -> Scenario:
    """The scenario with this id; KeyError if there is none."""
    for scenario in SCENARIOS:
        if scenario.scenario_id == scenario_id:
            return scenario
    raise KeyError(scenario_id)


def probed_codes() -> list[str]:
    """Every rule code some scenario tests."""
    return sorted(_BY_CODE)


__all__ = ["SCENARIOS", "Scenario", "ScenarioContext", "probed_codes", "scenario_by_id", "scenario_for_code"]
