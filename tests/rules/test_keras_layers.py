"""DET303 custom-layer-without-config and DET305 inference-in-training-mode: positions, messages and
contexts the fixtures cannot show."""

from __future__ import annotations

from lintutil import findings_of, lint_snippet


# -- DET303 ------------------------------------------------------------------------------------------
def test_reported_at_the_class_keyword_below_decorators() -> None:
    code = """
        import keras

        @keras.saving.register_keras_serializable()
        @some_other_decorator
        class Scale(keras.layers.Layer):
            def __init__(self, factor, *, bias=0.0, **kwargs):
                super().__init__(**kwargs)
    """
    result = lint_snippet(code, select={"DET303"})
    assert [(f.code, f.line, f.column) for f in result.findings] == [("DET303", 5, 1)]
    message = result.findings[0].message
    assert "custom layer `Scale`" in message and "(`factor`, `bias`)" in message and "get_config" in message


def test_model_subclass_through_a_project_base_is_called_a_model() -> None:
    code = """
        from tensorflow import keras

        class Base(keras.Model):
            pass

        class Tower(Base):
            def __init__(self, width):
                super().__init__()
                self.width = width
    """
    result = lint_snippet(code, select={"DET303"})
    assert [(f.line, f.column) for f in result.findings] == [(6, 1)]
    assert "custom model `Tower`" in result.findings[0].message


def test_positional_only_arguments_count_and_self_does_not() -> None:
    code = """
        import keras

        class A(keras.layers.Layer):
            def __init__(self, units, /, **kwargs):
                super().__init__(**kwargs)

        class B(keras.layers.Layer):
            def __init__(self, /, **kwargs):
                super().__init__(**kwargs)
    """
    assert findings_of(code, select={"DET303"}) == [("DET303", 3, 1)]


def test_classes_of_unrelated_libraries_are_not_reported() -> None:
    code = """
        import torch
        import keras

        class Net(torch.nn.Module):
            def __init__(self, width):
                super().__init__()

        class Callback(keras.callbacks.Callback):
            def __init__(self, path):
                super().__init__()
    """
    assert findings_of(code, select={"DET303"}) == []


# -- DET305 ------------------------------------------------------------------------------------------
def test_training_hidden_in_kwargs_is_not_reported() -> None:
    code = """
        import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        options = {"training": True}
        outputs = model(batch, **options)
    """
    assert findings_of(code, select={"DET305"}) == []


def test_unknown_callables_need_a_keras_module() -> None:
    plain = """
        def evaluate(model, batch):
            return model(batch, training=True)
    """
    keras_module = """
        import tensorflow as tf
        def evaluate(model, batch):
            return model(batch, training=True)
    """
    assert findings_of(plain, select={"DET305"}) == []
    assert findings_of(keras_module, select={"DET305"}) == [("DET305", 3, 12)]


def test_nested_function_inside_a_training_step_is_a_training_context() -> None:
    code = """
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])

        def custom_train_step(x):
            def loss_fn():
                return model(x, training=True)
            return loss_fn()

        def step(x):
            with tf.GradientTape(persistent=True) as tape:
                y = model(x, training=True)
            return y
    """
    assert findings_of(code, select={"DET305"}) == []


def test_multiline_call_is_reported_at_its_start() -> None:
    code = """
        import keras
        model = keras.models.load_model("m.keras")
        outputs = (
            model(
                batch,
                training=True,
            )
        )
    """
    result = lint_snippet(code, select={"DET305"})
    assert [(f.line, f.column) for f in result.findings] == [(4, 5)]
    assert result.findings[0].message.startswith("`model` is called with `training=True` outside a training step")


def test_project_function_returning_a_model_is_followed() -> None:
    code = """
        import keras

        def build():
            return keras.Sequential([keras.layers.Dense(1)])

        outputs = build()(batch, training=True)
        other = build(training=True)
    """
    assert findings_of(code, select={"DET305"}) == [("DET305", 6, 11)]


def test_model_methods_other_than_call_are_not_model_calls() -> None:
    code = """
        import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        direct = model.call(batch, training=True)
        features = model.get_layer("dense").output
        other = model.summary(training=True)
    """
    assert findings_of(code, select={"DET305"}) == [("DET305", 3, 10)]
