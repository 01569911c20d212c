"""Origins rooted in the linted module itself: a module-level function, a class, a parameter.

An origin names where a value comes from: ``numpy.random.default_rng()``, ``keras.Sequential().fit``.
Values that come from the module's own code start at a :class:`LocalOrigin` instead of a library
name, followed by the same chain (``()``, ``.attr``, ``[]``): a project function's result
``def:build()``, an instance of a project class ``class:Net()``, a parameter ``param:path``.
This module is the only one that writes or reads that spelling; everything else asks it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class Local(enum.Enum):
    """What a local origin starts at."""

    FUNCTION = "def"  # a module-level function of this module
    CLASS = "class"  # a class of this module
    PARAMETER = "param"  # a parameter of a function or lambda


@dataclass(frozen=True)
class LocalOrigin:
    kind: Local
    name: str
    rest: str = ""  # the chain after the name: ``()``, ``().fit``, ``[]``, ...

    @property
    def text(self) -> str:
        """The origin without its kind: ``Net().fit`` for ``class:Net().fit``."""
        return self.name + self.rest

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.name}{self.rest}"


_LOCAL = re.compile(r"(def|class|param):(\w+)(.*)", re.DOTALL)
_LOCAL_PREFIXES = tuple(f"{kind.value}:" for kind in Local)


def local_origin(kind: Local, name: str) -> str:
    """The origin of a local function, class or parameter, as the analysis stores it."""
    return str(LocalOrigin(kind, name))


def parse_local(origin: str | None) -> LocalOrigin | None:
    """The local root of an origin, or None for a library origin (or no origin)."""
    if not origin or not origin.startswith(_LOCAL_PREFIXES):  # most origins are libraries': no regex for them
        return None
    found = _LOCAL.fullmatch(origin)
    return None if found is None else LocalOrigin(Local(found[1]), found[2], found[3])


def is_local(origin: str | None, *kinds: Local) -> bool:
    """Whether an origin starts at a local function, class or parameter (of one of ``kinds``, when given)."""
    local = parse_local(origin)
    return local is not None and (not kinds or local.kind in kinds)
