"""Third-party model producers: their models are Keras models, trained in any module."""

from __future__ import annotations

import pytest

from lintutil import findings_of

ONLY = {"DET103"}


@pytest.mark.parametrize("imports, build", [
    ("import segmentation_models as sm", "sm.Unet('resnet34', classes=1)"),
    ("from segmentation_models import FPN", "FPN('resnet34')"),
    ("from transformers import TFBertForSequenceClassification as Bert", "Bert.from_pretrained('bert-base-uncased')"),
    ("import tensorflow_decision_forests as tfdf", "tfdf.keras.RandomForestModel()"),
])
def test_training_a_produced_model_without_a_tf_import_is_reported(imports: str, build: str) -> None:
    code = f"{imports}\nimport numpy as np\n\nx = np.zeros((4, 2))\nmodel = {build}\nmodel.fit(x, x)\n"
    assert findings_of(code, select=ONLY) == [("DET103", 6, 1)]


@pytest.mark.parametrize("code", [
    "import xgboost as xgb\nimport keras\n\nclf = xgb.XGBClassifier(random_state=0)\nclf.fit(x, y)\n",
    "import lightgbm as lgb\nimport keras\n\nreg = lgb.LGBMRegressor(random_state=0)\nreg.fit(x, y)\n",
    "import keras\nfrom sklearn.pipeline import make_pipeline\nfrom sklearn.preprocessing import StandardScaler\n\n"
    "pipe = make_pipeline(StandardScaler())\npipe.fit(x, y)\n",
    "import transformers\n\ntok = transformers.AutoTokenizer.from_pretrained('bert-base-uncased')\ntok.fit(x)\n",
])
def test_non_keras_fit_receivers_stay_clean(code: str) -> None:
    assert findings_of(code, select=ONLY) == []


@pytest.mark.parametrize("best", ["tuner.get_best_models(num_models=1)[0]", "tuner.get_best_model()"])
def test_a_tuners_best_model_is_a_keras_model(best: str) -> None:
    code = (
        "import keras_tuner as kt\nimport numpy as np\n\n"
        "tuner = kt.RandomSearch(build, objective='val_loss', seed=1, overwrite=True)\n"
        f"best = {best}\nbest.fit(np.zeros((2, 2)), np.zeros(2))\n"
    )
    assert findings_of(code, select=ONLY) == [("DET103", 6, 1)]
