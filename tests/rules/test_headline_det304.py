"""DET304 legacy-save-format: the rename fix as exact text, when it is not offered, and argument
positions."""

from __future__ import annotations

import textwrap

from detlint.fixes import apply_edits
from lintutil import findings_of, lint_snippet

ONLY = {"DET304"}
MODEL = "import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\n"


def fixed_lines(lines: str) -> list[str]:
    code = MODEL + textwrap.dedent(lines).lstrip("\n")
    result = lint_snippet(code, select=ONLY)
    text, _ = apply_edits(code, result.findings)
    return text.splitlines()[2:]


def test_fix_renames_plain_literals_to_keras_files() -> None:
    assert fixed_lines("""
        model.save("model.h5")
        model.save('weights/model.hdf5')
        model.save("saved_model")
        model.save("exports/model/")
        keras.models.save_model(model, filepath="net.h5")
        checkpoint = keras.callbacks.ModelCheckpoint("ckpt/{epoch:02d}.h5")
    """) == [
        'model.save("model.keras")',
        "model.save('weights/model.keras')",
        'model.save("saved_model.keras")',
        'model.save("exports/model.keras")',
        'keras.models.save_model(model, filepath="net.keras")',
        'checkpoint = keras.callbacks.ModelCheckpoint("ckpt/{epoch:02d}.keras")',
    ]


def test_fix_keeps_escapes_prefixes_and_quotes_as_written() -> None:
    assert fixed_lines(r"""
        model.save("C:\\models\\net.h5")
        model.save(r"C:\models\net.hdf5")
        model.save('it\'s.h5')
        model.save("models\\")
    """) == [
        r'model.save("C:\\models\\net.keras")',
        r'model.save(r"C:\models\net.keras")',
        r"model.save('it\'s.keras')",
        'model.save("models.keras")',
    ]


def test_no_fix_for_built_paths_formats_and_weights() -> None:
    code = MODEL + textwrap.dedent("""
        OUT = "out"
        PATH = "out/model.h5"
        model.save(f"{OUT}/model.h5")
        model.save(OUT + "/model.h5")
        model.save(PATH)
        model.save("model.keras", save_format="h5")
        model.save_weights("weights.h5")
    """).lstrip("\n")
    findings = lint_snippet(code, select=ONLY).findings
    assert [(f.line, f.column) for f in findings] == [(5, 1), (6, 1), (7, 1), (8, 1), (9, 1)]
    assert all(f.fix is None for f in findings)


def test_fix_is_unsafe_and_titled() -> None:
    [finding] = lint_snippet(MODEL + 'model.save("model.h5")\n', select=ONLY).findings
    assert finding.fix is not None and not finding.fix.safe and finding.fix.title == "Use a `.keras` file name"
    assert "'model.h5'" in finding.message and "legacy HDF5" in finding.message


def test_model_checkpoint_save_weights_only_by_keyword_or_position() -> None:
    code = MODEL + textwrap.dedent("""
        a = keras.callbacks.ModelCheckpoint("best.h5", save_weights_only=True)
        b = keras.callbacks.ModelCheckpoint("best.h5", "val_loss", 0, True, True)
        c = keras.callbacks.ModelCheckpoint("best.h5", "val_loss", 0, True, False)
        d = keras.callbacks.ModelCheckpoint("best.h5", "val_loss", 0, True, False, "max")
    """).lstrip("\n")
    assert findings_of(code, select=ONLY) == [("DET304", 5, 5), ("DET304", 6, 5)]


def test_save_format_spellings() -> None:
    code = MODEL + textwrap.dedent("""
        model.save("model", save_format="tf")
        model.save("model.keras", save_format="keras")
        keras.models.save_model(model, "model.keras", save_format="h5")
    """).lstrip("\n")
    assert findings_of(code, select=ONLY) == [("DET304", 3, 1), ("DET304", 5, 1)]


def test_extensionless_path_read_back_as_savedmodel_is_intended() -> None:
    code = """
        import tensorflow as tf
        import tf_keras
        model = tf_keras.Sequential([tf_keras.layers.Dense(1)])
        model.save("serving/model")
        converter = tf.lite.TFLiteConverter.from_saved_model("serving/model")
        model.save("other/model")
    """
    assert findings_of(code, select=ONLY) == [("DET304", 6, 1)]


def test_save_on_values_that_are_not_keras_models() -> None:
    code = """
        import keras
        import joblib
        from PIL import Image
        from sklearn.linear_model import LogisticRegression
        thumb = Image.open("a.png")
        thumb.save("thumb")
        clf = LogisticRegression().fit(x, y)
        joblib.dump(clf, "clf.h5")

        def upload(request):
            request.files["model"].save("upload.h5")
    """
    assert findings_of(code, select=ONLY) == []
