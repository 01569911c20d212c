"""DET301 across a project: what counts as persisting the model and the preprocessor.

Each fixture under ``fixtures/projects/persist_*`` is a small multi-module project; its findings must be
the same whether the whole project or each file alone is checked (as pre-commit does), and with or
without the pre-filter.
"""

from __future__ import annotations

import json
from pathlib import Path

import libcst as cst
import pytest

from cliutil import detlint
from detlint.analysis.facts import FileFacts
from detlint.analysis.project import ProjectIndex, summarize
from lintutil import findings_of

PROJECTS = Path(__file__).parent / "fixtures" / "projects"

EXPECTED = {
    # returned preprocessors belong to their callers: reported (at the fit) only when no caller saves them
    "persist_through_returns": [
        ("DET301", "preprocessing.py", 16, 5),
        ("DET301", "preprocessing.py", 27, 12),
    ],
    # a ModelCheckpoint passed to fit persists the model (also from another module's callbacks factory or
    # training helper); one that is only created does not
    "persist_checkpoint": [
        ("DET301", "finetune.py", 15, 11),
        ("DET301", "train.py", 9, 11),
        ("DET301", "train_ensemble.py", 10, 10),
        ("DET301", "train_wrapped.py", 10, 10),
    ],
    # models built by another module's factory or class, saved by a script that does not import Keras
    "persist_project_model": [
        ("DET301", "train_tabular.py", 9, 10),
        ("DET301", "train_tabular.py", 11, 11),
        ("DET301", "train_text.py", 8, 10),
    ],
    # helpers of another module (any name) that dump their argument or save the model
    "persist_imported_helpers": [("DET301", "train.py", 15, 1)],
    # preprocessing layers inside the saved model, and a helper that saves a scaler: clean
    "persist_layers_in_model": [],
    # reading the vocabulary or the statistics is not saving the object
    "persist_reading_is_not_saving": [
        ("DET301", "train.py", 10, 1),
        ("DET301", "train.py", 24, 1),
    ],
}


def _module_files(project: Path) -> list[Path]:
    return sorted(project.rglob("*.py"))


def _cli_findings(target: Path, cwd: Path) -> list[tuple[str, str, int, int]]:
    result = detlint("check", "--no-cache", "--exit-zero", "--select", "DET301", "--format", "json",
                     str(target), cwd=cwd)
    assert result.returncode == 0, result.stderr
    return sorted((f["code"], Path(f["path"]).name, f["line"], f["column"]) for f in json.loads(result.stdout))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_whole_project_gives_the_expected_findings(name: str, tmp_path: Path) -> None:
    assert _cli_findings(PROJECTS / name, tmp_path) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_alone_gives_the_same_findings(name: str, tmp_path: Path) -> None:
    per_file = sorted(item for path in _module_files(PROJECTS / name) for item in _cli_findings(path, tmp_path))
    assert per_file == EXPECTED[name]


def _module_name(project: Path, path: Path) -> str:
    parts = list(path.relative_to(project).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_do_not_depend_on_the_prefilter(name: str) -> None:
    # findings_of also lints without the pre-filter and asserts both agree.
    project_dir = PROJECTS / name
    files = _module_files(project_dir)
    project = ProjectIndex({
        _module_name(project_dir, path): summarize(FileFacts(cst.parse_module(path.read_text()), path.name,
                                                             _module_name(project_dir, path)))
        for path in files
    })
    found = sorted(
        (code, path.name, line, column)
        for path in files
        for code, line, column in findings_of(path.read_text(), select={"DET301"}, path=path.name,
                                              project=project, module_name=_module_name(project_dir, path))
    )
    assert found == EXPECTED[name]


# -- single modules ---------------------------------------------------------------------------------
def test_preprocessor_returned_and_dumped_by_the_caller_is_saved() -> None:
    code = """
        import pickle
        from sklearn.preprocessing import StandardScaler
        from tensorflow import keras

        def get_scaler(x):
            s = StandardScaler()
            s.fit(x)
            return s

        scaler = get_scaler([[1.0], [2.0]])
        model = keras.Sequential([keras.layers.Dense(1)])
        model.save("model.keras")
        with open("scaler.pkl", "wb") as f:
            pickle.dump(scaler, f)
    """
    assert findings_of(code, select={"DET301"}) == []


def test_preprocessor_returned_and_never_saved_is_reported_once_at_its_fit() -> None:
    code = """
        from sklearn.preprocessing import StandardScaler
        from tensorflow import keras

        def get_scaler(x):
            s = StandardScaler()
            s.fit(x)
            s.partial_fit(x)
            return s

        first = get_scaler([[1.0], [2.0]])
        second = get_scaler([[3.0], [4.0]])
        model = keras.Sequential([keras.layers.Dense(1)])
        model.save("model.keras")
    """
    assert findings_of(code, select={"DET301"}) == [("DET301", 6, 5)]


def test_preprocessor_returned_through_two_functions_then_dumped_is_saved() -> None:
    code = """
        import joblib
        from sklearn.preprocessing import OneHotEncoder
        from tensorflow import keras

        def fit_encoder(labels):
            return OneHotEncoder().fit(labels)

        def prepare(labels):
            encoder = fit_encoder(labels)
            return encoder

        encoder = prepare([["a"], ["b"]])
        joblib.dump(encoder, "encoder.joblib")
        keras.Sequential([keras.layers.Dense(1)]).save("model.keras")
    """
    assert findings_of(code, select={"DET301"}) == []


def test_vocabulary_written_to_json_does_not_save_the_layer() -> None:
    code = """
        import json
        import keras

        vectorizer = keras.layers.TextVectorization()
        vectorizer.adapt(["a b", "c"])
        json.dump(vectorizer.get_vocabulary(), open("vocab.json", "w"))
        model = keras.Sequential([keras.layers.Dense(1)])
        model.save("model.keras")
    """
    assert findings_of(code, select={"DET301"}) == [("DET301", 5, 1)]


def test_layer_called_on_data_in_a_map_is_not_part_of_the_model() -> None:
    code = """
        import keras
        import tensorflow as tf

        norm = keras.layers.Normalization()
        norm.adapt([[1.0], [2.0]])
        data = tf.data.Dataset.from_tensor_slices([[1.0]]).map(lambda x: norm(x))
        model = keras.Sequential([keras.layers.Dense(1)])
        model.save("model.keras")
    """
    assert findings_of(code, select={"DET301"}) == [("DET301", 5, 1)]


def test_layer_passed_to_a_builder_that_calls_it_is_part_of_the_model() -> None:
    code = """
        import keras

        def build(norm):
            inputs = keras.Input(shape=(1,))
            return keras.Model(inputs, keras.layers.Dense(1)(norm(inputs)))

        norm = keras.layers.Normalization()
        norm.adapt([[1.0], [2.0]])
        build(norm).save("model.keras")
    """
    assert findings_of(code, select={"DET301"}) == []


def test_checkpoint_appended_to_the_callbacks_persists_the_model() -> None:
    code = """
        import keras
        from sklearn.preprocessing import MinMaxScaler

        scaler = MinMaxScaler()
        x = scaler.fit_transform([[1.0], [2.0]])
        callbacks = []
        callbacks.append(keras.callbacks.ModelCheckpoint("best.keras"))
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(x, [0, 1], callbacks=callbacks)
    """
    assert findings_of(code, select={"DET301"}) == [("DET301", 5, 5)]


def test_checkpoint_not_passed_to_fit_does_not_persist_the_model() -> None:
    code = """
        import keras
        from sklearn.preprocessing import MinMaxScaler

        scaler = MinMaxScaler()
        x = scaler.fit_transform([[1.0], [2.0]])
        checkpoint = keras.callbacks.ModelCheckpoint("best.keras")
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(x, [0, 1])
    """
    assert findings_of(code, select={"DET301"}) == []


def test_a_caller_that_starts_saving_the_result_clears_the_cached_finding(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("")
    (project / "prep.py").write_text(
        "from sklearn.preprocessing import StandardScaler\n\n\n"
        "def get_scaler(x):\n    s = StandardScaler()\n    s.fit(x)\n    return s\n")
    train = project / "train.py"
    train.write_text(
        "import pickle\n\nfrom tensorflow import keras\n\nfrom prep import get_scaler\n\n"
        "scaler = get_scaler([[1.0], [2.0]])\nkeras.Sequential([keras.layers.Dense(1)]).save('model.keras')\n")
    cache = tmp_path / "cache"

    def check_prep() -> list[tuple[str, str, int, int]]:
        result = detlint("check", "--cache-dir", str(cache), "--exit-zero", "--select", "DET301", "--format", "json",
                         "prep.py", cwd=project)
        assert result.returncode == 0, result.stderr
        return [(f["code"], Path(f["path"]).name, f["line"], f["column"]) for f in json.loads(result.stdout)]

    assert check_prep() == [("DET301", "prep.py", 6, 5)]
    train.write_text(train.read_text() + "pickle.dump(scaler, open('scaler.pkl', 'wb'))\n")
    assert check_prep() == []


def test_preprocessor_returned_in_a_dict_and_dumped_by_key_is_saved() -> None:
    code = """
        import joblib
        from sklearn.preprocessing import StandardScaler
        from tensorflow import keras

        def fit_artifacts(x):
            scaler = StandardScaler().fit(x)
            return {"scaler": scaler, "columns": ["a"]}

        artifacts = fit_artifacts([[1.0], [2.0]])
        joblib.dump(artifacts["scaler"], "scaler.joblib")
        keras.Sequential([keras.layers.Dense(1)]).save("model.keras")
    """
    assert findings_of(code, select={"DET301"}) == []


def test_preprocessor_logged_with_mlflow_is_saved() -> None:
    code = """
        import mlflow
        from sklearn.preprocessing import StandardScaler
        from tensorflow import keras

        scaler = StandardScaler()
        scaler.fit([[1.0], [2.0]])
        mlflow.sklearn.log_model(scaler, "scaler")
        model = keras.Sequential([keras.layers.Dense(1)])
        mlflow.keras.log_model(model, "model")
        unsaved = StandardScaler()
        unsaved.fit([[1.0], [2.0]])
    """
    assert findings_of(code, select={"DET301"}) == [("DET301", 11, 1)]


def test_layer_handed_to_a_keras_model_class_is_part_of_the_model() -> None:
    code = """
        import keras

        class Regressor(keras.Model):
            def __init__(self, norm, **kwargs):
                super().__init__(**kwargs)
                self.norm = norm
                self.out = keras.layers.Dense(1)

            def call(self, inputs):
                return self.out(self.norm(inputs))

        norm = keras.layers.Normalization()
        norm.adapt([[1.0], [2.0]])
        model = Regressor(norm)
        model.save("model.keras")
        other = keras.layers.Normalization()
        other.adapt([[1.0], [2.0]])
    """
    assert findings_of(code, select={"DET301"}) == [("DET301", 17, 1)]


def test_helper_saving_predictions_does_not_persist_the_model() -> None:
    code = """
        import numpy as np
        from sklearn.preprocessing import MinMaxScaler
        from tensorflow import keras

        def save_array(values, path):
            np.save(path, values)

        scaler = MinMaxScaler()
        x = scaler.fit_transform([[1.0], [2.0]])
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(x, [0.0, 1.0])
        save_array(model.predict(x), "predictions.npy")
    """
    assert findings_of(code, select={"DET301"}) == []


def test_transformed_data_returned_and_saved_does_not_save_the_scaler() -> None:
    code = """
        import numpy as np
        from sklearn.preprocessing import StandardScaler
        from tensorflow import keras

        def scale(x):
            return StandardScaler().fit_transform(x)

        features = scale([[1.0], [2.0]])
        np.save("features.npy", features)
        keras.Sequential([keras.layers.Dense(1)]).save("model.keras")
    """
    assert findings_of(code, select={"DET301"}) == [("DET301", 6, 12)]
