"""`--format github`: workflow commands that GitHub Actions shows as annotations on the diff."""

from __future__ import annotations

from typing import TextIO

from logitguard.core.findings import Finding, Severity
from logitguard.output import Summary

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    properties: list[tuple[str, object]] = []
    message = finding.message
    location = finding.location
    if location is not None:
        properties.append(("file", location.path))
        if location.cell is not None:
            # The notebook's own line numbers are JSON lines: point at the file, name the cell.
            message = f"cell {location.cell}, line {location.line}: {message}"
        else:
            properties += [("line", location.line), ("col", location.col + 1)]
            if location.end_line is not None and location.end_col is not None:
                properties += [("endLine", location.end_line), ("endColumn", location.end_col + 1)]
    properties.append(("title", finding.code))
    rendered = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties)
    return f"::{_COMMANDS[finding.severity]} {rendered}::{_escape_data(message)}"


def write_github(summary: Summary, stream: TextIO) -> None:
    for finding in summary.findings:
        stream.write(annotation(finding) + "\n")
