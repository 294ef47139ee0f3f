"""Human text: `path:line:col: CODE [severity] message`, why and fix with -v, then a summary.

Colour (through rich) only when the stream is a terminal; otherwise plain lines, never wrapped.
"""

from __future__ import annotations

import textwrap
from typing import TextIO

from logitguard.core.findings import Finding, Severity
from logitguard.output import Summary, display_location, place

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_INDENT = "    "


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_line(summary: Summary) -> str:
    if not summary.findings:
        line = f"All clear: no findings in {_plural(summary.files, 'file')}."
    else:
        counts = ", ".join(
            _plural(summary.count(severity), severity.value)
            if severity is not Severity.INFO
            else f"{summary.count(severity)} info"
            for severity in Severity
            if summary.count(severity)
        )
        line = (
            f"Found {_plural(len(summary.findings), 'finding')} ({counts}) in "
            f"{_plural(summary.files, 'file')} checked."
        )
        if summary.fixable:
            line += f" {summary.fixable} fixable with --fix (preview with --diff)."
        if summary.unreadable:
            line += f" {_plural(summary.unreadable, 'file')} could not be read (LG000)."
    if summary.fixed:
        line += f" Fixed {_plural(summary.fixed, 'finding')}."
    return line


def _detail_lines(finding: Finding) -> list[str]:
    lines: list[str] = []
    for label, text in (("why", finding.why), ("fix", finding.fix)):
        wrapped = textwrap.wrap(text, width=96, initial_indent="", subsequent_indent=_INDENT * 2)
        lines.append(f"{_INDENT}{label}: " + "\n".join(wrapped))
    return lines


def _related_lines(finding: Finding) -> list[str]:
    return [f"{_INDENT}head at {place(location)}" for location in finding.related]


def write_text(summary: Summary, stream: TextIO, *, verbose: bool = False) -> None:
    if stream.isatty():
        _write_rich(summary, stream, verbose=verbose)
        return
    for finding in summary.findings:
        stream.write(
            f"{display_location(finding)}: {finding.code} [{finding.severity.value}] "
            f"{finding.message}\n"
        )
        for line in _related_lines(finding):
            stream.write(line + "\n")
        if verbose:
            stream.write("\n".join(_detail_lines(finding)) + "\n")
    stream.write(summary_line(summary) + "\n")


def _write_rich(summary: Summary, stream: TextIO, *, verbose: bool) -> None:
    from rich.console import Console
    from rich.text import Text

    # Text objects, never markup strings: messages contain brackets such as ['accuracy'].
    console = Console(file=stream, soft_wrap=True, highlight=False, emoji=False)
    for finding in summary.findings:
        style = _STYLES[finding.severity]
        console.print(
            Text.assemble(
                (display_location(finding), "bold"),
                ": ",
                (finding.code, style),
                " ",
                (f"[{finding.severity.value}]", style),
                " ",
                finding.message,
            )
        )
        for line in _related_lines(finding):
            console.print(Text(line))
        if verbose:
            console.print(Text("\n".join(_detail_lines(finding)), style="dim"))
    summary_style = "bold red" if summary.failing else "bold green"
    console.print(Text(summary_line(summary), style=summary_style))
