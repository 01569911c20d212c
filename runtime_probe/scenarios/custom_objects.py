"""DET302: loading a model that needs custom objects without ``custom_objects=``.

Process A builds and saves three kinds of models that need custom objects:

- a TF-Hub model: a local hub module (a SavedModel written by the probe),
  wrapped in ``hub.KerasLayer`` inside a ``tf_keras`` model (Hub layers are
  tf_keras layers and fail inside Keras 3 models), saved as ``.h5`` and ``.keras``;
- a Keras 3 model with an unregistered ``Layer`` subclass, saved as ``.keras``;
- when AutoKeras is installed, an exported AutoKeras image model (its
  ``CastToFloat32`` / ``ExpandLastDim`` layers are registered only by ``import autokeras``).

A fresh process B loads each file without ``custom_objects`` (recording the
exact exception type and the root cause at the end of the exception chain)
and then with the right ``custom_objects`` (predictions must equal A's).
"""

from __future__ import annotations

import functools
import sys
from typing import Any

from runtime_probe.availability import is_importable
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

#: Saved file → (what it is, the custom_objects a loader needs, as written in the fix).
MODELS: dict[str, tuple[str, str]] = {
    "hub_model.h5": ("hub.KerasLayer in a tf_keras model, .h5", '{"KerasLayer": hub.KerasLayer}'),
    "hub_model.keras": ("hub.KerasLayer in a tf_keras model, .keras", '{"KerasLayer": hub.KerasLayer}'),
    "custom_layer.keras": ("unregistered Keras 3 Layer subclass, .keras", '{"Scale": Scale}'),
    "autokeras_image.keras": ("exported AutoKeras image model, loaded without import autokeras",
                              "ak.CUSTOM_OBJECTS"),
}
AUTOKERAS_MODULES = ("autokeras", "keras_tuner", "tensorboard")


# --------------------------------------------------------------------- parent side
def _observations_for(file_name: str, reference: list[float], loaded: dict[str, Any]) -> list[Observation]:
    label, fix = MODELS[file_name]
    observations: list[Observation] = []
    failure = loaded["without"].get("error")
    fixed = loaded["with"]
    if failure and fixed.get("error"):
        # Not even the fixed load works: the file itself is broken, which says nothing about DET302.
        return [exception_observation(f"{label}: load_model with custom_objects={fix}", fixed["error"],
                                      Role.PITFALL, Verdict.ERROR)]
    if failure:
        observations.append(exception_observation(f"{label}: load_model without custom_objects", failure))
    else:
        drift = max_abs_diff(reference, loaded["without"]["predictions"])
        observations.append(Observation(
            f"{label}: load_model without custom_objects", "loaded; max |Δ| predictions", drift,
            Verdict.NOT_REPRODUCED, Role.PITFALL,
        ))
    if fixed.get("error"):
        observations.append(exception_observation(f"{label}: custom_objects={fix}", fixed["error"], Role.FIX))
    else:
        drift = max_abs_diff(reference, fixed["predictions"])
        observations.append(Observation(
            f"{label}: custom_objects={fix}", "max |Δ| predictions vs process A", drift, identical(drift), Role.FIX,
        ))
    return observations


def run(context: ScenarioContext) -> Outcome:
    with_autokeras = all(is_importable(module) for module in AUTOKERAS_MODULES)
    saved = context.workspace.run("A", child_build_and_save, {"autokeras": with_autokeras}).value()
    loaded = context.workspace.run("B", child_load, {"files": sorted(saved["references"])}).value()
    observations: list[Observation] = []
    for file_name in MODELS:
        if file_name in saved["references"]:
            observations += _observations_for(file_name, saved["references"][file_name], loaded["files"][file_name])
    if "hub_moved" in loaded:
        moved = loaded["hub_moved"]
        name = "hub model loaded with custom_objects after the hub module folder moved"
        if moved.get("error"):
            observations.append(exception_observation(name, moved["error"], Role.INFO))
        else:
            observations.append(Observation(name, "loaded", True, Verdict.NOT_REPRODUCED, Role.INFO))
    if not with_autokeras:
        observations.append(Observation(
            "exported AutoKeras image model", "tested", False, Verdict.SKIPPED, Role.INFO,
            detail="autokeras (with keras-tuner and tensorboard) is not installed",
        ))
    if loaded.get("autokeras_imported_before_load"):
        raise RuntimeError("autokeras was already imported in the loading process; the test would be void")
    verdict = overall_verdict(observations)
    failures = [item for item in observations if item.role is Role.PITFALL and item.verdict is Verdict.CONFIRMED]
    if failures:
        pitfalls = sum(1 for item in observations if item.role is Role.PITFALL)
        exceptions = ", ".join(sorted({str(item.value) for item in failures}))
        reason = f"{len(failures)} of {pitfalls} models fail to load without custom_objects ({exceptions})"
        fixes = [item for item in observations if item.role is Role.FIX]
        if fixes and all(item.verdict is Verdict.FIX_VERIFIED for item in fixes):
            reason += "; with custom_objects all load and predict identically"
    else:
        reason = "every model loaded without custom_objects"
    return Outcome(verdict, reason, tuple(observations))


# --------------------------------------------------------------------- child side
def make_scale_layer_class() -> type:
    """A typical project layer: constructor argument + get_config, but not registered."""
    import keras

    class Scale(keras.layers.Layer):
        def __init__(self, factor: float = 2.0, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, inputs: Any) -> Any:
            return inputs * self.factor

        def get_config(self) -> dict[str, Any]:
            return {**super().get_config(), "factor": self.factor}

    return Scale


def _probe_inputs(shape: tuple[int, ...]) -> Any:
    import numpy as np

    return np.random.RandomState(7).normal(size=shape).astype("float32")


def _save_hub_models(context: ChildContext) -> dict[str, list[float]]:
    import numpy as np
    import tensorflow as tf
    import tensorflow_hub as hub
    import tf_keras

    initial = np.random.RandomState(0)
    kernel = tf.Variable(initial.normal(size=(4, 3)).astype("float32"), name="kernel")
    bias = tf.Variable(np.zeros(3, "float32"), name="bias")
    module = tf.train.Checkpoint(kernel=kernel, bias=bias)
    # hub.KerasLayer reads these two attributes of a TF2 SavedModel.
    module.variables = [kernel, bias]
    module.trainable_variables = [kernel, bias]
    module.__call__ = tf.function(
        lambda inputs: tf.nn.tanh(tf.matmul(inputs, kernel) + bias),
        input_signature=[tf.TensorSpec([None, 4], tf.float32)],
    )
    tf.saved_model.save(module, str(context.shared / "hub_module"))
    tf_keras.utils.set_random_seed(0)
    model = tf_keras.Sequential([
        tf_keras.Input((4,)),
        hub.KerasLayer(str(context.shared / "hub_module")),
        tf_keras.layers.Dense(1),
    ])
    inputs = _probe_inputs((16, 4))
    reference = model(inputs, training=False).numpy().ravel().astype(float).tolist()
    model.save(str(context.shared / "hub_model.h5"))
    model.save(str(context.shared / "hub_model.keras"))
    return {"hub_model.h5": reference, "hub_model.keras": reference}


def _save_custom_layer_model(context: ChildContext) -> dict[str, list[float]]:
    import keras
    import numpy as np

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), make_scale_layer_class()(3.0), keras.layers.Dense(2)])
    model.save(context.shared / "custom_layer.keras")
    reference = np.asarray(model(_probe_inputs((16, 4)), training=False)).ravel()
    return {"custom_layer.keras": reference.astype(float).tolist()}


def _save_autokeras_image_model(context: ChildContext) -> dict[str, list[float]]:
    import autokeras as ak
    import keras
    import numpy as np

    keras.utils.set_random_seed(0)
    images = np.random.RandomState(1).rand(48, 8, 8).astype("float32")  # 3-D: AutoKeras adds ExpandLastDim
    labels = np.arange(48) % 2
    classifier = ak.ImageClassifier(max_trials=1, directory="autokeras_search", overwrite=True, seed=0)
    # Explicit validation data and early stopping: AutoKeras then keeps the trial's model instead of
    # training it a second time (how it was trained does not matter for loading it).
    classifier.fit(images[:36], labels[:36], epochs=1, batch_size=12, verbose=0,
                   validation_data=(images[36:], labels[36:]),
                   callbacks=[keras.callbacks.EarlyStopping(patience=1)])
    model = classifier.export_model()
    model.save(context.shared / "autokeras_image.keras")
    reference = model.predict(_probe_inputs((8, 8, 8)), batch_size=8, verbose=0).ravel()
    return {"autokeras_image.keras": reference.astype(float).tolist()}


def child_build_and_save(args: dict[str, Any], context: ChildContext) -> dict[str, Any]:
    """Process A: save the three kinds of models; return reference predictions."""
    with context.phase("import"):
        import keras  # noqa: F401
        import tensorflow as tf  # noqa: F401
        import tensorflow_hub  # noqa: F401
        import tf_keras  # noqa: F401
    references: dict[str, list[float]] = {}
    with context.phase("hub"):
        references.update(_save_hub_models(context))
    with context.phase("custom_layer"):
        references.update(_save_custom_layer_model(context))
    if args.get("autokeras"):
        with context.phase("autokeras"):
            references.update(_save_autokeras_image_model(context))
    return {"references": references}


def _attempt(load: Any, inputs: Any, predict: Any) -> dict[str, Any]:
    try:
        model = load()
    except Exception as exc:
        return {"error": describe_exception(exc)}
    return {"predictions": predict(model, inputs)}


def child_load(args: dict[str, Any], context: ChildContext) -> dict[str, Any]:
    """Process B: load every file without, then with, custom_objects."""
    with context.phase("import"):
        import keras
        import numpy as np
        import tensorflow_hub as hub
        import tf_keras
    files = set(args["files"])
    results: dict[str, Any] = {"files": {}}

    def shared(name: str) -> str:
        return str(context.shared / name)

    def call_tf_keras(model: Any, inputs: Any) -> list[float]:
        return model(inputs, training=False).numpy().ravel().astype(float).tolist()

    def call_keras(model: Any, inputs: Any) -> list[float]:
        return np.asarray(model(inputs, training=False)).ravel().astype(float).tolist()

    with context.phase("load"):
        for name in ("hub_model.h5", "hub_model.keras"):
            if name in files:
                inputs = _probe_inputs((16, 4))
                load_hub_model = functools.partial(tf_keras.models.load_model, shared(name))
                results["files"][name] = {
                    "without": _attempt(load_hub_model, inputs, call_tf_keras),
                    "with": _attempt(functools.partial(load_hub_model, custom_objects={"KerasLayer": hub.KerasLayer}),
                                     inputs, call_tf_keras),
                }
        if "hub_model.keras" in files:
            # The saved configs hold the hub module's absolute path: move the module folder.
            (context.shared / "hub_module").rename(context.shared / "hub_module_moved")
            results["hub_moved"] = _attempt(lambda: tf_keras.models.load_model(
                shared("hub_model.keras"), custom_objects={"KerasLayer": hub.KerasLayer}), _probe_inputs((16, 4)),
                call_tf_keras)
        if "custom_layer.keras" in files:
            inputs = _probe_inputs((16, 4))
            scale = make_scale_layer_class()
            results["files"]["custom_layer.keras"] = {
                "without": _attempt(lambda: keras.models.load_model(shared("custom_layer.keras")), inputs, call_keras),
                "with": _attempt(lambda: keras.models.load_model(
                    shared("custom_layer.keras"), custom_objects={"Scale": scale}), inputs, call_keras),
            }
    if "autokeras_image.keras" in files:
        with context.phase("autokeras"):
            inputs = _probe_inputs((8, 8, 8))

            def predict_batched(model: Any, rows: Any) -> list[float]:
                return model.predict(rows, batch_size=8, verbose=0).ravel().astype(float).tolist()

            results["autokeras_imported_before_load"] = "autokeras" in sys.modules
            without = _attempt(lambda: keras.models.load_model(shared("autokeras_image.keras")), inputs,
                               predict_batched)
            import autokeras as ak

            results["files"]["autokeras_image.keras"] = {
                "without": without,
                "with": _attempt(lambda: keras.models.load_model(
                    shared("autokeras_image.keras"), custom_objects=ak.CUSTOM_OBJECTS), inputs, predict_batched),
            }
    return results


SCENARIO = Scenario(
    scenario_id="custom-objects",
    title="load_model without custom_objects",
    codes=("DET302",),
    requires=("tensorflow", "keras", "tf_keras", "tensorflow_hub"),
    run=run,
    expected_s=40,
)
