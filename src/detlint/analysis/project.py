"""The project index: what each module of the project defines that other modules depend on.

Built from per-module summaries (small, picklable), so the index can cover the
whole project while only some files are reported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.facts import FileFacts
from detlint.analysis.origins import Local, is_local, parse_local
from detlint.analysis.values import string_tail
from detlint.knowledge import keras, seeds

_NO_KINDS: frozenset[str] = frozenset()


@dataclass
class ModuleSummary:
    """What other modules may need to know about one module."""

    name: str
    path: str
    # function name -> (seed kinds it sets itself, origins of the functions it calls)
    functions: dict[str, tuple[frozenset[str], tuple[str, ...]]] = field(default_factory=dict)
    # custom objects a model saved by this module needs to load: names -> kind
    custom_objects: dict[str, str] = field(default_factory=dict)
    keras_classes: dict[str, bool] = field(default_factory=dict)  # class name -> registered
    saved_paths: tuple[str, ...] = ()
    imports: frozenset[str] = frozenset()


def module_name_for(path: Path, root: Path | None) -> str | None:
    """Dotted module name of a file under a project root (``src/`` layouts supported)."""
    if root is None:
        return path.stem
    try:
        relative = path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # outside the root, or a symlink loop
        return path.stem
    parts = list(relative.with_suffix("").parts)
    if parts and parts[0] == "src" and len(parts) > 1:
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) if parts else None


def summarize(facts: FileFacts) -> ModuleSummary:
    summary = ModuleSummary(name=facts.module_name or "", path=facts.path, imports=frozenset(facts.imports))
    for info in facts.functions:
        if info.class_name is not None:
            continue
        kinds: set[str] = set()
        callees: list[str] = []
        for call in info.calls:
            callee = call.callee
            if callee is None:
                continue
            direct = seeds.GLOBAL_SEEDS.get(callee)
            if direct:
                kinds |= direct.seeds
            else:
                callees.append(callee)
        summary.functions[info.name] = (frozenset(kinds), tuple(callees))
    summary.custom_objects = needed_custom_objects(facts)
    for info in facts.classes:
        if ml.is_keras_layer_class(facts, info):
            summary.keras_classes[info.name] = ml.is_registered_class(facts, info)
    summary.saved_paths = tuple(saved_model_paths(facts))
    return summary


def needed_custom_objects(facts: FileFacts) -> dict[str, str]:
    """Objects a model built in this module needs at load time: name -> why."""
    needed: dict[str, str] = {}
    hub_nodes = facts.nodes(cst.Attribute) + facts.nodes(cst.Name) if facts.imports_any("tensorflow_hub") else []
    for name_node in hub_nodes:  # type: ignore[operator]
        if facts.origin(name_node) == "tensorflow_hub.KerasLayer" and not isinstance(facts.parent(name_node), cst.Attribute):
            needed["KerasLayer"] = "hub"
            break
    if facts.imports_any("autokeras") and any(
        (c.method == "export_model") for c in facts.calls
    ):
        needed["autokeras"] = "autokeras"
    registered = ml.registered_names(facts)
    for info in facts.classes:
        if ml.is_keras_layer_class(facts, info) and not ml.is_registered_class(facts, info):
            needed[info.name] = "class"
    for call in facts.calls:
        callee = call.callee or ""
        is_compile = call.method == "compile"
        is_layer = callee.startswith("keras.layers.")
        if not (is_compile or is_layer):
            continue
        for keyword in ("loss", "metrics", "activation"):
            arg = call.argument(keyword)
            if arg is None:
                continue
            for name in ml.names_in(arg.value):
                origin = facts.origin(name)
                if is_local(origin, Local.FUNCTION, Local.CLASS) and name.value not in registered:
                    if not _decorated_registered(facts, name.value):
                        needed[name.value] = keyword
    return needed


def _decorated_registered(facts: FileFacts, name: str) -> bool:
    for info in facts.functions:
        if info.name == name and info.class_name is None:
            for decorator in info.decorators:
                target = decorator.func if isinstance(decorator, cst.Call) else decorator
                if facts.origin(target) in keras.REGISTER_DECORATORS:
                    return True
    return False


def saved_model_paths(facts: FileFacts) -> list[str]:
    """Literal paths this module saves a model to."""
    paths = []
    for call in facts.calls:
        path_expr = None
        if call.method == "save" and call.receiver is not None:
            path_expr = call.keyword_value("filepath", 0)
        elif call.callee in keras.SAVE_MODEL_FUNCTIONS:
            path_expr = call.keyword_value("filepath", 1)
        if path_expr is not None:
            tail = string_tail(path_expr, facts)
            if tail:
                paths.append(tail)
    return paths


class ProjectIndex:
    """Module summaries of a project, and the cross-module questions rules ask.

    With a ``loader``, modules of the project that are not linted are summarized on first use
    (read, not reported), so results do not depend on which files were passed."""

    def __init__(self, summaries: dict[str, ModuleSummary] | None = None, loader: "ProjectLoader | None" = None) -> None:
        self.modules: dict[str, ModuleSummary] = dict(summaries or {})
        self.loader = loader
        self._seed_memo: dict[tuple[str, str], frozenset[str]] = {}
        self._savers_loaded = False
        self._packages: frozenset[str] | None = None
        self._missing: set[str] = set()
        self.current: str | None = None  # the module being linted
        self.consulted: set[str] = set()  # other modules its result depended on

    def packages(self) -> frozenset[str]:
        """Top-level names of the project's modules (what an absolute import of project code starts with)."""
        if self._packages is None:
            self._packages = self.loader.packages() if self.loader is not None else frozenset()
        return self._packages.union(name.split(".", 1)[0] for name in self.modules)

    def begin(self, module: str) -> None:
        self.current = module
        self.consulted = set()

    def dependency_paths(self) -> list[str]:
        return sorted(self.modules[name].path for name in self.consulted if name in self.modules)

    def _module(self, name: str) -> ModuleSummary | None:
        summary = self.modules.get(name)
        if summary is None and self.loader is not None and name not in self._missing:
            summary = self.loader.summary(name)
            if summary is not None:
                self.modules[name] = summary
            else:
                self._missing.add(name)  # not a project module (or unreadable): do not look again
        if summary is not None and name != self.current:
            self.consulted.add(name)
        return summary

    def add(self, summary: ModuleSummary) -> None:
        self.modules[summary.name] = summary
        self._seed_memo.clear()

    # -- name resolution --------------------------------------------------------
    def resolve(self, facts_module: str | None, origin: str) -> tuple[ModuleSummary, str] | None:
        """The project module and attribute an imported origin refers to."""
        if origin.startswith("."):
            base = (facts_module or "").split(".")
            level = len(origin) - len(origin.lstrip("."))
            package = base[: len(base) - level] if level <= len(base) else []
            origin = ".".join(package + [origin.lstrip(".")]) if package else origin.lstrip(".")
        package = (facts_module or "").rpartition(".")[0]
        for candidate in (origin, f"{package}.{origin}" if package else None):
            if candidate is None:
                continue
            module, _, attr = candidate.rpartition(".")
            while module:
                summary = self._module(module)
                if summary is not None:
                    return summary, attr
                module, _, rest = module.rpartition(".")
                attr = f"{rest}.{attr}"
        return None

    def seed_kinds_of(self, facts: FileFacts, callee: str) -> frozenset[str]:
        """What calling ``callee`` (an origin in ``facts``' module) seeds, transitively."""
        local_callee = parse_local(callee)
        if local_callee is not None and local_callee.kind is Local.FUNCTION:
            summary = self.modules.get(facts.module_name or "")
            local = summary if summary is not None else summarize(facts)
            return self._function_seeds(local, local_callee.text, set())
        found = self.resolve(facts.module_name, callee)
        if found is None:
            return _NO_KINDS
        summary, attr = found
        return self._function_seeds(summary, attr, set())

    def _function_seeds(self, summary: ModuleSummary, function: str, seen: set[tuple[str, str]]) -> frozenset[str]:
        key = (summary.name, function)
        if key in self._seed_memo:
            return self._seed_memo[key]
        if key in seen or function not in summary.functions:
            return _NO_KINDS
        seen.add(key)
        direct, callees = summary.functions[function]
        kinds = set(direct)
        for callee in callees:
            local = parse_local(callee)
            if local is not None and local.kind is Local.FUNCTION:
                kinds |= self._function_seeds(summary, local.text.split("(", 1)[0], seen)
            elif "(" not in callee:
                target = self.resolve(summary.name, callee)
                if target is not None:
                    kinds |= self._function_seeds(target[0], target[1], seen)
        result = frozenset(kinds)
        self._seed_memo[key] = result
        return result

    def custom_objects_for(self, facts: FileFacts) -> dict[str, str]:
        """Custom objects needed by models this module can load: its own, those of the project
        modules it imports, and those of modules that saved the same literal path."""
        needed = dict(needed_custom_objects(facts))
        for summary in self._imported(facts.module_name, facts.imports):
            needed.update(summary.custom_objects)
        return needed

    def _imported(self, module: str | None, imports: frozenset[str] | set[str]) -> list[ModuleSummary]:
        """Project modules that a module imports (``from pkg.layers import Scale``, ``import pkg.layers``)."""
        found: dict[str, ModuleSummary] = {}
        for origin in sorted(imports):
            for candidate in (origin, origin + ".x"):
                target = self.resolve(module, candidate)
                if target is not None and target[0].name != module:
                    found[target[0].name] = target[0]
                    break
        return list(found.values())

    def custom_objects_for_path(self, facts: FileFacts, path_tail: str) -> dict[str, str]:
        if self.loader is not None and not self._savers_loaded:
            self._savers_loaded = True
            for name in self.loader.model_savers():
                self._module(name)
        needed: dict[str, str] = {}
        for summary in list(self.modules.values()):
            if summary.name != facts.module_name and path_tail in summary.saved_paths:
                self.consulted.add(summary.name)
                needed.update(summary.custom_objects)
                for imported in self._imported(summary.name, summary.imports):
                    needed.update(imported.custom_objects)
        return needed


PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
_SAVE_WORDS = (".save(", "save_model(")


def find_project_root(paths: list[Path]) -> Path:
    """The nearest folder with a project marker above the paths' common parent (else that parent)."""
    resolved = [Path(os.path.abspath(p)) for p in paths] or [Path.cwd()]
    common = Path(os.path.commonpath([str(p if p.is_dir() else p.parent) for p in resolved]))
    for folder in (common, *common.parents):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    return common


class ProjectLoader:
    """Finds and summarizes the project's own modules on demand."""

    def __init__(self, root: Path, is_excluded: "Callable[[Path], bool]", max_files: int = 20000) -> None:
        self.root = root
        self._files: dict[str, Path] | None = None
        self._packages: frozenset[str] | None = None
        self._paths: dict[str, Path | None] = {}
        self._is_excluded = is_excluded
        self._max_files = max_files

    def files(self) -> dict[str, Path]:
        if self._files is None:
            found: dict[str, Path] = {}
            for folder, dirs, names in os.walk(self.root):
                folder_path = Path(folder)
                dirs[:] = sorted(d for d in dirs if not self._is_excluded(folder_path / d))
                for name in sorted(names):
                    path = folder_path / name
                    # regular files only: reading a FIFO would block, a symlink loop cannot be read
                    if name.endswith(".py") and len(found) < self._max_files and os.path.isfile(path):
                        module = module_name_for(path, self.root)
                        if module:
                            found.setdefault(module, path)
            self._files = found
        return self._files

    def path_of(self, module: str) -> Path | None:
        """The file of a module, looked up directly (no walk of the project): the same file the walk in
        :meth:`files` would find first (``a/b.py``, ``a/b/__init__.py``, then under ``src/``)."""
        if self._files is not None:
            return self._files.get(module)
        if module not in self._paths:
            self._paths[module] = self._find(module)
        return self._paths[module]

    def _find(self, module: str) -> Path | None:
        parts = module.split(".")
        if not module or any(not part.isidentifier() for part in parts):
            return None
        for base in (self.root, self.root / "src"):
            for candidate in (base.joinpath(*parts[:-1], parts[-1] + ".py"), base.joinpath(*parts, "__init__.py")):
                folders = [base.joinpath(*parts[:i]) for i in range(1, len(candidate.relative_to(base).parts))]
                if base != self.root:
                    folders.insert(0, base)
                if os.path.isfile(candidate) and not any(self._is_excluded(folder) for folder in folders):
                    return candidate
        return None

    def packages(self) -> frozenset[str]:
        """Top-level module names of the project, from its root (and ``src/``) folder listing."""
        if self._packages is None:
            names: set[str] = set()
            for base in (self.root, self.root / "src"):
                try:
                    entries = list(os.scandir(base))
                except OSError:
                    continue
                for entry in entries:
                    if entry.name.endswith(".py") and entry.is_file():
                        names.add(entry.name[:-3])
                    elif entry.is_dir() and entry.name.isidentifier() and not self._is_excluded(Path(entry.path)):
                        names.add(entry.name)
            names.discard("src")
            self._packages = frozenset(names)
        return self._packages

    def summary(self, module: str) -> ModuleSummary | None:
        path = self.path_of(module)
        if path is None:
            return None
        facts = _facts_of(path, module)
        return None if facts is None else summarize(facts)

    def model_savers(self) -> list[str]:
        """Modules whose text can save a model (cheap text test; summarized by the caller)."""
        names = []
        for module, path in self.files().items():
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if any(word in text for word in _SAVE_WORDS):
                names.append(module)
        return names


def _facts_of(path: Path, module: str) -> FileFacts | None:
    try:
        text = path.read_text(encoding="utf-8")
        return FileFacts(cst.parse_module(text), str(path), module)
    except (OSError, UnicodeDecodeError, cst.ParserSyntaxError, RecursionError, ValueError):
        return None
