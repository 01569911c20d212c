"""The project index: what each module of the project defines that other modules depend on.

Built from per-module summaries (small, picklable), so the index can cover the
whole project while only some files are reported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping

import libcst as cst

from detlint.analysis import kinds as value_kinds, ml, saves
from detlint.analysis.kinds import Kind
from detlint.analysis.persistence import PersistenceSummary, summarize_persistence
from detlint.analysis.facts import FileFacts
from detlint.analysis.order import OrderedParameter, OrderUse
from detlint.analysis.origins import Local, parse_local
from detlint.analysis.provenance import ProvenanceSummary, summarize_provenance
from detlint.cst_parse import parse_module
from detlint.isolate import ChildCrashed, can_fork, run_in_child
from detlint.limits import DEFAULT_MAX_FILE_SIZE, ISOLATE_ABOVE
from detlint.knowledge import seeds

if TYPE_CHECKING:  # the exchange (pickle, shutil, tempfile) is imported by parallel runs only
    from detlint.analysis.exchange import SummaryExchange

_NO_KINDS: frozenset[str] = frozenset()


@dataclass
class ModuleSummary:
    """What other modules may need to know about one module."""

    name: str
    path: str
    # function name -> (seed kinds it sets itself, origins of the functions it calls)
    functions: dict[str, tuple[frozenset[str], tuple[str, ...]]] = field(default_factory=dict)
    keras_classes: dict[str, bool] = field(default_factory=dict)  # class name -> registered
    imports: frozenset[str] = frozenset()
    # helper name -> (model position, path position) for `def save_model(model, path): model.save(path)`
    model_save_helpers: dict[str, tuple[int, int]] = field(default_factory=dict)
    # which model each save saves, and what it needs to load (DET302 provenance)
    provenance: "ProvenanceSummary | None" = None
    # what other modules get from this one's names, by key ``build()``/``Net()`` (calling it) or ``model_1``
    # (a module-level value): a kind's value (see analysis/kinds.py), or an origin whose kind it has
    kinds: dict[str, str] = field(default_factory=dict)
    kind_links: dict[str, str] = field(default_factory=dict)

    def defines(self, name: str) -> bool:
        """Whether the module defines a function, class or value of that name (``from module import *``)."""
        return name in self.functions or f"{name}()" in self.kinds or f"{name}()" in self.kind_links \
            or name in self.kinds or name in self.kind_links

    @property
    def relative_base(self) -> str:
        """The module name relative imports of this module count from (a package's ``__init__`` is inside it)."""
        return f"{self.name}.__init__" if self.path.endswith("__init__.py") else self.name
    # function name -> parameters whose order reaches something ordered inside it (see OrderUse.ordered_parameters)
    ordered_parameters: dict[str, tuple[OrderedParameter, ...]] = field(default_factory=dict)
    # what the module persists, for DET301 (helpers, factories, what callers do with function results)
    persistence: PersistenceSummary = field(default_factory=PersistenceSummary)


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
    for info in facts.classes:
        if ml.is_keras_layer_class(facts, info):
            summary.keras_classes[info.name] = ml.is_registered_class(facts, info)
    summary.model_save_helpers = saves.model_save_helpers(facts)
    summary.provenance = summarize_provenance(facts)
    summary.kinds, summary.kind_links = value_kinds.summary_kinds(facts)
    summary.ordered_parameters = OrderUse(facts).ordered_parameters()
    summary.persistence = summarize_persistence(facts)
    return summary


class ProjectIndex:
    """Module summaries of a project, and the cross-module questions rules ask.

    With a ``loader``, modules of the project that are not linted are summarized on first use
    (read, not reported), so results do not depend on which files were passed."""

    def __init__(self, summaries: dict[str, ModuleSummary] | None = None, loader: "ProjectLoader | None" = None) -> None:
        self.modules: dict[str, ModuleSummary] = dict(summaries or {})
        self.loader = loader
        self._seed_memo: dict[tuple[str, str], frozenset[str]] = {}
        self._kind_memo: dict[tuple[str | None, str], Kind] = {}
        self._savers_loaded = False
        self._packages: frozenset[str] | None = None
        self._missing: set[str] = set()
        self.current: str | None = None  # the module being linted
        self.consulted: set[str] = set()  # other module names its result depended on, found or not
        self._listed_packages = False  # its result depended on the project's top-level listing
        self._walked = False  # its result depended on every module of the project

    def packages(self) -> frozenset[str]:
        """Top-level names of the project's modules (what an absolute import of project code starts with)."""
        self._listed_packages = True
        if self._packages is None:
            self._packages = self.loader.packages() if self.loader is not None else frozenset()
        names = self._packages.union(name.split(".", 1)[0] for name in self.modules)
        # A script's own folder is on sys.path: ``from model import CNN`` next to it is project code too.
        package = (self.current or "").rpartition(".")[0]
        if package:
            prefix = package + "."
            names = names.union(name[len(prefix):].split(".", 1)[0]
                                for name in self.modules if name.startswith(prefix))
            if self.loader is not None:
                names = names.union(self.loader.folder_names(package))
        return names

    def ensure_begun(self, module: str) -> None:
        """:meth:`begin` unless that module is already the current one (the caller began it): what its result
        depended on so far (the pre-filter's question about project packages) is kept."""
        if module != self.current:
            self.begin(module)

    def begin(self, module: str) -> None:
        self.current = module
        self.consulted = set()
        self._listed_packages = False
        self._walked = False

    def dependency_paths(self) -> list[str]:
        """The files the current module's result depended on, including the places where a module it
        imports would be found but is not (yet): creating one of those changes the result too."""
        paths = {self.modules[name].path for name in self.consulted if name in self.modules}
        if self.loader is not None:
            for name in self.consulted:
                paths.update(self.loader.watch_paths(name))
        return sorted(paths)

    def dependency_folders(self) -> list[str]:
        """Folders whose listing (module files and subfolders) the current module's result depended on."""
        if self.loader is None or not self._listed_packages:
            return []
        folders = [str(base) for base in self.loader.bases()]
        package = (self.current or "").rpartition(".")[0]
        folder = self.loader.package_folder(package) if package else None
        return folders + ([str(folder)] if folder is not None else [])

    def depends_on_every_module(self) -> bool:
        """Whether the current module's result depended on every module of the project (see
        :meth:`ProjectLoader.state_digest`)."""
        return self._walked

    def _module(self, name: str) -> ModuleSummary | None:
        summary = self.modules.get(name)
        if summary is None and self.loader is not None and name not in self._missing:
            summary = self.loader.summary(name)
            if summary is not None:
                self.modules[name] = summary
            else:
                self._missing.add(name)  # not a project module (or unreadable): do not look again
        if name != self.current:
            self.consulted.add(name)  # also when missing: a module created later changes the result
        return summary

    def add(self, summary: ModuleSummary) -> None:
        self.modules[summary.name] = summary
        self._seed_memo.clear()
        self._kind_memo.clear()

    def add_linted(self, summary: ModuleSummary, text: str) -> None:
        """Add the summary of the module being linted, made from ``text``; other workers of the run get it
        too (see :mod:`detlint.analysis.exchange`)."""
        self.add(summary)
        exchange = self.loader.exchange if self.loader is not None else None
        if exchange is not None:
            exchange.publish(exchange.key(summary.name, text), summary)

    def parsed(self, text: str) -> cst.Module | None:
        """The LibCST module of ``text`` if it was parsed for a summary earlier in this run (then the
        file is not parsed again when it is linted); each is handed out once."""
        return self.loader.take_parsed(text) if self.loader is not None else None

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

    def is_project_origin(self, module: str | None, origin: str) -> bool:
        """Whether an origin written in ``module`` names something of another module of the project."""
        if not value_kinds.may_be_project_origin(origin):
            return False
        current = self.modules.get(module or "")
        dotted = origin.split("(", 1)[0].split("[", 1)[0]
        found = self.resolve(current.relative_base if current is not None else module, dotted)
        return found is not None and found[0].name != module

    def kind_of_origin(self, module: str | None, origin: str, _depth: int = 0) -> Kind:
        """The kind of an origin written in ``module`` that names another module of the project
        (``models.unet.build_unet()``, ``model.CNN()``, ``models.model1.model_1``), transitively."""
        key = (module, origin)
        if key in self._kind_memo:
            return self._kind_memo[key]
        self._kind_memo[key] = Kind.UNKNOWN  # guards against cycles
        kind = self._kind_of_origin(module, origin, _depth)
        self._kind_memo[key] = kind
        return kind

    def _kind_of_origin(self, module: str | None, origin: str, depth: int) -> Kind:
        if depth > 12:
            return Kind.UNKNOWN
        cut = len(origin)
        for mark in ("(", "["):
            at = origin.find(mark)
            if at != -1:
                cut = min(cut, at)
        dotted, rest = origin[:cut], origin[cut:]
        current = self.modules.get(module or "")
        found = self.resolve(current.relative_base if current is not None else module, dotted)
        if found is None:
            return Kind.UNKNOWN
        summary, attr = found
        if summary.name == module:
            return Kind.UNKNOWN
        wanted = attr + rest
        if wanted in summary.kinds:
            return Kind(summary.kinds[wanted])
        name, dot, tail = attr.partition(".")
        for key, suffix in ((wanted, ""), (name, (dot + tail) + rest)):
            link = summary.kind_links.get(key)
            if link is not None:
                linked = link + suffix
                target = value_kinds.origin_kind_without_module(linked)
                if target.known:
                    return target
                if value_kinds.may_be_project_origin(linked):
                    return self.kind_of_origin(summary.name, linked, depth + 1)
        return Kind.UNKNOWN

    def model_save_helper(self, facts: FileFacts, origin: str) -> tuple[int, int] | None:
        """(model position, path position) when an imported origin is another module's model-save helper."""
        target = self.resolve(facts.module_name, origin)
        if target is None or target[0].name == facts.module_name:
            return None
        return target[0].model_save_helpers.get(target[1])

    def modules_mentioning(self, word: str) -> list[ModuleSummary]:
        """Summaries of the project's modules whose text contains ``word`` (callers of a function of that
        name, say); without a loader, the modules known so far. The result depends on every module."""
        if self.loader is not None:
            self._walked = True  # a module created later may mention it
            for name in self.loader.modules_containing(word):
                self._module(name)
        return [summary for summary in list(self.modules.values())
                if summary.name == self.current or word in summary.persistence.result_fates_names()]

    def saving_modules(self) -> list[ModuleSummary]:
        """Every module of the project that may save a model: the current module's result then depends
        on all of them (any module, existing or created later, may save the path it loads)."""
        if self.loader is not None:
            self._walked = True
            if not self._savers_loaded:
                self._savers_loaded = True
                for name in self.loader.model_savers():
                    self._module(name)
        return list(self.modules.values())


PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
_SAVE_WORDS = (".save(", "save_model(", "ModelCheckpoint")


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

    def __init__(self, root: Path, is_excluded: "Callable[[Path], bool]", max_files: int = 20000,
                 max_file_size: int = DEFAULT_MAX_FILE_SIZE, unsaved: "Mapping[str, str] | None" = None) -> None:
        self.root = root
        # Editors' buffers not saved yet (absolute path -> text): read instead of the file on disk.
        self._unsaved = {os.path.realpath(path): text for path, text in (unsaved or {}).items()}
        self._files: dict[str, Path] | None = None
        self._state_digest: str | None = None
        self._watch: dict[str, tuple[str, ...]] = {}
        self._packages: frozenset[str] | None = None
        self._paths: dict[str, Path | None] = {}
        self._folder_names: dict[str, frozenset[str]] = {}
        self._is_excluded = is_excluded
        self._max_files = max_files
        self._max_file_size = max_file_size
        self._containing: dict[str, list[str]] = {}
        self._linted: set[str] = set()  # real paths of the files this run lints
        # text -> LibCST module, of modules summarized before they are linted (bounded, see _keep_parsed)
        self._parsed: dict[str, cst.Module] = {}
        self.exchange: SummaryExchange | None = None  # set in the parent of a parallel run's workers

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

    def state_digest(self) -> str:
        """A digest of every module file of the project (the folders :meth:`files` walks) with its size and
        modification time, computed once per process: a module created, removed or changed anywhere in the
        project changes it. Cheaper than :meth:`files`: no module names, no path resolution."""
        if self._state_digest is None:
            import hashlib  # only the cache asks for this digest

            digest = hashlib.sha256()
            pending = [self.root]
            seen = 0
            while pending and seen < self._max_files:
                folder = pending.pop()
                try:
                    entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
                except OSError:
                    continue
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):  # as os.walk: no symlink loops
                            if not self._is_excluded(Path(entry.path)):
                                pending.append(Path(entry.path))
                        elif entry.name.endswith(".py") and entry.is_file():
                            info = entry.stat()
                            seen += 1
                            digest.update(f"{entry.path}\0{info.st_mtime_ns}:{info.st_size}\n"
                                          .encode("utf-8", "surrogateescape"))
                    except OSError:
                        continue
            self._state_digest = digest.hexdigest()
        return self._state_digest

    def bases(self) -> tuple[Path, Path]:
        """The folders modules are found in: the root and ``src/``."""
        return (self.root, self.root / "src")

    def watch_paths(self, module: str) -> tuple[str, ...]:
        """Paths whose creation, removal or change can change what :meth:`path_of` finds for a module: its
        candidate files, or instead the first folder on the way to them that does not exist (memoized)."""
        paths = self._watch.get(module)
        if paths is None:
            paths = self._watch[module] = tuple(str(path) for path in self._watch_paths(module))
        return paths

    def _watch_paths(self, module: str) -> list[Path]:
        parts = module.split(".")
        if not _valid_module_name(module):
            return []
        paths = []
        for base in self.bases():
            folder = base
            for part in ("", *parts[:-1]):
                folder = folder / part if part else folder
                if not os.path.isdir(folder):
                    paths.append(folder)
                    break
            else:
                package = folder / parts[-1]
                paths += [folder / f"{parts[-1]}.py", package / "__init__.py" if os.path.isdir(package) else package]
        return paths

    def _candidates(self, module: str) -> list[tuple[Path, Path]]:
        parts = module.split(".")
        if not _valid_module_name(module):
            return []
        return [(base, candidate) for base in self.bases()
                for candidate in (base.joinpath(*parts[:-1], parts[-1] + ".py"), base.joinpath(*parts, "__init__.py"))]

    def _find(self, module: str) -> Path | None:
        for base, candidate in self._candidates(module):
            folders = [base.joinpath(*parts) for parts in _prefixes(candidate.relative_to(base).parts[:-1])]
            if base != self.root:
                folders.insert(0, base)
            if os.path.isfile(candidate) and not any(self._is_excluded(folder) for folder in folders):
                return candidate
        return None

    def package_folder(self, package: str) -> Path | None:
        """The folder of a package of the project (also one whose name is no identifier, as a script's folder)."""
        for base in self.bases():
            folder = base.joinpath(*package.split("."))
            if _valid_module_name(package, folder=True) and os.path.isdir(folder):
                return folder
        return None

    def folder_names(self, package: str) -> frozenset[str]:
        """Module names a script in a package folder can import from that folder (Python puts it on sys.path)."""
        found = self._folder_names.get(package)
        if found is None:
            folder = self.package_folder(package)
            found = self._folder_names[package] = _module_names_in(folder, self._is_excluded) \
                if folder is not None else frozenset()
        return found

    def packages(self) -> frozenset[str]:
        """Top-level module names of the project, from its root (and ``src/``) folder listing."""
        if self._packages is None:
            names: set[str] = set()
            for base in self.bases():
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
        keep = self._keep_parsed if self._linted and os.path.realpath(path) in self._linted else None
        return _summary_of(path, module, self._max_file_size, self._read, keep, self.exchange)

    def will_lint(self, paths: "Iterable[Path]") -> None:
        """The files this run lints: a module among them that is parsed for its summary first keeps its
        parse for the linting (see :meth:`ProjectIndex.parsed`)."""
        self._linted.update(os.path.realpath(path) for path in paths)

    def take_parsed(self, text: str) -> cst.Module | None:
        return self._parsed.pop(text, None)

    def _keep_parsed(self, text: str, module: cst.Module) -> None:
        # Bounded by source size (a parsed module takes tens of times its text): memory stays flat in
        # the number of files; a module dropped here is simply parsed again when it is linted.
        if len(text) > MAX_KEPT_CHARS:
            return
        self._parsed[text] = module
        while sum(map(len, self._parsed)) > MAX_KEPT_CHARS:
            del self._parsed[next(iter(self._parsed))]  # the oldest first

    def _read(self, path: Path) -> str:
        if self._unsaved:
            text = self._unsaved.get(os.path.realpath(path))
            if text is not None:
                return text
        return path.read_text(encoding="utf-8")

    def modules_containing(self, word: str) -> list[str]:
        """Modules whose text contains a word (cheap text test, memoized; summarized by the caller)."""
        found = self._containing.get(word)
        if found is None:
            found = []
            for module, path in self.files().items():
                try:
                    text = self._read(path)
                except (OSError, UnicodeDecodeError):
                    continue
                if word in text:
                    found.append(module)
            self._containing[word] = found
        return found

    def model_savers(self) -> list[str]:
        """Modules whose text can save a model (cheap text test; summarized by the caller)."""
        names = []
        for module, path in self.files().items():
            try:
                text = self._read(path)
            except (OSError, UnicodeDecodeError):
                continue
            if any(word in text for word in _SAVE_WORDS):
                names.append(module)
        return names


def _valid_module_name(module: str, folder: bool = False) -> bool:
    """A dotted module name: identifiers, except that the folders of a script may be named anything
    (``Save and Load.model.model`` for ``Save and Load/model/model.py``); never a path trick."""
    parts = module.split(".")
    return bool(module) and (folder or parts[-1].isidentifier()) and all(
        part and part.strip() == part and "/" not in part and "\\" not in part and part not in (".", "..")
        for part in parts)


def _module_names_in(folder: Path, is_excluded: "Callable[[Path], bool]") -> frozenset[str]:
    names: set[str] = set()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return frozenset()
    for entry in entries:
        if entry.name.endswith(".py") and entry.is_file():
            names.add(entry.name[:-3])
        elif entry.is_dir() and entry.name.isidentifier() and not is_excluded(Path(entry.path)):
            names.add(entry.name)
    return frozenset(names)


def _prefixes(parts: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [parts[:i] for i in range(1, len(parts) + 1)]


MAX_KEPT_CHARS = 1_000_000


def _summary_of(path: Path, module: str, max_file_size: int, read: "Callable[[Path], str]",
                keep: "Callable[[str, cst.Module], None] | None" = None,
                exchange: SummaryExchange | None = None) -> ModuleSummary | None:
    """A project module's summary; None when it cannot be read or parsed, or is larger than the linter
    analyses (as when that file is linted itself). Large files are parsed in a child process; another
    worker's summary of the same text is taken from the ``exchange`` instead of parsing."""
    try:
        text = read(path)
    except (OSError, UnicodeDecodeError):
        return None
    if len(text) > max_file_size:
        return None
    if exchange is None:
        return _summarize_here(text, path, module, keep)
    key = exchange.key(module, text)
    published, summary = exchange.lookup(key)
    if published:
        return summary
    if exchange.claim(key):
        # Another worker may have published it and withdrawn its claim since the lookup above.
        published, summary = exchange.lookup(key)
        if published:
            exchange.withdraw(key)
            return summary
    else:
        published, summary = exchange.wait(key)
        if published:
            return summary
    try:
        summary = _summarize_here(text, path, module, keep)
    except BaseException:
        exchange.withdraw(key)
        raise
    exchange.publish(key, summary)
    return summary


def _summarize_here(text: str, path: Path, module: str,
                    keep: "Callable[[str, cst.Module], None] | None") -> ModuleSummary | None:
    if len(text) > ISOLATE_ABOVE and can_fork():
        try:
            return run_in_child(_summarize_text, text, path, module)
        except ChildCrashed:
            return None
    return _summarize_text(text, path, module, keep)


def _summarize_text(text: str, path: Path, module: str,
                    keep: "Callable[[str, cst.Module], None] | None" = None) -> ModuleSummary | None:
    try:
        parsed = parse_module(text)
        summary = summarize(FileFacts(parsed, str(path), module))
    except (cst.ParserSyntaxError, cst.CSTValidationError, RecursionError, ValueError):
        return None
    if keep is not None:
        keep(text, parsed)
    return summary
