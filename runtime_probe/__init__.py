"""Runtime probe of detlint: confirm flagged pitfalls with tiny real experiments.

``python -m runtime_probe`` and ``detlint probe`` run :func:`runtime_probe.cli.main`.
Importing this package never imports an ML framework.
"""

from __future__ import annotations

import importlib.metadata

try:
    __version__ = importlib.metadata.version("detlint")
except importlib.metadata.PackageNotFoundError:  # a source checkout that is not installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
