"""`--format json`: every finding as a dict (Location as `ast` gives it: 0-based col) + summary."""

from __future__ import annotations

import json
from typing import TextIO

from logitguard import __version__
from logitguard.output import Summary


def to_json(summary: Summary) -> dict[str, object]:
    return {
        "tool": "logitguard",
        "version": __version__,
        "findings": [finding.to_dict() for finding in summary.findings],
        "summary": summary.to_dict(),
    }


def write_json(summary: Summary, stream: TextIO) -> None:
    json.dump(to_json(summary), stream, indent=2)
    stream.write("\n")
