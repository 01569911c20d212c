"""Value kinds across the modules of a project: a Keras model built in one module is trained or saved in
another (which may import only NumPy and the project), whichever file is checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import libcst as cst

from cliutil import detlint
from detlint.analysis.facts import FileFacts
from detlint.analysis.project import ProjectIndex, module_name_for, summarize
from lintutil import findings_of

PROJECTS = Path(__file__).parent / "fixtures" / "projects"

CODES = ("DET103", "DET104", "DET111", "DET304", "DET305", "DET306")

EXPECTED = {
    # a factory of another module, directly and through a function returning its result
    "kinds_model_factory": [("DET103", "train.py", 12, 1), ("DET104", "finetune.py", 7, 1),
                            ("DET304", "export.py", 5, 1), ("DET304", "train.py", 13, 1)],
    # a keras.Model subclass of another module, and a subclass of it in a third module or in this one
    "kinds_model_subclass": [("DET103", "evaluate.py", 12, 1), ("DET111", "train.py", 6, 1)],
    # a module-level model of another module
    "kinds_module_value": [("DET103", "run.py", 6, 1), ("DET304", "run.py", 7, 1)],
    # a seed helper and a model builder brought by `from common import *`
    "kinds_star_import": [("DET103", "sweep.py", 6, 5), ("DET304", "train.py", 9, 1)],
    # `from model.model import CNN` next to a script in a folder whose name is no identifier
    "kinds_spaced_folder": [("DET103", "run.py", 10, 1), ("DET103", "train.py", 7, 1), ("DET304", "train.py", 8, 1)],
    # a Keras model (built in another module) passed to a parameter by a caller in the same module
    "kinds_parameter": [("DET103", "local_loop.py", 7, 5)],
    # xgboost, lightgbm, a scikit-learn pipeline, a plain project class: never Keras training or saving
    "kinds_lookalikes": [],
    # a model subclass of another module called in training mode and its outputs compared exactly, in a
    # module that imports only NumPy and the project
    "kinds_model_predictions": [("DET305", "check_model.py", 16, 13), ("DET305", "check_model.py", 17, 14),
                                ("DET306", "check_model.py", 18, 12)],
}


def _cli_findings(target: Path, cwd: Path) -> list[tuple[str, str, int, int]]:
    result = detlint("check", "--no-cache", "--exit-zero", "--select", ",".join(CODES), "--format", "json",
                     str(target), cwd=cwd)
    assert result.returncode == 0, result.stderr
    return sorted((f["code"], Path(f["path"]).name, f["line"], f["column"]) for f in json.loads(result.stdout))


def _files(project: Path) -> list[Path]:
    return sorted(project.rglob("*.py"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_whole_project_and_each_file_give_the_same_findings(name: str, tmp_path: Path) -> None:
    project = PROJECTS / name
    assert _cli_findings(project, tmp_path) == EXPECTED[name]
    per_file = sorted(item for path in _files(project) for item in _cli_findings(path, tmp_path))
    assert per_file == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_do_not_depend_on_the_prefilter(name: str) -> None:
    # findings_of also lints without the pre-filter and asserts both agree.
    project_root = PROJECTS / name
    files = _files(project_root)
    names = {path: module_name_for(path, project_root) or path.stem for path in files}
    project = ProjectIndex({
        names[path]: summarize(FileFacts(cst.parse_module(path.read_text()), path.name, names[path]))
        for path in files
    })
    found = sorted(
        (code, path.name, line, column)
        for path in files
        for code, line, column in findings_of(path.read_text(), select=set(CODES), path=path.name,
                                              project=project, module_name=names[path])
    )
    assert found == EXPECTED[name]


def test_single_file_check_reads_only_the_modules_it_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pre-commit passes one file: the kinds of another module's values come from the modules it imports
    (and theirs), read on demand, never from a walk of the project."""
    import shutil

    from detlint.analysis import project as project_module
    from detlint.api import run
    from detlint.config import Options

    shutil.copytree(PROJECTS / "kinds_model_factory", tmp_path / "app")
    (tmp_path / "app" / "pyproject.toml").write_text("")
    read: list[str] = []
    original = project_module.ProjectLoader.summary

    def no_walk(self: object) -> dict[str, Path]:
        raise AssertionError("the project was walked")

    def summary(self: project_module.ProjectLoader, module: str) -> object:
        found = original(self, module)
        if found is not None:
            read.append(module)
        return found

    monkeypatch.setattr(project_module.ProjectLoader, "files", no_walk)
    monkeypatch.setattr(project_module.ProjectLoader, "summary", summary)
    result = run([str(tmp_path / "app" / "finetune.py")], Options(select=CODES), use_cache=False)
    assert [(f.code, f.line, f.column) for f in result.findings] == [("DET104", 7, 1)]
    assert sorted(set(read)) == ["models", "models.unet", "registry", "utils"]


def test_script_folder_listing_is_a_dependency_of_the_cached_result(tmp_path: Path) -> None:
    """``from model import CNN`` next to a script resolves once ``model.py`` is created there."""
    from detlint.api import run
    from detlint.config import Options

    folder = tmp_path / "Save and Load"
    folder.mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    script = folder / "train.py"
    script.write_text("import numpy as np\nfrom model import CNN\n\nnet = CNN()\nnet.fit(np.ones(2), np.ones(2))\n")
    cache = tmp_path / "cache"
    assert run([str(script)], Options(select=("DET103",)), cache_dir=cache).findings == []
    (folder / "model.py").write_text("import keras\n\n\nclass CNN(keras.Model):\n    pass\n")
    found = run([str(script)], Options(select=("DET103",)), cache_dir=cache).findings
    assert [(f.code, f.line, f.column) for f in found] == [("DET103", 5, 1)]


def test_cached_result_follows_the_module_that_builds_the_model(tmp_path: Path) -> None:
    import shutil

    from detlint.api import run
    from detlint.config import Options

    shutil.copytree(PROJECTS / "kinds_module_value", tmp_path / "app")
    (tmp_path / "app" / "pyproject.toml").write_text("")
    run_py = str(tmp_path / "app" / "run.py")
    cache = tmp_path / "cache"
    first = run([run_py], Options(select=("DET103",)), cache_dir=cache)
    assert [(f.code, f.line) for f in first.findings] == [("DET103", 6)]
    builder = tmp_path / "app" / "models" / "model1.py"
    builder.write_text("model_1 = None\n")  # no longer a Keras model
    second = run([run_py], Options(select=("DET103",)), cache_dir=cache)
    assert second.findings == []


@pytest.mark.parametrize(("code", "kind"), [
    ("import xgboost as xgb\nm = xgb.XGBClassifier()\n", "NON_KERAS"),
    ("import lightgbm\nm = lightgbm.LGBMRegressor()\n", "NON_KERAS"),
    ("from sklearn.pipeline import make_pipeline\nm = make_pipeline()\n", "SKLEARN"),
    ("from sklearn.preprocessing import StandardScaler\nm = StandardScaler()\n", "PREPROCESSOR"),
    ("import pandas as pd\nm = pd.read_csv('x.csv').dropna()\n", "DATAFRAME"),
    ("import tensorflow as tf\nm = tf.data.Dataset.range(3).batch(2)\n", "DATASET"),
    ("import keras\nm = keras.Sequential([])\n", "KERAS_MODEL"),
    ("import autokeras as ak\nm = ak.ImageClassifier(seed=1)\n", "KERAS_MODEL"),
    ("import segmentation_models as sm\nm = sm.Unet('resnet34')\n", "KERAS_MODEL"),
    ("import keras\nm = keras.applications.MobileNetV2(weights=None)\n", "KERAS_MODEL"),
    ("import keras\nm = keras.applications.mobilenet_v2.preprocess_input([1.0])\n", "UNKNOWN"),
    ("import keras\nclass Net(keras.Model):\n    pass\nm = Net()\n", "KERAS_MODEL"),
    ("import keras\nclass Block(keras.layers.Layer):\n    pass\nm = Block()\n", "KERAS_LAYER"),
    ("class Plain:\n    pass\nm = Plain()\n", "NON_KERAS"),
    ("def build(x):\n    return x\nm = build(1)\n", "UNKNOWN"),
    ("m = make()\n", "UNKNOWN"),
])
def test_kind_of_a_value_built_in_the_module(code: str, kind: str) -> None:
    from detlint.analysis.kinds import Kind, kind_of

    facts = FileFacts(cst.parse_module(code + "m\n"), "snippet.py", "snippet")
    last = facts.module.body[-1].body[0].value  # the final bare `m`
    assert kind_of(facts, last) is Kind[kind]


def test_application_model_saved_as_h5_is_a_legacy_save() -> None:
    code = """
        import keras

        base = keras.applications.MobileNetV2(weights=None)
        base.save("mobilenet.h5")
        image = keras.utils.load_img("cat.png")
        image.save("cat.png")
    """
    assert findings_of(code, select={"DET304"}) == [("DET304", 4, 1)]


def test_known_non_keras_receiver_is_not_trained_in_a_keras_module() -> None:
    code = """
        import catboost
        import tensorflow as tf

        model = catboost.CatBoostClassifier(random_seed=0)
        model.fit([[0.0]], [0])
        model.save_model("model.cbm")
        net = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        net.fit([[0.0]], [0.0])
    """
    assert findings_of(code, select={"DET103"}) == [("DET103", 8, 1)]


def test_third_party_model_saved_in_a_module_without_keras_imports() -> None:
    code = """
        import segmentation_models as sm

        model = sm.Unet("resnet34", classes=1)
        model.save("unet.h5")
    """
    assert findings_of(code, select={"DET304"}) == [("DET304", 4, 1)]


@pytest.mark.parametrize(("text", "kept"), [
    ("import numpy as np\nfrom models.unet import build_unet\nbuild_unet().fit(np.ones(1))\n", True),
    ("import numpy as np\nfrom .models import build\nbuild().fit(np.ones(1))\n", True),
    ("import os\nimport numpy as np\nimport xgboost\nxgboost.XGBRegressor().fit(np.ones(1))\n", False),
])
def test_first_prefilter_stage_keeps_training_rules_for_files_importing_project_code(text: str, kept: bool) -> None:
    from detlint.prefilter import candidate_rules
    from detlint.rules import all_rules

    codes = {rule.code for rule in candidate_rules(text, list(all_rules().values()))}
    assert ("DET103" in codes) is kept


def test_module_summary_holds_kinds_and_links_to_other_modules() -> None:
    code = (
        "import keras\n"
        "import xgboost\n"
        "from .base import BaseNet\n"
        "from models.unet import build_unet\n\n"
        "class Net(keras.Model):\n    pass\n\n"
        "class Wide(BaseNet):\n    pass\n\n"
        "def build():\n    return keras.Sequential([])\n\n"
        "def get_model():\n    model = build_unet()\n    return model\n\n"
        "def booster():\n    return xgboost.XGBClassifier()\n\n"
        "model_1 = build()\n"
    )
    summary = summarize(FileFacts(cst.parse_module(code), "models/zoo.py", "models.zoo"))
    assert summary.kinds == {"Net()": "keras_model", "build()": "keras_model", "booster()": "non_keras",
                             "model_1": "keras_model"}
    assert summary.kind_links == {"Wide()": ".base.BaseNet()", "get_model()": "models.unet.build_unet()",
                                  "BaseNet": ".base.BaseNet", "build_unet": "models.unet.build_unet"}
