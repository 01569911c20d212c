"""DET101 unseeded split: replay the flagged split in two fresh processes.

Each finding's call (``train_test_split``, ``KFold(shuffle=True)``,
``ShuffleSplit``, ``sklearn.utils.shuffle``/``resample``, ``tf.data``
``shuffle``/``list_files``, pandas ``sample``, ``keras.utils.split_dataset``,
``image_``/``text_dataset_from_directory`` on a folder of numbered files the
child writes (each file holds its own number, so the batches show the order), and
``ImageDataGenerator().flow*``, replayed as ``flow`` on arrays: the same
Keras ``Iterator`` shuffles all three) is replayed with its literal keyword
arguments on synthetic data. Both processes run every variant, reseeding NumPy from OS entropy
before each unseeded one, exactly as a fresh interpreter does:

- as written (no ``random_state``): the assignment of samples differs;
- with ``random_state=42``: identical (the fix);
- when the module also seeds NumPy globally: identical across processes, but
  one extra ``np.random`` draw before the split changes it (fragile).
"""

from __future__ import annotations

import functools
from typing import Any

from runtime_probe.availability import is_importable
from runtime_probe.child import ChildContext
from runtime_probe.harness import ChildSpec
from runtime_probe.scenarios.base import Scenario, ScenarioContext
from runtime_probe.verdicts import Observation, Outcome, Role, Verdict, differs, identical, overall_verdict

SEED = 42
N_SAMPLES = 120
MAX_REPLAYS = 6

TF_SHUFFLES = {"shuffle", "list_files"}
# Keras/pandas APIs: last name of the flagged callee -> replay (needs TensorFlow except pandas)
OTHER_APIS = {
    "sample": "pandas.sample",
    "split_dataset": "keras.split_dataset",
    "image_dataset_from_directory": "keras.image_dataset_from_directory",
    "text_dataset_from_directory": "keras.text_dataset_from_directory",
    "flow": "keras.flow", "flow_from_directory": "keras.flow", "flow_from_dataframe": "keras.flow",
}
DIRECTORY_FILES = {"image": ".png", "text": ".txt"}
ORDER_APIS = {"shuffle", "resample"}  # compared position by position, not by membership
FOLDS_COMPARED = 3
DEFAULT_CONFIG: dict[str, Any] = {
    "api": "train_test_split",
    "kwargs": {"test_size": 0.2},
    "numpy_global_seed": False,
    "display": "train_test_split(test_size=0.2)",
}


# --------------------------------------------------------------------- parent side
@functools.cache
def sklearn_splitters() -> frozenset[str]:
    """The scikit-learn splitters the linter reports, by last name (as a finding's callee may be
    written). Read from the linter's tables on first use: importing the probe stays light, and a
    child process never needs the linter."""
    from detlint.knowledge import splits

    return frozenset(callee.rsplit(".", 1)[-1] for callee in splits.SKLEARN_SPLITTERS)


def _clean_kwargs(kwargs: Any) -> dict[str, Any]:
    """Keep the literal arguments a replay can use; drop seeds and anything odd."""
    if not isinstance(kwargs, dict):
        return {}
    clean: dict[str, Any] = {}
    for key in ("test_size", "train_size", "n_splits", "n_repeats", "n_samples", "frac", "n", "left_size",
                "right_size", "batch_size"):
        value = kwargs.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            clean[key] = value
    for key in ("shuffle", "replace", "reshuffle_each_iteration"):
        if isinstance(kwargs.get(key), bool):
            clean[key] = kwargs[key]
    if "stratify" in kwargs and kwargs["stratify"] is not None:
        clean["stratify"] = True
    return clean


def replay_config(callee: str, kwargs: Any, numpy_global_seed: bool) -> dict[str, Any] | None:
    """Map a DET101 finding's data to a replayable configuration (None: no replay)."""
    parts = callee.split(".")
    name = parts[-1]
    family = "tf" if parts[0] in {"tf", "tensorflow"} or "data" in parts[:-1] else "sklearn"
    if parts[0] == "pandas" and name == "sample":
        api = OTHER_APIS[name]
    elif parts[0] == "keras" and name in OTHER_APIS and name != "sample":
        api = OTHER_APIS[name]
    elif family == "sklearn" and name in sklearn_splitters() and (parts[0] == "sklearn" or len(parts) == 1):
        api = name
    elif family == "tf" and name in TF_SHUFFLES:
        api = f"tf.data.{name}"
    else:
        return None
    shown = {key: value for key, value in (kwargs if isinstance(kwargs, dict) else {}).items()
             if key not in {"random_state", "seed"}}
    arguments = ", ".join(f"{key}={value if isinstance(value, str) else repr(value)}" for key, value in shown.items())
    shown_name = f"Dataset.{name}" if api.startswith("tf.") else ("DataFrame.sample" if api == "pandas.sample" else name)
    return {"api": api, "kwargs": _clean_kwargs(kwargs), "numpy_global_seed": bool(numpy_global_seed),
            "display": f"{shown_name}({arguments})"}


def describe_config(config: dict[str, Any]) -> str:
    """The call as the finding wrote it (without its seed), e.g. ``train_test_split(test_size=0.2, stratify=y)``."""
    if "display" in config:
        return str(config["display"])
    arguments = ", ".join(f"{key}={value!r}" for key, value in sorted(config["kwargs"].items()))
    return f"{config['api']}({arguments})"


def _configs_from_findings(context: ScenarioContext) -> tuple[list[dict[str, Any]], list[str]]:
    configs: list[dict[str, Any]] = []
    unreplayed: list[str] = []
    for finding in context.findings:
        data = finding.data or {}
        callee = str(data.get("callee") or "")
        config = replay_config(callee, data.get("kwargs"), bool(data.get("numpy_global_seed")))
        if config is None:
            unreplayed.append(f"{callee or 'unknown callee'} ({finding.location})")
        elif config not in configs:
            configs.append(config)
    return configs[:MAX_REPLAYS], unreplayed


def _changed(first: list[int], second: list[int]) -> int:
    common = min(len(first), len(second))
    differing = sum(1 for a, b in zip(first[:common], second[:common], strict=True) if a != b)
    return differing + abs(len(first) - len(second))


def _needs_tf(api: str) -> bool:
    return api.startswith(("tf.", "keras."))


def _seed_keyword(api: str) -> str:
    return "seed" if _needs_tf(api) else "random_state"


def _metric(config: dict[str, Any], size: int) -> str:
    api = config["api"]
    if api in ORDER_APIS or _needs_tf(api) or api == "pandas.sample":
        return f"positions that differ (of {size})"
    return f"sample assignments that differ (of {size})"


def run(context: ScenarioContext) -> Outcome:
    configs, unreplayed = _configs_from_findings(context)
    if not is_importable("tensorflow"):
        unreplayed += [f"{describe_config(config)} (tensorflow not installed)" for config in configs
                       if _needs_tf(config["api"])]
        configs = [config for config in configs if not _needs_tf(config["api"])]
    if not is_importable("pandas"):
        unreplayed += [f"{describe_config(config)} (pandas not installed)" for config in configs
                       if config["api"] == "pandas.sample"]
        configs = [config for config in configs if config["api"] != "pandas.sample"]
    stand_in = not configs
    if stand_in:
        configs = [dict(DEFAULT_CONFIG)]
    args = {"configs": configs}
    first, second = context.workspace.run_together(
        ChildSpec("A", child_split, args), ChildSpec("B", child_split, args)
    )
    runs_a, runs_b = first.value()["replays"], second.value()["replays"]
    observations: list[Observation] = []
    for config, replay_a, replay_b in zip(configs, runs_a, runs_b, strict=True):
        label = describe_config(config)
        metric = _metric(config, len(replay_a["unseeded"]))
        moved = _changed(replay_a["unseeded"], replay_b["unseeded"])
        observations.append(Observation(
            name=f"{label}, no seed, 2 processes", metric=metric,
            value=moved, verdict=differs(moved),
        ))
        fixed = _changed(replay_a["seeded"], replay_b["seeded"])
        seed_argument = _seed_keyword(config["api"])
        observations.append(Observation(
            name=f"{label}, {seed_argument}={SEED}, 2 processes", metric=metric,
            value=fixed, verdict=identical(fixed), role=Role.FIX,
        ))
        if config["numpy_global_seed"] and "global_seed" in replay_a:
            across = _changed(replay_a["global_seed"], replay_b["global_seed"])
            observations.append(Observation(
                name=f"{label} after np.random.seed({SEED}), 2 processes", metric=metric,
                value=across, verdict=identical(across), role=Role.INFO,
                detail="a global NumPy seed repeats the split only while the draws before it stay the same",
            ))
            fragile = _changed(replay_a["global_seed"], replay_a["global_seed_extra_draw"])
            observations.append(Observation(
                name=f"{label} after np.random.seed({SEED}) + one extra draw",
                metric=metric, value=fragile, verdict=differs(fragile),
                detail="one unrelated np.random call before the split changes it",
            ))
    for item in unreplayed:
        observations.append(Observation(
            name=f"{item}", metric="replayed", value=False, verdict=Verdict.NOT_REPRODUCED, role=Role.INFO,
            detail="no replay exists for this API",
        ))
    verdict = overall_verdict(observations)
    pitfalls = [item for item in observations if item.role is Role.PITFALL and item.verdict is Verdict.CONFIRMED]
    if verdict is Verdict.CONFIRMED:
        worst = max(pitfalls, key=lambda item: float(item.value or 0))
        reason = f"{worst.name}: {worst.value} {worst.metric}"
        if any(item.role is Role.FIX and item.verdict is Verdict.FIX_VERIFIED for item in observations):
            reason += "; with a seed: identical"
    else:
        reason = "splits without a seed came out identical in both processes"
    if stand_in and context.findings:
        reason += " (replayed a stand-in train_test_split: no replayable split among the findings)"
    return Outcome(verdict, reason, tuple(observations))


# --------------------------------------------------------------------- child side
def _synthetic_data(n_samples: int) -> tuple[Any, Any, Any]:
    import numpy as np

    features = np.arange(n_samples * 3, dtype="float64").reshape(n_samples, 3)
    labels = np.arange(n_samples) % 2
    groups = np.arange(n_samples) // 4
    return features, labels, groups


def _membership(test_indices: Any) -> list[int]:
    assignment = [0] * N_SAMPLES
    for index in test_indices:
        assignment[int(index)] = 1
    return assignment


def _assignment_sklearn(api: str, kwargs: dict[str, Any], random_state: int | None) -> list[int]:
    """A fingerprint of the split: test membership per sample, or the drawn order."""
    import numpy as np
    from sklearn import model_selection, utils

    x, y, groups = _synthetic_data(N_SAMPLES)
    stratify = y if kwargs.get("stratify") else None
    options: dict[str, Any]
    if api == "train_test_split":
        options = {key: kwargs[key] for key in ("test_size", "train_size") if key in kwargs}
        _, test = model_selection.train_test_split(
            np.arange(N_SAMPLES), stratify=stratify, random_state=random_state, **options
        )
        return _membership(test)
    if api in ORDER_APIS:
        options = {key: kwargs[key] for key in ("n_samples", "replace") if key in kwargs}
        if api == "resample" and stratify is not None:
            options["stratify"] = stratify
        drawn = getattr(utils, api)(np.arange(N_SAMPLES), random_state=random_state, **options)
        return [int(index) for index in drawn]
    options = {key: kwargs[key] for key in ("n_splits", "n_repeats", "test_size", "train_size") if key in kwargs}
    if api in {"KFold", "StratifiedKFold", "StratifiedGroupKFold", "GroupKFold"}:
        options["shuffle"] = True
    splitter = getattr(model_selection, api)(random_state=random_state, **options)
    fingerprint: list[int] = []
    for fold, (_, test) in enumerate(splitter.split(x, y, groups)):
        if fold == FOLDS_COMPARED:
            break
        fingerprint.extend(_membership(test))
    return fingerprint


def _assignment_tf(api: str, kwargs: dict[str, Any], seed: int | None) -> list[int]:
    import tensorflow as tf

    dataset = tf.data.Dataset.range(N_SAMPLES).shuffle(N_SAMPLES, seed=seed)
    return [int(value) for value in dataset.as_numpy_iterator()]


def _assignment_pandas(api: str, kwargs: dict[str, Any], seed: int | None) -> list[int]:
    import pandas as pd

    options = {key: kwargs[key] for key in ("n", "frac", "replace") if key in kwargs}
    if "n" not in options and "frac" not in options:
        options["frac"] = 1.0  # pandas draws one row by default; a permutation shows the order
    drawn = pd.DataFrame({"row": range(N_SAMPLES)}).sample(random_state=seed, **options)
    return [int(index) for index in drawn.index]


def _write_class_folders(kind: str) -> str:
    """Two class folders of files that each hold their own number (a 1x1 PNG whose pixel is the
    number, or the number as text), written once per process."""
    import os

    import tensorflow as tf

    root = os.path.abspath(f"replay_{kind}")
    if os.path.isdir(root):
        return root
    for label_index, label in enumerate(("cats", "dogs")):
        os.makedirs(os.path.join(root, label), exist_ok=True)
        for number in range(N_SAMPLES // 2):
            value = label_index * (N_SAMPLES // 2) + number
            if kind == "image":
                data = tf.io.encode_png(tf.constant([[[value]]], dtype=tf.uint8)).numpy()
            else:
                data = str(value).encode()
            with open(os.path.join(root, label, f"{number:03d}{DIRECTORY_FILES[kind]}"), "wb") as handle:
                handle.write(data)
    return root


def _assignment_keras(api: str, kwargs: dict[str, Any], seed: int | None) -> list[int]:
    import numpy as np
    import keras

    if api == "keras.split_dataset":
        left_size = kwargs.get("left_size", 0.8)
        left, _ = keras.utils.split_dataset(np.arange(N_SAMPLES), left_size=left_size, shuffle=True, seed=seed)
        return [int(value) for value in left.as_numpy_iterator()]
    if api == "keras.flow":
        import tensorflow as tf

        # Keras 3 keeps ImageDataGenerator only under the `tf.keras` spelling (the legacy API users call).
        generator = getattr(keras.preprocessing.image, "ImageDataGenerator", None) or \
            tf.keras.preprocessing.image.ImageDataGenerator
        images = np.arange(N_SAMPLES, dtype="float32").reshape(N_SAMPLES, 1, 1, 1)
        flow = generator().flow(
            images, batch_size=int(kwargs.get("batch_size", 8)), shuffle=True, seed=seed)
        order: list[int] = []
        for _ in range(len(flow)):
            order.extend(int(value) for value in next(flow).reshape(-1))
        return order
    kind = api.split(".", 1)[1].split("_", 1)[0]
    batch_size = int(kwargs.get("batch_size", 8))
    if kind == "image":
        dataset = keras.utils.image_dataset_from_directory(
            _write_class_folders(kind), batch_size=batch_size, image_size=(1, 1), color_mode="grayscale", seed=seed)
        return [int(round(float(x))) for images, _ in dataset.as_numpy_iterator() for x in images.reshape(-1)]
    dataset = keras.utils.text_dataset_from_directory(_write_class_folders(kind), batch_size=batch_size, seed=seed)
    return [int(text) for texts, _ in dataset.as_numpy_iterator() for text in texts]


def child_split(args: dict[str, Any], context: ChildContext) -> dict[str, Any]:
    """Run every replay: unseeded, seeded, and with a global NumPy seed."""
    configs = args["configs"]
    with context.phase("import"):
        import numpy as np
        import sklearn.model_selection
        import sklearn.utils  # noqa: F401

        if any(_needs_tf(config["api"]) for config in configs):
            import tensorflow as tf
            import keras  # noqa: F401
    replays = []
    with context.phase("work"):
        for config in configs:
            api, kwargs = config["api"], config["kwargs"]
            replay_function = (_assignment_tf if api.startswith("tf.") else _assignment_keras if api.startswith("keras.")
                               else _assignment_pandas if api == "pandas.sample" else _assignment_sklearn)
            assign = functools.partial(replay_function, api, kwargs)
            if _needs_tf(api):
                tf.random.set_seed(None)
            np.random.seed(None)  # what a fresh interpreter starts with
            replay = {"unseeded": assign(None), "seeded": assign(SEED)}
            if config.get("numpy_global_seed") and not _needs_tf(api):
                np.random.seed(SEED)
                replay["global_seed"] = assign(None)
                np.random.seed(SEED)
                np.random.rand()  # one unrelated draw, as an added line of code would do
                replay["global_seed_extra_draw"] = assign(None)
            replays.append(replay)
    return {"replays": replays}


SCENARIO = Scenario(
    scenario_id="unseeded-split",
    title="Split/shuffle without a seed",
    codes=("DET101",),
    requires=("sklearn",),
    run=run,
    expected_s=5,
)
