"""DET101 unseeded-split: fix text, **kwargs, written-out None, global seeds and project helpers."""

from __future__ import annotations

import textwrap

import libcst as cst

from detlint.analysis.facts import FileFacts
from detlint.analysis.project import ProjectIndex, summarize
from detlint.fixes import apply_edits
from lintutil import findings_of, lint_snippet

ONLY = {"DET101"}


def fixed(code: str, **kwargs: object) -> str:
    result = lint_snippet(code, select=ONLY, **kwargs)  # type: ignore[arg-type]
    text, _ = apply_edits(textwrap.dedent(code).lstrip("\n"), result.findings)
    return text


def project(modules: dict[str, str]) -> ProjectIndex:
    index = ProjectIndex()
    for name, code in modules.items():
        facts = FileFacts(cst.parse_module(textwrap.dedent(code).lstrip("\n")), f"{name}.py", name)
        index.add(summarize(facts))
    return index


def test_fix_appends_random_state_with_the_seed_constant() -> None:
    code = """
        from sklearn.model_selection import KFold, train_test_split
        SEED = 9
        parts = train_test_split(X, y, test_size=0.2)
        cv = KFold(n_splits=5, shuffle=True)
    """
    assert fixed(code).splitlines()[2:] == [
        "parts = train_test_split(X, y, test_size=0.2, random_state=SEED)",
        "cv = KFold(n_splits=5, shuffle=True, random_state=SEED)",
    ]


def test_fix_uses_seed_for_keras_and_tf_data_and_42_without_a_constant() -> None:
    code = """
        import keras
        import tensorflow as tf
        images = keras.utils.image_dataset_from_directory("images/")
        ds = tf.data.Dataset.range(10).shuffle(10)
    """
    assert fixed(code).splitlines()[2:] == [
        'images = keras.utils.image_dataset_from_directory("images/", seed=42)',
        "ds = tf.data.Dataset.range(10).shuffle(10, seed=42)",
    ]


def test_fix_of_a_call_without_arguments_and_of_a_multiline_call() -> None:
    code = """
        import pandas as pd
        frame = pd.read_csv("data.csv")
        rows = frame.sample()
        rows = frame.sample(
            frac=0.5,
        )
    """
    assert fixed(code).splitlines()[2:] == [
        "rows = frame.sample(random_state=42)",
        "rows = frame.sample(",
        "    frac=0.5, random_state=42,",
        ")",
    ]


def test_fix_uses_the_configured_seed_name() -> None:
    code = """
        from sklearn.utils import shuffle
        RNG_SEED = 5
        X, y = shuffle(X, y)
    """
    assert fixed(code, seed_name="RNG_SEED").splitlines()[-1] == "X, y = shuffle(X, y, random_state=RNG_SEED)"


def test_finding_is_an_error_with_a_safe_titled_fix() -> None:
    [finding] = lint_snippet("from sklearn.model_selection import ShuffleSplit\nShuffleSplit()\n", select=ONLY).findings
    assert (finding.code, finding.line, finding.column, finding.severity) == ("DET101", 2, 1, "error")
    assert finding.fix is not None and finding.fix.safe and finding.fix.title == "Add `random_state=42`"
    assert "ShuffleSplit" in finding.message and "random_state=42" in finding.message


def test_a_seed_written_as_none_is_left_to_det108() -> None:
    code = """
        from sklearn.model_selection import train_test_split
        import tensorflow as tf
        parts = train_test_split(X, y, random_state=None)
        ds = tf.data.Dataset.range(4).shuffle(4, seed=None)
    """
    assert findings_of(code, select=ONLY) == []


def test_kwargs_may_carry_the_seed_unless_the_dict_literal_lacks_it() -> None:
    code = """
        from sklearn.model_selection import StratifiedKFold, train_test_split
        parts = train_test_split(X, y, **options)
        parts = train_test_split(X, y, **dict(test_size=0.2))
        parts = train_test_split(X, y, **dict(random_state=1))
        parts = train_test_split(*arrays)
        cv = StratifiedKFold(n_splits=3, **cv_options)
    """
    assert findings_of(code, select=ONLY) == [("DET101", 3, 9), ("DET101", 5, 9)]


def test_shuffle_flag_must_be_literally_true_for_kfold() -> None:
    code = """
        from sklearn.model_selection import KFold
        cv = KFold(5, shuffle=do_shuffle)
        cv = KFold(5, shuffle=True)
    """
    assert findings_of(code, select=ONLY) == [("DET101", 3, 6)]


def test_numpy_global_seed_still_reported_and_recorded() -> None:
    code = """
        import numpy as np
        from sklearn.model_selection import train_test_split
        np.random.seed(0)
        parts = train_test_split(X, y)
    """
    [finding] = lint_snippet(code, select=ONLY).findings
    assert (finding.line, finding.column) == (4, 9)
    assert finding.data["numpy_global_seed"] is True


def test_tf_global_seed_covers_tf_data_only() -> None:
    code = """
        import tensorflow as tf
        tf.random.set_seed(1)
        ds = tf.data.Dataset.range(10).shuffle(10)
        files = tf.data.Dataset.list_files("*.csv")
        images = tf.keras.utils.image_dataset_from_directory("images/")
    """
    assert findings_of(code, select=ONLY) == [("DET101", 5, 10)]


def test_tf_global_seed_set_by_a_helper_in_another_project_module() -> None:
    index = project({"myproject.seeding": """
        import random
        import tensorflow as tf

        def _seed_tf(seed):
            tf.random.set_seed(seed)

        def seed_everything(seed):
            random.seed(seed)
            _seed_tf(seed)
    """})
    seeded = """
        import tensorflow as tf
        from myproject.seeding import seed_everything
        seed_everything(3)
        ds = tf.data.Dataset.range(10).shuffle(10)
    """
    unseeded = seeded.replace("seed_everything(3)", "print(3)")
    assert findings_of(seeded, select=ONLY, project=index, module_name="myproject.train") == []
    assert findings_of(unseeded, select=ONLY, project=index, module_name="myproject.train") == [("DET101", 4, 6)]


def test_split_dataset_is_reported_only_when_it_shuffles() -> None:
    code = """
        from tensorflow import keras
        left, right = keras.utils.split_dataset(ds, left_size=0.8)
        left, right = keras.utils.split_dataset(ds, 0.8, None, True)
        left, right = keras.utils.split_dataset(ds, 0.8, None, True, 7)
    """
    assert findings_of(code, select=ONLY) == [("DET101", 3, 15)]


def test_image_data_generator_flow_spellings() -> None:
    code = """
        import tf_keras
        from keras.preprocessing.image import ImageDataGenerator as Augment
        gen = tf_keras.preprocessing.image.ImageDataGenerator(rotation_range=10)
        batches = gen.flow(x, y)
        batches = Augment().flow_from_directory("images/", shuffle=True)
        batches = Augment().flow_from_directory("images/", None, (256, 256), "rgb", None, "categorical", 32, False)
    """
    assert findings_of(code, select=ONLY) == [("DET101", 4, 11), ("DET101", 5, 11)]


def test_sample_on_unknown_receivers_needs_pandas_and_n_or_frac() -> None:
    with_pandas = """
        import pandas as pd

        def pick(table):
            return table.sample(n=5)
    """
    without_pandas = with_pandas.replace("import pandas as pd", "import random")
    assert findings_of(with_pandas, select=ONLY) == [("DET101", 4, 12)]
    assert findings_of(without_pandas, select=ONLY) == []
