"""``--show-settings`` and ``--show-files``: what a run would use and which files it would check, without
linting anything."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from detlint.config import Config, ConfigError, Options, load_config
from detlint.discovery import discover

STDIN_DISPLAY = "<stdin>"


def config_for(paths: list[str], options: Options, stdin_filename: str | None = None) -> Config:
    """The configuration a run over ``paths`` uses (found from the first path, as a run finds it)."""
    anchor = Path(stdin_filename) if paths == ["-"] and stdin_filename else Path(paths[0] if paths else ".")
    return load_config(options, anchor if anchor.exists() else Path.cwd())


def show(paths: list[str], options: Options, *, files: bool, force_exclude: bool, stdin_filename: str | None,
         out: TextIO, err: TextIO) -> int:
    """Print the settings (``files`` False) or the files to check; the exit code (0, or 2 on errors)."""
    try:
        config = config_for(paths, options, stdin_filename)
    except ConfigError as error:
        err.write(f"detlint: error: {error}\n")
        return 2
    if not files:
        out.write(render_settings(config))
        return 0
    if paths == ["-"]:
        name = stdin_filename or STDIN_DISPLAY
        if not (force_exclude and stdin_filename and config.is_excluded(Path(stdin_filename))):
            out.write(name + "\n")
        return 0
    found, errors = discover(paths, config, force_exclude)
    for display in sorted(source.display for source in found):
        out.write(display + "\n")
    for message in errors:
        err.write(f"detlint: error: {message}\n")
    return 2 if errors else 0


def render_settings(config: Config) -> str:
    """The resolved configuration as TOML, headed by the file it came from."""
    lines = [f"# settings from {config.source}" if config.source else "# no configuration file found: defaults"]

    def put(key: str, value: Any) -> None:
        lines.append(f"{key} = {_toml(value)}")

    if config.source is not None:
        put("config-file", str(config.source))
    put("base-dir", str(config.base_dir))
    if config.select is not None:
        put("select", list(config.select))
    put("extend-select", list(config.extend_select))
    put("ignore", list(config.ignore))
    put("enabled-rules", sorted(config.enabled_codes()))
    put("exclude", list(config.exclude))
    put("extend-exclude", list(config.extend_exclude))
    put("respect-gitignore", config.respect_gitignore)
    if config.seed_name is not None:
        put("seed-name", config.seed_name)
    put("unsafe-fixes", config.unsafe_fixes)
    for table, pairs in (("per-file-ignores", [(p, list(c)) for p, c in config.per_file_ignores]),
                         ("severity", list(config.severity))):
        lines.extend(("", f"[{table}]"))
        lines.extend(f"{_toml(key)} = {_toml(value)}" for key, value in pairs)
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):  # a JSON string is a TOML basic string, once DEL is escaped too
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    return "[" + ", ".join(_toml(item) for item in value) + "]"
