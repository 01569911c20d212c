"""Seeding rules DET102, DET104, DET105, DET108, DET111: cases the fixtures cannot show (module-wide
conditions, project helpers in other modules, fix text and fix safety, **kwargs)."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from detlint.analysis.facts import FileFacts
from detlint.analysis.project import ProjectIndex, summarize
from detlint.fixes import apply_edits
from lintutil import findings_of, lint_snippet


def fixed(code: str, codes: set[str], *, unsafe: bool = False, **kwargs: object) -> str:
    result = lint_snippet(code, select=codes, **kwargs)  # type: ignore[arg-type]
    assert not result.errors, result.errors
    chosen = [f for f in result.findings if f.fix is not None and (f.fix.safe or unsafe)]
    text, _ = apply_edits(textwrap.dedent(code).lstrip("\n"), chosen)
    return text


def project_with(name: str, code: str) -> ProjectIndex:
    module = cst.parse_module(textwrap.dedent(code).lstrip("\n"))
    return ProjectIndex({name: summarize(FileFacts(module, f"{name}.py", name))})


# -- DET102 -------------------------------------------------------------------------------------------

def test_det102_visible_kwargs_dict_without_seed_is_reported() -> None:
    code = """
        import numpy as np
        hidden = np.random.default_rng(**{"other": 1})
        carried = np.random.default_rng(**{"seed": 1})
    """
    assert findings_of(code, select={"DET102"}) == [("DET102", 2, 10)]


def test_det102_none_seed_is_det108_not_det102() -> None:
    code = """
        import numpy as np
        rng = np.random.default_rng(None)
    """
    assert findings_of(code, select={"DET102", "DET108"}) == [("DET108", 2, 29)]


def test_det102_message_shows_the_seeded_call() -> None:
    code = """
        import random
        SEED = 9
        rng = (random
               .Random())
    """
    [finding] = lint_snippet(code, select={"DET102"}).findings
    assert "`random.Random(SEED)`" in finding.message and finding.fix is None


# -- DET104 -------------------------------------------------------------------------------------------

def test_det104_keras_seed_after_numpy_draw_in_a_loop_body() -> None:
    code = """
        import keras
        import numpy as np
        for fold in range(3):
            noise = np.random.rand(3)
            keras.utils.set_random_seed(fold)
    """
    assert findings_of(code, select={"DET104"}) == [("DET104", 5, 5)]


def test_det104_only_the_first_late_seed_is_reported() -> None:
    code = """
        import random
        random.shuffle([1, 2])
        random.choice([1, 2])
        random.seed(1)
        random.seed(2)
    """
    assert findings_of(code, select={"DET104"}) == [("DET104", 4, 1)]


def test_det104_reseeding_after_a_seeded_draw_is_deliberate() -> None:
    code = """
        import random
        def shuffle_together(couples, labels, seed):
            random.seed(seed)
            random.shuffle(couples)
            random.seed(seed)
            random.shuffle(labels)
    """
    assert findings_of(code, select={"DET104"}) == []


def test_det104_a_seed_of_another_library_does_not_control_the_use() -> None:
    code = """
        import numpy as np
        import tensorflow as tf
        tf.random.set_seed(0)
        values = np.random.rand(3)
        tf.keras.utils.set_random_seed(1)
    """
    assert findings_of(code, select={"DET104"}) == [("DET104", 5, 1)]


def test_det104_split_with_none_seed_counts_as_unseeded() -> None:
    code = """
        import numpy as np
        from sklearn.model_selection import train_test_split
        def split(x, y):
            parts = train_test_split(x, y, random_state=None)
            np.random.seed(0)
            return parts
    """
    assert findings_of(code, select={"DET104"}) == [("DET104", 5, 5)]


def test_det104_seed_helper_from_another_module() -> None:
    project = project_with("seeds", """
        import tensorflow as tf
        def seed_all(seed):
            tf.random.set_seed(seed)
    """)
    code = """
        import keras
        from seeds import seed_all
        model = keras.Sequential([keras.layers.Dense(1)])
        seed_all(1)
    """
    assert findings_of(code, select={"DET104"}, project=project, module_name="main") == [("DET104", 4, 1)]


def test_det104_seed_in_an_outer_block_is_not_compared_with_a_nested_one() -> None:
    code = """
        import numpy as np
        def run(flag):
            if flag:
                np.random.seed(0)
            return np.random.rand()
        with open("log.txt") as log:
            noise = np.random.rand()
        np.random.seed(1)
    """
    assert findings_of(code, select={"DET104"}) == []


def test_det104_one_line_bodies_are_blocks_of_their_own() -> None:
    code = """
        import numpy as np
        def run(flag):
            if flag: noise = np.random.rand(3)
            np.random.seed(0)
            if flag: np.random.seed(1)
            for _ in range(2): values = np.random.rand(3); np.random.seed(2)
    """
    assert findings_of(code, select={"DET104"}) == [("DET104", 6, 52)]


def test_det104_use_in_a_compound_statement_header_runs_first() -> None:
    code = """
        import numpy as np
        def run():
            for index in np.random.permutation(3):
                print(index)
            np.random.seed(0)
    """
    assert findings_of(code, select={"DET104"}) == [("DET104", 5, 5)]


# -- DET105 -------------------------------------------------------------------------------------------

def test_det105_module_level_seed_before_draw_is_enough() -> None:
    code = """
        import random
        import numpy as np
        np.random.seed(0)
        random.seed(0)
        values = np.random.rand(3)
        random.shuffle([1, 2])
    """
    assert findings_of(code, select={"DET105"}) == []


def test_det105_keras_seed_satisfies_both_libraries_tf_seed_neither() -> None:
    satisfied = """
        import random
        import numpy as np
        import tensorflow as tf
        tf.keras.utils.set_random_seed(1)
        values = np.random.rand(3)
        item = random.choice([1, 2])
    """
    assert findings_of(satisfied, select={"DET105"}) == []
    tf_only = satisfied.replace("tf.keras.utils.set_random_seed(1)", "tf.random.set_seed(1)")
    assert findings_of(tf_only, select={"DET105"}) == [("DET105", 5, 10), ("DET105", 6, 8)]


def test_det105_seed_after_module_level_draw_does_not_count() -> None:
    code = """
        import numpy as np
        values = np.random.rand(3)
        np.random.seed(0)
    """
    assert findings_of(code, select={"DET105", "DET104"}) == [("DET105", 2, 10), ("DET104", 3, 1)]


def test_det105_function_draw_with_module_seed_later_in_the_file() -> None:
    code = """
        import numpy as np
        def noise():
            return np.random.rand(3)
        np.random.seed(0)
        print(noise())
    """
    assert findings_of(code, select={"DET105"}) == []


def test_det105_function_draw_before_its_own_seed_is_reported() -> None:
    code = """
        import numpy as np
        def noise():
            values = np.random.rand(3)
            np.random.seed(0)
            return values
    """
    assert findings_of(code, select={"DET105"}) == [("DET105", 3, 14)]


def test_det105_seed_helper_called_before_the_draw() -> None:
    code = """
        import random
        import numpy as np
        def seed_everything(seed):
            random.seed(seed)
            np.random.seed(seed)
        seed_everything(3)
        values = np.random.rand(3)
        item = random.choice([1, 2])
    """
    assert findings_of(code, select={"DET105"}) == []


def test_det105_seed_helper_never_called_does_not_seed_module_level_draws() -> None:
    code = """
        import numpy as np
        def seed_everything(seed):
            np.random.seed(seed)
        values = np.random.rand(3)
    """
    assert findings_of(code, select={"DET105"}) == [("DET105", 4, 10)]


def test_det105_seed_helper_from_another_module() -> None:
    project = project_with("seeds", """
        import keras
        def seed_all(seed):
            keras.utils.set_random_seed(seed)
    """)
    code = """
        import random
        from seeds import seed_all
        seed_all(5)
        item = random.choice([1, 2])
    """
    assert findings_of(code, select={"DET105"}, project=project, module_name="main") == []
    assert findings_of(code, select={"DET105"}) == [("DET105", 4, 8)]


def test_det105_draw_in_lambda_is_deferred() -> None:
    code = """
        import numpy as np
        draw = lambda: np.random.rand(3)
        np.random.seed(0)
    """
    assert findings_of(code, select={"DET105"}) == []


# -- DET108 -------------------------------------------------------------------------------------------

def test_det108_fix_writes_the_seed_constant() -> None:
    code = """
        from sklearn.model_selection import train_test_split
        SEED = 3
        parts = train_test_split([1, 2, 3], random_state=None)
    """
    assert fixed(code, {"DET108"}).splitlines()[-1] == "parts = train_test_split([1, 2, 3], random_state=SEED)"


def test_det108_fix_of_positional_none_without_constant_writes_42() -> None:
    code = """
        import numpy as np
        rng = np.random.default_rng(None)
        np.random.seed(None)
    """
    assert fixed(code, {"DET108"}).splitlines()[1:] == ["rng = np.random.default_rng(42)", "np.random.seed(42)"]


def test_det108_fix_uses_the_configured_seed_name() -> None:
    code = """
        import random
        run_seed = 17
        rng = random.Random(x=None)
    """
    assert fixed(code, {"DET108"}, seed_name="run_seed").splitlines()[-1] == "rng = random.Random(x=run_seed)"


def test_det108_computed_seed_and_argumentless_seed_have_no_fix() -> None:
    code = """
        import random
        import time
        random.seed()
        random.seed(time.time())
    """
    result = lint_snippet(code, select={"DET108"})
    assert [(f.line, f.column, f.fix) for f in result.findings] == [(3, 1, None), (4, 13, None)]
    assert "`time.time(...)`" in result.findings[1].message


def test_det108_name_assigned_more_than_once_is_not_followed() -> None:
    code = """
        import time
        import numpy as np
        def make(seed):
            if seed is None:
                seed = int(time.time())
            run = int(time.time())
            run = 0
            return np.random.default_rng(seed), np.random.default_rng(run)
    """
    assert findings_of(code, select={"DET108"}) == []


def test_det108_attribute_and_keyword_names_are_not_variables() -> None:
    code = """
        import time
        import numpy as np
        seed = int(time.time())
        def make(cfg):
            return np.random.default_rng(cfg.seed), np.random.default_rng(seed=cfg.other)
        rng = np.random.default_rng(seed)
    """
    assert findings_of(code, select={"DET108"}) == [("DET108", 6, 29)]


def test_det108_dataset_shuffle_none_seed_depends_on_the_tf_global_seed() -> None:
    code = """
        import tensorflow as tf
        dataset = tf.data.Dataset.range(8).shuffle(8, seed=None)
    """
    assert findings_of(code, select={"DET108"}) == [("DET108", 2, 47)]
    seeded = code + "tf.random.set_seed(1)\n"
    assert findings_of(seeded, select={"DET108"}) == []


def test_det108_kwargs_may_carry_the_seed() -> None:
    code = """
        import numpy as np
        options = {"seed": None}
        rng = np.random.default_rng(**options)
        np.random.seed(*[None])
    """
    assert findings_of(code, select={"DET108"}) == []


def test_det108_conditional_estimators_follow_det109() -> None:
    code = """
        from sklearn.svm import SVC
        from sklearn.decomposition import PCA
        plain = SVC(random_state=None)
        calibrated = SVC(probability=True, random_state=None)
        exact = PCA(3, random_state=None)
        randomized = PCA(3, svd_solver="randomized", random_state=None)
    """
    assert findings_of(code, select={"DET108"}) == [("DET108", 4, 36), ("DET108", 6, 46)]


# -- DET111 -------------------------------------------------------------------------------------------

TRAINING = """
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(loss="mse")
model.fit([[0.0]], [[0.0]])
"""


def test_det111_fix_spells_keras_as_the_module_imports_it() -> None:
    code = "import keras\nimport tensorflow as tf\nSEED = 1\ntf.random.set_seed(SEED)\n" + TRAINING
    assert fixed(code, {"DET111"}).splitlines()[3] == "keras.utils.set_random_seed(SEED)"


def test_det111_fix_through_tensorflow_when_keras_is_not_imported() -> None:
    code = "import tensorflow as tf\nfrom tensorflow.keras import layers\ntf.random.set_seed(seed=7)\n" + \
        TRAINING.replace("keras.layers", "layers").replace("keras.Sequential", "tf.keras.Sequential")
    assert fixed(code, {"DET111"}).splitlines()[2] == "tf.keras.utils.set_random_seed(seed=7)"


def test_det111_fix_adds_import_keras_when_needed() -> None:
    code = "from tensorflow.random import set_seed\nfrom tensorflow import keras as tk\nset_seed(3)\n" + \
        TRAINING.replace("keras.", "tk.")
    lines = fixed(code, {"DET111"}).splitlines()
    # ``from tensorflow import keras as tk`` binds the keras module: it is used as is.
    assert lines[2] == "tk.utils.set_random_seed(3)"
    code = "from tensorflow.random import set_seed\nfrom tensorflow.keras import Sequential, layers\nset_seed(3)\n" + \
        TRAINING.replace("keras.layers", "layers").replace("keras.Sequential", "Sequential")
    lines = fixed(code, {"DET111"}).splitlines()
    assert lines[:4] == ["from tensorflow.random import set_seed", "from tensorflow.keras import Sequential, layers",
                         "import keras", "keras.utils.set_random_seed(3)"]


def test_det111_fix_is_unsafe_unless_the_seed_is_an_int() -> None:
    code = "import keras\nimport tensorflow as tf\ndef run(seed):\n    tf.random.set_seed(seed)\n" + TRAINING
    [finding] = lint_snippet(code, select={"DET111"}).findings
    assert finding.fix is not None and not finding.fix.safe
    assert fixed(code, {"DET111"}) == textwrap.dedent(code)
    assert "keras.utils.set_random_seed(seed)" in fixed(code, {"DET111"}, unsafe=True)


@pytest.mark.parametrize("python_seed", [
    "random.seed(1)",
    "keras.utils.set_random_seed(1)",
    "seed_python(1)",
])
def test_det111_not_reported_when_python_is_seeded(python_seed: str) -> None:
    code = ("import random\nimport keras\nimport tensorflow as tf\n"
            "def seed_python(seed):\n    random.seed(seed)\n"
            f"tf.random.set_seed(1)\n{python_seed}\n" + TRAINING)
    assert findings_of(code, select={"DET111"}) == []


def test_det111_python_seed_in_another_module() -> None:
    project = project_with("seeds", """
        import random
        def seed_python(seed):
            random.seed(seed)
    """)
    code = "import keras\nimport tensorflow as tf\nfrom seeds import seed_python\n" \
           "tf.random.set_seed(1)\nseed_python(1)\n" + TRAINING
    assert findings_of(code, select={"DET111"}, project=project, module_name="main") == []
    assert findings_of(code, select={"DET111"}) == [("DET111", 4, 1)]


def test_det111_needs_training() -> None:
    code = """
        import tensorflow as tf
        tf.random.set_seed(1)
        values = tf.random.uniform((2,))
    """
    assert findings_of(code, select={"DET111"}) == []
