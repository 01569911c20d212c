"""Parallel runs hand out the largest files first and end on small chunks (detlint.scheduling)."""

from __future__ import annotations

from pathlib import Path

from detlint.scheduling import MAX_CHUNK, file_size, plan_chunks


def test_largest_files_go_first_each_on_its_own() -> None:
    sizes = [10, 5000, 20, 4000, 30, 40, 50]
    chunks = plan_chunks(sizes, workers=2)
    # budget = 9150 // 32 = 285: the two large files alone, then the small ones, largest first
    assert chunks == [[1], [3], [6, 5, 4, 2, 0]]


def test_chunks_shrink_towards_the_end_and_cover_every_file_once() -> None:
    sizes = [(index * 7919) % 1000 + 1 for index in range(500)]
    chunks = plan_chunks(sizes, workers=4)
    flat = [index for chunk in chunks for index in chunk]
    assert sorted(flat) == list(range(500))
    assert [sizes[i] for i in flat] == sorted(sizes, reverse=True)
    budget = sum(sizes) // (4 * 16)
    assert all(sum(sizes[i] for i in chunk) <= budget for chunk in chunks)
    assert all(len(chunk) <= MAX_CHUNK for chunk in chunks)
    totals = [sum(sizes[i] for i in chunk) for chunk in chunks]
    assert totals[-1] < totals[0]


def test_equal_sizes_keep_the_files_order_and_empty_files_are_planned() -> None:
    assert plan_chunks([0, 0, 0], workers=2) == [[0, 1, 2]]
    assert plan_chunks([], workers=2) == []


def test_file_size_of_a_missing_file_is_zero(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    assert file_size(tmp_path / "a.py") == 6
    assert file_size(tmp_path / "missing.py") == 0
