"""Configuration: ``[tool.detlint]`` in pyproject.toml, merged with command-line options.

Every key and code is validated; a bad one raises :class:`ConfigError` naming it (exit 2).
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from detlint.engine import Selection
from detlint.limits import DEFAULT_MAX_FILE_SIZE, parse_size
from detlint.rules import all_rules

DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", ".venv", "venv", ".env", "env", "build", "dist", "__pycache__", ".tox", ".nox",
    "node_modules", "site-packages", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".detlint_cache",
    ".ipynb_checkpoints", "*.egg-info", ".eggs",
)
KNOWN_KEYS = frozenset({
    "select", "ignore", "extend-select", "per-file-ignores", "exclude", "extend-exclude", "severity", "seed-name",
    "max-file-size",
})
SEVERITIES = ("error", "warning")


class ConfigError(Exception):
    """Invalid configuration or option; the message names the offending key or value."""


@dataclass(frozen=True)
class Options:
    """Options as given on the command line (None: not given)."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    config_path: Path | None = None
    unsafe_fixes: bool = False


@dataclass(frozen=True)
class Config:
    """The effective configuration of one run."""

    base_dir: Path
    source: Path | None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    seed_name: str | None = None
    unsafe_fixes: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    _cache: dict[str, Selection] = field(default_factory=dict, compare=False, hash=False, repr=False)
    _exclusion_cache: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    # -- rule selection ----------------------------------------------------------
    def enabled_codes(self) -> frozenset[str]:
        rules = all_rules()
        if self.select is None:
            enabled = {code for code, rule in rules.items() if rule.meta.default_enabled}
        else:
            enabled = set(expand_codes(self.select, "select"))
        enabled |= set(expand_codes(self.extend_select, "extend-select"))
        enabled -= set(expand_codes(self.ignore, "ignore"))
        return frozenset(enabled)

    def selection_for(self, path: str) -> Selection:
        """The rules and severities that apply to one file (per-file-ignores included)."""
        ignored: set[str] = set()
        for pattern, codes in self.per_file_ignores:
            if _matches(path, pattern, self.base_dir):
                ignored |= set(expand_codes(codes, f"per-file-ignores.{pattern}"))
        key = ",".join(sorted(ignored))
        cached = self._cache.get(key)
        if cached is None:
            cached = Selection(self.enabled_codes() - ignored, dict(self.severity), self.seed_name, self.unsafe_fixes,
                               self.max_file_size)
            self._cache[key] = cached
        return cached

    def is_excluded(self, path: Path) -> bool:
        component, others = self._exclusion_patterns()
        if component is not None and any(component.match(part) for part in Path(path).as_posix().split("/")):
            return True
        return any(_matches(str(path), pattern, self.base_dir) for pattern in others)

    def _exclusion_patterns(self) -> tuple["re.Pattern[str] | None", tuple[str, ...]]:
        """Patterns that match one path component, as one compiled regex (checked for every file of a
        walk, so it must be cheap), and the patterns with a '/' that match relative paths."""
        cached = self._exclusion_cache.get("patterns")
        if cached is None:
            patterns = (*self.exclude, *self.extend_exclude)
            component = [p.rstrip("/") for p in patterns if "/" not in p.rstrip("/")]
            others = tuple(p for p in patterns if "/" in p.rstrip("/"))
            regex = re.compile("|".join(fnmatch.translate(p) for p in component)) if component else None
            cached = self._exclusion_cache["patterns"] = (regex, others)
        return cached

    def fingerprint(self) -> str:
        """A stable text of everything that changes results (for the cache key)."""
        return repr((self.select, self.ignore, self.extend_select, self.per_file_ignores, self.severity,
                     self.seed_name, str(self.base_dir), self.max_file_size))


def expand_codes(codes: Iterable[str], key: str) -> list[str]:
    """Turn codes and prefixes (``DET1``, ``DET``, ``ALL``) into rule codes; unknown ones are errors."""
    known = all_rules()
    expanded: list[str] = []
    for raw in codes:
        code = raw.strip().upper()
        if code == "ALL":
            expanded.extend(known)
            continue
        matching = [c for c in known if c.startswith(code)] if code else []
        if not matching:
            raise ConfigError(f"{key}: unknown rule code or prefix {raw!r} (see `detlint rules`)")
        expanded.extend(matching)
    return expanded


def _matches(path: str, pattern: str, base_dir: Path) -> bool:
    """gitignore-like matching: a pattern without '/' matches any path component or the file name;
    one with '/' matches the path relative to the configuration's folder."""
    posix = PurePosixPath(Path(path).as_posix())
    if "/" not in pattern.rstrip("/"):
        pattern = pattern.rstrip("/")
        return any(fnmatch.fnmatchcase(part, pattern) for part in posix.parts)
    try:
        relative = PurePosixPath(_absolute(Path(path)).relative_to(_absolute(base_dir)).as_posix())
    except ValueError:
        relative = posix
    pattern = pattern.lstrip("./").rstrip("/")
    text = str(relative)
    return fnmatch.fnmatchcase(text, pattern) or fnmatch.fnmatchcase(text, pattern + "/*") or \
        any(fnmatch.fnmatchcase(str(parent), pattern) for parent in relative.parents)


def _absolute(path: Path) -> Path:
    """An absolute, normalised path without resolving symlinks (a symlink loop must not raise)."""
    return Path(os.path.abspath(path))


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml with a ``[tool.detlint]`` table, from ``start`` upwards."""
    current = _absolute(start)
    if current.is_file():
        current = current.parent
    for folder in (current, *current.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
                continue
            if isinstance(data.get("tool"), dict) and "detlint" in data["tool"]:
                return candidate
    return None


def load_config(options: Options, start: Path) -> Config:
    path = options.config_path or find_config(start)
    table: dict[str, Any] = {}
    base_dir = _absolute(start) if start.is_dir() else _absolute(start).parent
    if path is not None:
        table = _read_table(path, explicit=options.config_path is not None)
        base_dir = _absolute(path).parent
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) in [tool.detlint]: {', '.join(unknown)}")
    select = _codes(table, "select", path)
    config = Config(
        base_dir=base_dir,
        source=path,
        select=tuple(options.select) if options.select is not None else select,
        ignore=(*_codes(table, "ignore", path, ()), *options.ignore),
        extend_select=(*_codes(table, "extend-select", path, ()), *options.extend_select),
        per_file_ignores=_per_file_ignores(table, path),
        exclude=tuple(_strings(table, "exclude", path, DEFAULT_EXCLUDES)),
        extend_exclude=tuple(_strings(table, "extend-exclude", path, ())),
        severity=_severities(table, path),
        seed_name=_seed_name(table, path),
        unsafe_fixes=options.unsafe_fixes,
        max_file_size=_max_file_size(table, path),
    )
    config.enabled_codes()  # validate codes early
    for pattern, codes in config.per_file_ignores:
        expand_codes(codes, f"per-file-ignores.{pattern}")
    return config


def _read_table(path: Path, explicit: bool) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read config file {path}: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    if path.name == "pyproject.toml" or "tool" in data:
        table = data.get("tool", {}).get("detlint", {}) if isinstance(data.get("tool"), dict) else {}
    else:  # a detlint.toml given with --config holds the keys at top level
        table = data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.detlint] must be a table")
    return table


def _strings(table: dict[str, Any], key: str, path: Path | None, default: Iterable[str]) -> list[str]:
    if key not in table:
        return list(default)
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: `{key}` must be a list of strings")
    return value


def _codes(table: dict[str, Any], key: str, path: Path | None, default: Any = None) -> Any:
    if key not in table:
        return default
    return tuple(_strings(table, key, path, ()))


def _per_file_ignores(table: dict[str, Any], path: Path | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    value = table.get("per-file-ignores", {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: `per-file-ignores` must be a table of glob = [codes]")
    result = []
    for pattern, codes in value.items():
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ConfigError(f"{path}: `per-file-ignores.{pattern}` must be a list of codes")
        result.append((pattern, tuple(codes)))
    return tuple(result)


def _severities(table: dict[str, Any], path: Path | None) -> tuple[tuple[str, str], ...]:
    value = table.get("severity", {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: `severity` must be a table of CODE = \"error\"|\"warning\"")
    result = []
    for code, level in value.items():
        if level not in SEVERITIES:
            raise ConfigError(f"{path}: `severity.{code}` must be one of {', '.join(SEVERITIES)}, not {level!r}")
        for expanded in expand_codes([code], f"severity.{code}"):
            result.append((expanded, level))
    return tuple(result)


def _seed_name(table: dict[str, Any], path: Path | None) -> str | None:
    value = table.get("seed-name")
    if value is None:
        return None
    if not isinstance(value, str) or not value.isidentifier():
        raise ConfigError(f"{path}: `seed-name` must be a Python identifier, not {value!r}")
    return value


def _max_file_size(table: dict[str, Any], path: Path | None) -> int:
    if "max-file-size" not in table:
        return DEFAULT_MAX_FILE_SIZE
    size = parse_size(table["max-file-size"])
    if size is None:
        raise ConfigError(f"{path}: `max-file-size` must be a positive number of bytes or a size such as "
                          f"\"2MB\", not {table['max-file-size']!r}")
    return size
