"""The GitHub Action (action.yml): its check step, run as the runner would, on a temporary repository."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from cliutil import BAD, CLEAN, DATA

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())


def _step(step_id_or_name: str) -> dict:
    return next(s for s in ACTION["runs"]["steps"] if step_id_or_name in (s.get("id"), s.get("name")))


def _run_check_step(repo: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """The check step's `run:` line with GitHub's expressions filled in, run with bash in ``repo``."""
    step = _step("check")
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()} | inputs

    def expression(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "github.action_path":
            return str(ROOT)
        return values[name.removeprefix("inputs.")]

    env = {key: re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", expression, value) for key, value in step["env"].items()}
    command = re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", expression, step["run"])
    output = repo / "github_output"
    output.write_text("")
    src = str(ROOT / "src")
    full_env = {**os.environ, **env, "GITHUB_OUTPUT": str(output), "PYTHON": sys.executable, "NO_COLOR": "1",
                "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    result = subprocess.run(["bash", "-c", command], cwd=repo, env=full_env, capture_output=True, text=True,
                            timeout=300)
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    return result, outputs


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "split.py").write_text(BAD)
    (tmp_path / "src" / "clean.py").write_text(CLEAN)
    return tmp_path


def test_findings_fail_the_job_and_write_valid_sarif(repo: Path) -> None:
    result, outputs = _run_check_step(repo, args="src")
    assert result.returncode == 1, result.stdout + result.stderr
    sarif = json.loads((repo / "detlint.sarif").read_text())
    jsonschema.validate(sarif, json.loads((DATA / "sarif-schema-2.1.0.json").read_text()))
    [found] = sarif["runs"][0]["results"]
    assert found["ruleId"] == "DET101"
    assert found["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert outputs == {"sarif-file": "detlint.sarif", "findings": "1"}
    assert "::error " in result.stdout and "DET101" in result.stdout  # the run's annotations


def test_fail_on_findings_false_keeps_the_job_green(repo: Path) -> None:
    result, outputs = _run_check_step(repo, args="src", **{"fail-on-findings": "false", "sarif-file": "out.sarif"})
    assert result.returncode == 0, result.stderr
    assert outputs["findings"] == "1" and (repo / "out.sarif").is_file()


def test_clean_code_passes(repo: Path) -> None:
    result, outputs = _run_check_step(repo, args="src/clean.py")
    assert result.returncode == 0, result.stderr
    assert outputs["findings"] == "0"


def test_a_bad_configuration_always_fails_with_2(repo: Path) -> None:
    (repo / "pyproject.toml").write_text("[project]\nname = 'demo'\n\n[tool.detlint]\nselcet = ['DET1']\n")
    result, _ = _run_check_step(repo, args="src", **{"fail-on-findings": "false"})
    assert result.returncode == 2
    assert "selcet" in result.stderr and "::error title=detlint::" in result.stderr


def test_install_step_pins_the_version_input() -> None:
    install = _step("Install detlint")
    assert '"detlint==$DETLINT_VERSION"' in install["run"]
    assert install["env"]["DETLINT_VERSION"] == "${{ inputs.version }}"


def test_readme_workflow_uses_the_actions_inputs() -> None:
    readme = (ROOT / "README.md").read_text()
    workflow = yaml.safe_load(re.search(r"```yaml\n(name: detlint\n.*?)```", readme, re.DOTALL).group(1))
    steps = workflow["jobs"]["detlint"]["steps"]
    ours = next(s for s in steps if s.get("id") == "detlint")
    assert set(ours["with"]) <= set(ACTION["inputs"])
    upload = next(s for s in steps if s["uses"].startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == ours["with"]["sarif-file"]
    assert workflow["permissions"]["security-events"] == "write"
