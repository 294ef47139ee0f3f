"""Check one Python source: parse, extract facts with the front ends, run the rules."""

from __future__ import annotations

from logitguard.core.findings import Finding, unreadable
from logitguard.rules import ALL_RULES
from logitguard.static.frontends import extract_setups
from logitguard.static.module import ParsedModule


def check_source(source: str, path: str = "<string>") -> list[Finding]:
    try:
        module = ParsedModule.parse(source, path)
    except SyntaxError as error:
        return [unreadable(path, f"syntax error: {error.msg}", error.lineno or 1)]
    except ValueError as error:
        return [unreadable(path, str(error))]
    findings = [
        finding
        for setup in extract_setups(module)
        for rule in ALL_RULES
        for finding in rule.run(setup)
    ]
    return sorted(set(findings), key=lambda finding: finding.sort_key)
