"""DET201: GPU kernels that vary between runs unless op determinism is enabled.

One process runs ``tf.math.unsorted_segment_sum`` on 4M float32 values (its
GPU kernel accumulates with atomics, so the summation order varies) twice on
every visible GPU, then enables ``tf.config.experimental.enable_op_determinism()``
and runs it twice more. Nondeterminism of an op shows within one process, so
one process is enough.

On a machine where TensorFlow sees no GPU the pitfall cannot show: the
verdict is NOT_REPRODUCED ("no GPU visible"); the CPU runs are reported for
context, and so is a related trap: with op determinism enabled and no seed
set, ``fit`` raises ``RuntimeError``.
"""

from __future__ import annotations

from typing import Any

from runtime_probe.child import ChildContext
from runtime_probe.scenarios.base import Scenario, ScenarioContext
from runtime_probe.verdicts import (
    Observation,
    Outcome,
    Role,
    Verdict,
    differs,
    exception_observation,
    identical,
    overall_verdict,
)

VALUES = 1 << 22
SEGMENTS = 512


# --------------------------------------------------------------------- parent side
def _device_observations(device: str, runs: dict[str, Any], role: Role, label: str) -> Observation:
    name = f"unsorted_segment_sum on {device}, 2 runs, {label}"
    if "error" in runs:
        return exception_observation(name, runs["error"], role)
    judge = differs if role is Role.PITFALL else identical
    return Observation(name, "max |Δ| sums", runs["diff"], judge(runs["diff"]), role,
                       detail=f"{runs['differing']} of {SEGMENTS} segment sums differ")


def run(context: ScenarioContext) -> Outcome:
    result = context.workspace.run("A", child_segment_sums).value()
    observations: list[Observation] = []
    for device, runs in result["default"].items():
        role = Role.PITFALL if device != "CPU" else Role.INFO
        observations.append(_device_observations(device, runs, role, "default"))
    for device, runs in result["deterministic"].items():
        role = Role.FIX if device != "CPU" else Role.INFO
        observations.append(_device_observations(device, runs, role, "enable_op_determinism()"))
    fit = result["fit_without_seed"]
    if "error" in fit:
        observations.append(exception_observation(
            "enable_op_determinism() without a seed, then fit", fit["error"], Role.INFO))
    else:
        observations.append(Observation("enable_op_determinism() without a seed, then fit", "outcome", "trained",
                                        Verdict.NOT_REPRODUCED, Role.INFO))
    gpus = result["gpus"]
    if not gpus:
        cpu = result["default"].get("CPU", {})
        return Outcome(
            Verdict.NOT_REPRODUCED,
            f"no GPU visible to TensorFlow; on CPU two runs differ by max |Δ| {cpu.get('diff', 0):.3g}",
            tuple(observations),
        )
    verdict = overall_verdict(observations)
    confirmed = [item for item in observations if item.role is Role.PITFALL and item.verdict is Verdict.CONFIRMED]
    if confirmed:
        reason = f"{confirmed[0].name}: max |Δ| {confirmed[0].value:.3g} ({confirmed[0].detail})"
    else:
        reason = f"the op gave identical results on {', '.join(gpus)}"
    return Outcome(verdict, reason, tuple(observations))


# --------------------------------------------------------------------- child side
def _twice(tf: Any, device: str, values: Any, segment_ids: Any) -> dict[str, Any]:
    try:
        with tf.device(device):
            first = tf.math.unsorted_segment_sum(values, segment_ids, SEGMENTS).numpy()
            second = tf.math.unsorted_segment_sum(values, segment_ids, SEGMENTS).numpy()
    except Exception as exc:
        from runtime_probe.child import describe_exception

        return {"error": describe_exception(exc)}
    difference = abs(first.astype("float64") - second.astype("float64"))
    return {"diff": float(difference.max()), "differing": int((difference > 0).sum())}


def child_segment_sums(args: dict[str, Any], context: ChildContext) -> dict[str, Any]:
    with context.phase("import"):
        import keras
        import numpy as np
        import tensorflow as tf
    data = np.random.RandomState(0)
    values = tf.constant(data.normal(size=VALUES).astype("float32"))
    segment_ids = tf.constant(data.randint(0, SEGMENTS, size=VALUES).astype("int32"))
    gpus = tf.config.list_physical_devices("GPU")
    devices = {"CPU": "/CPU:0"}
    gpu_names: list[str] = []
    for index, gpu in enumerate(gpus):
        details = tf.config.experimental.get_device_details(gpu)
        label = f"GPU:{index} ({details.get('device_name', gpu.name)})"
        devices[label] = f"/GPU:{index}"
        gpu_names.append(label)
    result: dict[str, Any] = {"gpus": gpu_names, "default": {}, "deterministic": {}}
    with context.phase("ops"):
        for label, device in devices.items():
            result["default"][label] = _twice(tf, device, values, segment_ids)
        tf.config.experimental.enable_op_determinism()
        for label, device in devices.items():
            result["deterministic"][label] = _twice(tf, device, values, segment_ids)
    with context.phase("train"):
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mean_squared_error")
        try:
            model.fit(np.ones((8, 4), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)
            result["fit_without_seed"] = {}
        except Exception as exc:
            from runtime_probe.child import describe_exception

            result["fit_without_seed"] = {"error": describe_exception(exc)}
    return result


SCENARIO = Scenario(
    scenario_id="op-determinism",
    title="GPU op nondeterminism without enable_op_determinism",
    codes=("DET201",),
    requires=("tensorflow", "keras"),
    run=run,
    expected_s=9,
)
