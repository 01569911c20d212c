"""DET202 nondeterministic-pipeline: receivers that are not tf.data, and positional arguments."""

from __future__ import annotations

from lintutil import findings_of, lint_snippet

ONLY = {"DET202"}


def test_reported_at_the_argument() -> None:
    code = """
        import tensorflow as tf
        ds = tf.data.Dataset.range(4).map(
            lambda x: x,
            num_parallel_calls=2,
            deterministic=False,
        )
    """
    result = lint_snippet(code, select=ONLY)
    [finding] = result.findings
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (5, 5, 5, 24)
    assert "deterministic=False" in finding.message


def test_positional_deterministic_of_interleave_and_batch() -> None:
    code = """
        import tensorflow as tf
        ds = tf.data.Dataset.range(4)
        a = ds.interleave(tf.data.Dataset.range, 2, 1, 2, False)
        b = ds.batch(2, False, 2, False)
        c = ds.batch(2, False)
    """
    assert findings_of(code, select=ONLY) == [("DET202", 3, 51), ("DET202", 4, 27)]


def test_dataset_from_keras_loader_without_a_tensorflow_import() -> None:
    code = """
        import keras
        ds = keras.utils.image_dataset_from_directory("d", seed=1)
        ds = ds.map(lambda x, y: (x, y), num_parallel_calls=4, deterministic=False)
    """
    assert findings_of(code, select=ONLY) == [("DET202", 3, 56)]


def test_not_reported_outside_tensorflow_modules() -> None:
    code = """
        def run(pool, items):
            return pool.map(str, items, deterministic=False)
    """
    assert findings_of(code, select=ONLY) == []


def test_receivers_known_to_be_something_else() -> None:
    code = """
        import pandas as pd
        import tensorflow as tf

        class Pool:
            def map(self, f, items, deterministic=True):
                return [f(i) for i in items]

        pool = Pool()
        pool.map(str, [1], deterministic=False)
        series = pd.Series([1, 2])
        series.map(str, deterministic=False)
    """
    assert findings_of(code, select=ONLY) == []


def test_options_through_the_dataset_and_self_attributes() -> None:
    code = """
        import tensorflow as tf
        ds = tf.data.Dataset.range(3)
        opts = ds.options()
        opts.deterministic = False

        def tune(options):
            options.experimental_deterministic = False

        class Loader:
            def __init__(self):
                self.experimental_deterministic = False
                self.deterministic = False

        def generic(config):
            config.deterministic = False
    """
    assert findings_of(code, select=ONLY) == [("DET202", 4, 1), ("DET202", 7, 5)]


def test_true_or_unknown_values_are_fine() -> None:
    code = """
        import tensorflow as tf
        def build(ds, flag):
            ds = ds.map(abs, num_parallel_calls=2, deterministic=flag)
            options = tf.data.Options()
            options.deterministic = flag
            options.experimental_deterministic = True
            return ds.interleave(abs, deterministic=None)
    """
    assert findings_of(code, select=ONLY) == []
