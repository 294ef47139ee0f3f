"""Run `logitguard check` over checkouts of real repositories and summarise what it reports.

    python benchmarks/real_repos.py FOLDER [FOLDER ...] [--findings] [--json OUT]

For each FOLDER (walked as `logitguard check` walks it, without any pyproject configuration)
and in total: files checked (.py / .ipynb), seconds, findings by code and severity, and the
files that could not be read (LG000), grouped by reason with a few examples each, so that the
survey of issue 9 can be repeated on any checkout. `--findings` also lists every error and
warning finding, one per line, for review; `--json` writes all findings to a file.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from logitguard.core.findings import UNREADABLE_CODE, Finding, Severity
from logitguard.output import display_location
from logitguard.static.checker import check_files
from logitguard.static.discovery import FileKind, discover

EXAMPLES_PER_REASON = 3
# The part of an LG000 message that varies from file to file, for grouping by reason.
_SPECIFICS = re.compile(r"'[^']*'|\"[^\"]*\"|\b\d+\b")


@dataclass
class Survey:
    label: str
    python_files: int = 0
    notebooks: int = 0
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)

    def add(self, other: Survey) -> None:
        self.python_files += other.python_files
        self.notebooks += other.notebooks
        self.seconds += other.seconds
        self.findings += other.findings


def survey(folder: str) -> Survey:
    found = discover([folder]).files
    result = Survey(
        label=folder,
        python_files=sum(f.kind is FileKind.PYTHON for f in found),
        notebooks=sum(f.kind is FileKind.NOTEBOOK for f in found),
    )
    start = time.perf_counter()
    result.findings = check_files(found)
    result.seconds = time.perf_counter() - start
    return result


def reason_of(finding: Finding) -> str:
    """The LG000's reason, with file-specific details (names, numbers) blanked for grouping."""
    message = finding.message.removeprefix("could not analyse this file: ")
    message = re.sub(
        r"^could not analyse code cell \d+ \((.*?)\)(; nor cells? [\d, ]+)?.*$",
        r"notebook cell: \1",
        message,
    )
    return _SPECIFICS.sub("…", message)


def report(result: Survey) -> None:
    files = result.python_files + result.notebooks
    rate = files / result.seconds if result.seconds else 0.0
    print(
        f"{result.label}: {files} files ({result.python_files} .py, {result.notebooks} .ipynb) "
        f"in {result.seconds:.1f} s ({rate:,.0f} files/s)"
    )
    by_code = Counter((f.code, f.severity.value) for f in result.findings)
    severities = Counter(f.severity.value for f in result.findings)
    print(
        f"  findings: {len(result.findings)} ("
        + ", ".join(f"{severities[s.value]} {s.value}" for s in Severity)
        + ")"
    )
    for (code, severity), count in sorted(by_code.items()):
        print(f"    {code} [{severity}]: {count}")
    unreadable = [f for f in result.findings if f.code == UNREADABLE_CODE]
    print(f"  LG000 (could not be read): {len(unreadable)}")
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in unreadable:
        grouped[reason_of(finding)].append(finding)
    for reason, findings in sorted(grouped.items(), key=lambda item: -len(item[1])):
        print(f"    {len(findings)} x {reason}")
        for finding in findings[:EXAMPLES_PER_REASON]:
            print(f"        {display_location(finding)}: {finding.message}")


def list_findings(findings: Sequence[Finding]) -> None:
    for finding in findings:
        if finding.severity is not Severity.INFO and finding.code != UNREADABLE_CODE:
            print(
                f"{display_location(finding)}: {finding.code} [{finding.severity.value}] "
                f"{finding.message}"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", metavar="FOLDER")
    parser.add_argument("--findings", action="store_true", help="list every error and warning")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write all findings as JSON")
    args = parser.parse_args(argv)
    total = Survey(label="total")
    for folder in args.folders:
        result = survey(folder)
        report(result)
        total.add(result)
    if len(args.folders) > 1:
        report(total)
    if args.findings:
        list_findings(total.findings)
    if args.json:
        args.json.write_text(
            json.dumps([finding.to_dict() for finding in total.findings], indent=1),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
