"""What the checkers report."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any

from logitguard.core.facts import Edit, Location


class Severity(Enum):
    ERROR = "error"  # the model trains wrongly or reports wrong numbers
    WARNING = "warning"  # it trains, but worse or less stably than it should
    INFO = "info"  # worth a look; the checker could not be sure


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str  # one line, specific to this occurrence
    why: str  # the rule's explanation
    fix: str  # what to change, specific to this occurrence where possible
    location: Location | None = None
    edit: Edit | None = None
    # Other places the finding is about, in other files: the head a loss elsewhere is given.
    related: tuple[Location, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @property
    def sort_key(self) -> tuple[str, int, int, int, str]:
        loc = self.location
        if loc is None:
            return ("", 0, 0, 0, self.code)
        return (loc.path, loc.cell or 0, loc.line, loc.col, self.code)


# Reported for a file or object the checker could not analyse at all. It says nothing about the
# user's model: a warning that fails a run only when asked to (`--strict`).
UNREADABLE_CODE = "LG000"
UNREADABLE_NAME = "unreadable-input"
UNREADABLE_SUMMARY = "a file that could not be read, parsed or written (the run goes on)"


def unreadable(path: str, reason: str, line: int = 1, col: int = 0) -> Finding:
    return Finding(
        code=UNREADABLE_CODE,
        name=UNREADABLE_NAME,
        severity=Severity.WARNING,
        message=f"could not analyse this file: {reason}",
        why="logitguard reads each file on its own; this one could not be read or parsed, "
        "so nothing in it was checked. The other files were.",
        fix="Make the file valid Python (or a valid notebook), or exclude it from the check.",
        location=Location(path=path, line=line, col=col),
    )
