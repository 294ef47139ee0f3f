"""`# logitguard: ignore[LG001,LG003]` comments (or a bare `# logitguard: ignore`).

A comment silences findings on its own line, or on any line of the statement whose first line
carries it. Comments are found with `tokenize`, so the same text inside a string does nothing.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable

from logitguard.core.findings import UNREADABLE_CODE, Finding

MARKER = "logitguard"
_DIRECTIVE = re.compile(r"logitguard:\s*ignore(?![\w-])(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)

# Line -> the codes silenced there; None silences every code.
Suppressions = dict[int, frozenset[str] | None]


def find_suppressions(source: str) -> Suppressions:
    if MARKER not in source:  # the common case, and tokenizing is slower than parsing
        return {}
    found: Suppressions = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                _record(found, token.start[0], token.string)
    except (tokenize.TokenError, SyntaxError):
        pass  # keep what was read before the error
    return found


def _record(found: Suppressions, line: int, comment: str) -> None:
    for match in _DIRECTIVE.finditer(comment):
        codes = match.group("codes")
        if codes is None or not codes.strip():
            found[line] = None
            return
        listed = frozenset(code.strip().upper() for code in re.split(r"[,\s]+", codes) if code)
        previous = found.get(line, frozenset())
        if previous is not None:
            found[line] = previous | listed


def statement_first_lines(tree: ast.AST) -> dict[int, int]:
    """For each line inside a statement, the statement's first line (a header for `if`, `def`)."""
    first_lines: dict[int, int] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or node.end_lineno is None:
            continue
        body = getattr(node, "body", None)
        last = node.end_lineno
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            last = body[0].lineno - 1  # a compound statement's own lines are its header
        for line in range(node.lineno + 1, last + 1):
            # ast.walk goes outside in, so inner statements overwrite their parents.
            first_lines[line] = node.lineno
    return first_lines


def is_suppressed(
    finding: Finding, suppressions: Suppressions, first_lines: dict[int, int]
) -> bool:
    if finding.location is None or finding.code == UNREADABLE_CODE:
        return False
    line = finding.location.line
    candidate_lines = {line, first_lines.get(line, line)}
    for candidate in candidate_lines:
        if candidate in suppressions:
            codes = suppressions[candidate]
            if codes is None or finding.code in codes:
                return True
    return False


def without_suppressed(
    findings: Iterable[Finding], source: str, tree: ast.AST | None
) -> list[Finding]:
    findings = list(findings)
    suppressions = find_suppressions(source) if findings else {}
    if not suppressions:
        return findings
    first_lines = statement_first_lines(tree) if tree is not None else {}
    return [
        finding for finding in findings if not is_suppressed(finding, suppressions, first_lines)
    ]
