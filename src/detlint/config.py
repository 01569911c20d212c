"""Configuration: ``[tool.detlint]`` in pyproject.toml, merged with command-line options.

Every key and code is validated; a bad one raises :class:`ConfigError` naming it (exit 2).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable

from detlint.engine import Selection
from detlint.patterns import GitIgnoreFiles, PatternMatcher
from detlint.limits import DEFAULT_MAX_FILE_SIZE, parse_size
from detlint.rules import all_rules

DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", ".venv", "venv", ".env", "env", "build", "dist", "__pycache__", ".tox", ".nox",
    "node_modules", "site-packages", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".detlint_cache",
    ".ipynb_checkpoints", "*.egg-info", ".eggs",
)
KNOWN_KEYS = frozenset({
    "select", "ignore", "extend-select", "per-file-ignores", "exclude", "extend-exclude", "severity", "seed-name",
    "respect-gitignore",
    "max-file-size", "extend",
})
# Configuration files, in the order they win within one folder (as ruff's `.ruff.toml`, `ruff.toml`,
# `pyproject.toml`): the first two hold detlint's keys at the top level and always count.
CONFIG_FILES = (".detlint.toml", "detlint.toml", "pyproject.toml")
MAX_EXTEND_DEPTH = 16
SEVERITIES = ("error", "warning")


class ConfigError(Exception):
    """Invalid configuration or option; the message names the offending key or value."""


class _TransientCache(dict):  # type: ignore[type-arg]
    """A per-process memo: never pickled (worker processes build their own)."""

    def __reduce__(self) -> tuple[type, tuple[()]]:
        return (_TransientCache, ())


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
    respect_gitignore: bool = True
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    _cache: dict[str, Selection] = field(default_factory=dict, compare=False, hash=False, repr=False)
    _exclusion_cache: dict[str, Any] = field(default_factory=_TransientCache, compare=False, hash=False, repr=False)

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
        if self.per_file_ignores:
            matchers = self._per_file_ignore_matchers()
            relative = matchers[0][0].relative(path)
            for (matcher, codes), (pattern, _) in zip(matchers, self.per_file_ignores):
                if matcher.matches_relative(relative):
                    ignored |= set(expand_codes(codes, f"per-file-ignores.{pattern}"))
        key = ",".join(sorted(ignored))
        cached = self._cache.get(key)
        if cached is None:
            cached = Selection(self.enabled_codes() - ignored, dict(self.severity), self.seed_name, self.max_file_size)
            self._cache[key] = cached
        return cached

    def is_excluded(self, path: Path, is_dir: bool | None = None) -> bool:
        """Whether ``exclude``/``extend-exclude`` or (with ``respect-gitignore``) a ``.gitignore`` file
        excludes ``path``; ``is_dir`` saves a stat when the caller knows it."""
        matcher, gitignore = self._exclusion_matchers()
        absolute = os.path.abspath(path)  # once: the walk asks for every file
        if is_dir is None:
            is_dir = os.path.isdir(absolute)
        if matcher.matches(absolute, is_dir):
            return True
        return gitignore is not None and gitignore.is_ignored(absolute, is_dir)

    def _exclusion_matchers(self) -> tuple[PatternMatcher, GitIgnoreFiles | None]:
        cached = self._exclusion_cache.get("exclude")
        if cached is None:
            matcher = PatternMatcher(self.base_dir, (*self.exclude, *self.extend_exclude))
            cached = (matcher, GitIgnoreFiles(self.base_dir) if self.respect_gitignore else None)
            self._exclusion_cache["exclude"] = cached
        return cached

    def _per_file_ignore_matchers(self) -> list[tuple[PatternMatcher, tuple[str, ...]]]:
        cached = self._exclusion_cache.get("per-file-ignores")
        if cached is None:
            cached = [(PatternMatcher(self.base_dir, [pattern]), codes) for pattern, codes in self.per_file_ignores]
            self._exclusion_cache["per-file-ignores"] = cached
        return cached

    def fingerprint(self) -> str:
        """A stable text of the whole effective configuration (for the cache key): every public field, so
        a field added later is covered too (its repr must be stable across runs)."""
        return repr([(item.name, getattr(self, item.name)) for item in fields(self) if not item.name.startswith("_")])


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


def _absolute(path: Path) -> Path:
    """An absolute, normalised path without resolving symlinks (a symlink loop must not raise)."""
    return Path(os.path.abspath(path))


def find_config(start: Path) -> Path | None:
    """The nearest ``.detlint.toml`` or ``detlint.toml``, or pyproject.toml with a ``[tool.detlint]``
    table, from ``start`` upwards.

    A pyproject.toml that cannot be read as TOML may hold the table meant for this run: it is an error,
    never skipped for a parent's configuration or the defaults."""
    current = _absolute(start)
    if current.is_file():
        current = current.parent
    for folder in (current, *current.parents):
        for name in CONFIG_FILES[:2]:
            if (folder / name).is_file():
                return folder / name
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            data = _parse_toml(candidate)
            if isinstance(data.get("tool"), dict) and "detlint" in data["tool"]:
                return candidate
    return None


_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _parse_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read config file {path}: {error}") from None
    if sys.version_info >= (3, 11):  # imported here: a run without a config file does without it
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, column, message = _toml_error_position(error, text)
        raise ConfigError(f"{path}:{line}:{column}: invalid TOML: {message}") from None


def _toml_error_position(error: "tomllib.TOMLDecodeError", text: str) -> tuple[int, int, str]:
    """Line, column (1-based) and message of a TOML error. Python 3.14 has them as attributes; before,
    they are only in the message, and an error at the end of the document has no position at all."""
    message = str(getattr(error, "msg", None) or error)
    found = _TOML_POSITION.search(message)
    if found:
        message = message[:found.start()]
    lineno, colno = getattr(error, "lineno", None), getattr(error, "colno", None)
    if isinstance(lineno, int) and isinstance(colno, int):
        return lineno, colno, message
    if found and found.group(1):
        return int(found.group(1)), int(found.group(2)), message
    return text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1, message


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
    select, ignore, extend_select = _rule_selection(table, path, options)
    config = Config(
        base_dir=base_dir,
        source=path,
        select=select,
        ignore=ignore,
        extend_select=extend_select,
        per_file_ignores=_per_file_ignores(table, path),
        exclude=tuple(_strings(table, "exclude", path, DEFAULT_EXCLUDES)),
        extend_exclude=tuple(_strings(table, "extend-exclude", path, ())),
        severity=_severities(table, path),
        seed_name=_seed_name(table, path),
        unsafe_fixes=options.unsafe_fixes,
        respect_gitignore=_boolean(table, "respect-gitignore", path, True),
        max_file_size=_max_file_size(table, path),
    )
    config.enabled_codes()  # validate codes early
    for pattern, codes in config.per_file_ignores:
        expand_codes(codes, f"per-file-ignores.{pattern}")
    return config


def _rule_selection(table: dict[str, Any], path: Path | None, options: Options,
                    ) -> tuple[tuple[str, ...] | None, tuple[str, ...], tuple[str, ...]]:
    """select, ignore and extend-select. As in ruff, a ``--select`` on the command line starts the
    selection afresh: the configuration's select, extend-select and ignore give way to it (its
    per-file-ignores still apply); without one, the command line's lists extend the configuration's."""
    select = _codes(table, "select", path)
    ignore = _codes(table, "ignore", path, ())
    extend_select = _codes(table, "extend-select", path, ())
    if select == ():
        raise ConfigError(f"{path}: `select` is empty, which would enable no rule; leave it out for the defaults")
    if options.select is not None and not options.select:
        raise ConfigError("--select: no rule code given; leave it out for the defaults")
    for key, codes in (("select", select or ()), ("ignore", ignore), ("extend-select", extend_select)):
        expand_codes(codes, key)  # validated even where the command line overrides them
    if options.select is not None:
        return tuple(options.select), tuple(options.ignore), tuple(options.extend_select)
    return select, (*ignore, *options.ignore), (*extend_select, *options.extend_select)


def _read_table(path: Path, explicit: bool, chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The detlint table of a configuration file, with what it ``extend``s underneath it."""
    table = _own_table(path)
    if "extend" not in table:
        return table
    base = table.pop("extend")
    if not isinstance(base, str) or not base:
        raise ConfigError(f"{path}: `extend` must be the path of another configuration file")
    parent = _absolute(path).parent / Path(base).expanduser()
    here = Path(os.path.realpath(path))
    if here in chain or Path(os.path.realpath(parent)) in (*chain, here):
        raise ConfigError(f"{path}: `extend` = {base!r} makes a cycle of configuration files")
    if len(chain) >= MAX_EXTEND_DEPTH:
        raise ConfigError(f"{path}: `extend` chains more than {MAX_EXTEND_DEPTH} configuration files")
    if not parent.is_file():
        raise ConfigError(f"{path}: `extend` = {base!r}: no such file ({parent})")
    return _merged(_read_table(parent, explicit=True, chain=(*chain, here)), table)


def _merged(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """The extending file wins key by key; its ``extend-*`` lists add to the base's and its tables
    (``per-file-ignores``, ``severity``) add or replace entries."""
    merged = dict(base)
    for key, value in own.items():
        if key.startswith("extend-") and isinstance(value, list) and isinstance(base.get(key), list):
            merged[key] = [*base[key], *value]
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = {**base[key], **value}
        else:
            merged[key] = value
    return merged


def _own_table(path: Path) -> dict[str, Any]:
    data = _parse_toml(path)
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


def _boolean(table: dict[str, Any], key: str, path: Path | None, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{path}: `{key}` must be true or false")
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
