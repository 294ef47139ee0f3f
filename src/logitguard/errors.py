"""What the training guards raise or warn, for every framework (imports no framework)."""

from __future__ import annotations

from collections.abc import Iterable

from logitguard.core.findings import Finding


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
