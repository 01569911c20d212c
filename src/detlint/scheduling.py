"""How a parallel run hands files to its workers.

A file's cost grows with its size, and sizes are skewed: one large file handed out last keeps one
worker busy while the others wait. So the largest files go first, each on its own, and the small ones
follow in chunks (fewer round trips to the workers) whose size shrinks as the work runs out: the last
chunks are small, and no worker waits long for another at the end.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

# Each chunk holds at most this share of one worker's part of the work, and at most MAX_CHUNK files.
CHUNKS_PER_WORKER = 16
MAX_CHUNK = 32


def file_size(path: Path) -> int:
    """The file's size in bytes; 0 when it cannot be read (it is then reported as such, quickly)."""
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return 0


def plan_chunks(sizes: Sequence[int], workers: int) -> list[list[int]]:
    """Indices into ``sizes``, grouped into the chunks to hand out in this order: largest files first;
    a chunk's total size stays under one ``CHUNKS_PER_WORKER``-th of a worker's share, so the files
    larger than that go alone and the last chunks are the smallest. Every index appears once."""
    order = sorted(range(len(sizes)), key=lambda index: (-sizes[index], index))
    budget = max(1, sum(sizes) // (max(1, workers) * CHUNKS_PER_WORKER))
    chunks: list[list[int]] = []
    current: list[int] = []
    current_size = 0
    for index in order:
        if current and (current_size + sizes[index] > budget or len(current) >= MAX_CHUNK):
            chunks.append(current)
            current, current_size = [], 0
        current.append(index)
        current_size += sizes[index]
    if current:
        chunks.append(current)
    return chunks
