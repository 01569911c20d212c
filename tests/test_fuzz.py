"""Property tests: for any program, detlint does not crash, stays inside the file, and its fixes
produce valid code, change nothing outside their edits, and settle (a second ``--fix`` changes nothing).

Programs come from hypothesmith (random programs from Python's grammar, and random LibCST trees) and
from a generator of ML-looking code (splits, folds, ``fit``, seeds, saves and loads, listing files,
set order) with random names, aliases, nesting, indentation, newlines and a BOM, so that rules fire
and fixes are actually exercised.

The default run is kept short; ``-m slow`` runs the same properties on many more examples.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import hypothesmith
import libcst
import pytest
from hypothesis import HealthCheck, Phase, assume, given, note, settings
from hypothesis import strategies as st

from detlint.api import FixMode, run
from detlint.config import Options
from detlint.engine import Selection, lint_bytes, parse
from detlint.finding import Finding
from detlint.fixes import apply_edits
from detlint.rules import all_rules
from detlint.source import SourceError, decode, line_starts, lines

ALL = Selection(frozenset(all_rules()))
PARSE_ERROR = "DET000"

QUICK = settings(max_examples=30, deadline=None, derandomize=False, print_blob=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
MANY = settings(QUICK, max_examples=600)


# --------------------------------------------------------------------------------------------
# the properties


def compiles(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "fuzz.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False
    return True


def check_lint(data: bytes, *, valid: bool | None = None) -> tuple[str, list[Finding]]:
    """Lint with every rule on; the properties every result must have. Returns the text and findings."""
    result = lint_bytes(data, "fuzz.py", ALL)  # must not raise
    assert result.errors == [], result.errors
    try:
        text = decode(data).text
    except SourceError:
        assert [f.code for f in result.findings] == [PARSE_ERROR], result.findings
        return "", result.findings
    file_lines = lines(text)
    codes = [f.code for f in result.findings]
    assert codes.count(PARSE_ERROR) <= 1, result.findings
    if PARSE_ERROR in codes:
        assert codes == [PARSE_ERROR], result.findings
    if valid is None:
        valid = compiles(text)
    if valid:
        assert PARSE_ERROR not in codes, (result.findings, text)
    for finding in result.findings:
        note(f"finding: {finding.code} {finding.line}:{finding.column}-{finding.end_line}:{finding.end_column}")
        assert 1 <= finding.line <= len(file_lines), finding
        assert 1 <= finding.column <= len(file_lines[finding.line - 1]) + 1, finding
        if finding.code != PARSE_ERROR:
            assert finding.line <= finding.end_line <= len(file_lines), finding
            assert 1 <= finding.end_column <= len(file_lines[finding.end_line - 1]) + 1, finding
            assert (finding.line, finding.column) <= (finding.end_line, finding.end_column), finding
        assert finding.message and "\n" not in finding.message, finding
        if finding.fix is not None:
            for edit in finding.fix.edits:
                assert 1 <= edit.start_line <= len(file_lines), (finding, edit)
                assert 0 <= edit.start_column <= len(file_lines[edit.start_line - 1]), (finding, edit)
                assert 1 <= edit.end_line <= len(file_lines), (finding, edit)
                assert 0 <= edit.end_column <= len(file_lines[edit.end_line - 1]), (finding, edit)
                assert (edit.start_line, edit.start_column) <= (edit.end_line, edit.end_column), (finding, edit)
    return text, result.findings


def spans_of(text: str, findings: list[Finding]) -> list[tuple[int, int]]:
    starts = line_starts(text)
    return sorted((starts[e.start_line - 1] + e.start_column, starts[e.end_line - 1] + e.end_column)
                  for f in findings if f.fix is not None for e in f.fix.edits)


def check_fixes(text: str, findings: list[Finding]) -> None:
    """All fixes, safe and unsafe, applied at once: valid code, and nothing changed outside their edits."""
    fixable = [f for f in findings if f.fix is not None]
    if not fixable or any(f.code == PARSE_ERROR for f in findings):
        return
    new_text, applied = apply_edits(text, fixable)
    assert applied >= 1
    try:
        parse(new_text)
    except SourceError as error:
        raise AssertionError(f"fixes produce invalid code: {error.message}\n--- before\n{text}\n--- after\n{new_text}")
    assert compiles(new_text) or not compiles(text), new_text
    # The text outside every edit is kept, in order: the parts between merged edit ranges.
    merged: list[list[int]] = []
    for start, end in spans_of(text, fixable):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    outside = []
    position = 0
    for start, end in merged:
        outside.append(text[position:start])
        position = end
    outside.append(text[position:])
    assert new_text.startswith(outside[0]), (outside[0], new_text)
    assert new_text.endswith(outside[-1]), (outside[-1], new_text)
    cursor = len(outside[0])
    for part in outside[1:-1]:
        found = new_text.find(part, cursor)
        assert found >= 0, (part, new_text)
        cursor = found + len(part)
    # Each fix alone touches only its own edits.
    starts = line_starts(text)
    for finding in fixable:
        alone, count = apply_edits(text, [finding])
        assert count == 1
        edits = sorted(((starts[e.start_line - 1] + e.start_column, starts[e.end_line - 1] + e.end_column, e.text)
                        for e in finding.fix.edits), key=lambda s: (s[0], s[1]))  # type: ignore[union-attr]
        expected = text
        for start, end, new in reversed(edits):
            expected = expected[:start] + new + expected[end:]
        assert alone == expected, finding


def check_fix_settles(data: bytes) -> None:
    """``--fix --unsafe-fixes`` twice: the second run finds nothing more to change, and no error."""
    with tempfile.TemporaryDirectory(prefix="detlint-fuzz-") as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_text("[tool.detlint]\n")
        path = root / "fuzz.py"
        path.write_bytes(data)
        options = Options(select=("DET",), config_path=root / "pyproject.toml")
        first = run([str(path)], options, fix=FixMode(apply=True, unsafe=True), use_cache=False, jobs=1)
        assert first.errors == [], first.errors
        once = path.read_bytes()
        second = run([str(path)], options, fix=FixMode(apply=True, unsafe=True), use_cache=False, jobs=1)
        assert second.errors == [], second.errors
        twice = path.read_bytes()
        note(f"after one --fix:\n{once.decode('utf-8', 'replace')}")
        assert twice == once, twice.decode("utf-8", "replace")
        # what is left is not fixable any more
        assert not [f for f in second.findings if f.fix is not None], second.findings


def encodable(source: str) -> bytes:
    try:
        return source.encode("utf-8")
    except UnicodeEncodeError:
        assume(False)
        raise


# --------------------------------------------------------------------------------------------
# programs from Python's grammar and from LibCST trees


def program_properties(source: str) -> None:
    data = encodable(source)
    text, findings = check_lint(data)
    check_fixes(text, findings)


@QUICK
@given(hypothesmith.from_grammar())
def test_grammar_programs(source: str) -> None:
    program_properties(source)


@settings(QUICK, max_examples=12)
@given(hypothesmith.from_node())
def test_libcst_node_programs(source: str) -> None:
    program_properties(source)


@QUICK
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    check_lint(data)


@pytest.mark.slow
@MANY
@given(hypothesmith.from_grammar())
def test_grammar_programs_many(source: str) -> None:
    program_properties(source)


@pytest.mark.slow
@MANY
@given(hypothesmith.from_node())
def test_libcst_node_programs_many(source: str) -> None:
    program_properties(source)


# --------------------------------------------------------------------------------------------
# ML-looking programs: the rules fire and the fixes run

IMPORTS = [
    ("split", "from sklearn.model_selection import train_test_split", "train_test_split"),
    ("split", "from sklearn.model_selection import train_test_split as tts", "tts"),
    ("split", "import sklearn.model_selection as ms", "ms.train_test_split"),
    ("split", "import sklearn", "sklearn.model_selection.train_test_split"),
    ("kfold", "from sklearn.model_selection import KFold", "KFold"),
    ("kfold", "from sklearn.model_selection import StratifiedKFold as SKF", "SKF"),
    ("kfold", "import sklearn.model_selection as ms", "ms.KFold"),
    ("tf", "import tensorflow as tf", "tf"),
    ("tf", "import tensorflow", "tensorflow"),
    ("keras", "import keras", "keras"),
    ("keras", "from tensorflow import keras", "keras"),
    ("keras", "import tensorflow as tf", "tf.keras"),
    ("load", "from keras.models import load_model", "load_model"),
    ("load", "from tensorflow.keras.models import load_model as lm", "lm"),
    ("load", "import keras", "keras.models.load_model"),
    ("joblib", "import joblib", "joblib.dump"),
    ("joblib", "from joblib import dump", "dump"),
    ("os", "import os", "os.listdir"),
    ("os", "from os import listdir", "listdir"),
    ("glob", "import glob", "glob.glob"),
    ("np", "import numpy as np", "np"),
    ("random", "import random", "random"),
    ("scaler", "from sklearn.preprocessing import StandardScaler", "StandardScaler"),
    ("pd", "import pandas as pd", "pd"),
    ("shuffle", "from sklearn.utils import shuffle", "shuffle"),
]

NAMES = st.sampled_from(["x", "y", "X_train", "data", "df", "features", "labels", "items", "batch", "model",
                         "m", "net", "clf", "scaler", "paths", "result", "SEED", "seed", "rows", "a_b"])


@st.composite
def ml_statement(draw: st.DrawFn, have: dict[str, str]) -> str:
    """One simple ML-ish statement, using the names the imports bound (or unbound ones: that is fine too)."""
    a, b, c = draw(NAMES), draw(NAMES), draw(NAMES)
    split = have.get("split", "train_test_split")
    kfold = have.get("kfold", "KFold")
    tf = have.get("tf", "tf")
    keras = have.get("keras", "keras")
    load = have.get("load", "load_model")
    dump = have.get("joblib", "joblib.dump")
    listdir = have.get("os", "os.listdir")
    np = have.get("np", "np")
    templates = [
        f"{a}, {b} = {split}({c}, test_size=0.2)",
        f"{a}, {b}, {c}, y_test = {split}({c}, {b}, test_size=0.25, stratify={b})",
        f"{a} = {split}({c})",
        f"{a} = {split}({c}, shuffle=False)",
        f"{a} = {split}({c}, random_state=None)",
        f"{a} = {split}(\n    {c},\n    test_size=0.3,\n)",
        f"{a} = {split}({c}, **kwargs)",
        f"cv = {kfold}(n_splits=5, shuffle=True)",
        f"cv = {kfold}(5, shuffle=True,)",
        f"for train_idx, test_idx in {kfold}(shuffle=True).split({c}):\n    pass",
        f"{a}.fit({b}, {c}, epochs=2)",
        f"{a}.fit({b})",
        f"history = {a}.fit(\n    {b}, {c},\n    validation_split=0.1,\n)",
        f"{tf}.random.set_seed(0)",
        f"{tf}.random.set_seed({a})",
        f"{keras}.utils.set_random_seed(1)",
        f"{a} = {keras}.Sequential([{keras}.layers.Dense(1)])",
        f"{a} = {keras}.Sequential()",
        f"{a}.compile(optimizer='adam', loss='mse')",
        f"{a} = list(set({b}))",
        f"for {a} in set({b}):\n    print({a})",
        f"{a} = sorted(set({b}))",
        f"{a} = {listdir}('.')",
        f"for {a} in {listdir}({b}):\n    pass",
        f"{a} = [p for p in {listdir}('data') if p.endswith('.csv')]",
        f"{dump}({a}, 'scaler.pkl')",
        f"{dump}({a}, '{b}.joblib')",
        f"{a} = {load}('model.h5')",
        f"{a} = {load}('model.keras', compile=False)",
        f"{a} = {load}({b})",
        f"{a}.save('model.h5')",
        f"{a}.save('m.keras')",
        f"{a}.save({b} + '.h5')",
        f"{a}.save_weights('w.h5')",
        f"{np}.random.seed(0)",
        f"{a} = {np}.random.default_rng()",
        f"{a} = {np}.random.rand(3)",
        f"{np}.random.shuffle({a})",
        f"{a} = {b}.sample(frac=0.5)",
        f"{a} = StandardScaler().fit({b})",
        f"{a} = StandardScaler()\n{a}.fit({b})",
        f"{a} = shuffle({b})",
        f"{a} = {b}",
        f"{a} = 1",
        "SEED = 42",
        "pass",
        f"{a} = {split}({c})  # noqa: DET101",
        f"{a} = {split}({c})  # noqa",
        f"{a} = {split}({c}); {b} = 2",
        f"{a} = ({split}({c}))",
        f"{a} = {split}({c}) if {b} else None",
        f"{a} = lambda: {split}({c})",
        f"print({split}({c}), {kfold}(shuffle=True))",
        f"if {b}: {a} = {split}({c})",
        f"{a} = {split}({c}, \\\n    test_size=0.2)",
        f"{a} = \\\n    {split}({c})",
        f"@decorator\ndef helper():\n    return {split}({c})",
        f"{a} = [{split}({c}) for _ in range(2)]",
        f"{a} = {split}(\n    {c},  # the data\n    test_size=0.2,  # a fifth\n)",
        f"{a} = {split}(*{b})",
        f"{a} = {split}()",
        f"{a} = {split}({c}, random_state=SEED)",
        f"{a} = {kfold}(shuffle=True, n_splits=3)",
        f"{a}.fit({b}, callbacks=[{keras}.callbacks.EarlyStopping()])",
        f"{a} = {split}({c})[0]",
        f"{a} = {split}({c}).pop()",
        f"{a} = {b}.fit({c}).predict({c})",
        f"{a}: list = {split}({c})",
        f"{a} += {split}({c})",
        f"assert {split}({c})",
        f"{a} = {split}({c}, test_size=0.2,)",
        f"{a} = {split}(({c}), (0.2))",
    ]
    return draw(st.sampled_from(templates))


def indent(block: str, unit: str) -> str:
    return "\n".join(unit + line if line.strip() else line for line in block.split("\n"))


@st.composite
def ml_block(draw: st.DrawFn, have: dict[str, str], unit: str, depth: int) -> str:
    statements = draw(st.lists(ml_statement(have), min_size=1, max_size=4))
    body = "\n".join(statements).replace("\n    ", "\n" + unit)
    if depth >= 3 or draw(st.integers(0, 2)) == 0:
        return body
    inner = draw(ml_block(have, unit, depth + 1))
    body = body + "\n" + inner if draw(st.booleans()) else inner + "\n" + body
    head = draw(st.sampled_from([
        "def train(x, y):", "def main():", "async def run():", "class Trainer:\n{u}def fit(self, x):",
        "if __name__ == '__main__':", "for epoch in range(3):", "while False:", "with open('log') as fh:",
        "try:", "if x:",
    ])).replace("{u}", unit)
    nested = indent(body, unit * (2 if head.startswith("class") else 1))
    text = f"{head}\n{nested}"
    if head == "try:":
        text += "\nexcept Exception:\n" + unit + "pass"
    return text


@st.composite
def ml_program(draw: st.DrawFn) -> tuple[bytes, str]:
    chosen = draw(st.lists(st.sampled_from(IMPORTS), min_size=1, max_size=7, unique_by=lambda i: i[1]))
    have: dict[str, str] = {}
    for kind, _, name in chosen:
        have.setdefault(kind, name)
    unit = draw(st.sampled_from(["    ", "  ", "\t"]))
    parts = []
    if draw(st.booleans()):
        parts.append('"""A training script."""')
    if draw(st.booleans()):
        parts.append("from __future__ import annotations")
    parts.extend(statement for _, statement, _ in chosen)
    if draw(st.booleans()):
        parts.append(f"SEED = {draw(st.integers(0, 99))}")
    parts.extend(draw(st.lists(ml_block(have, unit, 0), min_size=1, max_size=5)))
    if draw(st.booleans()):  # an import after code: fixes that insert after the imports must cope
        parts.append(draw(st.sampled_from(IMPORTS))[1])
        parts.append(draw(ml_statement(have)))
    separator = draw(st.sampled_from(["\n", "\n\n", "\n# comment\n"]))
    text = separator.join(parts)
    assert compiles(text), text
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    end = draw(st.sampled_from([newline, "", newline + newline]))
    text = text.replace("\n", newline) + end
    bom = draw(st.booleans()) and draw(st.booleans())
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    return data, text


def ml_properties(program: tuple[bytes, str]) -> None:
    data, text = program
    note(text)
    decoded, findings = check_lint(data, valid=True)
    assert decoded == text
    check_fixes(decoded, findings)


def ml_fix_settles(program: tuple[bytes, str]) -> None:
    data, text = program
    note(text)
    check_fix_settles(data)


@QUICK
@given(ml_program())
def test_ml_programs(program: tuple[bytes, str]) -> None:
    ml_properties(program)


@settings(QUICK, max_examples=15)
@given(ml_program())
def test_ml_programs_fix_settles(program: tuple[bytes, str]) -> None:
    ml_fix_settles(program)


@pytest.mark.slow
@MANY
@given(ml_program())
def test_ml_programs_many(program: tuple[bytes, str]) -> None:
    ml_properties(program)


@pytest.mark.slow
@settings(MANY, max_examples=200)
@given(ml_program())
def test_ml_programs_fix_settles_many(program: tuple[bytes, str]) -> None:
    ml_fix_settles(program)


def test_the_ml_generator_exercises_fixes() -> None:
    """The generator is worth running: most programs get findings and many get fixes."""
    from hypothesis import find

    data, _ = find(ml_program(), lambda p: any(f.fix is not None and f.code == "DET101"
                                                 for f in lint_bytes(p[0], "f.py", ALL).findings),
                   settings=settings(max_examples=200, deadline=None, database=None, phases=[Phase.generate]))
    assert data
    data, _ = find(ml_program(), lambda p: any(f.fix is not None and f.code == "DET103"
                                                 for f in lint_bytes(p[0], "f.py", ALL).findings),
                   settings=settings(max_examples=400, deadline=None, database=None, phases=[Phase.generate]))
    assert data


def test_libcst_is_the_parser_under_test() -> None:
    # the fuzz tests above rely on parse() being LibCST's: a Module back
    assert isinstance(parse("x = 1\n"), libcst.Module)
