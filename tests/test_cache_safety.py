"""The result cache under changing projects and hostile cache folders: files created after the cache was
filled, configuration and build changes, untrusted entries (deep, huge, forged, FIFOs), bounded size,
``--cache-dir`` and ``detlint clean``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import detlint
import detlint.cache
from detlint.api import run
from detlint.cache import CACHE_DIR
from detlint.config import Options, load_config

from cliutil import detlint as detlint_cli

BAD = "from sklearn.model_selection import train_test_split\nparts = train_test_split([1, 2])\n"
CLEAN = "x = 1\n"
SEEDING_HELPER = "import keras\n\n\ndef seed_everything():\n    keras.utils.set_random_seed(1)\n"
TRAIN = "import keras\nfrom {module} import seed_everything\n\nseed_everything()\nm = keras.Sequential([])\nm.fit([1], [1])\n"
LAYERS = "import keras\n\n\nclass Scale(keras.layers.Layer):\n    def call(self, x):\n        return x * 2\n"
SAVER = "import keras\nfrom layers import Scale\n\nmodel = keras.Sequential([Scale()])\nmodel.save('model.keras')\n"
SERVE = "import keras\n\nmodel = keras.models.load_model('model.keras')\n"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def _found(root: Path, monkeypatch: pytest.MonkeyPatch, *paths: str, **kwargs: object) -> list[tuple[str, str, int, int]]:
    monkeypatch.chdir(root)
    result = run(list(paths) or ["."], Options(), **kwargs)  # type: ignore[arg-type]
    assert not result.errors
    return [(f.path, f.code, f.line, f.column) for f in result.findings]


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.json"))


# -- item 5: stale results ------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["utils.py", "utils/__init__.py", "src/utils.py"])
def test_seed_helper_created_after_the_cache_was_filled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       layout: str) -> None:
    _write(tmp_path, {"pyproject.toml": "", "train.py": TRAIN.format(module="utils")})
    assert _found(tmp_path, monkeypatch, "train.py") == [("train.py", "DET103", 6, 1)]
    _write(tmp_path, {layout: SEEDING_HELPER})
    assert _found(tmp_path, monkeypatch, "train.py") == []


def test_module_of_a_package_created_after_the_cache_was_filled(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # `pkg` exists, `pkg.seeding` does not yet: resolution stops at `pkg`, which does not define the helper.
    _write(tmp_path, {"pyproject.toml": "", "pkg/__init__.py": "", "train.py": TRAIN.format(module="pkg.seeding")})
    assert _found(tmp_path, monkeypatch, "train.py") == [("train.py", "DET103", 6, 1)]
    _write(tmp_path, {"pkg/seeding.py": SEEDING_HELPER})
    assert _found(tmp_path, monkeypatch, "train.py") == []


def test_model_saver_created_after_the_cache_was_filled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, {"pyproject.toml": "", "layers.py": LAYERS, "serve.py": SERVE})
    assert _found(tmp_path, monkeypatch, "serve.py") == []
    # A module in a new folder now saves that path with an unregistered custom layer: DET302.
    _write(tmp_path, {"jobs/train.py": SAVER})
    assert _found(tmp_path, monkeypatch, "serve.py") == [("serve.py", "DET302", 3, 9)]


def test_existing_module_that_starts_saving_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, {"pyproject.toml": "", "layers.py": LAYERS, "serve.py": SERVE, "train.py": "x = 1\n"})
    assert _found(tmp_path, monkeypatch, "serve.py") == []
    (tmp_path / "train.py").write_text(SAVER)
    assert _found(tmp_path, monkeypatch, "serve.py") == [("serve.py", "DET302", 3, 9)]


def test_transitive_helper_change_invalidates_every_caller(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two callers of the same helper chain: the second one is computed from the first one's memo and must
    # still depend on the module at the end of the chain.
    _write(tmp_path, {
        "pyproject.toml": "",
        "low.py": SEEDING_HELPER,
        "mid.py": "from low import seed_everything as low\n\n\ndef seed_everything():\n    low()\n",
        "a.py": TRAIN.format(module="mid"),
        "b.py": TRAIN.format(module="mid"),
    })
    assert _found(tmp_path, monkeypatch, "a.py", "b.py") == []
    (tmp_path / "low.py").write_text("def seed_everything():\n    pass\n")
    assert _found(tmp_path, monkeypatch, "a.py", "b.py") == [("a.py", "DET103", 6, 1), ("b.py", "DET103", 6, 1)]


def test_exclude_change_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, {"pyproject.toml": "[tool.detlint]\n", "helpers/__init__.py": "",
                      "helpers/seeding.py": SEEDING_HELPER, "train.py": TRAIN.format(module="helpers.seeding")})
    assert _found(tmp_path, monkeypatch, "train.py") == []
    # An excluded folder is not project code any more: the helper is unknown, training is unseeded.
    (tmp_path / "pyproject.toml").write_text('[tool.detlint]\nextend-exclude = ["helpers"]\n')
    assert _found(tmp_path, monkeypatch, "train.py") == [("train.py", "DET103", 6, 1)]


def test_salt_covers_python_libcst_code_and_the_whole_configuration(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import libcst._version

    config = load_config(Options(), tmp_path)
    salt = detlint.cache.cache_salt(config, tmp_path)
    assert detlint.cache.cache_salt(load_config(Options(), tmp_path), tmp_path) == salt  # stable across loads
    (tmp_path / "pyproject.toml").write_text('[tool.detlint]\nexclude = ["gen"]\n')
    assert detlint.cache.cache_salt(load_config(Options(), tmp_path), tmp_path) != salt
    assert detlint.cache.cache_salt(config, tmp_path / "other") != salt
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert detlint.cache.cache_salt(config, tmp_path) != salt
    monkeypatch.undo()
    monkeypatch.setattr(libcst._version, "__version__", "0.0.0")
    assert detlint.cache.cache_salt(config, tmp_path) != salt


def test_new_build_with_the_same_version_is_a_miss(tmp_path: Path) -> None:
    """A changed detlint with an unchanged version string (e.g. pinned to a commit) must not serve old results."""
    package = Path(detlint.__file__).parent
    builds = {}
    for name in ("old", "new"):
        shutil.copytree(package, tmp_path / name / "detlint", ignore=shutil.ignore_patterns("__pycache__"))
        builds[name] = tmp_path / name
    holders = [p for p in (builds["new"] / "detlint").rglob("*.py") if "draws a different split" in p.read_text()]
    assert holders
    for holder in holders:
        holder.write_text(holder.read_text().replace("draws a different split", "draws another split"))
    project = tmp_path / "project"
    _write(project, {"pyproject.toml": "", "a.py": BAD})
    messages = []
    for name in ("old", "new"):
        env = {**os.environ, "PYTHONPATH": str(builds[name]), "NO_COLOR": "1"}
        done = subprocess.run([sys.executable, "-m", "detlint", "check", "--format", "json", "a.py"], cwd=project,
                              capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 1, done.stderr
        messages.append(json.loads(done.stdout)[0]["message"])
    assert "draws a different split" in messages[0] and "draws another split" in messages[1]


# -- item 6: entries are untrusted input ------------------------------------------------------------------


def _filled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> dict[str, Path]:
    """Run once on ``files`` and return each file's cache entry."""
    _write(tmp_path, {"pyproject.toml": "", **files})
    entries = {}
    for name in files:
        before = set(_entries(tmp_path / CACHE_DIR))
        _found(tmp_path, monkeypatch, name)
        [entry] = set(_entries(tmp_path / CACHE_DIR)) - before
        entries[name] = entry
    return entries


def test_deeply_nested_entry_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = _filled(tmp_path, monkeypatch, {"a.py": BAD})["a.py"]
    entry.write_text("[" * 200_000 + "]" * 200_000)
    assert _found(tmp_path, monkeypatch, "a.py") == [("a.py", "DET101", 2, 9)]
    assert json.loads(entry.read_text())["findings"][0]["code"] == "DET101"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_in_the_cache_folder_does_not_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = _filled(tmp_path, monkeypatch, {"a.py": BAD})["a.py"]
    entry.unlink()
    os.mkfifo(entry)
    os.mkfifo(entry.parent / "other.json")
    done = detlint_cli("check", "--format", "json", "a.py", cwd=tmp_path)  # times out if a read blocks
    assert done.returncode == 1, done.stderr
    assert [(f["code"], f["line"], f["column"]) for f in json.loads(done.stdout)] == [("DET101", 2, 9)]
    assert entry.is_file()  # replaced by a real entry


def test_entry_of_another_file_does_not_hide_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entries = _filled(tmp_path, monkeypatch, {"a.py": BAD, "clean.py": CLEAN})
    shutil.copyfile(entries["clean.py"], entries["a.py"])  # valid JSON, valid schema, made for another file
    assert _found(tmp_path, monkeypatch, "a.py") == [("a.py", "DET101", 2, 9)]


@pytest.mark.parametrize("forge", [
    lambda e: e["findings"][0].__setitem__("line", "2"),
    lambda e: e["findings"][0].__setitem__("line", True),
    lambda e: e["findings"][0].__setitem__("path", "elsewhere.py"),
    lambda e: e["findings"][0].__setitem__("fix", {"title": "x", "safe": True, "edits": [[1, 0, 1]]}),
    lambda e: e["findings"][0].pop("message"),
    lambda e: e.__setitem__("findings", {}),
    lambda e: e.__setitem__("deps", []),
    lambda e: e.__setitem__("extra", 1),
    lambda e: e["findings"][0].__setitem__("data", {"kwargs": json.loads("[" * 40 + "]" * 40)}),
], ids=["line-str", "line-bool", "path", "edit", "missing-key", "findings-dict", "deps-list", "extra-key", "deep-data"])
def test_entry_that_does_not_match_the_schema_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          forge: object) -> None:
    entry = _filled(tmp_path, monkeypatch, {"a.py": BAD})["a.py"]
    data = json.loads(entry.read_text())
    data["findings"][0]["message"] = "from the cache"
    forge(data)  # type: ignore[operator]
    entry.write_text(json.dumps(data))
    monkeypatch.chdir(tmp_path)
    [finding] = run(["a.py"], Options()).findings
    assert (finding.path, finding.code, finding.line, finding.column) == ("a.py", "DET101", 2, 9)
    assert finding.message != "from the cache"
    assert json.loads(entry.read_text())["findings"][0]["message"] == finding.message


def test_oversized_entry_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = _filled(tmp_path, monkeypatch, {"a.py": BAD})["a.py"]
    data = json.loads(entry.read_text())
    data["findings"][0]["message"] = "from the cache" + " " * 200_000
    entry.write_text(json.dumps(data))
    monkeypatch.setattr(detlint.cache, "MAX_ENTRY_BYTES", 100_000, raising=False)
    monkeypatch.chdir(tmp_path)
    assert run(["a.py"], Options()).findings[0].message.startswith("`train_test_split` without")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinked_entry_is_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entries = _filled(tmp_path, monkeypatch, {"a.py": BAD, "clean.py": CLEAN})
    entries["a.py"].unlink()
    entries["a.py"].symlink_to(entries["clean.py"])
    assert _found(tmp_path, monkeypatch, "a.py") == [("a.py", "DET101", 2, 9)]
    assert not entries["a.py"].is_symlink()


# -- bounded size, --cache-dir, detlint clean ---------------------------------------------------------------


def test_prune_drops_unused_entries_and_keeps_under_the_size_cap(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"m{i}.py": BAD.replace("[1, 2]", f"[{i}]") for i in range(6)}
    entries = _filled(tmp_path, monkeypatch, files)
    now = time.time()
    for index, name in enumerate(files):  # m0 is the least recently used
        os.utime(entries[name], (now - 3600 * (10 - index), now - 3600 * (10 - index)))
    old = now - 40 * 86400
    os.utime(entries["m5.py"], (old, old))  # not used for 40 days
    cache = detlint.cache.ResultCache(tmp_path / CACHE_DIR, "salt")
    size = entries["m0.py"].stat().st_size
    cache.prune(max_bytes=3 * size + size // 2, now=now)
    assert [name for name in files if entries[name].exists()] == ["m2.py", "m3.py", "m4.py"]


def test_runs_prune_at_most_once_an_interval(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entries = _filled(tmp_path, monkeypatch, {"a.py": BAD, "b.py": CLEAN})
    old = time.time() - 40 * 86400
    os.utime(entries["b.py"], (old, old))
    cache = detlint.cache.ResultCache(tmp_path / CACHE_DIR, "salt")
    assert not cache.prune_if_due() and entries["b.py"].exists()  # the runs above pruned a moment ago
    os.utime(tmp_path / CACHE_DIR / detlint.cache._PRUNE_MARK, (old, old))
    _found(tmp_path, monkeypatch, "a.py")  # the last pruning is long ago: this run prunes
    assert not entries["b.py"].exists() and entries["a.py"].exists()


def test_hit_marks_the_entry_as_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = _filled(tmp_path, monkeypatch, {"a.py": BAD})["a.py"]
    old = time.time() - 20 * 86400
    os.utime(entry, (old, old))
    assert _found(tmp_path, monkeypatch, "a.py") == [("a.py", "DET101", 2, 9)]
    assert entry.stat().st_mtime > time.time() - 3600


def test_cache_dir_option_and_clean(tmp_path: Path) -> None:
    project, cache_dir = tmp_path / "project", tmp_path / "cache"
    _write(project, {"pyproject.toml": "", "a.py": BAD})
    first = detlint_cli("check", "--cache-dir", str(cache_dir), "a.py", cwd=project)
    assert first.returncode == 1, first.stderr
    assert len(_entries(cache_dir)) == 1 and not (project / CACHE_DIR).exists()
    # The default place: the project root, whatever folder detlint runs in.
    _write(project, {"pkg/b.py": BAD})
    assert detlint_cli("check", "b.py", cwd=project / "pkg").returncode == 1
    assert len(_entries(project / CACHE_DIR)) == 1
    cleaned = detlint_cli("clean", cwd=project / "pkg")
    assert cleaned.returncode == 0, cleaned.stderr
    assert not (project / CACHE_DIR).exists() and str(project / CACHE_DIR) in cleaned.stdout
    cleaned = detlint_cli("clean", "--cache-dir", str(cache_dir), cwd=project)
    assert cleaned.returncode == 0, cleaned.stderr
    assert not cache_dir.exists()
    again = detlint_cli("clean", cwd=project)  # nothing to clean: fine
    assert again.returncode == 0, again.stderr


def test_clean_refuses_a_folder_that_is_not_a_cache(tmp_path: Path) -> None:
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "notes.txt").write_text("keep me")
    done = detlint_cli("clean", "--cache-dir", str(tmp_path / "precious"), cwd=tmp_path)
    assert done.returncode == 2 and "--cache-dir" in done.stderr and "not a detlint cache" in done.stderr
    assert (tmp_path / "precious" / "notes.txt").read_text() == "keep me"


def test_cache_dir_from_the_environment(tmp_path: Path) -> None:
    project, cache_dir = tmp_path / "project", tmp_path / "env-cache"
    _write(project, {"pyproject.toml": "", "a.py": BAD})
    done = detlint_cli("check", "a.py", cwd=project, env={"DETLINT_CACHE_DIR": str(cache_dir)})
    assert done.returncode == 1, done.stderr
    assert len(_entries(cache_dir)) == 1 and not (project / CACHE_DIR).exists()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_project_wide_dependency_survives_a_symlink_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, {"pyproject.toml": "", "layers.py": LAYERS, "serve.py": SERVE, "jobs/train.py": SAVER})
    (tmp_path / "jobs" / "loop").symlink_to(tmp_path / "jobs", target_is_directory=True)
    assert _found(tmp_path, monkeypatch, "serve.py") == [("serve.py", "DET302", 3, 9)]
    assert _found(tmp_path, monkeypatch, "serve.py") == [("serve.py", "DET302", 3, 9)]  # a hit: walks again
    (tmp_path / "jobs" / "train.py").write_text("x = 1\n")
    assert _found(tmp_path, monkeypatch, "serve.py") == []
