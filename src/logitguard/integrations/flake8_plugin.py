"""A flake8 plugin: `flake8 --select LG` reports logitguard's findings with their own codes.

Registered under the `LG` prefix (see pyproject's `flake8.extension` entry point), so an existing
flake8 set-up picks it up once logitguard is installed. flake8 gives the parsed tree and the
lines it read; the checker runs on them as `logitguard check` would on the file, suppression
comments included (flake8's own `# noqa: LG001` works as well). What the file imports from files
beside it is followed, as `logitguard check` does; flake8 reports per file, so only the findings
that point into this file are reported here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from logitguard import __version__
from logitguard.static.checker import check_tree, load_module, project_roots
from logitguard.static.engine.project import Project


class LogitguardChecker:
    """flake8 AST plugin; flake8 reads `name` and `version` and passes the arguments by name."""

    name = "logitguard"
    version = __version__

    def __init__(self, tree: ast.Module, filename: str, lines: Sequence[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.source = "".join(lines)

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        project = Project(load_module, project_roots([self.filename]))
        for finding in check_tree(self.source, self.filename, self.tree, project):
            location = finding.location
            if location is not None and location.path != self.filename:
                continue
            line, col = (location.line, location.col) if location else (1, 0)
            message = f"{finding.code} [{finding.severity.value}] {finding.message}"
            yield line, col, message, type(self)
