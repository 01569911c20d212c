"""Project-wide analysis: seed helpers, custom layers and saved paths in other modules of the project,
flat and src layouts, relative imports, and partial file lists as pre-commit passes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from detlint.api import run
from detlint.config import Options

UTILS = "import tensorflow as tf\nimport random\n\n\ndef seed_everything(seed=42):\n    tf.random.set_seed(seed)\n    random.seed(seed)\n"
LAYERS = "import keras\n\n\nclass Scale(keras.layers.Layer):\n    def call(self, x):\n        return x * 2\n"
TRAIN = """\
import keras
{seed_import}
from {layers_module} import Scale

{seed_call}
model = keras.Sequential([Scale()])
model.fit([[1.0]], [[2.0]])
model.save("model.keras")
"""
SERVE = 'import keras\n\nmodel = keras.models.load_model("model.keras")\n'


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def _found(root: Path, *paths: str) -> list[tuple[str, str, int, int]]:
    import os

    previous = os.getcwd()
    os.chdir(root)
    try:
        result = run(list(paths), Options(), use_cache=False)
    finally:
        os.chdir(previous)
    assert not result.errors
    return [(Path(f.path).name, f.code, f.line, f.column) for f in result.findings]


@pytest.mark.parametrize("layout", ["flat", "src"])
def test_seed_helper_and_custom_layer_in_other_modules(tmp_path: Path, layout: str) -> None:
    base = "src/proj" if layout == "src" else "proj"
    _write(tmp_path, {
        "pyproject.toml": "[project]\nname = 'proj'\n",
        f"{base}/__init__.py": "",
        f"{base}/utils.py": UTILS,
        f"{base}/layers.py": LAYERS,
        f"{base}/train.py": TRAIN.format(seed_import="from proj.utils import seed_everything",
                                        layers_module="proj.layers", seed_call="seed_everything()"),
        f"{base}/serve.py": SERVE,
    })
    # Whole project: training is seeded through the helper (no DET103); serving loads a model with
    # an unregistered custom layer from another module (DET302).
    assert _found(tmp_path, base) == [("serve.py", "DET302", 3, 9)]
    # Only the changed file, as pre-commit passes it: same result for that file.
    assert _found(tmp_path, f"{base}/serve.py") == [("serve.py", "DET302", 3, 9)]
    assert _found(tmp_path, f"{base}/train.py") == []


def test_relative_imports(tmp_path: Path) -> None:
    _write(tmp_path, {
        "setup.py": "",
        "pkg/__init__.py": "",
        "pkg/utils.py": UTILS,
        "pkg/layers.py": LAYERS,
        "pkg/train.py": TRAIN.format(seed_import="from .utils import seed_everything", layers_module=".layers",
                                     seed_call="seed_everything()"),
    })
    assert _found(tmp_path, "pkg/train.py") == []


def test_unseeded_training_is_still_reported_when_helper_does_not_seed(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pyproject.toml": "",
        "pkg/__init__.py": "",
        "pkg/utils.py": "def seed_everything(seed=42):\n    print(seed)\n",
        "pkg/layers.py": LAYERS,
        "pkg/train.py": TRAIN.format(seed_import="from pkg.utils import seed_everything",
                                     layers_module="pkg.layers", seed_call="seed_everything()"),
    })
    assert _found(tmp_path, "pkg/train.py") == [("train.py", "DET103", 7, 1)]


def test_transitive_helper_chain(tmp_path: Path) -> None:
    _write(tmp_path, {
        ".git/HEAD": "",
        "a/__init__.py": "",
        "a/low.py": "import keras\n\n\ndef low(s):\n    keras.utils.set_random_seed(s)\n",
        "a/mid.py": "from a.low import low\n\n\ndef setup():\n    low(1)\n",
        "a/train.py": "import keras\nfrom a.mid import setup\n\nsetup()\nm = keras.Sequential([])\nm.fit([1], [1])\n",
    })
    assert _found(tmp_path, "a/train.py") == []


def test_registered_custom_layer_is_not_reported(tmp_path: Path) -> None:
    registered = LAYERS.replace("class Scale", "@keras.saving.register_keras_serializable()\nclass Scale")
    _write(tmp_path, {
        "pyproject.toml": "",
        "pkg/__init__.py": "",
        "pkg/utils.py": UTILS,
        "pkg/layers.py": registered,
        "pkg/train.py": TRAIN.format(seed_import="from pkg.utils import seed_everything",
                                     layers_module="pkg.layers", seed_call="seed_everything()"),
        "pkg/serve.py": SERVE,
    })
    assert _found(tmp_path, "pkg/serve.py") == []


def test_modules_are_found_without_walking_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A single file in a big folder must not make the linter walk the folder to resolve imports."""
    from detlint.analysis import project

    _write(tmp_path, {"pyproject.toml": "", "utils.py": UTILS, "pkg/__init__.py": UTILS, "src/lib/mod.py": UTILS,
                      ".venv/skipped.py": UTILS,
                      "train.py": "import keras\nfrom utils import seed_everything\nseed_everything()\n"
                                  "model = keras.Sequential([])\nmodel.fit([[1.0]], [[2.0]])\n"})

    def no_walk(self: object) -> dict[str, Path]:
        raise AssertionError("the project was walked")

    monkeypatch.setattr(project.ProjectLoader, "files", no_walk)
    loader = project.ProjectLoader(tmp_path, lambda path: path.name == ".venv")
    assert loader.path_of("utils") == tmp_path / "utils.py"
    assert loader.path_of("pkg") == tmp_path / "pkg" / "__init__.py"
    assert loader.path_of("lib.mod") == tmp_path / "src" / "lib" / "mod.py"
    assert loader.path_of(".venv.skipped") is None and loader.path_of("missing") is None
    assert {"utils", "pkg", "lib", "train"} <= loader.packages() and ".venv" not in loader.packages()
    result = run([str(tmp_path / "train.py")], Options(select=("DET103",)))
    assert [(f.code, f.line) for f in result.findings] == []  # the helper seeds: found without a walk
