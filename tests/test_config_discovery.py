"""Which configuration applies and which files are checked: invalid TOML, --show-settings, --show-files,
gitignore-style patterns and .gitignore files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from cliutil import BAD, CLEAN, detlint
from detlint.config import Options, load_config

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def _findings(result) -> list[tuple[str, str, int, int]]:  # type: ignore[no-untyped-def]
    assert result.returncode in (0, 1), result.stderr
    return [(f["path"].replace("\\", "/"), f["code"], f["line"], f["column"]) for f in json.loads(result.stdout)]


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


# -- invalid TOML in the configuration that applies ----------------------------------------------------------------

def test_invalid_pyproject_is_exit_2_not_skipped_for_a_parent_config(tmp_path: Path) -> None:
    # the parent's configuration ignores DET101; the project's own pyproject.toml is broken
    _write(tmp_path, {
        "pyproject.toml": '[tool.detlint]\nignore = ["DET101"]\n',
        "proj/pyproject.toml": '[tool.detlint]\nselect = ["DET1"\nignore = []\n',
        "proj/train.py": BAD,
    })
    result = detlint("check", "--no-cache", "train.py", cwd=tmp_path / "proj")
    assert result.returncode == 2
    config = tmp_path / "proj" / "pyproject.toml"
    assert result.stderr == f"detlint: error: {config}:3:1: invalid TOML: Unclosed array\n"
    assert result.stdout == ""


def test_invalid_pyproject_without_a_parent_config_is_exit_2(tmp_path: Path) -> None:
    _write(tmp_path, {"pyproject.toml": '[project]\nname = "x\n', "train.py": BAD})
    result = detlint("check", "--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (f"detlint: error: {tmp_path / 'pyproject.toml'}:2:10: "
                             "invalid TOML: Illegal character '\\n'\n")


def test_invalid_config_given_with_option_names_line_and_column(tmp_path: Path) -> None:
    # tomllib reports an error at the end of the document without a position; it is the end's position
    _write(tmp_path, {"detlint.toml": 'ignore = []\nselect = [\n', "train.py": BAD})
    result = detlint("check", "--no-cache", "train.py", "--config", "detlint.toml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "detlint: error: detlint.toml:3:1: invalid TOML: Invalid value\n"


# -- --show-settings and --show-files ------------------------------------------------------------------------------

def test_show_settings_prints_the_resolved_configuration_and_its_file(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pyproject.toml": ('[tool.detlint]\nignore = ["DET103"]\nextend-exclude = ["scratch"]\nseed-name = "SEED"\n'
                           'respect-gitignore = false\n[tool.detlint.per-file-ignores]\n"tests/*" = ["DET101"]\n'
                           '[tool.detlint.severity]\nDET101 = "warning"\n'),
        "src/train.py": BAD,
    })
    result = detlint("check", "--show-settings", "src", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"# settings from {tmp_path / 'pyproject.toml'}\n")
    settings = tomllib.loads(result.stdout)  # the output is itself TOML
    assert settings["config-file"] == str(tmp_path / "pyproject.toml")
    assert settings["base-dir"] == str(tmp_path)
    assert settings["ignore"] == ["DET103"]
    assert settings["extend-exclude"] == ["scratch"]
    assert ".venv" in settings["exclude"]
    assert settings["respect-gitignore"] is False
    assert settings["seed-name"] == "SEED"
    assert settings["per-file-ignores"] == {"tests/*": ["DET101"]}
    assert settings["severity"] == {"DET101": "warning"}
    assert "DET101" in settings["enabled-rules"] and "DET103" not in settings["enabled-rules"]
    assert "train.py" not in result.stdout  # nothing was linted (findings would be exit 1)


def test_show_settings_without_a_configuration_file(tmp_path: Path) -> None:
    _write(tmp_path, {"train.py": BAD})
    result = detlint("check", "--show-settings", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# no configuration file found: defaults\n")
    settings = tomllib.loads(result.stdout)
    assert "config-file" not in settings
    assert settings["respect-gitignore"] is True
    assert "DET201" not in settings["enabled-rules"]  # opt-in


def test_show_files_lists_the_files_that_would_be_checked_sorted(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pyproject.toml": '[tool.detlint]\nextend-exclude = ["scratch"]\n',
        "b.py": BAD, "a/z.py": CLEAN, "a/m.ipynb": "{}", "scratch/s.py": BAD, ".venv/lib.py": BAD,
        "notes.txt": "x",
    })
    result = detlint("check", "--show-files", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "a/m.ipynb\na/z.py\nb.py\n"
    # files named explicitly are checked even when excluded, unless --force-exclude
    assert detlint("check", "--show-files", "scratch/s.py", "b.py", cwd=tmp_path).stdout == "b.py\nscratch/s.py\n"
    result = detlint("check", "--show-files", "--force-exclude", "scratch/s.py", "b.py", cwd=tmp_path)
    assert result.stdout == "b.py\n"


def test_show_files_reports_a_missing_path_as_exit_2(tmp_path: Path) -> None:
    result = detlint("check", "--show-files", "missing.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "detlint: error: missing.py: no such file or directory\n"


# -- gitignore-style patterns --------------------------------------------------------------------------------------

def test_double_star_in_per_file_ignores_matches_zero_folders(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pyproject.toml": '[tool.detlint.per-file-ignores]\n"src/**/*.py" = ["DET101"]\n',
        "src/x.py": BAD, "src/deep/y.py": BAD, "other/z.py": BAD,
    })
    result = detlint("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert _findings(result) == [("other/z.py", "DET101", 5, 15)]


def test_double_star_in_exclude_matches_zero_folders(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pyproject.toml": '[tool.detlint]\nextend-exclude = ["src/**/gen_*.py"]\n',
        "src/gen_a.py": BAD, "src/sub/gen_b.py": BAD, "src/keep.py": BAD, "gen_c.py": BAD,
    })
    result = detlint("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert _findings(result) == [("gen_c.py", "DET101", 5, 15), ("src/keep.py", "DET101", 5, 15)]


def test_anchored_pattern_matches_relative_to_the_config_folder(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pyproject.toml": '[tool.detlint]\nextend-exclude = ["/legacy", "build_*/"]\n',
        "legacy/a.py": BAD, "pkg/legacy/b.py": BAD, "build_x/c.py": BAD, "build_y.py": BAD,
    })
    result = detlint("check", "--show-files", cwd=tmp_path)
    # "/legacy" is anchored at the configuration's folder; "build_*/" matches folders only
    assert result.stdout == "build_y.py\npkg/legacy/b.py\n"


# -- .gitignore ----------------------------------------------------------------------------------------------------

def _ml_repo(tmp_path: Path, config: str = "") -> Path:
    return _write(tmp_path, {
        "pyproject.toml": f"[project]\nname = 'x'\n\n[tool.detlint]\n{config}\n",
        ".git/HEAD": "ref: refs/heads/main\n",
        ".gitignore": "wandb/\nmlruns/\n*_copy.py\n",
        "src/train.py": BAD,
        "src/train_copy.py": BAD,
        "src/.gitignore": "generated/\n!keep_copy.py\n",
        "src/keep_copy.py": BAD,
        "src/generated/g.py": BAD,
        "wandb/run-1/files/code/src/train.py": BAD,
        "mlruns/0/artifacts/code/train.py": BAD,
    })


def test_gitignored_files_are_not_checked(tmp_path: Path) -> None:
    _ml_repo(tmp_path)
    result = detlint("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert _findings(result) == [("src/keep_copy.py", "DET101", 5, 15), ("src/train.py", "DET101", 5, 15)]


def test_gitignore_of_the_repository_root_applies_below_it(tmp_path: Path) -> None:
    _ml_repo(tmp_path)
    assert detlint("check", "--show-files", ".", cwd=tmp_path / "src").stdout == "keep_copy.py\ntrain.py\n"
    assert detlint("check", "--show-files", "src", cwd=tmp_path).stdout == "src/keep_copy.py\nsrc/train.py\n"


def test_respect_gitignore_false_checks_gitignored_files(tmp_path: Path) -> None:
    _ml_repo(tmp_path, "respect-gitignore = false")
    result = detlint("check", "--show-files", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "mlruns/0/artifacts/code/train.py", "src/generated/g.py", "src/keep_copy.py", "src/train.py",
        "src/train_copy.py", "wandb/run-1/files/code/src/train.py",
    ]


def test_gitignored_file_named_explicitly_is_checked_unless_force_exclude(tmp_path: Path) -> None:
    _ml_repo(tmp_path)
    named = "wandb/run-1/files/code/src/train.py"
    result = detlint("check", "--no-cache", "--format", "json", named, cwd=tmp_path)
    assert _findings(result) == [(named, "DET101", 5, 15)]
    result = detlint("check", "--no-cache", "--force-exclude", "--format", "json", named, "src/train.py",
                     cwd=tmp_path)
    assert _findings(result) == [("src/train.py", "DET101", 5, 15)]


def test_gitignore_outside_a_git_repository_applies_from_the_config_folder(tmp_path: Path) -> None:
    _write(tmp_path, {
        ".gitignore": "*.py\n",  # above the project: not part of it
        "proj/pyproject.toml": "[tool.detlint]\n",
        "proj/.gitignore": "wandb/\n",
        "proj/train.py": BAD,
        "proj/wandb/copy.py": BAD,
    })
    assert detlint("check", "--show-files", cwd=tmp_path / "proj").stdout == "train.py\n"


def test_respect_gitignore_must_be_a_boolean(tmp_path: Path) -> None:
    _write(tmp_path, {"pyproject.toml": '[tool.detlint]\nrespect-gitignore = "no"\n', "a.py": BAD})
    result = detlint("check", "a.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"detlint: error: {tmp_path / 'pyproject.toml'}: `respect-gitignore` must be true or false\n"


@pytest.mark.parametrize("pattern", ["src/*.py", "src/**/*.py", "**/x.py", "x.py", "src/"])
def test_patterns_match_a_file_directly_in_src(tmp_path: Path, pattern: str) -> None:
    _write(tmp_path, {"pyproject.toml": f'[tool.detlint]\nextend-exclude = ["{pattern}"]\n', "src/x.py": BAD,
                      "y.py": BAD})
    assert detlint("check", "--show-files", cwd=tmp_path).stdout == "y.py\n"


def test_gitignore_rules_follow_git(tmp_path: Path) -> None:
    _write(tmp_path, {
        ".git/info/exclude": "local_*.py\n",
        ".gitignore": "# generated\ndata/\n!data/keep.py\n*.tmp.py\n!local_shared.py\n",
        "sub/.git": "gitdir: ../.git/modules/sub\n",  # a nested repository (submodule)
    })
    config = load_config(Options(), tmp_path)
    excluded = {name: config.is_excluded(tmp_path / name, is_dir=False) for name in (
        "local_a.py", "local_shared.py", "data/keep.py", "x.tmp.py", "deep/er/y.tmp.py", "sub/x.tmp.py", "a.py")}
    assert excluded == {
        "local_a.py": True,  # .git/info/exclude
        "local_shared.py": False,  # .gitignore overrides .git/info/exclude
        "data/keep.py": True,  # nothing inside an ignored folder is re-included
        "x.tmp.py": True, "deep/er/y.tmp.py": True,
        "sub/x.tmp.py": False,  # the outer repository's .gitignore stops at a nested one
        "a.py": False,
    }


def test_negated_exclude_pattern_re_includes_a_file(tmp_path: Path) -> None:
    _write(tmp_path, {"pyproject.toml": '[tool.detlint]\nextend-exclude = ["*_gen.py", "!keep_gen.py"]\n',
                      "a_gen.py": BAD, "keep_gen.py": BAD, "sub/keep_gen.py": BAD})
    assert detlint("check", "--show-files", cwd=tmp_path).stdout == "keep_gen.py\nsub/keep_gen.py\n"
