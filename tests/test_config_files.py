"""detlint.toml / .detlint.toml discovery and `extend` inheritance."""

from __future__ import annotations

import json
from pathlib import Path

from cliutil import BAD, detlint

FOREST = "from sklearn.ensemble import RandomForestClassifier\n\nmodel = RandomForestClassifier()\n"


def _codes(run) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(line.split(":")[0], line.split()[1]) for line in run.stdout.splitlines() if ": DET" in line]


def test_detlint_toml_is_found_like_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "detlint.toml").write_text("ignore = ['DET101']\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(BAD)
    run = detlint("check", "--no-cache", "--format", "concise", "pkg/a.py", cwd=tmp_path)
    assert run.returncode == 0, run.stdout


def test_dot_detlint_toml_wins_over_detlint_toml_and_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.detlint]\nignore = ['DET101']\n")
    (tmp_path / "detlint.toml").write_text("ignore = ['DET101']\n")
    (tmp_path / ".detlint.toml").write_text("ignore = []\n")
    (tmp_path / "a.py").write_text(BAD)
    run = detlint("check", "--no-cache", "--format", "concise", "a.py", cwd=tmp_path)
    assert run.returncode == 1 and "a.py:5:15: DET101" in run.stdout
    settings = detlint("check", "--show-settings", "a.py", cwd=tmp_path)
    assert ".detlint.toml" in settings.stdout.splitlines()[0]


def test_nearer_pyproject_wins_over_a_parent_detlint_toml(tmp_path: Path) -> None:
    (tmp_path / "detlint.toml").write_text("ignore = ['DET101']\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text("[tool.detlint]\nseed-name = 'SEED'\n")
    (tmp_path / "sub" / "a.py").write_text(BAD)
    run = detlint("check", "--no-cache", "--format", "concise", "sub/a.py", cwd=tmp_path)
    assert run.returncode == 1 and "DET101" in run.stdout


def test_extend_inherits_and_overrides(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.detlint]\nignore = ['DET101']\nextend-exclude = ['legacy/']\nseverity = { DET109 = 'error' }\n")
    service = tmp_path / "service"
    service.mkdir()
    (service / "pyproject.toml").write_text(
        "[tool.detlint]\nextend = '../pyproject.toml'\nextend-exclude = ['old/']\n")
    (service / "a.py").write_text(BAD + FOREST.replace("from sklearn", "\nfrom sklearn"))
    for folder in ("legacy", "old"):
        (service / folder).mkdir()
        (service / folder / "b.py").write_text(BAD)
    run = detlint("check", "--no-cache", "--format", "json", ".", cwd=service)
    # DET101 ignored by the base, legacy/ and old/ both excluded, DET109 an error by the base's severity
    assert run.returncode == 1
    assert [(f["path"], f["line"], f["column"], f["code"], f["severity"]) for f in json.loads(run.stdout)] == \
        [("a.py", 9, 9, "DET109", "error")]


def test_extend_cycle_and_missing_file_are_errors_naming_the_key(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text("extend = 'b.toml'\n")
    (tmp_path / "b.toml").write_text("extend = 'a.toml'\n")
    (tmp_path / "x.py").write_text("x = 1\n")
    cycle = detlint("check", "--no-cache", "--config", "a.toml", "x.py", cwd=tmp_path)
    assert cycle.returncode == 2 and "`extend`" in cycle.stderr and "cycle" in cycle.stderr
    (tmp_path / "c.toml").write_text("extend = 'missing.toml'\n")
    missing = detlint("check", "--no-cache", "--config", "c.toml", "x.py", cwd=tmp_path)
    assert missing.returncode == 2 and "`extend`" in missing.stderr and "missing.toml" in missing.stderr
    (tmp_path / "d.toml").write_text("extend = 3\n")
    wrong = detlint("check", "--no-cache", "--config", "d.toml", "x.py", cwd=tmp_path)
    assert wrong.returncode == 2 and "`extend` must be" in wrong.stderr
