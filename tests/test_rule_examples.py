"""Every rule's own examples: invalid ones raise the rule, valid ones do not."""

from __future__ import annotations

import ast
import textwrap

import pytest

from logitguard.rules import ALL_RULES
from logitguard.rules.base import Example, Rule
from logitguard.static.checker import check_source
from logitguard.static.notebooks import CodeCell, check_cells

CASES = [
    pytest.param(
        rule,
        example,
        id=f"{rule.code}-{example.framework}-{'invalid' if example.invalid else 'valid'}-{index}",
    )
    for rule in ALL_RULES
    for index, example in enumerate(rule.examples)
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example(rule: Rule, example: Example) -> None:
    codes = {finding.code for finding in check_source(textwrap.dedent(example.source), "ex.py")}
    assert "LG000" not in codes
    if example.invalid:
        assert rule.code in codes
    else:
        assert rule.code not in codes


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_every_rule_has_enough_examples(rule: Rule) -> None:
    if rule.runtime_only:
        pytest.skip("runtime-only rules are tested by their runtime tests")
    assert sum(example.invalid for example in rule.examples) >= 3
    assert sum(not example.invalid for example in rule.examples) >= 3


def test_codes_are_unique() -> None:
    codes = [rule.code for rule in ALL_RULES]
    assert len(codes) == len(set(codes))


def as_two_cell_notebook(source: str) -> list[CodeCell]:
    """The example split at a top-level statement into two code cells, each with IPython lines."""
    statements = ast.parse(source).body
    split = statements[len(statements) // 2].lineno if statements else 1
    lines = source.split("\n")
    first, second = "\n".join(lines[: split - 1]), "\n".join(lines[split - 1 :])
    return [
        CodeCell(1, "%matplotlib inline\n" + first),
        CodeCell(2, "!pip install -q logitguard\n" + second),
    ]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example_as_notebook(rule: Rule, example: Example) -> None:
    cells = as_two_cell_notebook(textwrap.dedent(example.source))
    codes = {finding.code for finding in check_cells(cells, "ex.ipynb")}
    assert "LG000" not in codes
    if example.invalid:
        assert rule.code in codes
    else:
        assert rule.code not in codes
