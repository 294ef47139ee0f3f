"""`# logitguard: ignore[...]` comments, found with tokenize."""

from __future__ import annotations

import ast
import textwrap

from logitguard.core.facts import Location
from logitguard.core.findings import Finding, Severity, unreadable
from logitguard.rules import ALL_RULES
from logitguard.static.checker import check_source
from logitguard.static.suppressions import find_suppressions, without_suppressed


def test_comments_are_parsed_with_their_codes() -> None:
    source = textwrap.dedent(
        """\
        a = 1  # logitguard: ignore[LG001]
        b = 2  # logitguard: ignore[lg001, LG003]
        c = 3  # logitguard: ignore
        d = "# logitguard: ignore"
        e = 4  # noqa: E501  # logitguard:ignore[LG002]
        f = 5  # logitguard: ignored for now, this is not a directive
        """
    )
    assert find_suppressions(source) == {
        1: frozenset({"LG001"}),
        2: frozenset({"LG001", "LG003"}),
        3: None,
        5: frozenset({"LG002"}),
    }


def finding_at(line: int, code: str = "LG001") -> Finding:
    return Finding(code, "name", Severity.ERROR, "m", "w", "f", Location("a.py", line, 0))


def test_a_comment_on_the_first_line_of_a_statement_covers_all_its_lines() -> None:
    source = textwrap.dedent(
        """\
        model.compile(  # logitguard: ignore[LG001]
            optimizer="adam",
            loss="binary_crossentropy",
        )
        model.compile(
            loss="binary_crossentropy",  # logitguard: ignore[LG003]
        )
        if flag:  # logitguard: ignore
            model.fit(x,
                      y)
        """
    )
    tree = ast.parse(source)
    findings = [
        finding_at(3),  # inside the first call: silenced
        finding_at(3, "LG003"),  # another code: kept
        finding_at(6),  # the comment names LG003 only: kept
        finding_at(6, "LG003"),  # silenced on its own line
        finding_at(10),  # the `if` header's comment does not cover its body: kept
    ]
    kept = without_suppressed(findings, source, tree)
    assert [(f.location.line, f.code) for f in kept if f.location] == [
        (3, "LG003"),
        (6, "LG001"),
        (10, "LG001"),
    ]


def test_unreadable_files_cannot_be_silenced() -> None:
    source = "x = 1  # logitguard: ignore\n"
    lg000 = unreadable("a.py", "whatever")
    assert without_suppressed([lg000], source, ast.parse(source)) == [lg000]


def test_the_rules_own_examples_can_be_silenced_line_by_line() -> None:
    for rule in ALL_RULES:
        for example in rule.examples:
            if not example.invalid:
                continue
            source = textwrap.dedent(example.source)
            findings = [f for f in check_source(source, "ex.py") if f.code == rule.code]
            lines = source.split("\n")
            for line in {f.location.line for f in findings if f.location}:
                lines[line - 1] += f"  # logitguard: ignore[{rule.code}]"
            quiet = "\n".join(lines)
            assert rule.code not in {f.code for f in check_source(quiet, "ex.py")}, quiet
