"""What logitguard says about a configuration: statically (its source), at run time (its model)."""

from __future__ import annotations

import importlib.util
from typing import Any

from logitguard.demo.results import CheckOutcome

RUNTIME_MODULE = "logitguard.runtime.keras_inspect"


def static_check(source: str, path: str) -> CheckOutcome:
    from logitguard.static.checker import check_source

    try:
        findings = check_source(source, path)
    except Exception as error:  # a checker bug must not stop the demo; the report shows it
        return CheckOutcome("error", note=f"{type(error).__name__}: {error}")
    return CheckOutcome("ok", findings)


def runtime_available() -> bool:
    try:
        return importlib.util.find_spec(RUNTIME_MODULE) is not None
    except ImportError:
        return False


def runtime_check(model: Any, x_batch: Any, y_batch: Any) -> CheckOutcome:
    if not runtime_available():
        return CheckOutcome("n/a", note=f"{RUNTIME_MODULE} is not part of this install")
    import logitguard

    try:
        report = logitguard.inspect(model, x_batch, y_batch)
    except Exception as error:  # an inspector bug must not stop the demo; the report shows it
        return CheckOutcome("error", note=f"{type(error).__name__}: {error}")
    return CheckOutcome("ok", list(report.findings))
