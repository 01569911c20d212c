"""LibCST's parser without its per-node validation.

LibCST validates every node as it is constructed (``CSTNode.__post_init__`` calls ``_validate``). The
checks guard trees built by hand; a tree that LibCST's own parser built from source is valid by
construction, and LibCST's source says as much where it calls them. They cost about an eighth of a
parse. While detlint parses, they are switched off for node construction in this process (under a
lock, so detlint's own threads parse one at a time; LibCST's parser holds the GIL throughout anyway);
trees built outside a parse, such as the nodes of fixes, are validated as usual.
"""

from __future__ import annotations

import threading

import libcst as cst
from libcst._nodes.base import CSTNode  # the one class that defines __post_init__ (checked by the tests)

_parsing = threading.Lock()
_validating = CSTNode.__post_init__


def _no_validation(self: CSTNode) -> None:
    return None


def parse_module(text: str) -> cst.Module:
    """``libcst.parse_module(text)`` without node validation; raises what it raises."""
    with _parsing:
        CSTNode.__post_init__ = _no_validation  # type: ignore[method-assign]
        try:
            return cst.parse_module(text)
        finally:
            CSTNode.__post_init__ = _validating  # type: ignore[method-assign]
