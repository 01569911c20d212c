"""DET304: legacy save formats with the installed Keras.

One process trains a small compiled model and tries what legacy code does:
``model.save("model")`` (no extension, a TF SavedModel folder in Keras 2),
``save_format="tf"``, ``save_weights("ckpt")``, ``load_model`` on a
SavedModel folder, and ``.h5`` round trips (predictions, optimizer state,
resuming training; a model compiled with ``loss="mse"``; a ``.keras`` file
written after an ``.h5`` save of the same model). The ``.keras`` round trip
is the fix: identical predictions, and resumed training identical to
training the original on.

Save/load fidelity does not depend on process state, so the round trips
load in the same process, right after saving to disk (one TensorFlow start
instead of two).
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator
from typing import Any

from runtime_probe.child import ChildContext, describe_exception, max_abs_diff
from runtime_probe.scenarios.base import Scenario, ScenarioContext
from runtime_probe.verdicts import (
    Observation,
    Outcome,
    Role,
    Verdict,
    exception_observation,
    identical,
    overall_verdict,
)

ATTEMPTS: tuple[tuple[str, str], ...] = (
    ("no_extension", 'model.save("model")'),
    ("save_format_tf", 'model.save("model", save_format="tf")'),
    ("save_weights_ckpt", 'model.save_weights("ckpt")'),
    ("load_saved_model_folder", 'keras.models.load_model("<model.export() folder>")'),
    ("h5_mse_loss", 'load_model of an .h5 compiled with loss="mse"'),
)


# --------------------------------------------------------------------- parent side
def _error_observation(name: str, attempt: dict[str, Any]) -> Observation:
    error = attempt.get("error")
    if error:
        return exception_observation(name, error)
    return Observation(name, "outcome", "worked", Verdict.NOT_REPRODUCED, Role.PITFALL)


def run(context: ScenarioContext) -> Outcome:
    result = context.workspace.run("A", child_legacy_save).value()
    observations = [_error_observation(label, result["attempts"][key]) for key, label in ATTEMPTS]
    h5 = result["h5"]
    observations.append(Observation(
        ".h5 round trip", "max |Δ| predictions", h5["prediction_diff"], Verdict.NOT_REPRODUCED
        if h5["prediction_diff"] == 0 else Verdict.CONFIRMED, Role.INFO,
        detail=h5.get("warning", ""),
    ))
    lost = h5["optimizer_variables_saved"] - h5["optimizer_variables_loaded"]
    observations.append(Observation(
        ".h5 round trip: optimizer state", "optimizer variables lost",
        lost, Verdict.CONFIRMED if lost > 0 else Verdict.NOT_REPRODUCED, Role.PITFALL,
        detail=f"{h5['optimizer_variables_loaded']} of {h5['optimizer_variables_saved']} restored",
    ))
    resume = h5["resume"]
    if "error" in resume:
        observations.append(exception_observation(".h5 round trip: resume training (fit)", resume["error"]))
    else:
        observations.append(Observation(
            ".h5 round trip: resume training (fit)", "max |Δ| weights vs uninterrupted", resume["diff"],
            Verdict.CONFIRMED if resume["diff"] > 0 else Verdict.NOT_REPRODUCED, Role.PITFALL,
        ))
    after = result["keras_after_h5"]
    observations.append(Observation(
        ".keras saved after an .h5 save of the same model", "optimizer class after reload",
        after["optimizer"], Verdict.CONFIRMED if after["optimizer"] != after["expected"] else Verdict.NOT_REPRODUCED,
        Role.PITFALL, detail=f"expected {after['expected']}",
    ))
    native = result["keras"]
    observations.append(Observation(
        ".keras round trip", "max |Δ| predictions", native["prediction_diff"], identical(native["prediction_diff"]),
        Role.FIX,
    ))
    if "error" in native["resume"]:
        observations.append(
            exception_observation(".keras round trip: resume training (fit)", native["resume"]["error"], Role.FIX)
        )
    else:
        observations.append(Observation(
            ".keras round trip: resume training (fit)", "max |Δ| weights vs uninterrupted", native["resume"]["diff"],
            identical(native["resume"]["diff"]), Role.FIX,
        ))
    verdict = overall_verdict(observations)
    failing = [item.name for item in observations if item.role is Role.PITFALL and item.verdict is Verdict.CONFIRMED]
    reason = f"{len(failing)} legacy save/load patterns fail or lose state (e.g. {failing[0]}: " \
             f"{next(item.value for item in observations if item.name == failing[0])})" if failing \
        else "every legacy save/load pattern worked"
    if native["prediction_diff"] == 0:
        reason += "; .keras round trip bit-identical"
    return Outcome(verdict, reason, tuple(observations))


# --------------------------------------------------------------------- child side
@contextlib.contextmanager
def _captured_messages() -> Iterator[list[str]]:
    """Collect what a block reports through ``warnings`` and ``logging`` (Keras uses both)."""
    messages: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    collector = Collector(level=logging.WARNING)
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield messages
        messages.extend(str(item.message) for item in caught)
    finally:
        root.removeHandler(collector)


def _try(action: Any) -> dict[str, Any]:
    try:
        action()
    except Exception as exc:
        return {"error": describe_exception(exc)}
    return {}


def _flat(arrays: Any) -> list[float]:
    import numpy as np

    return np.concatenate([np.asarray(array).ravel() for array in arrays]).astype(float).tolist()


def _resume(model: Any, features: Any, target: Any) -> dict[str, Any]:
    try:
        model.fit(features, target, epochs=1, batch_size=32, shuffle=False, verbose=0)
    except Exception as exc:
        return {"error": describe_exception(exc)}
    return {"weights": _flat(model.get_weights())}


def child_legacy_save(args: dict[str, Any], context: ChildContext) -> dict[str, Any]:
    with context.phase("import"):
        import keras
        import numpy as np

    def build(loss: str) -> Any:
        model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss=loss)
        return model

    with context.phase("train"):
        keras.utils.set_random_seed(0)
        data = np.random.RandomState(0)
        features = data.normal(size=(128, 5)).astype("float32")
        target = features @ data.normal(size=(5, 1)).astype("float32")
        model = build("mean_squared_error")
        model.fit(features, target, epochs=2, batch_size=32, shuffle=False, verbose=0)
        reference = _flat([model(features, training=False)])
    result: dict[str, Any] = {"attempts": {}}
    with context.phase("save_load"):
        model.save("model.keras")  # first: an .h5 save changes what later .keras saves contain
        with _captured_messages() as messages:
            model.save("model.h5")
        legacy_warning = next((message for message in messages if "legacy" in message.lower()), "")
        attempts = result["attempts"]
        attempts["no_extension"] = _try(lambda: model.save("model"))
        attempts["save_format_tf"] = _try(lambda: model.save("model_tf", save_format="tf"))
        attempts["save_weights_ckpt"] = _try(lambda: model.save_weights("ckpt"))
        model.export("exported_saved_model", verbose=False)
        attempts["load_saved_model_folder"] = _try(lambda: keras.models.load_model("exported_saved_model"))
        mse_model = build("mse")
        mse_model.fit(features, target, epochs=1, verbose=0)
        mse_model.save("mse_model.h5")
        attempts["h5_mse_loss"] = _try(lambda: keras.models.load_model("mse_model.h5"))
        model.save("model_after_h5.keras")
        after_h5 = keras.models.load_model("model_after_h5.keras")
        result["keras_after_h5"] = {
            "optimizer": type(after_h5.optimizer).__name__, "expected": type(model.optimizer).__name__,
        }
        from_h5 = keras.models.load_model("model.h5")
        from_keras = keras.models.load_model("model.keras")
    with context.phase("resume"):
        uninterrupted = _resume(model, features, target)["weights"]

        def round_trip(loaded: Any) -> dict[str, Any]:
            predictions = max_abs_diff(reference, _flat([loaded(features, training=False)]))
            optimizer_variables = len(loaded.optimizer.variables) if loaded.optimizer is not None else 0
            resumed = _resume(loaded, features, target)
            if "weights" in resumed:
                resumed = {"diff": max_abs_diff(uninterrupted, resumed["weights"])}
            return {"prediction_diff": predictions, "optimizer_variables_loaded": optimizer_variables,
                    "optimizer_variables_saved": len(model.optimizer.variables), "resume": resumed}

        result["h5"] = {**round_trip(from_h5), "warning": legacy_warning[:200]}
        result["keras"] = round_trip(from_keras)
    return result


SCENARIO = Scenario(
    scenario_id="legacy-save",
    title="Legacy save formats (.h5, no extension, save_format, checkpoints)",
    codes=("DET304",),
    requires=("tensorflow", "keras"),
    run=run,
    expected_s=12,
)
