"""The command line as users run it: real subprocesses, exit codes, every output format parsed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from cliutil import BAD, CLEAN, DATA, detlint  # noqa: F401

@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "train.py").write_text(BAD)
    (tmp_path / "pkg" / "clean.py").write_text(CLEAN)
    (tmp_path / "pkg" / "broken.py").write_text("def f(:\n    pass\n")
    return tmp_path


def test_exit_codes(project: Path) -> None:
    assert detlint("check", "pkg/clean.py", cwd=project).returncode == 0
    assert detlint("check", "pkg", cwd=project).returncode == 1
    assert detlint("check", "pkg", "--exit-zero", cwd=project).returncode == 0
    bad_flag = detlint("check", "--no-such-flag", cwd=project)
    assert bad_flag.returncode == 2 and "--no-such-flag" in bad_flag.stderr
    bad_code = detlint("check", "pkg", "--select", "DET9", cwd=project)
    assert bad_code.returncode == 2 and "DET9" in bad_code.stderr


def test_syntax_error_is_one_finding_and_others_still_checked(project: Path) -> None:
    result = detlint("check", "pkg", "--format", "json", cwd=project)
    found = [(f["path"], f["code"], f["line"], f["column"]) for f in json.loads(result.stdout)]
    assert found == [
        (os.path.join("pkg", "broken.py"), "DET000", 1, 7),
        (os.path.join("pkg", "train.py"), "DET101", 5, 15),
    ]


def test_json_fields(project: Path) -> None:
    result = detlint("check", "pkg/train.py", "--format", "json", cwd=project)
    [finding] = json.loads(result.stdout)
    assert finding["path"] == "pkg/train.py"
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (5, 15, 5, 50)
    assert finding["code"] == "DET101" and finding["name"] == "unseeded-split"
    assert finding["severity"] == "error" and finding["fixable"] is True
    assert "random_state" in finding["message"]


def test_concise_lines_match_editor_pattern(project: Path) -> None:
    result = detlint("check", "pkg", "--format", "concise", cwd=project)
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    pattern = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>DET\d{3}) (?P<msg>.+)$")
    parsed = [pattern.match(line) for line in lines]
    assert all(parsed)
    assert [(m["path"], m["line"], m["col"], m["code"]) for m in parsed] == [  # type: ignore[index]
        (os.path.join("pkg", "broken.py"), "1", "7", "DET000"),
        (os.path.join("pkg", "train.py"), "5", "15", "DET101"),
    ]


def test_sarif_validates_against_official_schema(project: Path) -> None:
    result = detlint("check", "pkg", "--format", "sarif", cwd=project)
    log = json.loads(result.stdout)
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]] == [
        ("DET000", 1), ("DET101", 5),
    ]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "random_state" in rules["DET101"]["help"]["markdown"]
    assert run["results"][1]["ruleIndex"] == list(rules).index("DET101")


def test_github_annotations_escape_injection(tmp_path: Path) -> None:
    name = "evil::name,x.py"
    (tmp_path / name).write_text(BAD)
    result = detlint("check", name, "--format", "github", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("::error file=evil%3A%3Aname%2Cx.py,line=5,col=15,")
    assert "title=DET101 unseeded-split::DET101 " in lines[0]


def test_text_output_has_source_caret_and_summary(project: Path) -> None:
    result = detlint("check", "pkg/train.py", cwd=project)
    out = result.stdout
    assert "pkg/train.py:5:15: DET101 [error]" in out
    assert "    5 | train, test = train_test_split(df, test_size=0.2)" in out
    caret_line = next(line for line in out.splitlines() if "^" in line)
    assert caret_line.index("^") == out.splitlines()[2].index("train_test_split")
    assert "Found 1 finding in 1 file checked" in out
    assert "\x1b[" not in out  # NO_COLOR: plain


def test_stdin_with_filename(project: Path) -> None:
    result = detlint("check", "-", "--stdin-filename", "notebook_cell.py", "--format", "concise", cwd=project, stdin=BAD)
    assert result.returncode == 1
    assert result.stdout.startswith("notebook_cell.py:5:15: DET101 ")


def test_statistics_and_quiet(project: Path) -> None:
    stats = detlint("check", "pkg", "--statistics", cwd=project)
    assert re.search(r"^\s+1\s+DET000\s+parse-error$", stats.stdout, re.MULTILINE)
    assert re.search(r"^\s+1\s+DET101\s+unseeded-split$", stats.stdout, re.MULTILINE)
    quiet = detlint("check", "pkg", "--quiet", cwd=project)
    assert "train_test_split(df" not in quiet.stdout and "Found 2 findings" in quiet.stdout


def test_select_ignore_extend_select(project: Path) -> None:
    assert detlint("check", "pkg", "--ignore", "DET101,DET000", cwd=project).returncode == 0
    only_parse = detlint("check", "pkg", "--select", "DET0", "--format", "concise", cwd=project)
    assert [line.split()[1] for line in only_parse.stdout.splitlines()] == ["DET000"]


def test_rules_and_explain() -> None:
    listing = detlint("rules", cwd=Path.cwd())
    assert listing.returncode == 0
    assert re.search(r"^DET101\s+unseeded-split\s+error\s+on\s+always, safe", listing.stdout, re.MULTILINE)
    rules = json.loads(detlint("rules", "--format", "json", cwd=Path.cwd()).stdout)
    assert {r["code"] for r in rules} >= {"DET000", "DET101", "DET103", "DET106", "DET107", "DET301", "DET302", "DET304"}
    explain = detlint("explain", "det101", cwd=Path.cwd())
    assert explain.returncode == 0 and explain.stdout.startswith("# DET101: unseeded-split")
    assert detlint("explain", "DET999", cwd=Path.cwd()).returncode == 2


def test_missing_path_is_an_error_but_others_are_checked(project: Path) -> None:
    result = detlint("check", "nope.py", "pkg/train.py", "--format", "concise", cwd=project)
    assert result.returncode == 2
    assert "nope.py: no such file or directory" in result.stderr
    assert result.stdout.startswith("pkg/train.py:5:15: DET101")


def test_default_excludes(project: Path) -> None:
    (project / ".venv" / "lib").mkdir(parents=True)
    (project / ".venv" / "lib" / "x.py").write_text(BAD)
    (project / "build").mkdir()
    (project / "build" / "y.py").write_text(BAD)
    result = detlint("check", ".", "--format", "concise", "--ignore", "DET000", cwd=project)
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [os.path.join("pkg", "train.py")]


def test_jobs_must_be_at_least_one(project: Path) -> None:
    for value in ("0", "-1", "two"):
        result = detlint("check", "pkg", "--no-cache", "--jobs", value, cwd=project)
        assert result.returncode == 2, value
        assert f"argument --jobs/-j: must be a whole number of at least 1, not '{value}'" in result.stderr
    assert detlint("check", "pkg", "--no-cache", "-j", "1", "--ignore", "DET000,DET101", cwd=project).returncode == 0


# -- the program ends without tearing the interpreter down: nothing it wrote may be lost --------------------------

def test_the_program_delivers_all_its_output_before_it_ends(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from detlint.cli import main

    # Far more than a pipe holds, in both formats, to standard output and to --output-file.
    lines = "".join(f"part_{i} = train_test_split(data)\n" for i in range(1500))
    (tmp_path / "train.py").write_text("from sklearn.model_selection import train_test_split\n" + lines)
    for output_format in ("text", "json"):
        program = _buffered_program("check", "--no-cache", "--format", output_format, "train.py", cwd=tmp_path)
        os.chdir(tmp_path)
        try:
            assert main(["check", "--no-cache", "--format", output_format, "train.py"]) == 1
        finally:
            os.chdir(Path(__file__).resolve().parents[1])
        in_process = _untimed(capsys.readouterr().out)
        assert (program.returncode, program.stderr) == (1, "")
        assert _untimed(program.stdout) == in_process and len(in_process) > 200_000
        written = _buffered_program("check", "--no-cache", "--format", output_format, "-o", "report.out", "train.py",
                                    cwd=tmp_path)
        assert (written.returncode, written.stdout) == (1, "")
        assert _untimed((tmp_path / "report.out").read_text(encoding="utf-8")) == in_process
    assert json.loads(program.stdout)[-1]["line"] == 1501


def _buffered_program(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m detlint`` with its output buffered, as it is by default when it goes to a pipe."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-m", "detlint", *args], cwd=cwd, capture_output=True, text=True,
                          env={**env, "NO_COLOR": "1"}, timeout=120)


def _untimed(output: str) -> str:
    return re.sub(r" \(\d+\.\d+s\)", "", output)


def test_the_programs_own_exits_keep_their_codes(tmp_path: Path) -> None:
    version = detlint("--version", cwd=tmp_path)
    assert (version.returncode, version.stdout) == (0, "detlint 0.1.0\n")
    usage = detlint("check", "--no-such-flag", cwd=tmp_path)
    assert usage.returncode == 2 and usage.stderr.endswith("detlint: error: unrecognized arguments: --no-such-flag\n")
    helped = detlint("check", "--help", cwd=tmp_path)
    assert helped.returncode == 0 and helped.stdout.startswith("usage: detlint check")


@pytest.mark.skipif(os.name != "posix", reason="closes a descriptor from a POSIX shell")
def test_the_program_started_without_an_output_still_reports_by_its_exit_code(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(BAD)
    (tmp_path / "clean.py").write_text(CLEAN)
    env = {**os.environ, "NO_COLOR": "1"}
    for target, code in (("train.py", 1), ("clean.py", 0)):
        for closed in (">&-", "2>&-", ">&- 2>&-"):
            result = subprocess.run(["sh", "-c", f'exec "$0" -m detlint check --no-cache {target} {closed}',
                                     sys.executable], cwd=tmp_path, env=env, capture_output=True, text=True,
                                    timeout=120)
            assert result.returncode == code, (target, closed, result.stdout, result.stderr)
            assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
