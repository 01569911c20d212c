"""DET301: the model is saved but the fitted preprocessor is not.

Process A standardizes training data with a ``StandardScaler``, trains a
small Keras regressor on it, saves the model (``.keras``) and, for the fixed
variant, the scaler with ``joblib``. A fresh process B loads the model and
serves a 32-row batch the way code without the saved scaler has to:

- a new ``StandardScaler`` fitted on the serving batch;
- a new one fitted per single-row request;
- no scaling at all;
- the original scaler loaded with ``joblib`` (the fix): identical predictions.
"""

from __future__ import annotations

from typing import Any

from runtime_probe.child import ChildContext, max_abs_diff
from runtime_probe.scenarios.base import Scenario, ScenarioContext
from runtime_probe.verdicts import Observation, Outcome, Role, differs, identical, overall_verdict

SERVING_ROWS = 32
VARIANTS: tuple[tuple[str, str, Role], ...] = (
    ("refit_on_batch", f"new StandardScaler fitted on the {SERVING_ROWS}-row serving batch", Role.PITFALL),
    ("refit_per_row", "new StandardScaler fitted per 1-row request", Role.PITFALL),
    ("unscaled", "no scaling at serving time", Role.PITFALL),
    ("persisted", "original scaler saved with joblib and loaded", Role.FIX),
)


# --------------------------------------------------------------------- parent side
def run(context: ScenarioContext) -> Outcome:
    trained = context.workspace.run("A", child_train_and_save).value()
    served = context.workspace.run("B", child_load_and_serve).value()
    reference = trained["reference"]
    observations: list[Observation] = []
    context_note = f"predictions of process A (original scaler) have std {trained['reference_std']:.3g}"
    for key, label, role in VARIANTS:
        drift = max_abs_diff(reference, served[key])
        judge = differs if role is Role.PITFALL else identical
        observations.append(Observation(f"{label} (fresh process)", "max |Δ| predictions vs process A", drift,
                                        judge(drift), role, detail=context_note if role is Role.PITFALL else ""))
    verdict = overall_verdict(observations)
    drift_batch = observations[0].value
    fixed = observations[-1].value
    reason = (
        f"serving with a scaler refitted on {SERVING_ROWS} rows: max prediction drift {drift_batch:.3g} "
        f"(prediction std {trained['reference_std']:.3g}); with the saved scaler: max |Δ| {fixed:.3g}"
    )
    return Outcome(verdict, reason, tuple(observations))


# --------------------------------------------------------------------- child side
def _data() -> tuple[Any, Any, Any]:
    import numpy as np

    rng = np.random.RandomState(0)
    centers = np.array([50.0, -20.0, 3.0, 1000.0])
    spreads = np.array([10.0, 5.0, 0.5, 300.0])
    train = centers + spreads * rng.normal(size=(512, 4))
    coefficients = np.array([1.5, -2.0, 0.7, 1.0])
    target = ((train - centers) / spreads) @ coefficients + 0.1 * rng.normal(size=512)
    serving = centers + spreads * rng.normal(size=(SERVING_ROWS, 4))
    return train.astype("float32"), target.astype("float32"), serving.astype("float32")


def child_train_and_save(args: dict[str, Any], context: ChildContext) -> dict[str, Any]:
    """Process A: fit scaler + model, save the model (and the scaler for the fix)."""
    with context.phase("import"):
        import joblib
        import keras
        import numpy as np
        from sklearn.preprocessing import StandardScaler
    with context.phase("train"):
        keras.utils.set_random_seed(0)  # the model itself is not what this scenario varies
        train, target, serving = _data()
        scaler = StandardScaler().fit(train)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mean_squared_error")
        model.fit(scaler.transform(train), target, epochs=8, batch_size=64, verbose=0)
    with context.phase("save"):
        model.save(context.shared / "model.keras")
        joblib.dump(scaler, context.shared / "scaler.joblib")
        np.save(context.shared / "serving.npy", serving)
        reference = np.asarray(model(scaler.transform(serving), training=False)).ravel()
    return {"reference": reference.astype(float).tolist(), "reference_std": float(reference.std())}


def child_load_and_serve(args: dict[str, Any], context: ChildContext) -> dict[str, Any]:
    """Process B: load only what A saved and predict the serving batch four ways."""
    with context.phase("import"):
        import joblib
        import keras
        import numpy as np
        from sklearn.preprocessing import StandardScaler
    with context.phase("load"):
        model = keras.models.load_model(context.shared / "model.keras")
        serving = np.load(context.shared / "serving.npy")

    def predict(rows: Any) -> list[float]:
        return np.asarray(model(np.asarray(rows, dtype="float32"), training=False)).ravel().astype(float).tolist()

    with context.phase("predict"):
        per_row = np.concatenate([StandardScaler().fit_transform(serving[i : i + 1]) for i in range(len(serving))])
        return {
            "refit_on_batch": predict(StandardScaler().fit_transform(serving)),
            "refit_per_row": predict(per_row),
            "unscaled": predict(serving),
            "persisted": predict(joblib.load(context.shared / "scaler.joblib").transform(serving)),
        }


SCENARIO = Scenario(
    scenario_id="unsaved-scaler",
    title="Model saved without its fitted scaler",
    codes=("DET301",),
    requires=("tensorflow", "keras", "sklearn", "joblib"),
    run=run,
    expected_s=16,
)
