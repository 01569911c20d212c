"""Kinds of values found within a module: attributes kept on ``self``, chains of dataset methods and
``.sample(`` on values of unknown kind, and directory listings handed to another module's helper."""

from __future__ import annotations

import json
from pathlib import Path

import libcst as cst
import pytest

from cliutil import detlint
from detlint.analysis.facts import FileFacts
from detlint.analysis.project import ProjectIndex, summarize
from lintutil import findings_of

PROJECTS = Path(__file__).parent / "fixtures" / "projects"

CODES = ("DET101", "DET103", "DET104", "DET111", "DET205", "DET304")

EXPECTED = {
    "listing_into_helpers": [
        ("DET205", "prepare.py", 12, 20),
        ("DET205", "prepare.py", 13, 33),
        ("DET205", "prepare.py", 14, 63),
    ],
    "pipeline_chains": [
        ("DET101", "prepare.py", 12, 14),
        ("DET101", "prepare.py", 13, 23),
        ("DET101", "prepare.py", 22, 12),
        ("DET101", "prepare.py", 24, 8),
    ],
    "model_on_self": [
        ("DET111", "trainer.py", 24, 9),
        ("DET304", "trainer.py", 29, 9),
    ],
}


def _cli_findings(target: Path, cwd: Path) -> list[tuple[str, str, int, int]]:
    result = detlint("check", "--no-cache", "--exit-zero", "--select", ",".join(CODES), "--format", "json",
                     str(target), cwd=cwd)
    assert result.returncode == 0, result.stderr
    return sorted((f["code"], Path(f["path"]).name, f["line"], f["column"]) for f in json.loads(result.stdout))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_whole_project_and_each_file_give_the_same_findings(name: str, tmp_path: Path) -> None:
    project = PROJECTS / name
    assert _cli_findings(project, tmp_path) == EXPECTED[name]
    per_file = sorted(item for path in sorted(project.glob("*.py")) for item in _cli_findings(path, tmp_path))
    assert per_file == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_do_not_depend_on_the_prefilter(name: str) -> None:
    # findings_of also lints without the pre-filter and asserts both agree.
    files = sorted((PROJECTS / name).glob("*.py"))
    project = ProjectIndex({
        path.stem: summarize(FileFacts(cst.parse_module(path.read_text()), path.name, path.stem)) for path in files
    })
    found = sorted(
        (code, path.name, line, column)
        for path in files
        for code, line, column in findings_of(path.read_text(), select=set(CODES), path=path.name,
                                              project=project, module_name=path.stem)
    )
    assert found == EXPECTED[name]


def test_the_summary_names_the_parameters_a_helper_uses_in_order() -> None:
    path = PROJECTS / "listing_into_helpers" / "images.py"
    summary = summarize(FileFacts(cst.parse_module(path.read_text()), path.name, "images"))
    assert {name: [(index, parameter) for index, parameter, _ in found]
            for name, found in summary.ordered_parameters.items()} == {
        "load_stack": [(0, "paths")],
        "pair_masks": [(0, "images"), (None, "masks")],
    }


def test_a_listing_passed_to_a_helper_that_only_counts_it_is_clean() -> None:
    helpers = "def count(paths):\n    return len(paths)\n\ndef load(paths):\n    return list(paths)\n"
    project = ProjectIndex({"helpers": summarize(FileFacts(cst.parse_module(helpers), "helpers.py", "helpers"))})
    code = """
        import glob
        from helpers import count, load

        count(glob.glob("*.png"))
        load(glob.glob("*.png"))
        load(paths=glob.glob("*.jpg"))
    """
    assert findings_of(code, select={"DET205"}, project=project, module_name="main") == [
        ("DET205", 5, 6), ("DET205", 6, 12)]


def test_wrappers_around_a_listing_are_followed_to_the_outermost_call() -> None:
    code = """
        import glob

        a = sorted(list(list(map(str, glob.glob("a/*.png")))))
        b = sorted(map(str, list(glob.glob("b/*.png"))))
        c = list(tuple(filter(None, glob.glob("c/*.png"))))
    """
    assert findings_of(code, select={"DET205"}) == [("DET205", 5, 29)]


def test_a_dataset_chain_needs_a_tensorflow_import_and_unknown_root() -> None:
    chain = "def batches(ds, items):\n    a = ds.cache().prefetch(2).shuffle(64)\n    b = items.copy().shuffle(3)\n"
    assert findings_of("import tensorflow as tf\n" + chain, select={"DET101"}) == [("DET101", 3, 9)]
    assert findings_of("import numpy as np\n" + chain, select={"DET101"}) == []
    known = "import tensorflow as tf\nimport numpy as np\nx = np.arange(4).repeat(2).shuffle(2)\ny = [1].copy()\n"
    assert findings_of(known, select={"DET101"}) == []


def test_a_sample_on_a_split_output_is_a_dataframe_sample() -> None:
    code = """
        import pandas as pd
        from sklearn.model_selection import train_test_split

        train, test = train_test_split(pd.read_csv("t.csv"), random_state=0)
        a = train.sample(frac=0.5)
        b = train.sample(frac=0.5, random_state=1)
        c = train.sample(5)
    """
    assert findings_of(code, select={"DET101"}) == [("DET101", 5, 5)]


def test_attribute_stores_that_disagree_leave_the_kind_unknown() -> None:
    code = """
        import tensorflow as tf

        class Loader:
            def __init__(self, rows):
                self.data = list(rows)
                self.ds = None

            def to_dataset(self):
                self.data = tf.data.Dataset.from_tensor_slices(self.data)
                self.ds = tf.data.Dataset.range(8)
                self.ds = self.ds.batch(2)

            def epoch(self):
                return self.data.shuffle(4), self.ds.shuffle(4)
    """
    assert findings_of(code, select={"DET101"}) == [("DET101", 14, 38)]


def test_a_helper_that_only_hands_the_listing_back_is_not_an_ordered_use() -> None:
    helpers = "def keep_images(paths):\n    return paths\n"
    summary = summarize(FileFacts(cst.parse_module(helpers), "helpers.py", "helpers"))
    assert summary.ordered_parameters == {}


def test_a_cached_result_follows_a_change_of_the_helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from detlint.api import run
    from detlint.config import Options

    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "helpers.py").write_text("def load(paths):\n    return [open(p).read() for p in paths]\n")
    (tmp_path / "prepare.py").write_text("import glob\nfrom helpers import load\n\ntexts = load(glob.glob('*.txt'))\n")
    monkeypatch.chdir(tmp_path)

    def found() -> list[tuple[str, str, int, int]]:
        result = run(["prepare.py"], Options())
        assert not result.errors
        return [(f.path, f.code, f.line, f.column) for f in result.findings]

    assert found() == [("prepare.py", "DET205", 4, 14)]
    (tmp_path / "helpers.py").write_text("def load(paths):\n    return len(paths)\n")
    assert found() == []


def test_an_attribute_holding_another_modules_value_stays_of_unknown_kind() -> None:
    # Its `.fit(` is still training in a module that imports Keras (typing may be approximate).
    code = """
        import keras

        from models import build_unet


        class Trainer:
            def __init__(self):
                self.model = build_unet()
                self.backup = self.restore()

            def restore(self):
                return build_unet()

            def fit(self, images):
                self.backup.fit(images)
                self.model.fit(images)
    """
    assert findings_of(code, select={"DET103"}) == [("DET103", 15, 9)]
