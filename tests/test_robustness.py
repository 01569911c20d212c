"""Reliability: never crash, never lose a line, on any input.

Each test feeds one kind of awkward input to the real command line (``python -m detlint check
--format json``, in a temporary folder) or to ``detlint.api.run``, next to a good file that has a
known finding (``good.py``: DET101 at 2:1), and checks that

- a file that cannot be analysed gives at most one DET000 finding, with a clear one-line message
  and, where the input has one, the exact position of the problem;
- a valid file gives exactly the findings it should, at the right positions (or none);
- the other file of the same run is still checked;
- the exit code says what was found: 0 clean, 1 findings; 2 only for internal or usage errors;
- nothing prints a traceback.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterable

import pytest

ROOT = Path(__file__).resolve().parents[1]

GOOD_NAME = "good.py"
GOOD = b"from sklearn.model_selection import train_test_split\ntrain_test_split([1,2])\n"
GOOD_FINDING = ("DET101", 2, 1)
IMPORT = b"from sklearn.model_selection import train_test_split\n"

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# --------------------------------------------------------------------------------------------
# helpers


class Run:
    def __init__(self, returncode: int, findings: list[dict], stderr: str, seconds: float) -> None:
        self.returncode = returncode
        self.findings = findings
        self.stderr = stderr
        self.seconds = seconds

    def of(self, path: str) -> list[dict]:
        return [f for f in self.findings if os.path.normpath(f["path"]) == os.path.normpath(path)]

    def triples(self, path: str) -> list[tuple[str, int, int]]:
        return [(f["code"], f["line"], f["column"]) for f in self.of(path)]


def detlint_json(cwd: Path, *args: str, timeout: float = 120) -> Run:
    """Run the real CLI with ``--format json``; the output must always be valid JSON, never a traceback."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    started = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "detlint", "check", "--format", "json", *args], cwd=cwd,
                              capture_output=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"detlint check {' '.join(args)} did not finish within {timeout} s (hangs on this input?)")
    seconds = time.perf_counter() - started
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    try:
        findings = json.loads(proc.stdout.decode("utf-8"))
    except ValueError:
        pytest.fail(f"stdout is not JSON (exit {proc.returncode}): {proc.stdout[:2000]!r}\nstderr: {stderr[-4000:]}")
    assert isinstance(findings, list)
    return Run(proc.returncode, findings, stderr, seconds)


def write(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def assert_clear_message(finding: dict, *words: str) -> None:
    message = finding["message"]
    assert message and message.strip() == message and "\n" not in message, message
    assert "Traceback" not in message and "object at 0x" not in message, message
    lowered = message.lower()
    assert any(word.lower() in lowered for word in words), f"{message!r} should mention one of {words}"


def assert_one_det000(run: Run, path: str, position: tuple[int, int] | None, *words: str,
                      line_only: bool = False) -> dict:
    found = run.of(path)
    assert [f["code"] for f in found] == ["DET000"], found
    [finding] = found
    if position is not None:
        if line_only:
            assert finding["line"] == position[0], finding
        else:
            assert (finding["line"], finding["column"]) == position, finding
    assert_clear_message(finding, *words)
    return finding


def assert_good_file_checked(run: Run, good: str = GOOD_NAME) -> None:
    assert run.triples(good) == [GOOD_FINDING], run.findings


def assert_findings_exit(run: Run) -> None:
    """Findings were reported, nothing went wrong inside: exit 1 and no error on stderr."""
    assert run.returncode == 1, (run.returncode, run.stderr)
    assert "internal error" not in run.stderr and "error:" not in run.stderr, run.stderr


def check_alongside_good(tmp_path: Path, files: dict[str, bytes], *args: str, timeout: float = 120) -> Run:
    """Lint ``files`` and good.py in one run of the folder; good.py must still get its finding."""
    write(tmp_path, {**files, GOOD_NAME: GOOD})
    run = detlint_json(tmp_path, ".", *args, timeout=timeout)
    assert_good_file_checked(run)
    assert_findings_exit(run)
    return run


def check_clean_alone(tmp_path: Path, name: str) -> None:
    run = detlint_json(tmp_path, name)
    assert run.findings == [] and run.returncode == 0, (run.findings, run.returncode, run.stderr)
    assert run.stderr.strip() == "", run.stderr


def column_after(line: bytes, needle: bytes, encoding: str = "utf-8") -> int:
    """1-based column (in characters) of ``needle`` in ``line``."""
    return line.decode(encoding).index(needle.decode(encoding)) + 1


# --------------------------------------------------------------------------------------------
# syntax


def test_syntax_error(tmp_path: Path) -> None:
    run = check_alongside_good(tmp_path, {"bad.py": b"x = 1\ndef f(:\n    pass\n"})
    assert_one_det000(run, "bad.py", (2, 7), "syntax")
    # A syntax error alone is a finding, not an internal error.
    alone = detlint_json(tmp_path, "bad.py")
    assert alone.returncode == 1 and [f["code"] for f in alone.findings] == ["DET000"]


def test_python2_code(tmp_path: Path) -> None:
    run = check_alongside_good(tmp_path, {"py2.py": b'import os\nprint "x"\nexec "y = 1"\n'})
    finding = assert_one_det000(run, "py2.py", (2, 1), "print")
    assert "syntax" in finding["message"].lower()


def test_incomplete_file_unclosed_paren_at_eof(tmp_path: Path) -> None:
    run = check_alongside_good(tmp_path, {"cut.py": b"import os\nx = foo(1,\n        2,\n"})
    assert_one_det000(run, "cut.py", (2, 8), "never closed", "unexpected eof", "was not closed")


def test_incomplete_file_trailing_backslash(tmp_path: Path) -> None:
    run = check_alongside_good(tmp_path, {"cut.py": b"x = 1\n\\"})
    assert_one_det000(run, "cut.py", None, "syntax", "eof")


def test_inconsistent_tabs_and_spaces(tmp_path: Path) -> None:
    run = check_alongside_good(tmp_path, {"tabs.py": b"if 1:\n\tx = 1\n        y = 2\n"})
    assert_one_det000(run, "tabs.py", (3, 1), "tab", line_only=True)


# --------------------------------------------------------------------------------------------
# nearly empty files


@pytest.mark.parametrize("data", [b"", b"\n", b"   \n\t\n", b"\xef\xbb\xbf", b"\r\n\r\n", b"\x0c"],
                         ids=["empty", "newline", "blank", "bom-only", "crlf-only", "form-feed-only"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    run = check_alongside_good(tmp_path, {"empty.py": data})
    assert run.of("empty.py") == []
    check_clean_alone(tmp_path, "empty.py")


def test_only_comments(tmp_path: Path) -> None:
    data = b"#!/usr/bin/env python\n# train_test_split(x)  (not code)\n# noqa\n#"
    run = check_alongside_good(tmp_path, {"comments.py": data})
    assert run.of("comments.py") == []
    check_clean_alone(tmp_path, "comments.py")


# --------------------------------------------------------------------------------------------
# encodings and byte order marks


def test_utf8_bom(tmp_path: Path) -> None:
    line1 = b"import sklearn.model_selection as ms; ms.train_test_split([1])\n"
    files = {
        "bom.py": b"\xef\xbb\xbf" + GOOD,
        # the column of a finding on line 1 counts from right after the BOM
        "bom_line1.py": b"\xef\xbb\xbf" + line1,
        "bom_syntax.py": b"\xef\xbb\xbfdef f(:\n",
    }
    run = check_alongside_good(tmp_path, files)
    assert run.triples("bom.py") == [("DET101", 2, 1)]
    assert run.triples("bom_line1.py") == [("DET101", 1, column_after(line1, b"ms.train_test_split"))]
    assert_one_det000(run, "bom_syntax.py", (1, 7), "syntax")


def test_bom_conflicting_with_coding_cookie(tmp_path: Path) -> None:
    run = check_alongside_good(tmp_path, {"conflict.py": b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nx = 1\n"})
    assert_one_det000(run, "conflict.py", (1, 1), "encoding")


def test_latin1_with_coding_cookie_is_valid(tmp_path: Path) -> None:
    line = "s = 'é'; train_test_split([1])\n".encode("latin-1")
    files = {
        "latin1.py": b"# -*- coding: latin-1 -*-\n" + IMPORT + line,
        "latin1_line2.py": b"#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\n" + IMPORT + line,
    }
    run = check_alongside_good(tmp_path, files)
    column = column_after(line, b"train_test_split", "latin-1")
    assert run.triples("latin1.py") == [("DET101", 3, column)]
    assert run.triples("latin1_line2.py") == [("DET101", 4, column)]


def test_latin1_without_coding_cookie_is_invalid_utf8(tmp_path: Path) -> None:
    data = IMPORT + "s = 'é'\n".encode("latin-1") + b"train_test_split([1])\n"
    run = check_alongside_good(tmp_path, {"latin1.py": data})
    # exact position of the offending byte: line 2, column 6
    assert_one_det000(run, "latin1.py", (2, 6), "utf-8", "utf8", "decode")


def test_columns_count_characters_not_bytes(tmp_path: Path) -> None:
    line = "s = 'ééé😀'; train_test_split([1])\n".encode()
    run = check_alongside_good(tmp_path, {"wide.py": IMPORT + line, "wide_syntax.py": "s = 'ééé'; def f(:\n".encode()})
    assert run.triples("wide.py") == [("DET101", 2, column_after(line, b"train_test_split"))]
    assert_one_det000(run, "wide_syntax.py", (1, 12), "syntax")


@pytest.mark.parametrize("data, position", [
    (b"x = 1\ny = '\xff\xfe'\n", (2, 6)),
    (b"x = 1  # caf\xe9\n", (1, 13)),
    (b"x = '\xed\xa0\x80'\n", (1, 6)),  # an encoded surrogate is not UTF-8
    ("x = 1\n".encode("utf-16"), (1, 1)),
    (b"# -*- coding: no-such-codec -*-\nx = 1\n", (1, 1)),
], ids=["invalid-start-byte", "in-comment", "surrogate", "utf16", "unknown-cookie"])
def test_undecodable_bytes(tmp_path: Path, data: bytes, position: tuple[int, int]) -> None:
    run = check_alongside_good(tmp_path, {"bytes.py": data})
    assert_one_det000(run, "bytes.py", position, "utf-8", "utf8", "encoding", "decode", "codec")


def test_nul_bytes(tmp_path: Path) -> None:
    run = check_alongside_good(tmp_path, {"nul.py": b"x = 1\ny = 2\x00\n", "nul_first.py": b"\x00\x00\x00"})
    assert_one_det000(run, "nul.py", (2, 6), "nul", "null", "\\x00", "0x00")
    assert_one_det000(run, "nul_first.py", (1, 1), "nul", "null", "\\x00", "0x00")


def test_binary_png_named_py(tmp_path: Path) -> None:
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
           + bytes(range(256)) * 4)
    run = check_alongside_good(tmp_path, {"image.py": png})
    assert_one_det000(run, "image.py", (1, 1), "utf-8", "encoding", "decode", "binary", "nul")


# --------------------------------------------------------------------------------------------
# line endings and whitespace


def test_crlf_line_endings(tmp_path: Path) -> None:
    files = {
        "crlf.py": b"import os\r\n" + IMPORT.replace(b"\n", b"\r\n") + b"\r\nx = 1; train_test_split([1,2])\r\n",
        "crlf_syntax.py": b"x = 1\r\ny = 2\r\ndef f(:\r\n",
    }
    run = check_alongside_good(tmp_path, files)
    assert run.triples("crlf.py") == [("DET101", 4, 8)]
    assert_one_det000(run, "crlf_syntax.py", (3, 7), "syntax")


def test_mixed_line_endings(tmp_path: Path) -> None:
    # \r\n, \n and a lone \r (which Python also counts as a line break)
    data = b"import os\r\n" + IMPORT + b"\rx = 1\r\ny = 2; train_test_split([1,2])\n\r\ntrain_test_split([3])"
    run = check_alongside_good(tmp_path, {"mixed.py": data})
    assert run.triples("mixed.py") == [("DET101", 5, 8), ("DET101", 7, 1)]


def test_old_mac_cr_only_line_endings(tmp_path: Path) -> None:
    data = b"import os\r" + IMPORT.replace(b"\n", b"\r") + b"x = 1\rtrain_test_split([1,2])\r"
    run = check_alongside_good(tmp_path, {"mac.py": data, "mac_syntax.py": b"x = 1\ry = 2\rdef f(:\r"})
    assert run.triples("mac.py") == [("DET101", 4, 1)]
    assert_one_det000(run, "mac_syntax.py", (3, 7), "syntax")


def test_tabs(tmp_path: Path) -> None:
    data = IMPORT + b"if 1:\n\ttrain_test_split([1,2])\n\tif 2:\n\t\tx = 1;\ttrain_test_split([3])\n"
    run = check_alongside_good(tmp_path, {"tabs.py": data})
    assert run.triples("tabs.py") == [("DET101", 3, 2), ("DET101", 5, 10)]


def test_form_feeds(tmp_path: Path) -> None:
    data = (b"\x0c" + IMPORT                           # line 1: a form feed before the import
            + b"\x0c\n"                                # line 2: a form feed alone (a page break)
            + b"\x0ctrain_test_split([1,2])\n"         # line 3: a form feed before a statement
            + b"x = 1;\x0c train_test_split([3])\n"    # line 4: inside a line
            + b"if 1:\n\x0c    train_test_split([4])\n")  # line 6: in an indentation
    run = check_alongside_good(tmp_path, {"ff.py": data})
    assert run.triples("ff.py") == [("DET101", 3, 2), ("DET101", 4, 9), ("DET101", 6, 6)]


def test_form_feed_fix_goes_to_the_right_place(tmp_path: Path) -> None:
    data = IMPORT + b"\x0ctrain_test_split([1,2])\n"
    write(tmp_path, {"ff.py": data})
    run = detlint_json(tmp_path, "ff.py", "--fix")
    assert run.returncode in (0, 1) and "error" not in run.stderr, run.stderr
    assert (tmp_path / "ff.py").read_bytes() == IMPORT + b"\x0ctrain_test_split([1,2], random_state=42)\n"


@pytest.mark.parametrize("line", [
    b"import os; from sklearn.model_selection import train_test_split\n",
    b"from sklearn.model_selection \\\n    import train_test_split\n",
    b"if True: from sklearn.model_selection import train_test_split\n",
    b"from sklearn . model_selection import train_test_split\n",
    b"try: from sklearn.model_selection import train_test_split\nexcept ImportError: pass\n",
], ids=["after-semicolon", "backslash", "one-line-if", "spaced-dots", "one-line-try"])
def test_import_spellings_the_interpreter_accepts(tmp_path: Path, line: bytes) -> None:
    data = line + b"train_test_split([1,2])\n"
    run = check_alongside_good(tmp_path, {"spelled.py": data})
    assert run.triples("spelled.py") == [("DET101", data.count(b"\n"), 1)]


def test_fix_keeps_bom_line_endings_and_encoding(tmp_path: Path) -> None:
    files = {
        "bom_crlf.py": b"\xef\xbb\xbf" + IMPORT.replace(b"\n", b"\r\n") + b"x = 1\r\ntrain_test_split([1,2])\r\n",
        "latin1.py": b"# -*- coding: latin-1 -*-\n" + IMPORT + "s = 'é'; train_test_split([1,2])\n".encode("latin-1"),
        "mac.py": IMPORT.replace(b"\n", b"\r") + b"train_test_split([1,2])\r",
        "no_eol.py": IMPORT + b"train_test_split([1,2])",
    }
    write(tmp_path, files)
    run = detlint_json(tmp_path, ".", "--fix", "--select", "DET101")
    assert run.returncode == 0 and run.findings == [], (run.findings, run.stderr)
    for name, data in files.items():
        expected = data.replace(b"([1,2])", b"([1,2], random_state=42)")
        assert (tmp_path / name).read_bytes() == expected, name


# --------------------------------------------------------------------------------------------
# size and depth


def test_very_long_line(tmp_path: Path) -> None:
    long_line = b"x = '" + b"a" * 1_000_000 + b"'; train_test_split([1,2])\n"
    run = check_alongside_good(tmp_path, {"long.py": IMPORT + long_line + b"train_test_split([3])\n"})
    assert run.triples("long.py") == [("DET101", 2, 1_000_009), ("DET101", 3, 1)]


@pytest.mark.slow
def test_very_long_line_of_dense_tokens(tmp_path: Path) -> None:
    # 1 MB of list items on one line (embedded data, as generated code has)
    long_line = b"x = [" + b"1," * 500_000 + b"]; train_test_split([1,2])\n"
    run = check_alongside_good(tmp_path, {"long.py": IMPORT + long_line + b"train_test_split([3])\n"}, timeout=600)
    assert run.triples("long.py") == [("DET101", 2, 1_000_009), ("DET101", 3, 1)]


def test_large_file_analysed_in_full(tmp_path: Path) -> None:
    body = b"".join(b"value_%d = %d * 2 + 1\n" % (i, i) for i in range(10_000))
    data = IMPORT + body + b"train_test_split([1,2])\n"
    run = check_alongside_good(tmp_path, {"large.py": data}, timeout=300)
    assert run.triples("large.py") == [("DET101", 10_002, 1)]


@pytest.mark.slow
def test_very_large_file(tmp_path: Path) -> None:
    # ~20 MB of simple statements
    chunk = b"".join(b"value_%d = %d * 2 + 1\n" % (i, i) for i in range(10_000))
    count = 20_000_000 // len(chunk) + 1
    (tmp_path / "huge.py").write_bytes(chunk * count)
    (tmp_path / GOOD_NAME).write_bytes(GOOD)
    run = detlint_json(tmp_path, ".", timeout=600)
    assert run.of("huge.py") == []
    assert_good_file_checked(run)
    assert_findings_exit(run)


DEEP = 5000  # beyond what the interpreter accepts (200 parentheses, ~3000 levels of anything else)


@pytest.mark.parametrize("data", [
    b"x = " + b"(" * DEEP + b"1" + b")" * DEEP + b"\n",
    b"x = " + b"[" * DEEP + b"]" * DEEP + b"\n",
    b"x = " + b"a+(" * DEEP + b"a" + b")" * DEEP + b"\n",
    b"x = f" + b"(f" * DEEP + b")" * DEEP + b"\n",
    b"x = 1" + b" + 1" * (DEEP * 2) + b"\n",
    b"x = a" + b".b" * (DEEP * 2) + b"\n",
    b"x = f" + b"()" * (DEEP * 2) + b"\n",
    b"x = " + b"not " * (DEEP * 2) + b"a\n",
    b"x = " + b"-" * (DEEP * 2) + b"a\n",
    b"x = " + b"lambda: " * (DEEP * 2) + b"a\n",
    b"x = " + b"a if b else " * (DEEP * 2) + b"a\n",
    b"if a:\n    pass\n" + b"elif a:\n    pass\n" * (DEEP * 2),
    b"".join(b" " * i + b"if x:\n" for i in range(150)) + b" " * 150 + b"pass\n",
], ids=["parens", "lists", "a+(a+...)", "calls", "binop-chain", "attributes", "call-chain", "not", "unary",
        "lambdas", "conditional-expressions", "elif-chain", "indentation"])
def test_deeply_nested_code(tmp_path: Path, data: bytes) -> None:
    """No RecursionError escapes, no crash of the process (a stack overflow in a native parser), no hang:
    one DET000 (or nothing), and the other file is still checked."""
    # With ML words, so that the full analysis runs and not only a cheap syntax check.
    data = IMPORT + b"import tensorflow as tf\n" + data
    run = check_alongside_good(tmp_path, {"deep.py": data}, timeout=60)
    found = run.of("deep.py")
    assert len(found) <= 1 and all(f["code"] == "DET000" for f in found), found
    for finding in found:
        assert_clear_message(finding, "nest", "deep", "recursion", "too many", "indentation", "syntax", "complex")


@pytest.mark.parametrize("data", [
    IMPORT + b"if a:\n    pass\n" + b"elif a:\n    pass\n" * 500 + b"train_test_split([1,2])\n",
    IMPORT + b"x = 1" + b" + 1" * 500 + b"\ntrain_test_split([1,2])\n",
    IMPORT + b"x = 'a'" + b" + 'a'" * 500 + b"\ntrain_test_split([1,2])\n",
    IMPORT + b"x = df" + b".pipe(f)" * 300 + b"\ntrain_test_split([1,2])\n",
    IMPORT + b"x = " + b"f(" * 190 + b"1" + b")" * 190 + b"\ntrain_test_split([1,2])\n",
    IMPORT + b"x = y" + b"[a" * 190 + b"]" * 190 + b"\ntrain_test_split([1,2])\n",
    IMPORT + b"x = train_test_split([1])" + b" + 1" * 500 + b"\n",
], ids=["elif-500", "sum-500", "concat-500", "method-chain-300", "calls-190", "subscripts-190", "call-in-sum-500"])
def test_deep_but_ordinary_code_is_analysed(tmp_path: Path, data: bytes) -> None:
    """Code the interpreter compiles without complaint (generated code often looks like this) is analysed,
    not given up on: the finding after (or inside) it is reported."""
    compile(data, "deep.py", "exec")
    run = check_alongside_good(tmp_path, {"deep.py": data}, timeout=300)
    assert run.triples("deep.py") == [("DET101", data.count(b"\n"), 1 if not data.endswith(b" + 1\n") else 5)]


# --------------------------------------------------------------------------------------------
# the file system


def test_symlink_loops(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "sub" / "up").symlink_to("../..", target_is_directory=True)  # a directory loop
    (tmp_path / "pkg" / "self").symlink_to("self")  # a link to itself
    (tmp_path / "loop_a.py").symlink_to("loop_b.py")  # two links to each other, named like source files
    (tmp_path / "loop_b.py").symlink_to("loop_a.py")
    (tmp_path / "pkg" / "mod.py").write_bytes(b"x = 1\n")
    run = check_alongside_good(tmp_path, {}, timeout=120)
    for name in ("loop_a.py", "loop_b.py"):
        found = run.of(name)
        assert len(found) <= 1, found
        for finding in found:
            assert finding["code"] == "DET000" and (finding["line"], finding["column"]) == (1, 1)
            assert_clear_message(finding, "symbolic link", "symlink", "loop")
    # nothing is linted twice or forever through the directory loop
    assert run.of(os.path.join("pkg", "mod.py")) == []
    assert len({(f["path"], f["line"], f["column"], f["code"]) for f in run.findings}) == len(run.findings)


def test_dangling_symlink_named_py(tmp_path: Path) -> None:
    (tmp_path / "gone.py").symlink_to("nowhere.py")
    run = check_alongside_good(tmp_path, {})
    found = run.of("gone.py")
    assert len(found) <= 1, found
    for finding in found:
        assert finding["code"] == "DET000" and (finding["line"], finding["column"]) == (1, 1)
        assert_clear_message(finding, "no such file", "not found", "does not exist", "cannot read", "dangling")


def test_directory_named_py(tmp_path: Path) -> None:
    (tmp_path / "x.py").mkdir()
    (tmp_path / "x.py" / "inner.py").write_bytes(b"x = 1\n")
    run = check_alongside_good(tmp_path, {})
    assert run.of("x.py") == [] and run.of(os.path.join("x.py", "inner.py")) == []
    # named on the command line, it is a folder to walk
    direct = detlint_json(tmp_path, "x.py", GOOD_NAME)
    assert_good_file_checked(direct)
    assert_findings_exit(direct)


def test_fifo_named_py(tmp_path: Path) -> None:
    """Reading a FIFO blocks until someone writes: detlint must not read one (nor hang)."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "pipe.py")
    run = check_alongside_good(tmp_path, {}, timeout=30)
    found = run.of("pipe.py")
    assert len(found) <= 1 and all(f["code"] == "DET000" for f in found), found


def test_fifo_elsewhere_in_the_project(tmp_path: Path) -> None:
    """The project index reads other modules of the project: a FIFO among them must not hang the run."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    (tmp_path / "pyproject.toml").write_text("")
    os.mkfifo(tmp_path / "pipe.py")
    write(tmp_path, {"load.py": b"import keras\nmodel = keras.models.load_model('m.keras')\n", GOOD_NAME: GOOD})
    run = detlint_json(tmp_path, "load.py", GOOD_NAME, timeout=30)
    assert_good_file_checked(run)
    assert run.returncode in (0, 1) and "error" not in run.stderr, run.stderr


def deny_reading(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """What reading a chmod-000 file does for anyone but root: PermissionError, however it is read."""
    import builtins

    def denied(path: object) -> bool:
        try:
            return os.path.basename(os.fspath(path)) == name  # type: ignore[arg-type]
        except TypeError:
            return False

    def refuse(path: object) -> PermissionError:
        return PermissionError(13, "Permission denied", os.fspath(path))  # type: ignore[arg-type]

    real_open, real_os_open = builtins.open, os.open
    real_read_bytes, real_read_text, real_path_open = Path.read_bytes, Path.read_text, Path.open

    def fake_open(file: object, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if denied(file):
            raise refuse(file)
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    def fake_os_open(path: object, *args: object, **kwargs: object) -> int:
        if denied(path):
            raise refuse(path)
        return real_os_open(path, *args, **kwargs)  # type: ignore[arg-type]

    def method(real):  # type: ignore[no-untyped-def]
        def fake(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            if self.name == name:
                raise refuse(self)
            return real(self, *args, **kwargs)
        return fake

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(os, "open", fake_os_open)
    monkeypatch.setattr(Path, "read_bytes", method(real_read_bytes))
    monkeypatch.setattr(Path, "read_text", method(real_read_text))
    monkeypatch.setattr(Path, "open", method(real_path_open))


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"x = 1\n"
    if not IS_ROOT:
        run_cli = True
        write(tmp_path, {"secret.py": data})
        (tmp_path / "secret.py").chmod(0)
    else:
        # Permissions are not enforced for root: make every way of reading that one file fail instead.
        run_cli = False
        write(tmp_path, {"secret.py": data, GOOD_NAME: GOOD})
        deny_reading(monkeypatch, "secret.py")
    try:
        if run_cli:
            run = check_alongside_good(tmp_path, {})
            found = run.of("secret.py")
        else:
            result = api_run(tmp_path)
            assert [(f.code, f.line, f.column) for f in result.findings if f.path.endswith(GOOD_NAME)] == [GOOD_FINDING]
            assert result.errors == []
            found = [{"code": f.code, "line": f.line, "column": f.column, "message": f.message}
                     for f in result.findings if f.path.endswith("secret.py")]
        assert [f["code"] for f in found] == ["DET000"], found
        assert (found[0]["line"], found[0]["column"]) == (1, 1)
        assert_clear_message(found[0], "permission")
    finally:
        (tmp_path / "secret.py").chmod(0o644)


def test_unreadable_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inside.py").write_bytes(GOOD)
    write(tmp_path, {GOOD_NAME: GOOD})
    if not IS_ROOT:
        locked.chmod(0)
        try:
            run = detlint_json(tmp_path, ".")
        finally:
            locked.chmod(0o755)
        assert_good_file_checked(run)
        # the folder is named (as a finding or on stderr); not a crash
        assert "locked" in run.stderr or any("locked" in f["path"] for f in run.findings), (run.stderr, run.findings)
        assert run.returncode in (1, 2)
        return
    # Permissions are not enforced for root: make listing that one folder fail instead.
    real_scandir, real_listdir = os.scandir, os.listdir

    def refuse(path: object) -> None:
        if os.path.basename(os.path.normpath(os.fspath(path))) == "locked":  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", os.fspath(path))  # type: ignore[arg-type]

    def scandir(path: object = ".") -> object:
        refuse(path)
        return real_scandir(path)  # type: ignore[arg-type]

    def listdir(path: object = ".") -> list[str]:
        refuse(path)
        return real_listdir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "listdir", listdir)
    result = api_run(tmp_path)
    assert [(f.code, f.line, f.column) for f in result.findings if f.path.endswith(GOOD_NAME)] == [GOOD_FINDING]
    mentioned = [e for e in result.errors if "locked" in e] + [f.message for f in result.findings if "locked" in f.path]
    assert mentioned, (result.errors, result.findings)
    assert all("Traceback" not in m for m in mentioned)


def api_run(folder: Path, paths: Iterable[str] | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    from detlint import api
    from detlint.config import Options

    previous = os.getcwd()
    os.chdir(folder)
    try:
        return api.run(list(paths or ["."]), Options(), **kwargs)  # type: ignore[arg-type]
    finally:
        os.chdir(previous)


def test_file_vanishes_during_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from detlint import api

    write(tmp_path, {"gone.py": GOOD, GOOD_NAME: GOOD})
    real = api.discover

    def discover_then_delete(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        (tmp_path / "gone.py").unlink()
        return found

    monkeypatch.setattr(api, "discover", discover_then_delete)
    result = api_run(tmp_path)
    assert [(f.code, f.line, f.column) for f in result.findings if f.path.endswith(GOOD_NAME)] == [GOOD_FINDING]
    gone = [f for f in result.findings if f.path.endswith("gone.py")]
    assert len(gone) <= 1 and all(f.code == "DET000" for f in gone), gone
    for finding in gone:
        assert (finding.line, finding.column) == (1, 1)
        assert_clear_message({"message": finding.message}, "no such file", "not found", "cannot read")
    assert result.errors == []


def test_named_file_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, {GOOD_NAME: GOOD})
    run = detlint_json(tmp_path, "missing.py", GOOD_NAME)
    assert_good_file_checked(run)
    assert run.returncode == 2 and "missing.py" in run.stderr


def test_stdin_with_undecodable_bytes(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-m", "detlint", "check", "-", "--format", "json"], cwd=tmp_path,
                          input=b"x = 1\ny = '\xff'\n", capture_output=True, timeout=120, env=env)
    assert b"Traceback" not in proc.stderr
    found = json.loads(proc.stdout)
    assert [(f["code"], f["line"], f["column"]) for f in found] == [("DET000", 2, 6)]
    assert proc.returncode == 1


def test_everything_at_once(tmp_path: Path) -> None:
    """All the bad inputs in one folder: one run, every good finding still there, at most one DET000 each."""
    bad = {
        "syntax.py": b"def f(:\n",
        "py2.py": b'print "x"\n',
        "cut.py": b"x = (1,\n",
        "latin1.py": "s = 'é'\n".encode("latin-1"),
        "nul.py": b"x\x00\n",
        "png.py": b"\x89PNG\r\n\x1a\n\x00\x00",
        "deep.py": IMPORT + b"x = " + b"(" * DEEP + b")" * DEEP + b"\n",
    }
    valid = {
        "empty.py": b"",
        "comments.py": b"# c\n",
        "bom.py": b"\xef\xbb\xbf" + GOOD,
        "crlf.py": GOOD.replace(b"\n", b"\r\n"),
        "tabs.py": IMPORT + b"if 1:\n\ttrain_test_split([1,2])\n",
    }
    (tmp_path / "gone.py").symlink_to("nowhere.py")
    run = check_alongside_good(tmp_path, {**bad, **valid})
    for name in bad:
        found = run.of(name)
        assert [f["code"] for f in found] == ["DET000"], (name, found)
    assert run.of("empty.py") == [] and run.of("comments.py") == []
    assert run.triples("bom.py") == [("DET101", 2, 1)]
    assert run.triples("crlf.py") == [("DET101", 2, 1)]
    assert run.triples("tabs.py") == [("DET101", 3, 2)]


def test_no_file_mode_bits_or_content_lost_on_fix(tmp_path: Path) -> None:
    write(tmp_path, {"run.py": b"#!/usr/bin/env python\n" + GOOD})
    (tmp_path / "run.py").chmod(0o751)
    run = detlint_json(tmp_path, "run.py", "--fix")
    assert run.returncode == 0 and run.findings == [], (run.findings, run.stderr)
    assert stat.S_IMODE((tmp_path / "run.py").stat().st_mode) == 0o751
    assert (tmp_path / "run.py").read_bytes() == b"#!/usr/bin/env python\n" + GOOD.replace(
        b"([1,2])", b"([1,2], random_state=42)")
    assert [p.name for p in tmp_path.iterdir() if "detlint-tmp" in p.name] == []


def test_library_use_leaves_the_host_process_safe(tmp_path: Path) -> None:
    """Linting through the API must not leave the calling process able to crash where it could not
    before: a C-level recursion on the caller's thread (here ``repr`` of a deeply nested list) still
    raises RecursionError instead of overflowing the 8 MB main-thread stack (a segmentation fault)."""
    script = (
        "import sys\n"
        "from detlint.engine import Selection, lint_bytes\n"
        "from detlint.rules import all_rules\n"
        f"lint_bytes({GOOD!r}, 'x.py', Selection(frozenset(all_rules())))\n"
        "nested = []\n"
        "for _ in range(200_000):\n"
        "    nested = [nested]\n"
        "try:\n"
        "    repr(nested)\n"
        "except RecursionError:\n"
        "    print('RecursionError')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, f"exit {proc.returncode} (negative: killed by that signal)\n{proc.stderr[-2000:]}"
    assert proc.stdout.strip() == "RecursionError"


def test_the_linted_code_s_own_warnings_are_not_raised_here() -> None:
    """Invalid escapes and `1.0[0]` make Python warn when it parses them; a linter must stay quiet."""
    import warnings

    from detlint.engine import Selection, lint_bytes
    from detlint.rules import all_rules

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = lint_bytes(b'PATTERN = "\\d+"\nvalue = 1.0[0] if False else 2\n', "w.py", Selection(frozenset(all_rules())))
    assert result.findings == [] and [str(w.message) for w in caught] == []
