"""DET306 exact-prediction-comparison: opt-in, positions, sources followed through names and loops."""

from __future__ import annotations

from lintutil import findings_of, lint_snippet

ONLY = {"DET306"}


def test_multiline_assert_is_reported_at_the_comparison() -> None:
    code = """
        import keras
        import numpy as np
        model = keras.models.load_model("m.keras")
        assert (
            model.predict(batch)
            == expected
        ).all()
    """
    result = lint_snippet(code, select=ONLY)
    assert [(f.line, f.column) for f in result.findings] == [(5, 5)]
    message = result.findings[0].message
    assert message.startswith("Predictions compared with exact equality")
    assert "assert_allclose" in message


def test_weights_followed_through_a_variable_and_indexing() -> None:
    code = """
        import numpy as np
        import tensorflow as tf
        model = tf.keras.models.load_model("m.keras")
        saved = model.get_weights()
        kernel = saved[0]
        np.testing.assert_array_equal(kernel, reference_kernel)
        assert np.array_equal(model.weights[0].numpy(), reference_kernel)
    """
    result = lint_snippet(code, select=ONLY)
    assert [(f.line, f.column) for f in result.findings] == [(6, 1), (7, 8)]
    assert result.findings[0].message.startswith("Weights compared with `np.testing.assert_array_equal`")


def test_comparisons_outside_an_exact_check_are_not_reported() -> None:
    code = """
        import numpy as np
        import keras
        model = keras.models.load_model("m.keras")
        predictions = model.predict(batch)
        accuracy = np.mean(predictions == labels)
        mask = predictions == 0
        if np.any(predictions == expected):
            print("some equal")
        changed = np.all(predictions != expected)
    """
    assert findings_of(code, select=ONLY) == []


def test_sklearn_and_unknown_predict_without_keras_are_not_reported() -> None:
    sklearn_module = """
        import numpy as np
        from sklearn.ensemble import RandomForestClassifier
        clf = RandomForestClassifier(random_state=0)
        assert np.array_equal(clf.predict(x), y)
    """
    plain_module = """
        import numpy as np
        def check(estimator, x, y):
            assert np.array_equal(estimator.predict(x), y)
    """
    assert findings_of(sklearn_module, select=ONLY) == []
    assert findings_of(plain_module, select=ONLY) == []


def test_difference_against_zero_is_reported_constant_check_is_not() -> None:
    code = """
        import numpy as np
        import keras
        model = keras.models.load_model("m.keras")
        a = model.predict(batch)
        b = model.predict(batch)
        assert np.all((a - b) == 0)
        assert np.all(a == 0.5)
    """
    assert findings_of(code, select=ONLY) == [("DET306", 6, 15)]


def test_local_keras_subclass_call_is_a_prediction() -> None:
    code = """
        import numpy as np
        import keras

        class Net(keras.Model):
            def call(self, inputs):
                return inputs

        net = Net()
        assert np.array_equal(net(batch), other)
    """
    assert findings_of(code, select=ONLY) == [("DET306", 9, 8)]


def test_model_methods_and_variable_objects_are_not_predictions() -> None:
    code = """
        import numpy as np
        import keras
        model = keras.models.load_model("m.keras")
        assert np.all(model.evaluate(x, y) == expected_loss)
        assert model.weights == other.weights
        assert np.array_equal(model.weights[0].numpy(), kernel)
    """
    assert findings_of(code, select=ONLY) == [("DET306", 6, 8)]


def test_unittest_assertion_is_named_as_written() -> None:
    code = """
        import unittest
        import keras

        class T(unittest.TestCase):
            def test_it(self):
                model = keras.models.load_model("m.keras")
                self.assertAllEqual(model.predict(x), expected)
    """
    result = lint_snippet(code, select=ONLY)
    assert [(f.line, f.column) for f in result.findings] == [(7, 9)]
    assert "`self.assertAllEqual`" in result.findings[0].message
