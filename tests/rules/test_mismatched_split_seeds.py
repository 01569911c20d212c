"""DET110 mismatched-split-seeds: pairing of subset loads beyond the fixture."""

from __future__ import annotations

from lintutil import findings_of, lint_snippet

ONLY = {"DET110"}


def test_seed_missing_on_both_calls_is_reported_at_the_second() -> None:
    code = """
        import keras
        a = keras.utils.image_dataset_from_directory("d", validation_split=0.2, subset="training")
        b = keras.utils.image_dataset_from_directory("d", validation_split=0.2, subset="validation")
    """
    assert findings_of(code, select=ONLY) == [("DET110", 3, 5)]


def test_validation_first_then_training() -> None:
    code = """
        from keras.utils import audio_dataset_from_directory as load
        v = load("clips", validation_split=0.2, subset="validation", seed=5)
        t = load("clips", validation_split=0.2, subset="training", seed=6)
    """
    result = lint_snippet(code, select=ONLY)
    [finding] = result.findings
    assert (finding.line, finding.column) == (3, 5)
    assert "`seed=6`" in finding.message and "`seed=5`" in finding.message
    assert finding.data == {"seed": 6, "other_seed": 5}


def test_positional_arguments() -> None:
    code = """
        import tensorflow as tf
        load = tf.keras.utils.text_dataset_from_directory
        t = load("txt", "inferred", "int", None, 32, None, True, 1, 0.2, "training")
        v = load("txt", "inferred", "int", None, 32, None, True, 2, 0.2, "validation")
    """
    assert findings_of(code, select=ONLY) == [("DET110", 4, 5)]


def test_unknown_subset_kwargs_or_seed_values_are_not_reported() -> None:
    code = """
        import keras
        def load(subset, seed, **options):
            return keras.utils.image_dataset_from_directory("d", validation_split=0.2, subset=subset, seed=seed)
        for subset in ("training", "validation"):
            keras.utils.image_dataset_from_directory("e", validation_split=0.2, subset=subset, seed=1)
        opts = {"seed": 3}
        t = keras.utils.image_dataset_from_directory("f", validation_split=0.2, subset="training", seed=1)
        v = keras.utils.image_dataset_from_directory("f", validation_split=0.2, subset="validation", **opts)
        t2 = keras.utils.image_dataset_from_directory("g", validation_split=0.2, subset="training", seed=1)
        v2 = keras.utils.image_dataset_from_directory("g", subset="validation", seed=2)
    """
    assert findings_of(code, select=ONLY) == []


def test_directory_given_by_the_same_variable_or_expression() -> None:
    code = """
        import os
        import keras
        def load(root):
            t = keras.utils.image_dataset_from_directory(root, validation_split=0.2, subset="training", seed=1)
            v = keras.utils.image_dataset_from_directory(root, validation_split=0.2, subset="validation", seed=2)
            w = keras.utils.image_dataset_from_directory(os.path.join(root, "x"), validation_split=0.2,
                                                         subset="training", seed=1)
            x = keras.utils.image_dataset_from_directory(os.path.join(root,"x"), validation_split=0.2,
                                                         subset="validation", seed=3)
            return t, v, w, x
        def other(root):
            return keras.utils.image_dataset_from_directory(root, validation_split=0.2, subset="validation", seed=9)
    """
    assert findings_of(code, select=ONLY) == [("DET110", 5, 9), ("DET110", 8, 9)]


def test_one_shuffled_side_still_counts() -> None:
    code = """
        import keras
        t = keras.utils.image_dataset_from_directory("d", validation_split=0.2, subset="training", shuffle=False)
        v = keras.utils.image_dataset_from_directory("d", validation_split=0.2, subset="validation", seed=2)
    """
    assert findings_of(code, select=ONLY) == [("DET110", 3, 5)]


def test_a_single_both_call_is_fine() -> None:
    code = """
        import keras
        t, v = keras.utils.image_dataset_from_directory("d", validation_split=0.2, subset="both", seed=2)
        t2, v2 = keras.utils.image_dataset_from_directory("d", validation_split=0.2, subset="both", seed=2)
    """
    assert findings_of(code, select=ONLY) == []
