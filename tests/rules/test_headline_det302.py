"""DET302 load-without-custom-objects: the hub fix, suggestions, and loads judged by the project
module that saved the same path."""

from __future__ import annotations

import textwrap

import libcst as cst

from detlint.analysis.facts import FileFacts
from detlint.analysis.project import ProjectIndex, summarize
from detlint.fixes import apply_edits
from lintutil import findings_of, lint_snippet

ONLY = {"DET302"}


def project(modules: dict[str, str]) -> ProjectIndex:
    index = ProjectIndex()
    for name, code in modules.items():
        facts = FileFacts(cst.parse_module(textwrap.dedent(code).lstrip("\n")), f"{name}.py", name)
        index.add(summarize(facts))
    return index


def test_hub_fix_uses_the_modules_name_for_tensorflow_hub_and_is_unsafe() -> None:
    code = textwrap.dedent("""
        import tensorflow_hub as tfhub
        import tf_keras
        encoder = tfhub.KerasLayer("handle")
        model = tf_keras.models.load_model("reviews.keras", compile=False)
    """).lstrip("\n")
    [finding] = lint_snippet(code, select=ONLY).findings
    assert (finding.line, finding.column) == (4, 9)
    assert finding.fix is not None and not finding.fix.safe
    text, _ = apply_edits(code, [finding])
    assert text.splitlines()[-1] == (
        'model = tf_keras.models.load_model("reviews.keras", compile=False, '
        'custom_objects={"KerasLayer": tfhub.KerasLayer})'
    )


def test_custom_layer_and_loss_are_suggested_without_a_fix() -> None:
    code = """
        import keras

        class Gate(keras.layers.Layer):
            def call(self, inputs):
                return inputs

        def focal(y_true, y_pred):
            return y_pred

        model = keras.Sequential([Gate(), keras.layers.Dense(1)])
        model.compile(loss=focal)
        restored = keras.models.load_model("gate.keras")
    """
    [finding] = lint_snippet(code, select=ONLY).findings
    assert (finding.line, finding.column, finding.fix) == (12, 12, None)
    assert 'custom_objects={"Gate": Gate, "focal": focal}' in finding.message


def test_activation_passed_to_a_layer_needs_custom_objects() -> None:
    code = """
        import tensorflow as tf

        def mish(x):
            return x * tf.math.tanh(tf.math.softplus(x))

        layer = tf.keras.layers.Dense(8, activation=mish)
        restored = tf.keras.models.load_model("mish.keras")
    """
    assert findings_of(code, select=ONLY) == [("DET302", 7, 12)]


def test_registered_through_get_custom_objects_subscript() -> None:
    code = """
        import keras

        def mish(x):
            return x

        keras.utils.get_custom_objects()["mish"] = mish
        layer = keras.layers.Dense(8, activation=mish)
        restored = keras.models.load_model("mish.keras")
    """
    assert findings_of(code, select=ONLY) == []


def test_nothing_custom_needs_nothing() -> None:
    code = """
        import keras
        model = keras.Sequential([keras.layers.Dense(1, activation="relu")])
        model.compile(loss="mse", metrics=["mae"])
        restored = keras.models.load_model("plain.keras")
    """
    assert findings_of(code, select=ONLY) == []


def test_serving_module_is_judged_by_the_module_that_saved_the_same_path() -> None:
    index = project({"app.train": """
        import tensorflow_hub as hub
        import tf_keras
        MODEL_PATH = "artifacts/hub_model.keras"
        model = tf_keras.Sequential([hub.KerasLayer("handle"), tf_keras.layers.Dense(1)])
        model.save(MODEL_PATH)
    """})
    serve = """
        import tf_keras
        model = tf_keras.models.load_model("artifacts/hub_model.keras")
        other = tf_keras.models.load_model("artifacts/other.keras")
    """
    [finding] = lint_snippet(serve, select=ONLY, project=index, module_name="app.serve").findings
    assert (finding.line, finding.column) == (2, 9)
    assert "TF-Hub `KerasLayer`" in finding.message
    assert finding.fix is None  # the serving module has no name for tensorflow_hub to write


def test_autokeras_export_loads_only_where_autokeras_is_imported() -> None:
    index = project({"app.search": """
        import autokeras as ak
        search = ak.ImageClassifier(max_trials=1, seed=1, overwrite=True)
        search.fit(x, y)
        search.export_model().save("artifacts/ak_model.keras")
    """})
    serve = """
        import keras
        model = keras.models.load_model("artifacts/ak_model.keras")
    """
    [finding] = lint_snippet(serve, select=ONLY, project=index, module_name="app.serve").findings
    assert "custom_objects=ak.CUSTOM_OBJECTS" in finding.message
    with_import = "import autokeras as ak\n" + textwrap.dedent(serve).lstrip("\n")
    assert findings_of(with_import, select=ONLY, project=index, module_name="app.serve") == []


def test_custom_layer_imported_from_a_project_module() -> None:
    index = project({"app.layers": """
        import keras

        class Scale(keras.layers.Layer):
            def call(self, inputs):
                return inputs * 2.0
    """})
    serve = """
        import keras
        from app.layers import Scale
        model = keras.models.load_model("scaled.keras")
        model = keras.models.load_model("scaled.keras", custom_objects={"Scale": Scale})
    """
    assert findings_of(serve, select=ONLY, project=index, module_name="app.serve") == [("DET302", 3, 9)]
