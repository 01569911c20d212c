"""DET302 provenance: a load is judged by the model saved to that path (in the loading module before the
load, else in another module that saves exactly that path), and that model's needs come from how it was
built, not from what else the loading module mentions."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

import libcst as cst

from cliutil import detlint
from detlint.analysis.facts import FileFacts
from detlint.analysis.project import ProjectIndex, module_name_for, summarize
from detlint.analysis.provenance import path_template, render
from lintutil import findings_of, lint_snippet

PROJECTS = Path(__file__).parent / "fixtures" / "projects"
ONLY = {"DET302"}

EXPECTED = {
    # a TF-Hub model built in models.py: saved by .save, a ModelCheckpoint and a project helper, loaded
    # by serve.py through a path constant of config.py; finetune.py loads a path no module saves while
    # building the hub model itself (judged by the module, as before).
    "provenance_hub_classifier": [
        ("DET302", "finetune.py", 8, 14),
        ("DET302", "serve.py", 10, 8),
        ("DET302", "serve.py", 11, 9),
    ],
    # look-alikes: own save of a plain model wins (other path, and the same path as a hub export);
    # hub mentioned only in another load's custom_objects; a hub model built but never saved to the path.
    "provenance_lookalikes": [],
    # an unregistered layer used by a builder of another package module, and a project loss.
    "provenance_segmentation": [("DET302", "predict.py", 8, 8)],
    # an AutoKeras export: reported where autokeras is not imported.
    "provenance_autokeras": [("DET302", "serve.py", 7, 15)],
}


def _files(project: Path) -> list[Path]:
    return sorted(project.rglob("*.py"))


def _cli_findings(target: Path, cwd: Path) -> list[tuple[str, str, int, int]]:
    result = detlint("check", "--no-cache", "--exit-zero", "--select", "DET302", "--format", "json",
                     str(target), cwd=cwd)
    assert result.returncode == 0, result.stderr
    return sorted((f["code"], Path(f["path"]).name, f["line"], f["column"]) for f in json.loads(result.stdout))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_whole_project_and_each_file_give_the_same_findings(name: str, tmp_path: Path) -> None:
    project = PROJECTS / name
    assert _cli_findings(project, tmp_path) == EXPECTED[name]
    per_file = sorted(item for path in _files(project) for item in _cli_findings(path, tmp_path))
    assert per_file == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_do_not_depend_on_the_prefilter(name: str) -> None:
    # findings_of also lints without the pre-filter and asserts both agree.
    project_dir = PROJECTS / name
    names = {path: module_name_for(path, project_dir) for path in _files(project_dir)}
    project = ProjectIndex({
        names[path]: summarize(FileFacts(cst.parse_module(path.read_text()), path.name, names[path]))
        for path in names
    })
    found = sorted(
        (code, path.name, line, column)
        for path in names
        for code, line, column in findings_of(path.read_text(), select=ONLY, path=path.name,
                                              project=project, module_name=names[path])
    )
    assert found == EXPECTED[name]


def test_segmentation_message_names_the_layer_and_the_loss(tmp_path: Path) -> None:
    result = detlint("check", "--no-cache", "--exit-zero", "--select", "DET302", "--format", "json",
                     str(PROJECTS / "provenance_segmentation" / "predict.py"), cwd=tmp_path)
    [finding] = json.loads(result.stdout)
    assert 'custom_objects={"SpatialAttention": SpatialAttention, "dice_loss": dice_loss}' in finding["message"]


def _index(modules: dict[str, str]) -> ProjectIndex:
    index = ProjectIndex()
    for name, code in modules.items():
        index.add(summarize(FileFacts(cst.parse_module(textwrap.dedent(code).lstrip("\n")), f"{name}.py", name)))
    return index


HUB_SAVER = """
    import tensorflow as tf
    import tensorflow_hub as hub
    model = tf.keras.Sequential([hub.KerasLayer("handle"), tf.keras.layers.Dense(1)])
    model.save({path})
"""


@pytest.mark.parametrize(("saved", "loaded", "linked"), [
    ('"out/m.keras"', '"out/m.keras"', True),
    ('"./out/m.keras"', '"out/m.keras"', True),
    ('os.path.join("out", "m.keras")', 'f"out/m.keras"', True),
    ('Path("out") / "m.keras"', '"out/m.keras"', True),
    ('f"{ROOT}/m.keras"', 'os.path.join(ROOT, "m.keras")', True),
    # the same file name in another folder is another model
    ('os.path.join("exports", "m.keras")', 'os.path.join("runs", "m.keras")', False),
    # a folder not known statically: no link (the tail alone does not identify the model)
    ('os.path.join(sys.argv[1], "m.keras")', 'os.path.join(sys.argv[1], "m.keras")', False),
])
def test_a_link_needs_exactly_the_same_path(saved: str, loaded: str, linked: bool) -> None:
    header = "import os\nimport sys\nfrom pathlib import Path\nROOT = 'out'\n"
    index = _index({"train": header + textwrap.dedent(HUB_SAVER).format(path=saved)})
    serve = header + f"import tensorflow as tf\nmodel = tf.keras.models.load_model({loaded})\n"
    expected = [("DET302", 6, 9)] if linked else []
    assert findings_of(serve, select=ONLY, project=index, module_name="serve") == expected


def test_weights_only_checkpoint_is_no_model_save() -> None:
    index = _index({"train": """
        import tensorflow as tf
        import tensorflow_hub as hub
        model = tf.keras.Sequential([hub.KerasLayer("handle"), tf.keras.layers.Dense(1)])
        full = tf.keras.callbacks.ModelCheckpoint("ckpt/full.keras")
        weights = tf.keras.callbacks.ModelCheckpoint("ckpt/weights.keras", save_weights_only=True)
        model.fit(x, y, callbacks=[full, weights])
    """})
    serve = """
        import tensorflow as tf
        a = tf.keras.models.load_model("ckpt/full.keras")
        b = tf.keras.models.load_model("ckpt/weights.keras")
    """
    assert findings_of(serve, select=ONLY, project=index, module_name="serve") == [("DET302", 2, 5)]


def test_model_from_a_parameter_is_judged_by_its_module() -> None:
    # The saved value is a parameter: where it was built is not followed, so the module decides.
    index = _index({"train": """
        import tensorflow as tf
        import tensorflow_hub as hub

        def export(model):
            model.save("exported/model.keras")

        export(tf.keras.Sequential([hub.KerasLayer("handle")]))
    """})
    serve = 'import tensorflow as tf\nmodel = tf.keras.models.load_model("exported/model.keras")\n'
    assert findings_of(serve, select=ONLY, project=index, module_name="serve") == [("DET302", 2, 9)]


def test_own_save_of_a_hub_model_before_the_load_is_reported_with_a_fix() -> None:
    code = """
        import tensorflow_hub as hub
        import tf_keras
        plain = tf_keras.Sequential([tf_keras.layers.Dense(1)])
        plain.save("plain.keras")
        tuned = tf_keras.Sequential([hub.KerasLayer("handle"), tf_keras.layers.Dense(1)])
        tuned.save("tuned.keras")
        a = tf_keras.models.load_model("plain.keras")
        b = tf_keras.models.load_model("tuned.keras")
    """
    [finding] = lint_snippet(code, select=ONLY).findings
    assert (finding.line, finding.column) == (8, 5)  # the plain model loaded on line 7 needs nothing
    assert finding.fix is not None


@pytest.mark.parametrize(("template", "text"), [
    (("join", (("s", "a"), ("s", "/abs"), ("s", "m.h5"))), "/abs/m.h5"),
    (("cat", (("s", "runs/"), ("s", "./m.h5"))), "runs/m.h5"),
    (("join", (("ref", "config.ROOT"), ("s", "m.h5"))), None),
])
def test_render(template: tuple, text: str | None) -> None:
    assert render(template) == text


def test_path_template_of_formatted_values_is_unknown() -> None:
    facts = FileFacts(cst.parse_module('EPOCH = 3\npath = f"ckpt/{EPOCH:02d}.keras"\n'), "t.py", "t")
    value = facts.module_scope.bindings["path"][0].value
    assert path_template(value, facts) is None


def test_cached_result_follows_a_change_of_the_builder_module(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # serve.py's result depends on models.py, which neither it nor the saving module's path mentions.
    from detlint.api import run
    from detlint.config import Options

    plain = "import keras\n\n\ndef build():\n    return keras.Sequential([keras.layers.Dense(1)])\n"
    hub_model = ("import keras\nimport tensorflow_hub as hub\n\n\ndef build():\n"
                 "    return keras.Sequential([hub.KerasLayer('handle'), keras.layers.Dense(1)])\n")
    files = {
        "pyproject.toml": "",
        "models.py": plain,
        "train.py": "from models import build\n\nmodel = build()\nmodel.save('out/m.keras')\n",
        "serve.py": "import keras\n\nmodel = keras.models.load_model('out/m.keras')\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)

    def found() -> list[tuple[str, int, int]]:
        result = run(["serve.py"], Options(select=tuple(ONLY)))
        assert not result.errors
        return [(f.code, f.line, f.column) for f in result.findings]

    assert found() == []
    (tmp_path / "models.py").write_text(hub_model)
    assert found() == [("DET302", 3, 9)]
    (tmp_path / "models.py").write_text(plain + "\n")
    assert found() == []


def test_custom_objects_passed_positionally_by_a_loading_wrapper() -> None:
    code = """
        import tensorflow as tf
        import tensorflow_hub as hub

        def build():
            return tf.keras.Sequential([hub.KerasLayer("handle")])

        def load(path, custom_objects=None):
            objects = {"KerasLayer": hub.KerasLayer, **(custom_objects or {})}
            return tf.keras.models.load_model(path, objects, False)

        def load_plain(path):
            return tf.keras.models.load_model(path)
    """
    assert findings_of(code, select=ONLY) == [("DET302", 12, 12)]


def test_model_found_by_a_tuner_is_built_by_the_function_handed_to_it() -> None:
    index = _index({"models": """
        import tensorflow as tf
        import tensorflow_hub as hub

        def build_model(hp):
            units = hp.Int("units", 8, 64)
            return tf.keras.Sequential([hub.KerasLayer("handle"), tf.keras.layers.Dense(units)])
    """, "tune": """
        import keras_tuner as kt
        from models import build_model

        tuner = kt.RandomSearch(build_model, objective="val_loss", max_trials=3, seed=1)
        tuner.search(x, y, validation_split=0.2)
        best = tuner.get_best_models(num_models=1)[0]
        best.save("tuned/best.keras")
    """})
    serve = 'import tensorflow as tf\nmodel = tf.keras.models.load_model("tuned/best.keras")\n'
    assert findings_of(serve, select=ONLY, project=index, module_name="serve") == [("DET302", 2, 9)]


def test_a_path_not_known_statically_matches_only_within_one_function() -> None:
    code = """
        import sys
        import tensorflow as tf
        import tensorflow_hub as hub

        def export_hub(path):
            tuned = tf.keras.Sequential([hub.KerasLayer("handle")])
            tuned.save(path)

        def export_plain(path):
            plain = tf.keras.Sequential([tf.keras.layers.Dense(1)])
            plain.save(path)
            return tf.keras.models.load_model(path)

        def reload(path):
            return tf.keras.models.load_model(path)
    """
    # export_plain reloads what it saved; reload's path may be anything: the module decides (it builds hub).
    assert findings_of(code, select=ONLY) == [("DET302", 15, 12)]


def test_module_level_model_imported_from_another_module() -> None:
    index = _index({"nets.model1": """
        import tensorflow as tf
        import tensorflow_hub as hub

        model_1 = tf.keras.Sequential()
        model_1.add(hub.KerasLayer("handle", trainable=False))
        model_1.add(tf.keras.layers.Dense(3, activation="softmax"))
        model_2 = tf.keras.Sequential([tf.keras.layers.Dense(3, activation="softmax")])
    """, "nets.__init__": "", "train": """
        from nets.model1 import model_1, model_2

        model_1.fit(x, y, epochs=2)
        model_1.save("saved/model_1.keras")
        model_2.fit(x, y, epochs=2)
        model_2.save("saved/model_2.keras")
    """})
    serve = """
        import tensorflow as tf
        first = tf.keras.models.load_model("saved/model_1.keras")
        second = tf.keras.models.load_model("saved/model_2.keras")
    """
    assert findings_of(serve, select=ONLY, project=index, module_name="serve") == [("DET302", 2, 9)]
