"""`--format sarif`: a SARIF 2.1.0 log (GitHub code scanning, IDEs, other SARIF viewers).

Lines and columns are 1-based as SARIF requires. A notebook finding points at the .ipynb file
with no region (its lines inside the JSON file are not the cell's lines) and carries the cell
and the line within it in `properties` and in the message.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import Any, TextIO
from urllib.parse import quote

from logitguard import __version__
from logitguard.core.facts import Location
from logitguard.core.findings import Finding, Severity, unreadable
from logitguard.output import Summary
from logitguard.rules import ALL_RULES

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://pypi.org/project/logitguard/"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SOURCE_ROOT = "%SRCROOT%"


def rule_descriptors() -> list[dict[str, Any]]:
    lg000 = unreadable("<file>", "<reason>")
    catalogue = [
        (
            lg000.code,
            lg000.name,
            lg000.severity,
            "a file could not be read or parsed",
            lg000.why,
            lg000.fix,
        ),
        *((r.code, r.name, r.severity, r.summary, r.why, r.fix) for r in ALL_RULES),
    ]
    return [
        {
            "id": code,
            "name": name,
            "shortDescription": {"text": summary},
            "fullDescription": {"text": why},
            "help": {
                "text": f"{why}\n\nFix: {fix}",
                "markdown": f"**{code} {name}**\n\n{why}\n\n**Fix:** {fix}\n\n"
                f"Run `logitguard explain {code}` for examples.",
            },
            "defaultConfiguration": {"level": LEVELS[severity]},
        }
        for code, name, severity, summary, why, fix in catalogue
    ]


def artifact_location(path: str) -> dict[str, str]:
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(pure.as_posix()), "uriBaseId": SOURCE_ROOT}


def _result(finding: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
    }
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    location = finding.location
    if location is None:
        return result
    physical = _physical_location(location)
    if location.cell is not None:
        result["message"]["text"] = f"cell {location.cell}, line {location.line}: {finding.message}"
        result["properties"] = {
            "notebookCell": location.cell,
            "lineInCell": location.line,
            "columnInCell": location.col + 1,
        }
    result["locations"] = [{"physicalLocation": physical}]
    if finding.related:
        result["relatedLocations"] = [
            {"id": index, "physicalLocation": _physical_location(related)}
            for index, related in enumerate(finding.related, start=1)
        ]
    if finding.edit is not None:
        result.setdefault("properties", {})["fixable"] = True
    return result


def _physical_location(location: Location) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(location.path)}
    if location.cell is None:
        region = {"startLine": location.line, "startColumn": location.col + 1}
        if location.end_line is not None and location.end_col is not None:
            region |= {"endLine": location.end_line, "endColumn": location.end_col + 1}
        physical["region"] = region
    return physical


def _folder_uri(folder: Path) -> str:
    uri = folder.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def to_sarif(summary: Summary) -> dict[str, Any]:
    rules = rule_descriptors()
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    return {
        "$schema": SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "logitguard",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {SOURCE_ROOT: {"uri": _folder_uri(Path.cwd())}},
                "results": [_result(finding, rule_index) for finding in summary.findings],
            }
        ],
    }


def write_sarif(summary: Summary, stream: TextIO) -> None:
    json.dump(to_sarif(summary), stream, indent=2)
    stream.write("\n")
