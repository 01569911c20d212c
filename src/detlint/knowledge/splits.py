"""Splitters, shufflers and samplers: the parameter that seeds each and the flag that makes it shuffle."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class SplitApi:
    seed: str  # name of the seed argument
    seed_position: int | None = None
    # None: always shuffles; else (keyword, position, default) of the shuffle flag
    shuffle: tuple[str, int | None, bool] | None = None
    needs_no_tf_seed: bool = False  # only reported when the module sets no TF global seed


_ALWAYS_RS = SplitApi("random_state")
SKLEARN_SPLITTERS: dict[str, SplitApi] = {
    "sklearn.model_selection.train_test_split": SplitApi("random_state", None, ("shuffle", None, True)),
    "sklearn.model_selection.KFold": SplitApi("random_state", None, ("shuffle", 2, False)),
    "sklearn.model_selection.StratifiedKFold": SplitApi("random_state", None, ("shuffle", 2, False)),
    "sklearn.model_selection.StratifiedGroupKFold": SplitApi("random_state", None, ("shuffle", 2, False)),
    "sklearn.model_selection.ShuffleSplit": _ALWAYS_RS,
    "sklearn.model_selection.StratifiedShuffleSplit": _ALWAYS_RS,
    "sklearn.model_selection.GroupShuffleSplit": _ALWAYS_RS,
    "sklearn.model_selection.RepeatedKFold": _ALWAYS_RS,
    "sklearn.model_selection.RepeatedStratifiedKFold": _ALWAYS_RS,
    "sklearn.utils.shuffle": _ALWAYS_RS,
    "sklearn.utils.resample": _ALWAYS_RS,
}
# ``keras.utils.split_dataset`` and the directory loaders (by last name: they live in several modules).
KERAS_SPLITTERS: dict[str, SplitApi] = {
    "keras.utils.split_dataset": SplitApi("seed", 4, ("shuffle", 3, False)),
    "image_dataset_from_directory": SplitApi("seed", 8, ("shuffle", 7, True)),
    "text_dataset_from_directory": SplitApi("seed", 7, ("shuffle", 6, True)),
    "audio_dataset_from_directory": SplitApi("seed", 9, ("shuffle", 8, True)),
}
# Positions (0-based) of (shuffle, seed, validation_split, subset) per directory loader; ``directory`` is first.
DIRECTORY_LOADER_POSITIONS: dict[str, tuple[int, int, int, int]] = {
    "image_dataset_from_directory": (7, 8, 9, 10),
    "text_dataset_from_directory": (6, 7, 8, 9),
    "audio_dataset_from_directory": (8, 9, 10, 11),
}
TF_DATA_LIST_FILES_CALL = "tensorflow.data.Dataset.list_files"
TF_DATA_LIST_FILES = SplitApi("seed", 2, ("shuffle", 1, True), needs_no_tf_seed=True)
TF_DATA_SHUFFLE = SplitApi("seed", 1, None, needs_no_tf_seed=True)  # ``dataset.shuffle(buffer_size, seed)``
# ``ImageDataGenerator().flow*`` methods.
GENERATOR_FLOWS: dict[str, SplitApi] = {
    "flow": SplitApi("seed", 5, ("shuffle", 3, True)),
    "flow_from_directory": SplitApi("seed", 7, ("shuffle", 6, True)),
    "flow_from_dataframe": SplitApi("seed", 11, ("shuffle", 10, True)),
}
IMAGE_DATA_GENERATOR = re.compile(r"^keras\.[\w.]*ImageDataGenerator\(\)$")
PANDAS_SAMPLE = SplitApi("random_state", 4)  # ``DataFrame.sample(n, frac, replace, weights, random_state)``
# Imports under which the method forms (``ds.shuffle(n)``, ``gen.flow(x)``) can be the ones above.
TF_DATA_ROOTS = ("tensorflow", "keras", "tf_keras", "tensorflow_datasets")
