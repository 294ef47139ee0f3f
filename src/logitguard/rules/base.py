"""What a rule is: a code, its texts, a check over `TrainingSetup` facts, and examples."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from logitguard.core.facts import Edit, Location, TrainingSetup
from logitguard.core.findings import Finding, Severity


@dataclass(frozen=True)
class Diagnosis:
    """One occurrence found by a rule's check, before the rule's texts are attached."""

    message: str
    location: Location | None
    fix: str | None = None  # specific to this occurrence; the rule's generic fix otherwise
    edit: Edit | None = None
    # When this occurrence is graver or milder than the rule's usual severity.
    severity: Severity | None = None


@dataclass(frozen=True)
class Example:
    """Source the test suite checks: `invalid` ones must raise the rule, `valid` ones must not."""

    framework: str
    source: str
    invalid: bool


def invalid(framework: str, source: str) -> Example:
    return Example(framework, source, invalid=True)


def valid(framework: str, source: str) -> Example:
    return Example(framework, source, invalid=False)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str  # one line for the catalogue
    why: str  # the explanation `logitguard explain CODE` prints
    fix: str  # the generic remedy
    check: Callable[[TrainingSetup], Iterable[Diagnosis]]
    examples: tuple[Example, ...] = field(default_factory=tuple)
    # Findings a fixer may apply without asking (the rewrite is unambiguous).
    autofix: bool = False
    # Judged from a live training run (callback logs), never from set-up facts or source.
    runtime_only: bool = False

    def run(self, setup: TrainingSetup) -> list[Finding]:
        return [
            Finding(
                code=self.code,
                name=self.name,
                severity=diagnosis.severity or self.severity,
                message=diagnosis.message,
                why=self.why,
                fix=diagnosis.fix or self.fix,
                location=diagnosis.location,
                edit=diagnosis.edit if self.autofix else None,
                related=_head_elsewhere(setup, diagnosis.location),
            )
            for diagnosis in self.check(setup)
        ]


def _head_elsewhere(setup: TrainingSetup, location: Location | None) -> tuple[Location, ...]:
    """The head's place, when the finding points into another file (at the loss, say)."""
    head = setup.head.location if setup.head is not None else None
    if head is None or location is None or head.path == location.path:
        return ()
    return (head,)
