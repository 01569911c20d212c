"""Where the DET103 fix puts the seeding call: before the first randomness the module consumes, after
the imports it needs, so that the fix never leaves a DET103 behind nor causes a DET104 of its own."""

from __future__ import annotations

import collections
import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from detlint.api import FixMode, run
from detlint.config import Options
from detlint.finding import Finding
from cliutil import detlint

ROOT = Path(__file__).resolve().parents[1]
SEED_CODES = ("DET103", "DET104")


def _fix_and_relint(path: Path) -> tuple[list[Finding], list[Finding]]:
    before = run([str(path)], Options(), use_cache=False, jobs=1).findings
    fixed = run([str(path)], Options(), fix=FixMode(apply=True), use_cache=False, jobs=1)
    assert not fixed.errors, fixed.errors
    after = run([str(path)], Options(), use_cache=False, jobs=1).findings
    return before, after


def _seed_findings(findings: list[Finding]) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in findings if f.code in SEED_CODES]


CASES = {
    "late_import": (
        "import tensorflow as tf\n"
        "\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "import numpy as np\n"
        "\n"
        "x = np.zeros((4, 1))\n"
        "model.fit(x, x)\n",
        "import tensorflow as tf\n"
        "tf.keras.utils.set_random_seed(42)\n"
        "\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "import numpy as np\n"
        "\n"
        "x = np.zeros((4, 1))\n"
        "model.fit(x, x)\n",
    ),
    # The seed constant is defined after the model is built: the fix cannot use it there.
    "model_built_between_imports": (
        "from tensorflow import keras\n"
        "model = keras.Sequential([keras.layers.Dense(1)])\n"
        "import pandas as pd\n"
        "SEED = 3\n"
        "df = pd.read_csv('data.csv')\n"
        "model.fit(df, df)\n",
        "from tensorflow import keras\n"
        "keras.utils.set_random_seed(42)\n"
        "model = keras.Sequential([keras.layers.Dense(1)])\n"
        "import pandas as pd\n"
        "SEED = 3\n"
        "df = pd.read_csv('data.csv')\n"
        "model.fit(df, df)\n",
    ),
    # The model is built by a function of the module, called before a late import.
    "model_built_by_a_local_function": (
        "import tensorflow as tf\n"
        "\n"
        "\n"
        "def build():\n"
        "    return tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "\n"
        "\n"
        "model = build()\n"
        "import numpy as np\n"
        "model.fit(np.zeros((1, 1)), np.zeros((1, 1)))\n",
        "import tensorflow as tf\n"
        "tf.keras.utils.set_random_seed(42)\n"
        "\n"
        "\n"
        "def build():\n"
        "    return tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "\n"
        "\n"
        "model = build()\n"
        "import numpy as np\n"
        "model.fit(np.zeros((1, 1)), np.zeros((1, 1)))\n",
    ),
    # A layer built before the model: its weights are drawn at construction.
    "layer_before_model": (
        '"""Doc."""\n'
        "import keras\n"
        "dense = keras.layers.Dense(4)\n"
        "import numpy as np\n"
        "model = keras.Sequential([dense])\n"
        "model.fit(np.zeros((2, 4)), np.zeros((2, 4)))\n",
        '"""Doc."""\n'
        "import keras\n"
        "keras.utils.set_random_seed(42)\n"
        "dense = keras.layers.Dense(4)\n"
        "import numpy as np\n"
        "model = keras.Sequential([dense])\n"
        "model.fit(np.zeros((2, 4)), np.zeros((2, 4)))\n",
    ),
    # A NumPy draw before TensorFlow is even imported: the Keras seed (which seeds NumPy too) goes
    # before the draw, with its own import.
    "draw_before_tf_import": (
        "import numpy as np\n"
        "X = np.random.rand(8, 3)\n"
        "import tensorflow as tf\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(3)])\n"
        "model.fit(X, X)\n",
        "import numpy as np\n"
        "import keras\n"
        "keras.utils.set_random_seed(42)\n"
        "X = np.random.rand(8, 3)\n"
        "import tensorflow as tf\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(3)])\n"
        "model.fit(X, X)\n",
    ),
    # An unseeded split before the model (DET101 seeds it too); the seed constant defined before it is used.
    "split_before_model": (
        "import tensorflow as tf\n"
        "from sklearn.model_selection import train_test_split\n"
        "SEED = 5\n"
        "train, test = train_test_split([1, 2, 3, 4])\n"
        "import numpy as np\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "model.fit(np.array(train), np.array(train))\n",
        "import tensorflow as tf\n"
        "from sklearn.model_selection import train_test_split\n"
        "SEED = 5\n"
        "tf.keras.utils.set_random_seed(SEED)\n"
        "train, test = train_test_split([1, 2, 3, 4], random_state=SEED)\n"
        "import numpy as np\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "model.fit(np.array(train), np.array(train))\n",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_seed_goes_before_the_first_randomness(tmp_path: Path, name: str) -> None:
    before_text, expected = CASES[name]
    path = tmp_path / "train.py"
    path.write_text(before_text)
    before, after = _fix_and_relint(path)
    assert ("DET103" in {f.code for f in before}), before
    assert path.read_text() == expected
    assert _seed_findings(after) == []


def test_notebook_with_imports_in_a_later_cell(tmp_path: Path) -> None:
    def cell(source: str, count: int) -> dict[str, Any]:
        return {"cell_type": "code", "execution_count": count, "metadata": {}, "outputs": [],
                "source": source.splitlines(keepends=True)}

    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Data first"]},
            cell("import numpy as np\nX = np.random.rand(8, 3)", 1),
            cell("import keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\nmodel.fit(X, X)", 2),
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "train.ipynb"
    path.write_text(json.dumps(notebook, indent=1) + "\n")
    result = detlint("check", "--fix", "--no-cache", "--format", "json", "train.ipynb", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    fixed = json.loads(path.read_text())
    assert [c["source"] for c in fixed["cells"]] == [
        ["# Data first"],
        ["import numpy as np\n", "import keras\n", "keras.utils.set_random_seed(42)\n", "X = np.random.rand(8, 3)"],
        ["import keras\n", "model = keras.Sequential([keras.layers.Dense(3)])\n", "model.fit(X, X)"],
    ]
    relint = detlint("check", "--no-cache", "--format", "json", "train.ipynb", cwd=tmp_path)
    assert json.loads(relint.stdout) == [] and relint.returncode == 0


def _assert_fix_adds_no_seed_findings(files: list[Path], tmp_path: Path) -> int:
    """--fix on a copy of each file: no DET103 left, no DET104 the file did not have before."""
    fixed = 0
    for number, source in enumerate(files):
        folder = tmp_path / str(number)
        folder.mkdir()
        path = folder / source.name
        shutil.copyfile(source, path)
        before, after = _fix_and_relint(path)
        new_late_seeds = (collections.Counter(f.message for f in after if f.code == "DET104")
                          - collections.Counter(f.message for f in before if f.code == "DET104"))
        assert [f for f in after if f.code == "DET103"] == [] and not new_late_seeds, source
        fixed += any(f.code == "DET103" for f in before)
    return fixed


def test_fix_leaves_no_seed_findings_on_fixtures_and_examples(tmp_path: Path) -> None:
    files = sorted((ROOT / "tests" / "fixtures" / "rules").glob("*.py")) + sorted((ROOT / "examples").rglob("*.py"))
    assert _assert_fix_adds_no_seed_findings(files, tmp_path) >= 5  # the DET103 fixtures and bad examples


@pytest.mark.slow
def test_fix_leaves_no_seed_findings_on_library_code(tmp_path: Path) -> None:
    """A small sample of installed Keras code that trains models (mostly its own tests)."""
    spec = importlib.util.find_spec("keras")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("Keras is not installed")
    folder = Path(list(spec.submodule_search_locations)[0])
    training = sorted(p for p in folder.rglob("*.py")
                      if "__pycache__" not in p.parts and ".fit(" in p.read_text(encoding="utf-8", errors="replace"))
    assert _assert_fix_adds_no_seed_findings(training[::8], tmp_path) >= 1
