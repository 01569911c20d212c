"""DET000 parse-error: one finding with the interpreter's message and position, never a crash, and
no other rule on that file."""

from __future__ import annotations

from detlint.engine import Selection, lint_bytes
from lintutil import ALL_CODES, lint_snippet


def test_syntax_error_is_one_finding_at_the_unclosed_bracket() -> None:
    code = (
        "from sklearn.model_selection import train_test_split\n"
        "parts = train_test_split(X, y)\n"
        "model = keras.Sequential([keras.layers.Dense(1)]\n"
        "model.save('model.h5')\n"
    )
    result = lint_snippet(code)
    assert not result.errors
    [finding] = result.findings
    assert (finding.code, finding.line, finding.column) == ("DET000", 3, 25)
    assert finding.message == "SyntaxError: '(' was never closed"
    assert finding.fix is None and finding.severity == "error"


def test_python2_print_statement() -> None:
    [finding] = lint_snippet('import keras\nprint "done"\n').findings
    assert (finding.code, finding.line) == ("DET000", 2)
    assert finding.message.startswith("SyntaxError: Missing parentheses in call to 'print'")


def test_undecodable_bytes_are_a_parse_error_too() -> None:
    result = lint_bytes(b"x = 1\nname = '\xff\xfe'\n", "latin.py", Selection(ALL_CODES))
    [finding] = result.findings
    assert (finding.code, finding.line) == ("DET000", 2)
    assert "utf-8" in finding.message


def test_not_reported_when_deselected() -> None:
    assert lint_snippet("def broken(:\n", select={"DET101"}).findings == []
