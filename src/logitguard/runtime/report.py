"""The report `logitguard.inspect` returns, for any framework."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from logitguard.core.facts import TrainingSetup
from logitguard.core.findings import Finding, Severity
from logitguard.rules import ALL_RULES


@dataclass
class InspectionReport:
    subject: str  # e.g. "keras.Sequential 'sequential'"
    setups: list[TrainingSetup] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be determined, and why

    @property
    def ok(self) -> bool:
        return not any(f.severity is not Severity.INFO for f in self.findings)

    @property
    def codes(self) -> set[str]:
        return {finding.code for finding in self.findings}

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "ok": self.ok,
            "findings": [finding.to_dict() for finding in self.findings],
            "notes": list(self.notes),
        }

    def to_json(self, indent: int = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, default=str)

    def __str__(self) -> str:
        if not self.findings:
            lines = [f"{self.subject}: no mismatch found"]
        else:
            lines = [f"{self.subject}: {len(self.findings)} finding(s)"]
            for finding in self.findings:
                lines.append(f"  {finding.code} [{finding.severity.value}] {finding.message}")
                lines.append(f"    why: {finding.why}")
                lines.append(f"    fix: {finding.fix}")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


@dataclass
class SetupReading:
    """One set-up read from a live model (PyTorch module, Flax model) and its loss."""

    subject: str
    setup: TrainingSetup
    notes: list[str] = field(default_factory=list)

    def report(self) -> InspectionReport:
        findings = [finding for rule in ALL_RULES for finding in rule.run(self.setup)]
        return InspectionReport(self.subject, [self.setup], findings, list(self.notes))
