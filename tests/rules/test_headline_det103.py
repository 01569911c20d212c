"""DET103 missing-tf-seed: the inserted seeding line, seed spellings, project helpers, the message."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from detlint.analysis.facts import FileFacts
from detlint.analysis.project import ProjectIndex, summarize
from detlint.fixes import apply_edits
from lintutil import findings_of, lint_snippet

ONLY = {"DET103"}

TRAINING = """
import keras
import numpy as np

x = np.zeros((4, 2))
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
model.compile(loss="mse")
model.fit(x, x[:, :1])
"""


def fixed(code: str, **kwargs: object) -> str:
    result = lint_snippet(code, select=ONLY, **kwargs)  # type: ignore[arg-type]
    text, _ = apply_edits(textwrap.dedent(code).lstrip("\n"), result.findings)
    return text


def test_reported_once_at_the_first_training_call() -> None:
    code = TRAINING + "model.fit(x, x[:, :1])\nmodel.train_on_batch(x, x[:, :1])\n"
    assert findings_of(code, select=ONLY) == [("DET103", 7, 1)]


def test_fix_inserts_keras_seed_after_the_imports() -> None:
    assert fixed(TRAINING).splitlines()[:4] == [
        "import keras",
        "import numpy as np",
        "keras.utils.set_random_seed(42)",
        "",
    ]


def test_fix_uses_the_seed_constant_after_its_assignment_and_tf_keras_when_only_tf_is_imported() -> None:
    code = '''
        """Train."""
        import tensorflow as tf

        SEED = 5
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        model.fit([[1.0]], [1.0])
    '''
    assert fixed(code).splitlines() == [
        '"""Train."""',
        "import tensorflow as tf",
        "",
        "SEED = 5",
        "tf.keras.utils.set_random_seed(SEED)",
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])",
        "model.fit([[1.0]], [1.0])",
    ]


def test_fix_adds_import_keras_when_the_module_has_no_keras_name() -> None:
    code = """
        import autokeras as ak

        search = ak.ImageClassifier(max_trials=1, seed=1, overwrite=True)
        search.fit(x, y)
    """
    assert fixed(code).splitlines()[:3] == ["import autokeras as ak", "import keras", "keras.utils.set_random_seed(42)"]


def test_fix_is_safe_and_titled() -> None:
    [finding] = lint_snippet(TRAINING, select=ONLY).findings
    assert finding.fix is not None and finding.fix.safe
    assert finding.fix.title == "Insert `keras.utils.set_random_seed(42)` after the imports"
    assert "keras.utils.set_random_seed(42)" in finding.message and finding.severity == "error"


@pytest.mark.parametrize("seeding", [
    "keras.utils.set_random_seed(1)",
    "import tensorflow as tf\ntf.random.set_seed(1)",
    "import tensorflow as tf\ntf.compat.v1.set_random_seed(1)",
    "import tensorflow as tf\ntf.keras.utils.set_random_seed(1)",
    "import tf_keras\ntf_keras.utils.set_random_seed(1)",
    "from keras.utils import set_random_seed as seed_all\nseed_all(1)",
])
def test_every_spelling_of_the_tf_global_seed_counts(seeding: str) -> None:
    code = TRAINING.replace("\nx = ", f"\n{seeding}\nx = ", 1)
    assert findings_of(code, select=ONLY) == []


@pytest.mark.parametrize("seeding", ["np.random.seed(1)", "import random\nrandom.seed(1)"])
def test_numpy_or_python_seed_alone_does_not_seed_tf(seeding: str) -> None:
    code = TRAINING.replace("\nx = ", f"\n{seeding}\nx = ", 1)
    assert [code for code, _, _ in findings_of(code, select=ONLY)] == ["DET103"]


def test_message_says_fit_will_raise_with_op_determinism_and_no_seed() -> None:
    code = TRAINING.replace("\nx = ", "\nimport tensorflow as tf\ntf.config.experimental.enable_op_determinism()\nx = ", 1)
    [finding] = lint_snippet(code, select=ONLY).findings
    assert "Random ops require a seed to be set when determinism is enabled" in finding.message


def test_seed_set_by_a_helper_of_another_project_module() -> None:
    index = ProjectIndex()
    helper = textwrap.dedent("""
        import keras

        def seed_everything(seed=0):
            keras.utils.set_random_seed(seed)
    """)
    index.add(summarize(FileFacts(cst.parse_module(helper), "project/utils.py", "project.utils")))
    code = TRAINING.replace("\nx = ", "\nfrom project.utils import seed_everything\nseed_everything()\nx = ", 1)
    assert findings_of(code, select=ONLY, project=index, module_name="project.train") == []
    assert [c for c, _, _ in findings_of(code, select=ONLY, module_name="project.train")] == ["DET103"]


def test_sklearn_fits_are_not_training_calls() -> None:
    code = """
        import tensorflow as tf
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.preprocessing import StandardScaler
        scaler = StandardScaler().fit(x)
        forest = RandomForestClassifier(random_state=0)
        forest.fit(scaler.transform(x), y)
    """
    assert findings_of(code, select=ONLY) == []


def test_a_fit_in_a_module_without_keras_is_not_training() -> None:
    code = """
        import numpy as np

        def train(estimator, x, y):
            return estimator.fit(x, y)
    """
    assert findings_of(code, select=ONLY) == []
