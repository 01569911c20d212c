"""The knowledge tables: each one has a reader, and tables that describe the same API agree."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import detlint.knowledge
from detlint.knowledge import data, determinism, estimators, keras, ordering, seeds, splits
from detlint.knowledge.seeds import SeedParameter

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "src" / "detlint" / "knowledge"
# Where tables are read: the linter outside knowledge/, and the runtime probe.
READERS = sorted(
    [p for p in (ROOT / "src" / "detlint").rglob("*.py") if KNOWLEDGE not in p.parents]
    + list((ROOT / "runtime_probe").rglob("*.py"))
)


def _modules() -> list[str]:
    return [m.name for m in pkgutil.iter_modules(detlint.knowledge.__path__)]


def _tables(module_name: str) -> list[str]:
    module = importlib.import_module(f"detlint.knowledge.{module_name}")
    return [name for name, value in vars(module).items()
            if name.isupper() and not name.startswith("_") and not isinstance(value, type)]


def _unread(module_name: str, tables: list[str], texts: list[str]) -> list[str]:
    """Tables of a knowledge module that no reader names (``module.NAME`` or ``from ... import NAME``)."""
    unread = []
    for name in tables:
        qualified = re.compile(rf"\b{module_name}\.{name}\b")
        imported = re.compile(rf"from detlint\.knowledge\.{module_name} import [^\n]*\b{name}\b"
                              rf"|from detlint\.knowledge\.{module_name} import \((?:[^)]*)\b{name}\b")
        if not any(qualified.search(text) or imported.search(text) for text in texts):
            unread.append(name)
    return unread


@pytest.fixture(scope="module")
def reader_texts() -> list[str]:
    return [path.read_text() for path in READERS]


@pytest.mark.parametrize("module_name", _modules())
def test_every_table_has_a_reader(module_name: str, reader_texts: list[str]) -> None:
    assert _unread(module_name, _tables(module_name), reader_texts) == []


def test_an_unread_table_is_reported(reader_texts: list[str]) -> None:
    assert _unread("seeds", ["GLOBAL_SEEDS", "NO_SUCH_TABLE"], reader_texts) == ["NO_SUCH_TABLE"]


def test_knowledge_modules_hold_no_analysis_code() -> None:
    for path in KNOWLEDGE.glob("*.py"):
        text = path.read_text()
        assert re.search(r"^def |^\s+def ", text, re.MULTILINE) is None, path.name
        assert re.search(r"^from detlint\.(?!knowledge)", text, re.MULTILINE) is None, path.name


def _seed_parameters() -> dict[str, dict[str, SeedParameter]]:
    """Every table entry that says where an API takes its seed, by table."""
    return {
        "seeds.GENERATORS": dict(seeds.GENERATORS),
        "seeds.GLOBAL_SEEDS": {callee: seed.parameter for callee, seed in seeds.GLOBAL_SEEDS.items()},
        "splits.SKLEARN_SPLITTERS": {
            c: SeedParameter(a.seed, a.seed_position) for c, a in splits.SKLEARN_SPLITTERS.items()},
        "splits.KERAS_SPLITTERS": {
            c: SeedParameter(a.seed, a.seed_position) for c, a in splits.KERAS_SPLITTERS.items()},
        "splits.DIRECTORY_LOADER_POSITIONS": {
            name: SeedParameter("seed", positions[1]) for name, positions in splits.DIRECTORY_LOADER_POSITIONS.items()},
        "keras.TUNER_SEED_POSITIONS": {
            name: SeedParameter("seed", position) for name, position in keras.TUNER_SEED_POSITIONS.items()},
    }


def _disagreements(tables: dict[str, dict[str, SeedParameter]]) -> list[str]:
    seen: dict[str, tuple[str, SeedParameter]] = {}
    found = []
    for table, entries in tables.items():
        for api, parameter in entries.items():
            if api in seen and seen[api][1] != parameter:
                found.append(f"{api}: {seen[api][0]} says {seen[api][1]}, {table} says {parameter}")
            seen.setdefault(api, (table, parameter))
    return found


def test_tables_agree_on_seed_parameters() -> None:
    assert _disagreements(_seed_parameters()) == []


def test_a_disagreement_is_reported() -> None:
    tables = {"a": {"x.f": SeedParameter("seed", 1)}, "b": {"x.f": SeedParameter("seed", 2)}}
    assert _disagreements(tables) == ["x.f: a says SeedParameter(keyword='seed', position=1), "
                                      "b says SeedParameter(keyword='seed', position=2)"]


def test_directory_loaders_agree_on_the_shuffle_position() -> None:
    for name, (shuffle, seed, _, _) in splits.DIRECTORY_LOADER_POSITIONS.items():
        api = splits.KERAS_SPLITTERS[name]
        shuffle_position = api.shuffle[1] if api.shuffle else None
        assert (shuffle_position, api.seed_position) == (shuffle, seed), name
        assert name.endswith(data.DIRECTORY_LOADER_SUFFIX)


def test_tuner_tables_agree() -> None:
    assert keras.AUTOML_WITHOUT_RANDOMNESS <= keras.KERAS_TUNERS
    assert set(keras.TUNER_SEED_POSITIONS) <= keras.KERAS_TUNERS - keras.AUTOML_WITHOUT_RANDOMNESS


def test_determinism_switches_are_known_seed_calls() -> None:
    seeding = {callee for callee, takes_seed in determinism.MUST_CALL.items() if takes_seed}
    assert seeding <= set(seeds.GLOBAL_SEEDS)
    assert set(determinism.MUST_CALL) <= determinism.MUST_NOT_ASSIGN
    assert seeds.RESEED_FROM_ENTROPY <= set(seeds.GLOBAL_SEEDS)


def test_random_pickers_are_draws_or_splitters() -> None:
    for callee in seeds.RANDOM_PICKERS:
        module, _, name = callee.rpartition(".")
        if module == "numpy.random":
            assert name in seeds.NUMPY_GLOBAL_DRAWS, callee
        elif module == "random":
            assert name in seeds.PYTHON_GLOBAL_DRAWS, callee
        else:
            assert callee in splits.SKLEARN_SPLITTERS, callee
    assert seeds.RANDOM_MODULES == {"random", "numpy.random"}


def test_estimator_tables_do_not_overlap() -> None:
    assert not estimators.RANDOM_ESTIMATOR_NAMES & set(estimators.CONDITIONAL_ESTIMATORS)


def test_save_tables_agree() -> None:
    last_names = {callee.rsplit(".", 1)[-1] for callee in (*keras.SAVE_MODEL_FUNCTIONS, keras.MODEL_CHECKPOINT)}
    assert last_names <= keras.SAVE_NAMES
    assert keras.ARRAY_ONLY_DUMPS <= keras.DUMP_CALLS
    assert keras.SEQUENTIAL_MODELS <= keras.KERAS_MODEL_BUILDERS


def test_ordering_tables_do_not_contradict() -> None:
    ordered = set(ordering.MATERIALISERS) | set(ordering.LISTING_MATERIALISERS) | ordering.POSITIONAL
    assert not ordering.ORDER_FREE & ordered
    assert not ordering.ORDER_FREE & ordering.TRANSPARENT


def test_the_probe_replays_the_splits_the_linter_reports() -> None:
    from runtime_probe.scenarios import split

    assert split.sklearn_splitters() == {callee.rsplit(".", 1)[-1] for callee in splits.SKLEARN_SPLITTERS}
    linter_names = {name.rsplit(".", 1)[-1] for name in (*splits.KERAS_SPLITTERS, *splits.GENERATOR_FLOWS)} | {"sample"}
    assert set(split.OTHER_APIS) <= linter_names
