"""Rule modules. Each module registers its rules with :func:`detlint.rule.rule`; importing this
package loads them all, so adding a rule means adding (or editing) one module here."""

from __future__ import annotations

import importlib
import pkgutil

from detlint.rule import REGISTRY, Rule

_loaded = False


def all_rules() -> dict[str, Rule]:
    """Every registered rule, keyed and ordered by code."""
    global _loaded
    if not _loaded:
        for module in pkgutil.iter_modules(__path__):
            if not module.name.startswith("_"):
                importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True
    return dict(sorted(REGISTRY.items()))
