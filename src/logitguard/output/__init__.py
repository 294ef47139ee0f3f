"""Report findings: human text, JSON, SARIF 2.1.0, or GitHub Actions annotations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from logitguard.core.facts import Location
from logitguard.core.findings import UNREADABLE_CODE, Finding, Severity


@dataclass(frozen=True)
class Summary:
    files: int  # files checked
    findings: Sequence[Finding]
    fixed: int = 0  # findings removed by --fix in this run
    strict: bool = False  # files that could not be read (LG000) fail the run too

    def count(self, severity: Severity) -> int:
        return sum(finding.severity is severity for finding in self.findings)

    @property
    def fixable(self) -> int:
        return sum(finding.edit is not None for finding in self.findings)

    @property
    def unreadable(self) -> int:
        return sum(finding.code == UNREADABLE_CODE for finding in self.findings)

    @property
    def failing(self) -> bool:
        """Errors or warnings remain (info findings alone do not fail a run).

        A file that could not be read (LG000) says nothing about the user's model: it fails
        the run only when `strict`.
        """
        return any(
            finding.severity is not Severity.INFO
            and (self.strict or finding.code != UNREADABLE_CODE)
            for finding in self.findings
        )

    def to_dict(self) -> dict[str, int]:
        return {
            "files": self.files,
            "findings": len(self.findings),
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "info": self.count(Severity.INFO),
            "fixable": self.fixable,
            "fixed": self.fixed,
            "unreadable": self.unreadable,
        }


def render(output_format: str, summary: Summary, stream: TextIO, *, verbose: bool = False) -> None:
    if output_format == "json":
        from logitguard.output.json_output import write_json

        write_json(summary, stream)
    elif output_format == "sarif":
        from logitguard.output.sarif import write_sarif

        write_sarif(summary, stream)
    elif output_format == "github":
        from logitguard.output.github import write_github

        write_github(summary, stream)
    else:
        from logitguard.output.text import write_text

        write_text(summary, stream, verbose=verbose)


def display_location(finding: Finding) -> str:
    """`path:line:col` with a 1-based column; `nb.ipynb:cell 3:line 2:col 5` in a notebook."""
    return place(finding.location)


def place(location: Location | None) -> str:
    if location is None:
        return "<unknown location>"
    if location.cell is not None:
        return f"{location.path}:cell {location.cell}:line {location.line}:col {location.col + 1}"
    return f"{location.path}:{location.line}:{location.col + 1}"
