"""Tests deciding `if` tests from constants (engine/branches.py), on the expressions alone."""

from __future__ import annotations

import ast

import pytest

from logitguard.static.engine.branches import UNDECIDED, outcome

# What the names in the tests below hold; any other name is not known.
KNOWN = {"name": "ce", "flag": True, "off": False, "nothing": None, "units": 3}


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
    ],
)
def test_decided(test: str, expected: bool) -> None:
    assert value_of(test) == expected


@pytest.mark.parametrize(
    "test",
    [
        "unknown == 'ce'",
        "flag and unknown",
        "off or unknown",
        "name is 'ce'",  # identity of strings is not the language's to promise
        "units < 4",  # an ordering: not a flag test
        "name in 3",  # would raise, not take an arm
        "f(name)",
    ],
)
def test_undecided(test: str) -> None:
    assert value_of(test) is UNDECIDED
