"""DET301 unsaved-preprocessor: what counts as persisting the model and the preprocessor."""

from __future__ import annotations

from lintutil import findings_of, lint_snippet

ONLY = {"DET301"}
PRELUDE = """
import joblib
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
"""


def test_message_names_the_object_and_has_no_fix() -> None:
    code = PRELUDE + """
scaler = StandardScaler()
x = scaler.fit_transform(x)
joblib.dump(LogisticRegression().fit(x, y), "model.joblib")
"""
    [finding] = lint_snippet(code, select=ONLY).findings
    assert (finding.line, finding.column, finding.fix) == (6, 5, None)
    assert finding.message.startswith("`scaler` (StandardScaler) is fitted here but never saved")


def test_fit_returns_the_preprocessor_itself() -> None:
    saved = PRELUDE + """
scaler = StandardScaler().fit(x)
joblib.dump(LogisticRegression().fit(scaler.transform(x), y), "model.joblib")
joblib.dump(scaler, "scaler.joblib")
"""
    unsaved = saved.replace('joblib.dump(scaler, "scaler.joblib")\n', "")
    assert findings_of(saved, select=ONLY) == []
    assert findings_of(unsaved, select=ONLY) == [("DET301", 5, 10)]
    [finding] = lint_snippet(unsaved, select=ONLY).findings
    assert finding.message.startswith("`scaler` (StandardScaler)")


def test_fit_result_bound_inside_a_function() -> None:
    code = PRELUDE + """
def train(x, y):
    scaler = StandardScaler().fit(x)
    model = LogisticRegression().fit(scaler.transform(x), y)
    joblib.dump({"scaler": scaler, "model": model}, "bundle.joblib")
"""
    assert findings_of(code, select=ONLY) == []


def test_saving_only_arrays_is_not_persisting_a_model() -> None:
    code = """
import numpy as np
from sklearn.preprocessing import StandardScaler
x = StandardScaler().fit_transform(raw)
np.save("scaled.npy", x)
"""
    assert findings_of(code, select=ONLY) == []


def test_nothing_reported_without_a_persisted_model() -> None:
    code = PRELUDE + """
scaler = StandardScaler()
x = scaler.fit_transform(x)
print(LogisticRegression().fit(x, y).score(x, y))
"""
    assert findings_of(code, select=ONLY) == []


def test_each_model_persisting_call_counts() -> None:
    fitted = """
import keras
import tensorflow as tf
from sklearn.preprocessing import MinMaxScaler
scaler = MinMaxScaler()
scaler.fit(x)
model = keras.Sequential([keras.layers.Dense(1)])
"""
    for persist in (
        'model.save("m.keras")',
        'model.export("serving")',
        'tf.saved_model.save(model, "serving")',
        'keras.models.save_model(model, "m.keras")',
        'model.fit(x, y, callbacks=[keras.callbacks.ModelCheckpoint("best.keras")])',
    ):
        assert findings_of(fitted + persist + "\n", select=ONLY) == [("DET301", 5, 1)], persist


def test_stored_inside_a_pipeline_or_container_that_is_dumped() -> None:
    code = """
import pickle
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import OneHotEncoder, StandardScaler
encoder = OneHotEncoder()
encoder.fit(categories)
columns = ColumnTransformer([("cat", encoder, ["city"])])
scaler = StandardScaler()
scaler.fit(x)
parts = [scaler]
model = LogisticRegression().fit(x, y)
with open("model.pkl", "wb") as handle:
    pickle.dump((model, columns, parts), handle)
"""
    assert findings_of(code, select=ONLY) == []


def test_keras_preprocessing_layer_outside_the_saved_model() -> None:
    code = """
import keras
lookup = keras.layers.StringLookup()
lookup.adapt(words)
inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
model.save("m.keras")
"""
    [finding] = lint_snippet(code, select=ONLY).findings
    assert (finding.line, finding.column) == (3, 1)
    assert "make it part of the saved model" in finding.message
