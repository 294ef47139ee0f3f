"""What the training guards raise or warn, for every framework (imports no framework)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from typing import TypeVar

from logitguard.core.findings import Finding, Severity

R = TypeVar("R")


def explain(findings: Iterable[Finding], hint: str | None = None) -> str:
    lines = ["logitguard: the model's outputs, loss and metrics do not match"]
    for finding in findings:
        lines.append(f"{finding.code} [{finding.severity.value}] {finding.message}")
        lines.append(f"  why: {finding.why}")
        lines.append(f"  fix: {finding.fix}")
    if hint:
        lines.append(hint)
    return "\n".join(lines)


class LogitMismatchError(RuntimeError):
    """Training stopped: the model's head, loss, metrics or labels do not match."""

    def __init__(self, findings: Iterable[Finding], hint: str | None = None) -> None:
        self.findings = list(findings)
        super().__init__(explain(self.findings, hint))


class LogitMismatchWarning(UserWarning):
    """A head/loss/metric mismatch found while training with `on_mismatch="warn"`."""


ON_MISMATCH_CHOICES = ("raise", "warn")


def validate_on_mismatch(on_mismatch: str) -> str:
    if on_mismatch not in ON_MISMATCH_CHOICES:
        raise ValueError(f"on_mismatch must be one of {ON_MISMATCH_CHOICES}, not {on_mismatch!r}")
    return on_mismatch


def checked_step(inspect: Callable[[], R], what: str, stacklevel: int) -> R | None:
    """A guard's one check of a training step; None, with a warning that training goes on
    unchecked, when the check itself fails: a bug of ours must not stop a training run."""
    try:
        return inspect()
    except Exception as error:
        warnings.warn(
            f"logitguard could not check this {what} ({type(error).__name__}: {error}); "
            "training goes on unchecked",
            LogitMismatchWarning,
            stacklevel=stacklevel + 1,
        )
        return None


def act_on(findings: Iterable[Finding], on_mismatch: str, hint: str, stacklevel: int) -> None:
    """Raise or warn about the findings that matter (errors and warnings, not infos)."""
    serious = [finding for finding in findings if finding.severity is not Severity.INFO]
    if not serious:
        return
    if on_mismatch == "raise":
        raise LogitMismatchError(serious, hint)
    warnings.warn(explain(serious, hint), LogitMismatchWarning, stacklevel=stacklevel + 1)
