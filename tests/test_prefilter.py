"""The pre-filter may only skip work, never findings.

Every rule snippet, fixture and doc example is already linted with and without the ``ast`` stage by
``lintutil.lint_snippet``; here the same comparison runs on the bundled examples and on a sample of
real library code (scikit-learn, Keras, TensorFlow sources when installed), and the index itself is
checked on the shapes its predicates rely on.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

from detlint.analysis.project import ProjectIndex, ProjectLoader, module_name_for
from detlint.analysis.syntax import build_index
from detlint.engine import Selection, lint_bytes
from detlint.prefilter import candidate_rules, rules_needed
from detlint.rules import all_rules

ROOT = Path(__file__).resolve().parents[1]
ALL = Selection(frozenset(all_rules()))
SAMPLE_EVERY = 12  # files of each installed package (every Nth, in sorted order)
# Multi-module projects: each file is linted with its project's index, as a run on the folder does.
PROJECT_FOLDERS = sorted(p for base in (ROOT / "tests" / "fixtures" / "projects", ROOT / "bench" / "recall" / "projects")
                         if base.is_dir() for p in base.iterdir() if p.is_dir())


def _library_sample() -> list[Path]:
    files: list[Path] = []
    for package in ("sklearn", "keras", "tensorflow"):
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        folder = Path(list(spec.submodule_search_locations)[0])
        found = sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)
        files.extend(found[::SAMPLE_EVERY] if package != "tensorflow" else found[:: SAMPLE_EVERY * 6])
    return files


def _same_findings(path: Path) -> None:
    data = path.read_bytes()
    filtered = lint_bytes(data, path.name, ALL)
    unfiltered = lint_bytes(data, path.name, ALL, prefilter=False)
    assert [(f.code, f.line, f.column, f.message) for f in filtered.findings] == \
        [(f.code, f.line, f.column, f.message) for f in unfiltered.findings]


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _same_findings_in_project(index: ProjectIndex, root: Path, path: Path) -> None:
    """One file checked with its project's index, as a run on the folder does (the index is shared by the
    files of a run), gives the same findings with and without the pre-filter."""
    data = path.read_bytes()
    module = module_name_for(path, root) or path.stem
    found = []
    for prefilter in (True, False):
        index.begin(module)
        result = lint_bytes(data, str(path.relative_to(root)), ALL, index, module, prefilter=prefilter)
        found.append([(f.code, f.line, f.column, f.message) for f in result.findings])
    assert found[0] == found[1], path


@pytest.mark.parametrize("root", PROJECT_FOLDERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_project_files_lose_nothing(root: Path) -> None:
    index = ProjectIndex(loader=ProjectLoader(root, lambda _: False))
    for path in _python_files(root):
        _same_findings_in_project(index, root, path)


# A helper module that fits a preprocessor and returns it (in the shapes the DET301 pre-filter reads),
# called by a script that saves the model: the helper is reported there, with or without the pre-filter.
RETURNED_PREPROCESSOR_HELPERS = [
    "from sklearn.preprocessing import StandardScaler\ndef prepare(x):\n    s = StandardScaler()\n"
    "    s.fit(x)\n    return s\n",
    "from sklearn.preprocessing import StandardScaler as SS\ndef prepare(x):\n    return SS().fit(x)\n",
    "import sklearn.preprocessing as pp\ndef prepare(x):\n    s = pp.MinMaxScaler().fit(x)\n"
    "    out = {'s': s}\n    return out\n",
    "from sklearn import preprocessing\ndef prepare(x):\n    s = preprocessing.StandardScaler()\n"
    "    s.fit(x)\n    return x, s\n",
    "from sklearn.preprocessing import StandardScaler\ndef new():\n    return StandardScaler()\n"
    "def prepare(x):\n    s = new()\n    s.fit(x)\n    return s\n",
    "from sklearn.preprocessing import StandardScaler\nfrom sklearn.pipeline import Pipeline\n"
    "def prepare(x):\n    s = StandardScaler().fit(x)\n    return Pipeline([('s', s)])\n",
    "from sklearn.preprocessing import StandardScaler\ndef prepare(x):\n    s = StandardScaler()\n"
    "    x = s.fit_transform(x)\n    return x, s\n",
    "from sklearn.preprocessing import StandardScaler\ndef prepare(x):\n    with StandardScaler() as s:\n"
    "        s.fit(x)\n    return s\n",
    "from sklearn.preprocessing import StandardScaler\nS = StandardScaler\ndef prepare(x):\n    s = S()\n"
    "    s.fit(x)\n    return s\n",
    "from tensorflow.keras.layers import Normalization\ndef prepare(x):\n    n = Normalization()\n"
    "    n.adapt(x)\n    return n\n",
    "from sklearn.preprocessing import StandardScaler\ndef prepare(x, s=StandardScaler()):\n"
    "    s.fit(x)\n    return s\n",
    "from sklearn.preprocessing import StandardScaler\ndef prepare(x):\n"
    "    scalers = [StandardScaler()]\n    for s in scalers:\n        s.fit(x)\n    return scalers\n",
    "from sklearn.preprocessing import StandardScaler\ndef prepare(x):\n    s = StandardScaler()\n"
    "    t = s\n    t.fit(x)\n    return t\n",
    "from sklearn.preprocessing import *\ndef prepare(x):\n    s = StandardScaler()\n    s.fit(x)\n"
    "    return s\n",
    "from sklearn.preprocessing import StandardScaler\ndef prepare(x):\n"
    "    (s := StandardScaler()).fit(x)\n    return s\n",
    "from sklearn.preprocessing import StandardScaler\ndef prepare(x):\n    s = StandardScaler()\n"
    "    s.fit(x)\n    return [s][0]\n",
]
SAVING_CALLER = ("import keras\nfrom prep import prepare\nkeras.utils.set_random_seed(1)\nscaler = prepare([[1.0]])\n"
                 "model = keras.Sequential([])\nmodel.fit([1], [1])\nmodel.save('m.keras')\n")


@pytest.mark.parametrize("helper", RETURNED_PREPROCESSOR_HELPERS, ids=range(len(RETURNED_PREPROCESSOR_HELPERS)))
def test_preprocessors_returned_to_a_saving_caller_lose_nothing(helper: str, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "prep.py").write_text(helper)
    (tmp_path / "train.py").write_text(SAVING_CALLER)
    index = ProjectIndex(loader=ProjectLoader(tmp_path, lambda _: False))
    for path in (tmp_path / "train.py", tmp_path / "prep.py"):
        _same_findings_in_project(index, tmp_path, path)


@pytest.mark.slow
@pytest.mark.parametrize("package", ["keras", "sklearn"])
def test_library_code_in_its_package_loses_nothing(package: str) -> None:
    """Every 12th file of an installed library, checked as part of its package: imports between the
    package's modules resolve through the project index (other installed packages are left out)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        pytest.skip(f"{package} is not installed")
    folder = Path(list(spec.submodule_search_locations)[0])
    root = folder.parent

    def outside_the_package(path: Path) -> bool:
        return path != folder and folder not in path.parents

    index = ProjectIndex(loader=ProjectLoader(root, outside_the_package))
    for path in _python_files(folder)[::SAMPLE_EVERY]:
        _same_findings_in_project(index, root, path)


@pytest.mark.parametrize("path", sorted((ROOT / "examples").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_examples_lose_nothing(path: Path) -> None:
    _same_findings(path)


@pytest.mark.slow
def test_library_code_loses_nothing() -> None:
    sample = _library_sample()
    if not sample:
        pytest.skip("no scikit-learn, Keras or TensorFlow installed to sample")  # the probe extra installs them
    for path in sample:
        _same_findings(path)


def test_library_sample_is_mostly_filtered() -> None:
    """The point of the stage: most library files need no LibCST parse for the default rules."""
    sample = _library_sample()
    if not sample:
        pytest.skip("no scikit-learn, Keras or TensorFlow installed to sample")
    rules = [rule for code, rule in all_rules().items() if rule.meta.default_enabled and code != "DET000"]
    kept = 0
    for path in sample:
        text = path.read_text(encoding="utf-8", errors="replace")
        candidates = candidate_rules(text, rules)
        if candidates and rules_needed(ast.parse(text), candidates):
            kept += 1
    assert kept < len(sample) / 2, f"{kept} of {len(sample)} library files still need LibCST"


def _index(code: str):  # type: ignore[no-untyped-def]
    return build_index(ast.parse(code))


def test_calls_through_import_aliases_count_under_the_imported_name() -> None:
    index = _index("from sklearn.model_selection import train_test_split as tts\ntts(x, random_state=1)\n")
    assert {"tts", "train_test_split"} <= index.called
    assert not index.may_call_lacking(["train_test_split"], "random_state")
    assert _index("from sklearn.model_selection import train_test_split as tts\ntts(x)\n").may_call_lacking(
        ["train_test_split"], "random_state")


def test_value_aliases_are_followed_to_their_calls() -> None:
    bound = "import numpy as np\nmake = np.random.default_rng\nother = make\n"
    assert _index(bound + "rng = other()\n").may_call_lacking(["default_rng"], "seed", 0)
    assert not _index(bound + "rng = other(0)\n").may_call_lacking(["default_rng"], "seed", 0)
    assert _index(bound + "rng = other(seed=None)\n").may_pass(["default_rng"], frozenset({"seed"}), none=True)
    # returned, it may be called anywhere under any name
    returned = "import numpy as np\ndef f():\n    return np.random.default_rng\nrng = f()(0)\n"
    assert _index(returned).may_call_lacking(["default_rng"], "seed", 0)
    assert _index(returned).may_pass(["default_rng"], frozenset({"seed"}), none=True)


def test_strings_and_comments_do_not_count() -> None:
    index = _index('"""train_test_split(x)"""\n# train_test_split(x)\nprint("train_test_split")\n')
    assert "train_test_split" not in index.called | index.referenced | index.aliased


def test_random_module_draws_need_a_random_module_receiver() -> None:
    code = ("import numpy as np\nimport random as r\nfrom numpy.random import permutation\n"
            "np.random.rand(3)\nr.shuffle(x)\nrng.randint(3)\nnr = np.random\nnr.normal()\n")
    assert _index(code).random_module_calls == {"rand", "shuffle", "permutation", "normal"}


def test_set_orders_in_ordered_and_unordered_contexts() -> None:
    ordered = ["list(set(y))", "labels = set(y)\nfor v in labels: out.append(v)", "[v for v in {a, b}]",
               "s = set(a) | set(b)\nt = s\nenumerate(t)", "list(set(a).union(b))", "','.join(set(y))"]
    unordered = ["sorted(set(y))", "x in set(y)", "len(set(y))", "labels = set(y)\nsorted(labels)",
                 "{v: 1 for v in set(y)}", "return_value = [set(y)]"]
    assert [_index(code).set_in_ordered_context for code in ordered] == [True] * len(ordered)
    assert [_index(code).set_in_ordered_context for code in unordered] == [False] * len(unordered)


# Where a set's order goes: (code around ``S``, whether DET204 reports it). Consumers that discard the
# order, directly or through order-passing builtins and comprehensions, and those that keep it.
SET_ORDER_USES = [
    ("sorted(S)", False), ("any(S)", False), ("x in list(S)", False), ("sorted(list(S))", False),
    ("sorted(list(map(str, S)))", False), ("max(v for v in S)", False), ("all([v for v in S])", False),
    ("sorted(t for t in set(v for v in S))", False), ("y.isin(list(S))", False), ("a.union([v for v in S])", False),
    ("{*S}", False), ("f(*S)", False), ("x in [v for v in S]", False),
    ("list(S)", True), ("[*S]", True), ("(*S,)", True), ("r = [v for v in S]", True), ("zip(S, y)", True),
    ("enumerate(v for v in S)", True), ("sorted(enumerate(S))", True), ("list(list(S))", True),
    ("r = list(map(str, S))", True), ("r = list(S)\nr.sort()", False), ("r = list(S)\nx = r[0]\nr.sort()", False),
    ("r = list(S)\nr = other\nr.sort()", True), ("def f():\n    r = list(S)\ndef g():\n    r.sort()", True),
    ("r = [v for v in S]\nr.sort(key=len)", False),
]
# Uses the rule does not report but the index, judging less, keeps: the rule runs and finds nothing.
SET_ORDER_KEPT_BY_INDEX = ["sorted(*list(S))", "sorted([*S])"]
# Bindings that make a builtin name something else: the order-free exemption no longer holds.
SHADOWINGS = ["", "sorted = list\nmax = list\nany = list\nall = list\n", "def g(sorted, max, all, any): pass\n",
              "from helpers import *\n", "try:\n    pass\nexcept E as list:\n    pass\n",
              "for map in x:\n    pass\n", "import list, sorted\n"]


@pytest.mark.parametrize("shadowing", SHADOWINGS, ids=range(len(SHADOWINGS)))
@pytest.mark.parametrize(("use", "reported"), SET_ORDER_USES + [(use, None) for use in SET_ORDER_KEPT_BY_INDEX],
                         ids=[u for u, _ in SET_ORDER_USES] + SET_ORDER_KEPT_BY_INDEX)
def test_set_order_exemptions_agree_with_the_rule(use: str, reported: bool | None, shadowing: str) -> None:
    """The index exempts a set only where DET204 itself cannot report it, and exempts the common
    order-free uses; a shadowed builtin name is no exemption for either."""
    code = shadowing + use.replace("S", "set(y)") + "\n"
    found = [(f.code, f.line) for f in lint_bytes(code.encode(), "t.py", Selection(frozenset({"DET204"})),
                                                  prefilter=False).findings]
    index_says = _index(code).set_in_ordered_context
    if found:
        assert index_says, code
    if not shadowing:
        assert bool(found) is bool(reported), code
        assert index_says is (reported is not False), code


# Where a listing iterated by a comprehension goes: (code around ``L``, whether DET205 reports it).
LISTING_IN_COMPREHENSION_USES = [
    ("names = sorted(n for n in L if n)", False), ("names = {n.lower() for n in L}", False),
    ("sizes = {n: 1 for n in L}", False), ("count = len([n for d in ds for n in L])", False),
    ("names = [n for n in L]\nnames.sort()", False), ("found = 'a' in [n for n in L]", False),
    ("names = sorted([n for n in L], key=len)", False), ("names = sorted(list(n for n in L))", False),
    ("names = [n for n in L]", True), ("names = list(n for n in L)", True), ("first = next(n for n in L)", True),
    ("names = sorted([n for n in list(L)])", True), ("names = [n for n in L]\nnames = other\nnames.sort()", True),
    ("pairs = sorted(enumerate(n for n in L))", True), ("names = [[n for n in L]]", True),
]


# A receiver named ``random``: (rule, source, whether the predicate holds, whether the rule reports; None:
# not asked). Only a name an import binds to another library is not a random module.
RANDOM_RECEIVERS = [
    ("DET105", "from keras.src import random\nx = random.uniform(s)\n", False, False),
    ("DET105", "from keras.src import ops\nx = ops.random.normal(s)\n", False, False),
    ("DET105", "import keras\nx = keras.random.uniform(s)\n", False, False),
    ("DET105", "import tensorflow as tf\nx = tf.random.uniform(s)\n", False, False),
    ("DET105", "import keras.random as random\nx = random.uniform(s)\n", False, False),
    ("DET105", "x = np.random.rand(3)\n", True, True),
    ("DET105", "import random\nx = random.random()\n", True, True),
    ("DET105", "x = random.random()\n", True, None),
    ("DET105", "from numpy import random\nx = random.rand(3)\n", True, True),
    ("DET105", "import numpy.random as random\nx = random.rand(3)\n", True, True),
    ("DET105", "from .helpers import random\nx = random.rand(3)\n", True, None),
    ("DET105", "from keras.src import random\ndef f(random):\n    return random.rand(3)\n", True, None),
    ("DET105", "from keras.src import random\nrandom = np.random\nx = random.rand(3)\n", True, True),
    ("DET105", "from keras.src import random\ndef f():\n    import random\n    return random.random()\n", True, True),
    ("DET105", "from keras.src import random\nfrom helpers import *\nx = random.random()\n", True, None),
    ("DET108", "from keras.src import random\nrng = np.random.default_rng(random.randint(10))\n", False, False),
    ("DET108", "import random\nrng = np.random.default_rng(random.randint(10))\n", True, True),
]


# DET105: (source, whether the predicate holds, whether the rule reports; None: not asked). Draws and seeds
# count only where the analysis surely resolves them: a seed under a name bound otherwise, imported from
# a project module or through a star import, or later than a module-level draw, satisfies nothing.
GLOBAL_DRAW_CASES = [
    ("import numpy as np\nx = np.random.rand(3)\n",
     True, True),
    ("import numpy as np\nnp.random.seed(0)\nx = np.random.rand(3)\n",
     False, False),
    ("import numpy as np\nx = np.random.rand(3)\nnp.random.seed(0)\n",
     True, True),
    ("import numpy as np\ndef f():\n    np.random.seed(0)\n    return np.random.rand(3)\n",
     False, False),
    ("import numpy as np\ndef f():\n    x = np.random.rand(3)\n    np.random.seed(0)\n",
     True, True),
    ("import numpy as np\ndef f():\n    x = np.random.rand(3)\n    np.random.seed(0)\ndef g():\n"
     "    np.random.seed(1)\n",
     False, False),
    ("import numpy as np\nnp.random.seed(0)\ndef f():\n    return np.random.rand(3)\n",
     False, False),
    ("import numpy as np\ndef f():\n    return np.random.rand(3)\nnp.random.seed(0)\n",
     False, False),
    ("import numpy as np\nclass T:\n    def setUp(self):\n        np.random.seed(0)\n    def test(self):\n"
     "        return np.random.rand(3)\n",
     False, False),
    ("import numpy as np\nf = lambda: np.random.rand(3)\nnp.random.seed(0)\n",
     False, False),
    ("import numpy as np\ndef f():\n    g = lambda: np.random.rand(3)\n    np.random.seed(0)\n",
     False, False),
    ("import numpy as np\ndef f():\n    np.random.seed(0)\nx = np.random.rand(3)\n",
     True, True),
    ("import numpy as np\nclass C:\n    np.random.seed(0)\n    x = np.random.rand(3)\n",
     False, False),
    ("import random\nimport numpy as np\nnp.random.seed(0)\nx = random.random()\n",
     True, True),
    ("import random\nrandom.seed(0)\nx = random.random()\n",
     False, False),
    ("import numpy as np\nimport keras\nkeras.utils.set_random_seed(0)\nx = np.random.rand(3)\n",
     False, False),
    ("import numpy as np\nfrom keras.utils import set_random_seed\nset_random_seed(0)\nx = np.random.rand(3)\n",
     False, False),
    ("import numpy as np\nimport tensorflow as tf\ntf.keras.utils.set_random_seed(0)\nx = np.random.rand(3)\n",
     False, False),
    ("import numpy as np\nimport tensorflow as tf\ntf.random.set_seed(0)\nx = np.random.rand(3)\n",
     True, True),
    ("import numpy.random as npr\nimport numpy as np\nnpr.seed(0)\nx = npr.rand(3)\n",
     False, False),
    ("from numpy import random\nimport numpy as np\nrandom.seed(0)\nx = random.rand(3)\n",
     False, False),
    ("from numpy.random import seed, rand\nimport numpy as np\nseed(0)\nx = rand(3)\n",
     False, False),
    ("import numpy as np\ndef f(np):\n    np.random.seed(0)\nnp.random.seed(0)\nx = np.random.rand(3)\n",
     True, None),
    ("import numpy as np\nfrom helpers import *\nnp.random.seed(0)\nx = np.random.rand(3)\n",
     True, None),
    ("from helpers import np\nimport numpy\nnp.random.seed(0)\nx = np.random.rand(3)\n",
     True, None),
    ("np.random.seed(0)\nimport numpy as np\nx = np.random.rand(3)\n",
     True, True),
    ("import numpy\ndef f():\n    import numpy as np\n    np.random.seed(0)\nx = numpy.random.rand(3)\n",
     True, True),
    ("import numpy\ndef f():\n    import numpy as np\n    np.random.seed(0)\ndef g():\n"
     "    return np.random.rand(3)\n",
     True, None),
    ("import numpy as np\ns = np.random.seed\ns(0)\nx = np.random.rand(3)\n",
     True, False),
    ("import numpy as np\nnp.random.seed(0)\nr = np.random.rand\nx = r(3)\n",
     True, False),
    ("import numpy as np\nnp.random.seed()\nx = np.random.rand(3)\n",
     False, False),
    ("import numpy as np\nr = np.random.rand\nx = r(3)\n",
     True, True),
]


# DET104: (source, whether the predicate holds, whether the rule reports; None: not asked). A seed matters
# only after a call in its own block that may be a use (a draw, training, a model built, a split...) and
# that no earlier seed there surely controls; blocks as the analysis has them (an ``elif`` test is in the
# first ``if``'s block; a lambda's calls are in none).
SEED_AFTER_USE_CASES = [
    ("import numpy as np\nnp.random.seed(0)\nx = np.random.rand(3)\n",
     False, False),
    ("import numpy as np\nx = np.random.rand(3)\nnp.random.seed(0)\n",
     True, True),
    ("import numpy as np\ndef f():\n    np.random.seed(0)\n    x = np.random.rand(3)\n    np.random.seed(1)\n",
     False, False),
    ("import numpy as np\nimport keras\ndef f():\n    m = keras.Sequential()\n    np.random.seed(0)\n",
     True, None),
    ("import keras\ndef f():\n    m = keras.Sequential()\n    keras.utils.set_random_seed(0)\n",
     True, True),
    ("import keras\nfrom keras import layers\ndef f():\n    layer = layers.Dense(3)\n"
     "    keras.utils.set_random_seed(0)\n",
     False, False),
    ("import numpy as np\nx = np.random.rand(3)\nif a:\n    pass\nelif np.random.seed(0):\n    pass\n",
     True, True),
    ("import numpy as np\nif a:\n    x = np.random.rand(3)\nnp.random.seed(0)\n",
     False, False),
    ("import numpy as np\nif a:\n    pass\nelif np.random.rand() > 0.5:\n    pass\nnp.random.seed(0)\n",
     True, True),
    ("import numpy as np\nf = lambda: np.random.rand(3)\nnp.random.seed(0)\n",
     False, False),
    ("import numpy as np\ndef seed_all():\n    np.random.seed(0)\nx = np.random.rand(3)\nseed_all()\n",
     True, True),
    ("import keras\ndef build():\n    return keras.Sequential()\nm = build()\nkeras.utils.set_random_seed(0)\n",
     True, True),
    ("import keras\nclass Net(keras.Model):\n    pass\nm = Net()\nkeras.utils.set_random_seed(0)\n",
     True, True),
    ("import numpy as np\ns = np.random.seed\nx = np.random.rand(3)\ns(0)\n",
     True, True),
    ("import keras\nS = keras.Sequential\nm = S()\nkeras.utils.set_random_seed(0)\n",
     True, True),
    ("import numpy as np\nfrom sklearn.model_selection import train_test_split\na, b = train_test_split(X)\n"
     "np.random.seed(0)\n",
     True, None),
    ("import keras\nm.fit(x)\nkeras.utils.set_random_seed(0)\n",
     True, None),
    ("import numpy as np\nif a:\n    np.random.seed(1)\nx = np.random.rand(3)\nnp.random.seed(0)\n",
     True, True),
    ("import numpy as np\nx = [np.random.rand(3), np.random.seed(0)]\n",
     True, True),
    ("import numpy as np\nnp.random.seed(np.random.randint(10))\n",
     False, False),
    ("import numpy as np\ndef rng():\n    return np.random\nrng().seed(0)\n",
     True, None),
    ("from .helpers import seed_all\nimport numpy as np\nx = np.random.rand(3)\nseed_all()\n",
     True, None),
    ("import numpy as np\nclass T:\n    x = np.random.rand(3)\n    np.random.seed(0)\n",
     True, True),
    ("import numpy as np\ntry:\n    pass\nexcept make_error(np.random.rand()):\n    pass\nnp.random.seed(0)\n",
     True, True),
    ("import numpy as np\nwith ctx(np.random.rand()):\n    pass\nnp.random.seed(0)\n",
     True, True),
    ("import numpy as np\ndef f(x=np.random.rand()):\n    pass\nnp.random.seed(0)\n",
     True, True),
    ("import numpy as np\nimport random\nrandom.seed(0)\nx = np.random.rand(3)\nnp.random.seed(0)\n",
     True, True),
    ("import numpy as np\nimport keras\nkeras.utils.set_random_seed(0)\nx = np.random.rand(3)\nnp.random.seed(0)\n",
     False, False),
    ("import numpy as np\nfor i in range(3):\n    x = np.random.rand(3)\n    np.random.seed(i)\n",
     True, True),
    ("import numpy as np\nwhile go(np.random.rand()):\n    np.random.seed(0)\n",
     False, False),
    ("import numpy as np\nmatch v:\n    case 1 if np.random.rand() > 0.5:\n        pass\nnp.random.seed(0)\n",
     True, True),
    # a seeding helper is a module-level function (also under an ``if``), as the rule follows one
    ("import numpy as np\nclass T:\n    def seed_all(self):\n        np.random.seed(0)\n"
     "    def run(self):\n        x = np.random.rand(3)\n        self.seed_all()\n",
     False, False),
    ("import numpy as np\ndef outer():\n    def helper():\n        np.random.seed(0)\n"
     "    x = np.random.rand(3)\n    helper()\n",
     False, False),
    ("import numpy as np\nif True:\n    def seed_all():\n        np.random.seed(0)\nx = np.random.rand(3)\nseed_all()\n",
     True, True),
    ("import numpy as np\ndef seed_all():\n    np.random.seed(0)\ndef again():\n    seed_all()\n"
     "x = np.random.rand(3)\nagain()\n",
     True, True),
]


# Sets kept in variables: (code, whether the index keeps DET204, whether the rule reports). The rule follows
# a construction widened through ``|`` and ``.union()``, and the names assigned one; ``a | b`` of two set
# variables is no construction, so its order is not followed. Where the index judges less, it keeps.
SET_VARIABLE_USES = [
    ("a = set(x)\nb = set(y)\nr = list(a | b)\n", False, False),
    ("a = set(x)\nr = list(a.union(y))\n", False, False),
    ("a = set(x)\nr = [k for k in a & b]\n", False, False),
    ("a = set(x)\nfor v in a | b:\n    out.append(v)\n", False, False),
    ("r = list(set(x) | b)\n", True, True),
    ("r = list(set(x).union(y))\n", True, True),
    ("a = set(x)\nr = [k for k in (a & b) | set(z)]\n", True, True),
    ("a = set(x)\nb = a - set(y)\nr = list(b)\n", True, True),
    ("a = set(x)\nc = a\nr = list(c)\n", True, True),
    ("a = set(x)\nc = a if f else b\nr = list(c)\n", True, True),
    ("a = set(x)\nb = (a or set())\nr = list(b)\n", True, True),
    ("a = b = set(x)\nr = list(a)\n", True, True),
    ("a: set = set(x)\nr = list(a)\n", True, True),
    ("a = set(x)\na |= set(y)\nr = list(a)\n", True, False),
    ("r = list((a := set(x)))\n", True, False),
    # a variable is one function's own: another function's name is another variable
    ("def f():\n    s = set(x)\ndef g():\n    return list(s)\n", False, False),
    ("def f():\n    s = set(x)\ndef g():\n    t = s\n    return list(t)\n", False, False),
    ("def f():\n    s = set(x)\ndef g():\n    for v in s:\n        out.append(v)\n", False, False),
    ("def f():\n    s = set(x)\n    return list(s)\n", True, True),
    ("s = set(x)\ndef g():\n    return list(s)\n", True, True),
    ("def f():\n    s = set(x)\n    def h():\n        return list(s)\n    return h\n", True, True),
    ("def f():\n    s = set(x)\n    t = s\n    return list(t)\n", True, True),
    ("def f():\n    global s\n    s = set(x)\ndef g():\n    return list(s)\n", True, False),
    ("def f():\n    s = None\n    def h():\n        nonlocal s\n        s = set(x)\n    h()\n    return list(s)\n",
     True, False),
    ("class C:\n    s = set(x)\n    def m(self):\n        return list(s)\n", True, False),
    ("@deco(list(s))\ndef f():\n    s = set(x)\n", True, False),
    ("f = lambda: (s := set(x))\nr = list(s)\n", True, False),
]


@pytest.mark.parametrize(("code", "kept", "reported"), SET_VARIABLE_USES, ids=range(len(SET_VARIABLE_USES)))
def test_set_variables_agree_with_the_rule(code: str, kept: bool, reported: bool) -> None:
    found = [f.code for f in lint_bytes(code.encode(), "t.py", Selection(frozenset({"DET204"})),
                                        prefilter=False).findings]
    assert bool(found) is reported, code
    assert _index(code).set_in_ordered_context is kept, code


# DET301: (code between imports and a model save, whether the predicate holds, whether the rule reports).
# A fit counts where its receiver's origin may be a preprocessor's construction as the analysis finds it:
# an item, a conditional, a parameter, a local class, a call chained on a library call is none.
FIT_RECEIVERS = [
    ("s = StandardScaler()\ns.fit(X)\n",
     True, True),
    ("from sklearn.cluster import SpectralClustering\nsp = SpectralClustering()\nsp.fit(X)\n",
     False, False),
    ("class P:\n    pass\ne = P().fit(X)\ne.fit(X)\n",
     False, False),
    ("from sklearn.base import clone\ndef f(estimator, X):\n    estimator = clone(estimator)\n"
     "    estimator.fit(X)\n    return estimator\n",
     False, False),
    ("with StandardScaler() as s:\n    s.fit(X)\n",
     True, True),
    ("def make_scaler():\n    return StandardScaler()\ns = make_scaler()\ns.fit(X)\n",
     True, True),
    ("s = scalers[0]\ns.fit(X)\n",
     False, False),
    ("s = StandardScaler() if a else MinMaxScaler()\ns.fit(X)\n",
     False, False),
    ("s = (t := StandardScaler())\ns.fit(X)\n",
     True, True),
    ("import sklearn.preprocessing as pp\ns = pp.StandardScaler()\ns.fit(X)\n",
     True, True),
    ("import sklearn\ndef mod():\n    return sklearn.preprocessing\ns = mod().StandardScaler()\ns.fit(X)\n",
     True, True),
    ("s = np.array(x).reshape(1)\ns.fit(X)\n",
     False, False),
    ("class M:\n    def __init__(self):\n        self.s = StandardScaler()\n    def train(self, X):\n"
     "        s = self.s\n        s.fit(X)\n",
     True, True),
    ("s = StandardScaler().fit(X)\n",
     True, True),
    ("StandardScaler().fit(X)\n",
     True, True),
    ("e = P().fit(X)\ne.fit(X)\n",
     True, False),
    ("def f():\n    s = StandardScaler()\n    s.fit(X)\n",
     True, True),
    ("def f(s):\n    s.fit(X)\n",
     False, False),
    ("s = StandardScaler()\ndef f():\n    s.fit(X)\n",
     True, True),
    ("def f():\n    s.fit(X)\n    s = 3\ns = StandardScaler()\n",
     True, True),
    ("S = StandardScaler\ns = S()\ns.fit(X)\n",
     True, True),
    ("s = [StandardScaler()][0]\ns.fit(X)\n",
     False, False),
    ("for s in [StandardScaler()]:\n    s.fit(X)\n",
     True, False),
    ("a, b = StandardScaler(), 1\na.fit(X)\n",
     True, False),
    ("t = StandardScaler()\ns = t\ns.fit(X)\n",
     True, True),
    ("s = get()[0].fit(X)\n",
     False, False),
    ("s = make().fit(X)\ns.transform(X)\n",
     False, False),
]
FIT_PREFIX = "import joblib\nimport numpy as np\nfrom sklearn.preprocessing import StandardScaler, MinMaxScaler\n"
FIT_SUFFIX = "joblib.dump(model, 'm.pkl')\n"


# DET202: (code after a dataset is made, whether the predicate holds, whether the rule reports). Only
# ``deterministic`` passed what ``literal`` may read as False counts: ``False``, or a module constant.
PIPELINE_CASES = [
    ("ds = ds.map(f, deterministic=False)\n", True, True),
    ("ds = ds.map(f, num_parallel_calls=2, deterministic=True)\n", False, False),
    ("ds = ds.map(f, 2, False)\n", True, True),
    ("ds = ds.map(f, 2, True)\n", False, False),
    ("FLAG = False\nds = ds.map(f, deterministic=FLAG)\n", True, True),
    ("ds = ds.map(f, deterministic=flag())\n", False, False),
    ("ds = ds.map(f, *rest)\n", True, False),
    ("ds = ds.batch(4, True, 2, False)\n", True, True),
    ("ds = ds.interleave(f, 2, 1, 2, False)\n", True, True),
    ("x = builtins.map(f, g(x))\n", False, False),
    ("m = ds.map\nds = m(f, deterministic=False)\n", False, False),
    ("ds = ds.map(f, deterministic=None)\n", False, False),
    ("ds = ds.parallel_interleave(f, deterministic=False)\n", True, True),
    ("ds = ds.map(f, **{'deterministic': False})\n", False, False),
    ("ds = ds.map(f, 2, not True)\n", False, False),
    ("x = builtins.map(f, a, b)\n", False, False),
    ("A = False\nB = A\nds = ds.map(f, 2, B)\n", True, True),
    ("def g():\n    F = False\n    return ds.map(f, 2, F)\n", False, False),
    ("opts = tf.data.Options()\nopts.deterministic = False\n", True, True),
    ("ds = tf.data.experimental.parallel_interleave(f, 2, sloppy=True)\n", True, True),
]


# DET207: (code, whether the predicate holds, whether the rule reports). A plain call of ``hash`` (or a name
# bound to it) with one argument, outside ``__hash__``, whose result is not dropped as a statement.
HASH_CASES = [
    ("b = hash(name) % 10\n", True, True),
    ("hash(name)\n", False, False),
    ("b = x.hash(name) % 10\n", False, False),
    ("h = hash\nb = h(name) % 10\n", True, True),
    ("class K:\n    def __hash__(self):\n        return hash(self.k)\n", False, False),
    ("class K:\n    def __hash__(self):\n        def g():\n            return hash(self.k) % 3\n"
     "        return g()\n", False, False),
    ("b = hash(*names) % 10\n", False, False),
    ("b = hash(a, b) % 10\n", False, False),
    ("def hash(x):\n    return 1\nb = hash(name) % 10\n", True, False),
    ("def f():\n    hash = len\nb = hash(name) % 10\n", True, True),
    ("ids.append(hash(name))\n", True, True),
    ("x = hash(name)\n", True, False),
    ("with pytest.raises(TypeError):\n    hash(obj)\n", False, False),
    ("seed = hash(name)\nrng = np.random.default_rng(seed)\n", True, False),
    ("assert hash(a) == hash(b)\n", True, False),
]


# DET103: (code, whether the predicate holds, whether the rule reports). A ``.fit``/``.search`` method of a
# module of the standard library or of a library outside the Keras family (``re.search``) is no training.
TRAINING_CASES = [
    ("import keras\nimport re\nif re.search(p, s):\n    pass\n", False, False),
    ("import keras\nm = keras.Sequential()\nm.fit(x, y)\n", True, True),
    ("import keras\nimport re as regex\nregex.search(p, s)\n", False, False),
    ("import keras\nfrom re import search\nsearch(p, s)\n", False, False),
    ("import keras\nimport numpy as np\nnp.fit(x)\n", False, False),
    ("import keras\nfrom keras import models\nmodels.fit(x)\n", True, True),
    ("import keras\nimport re\nre = model\nre.fit(x)\n", True, True),
    ("import keras\nimport re\ndef f(re):\n    re.fit(x)\n", True, True),
    ("import keras\nimport sklearn\nsklearn.svm.SVC().fit(x, y)\n", True, False),
    ("import keras\ndef f(model):\n    model.fit(x)\n", True, True),
    ("import keras\nimport os.path\nos.path.fit(x)\n", False, False),
    ("import keras\nimport tensorflow as tf\ntf.fit(x)\n", True, False),
    ("import keras\nfrom utils import trainer\ntrainer.fit(x)\n", True, False),
    ("import keras_tuner as kt\nimport re\ntuner = kt.RandomSearch(b)\ntuner.search(x, y)\n", True, True),
]


# Every agreement table above, as (rule, source, whether the predicate holds, whether the rule reports).
AGREEMENT_CASES = [
    *(("DET205", "import os\n" + use.replace("L", "os.listdir(d)") + "\n", reported, reported)
      for use, reported in LISTING_IN_COMPREHENSION_USES),
    *((code, "import numpy as np\n" + source, predicate, reported)
      for code, source, predicate, reported in RANDOM_RECEIVERS),
    *(("DET105", source, predicate, reported) for source, predicate, reported in GLOBAL_DRAW_CASES),
    *(("DET104", source, predicate, reported) for source, predicate, reported in SEED_AFTER_USE_CASES),
    *(("DET301", FIT_PREFIX + body + FIT_SUFFIX, predicate, reported)
      for body, predicate, reported in FIT_RECEIVERS),
    *(("DET202", "import tensorflow as tf\nds = tf.data.Dataset.range(3)\n" + body, predicate, reported)
      for body, predicate, reported in PIPELINE_CASES),
    *(("DET207", code, predicate, reported) for code, predicate, reported in HASH_CASES),
    *(("DET103", code, predicate, reported) for code, predicate, reported in TRAINING_CASES),
]


@pytest.mark.parametrize(("code", "source", "predicate", "reported"), AGREEMENT_CASES,
                         ids=[f"{case[0]}-{i}" for i, case in enumerate(AGREEMENT_CASES)])
def test_predicates_agree_with_their_rules(code: str, source: str, predicate: bool, reported: bool | None) -> None:
    _agrees(code, source, predicate, reported)


def test_visible_kwargs_dict_passes_only_its_keys() -> None:
    assert _index('f(**{"seed": 1})').may_call_lacking(["f"], "seed") is False
    assert _index('f(**{"other": 1})').may_call_lacking(["f"], "seed") is True
    # A name may be bound once to a visible dict literal that lacks the keyword: "may".
    assert _index("f(**options)").may_call_lacking(["f"], "seed") is True
    assert _index("f(**load())").may_call_lacking(["f"], "seed") is False


def test_seed_sources_are_followed_through_names_and_aliases() -> None:
    """DET108 sees a seed computed from the clock or a global draw through assignments and aliases."""
    from lintutil import findings_of

    for code in ("import time\nimport numpy as np\nt = time.time\ns = int(t())\nrng = np.random.default_rng(s)\n",
                 "from time import time as now\nimport numpy as np\nrng = np.random.default_rng(int(now()))\n",
                 "import numpy as np\nr = np.random.randint\nrng = np.random.default_rng(r(10))\n",
                 "from numpy.random import randint as r\nimport numpy as np\nrng = np.random.default_rng(r(10))\n",
                 # through names assigned from names, to any depth
                 "import time\nimport numpy as np\nt = time.time()\nu = t * 1000\ns = int(u)\n"
                 "rng = np.random.default_rng(s)\n"):
        assert [code_ for code_, _, _ in findings_of(code, select={"DET108"})] == ["DET108"], code
        assert _needs("DET108", code), code


def test_loops_over_sets_count_only_when_they_build_an_order() -> None:
    assert _index("for v in set(y):\n    out.append(v)\n").set_in_ordered_context
    assert _index("for v in set(y):\n    total += 1\n").set_in_ordered_context
    assert _index("def f():\n    for v in set(y):\n        yield v\n").set_in_ordered_context
    assert not _index("for v in set(y):\n    print(v)\n").set_in_ordered_context
    assert not _index("for v in set(y):\n    def g():\n        out.append(v)\n").set_in_ordered_context


def _needs(code: str, source: str) -> bool:
    needs = all_rules()[code].meta.needs
    assert needs is not None
    return needs(_index(source))


def _agrees(code: str, source: str, predicate: bool, reported: bool | None) -> None:
    """The rule's predicate says ``predicate`` on ``source`` and, wherever the rule itself (pre-filter off)
    reports, says "may"; the rule reports as ``reported`` says (None: not asked)."""
    found = [f.code for f in lint_bytes(source.encode(), "t.py", Selection(frozenset({code})),
                                        prefilter=False).findings]
    says = _needs(code, source)
    if found:
        assert says, source
    assert says is predicate, source
    if reported is not None:
        assert bool(found) is reported, source


# (code, source, whether the rule's pre-filter predicate holds) for each rule's own shapes
NEEDS_CASES = [
    # DET303: a class with constructor arguments, no get_config and a base that may be a Keras layer or model
    ("DET303",     "from tensorflow.keras import layers\nclass A(layers.Layer):\n    def __init__(self, units): pass\n",
     True),
    ("DET303", "from keras.layers import Layer as Base\nclass A(Base):\n    def __init__(self, units): pass\n", True),
    ("DET303", "import keras\nclass B(keras.Model): pass\nclass A(B):\n    def __init__(self, *, units): pass\n", True),
    ("DET303", "Base = make_base()\nclass A(Base):\n    def __init__(self, units): pass\n", True),
    ("DET303", "class A(make_base()):\n    def __init__(self, units): pass\n", True),
    ("DET303", "from sklearn.base import BaseEstimator\nclass A(BaseEstimator):\n"
    "    def __init__(self, alpha): pass\n", False),
    ("DET303",     "import sklearn.base\nclass B(sklearn.base.BaseEstimator): pass\nclass A(B):\n"
    "    def __init__(self, a): pass\n", False),
    ("DET303", "import keras\nclass A(keras.layers.Layer):\n    def __init__(self, units): pass\n"
    "    def get_config(self): return {}\n", False),
    ("DET303", "import keras\nclass A(keras.layers.Layer):\n    def __init__(self): pass\n", False),
    # DET301: a save, a project import, or a module-level function that fits and returns (its callers,
    # anywhere in the project, may save what it returns)
    ("DET301", "from sklearn.preprocessing import StandardScaler\ndef make(x):\n    s = StandardScaler()\n"
    "    s.fit(x)\n    return s\n", True),
    ("DET301", "from sklearn.preprocessing import StandardScaler\ns = StandardScaler()\ns.fit(x)\n"
    "model.save('m.keras')\n", True),
    ("DET301", "from sklearn.preprocessing import StandardScaler\nfrom . import helpers\n"
    "s = StandardScaler().fit(x)\n", True),
    # a method, or a function whose only return is a nested function's: not what callers get
    ("DET301", "from sklearn.preprocessing import StandardScaler\nclass T:\n    def fit(self, x):\n"
    "        self.s = StandardScaler().fit(x)\n        return self\n", False),
    ("DET301", "from sklearn.preprocessing import StandardScaler\ndef test(x):\n    StandardScaler().fit(x)\n"
    "    def score(y):\n        return y\n", False),
    ("DET301", "from sklearn.preprocessing import StandardScaler\ns = StandardScaler().fit(x)\n"
    "print(s.mean_)\n", False),
    # the returning function must return what may hold a fitted preprocessor, as the rule follows it
    ("DET301", "from sklearn.preprocessing import StandardScaler as SS\ndef make(x):\n    return SS().fit(x)\n", True),
    ("DET301", "from sklearn.pipeline import make_pipeline\nfrom sklearn.preprocessing import StandardScaler\n"
    "def make(x, clf):\n    s = StandardScaler().fit(x)\n    return {'steps': make_pipeline(s, clf)}\n", True),
    ("DET301",     "import sklearn.preprocessing as pp\ndef make(x):\n    s = pp.MinMaxScaler()\n    s.fit(x)\n"
    "    bundle = (s, 1)\n    return bundle\n", True),
    ("DET301", "from keras import layers\ndef make(x):\n    norm = layers.Normalization()\n    norm.adapt(x)\n"
    "    return norm\n", True),
    ("DET301", "from sklearn.preprocessing import StandardScaler\ndef new():\n    return StandardScaler()\n"
    "def make(x):\n    s = new()\n    s.fit(x)\n    return s\n", True),
    ("DET301", "from sklearn.preprocessing import StandardScaler\ndef fit_one(estimator, x):\n"
    "    estimator.fit(x)\n    return estimator\n", False),
    ("DET301", "from sklearn.preprocessing import StandardScaler\ndef scale(x):\n    s = StandardScaler()\n"
    "    x = s.fit_transform(x)\n    return x\n", False),
    ("DET301", "from sklearn.linear_model import LogisticRegression\nfrom sklearn.preprocessing import label_binarize\n"
    "def train(x, y):\n    clf = LogisticRegression()\n    clf.fit(x, label_binarize(y, classes=[0, 1]))\n"
    "    return clf\n", False),
    ("DET301", "from sklearn import preprocessing\nclass Scaler:\n    pass\ndef make(x):\n    s = Scaler()\n"
    "    s.fit(x)\n    return s\n", False),
    ("DET301", "from sklearn.preprocessing import StandardScaler\ndef make(x):\n    s = StandardScaler().fit(x)\n"
    "    return describe(s)\n", False),
    # DET205: a call of a listing function or path method, under any alias
    ("DET205", "import os\nfor root, dirs, files in os.walk('.'):\n    pass\n", True),
    ("DET205", "from glob import iglob as find\nnames = list(find('*.csv'))\n", True),
    ("DET205", "from pathlib import Path\nlisting = Path.iterdir\nnames = list(listing(Path('.')))\n", True),
    ("DET205", "import os\n# os.walk(here) lists in file system order\nprint(os.getcwd(), 'glob')\n", False),
    ("DET205", "import os.path\nwalk = 3\nname = os.path.join('a', 'b')\n", False),
    # DET108: a global seed call without a seed, or a seed-taking call (also under a name it is bound to)
    # passing None or a computed seed
    ("DET108", "import numpy as np\nnp.random.seed()\n", True),
    ("DET108", "from sklearn.model_selection import ShuffleSplit\ncv_class = ShuffleSplit\n"
     "cv = cv_class(test_size=0.2, random_state=None)\n", True),
    ("DET108", "import numpy as np\nnp.random.seed(42)\n", False),
    ("DET108", "from sklearn.model_selection import ShuffleSplit\ncv_class = ShuffleSplit\n"
     "cv = cv_class(test_size=0.2, random_state=0)\n", False),
    # a returned parameter is no seed function; a returned import of one may be called anywhere
    ("DET108", "import numpy as np\ndef check(seed):\n    if seed is None:\n        return np.random.mtrand._rand\n"
     "    return seed\n", False),
    ("DET104", "import numpy as np\ndef check(seed):\n    return seed\nx = np.random.rand(3)\n", False),
    ("DET108", "from numpy.random import seed\ndef get():\n    return seed\nget()()\n", True),
    ("DET104", "import numpy as np\nfrom numpy.random import seed\ndef get():\n    return seed\n"
     "x = np.random.rand(3)\nget()(0)\n", True),
    # DET301 in a returning function: a fitted name's latest binding in the function decides, a parameter
    # is never a preprocessor, an assignment in another function does not count
    ("DET301", "from sklearn.preprocessing import StandardScaler\ndef a(s, x):\n    s = StandardScaler()\n"
     "    s.fit(x)\n    return s\n", True),
    ("DET301", "from sklearn.preprocessing import StandardScaler\ndef a(s, x):\n    for s in [StandardScaler()]:\n"
     "        s.fit(x)\n    return s\n", True),
    ("DET301", "from sklearn.preprocessing import StandardScaler\ndef a(s, x):\n    s.fit(x)\n    return s\n"
     "def b():\n    s = StandardScaler()\n    return s\n", False),
    ("DET301", "from sklearn.ensemble import GradientBoostingRegressor as G\nfrom sklearn.preprocessing import "
     "StandardScaler\ndef a():\n    c = G()\n    c.fit(x, y)\n    return c\ndef b():\n    c = StandardScaler()\n"
     "    return 1\n", False),
    ("DET301", "from sklearn.preprocessing import StandardScaler\ndef a(x):\n    s.fit(x)\n    s = G()\n    return s\n"
     "s = StandardScaler()\n", True),
    # DET109: a plain call counts only under a name an import (or an assignment...) binds, a method call
    # of make_* only on what may be the datasets module
    ("DET109", "from sklearn.ensemble import RandomForestClassifier as RFC\nm = RFC()\n", True),
    ("DET109", "from sklearn import datasets as d\nX = d.make_classification()\n", True),
    ("DET109", "import sklearn\nmake = sklearn.datasets.make_blobs\nX = make()\n", True),
    ("DET109", "import sklearn\nclass LogisticRegression:\n    pass\nm = LogisticRegression(solver='saga')\n", False),
    ("DET109", "import sklearn\nrows = [make_row(x) for x in y]\n", False),
    ("DET109", "from sklearn.ensemble._gb.grower import TreeGrower\ngrower = TreeGrower(x)\n"
     "p = grower.make_predictor()\n", False),
    # DET304: a save whose path may end in literal text (a module constant counts, a local does not), a
    # save_format, or a call of a module-level helper that saves one parameter
    ("DET304", "import keras\nPATH = 'm.h5'\nm = keras.Model()\nm.save(PATH)\n", True),
    ("DET304", "import keras\nm = keras.Model()\nm.save(p, save_format='h5')\n", True),
    ("DET304", "import keras\ndef save_it(model, path):\n    model.save(path)\nsave_it(keras.Model(), 'm.h5')\n", True),
    ("DET304", "import keras\ndef setup():\n    global P\n    P = 'm.h5'\ndef f(m):\n    m.save(P)\n", True),
    ("DET304", "import keras\nm = keras.Model()\nm.save(d + '/m.h5')\n", True),
    ("DET304", "import keras\nm = keras.Model()\nm.save(path)\nm.save(self.path, **options)\n", False),
    ("DET304", "import keras\ndef f(m):\n    path = 'm.h5'\n    m.save(path)\n", False),
    ("DET304", "import keras\nm = keras.Model()\nm.save(f'{d}/{name}')\nm.save(str(d))\n", False),
    ("DET304", "import keras\nclass T:\n    def save_it(self, model, path):\n        model.save(path)\n"
     "T().save_it(keras.Model(), 'm.h5')\n", False),
    # ... unless its order is discarded, or the call cannot be the os or glob module's
    ("DET205", "import os\nnames = sorted(os.listdir(d))\nn = len(list(os.scandir(d)))\n", False),
    ("DET205", "import os\nfrom keras.utils import file_utils\nnames = list(file_utils.listdir(d))\n", False),
    ("DET205", "import os\nnames = list(listdir(d))\n", False),
    ("DET205", "import os\nfrom keras.utils import file_utils as os\nnames = list(os.listdir(d))\n", False),
    ("DET205", "import os as fs\nnames = list(fs.listdir(d))\n", True),
    ("DET205", "import os\ndef f(fs):\n    return list(fs.listdir(d))\n", True),
    ("DET205", "from os import listdir as ls\nnames = list(ls(d))\n", True),
    ("DET205", "import os\nnames = list(tools.listdir(d))\ntools = os\n", True),
    ("DET205", "import os\ndef sorted(x): return x\nnames = sorted(os.listdir(d))\n", True),
    ("DET205", "import pathlib\nnames = sorted(folder.glob('*.csv'))\nfiles = list(folder.glob('*.csv'))\n", True),
    ("DET205", "import os\ndef f(d: 'os.PathLike'):\n    return list(d.iterdir())\n", True),
    # under a name it is bound to, its calls are judged the same way
    ("DET205", "import os\nls = os.listdir\nnames = list(ls(d))\n", True),
    ("DET205", "import os\nls = os.listdir\nnames = sorted(ls(d))\n", False),
    ("DET304", "import keras\nm = keras.Model()\nsave = m.save\nsave('m.h5')\n", True),
    ("DET304", "import keras\nm = keras.Model()\nsave = m.save\nsave(path)\n", False),
    # a path method where no path can be (no pathlib import, no Path annotation)
    ("DET205", "import os\nnames = list(folder.glob('*.csv'))\n", False),
    ("DET205", "import os\nfrom importlib import resources\nfor r in resources.files(m).iterdir():\n"
     "    out.append(r)\n", False),
    # DET305: training=True (or a name that may be a module constant) outside every training function
    ("DET305", "from keras import layers\ny = layers.Dropout(0.5)(x, training=True)\n", True),
    ("DET305", "import keras\nTRAINING = True\ndef predict(m, x):\n    return m(x, training=TRAINING)\n", True),
    ("DET305", "import keras\ndef call(self, x):\n    return self.dropout(x, training=True)\n", False),
    ("DET305", "import keras\ndef run_training(m, x):\n    return m(x, training=True)\n", False),
    ("DET305", "import keras\ndef predict(m, x):\n    return m(x, training=False)\n", False),
    ("DET305", "import keras\ndef predict(m, x, training):\n    return m(x, training=training)\n", False),
    # DET302: a load_model call that may lack custom_objects
    ("DET302", "import keras\nm = keras.models.load_model('m.keras')\n", True),
    ("DET302", "from keras.models import load_model as lm\nm = lm('m.keras')\n", True),
    # called through an alias: its calls count, and "maybe" when it is returned (called anywhere)
    ("DET302", "import keras\nload = keras.models.load_model\nm = load('m.keras')\n", True),
    ("DET302", "import keras\ndef loader():\n    return keras.models.load_model\n"
     "m = loader()('m.keras', custom_objects={})\n", True),
    ("DET302", "import keras\nload = keras.models.load_model\nm = load('m.keras', custom_objects={})\n", False),
    ("DET302", "import keras\nm = keras.models.load_model('m.keras', custom_objects={'A': A})\n", False),
    ("DET302", "import keras\nm = keras.models.load_model('m.keras', {'A': A})\n", False),
    ("DET302", "import keras\nm = keras.models.load_model(*args)\n", False),
    ("DET302", "import keras\nm = keras.saving.load_weights('w.weights.h5')\n", False),
]


@pytest.mark.parametrize(("code", "source", "expected"), NEEDS_CASES)
def test_rule_needs_predicates_on_their_shapes(code: str, source: str, expected: bool) -> None:
    assert _needs(code, source) is expected
    if not expected:  # and where the predicate says no, the rule itself finds nothing
        found = lint_bytes(source.encode(), "t.py", Selection(frozenset({code})), prefilter=False).findings
        assert [f.code for f in found if f.code == code] == []
