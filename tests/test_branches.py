"""Tests deciding `if` tests from constants (engine/branches.py), on the expressions alone."""

from __future__ import annotations

import ast

import pytest

from logitguard.static.engine.branches import SOME_OBJECT, UNDECIDED, may_run, outcome

# What the names in the tests below hold; any other name is not known.
KNOWN = {"name": "ce", "flag": True, "off": False, "nothing": None, "units": 3}
KNOWN["act"] = SOME_OBJECT  # a module the code surely made: `nn.Softmax()`


def constant(node: ast.expr) -> object:
    if isinstance(node, ast.Constant | ast.Tuple | ast.List):
        return ast.literal_eval(node)
    if isinstance(node, ast.Name) and node.id in KNOWN:
        return KNOWN[node.id]
    return UNDECIDED


def value_of(test: str) -> object:
    return outcome(ast.parse(test, mode="eval").body, constant)


@pytest.mark.parametrize(
    ("test", "expected"),
    [
        ("name == 'ce'", True),
        ("name != 'ce'", False),
        ("name in ('ce', 'nll')", True),
        ("name not in ['bce']", True),
        ("nothing is None", True),
        ("flag", True),
        ("not flag", False),
        ("flag and off", False),
        ("off and unknown", False),  # one false operand decides `and`
        ("flag or unknown", True),  # one true operand decides `or`
        ("units == 3 and flag", True),
        ("units > 1", True),  # `if net.n_classes > 1:` for a net built with three
        ("units <= 1", False),
        ("act is not None", True),  # `if self.act is not None: x = self.act(x)`
        ("act is None", False),
        ("None is act", False),
        ("act", True),
        ("not act", False),
        ("act and flag", True),
    ],
)
def test_decided(test: str, expected: bool) -> None:
    value = value_of(test)
    assert value is not UNDECIDED and bool(value) is expected


@pytest.mark.parametrize(
    "test",
    [
        "unknown == 'ce'",
        "flag and unknown",
        "off or unknown",
        "name is 'ce'",  # identity of strings is not the language's to promise
        "name in 3",  # would raise, not take an arm
        "name < 3",  # would raise too
        "f(name)",
        "act == 'softmax'",  # how an object compares is its class's to say
        "act is act",  # two objects made apart may or may not be one
        "act in ('a', 'b')",
        "act > 0",
    ],
)
def test_undecided(test: str) -> None:
    assert value_of(test) is UNDECIDED


def decided(test: ast.expr) -> bool | None:
    value = outcome(test, constant)
    return None if value is UNDECIDED else bool(value)


def cases_that_may_run(subject: str, cases: str) -> list[int]:
    """The numbers of the `case` clauses (1, 2, ...) of `match subject:` that may run."""
    body = "".join(f"    {line}\n" for line in cases.strip().splitlines())
    match = ast.parse(f"match {subject}:\n{body}").body[0]
    assert isinstance(match, ast.Match)
    return [
        number
        for number, case in enumerate(match.cases, start=1)
        if may_run([(case, "body", case.body[0]), (match, "cases", case)], decided)
    ]


@pytest.mark.parametrize(
    ("subject", "cases", "expected"),
    [
        ("name", "case 'bce':\n    a\ncase 'ce':\n    b\ncase _:\n    c", [2]),
        ("name", "case 'bce' | 'ce':\n    a\ncase _:\n    c", [1]),
        ("units", "case 1:\n    a\ncase other:\n    b", [2]),  # a capture matches anything
        ("nothing", "case None:\n    a\ncase _:\n    b", [1]),
        ("name", "case 'ce' if flag:\n    a\ncase _:\n    b", [1]),
        ("name", "case 'ce' if off:\n    a\ncase _:\n    b", [2]),
        # What the constants cannot tell leaves every case that may match.
        ("unknown", "case 'bce':\n    a\ncase 'ce':\n    b", [1, 2]),
        ("name", "case 'ce' if unknown:\n    a\ncase _:\n    b", [1, 2]),
        ("name", "case Loss():\n    a\ncase 'ce':\n    b", [1, 2]),
        ("name", "case Loss():\n    a\ncase 'bce':\n    b", [1]),
    ],
)
def test_match_cases(subject: str, cases: str, expected: list[int]) -> None:
    assert cases_that_may_run(subject, cases) == expected
