"""A flake8 plugin: `flake8 --select LG` reports logitguard's findings with their own codes.

Registered under the `LG` prefix (see pyproject's `flake8.extension` entry point), so an existing
flake8 set-up picks it up once logitguard is installed. flake8 gives the parsed tree and the
lines it read; the checker runs on them as `logitguard check` would on the file, suppression
comments included (flake8's own `# noqa: LG001` works as well).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from logitguard import __version__
from logitguard.static.checker import check_tree


class LogitguardChecker:
    """flake8 AST plugin; flake8 reads `name` and `version` and passes the arguments by name."""

    name = "logitguard"
    version = __version__

    def __init__(self, tree: ast.Module, filename: str, lines: Sequence[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.source = "".join(lines)

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        for finding in check_tree(self.source, self.filename, self.tree):
            location = finding.location
            line, col = (location.line, location.col) if location else (1, 0)
            message = f"{finding.code} [{finding.severity.value}] {finding.message}"
            yield line, col, message, type(self)
