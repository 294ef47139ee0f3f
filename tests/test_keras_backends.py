"""Keras 3 on each backend, in its own interpreter: findings, fixes and the callback.

Keras reads KERAS_BACKEND once, when it is first imported, so each backend gets one fresh
interpreter that runs every check of `keras_backend_cases.py`.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

CASES = Path(__file__).with_name("keras_backend_cases.py")
# The package each backend needs besides Keras.
BACKEND_PACKAGES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("backend", sorted(BACKEND_PACKAGES))
def test_runtime_checks_on_keras_backend(backend: str) -> None:
    for package in ("keras", "sklearn", BACKEND_PACKAGES[backend]):
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"{package} is not installed")
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", str(CASES), "-q", "-p", "no:cacheprovider"],
        env={**os.environ, "KERAS_BACKEND": backend},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert " passed" in output and "skipped" not in output, output
