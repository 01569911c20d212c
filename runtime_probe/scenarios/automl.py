"""DET106 / DET107: AutoKeras searches without ``seed=`` / without ``overwrite=True``.

Two fresh processes each run tiny ``StructuredDataClassifier`` searches
(``max_trials=1``, ``epochs=1``, 300 rows of synthetic data), one after
another, each in its own directory and from a fresh-process random state:

- no ``seed=`` (DET106);
- ``seed=42`` only: AutoKeras seeds only NumPy with it, runs still differ;
- ``seed=42`` + ``overwrite=True`` + ``keras.utils.set_random_seed(42)``: the fix.

DET107 (stale search): process A searches, then searches again in the same
directory without ``overwrite=True`` on data whose labels were flipped: it
prints "Reloading Tuner", runs no trial and returns the old model. Process B
does the same with ``overwrite=True``: a fresh search that follows the new data.

Needs ``tensorboard`` (KerasTuner imports it; without it every trial fails).
"""

from __future__ import annotations

import contextlib
import io
import time
from typing import Any

from runtime_probe.child import ChildContext, max_abs_diff
from runtime_probe.harness import ChildSpec
from runtime_probe.scenarios.base import Scenario, ScenarioContext
from runtime_probe.verdicts import Observation, Outcome, Role, Verdict, differs, identical, overall_verdict

SEED = 42
ROWS = 300
PROBE_ROWS = 50
RELOAD_MESSAGE = "Reloading Tuner"
SEEDINGS: tuple[tuple[str, str, Role], ...] = (
    ("unseeded", "no seed=", Role.PITFALL),
    ("seed_only", f"seed={SEED} only", Role.PITFALL),
    ("full_seed", f"seed={SEED}, overwrite=True, keras.utils.set_random_seed({SEED})", Role.FIX),
)


# --------------------------------------------------------------------- parent side
def _rerun_observation(rerun: dict[str, Any], overwrite: bool) -> Observation:
    drift = max_abs_diff(rerun["first_predictions"], rerun["second_predictions"])
    detail = (
        f"rerun took {rerun['second_s']:.1f} s; {'printed' if rerun['reloaded'] else 'did not print'} "
        f"'{RELOAD_MESSAGE}'; accuracy on the new (flipped) labels {rerun['accuracy_new_labels']:.2f}"
    )
    if overwrite:
        name = "rerun with overwrite=True in the same directory, labels flipped"
        fresh = not rerun["reloaded"] and drift > 0
        return Observation(name, "max |Δ| predictions vs first search", drift,
                           Verdict.FIX_VERIFIED if fresh else Verdict.CONFIRMED, Role.FIX, detail=detail)
    name = "rerun without overwrite=True in the same directory, labels flipped"
    stale = rerun["reloaded"] or drift == 0
    return Observation(name, "max |Δ| predictions vs first search", drift,
                       Verdict.CONFIRMED if stale else Verdict.NOT_REPRODUCED, Role.PITFALL, detail="DET107; " + detail)


def run(context: ScenarioContext) -> Outcome:
    first, second = context.workspace.run_together(
        ChildSpec("A", child_search, {"rerun_overwrite": False}),
        ChildSpec("B", child_search, {"rerun_overwrite": True}),
    )
    result_a, result_b = first.value(), second.value()
    observations: list[Observation] = []
    for key, label, role in SEEDINGS:
        drift = max_abs_diff(result_a["seedings"][key]["predictions"], result_b["seedings"][key]["predictions"])
        judge = differs if role is Role.PITFALL else identical
        labels_a = result_a["seedings"][key]["labels"]
        labels_b = result_b["seedings"][key]["labels"]
        changed = sum(1 for a, b in zip(labels_a, labels_b, strict=True) if a != b)
        observations.append(Observation(
            f"{label}, 2 processes", "max |Δ| predicted probability", drift, judge(drift), role,
            detail=f"{'DET106; ' if key == 'unseeded' else ''}{changed} of {PROBE_ROWS} predicted labels differ",
        ))
    observations.append(_rerun_observation(result_a["rerun"], overwrite=False))
    observations.append(_rerun_observation(result_b["rerun"], overwrite=True))
    verdict = overall_verdict(observations)
    values = {item.name: item.value for item in observations}
    reason = (
        f"no seed: max |Δ| probability {values[f'{SEEDINGS[0][1]}, 2 processes']:.3g}; "
        f"seed= only: {values[f'{SEEDINGS[1][1]}, 2 processes']:.3g}; "
        f"full seed: {values[f'{SEEDINGS[2][1]}, 2 processes']:.3g}; "
        f"rerun without overwrite: {'reloaded the old search' if result_a['rerun']['reloaded'] else 'searched again'}"
    )
    return Outcome(verdict, reason, tuple(observations))


# --------------------------------------------------------------------- child side
def _data() -> tuple[Any, Any, Any]:
    import numpy as np

    rng = np.random.RandomState(0)
    features = rng.normal(size=(ROWS, 6)).astype("float32")
    labels = (features[:, 0] + features[:, 1] > 0).astype("int64")
    probe = rng.normal(size=(PROBE_ROWS, 6)).astype("float32")
    return features, labels, probe


def _reset_to_fresh_process_state() -> None:
    import random

    import keras
    import numpy as np
    import tensorflow as tf

    keras.backend.clear_session()
    random.seed()
    np.random.seed()
    tf.random.set_seed(None)


def _search(directory: str, features: Any, labels: Any, probe: Any, **options: Any) -> dict[str, Any]:
    """One AutoKeras search; returns probabilities on the probe rows and what it printed."""
    import autokeras as ak

    printed = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(printed):
        classifier = ak.StructuredDataClassifier(max_trials=1, directory=directory, project_name="search", **options)
        classifier.fit(features, labels, epochs=1, verbose=0)
        model = classifier.export_model()
    probabilities = model.predict(probe, batch_size=PROBE_ROWS, verbose=0).ravel()
    return {
        "predictions": probabilities.astype(float).tolist(),
        "labels": [int(p > 0.5) for p in probabilities],
        "model": model,
        "printed": printed.getvalue(),
        "seconds": time.perf_counter() - started,
    }


def child_search(args: dict[str, Any], context: ChildContext) -> dict[str, Any]:
    with context.phase("import"):
        import autokeras  # noqa: F401
        import keras
        import numpy as np
    features, labels, probe = _data()
    seedings: dict[str, Any] = {}
    with context.phase("search"):
        for key, _, _ in SEEDINGS:
            _reset_to_fresh_process_state()
            options: dict[str, Any] = {"overwrite": True}
            if key != "unseeded":
                options["seed"] = SEED
            if key == "full_seed":
                keras.utils.set_random_seed(SEED)
            found = _search(f"seeding_{key}", features, labels, probe, **options)
            seedings[key] = {"predictions": found["predictions"], "labels": found["labels"]}
    with context.phase("rerun"):
        _reset_to_fresh_process_state()
        first = _search("rerun", features, labels, probe, overwrite=True, seed=1)
        flipped = 1 - labels
        rerun_options = {"overwrite": True} if args.get("rerun_overwrite") else {}
        second = _search("rerun", features, flipped, probe, seed=1, **rerun_options)
        predicted = (second["model"].predict(features, batch_size=ROWS, verbose=0).ravel() > 0.5).astype("int64")
    return {
        "seedings": seedings,
        "rerun": {
            "first_predictions": first["predictions"],
            "second_predictions": second["predictions"],
            "reloaded": RELOAD_MESSAGE in second["printed"],
            "second_s": second["seconds"],
            "accuracy_new_labels": float(np.mean(predicted == flipped)),
        },
    }


SCENARIO = Scenario(
    scenario_id="automl-search",
    title="AutoKeras search without seed= / overwrite=True",
    codes=("DET106", "DET107"),
    requires=("tensorflow", "keras", "autokeras", "keras_tuner", "tensorboard"),
    run=run,
    expected_s=60,
)
