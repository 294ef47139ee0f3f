"""What one configuration's training runs measured, and what the checkers said about it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from logitguard.core.findings import Finding, Severity
from logitguard.demo.matrix import Config


@dataclass
class SeedRun:
    """One training run. Curves have one value per epoch, measured on the test set."""

    seed: int
    train_loss: list[float]  # as Keras reports it during fit
    reported_accuracy: list[float]  # as the compiled metric computes it
    true_accuracy: list[float]  # from the outputs, with the head's real decision rule
    true_log_loss: float  # final test cross-entropy of the probabilities the head implies
    keras_warnings: list[str] = field(default_factory=list)
    # What the compiled loss computes on the same final test outputs and labels.
    reported_log_loss: float | None = None

    @property
    def final_train_loss(self) -> float:
        return self.train_loss[-1]

    @property
    def final_reported_accuracy(self) -> float:
        return self.reported_accuracy[-1]

    @property
    def final_true_accuracy(self) -> float:
        return self.true_accuracy[-1]


@dataclass
class CheckOutcome:
    """What one checker said: its findings, or why it could not run ("n/a", "error")."""

    status: str  # "ok", "n/a" or "error"
    findings: list[Finding] = field(default_factory=list)
    note: str | None = None

    @property
    def flagged(self) -> bool:
        return any(finding.severity is not Severity.INFO for finding in self.findings)

    @property
    def has_error(self) -> bool:
        return any(finding.severity is Severity.ERROR for finding in self.findings)

    def codes(self) -> list[str]:
        return sorted({finding.code for finding in self.findings})

    def summary(self, short: bool = False) -> str:
        """The codes found, with the severity of those that are not errors."""
        if self.status != "ok":
            return self.status
        if not self.findings:
            return "-"
        severities = {f.code: f.severity.value for f in self.findings}
        return ", ".join(
            code
            if severities[code] == Severity.ERROR.value
            else f"{code}({severities[code][0]})"
            if short
            else f"{code} ({severities[code]})"
            for code in self.codes()
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "codes": self.codes(),
            "findings": [finding.to_dict() for finding in self.findings],
            "note": self.note,
        }


@dataclass(frozen=True)
class Spread:
    mean: float
    std: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        return cls(float(np.mean(values)), float(np.std(values)))

    def format(self) -> str:
        if self.std == 0:
            return f"{self.mean:.3f}"
        return f"{self.mean:.3f} ± {self.std:.3f}"


@dataclass
class ConfigResult:
    config: Config
    source: str  # the equivalent Keras script
    runs: list[SeedRun]
    static: CheckOutcome
    runtime: CheckOutcome

    @property
    def train_loss(self) -> Spread:
        return Spread.of([run.final_train_loss for run in self.runs])

    @property
    def reported_accuracy(self) -> Spread:
        return Spread.of([run.final_reported_accuracy for run in self.runs])

    @property
    def true_accuracy(self) -> Spread:
        return Spread.of([run.final_true_accuracy for run in self.runs])

    @property
    def true_log_loss(self) -> Spread:
        return Spread.of([run.true_log_loss for run in self.runs])

    @property
    def reported_log_loss(self) -> Spread:
        values = [run.reported_log_loss for run in self.runs]
        return Spread.of([value for value in values if value is not None] or [float("nan")])

    @property
    def flagged(self) -> bool:
        return self.static.flagged or self.runtime.flagged

    def findings(self) -> list[Finding]:
        """Static and runtime findings, one per code (they share codes and texts)."""
        by_code: dict[str, Finding] = {}
        for finding in [*self.static.findings, *self.runtime.findings]:
            by_code.setdefault(finding.code, finding)
        return [by_code[code] for code in sorted(by_code)]

    def keras_warnings(self) -> list[str]:
        return sorted({warning for run in self.runs for warning in run.keras_warnings})

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.config.slug,
            "title": self.config.title,
            "config": asdict(self.config),
            "head": self.config.head_source,
            "loss": self.config.loss_source,
            "metric": self.config.metric_source,
            "labels": self.config.labels,
            "summary": {
                name: asdict(getattr(self, name))
                for name in (
                    "train_loss",
                    "reported_accuracy",
                    "true_accuracy",
                    "true_log_loss",
                    "reported_log_loss",
                )
            },
            "runs": [asdict(run) for run in self.runs],
            "static": self.static.to_dict(),
            "runtime": self.runtime.to_dict(),
            "keras_warnings": self.keras_warnings(),
            "source": self.source,
        }
