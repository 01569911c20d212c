"""Outputs stay valid and safe whatever the files hold: control characters and file names that are not
UTF-8 are shown escaped, SARIF is what GitHub code scanning takes, a closed pipe or an internal error
ends the run cleanly with the right exit code, and the text summary counts fixes honestly."""

from __future__ import annotations

import json
import re
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes, urlparse

import jsonschema
import pytest

from cliutil import DATA

ROOT = Path(__file__).resolve().parents[1]
IMPORT = b"from sklearn.model_selection import train_test_split\n"
FORMATS = ("text", "concise", "json", "sarif", "github")


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.run([sys.executable, "-m", "detlint", "check", "--no-cache", *args], cwd=cwd,
                          capture_output=True, env=env, timeout=120, stdin=subprocess.DEVNULL)


# --------------------------------------------------------------------------------------------
# file names that are not UTF-8


@pytest.mark.skipif(sys.platform == "win32", reason="file names are Unicode there")
@pytest.mark.parametrize("output_format", FORMATS)
def test_non_utf8_file_name_is_shown_escaped(tmp_path: Path, output_format: str) -> None:
    (tmp_path / os.fsdecode(b"caf\xe9.py")).write_bytes(IMPORT + b"train_test_split([1])\n")
    proc = _run(tmp_path, "--format", output_format, ".")
    assert proc.returncode == 1, proc.stderr.decode(errors="replace")
    assert proc.stderr == b""
    out = proc.stdout.decode("utf-8")  # strictly valid UTF-8
    if output_format == "json":
        [finding] = json.loads(out)
        assert (finding["path"], finding["code"], finding["line"], finding["column"]) == ("caf\\xe9.py", "DET101", 2, 1)
    elif output_format == "sarif":
        log = json.loads(out)
        jsonschema.validate(log, json.loads((DATA / "sarif-schema-2.1.0.json").read_text()))
        [result] = log["runs"][0]["results"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "caf%E9.py"
    elif output_format == "github":
        assert out.startswith("::error file=caf\\xe9.py,line=2,col=1,"), out
    else:
        assert "caf\\xe9.py:2:1: DET101 " in out, out


# --------------------------------------------------------------------------------------------
# control characters (terminal escape injection)

EVIL_NAME = "evil\x1b[2J\x07.py"
EVIL_SOURCE = IMPORT + b's = "\x1b]0;pwned\x07\x1b[31m"; train_test_split([1])\n'


@pytest.mark.parametrize("output_format", ["text", "concise", "github"])
def test_control_characters_are_shown_as_escapes(tmp_path: Path, output_format: str) -> None:
    (tmp_path / EVIL_NAME).write_bytes(EVIL_SOURCE)
    proc = _run(tmp_path, "--format", output_format, EVIL_NAME)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout.decode("utf-8")
    assert [c for c in out if ord(c) < 0x20 and c != "\n"] == [], out
    assert "evil\\x1b[2J\\x07.py" in out
    if output_format == "text":
        lines = out.splitlines()
        source = lines.index('    2 | s = "\\x1b]0;pwned\\x07\\x1b[31m"; train_test_split([1])')
        # the caret is under the call, after the escapes as they are printed
        assert lines[source + 1] == "      | " + " " * 32 + "^" * 21


def test_error_messages_on_stderr_escape_file_names(tmp_path: Path) -> None:
    proc = _run(tmp_path, EVIL_NAME)
    assert proc.returncode == 2
    assert proc.stderr.decode() == "detlint: error: evil\\x1b[2J\\x07.py: no such file or directory\n"


def test_caret_under_wide_characters(tmp_path: Path) -> None:
    line = 's = "漢字😀é"; train_test_split([1])'
    (tmp_path / "wide.py").write_bytes(IMPORT + line.encode() + b"\n")
    out = _run(tmp_path, "wide.py").stdout.decode()
    lines = out.splitlines()
    source = lines.index(f"    2 | {line}")
    # 's = "' 5 cells, two CJK characters and an emoji 2 cells each, 'é' 1, '"; ' 3: the call starts at cell 15
    assert lines[source + 1] == "      | " + " " * 15 + "^" * 21


def test_text_source_line_split_as_the_linter_splits(tmp_path: Path) -> None:
    """A form feed inside a line is not a line break; a Latin-1 file is shown in its own encoding."""
    data = IMPORT + b"x = 1;\x0c train_test_split([1])\n# -*- coding: latin-1 -*-\n"
    (tmp_path / "ff.py").write_bytes(data)
    (tmp_path / "latin1.py").write_bytes(b"# -*- coding: latin-1 -*-\n" + IMPORT + "s = 'é'; ".encode("latin-1")
                                         + b"train_test_split([1])\n")
    lines = _run(tmp_path, "ff.py", "latin1.py").stdout.decode().splitlines()
    form_feed = next(i for i, text in enumerate(lines) if text.startswith("ff.py:2:9: DET101 "))
    assert lines[form_feed + 1] == "    2 | x = 1;\\x0c train_test_split([1])"
    latin = next(i for i, text in enumerate(lines) if text.startswith("latin1.py:3:"))
    assert lines[latin + 1] == "    3 | s = 'é'; train_test_split([1])"
    assert lines[latin + 2] == "      | " + " " * 9 + "^" * 21


# --------------------------------------------------------------------------------------------
# closed pipes and internal errors


def test_reader_that_stops_reading_ends_the_run_quietly(tmp_path: Path) -> None:
    """`detlint check | head`: no BrokenPipeError traceback, no 'Exception ignored' at exit."""
    for i in range(20):
        (tmp_path / f"m{i}.py").write_bytes(IMPORT + b"train_test_split([1])\n" * 50)
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "detlint", "check", "--no-cache", "."], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written
    stderr = proc.stderr.read()
    assert proc.wait(timeout=120) == 141
    assert stderr == b"", stderr.decode(errors="replace")


def test_unexpected_internal_error_exits_2_not_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from detlint import cli
    from detlint.output import text_format

    (tmp_path / "m.py").write_bytes(IMPORT + b"train_test_split([1])\n")
    monkeypatch.chdir(tmp_path)

    def broken_renderer(*args: object) -> None:
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(text_format, "render", broken_renderer)
    assert cli.main(["check", "--no-cache", "m.py"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and "detlint: internal error: RuntimeError: renderer exploded" in err


# --------------------------------------------------------------------------------------------
# the "fixable" summary


def test_fixable_summary_counts_safe_fixes_and_says_how_many_more(tmp_path: Path) -> None:
    code = (b"import keras\n" + IMPORT + b"train_test_split([1])\nm = keras.Sequential([])\n"
            b'm.save("model.h5")\nm.save("other.h5")\n')
    (tmp_path / "m.py").write_bytes(code)
    safe = _run(tmp_path, "m.py").stdout.decode().splitlines()
    assert safe[-1] == "1 fixable with `detlint check --fix` (2 more with `--unsafe-fixes`)."
    unsafe = _run(tmp_path, "--unsafe-fixes", "m.py").stdout.decode().splitlines()
    assert unsafe[-1] == "3 fixable with `detlint check --fix`."
    (tmp_path / "m.py").write_bytes(b"import keras\nm = keras.Sequential([])\nm.save('model.h5')\n")
    only_unsafe = _run(tmp_path, "m.py").stdout.decode().splitlines()
    assert only_unsafe[-1] == "0 fixable with `detlint check --fix` (1 more with `--unsafe-fixes`)."


# --------------------------------------------------------------------------------------------
# SARIF for GitHub code scanning


def assert_code_scanning_accepts(log: dict) -> None:
    """What GitHub code scanning requires of an upload, beyond the SARIF schema: the rules' descriptions,
    one location per result with a region, file paths relative to a base it knows (or file: URIs),
    fingerprints, and its upload limits (25,000 results per run)."""
    jsonschema.validate(log, json.loads((DATA / "sarif-schema-2.1.0.json").read_text()))
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] and driver["rules"]
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert len(set(rule_ids)) == len(rule_ids)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
    bases = run["originalUriBaseIds"]
    for base in bases.values():
        assert urlparse(base["uri"]).scheme == "file" and base["uri"].endswith("/")
    assert len(run["results"]) <= 25_000
    for result in run["results"]:
        assert result["message"]["text"].strip()
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert len(result["locations"]) == 1
        physical = result["locations"][0]["physicalLocation"]
        location = physical["artifactLocation"]
        assert location["uriBaseId"] in bases
        uri = location["uri"]
        assert urlparse(uri).scheme == "" and not uri.startswith("/") and ".." not in uri.split("/")
        assert quote(unquote_to_bytes(uri)) == uri  # percent-encoded
        region = physical["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert region["endLine"] >= region["startLine"]
        fingerprints = result["partialFingerprints"]
        assert fingerprints and all(isinstance(v, str) and v for v in fingerprints.values())


NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Training"]},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
         "source": ["from sklearn.model_selection import train_test_split\n", "x = 1"]},
        {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
         "source": ["y = 2\n", "a, b = train_test_split([1, 2])\n"]},
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def test_sarif_for_github_code_scanning(tmp_path: Path) -> None:
    folder = tmp_path / "src dir"
    folder.mkdir()
    (folder / "a#b%c.py").write_bytes(IMPORT + b"train_test_split([1])\n")
    (folder / "nb.ipynb").write_text(json.dumps(NOTEBOOK, indent=1))
    proc = _run(tmp_path, "--format", "sarif", str(folder))  # an absolute path: still relative to %SRCROOT%
    log = json.loads(proc.stdout)
    assert_code_scanning_accepts(log)
    run = log["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.as_uri() + "/"}}
    locations = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                  unquote_to_bytes(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]))
                 for r in run["results"]]
    assert locations == [("src%20dir/a%23b%25c.py", b"src dir/a#b%c.py"), ("src%20dir/nb.ipynb", b"src dir/nb.ipynb")]
    notebook = run["results"][1]
    assert notebook["message"]["text"].endswith(" (cell 3, line 2)")
    assert notebook["properties"] == {"cell": 3, "cellLine": 2}
    raw = (folder / "nb.ipynb").read_text()
    call = raw.index("train_test_split([1, 2])")
    line, column = raw[:call].count("\n") + 1, call - raw.rfind("\n", 0, call)
    assert notebook["locations"][0]["physicalLocation"]["region"] == {  # in the .ipynb file's own text
        "startLine": line, "startColumn": column, "endLine": line, "endColumn": column + len("train_test_split([1, 2])")}


def _with_source(source: object, key: str = "source") -> dict:
    cell = {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], key: source}
    return {**NOTEBOOK, "cells": [NOTEBOOK["cells"][0], cell]}


SPLIT_IMPORT = "from sklearn.model_selection import train_test_split\n"
LAYOUTS = {
    "lines": (_with_source([SPLIT_IMPORT, "s = 'é😀\\t'; train_test_split([3])\n"]),
              {"indent": 1, "ensure_ascii": False}),
    "ascii-escapes": (_with_source([SPLIT_IMPORT, "s = 'é😀\\t'; train_test_split([3])"]),
                      {"indent": 1, "ensure_ascii": True}),
    "one-string": (_with_source(SPLIT_IMPORT + "s = 'é'; train_test_split([3])\n"), {"indent": 2, "ensure_ascii": True}),
    "compact": (_with_source([SPLIT_IMPORT, "train_test_split([3])"]), {"separators": (",", ":")}),
    "nbformat-3": ({"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "markdown", "source": "# x"},
        {"cell_type": "code", "language": "python", "outputs": [],
         "input": [SPLIT_IMPORT, "train_test_split([3])"]}]}]},
        {"indent": 1}),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_sarif_notebook_region_is_in_the_ipynb_file(tmp_path: Path, layout: str) -> None:
    notebook, dump_options = LAYOUTS[layout]
    raw = json.dumps(notebook, **dump_options)
    (tmp_path / "nb.ipynb").write_text(raw, encoding="utf-8")
    log = json.loads(_run(tmp_path, "--format", "sarif", "nb.ipynb").stdout)
    assert_code_scanning_accepts(log)
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "DET101" and result["properties"]["cell"] == 2
    call = raw.index("train_test_split([3])")
    line, column = raw[:call].count("\n") + 1, call - raw.rfind("\n", 0, call)
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": line, "startColumn": column, "endLine": line, "endColumn": column + len("train_test_split([3])")}


def _fingerprints(folder: Path) -> list[tuple[str, int, str]]:
    log = json.loads(_run(folder, "--format", "sarif", "m.py").stdout)
    return [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
             r["partialFingerprints"]["detlintLineHash/v1"]) for r in log["runs"][0]["results"]]


def test_partial_fingerprints_stable_under_unrelated_edits(tmp_path: Path) -> None:
    body = b"train_test_split([1])\ntrain_test_split([1])\nx = train_test_split([2])\n"
    (tmp_path / "m.py").write_bytes(IMPORT + body)
    before = _fingerprints(tmp_path)
    assert [(code, line) for code, line, _ in before] == [("DET101", 2), ("DET101", 3), ("DET101", 4)]
    assert len({fingerprint for _, _, fingerprint in before}) == 3  # the same line twice: two fingerprints
    # lines added above and between, indentation changed: the same findings, the same fingerprints
    (tmp_path / "m.py").write_bytes(IMPORT + b"# a comment\nimport os\n\nif True:\n    train_test_split([1])\n"
                                    b"train_test_split([1])\n\n\nx  =  train_test_split([2])\n")
    after = _fingerprints(tmp_path)
    assert [(code, line) for code, line, _ in after] == [("DET101", 6), ("DET101", 7), ("DET101", 10)]
    assert [f for _, _, f in after] == [f for _, _, f in before]
    # the flagged line itself changed: a new fingerprint for that one only
    (tmp_path / "m.py").write_bytes(IMPORT + body.replace(b"([2])", b"([3])"))
    changed = _fingerprints(tmp_path)
    assert [f for _, _, f in changed][:2] == [f for _, _, f in before][:2] and changed[2][2] != before[2][2]


@pytest.mark.parametrize("keep", ["", "\t", "\t\n"])
def test_printable_text_skips_the_escaping_only_where_nothing_needs_it(keep: str) -> None:
    # printable() and valid_unicode() return plain printable text as it is without their patterns: the
    # result must be what the patterns give, for every character of the planes that text comes from.
    from detlint.output import printable as module

    characters = [chr(code) for code in range(0x3100)] + [chr(code) for code in range(0xD7F0, 0xE010)]
    for character in characters:
        for text in (character, f"a{character}b"):
            assert module.printable(text, keep) == module._pattern(keep).sub(module._escape, text), repr(text)
            assert module.valid_unicode(text) == re.sub("[\ud800-\udfff]", module._escape, text), repr(text)
