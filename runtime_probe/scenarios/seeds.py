"""DET103 / DET111: training without a seed, or with ``tf.random.set_seed`` only.

A tiny Keras model (Dense + BatchNormalization + Dropout, 2 epochs) is
trained in two fresh processes under three seedings, run one after another
in each process:

- no seed at all (DET103);
- ``tf.random.set_seed(42)`` only (DET111): Keras 3 draws its initializer and
  dropout seeds from Python's ``random``, so runs still differ;
- ``keras.utils.set_random_seed(42)`` (seeds Python, NumPy and TensorFlow): the fix.

Before every variant the process is put back into the state of a fresh
interpreter (``keras.backend.clear_session()``, Python and NumPy reseeded
from OS entropy, TF global seed unset), so variants cannot leak seeds into
each other and the cross-process comparison is what two separate runs see.
"""

from __future__ import annotations

from typing import Any

from runtime_probe.child import ChildContext, max_abs_diff
from runtime_probe.harness import ChildSpec
from runtime_probe.scenarios.base import Scenario, ScenarioContext
from runtime_probe.verdicts import Observation, Outcome, Role, differs, identical, overall_verdict

SEED = 42
VARIANTS: tuple[tuple[str, str, Role], ...] = (
    ("unseeded", "no seed", Role.PITFALL),
    ("tf_seed_only", f"tf.random.set_seed({SEED}) only", Role.PITFALL),
    ("keras_seed", f"keras.utils.set_random_seed({SEED})", Role.FIX),
)
CODES_OF_VARIANT = {"unseeded": "DET103", "tf_seed_only": "DET111", "keras_seed": "fix"}


# --------------------------------------------------------------------- parent side
def run(context: ScenarioContext) -> Outcome:
    first, second = context.workspace.run_together(
        ChildSpec("A", child_train, {}), ChildSpec("B", child_train, {})
    )
    variants_a, variants_b = first.value()["variants"], second.value()["variants"]
    observations: list[Observation] = []
    for key, label, role in VARIANTS:
        weights = max_abs_diff(variants_a[key]["weights"], variants_b[key]["weights"])
        predictions = max_abs_diff(variants_a[key]["predictions"], variants_b[key]["predictions"])
        judge = differs if role is Role.PITFALL else identical
        name = f"{label}, 2 processes"
        observations.append(Observation(name, "max |Δ| final weights", weights, judge(weights), role,
                                        detail=CODES_OF_VARIANT[key] if role is Role.PITFALL else ""))
        observations.append(Observation(name, "max |Δ| predictions", predictions, judge(predictions), role))
    verdict = overall_verdict(observations)
    by_name = {(item.name, item.metric): item.value for item in observations}
    parts = [
        f"{label}: max |Δ| weights {by_name[(f'{label}, 2 processes', 'max |Δ| final weights')]:.3g}"
        for _, label, _ in VARIANTS
    ]
    return Outcome(verdict, "; ".join(parts), tuple(observations))


# --------------------------------------------------------------------- child side
def _reset_to_fresh_process_state() -> None:
    """Undo every seed a previous variant set, as a new interpreter would start."""
    import random

    import keras
    import numpy as np
    import tensorflow as tf

    keras.backend.clear_session()
    random.seed()
    np.random.seed()
    tf.random.set_seed(None)


def _train_once() -> dict[str, list[float]]:
    import keras
    import numpy as np

    data = np.random.RandomState(0)  # the data is fixed; only the training randomness varies
    features = data.normal(size=(256, 8)).astype("float32")
    labels = (features[:, 0] + features[:, 1] > 0).astype("float32")
    probe = data.normal(size=(32, 8)).astype("float32")
    model = keras.Sequential([
        keras.Input((8,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(features, labels, epochs=2, batch_size=32, verbose=0)
    weights = np.concatenate([array.ravel() for array in model.get_weights()])
    predictions = np.asarray(model(probe, training=False)).ravel()
    return {"weights": weights.astype(float).tolist(), "predictions": predictions.astype(float).tolist()}


def child_train(args: dict[str, Any], context: ChildContext) -> dict[str, Any]:
    """Train the tiny model under each seeding, in a clean state each time."""
    with context.phase("import"):
        import keras
        import tensorflow as tf
    variants: dict[str, Any] = {}
    for key, _, _ in VARIANTS:
        with context.phase("train"):
            _reset_to_fresh_process_state()
            if key == "tf_seed_only":
                tf.random.set_seed(SEED)
            elif key == "keras_seed":
                keras.utils.set_random_seed(SEED)
            variants[key] = _train_once()
    return {"variants": variants}


SCENARIO = Scenario(
    scenario_id="training-seeds",
    title="Keras training without a full seed",
    codes=("DET103", "DET111"),
    requires=("tensorflow", "keras"),
    run=run,
    expected_s=20,
)
