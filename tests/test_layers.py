"""The code's shape: one rule per module, named after it; rules share code only through analysis/
and knowledge/; layers import only downwards; no import cycle."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import detlint.rules
from detlint.rule import REGISTRY
from detlint.rules import all_rules

SOURCE = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SOURCE / "detlint"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path) -> set[str]:
    """Modules of the detlint package a module imports when it is imported (not inside functions,
    nor under ``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text())
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            # ``from detlint.analysis import ml`` imports the submodule
            found.update(f"{module}.{alias.name}" for alias in node.names)
    modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    return {name for name in found if name in modules}


def _graph() -> dict[str, set[str]]:
    return {_module_name(path): _top_level_imports(path) for path in PACKAGE.rglob("*.py")}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                found.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target, [*stack, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def _rule_modules() -> list[str]:
    return [m.name for m in pkgutil.iter_modules(detlint.rules.__path__) if not m.name.startswith("_")]


def test_no_import_cycle_inside_the_package() -> None:
    assert _cycles(_graph()) == []


def test_a_cycle_is_found() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


@pytest.mark.parametrize("module", _rule_modules())
def test_rule_modules_do_not_import_other_rule_modules(module: str) -> None:
    imported = _top_level_imports(PACKAGE / "rules" / f"{module}.py")
    assert {name for name in imported if name.startswith("detlint.rules.")} == set()


@pytest.mark.parametrize("module", _rule_modules())
def test_each_rule_module_registers_one_rule_named_after_it(module: str) -> None:
    all_rules()
    registered = [rule for rule in REGISTRY.values() if rule.check.__module__ == f"detlint.rules.{module}"]
    assert [rule.meta.name.replace("-", "_") for rule in registered] == [module]


def test_every_rule_lives_in_its_own_module() -> None:
    modules = [rule.check.__module__ for rule in all_rules().values()]
    assert len(modules) == len(set(modules))


LAYERS = {  # what each layer may import from the package
    "detlint.knowledge": ("detlint.knowledge",),
    # limits, isolate, deep and cst_parse are leaf utilities (sizes, child processes, a big-stack thread,
    # LibCST's parser without node validation)
    "detlint.analysis": ("detlint.knowledge", "detlint.analysis", "detlint.source", "detlint.deep", "detlint.limits",
                         "detlint.isolate", "detlint.cst_parse"),
    # edits: fix intents, their builders and where they land (placement of an inserted seed call)
    "detlint.edits": ("detlint.knowledge", "detlint.analysis", "detlint.finding"),
    # rule: the rule base (metadata, registration, reports); it hands the fix intents on to rules
    "detlint.rule": ("detlint.edits",),
    "detlint.rules": ("detlint.knowledge", "detlint.analysis", "detlint.rule", "detlint.rules", "detlint.edits"),
    # pipeline: one file end to end, below every entry point (api, cli, server, output)
    "detlint.pipeline": ("detlint.analysis", "detlint.cache", "detlint.config", "detlint.discovery", "detlint.engine",
                         "detlint.finding", "detlint.fixes", "detlint.notebook", "detlint.patch", "detlint.source"),
}


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_layers_import_only_downwards(layer: str) -> None:
    allowed = LAYERS[layer]
    wrong = {
        (module, target)
        for module, targets in _graph().items() if module == layer or module.startswith(layer + ".")
        for target in targets if not target.startswith(allowed)
    }
    assert wrong == set()


def test_the_knowledge_package_imports_nothing_heavy() -> None:
    for module in pkgutil.iter_modules(importlib.import_module("detlint.knowledge").__path__):
        tree = ast.parse((PACKAGE / "knowledge" / f"{module.name}.py").read_text())
        imported = {alias.name for node in tree.body if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.module}
        assert imported <= {"__future__", "re", "dataclasses", "detlint.knowledge"}, module.name
