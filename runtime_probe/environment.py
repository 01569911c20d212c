"""Fingerprint of the machine and stack a probe ran on.

Versions come from installed distribution metadata; no framework is imported
in this process. GPU names come from ``nvidia-smi`` in a subprocess when it
exists (the scenarios that need TensorFlow's own view of devices ask inside
their child processes).
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from runtime_probe.availability import distribution_version

PACKAGES: tuple[str, ...] = (
    "tensorflow",
    "keras",
    "tf-keras",
    "tensorflow-hub",
    "tensorboard",
    "autokeras",
    "keras-tuner",
    "scikit-learn",
    "joblib",
    "numpy",
)
DETERMINISM_ENV_VARS: tuple[str, ...] = (
    "TF_DETERMINISTIC_OPS",
    "PYTHONHASHSEED",
    "TF_USE_LEGACY_KERAS",
    "CUDA_VISIBLE_DEVICES",
)
GPU_QUERY_TIMEOUT_S = 10.0


def cpu_model() -> str:
    """CPU model name from /proc/cpuinfo (Linux), else what :mod:`platform` knows."""
    cpuinfo = Path("/proc/cpuinfo")
    try:
        for line in cpuinfo.read_text(errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() in {"model name", "Hardware", "cpu model"} and value.strip():
                return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def gpu_names(timeout_s: float = GPU_QUERY_TIMEOUT_S) -> tuple[list[str], str]:
    """GPU names and how they were found (``nvidia-smi`` or why none were listed)."""
    executable = shutil.which("nvidia-smi")
    if executable is None:
        return [], "nvidia-smi not found"
    try:
        completed = subprocess.run(
            [executable, "--query-gpu=name", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=timeout_s, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [], f"nvidia-smi failed: {type(exc).__name__}"
    if completed.returncode != 0:
        return [], f"nvidia-smi exit code {completed.returncode}"
    return [line.strip() for line in completed.stdout.splitlines() if line.strip()], "nvidia-smi"


def fingerprint() -> dict[str, Any]:
    """Everything that decides whether a verdict carries over to another machine."""
    gpus, gpu_source = gpu_names()
    return {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "executable": Path(sys.executable).name,
        "platform": platform.platform(),
        "packages": {name: distribution_version(name) for name in PACKAGES},
        "device": {
            "cpu": cpu_model(),
            "cpu_count": os.cpu_count() or 1,
            "gpus": gpus,
            "gpu_source": gpu_source,
        },
        "determinism_env": {name: os.environ.get(name) for name in DETERMINISM_ENV_VARS},
    }
