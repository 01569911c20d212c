"""DET201 op-determinism-off: opt-in, and what counts as enabling deterministic ops."""

from __future__ import annotations

import textwrap

import libcst as cst

from detlint.analysis.facts import FileFacts
from detlint.analysis.project import ProjectIndex, summarize
from lintutil import findings_of

ONLY = {"DET201"}

TRAIN = """
    import keras
    import numpy as np
    import tensorflow as tf
    {setup}
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.zeros((8, 4)), np.zeros((8, 1)))
"""


def train(setup: str) -> str:
    return textwrap.dedent(TRAIN).format(setup=setup)


def test_reported_at_the_first_training_call() -> None:
    assert findings_of(train("tf.random.set_seed(1)"), select=ONLY) == [("DET201", 7, 1)]


def test_tf1_seed_counts_as_a_tf_seed() -> None:
    assert findings_of(train("tf.compat.v1.set_random_seed(1)"), select=ONLY) == [("DET201", 7, 1)]


def test_not_reported_without_a_tf_seed() -> None:
    assert findings_of(train("np.random.seed(1)"), select=ONLY) == []
    assert findings_of(train(""), select=ONLY) == []


def test_not_reported_when_op_determinism_is_enabled() -> None:
    setups = [
        "keras.utils.set_random_seed(1); tf.config.experimental.enable_op_determinism()",
        "import os; os.environ['TF_DETERMINISTIC_OPS'] = '1'; tf.random.set_seed(1)",
    ]
    for setup in setups:
        assert findings_of(train(setup), select=ONLY) == [], setup


def test_not_called_op_determinism_does_not_count() -> None:
    code = train("keras.utils.set_random_seed(1); tf.config.experimental.enable_op_determinism")
    assert findings_of(code, select=ONLY) == [("DET201", 7, 1)]


def test_enabled_in_a_local_helper() -> None:
    setup = ("def reproducible():\n    keras.utils.set_random_seed(1)\n"
             "    tf.config.experimental.enable_op_determinism()\nreproducible()")
    code = train(setup)
    assert findings_of(code, select=ONLY) == []


def test_enabled_in_a_helper_of_another_project_module() -> None:
    helper_source = textwrap.dedent("""
        import keras
        import tensorflow as tf

        def _deterministic():
            tf.config.experimental.enable_op_determinism()

        def reproducible(seed):
            keras.utils.set_random_seed(seed)
            _deterministic()

        def seed_only(seed):
            keras.utils.set_random_seed(seed)
    """)
    helper = summarize(FileFacts(cst.parse_module(helper_source), "project/helpers.py", "project.helpers"))
    project = ProjectIndex({helper.name: helper})
    enabled = train("from project.helpers import reproducible\nreproducible(1)")
    seeded_only = train("from project.helpers import seed_only\nseed_only(1)")
    assert findings_of(enabled, select=ONLY, project=project, module_name="project.train") == []
    assert findings_of(seeded_only, select=ONLY, project=project, module_name="project.train") == [("DET201", 8, 1)]


def test_no_training_call_no_report() -> None:
    code = """
        import tensorflow as tf
        from sklearn.preprocessing import StandardScaler
        tf.random.set_seed(1)
        scaler = StandardScaler().fit([[0.0]])
    """
    assert findings_of(code, select=ONLY) == []


def test_autokeras_search_is_a_training_call() -> None:
    code = """
        import autokeras as ak
        import keras
        keras.utils.set_random_seed(1)
        clf = ak.StructuredDataClassifier(seed=1, overwrite=True)
        clf.fit([[0.0]], [0])
    """
    assert findings_of(code, select=ONLY) == [("DET201", 5, 1)]
