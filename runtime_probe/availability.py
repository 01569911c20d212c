"""Which packages a scenario needs, found without importing them.

Importing TensorFlow takes seconds and may print to the terminal, so the
parent process only asks the import system whether a top-level module could
be found (``importlib.util.find_spec``) and reads versions from the installed
distributions' metadata.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from collections.abc import Iterable

from runtime_probe.child import hidden_modules

#: Import name → distribution name, for messages.
DISTRIBUTIONS: dict[str, str] = {
    "sklearn": "scikit-learn",
    "joblib": "joblib",
    "numpy": "numpy",
    "tensorflow": "tensorflow",
    "keras": "keras",
    "tf_keras": "tf-keras",
    "tensorflow_hub": "tensorflow-hub",
    "tensorboard": "tensorboard",
    "autokeras": "autokeras",
    "keras_tuner": "keras-tuner",
}


def is_importable(module: str) -> bool:
    """True when ``module`` (top-level name) can be found and is not hidden for tests."""
    if module.split(".", 1)[0] in hidden_modules():
        return False
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing_modules(modules: Iterable[str]) -> list[str]:
    """The modules of ``modules`` that cannot be imported, in the given order."""
    return [module for module in modules if not is_importable(module)]


def distribution_version(distribution: str) -> str | None:
    """Installed version of a distribution, or None."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def describe_missing(modules: Iterable[str]) -> str:
    """``"autokeras, tensorboard"`` with distribution names."""
    return ", ".join(DISTRIBUTIONS.get(module, module) for module in modules)
