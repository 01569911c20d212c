"""[tool.detlint] configuration: every key works, and bad keys or codes are exit 2 naming them."""

from __future__ import annotations

import json
from pathlib import Path

from cliutil import BAD, detlint


def _project(tmp_path: Path, config: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n[tool.detlint]\n{config}\n")
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "train.py").write_text(BAD)
    (tmp_path / "src" / "other.py").write_text(BAD.replace("test_size=0.2", "test_size=0.3"))
    return tmp_path


def _codes(result) -> list[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    return [(Path(f["path"]).name, f["code"], f["line"]) for f in json.loads(result.stdout)]


def test_unknown_key_is_exit_2_naming_it(tmp_path: Path) -> None:
    _project(tmp_path, 'selekt = ["DET1"]')
    result = detlint("check", "src", cwd=tmp_path)
    assert result.returncode == 2 and "selekt" in result.stderr


def test_unknown_code_is_exit_2_naming_it(tmp_path: Path) -> None:
    _project(tmp_path, 'ignore = ["DET777"]')
    result = detlint("check", "src", cwd=tmp_path)
    assert result.returncode == 2 and "DET777" in result.stderr


def test_invalid_toml_is_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "detlint.toml"
    config.write_text("select = [\n")
    (tmp_path / "a.py").write_text(BAD)
    result = detlint("check", "a.py", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 2 and "invalid TOML" in result.stderr


def test_ignore_and_per_file_ignores(tmp_path: Path) -> None:
    _project(tmp_path, '[tool.detlint.per-file-ignores]\n"src/other.py" = ["DET101"]')
    result = detlint("check", "src", "--format", "json", cwd=tmp_path)
    assert _codes(result) == [("train.py", "DET101", 5)]
    _project(tmp_path, 'ignore = ["DET1"]')
    assert detlint("check", "src", cwd=tmp_path).returncode == 0


def test_severity_override_and_seed_name(tmp_path: Path) -> None:
    _project(tmp_path, 'seed-name = "SEED"\n[tool.detlint.severity]\nDET101 = "warning"')
    (tmp_path / "src" / "train.py").write_text("SEED = 7\n" + BAD)
    result = detlint("check", "src/train.py", "--format", "json", cwd=tmp_path)
    [finding] = json.loads(result.stdout)
    assert finding["severity"] == "warning"
    assert finding["fix"]["edits"][0]["content"] == ", random_state=SEED"


def test_bad_severity_value(tmp_path: Path) -> None:
    _project(tmp_path, '[tool.detlint.severity]\nDET101 = "fatal"')
    result = detlint("check", "src", cwd=tmp_path)
    assert result.returncode == 2 and "severity.DET101" in result.stderr


def test_exclude_and_extend_exclude(tmp_path: Path) -> None:
    _project(tmp_path, 'extend-exclude = ["other.py"]')
    result = detlint("check", "src", "--format", "json", cwd=tmp_path)
    assert _codes(result) == [("train.py", "DET101", 5)]
    # an explicitly named file is still checked, unless --force-exclude (the pre-commit hook's setting)
    assert detlint("check", "src/other.py", cwd=tmp_path).returncode == 1
    assert detlint("check", "src/other.py", "--force-exclude", cwd=tmp_path).returncode == 0


def test_select_from_config_and_cli_override(tmp_path: Path) -> None:
    _project(tmp_path, 'select = ["DET3"]')
    assert detlint("check", "src", cwd=tmp_path).returncode == 0
    assert detlint("check", "src", "--select", "DET101", cwd=tmp_path).returncode == 1


NOQA_UNUSED = "SEED = 0  # noqa: DET102, DET301\n"  # suppresses nothing: DET001 reports it


def test_cli_select_overrides_config_select_extend_select_and_ignore(tmp_path: Path) -> None:
    # As in ruff: a --select on the command line starts afresh; the configuration's lists give way.
    _project(tmp_path, 'select = ["DET3"]\nextend-select = ["DET001"]\nignore = ["DET101"]')
    (tmp_path / "src" / "train.py").write_text(NOQA_UNUSED + BAD)
    assert detlint("check", "src/train.py", "--no-cache", cwd=tmp_path).returncode == 1  # DET001 from the config
    result = detlint("check", "src/train.py", "--no-cache", "--select", "DET101", "--format", "json", cwd=tmp_path)
    assert _codes(result) == [("train.py", "DET101", 6)]


def test_cli_extend_select_and_ignore_apply_after_cli_select(tmp_path: Path) -> None:
    _project(tmp_path, 'extend-select = ["DET201"]\nignore = ["DET102"]')
    (tmp_path / "src" / "train.py").write_text(NOQA_UNUSED + BAD)
    result = detlint("check", "src/train.py", "--no-cache", "--select", "DET1", "--extend-select", "DET001",
                     "--ignore", "DET103", "--format", "json", cwd=tmp_path)
    assert _codes(result) == [("train.py", "DET001", 1), ("train.py", "DET101", 6)]
    # DET102 is judged: the configuration's ignore gave way to --select; DET301 is not selected
    assert json.loads(result.stdout)[0]["message"].endswith(": DET102 reports nothing on this line")


def test_without_cli_select_the_lists_extend_the_configuration(tmp_path: Path) -> None:
    _project(tmp_path, 'extend-select = ["DET001"]\nignore = ["DET103"]')
    (tmp_path / "src" / "train.py").write_text(NOQA_UNUSED + BAD)
    result = detlint("check", "src/train.py", "--no-cache", "--ignore", "DET101", "--format", "json", cwd=tmp_path)
    assert _codes(result) == [("train.py", "DET001", 1)]


def test_per_file_ignores_still_apply_under_cli_select(tmp_path: Path) -> None:
    _project(tmp_path, '[tool.detlint.per-file-ignores]\n"src/other.py" = ["DET101"]')
    result = detlint("check", "src", "--no-cache", "--select", "DET101", "--format", "json", cwd=tmp_path)
    assert _codes(result) == [("train.py", "DET101", 5)]


def test_empty_select_in_config_is_exit_2_naming_it(tmp_path: Path) -> None:
    _project(tmp_path, "select = []")
    result = detlint("check", "src", "--no-cache", cwd=tmp_path)
    assert result.returncode == 2
    assert "`select` is empty" in result.stderr and "pyproject.toml" in result.stderr


def test_empty_cli_select_is_exit_2_naming_it(tmp_path: Path) -> None:
    _project(tmp_path, "")
    for value in ("", ","):
        result = detlint("check", "src", "--no-cache", "--select", value, cwd=tmp_path)
        assert result.returncode == 2 and "--select: no rule code given" in result.stderr, value


def test_overridden_config_codes_are_still_validated(tmp_path: Path) -> None:
    _project(tmp_path, 'extend-select = ["DET777"]')
    result = detlint("check", "src", "--no-cache", "--select", "DET101", cwd=tmp_path)
    assert result.returncode == 2 and "extend-select" in result.stderr and "DET777" in result.stderr
