"""Data loading: ``tf.data`` pipelines and their determinism switches, Keras directory loaders, and
file-system listings (whose order is the file system's)."""

from __future__ import annotations

import re

# Origins of ``tf.data`` datasets (and ``tfds.load(...)``), by prefix.
DATASET_PREFIXES = ("tensorflow.data.", "tensorflow_datasets.load(")
DATASET_FROM_DIRECTORY = re.compile(
    r"^keras\.(utils|preprocessing|preprocessing\.image|preprocessing\.text)\.\w+_dataset_from_directory$")
DIRECTORY_LOADER_SUFFIX = "_dataset_from_directory"

# tf.data methods taking ``deterministic=`` and its position (0-based, after ``self``).
DETERMINISTIC_POSITION: dict[str, int | None] = {
    "map": 2,  # map(map_func, num_parallel_calls, deterministic, name)
    "interleave": 4,  # interleave(map_func, cycle_length, block_length, num_parallel_calls, deterministic, name)
    "batch": 3,  # batch(batch_size, drop_remainder, num_parallel_calls, deterministic, name)
    "parallel_interleave": None,  # keyword only: its positional layout differs between TF versions
}
# TF1's tf.data.experimental.parallel_interleave spells the same switch ``sloppy=True``.
PARALLEL_INTERLEAVE = "tensorflow.data.experimental.parallel_interleave"
SLOPPY_POSITION = 3
OPTIONS_ORIGINS = ("tensorflow.data.Options()", "tensorflow.data.experimental.Options()")
OPTION_ATTRIBUTES = frozenset({"deterministic", "experimental_deterministic"})
# Receivers known to be something other than a tf.data dataset: their ``map``/``batch`` is not tf.data's.
NOT_TF_DATA_PREFIXES = ("pandas.", "numpy.", "polars.", "dask.", "ray.", "torch.", "datasets.", "multiprocessing.",
                        "concurrent.", "itertools.", "builtins.", "sklearn.", "jax.")

# DataFrames.
PANDAS_PREFIX = "pandas."

# Methods of ``tf.data.Dataset`` that return a dataset: a chain of them ending in ``.shuffle(`` on a
# value of unknown kind is a dataset shuffle (in a module that imports TensorFlow).
DATASET_CHAIN_METHODS = frozenset({
    "apply", "batch", "bucket_by_sequence_length", "cache", "concatenate", "enumerate", "filter", "flat_map",
    "ignore_errors", "interleave", "map", "padded_batch", "prefetch", "ragged_batch", "rebatch", "repeat",
    "shard", "shuffle", "skip", "snapshot", "take", "take_while", "unbatch", "window", "with_options",
})
# Values known not to be a dataset, whatever methods they are chained with.
NOT_DATASET_PREFIXES = (*NOT_TF_DATA_PREFIXES, "random.", "scipy.")
# Values known not to be a DataFrame/Series, whose ``.sample(n=...)`` is another library's (a
# distribution, an RNG, a space, another data-frame library with its own seed argument).
NOT_FRAME_PREFIXES = (
    "builtins.", "numpy.", "random.", "scipy.", "torch.", "tensorflow.", "tensorflow_probability.", "keras.",
    "jax.", "polars.", "pyspark.", "gym.", "gymnasium.", "sklearn.",
)
# Calls that hand back the data passed in (a split, a shuffle): their results have the kind of that data.
KIND_PRESERVING_CALLS = frozenset({
    "sklearn.model_selection.train_test_split", "sklearn.utils.shuffle", "sklearn.utils.resample",
})

# Directories that are new on every run: a search kept there cannot be resumed by accident.
FRESH_DIRECTORY_CALLS = ("tempfile.mkdtemp()", "tempfile.TemporaryDirectory()")
# pytest fixtures that hand each test a new directory (by parameter name).
TEMPORARY_DIRECTORY_FIXTURES = ("tmp_path", "tmpdir", "tmp_path_factory", "tmpdir_factory")

# Directory listings in file-system order, by callee, and ``pathlib.Path`` methods that list.
LISTING_FUNCTIONS = {
    "os.listdir": "os.listdir", "os.scandir": "os.scandir", "os.walk": "os.walk",
    "glob.glob": "glob.glob", "glob.iglob": "glob.iglob",
}
PATH_METHODS = frozenset({"glob", "rglob", "iterdir"})
GLOB_WILDCARDS = ("*", "?", "[")
PATH_MODULE_PREFIXES = ("os.", "posixpath.", "ntpath.", "pathlib.")
