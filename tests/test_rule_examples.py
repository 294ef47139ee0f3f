"""Every rule's own examples: invalid ones raise the rule, valid ones do not."""

from __future__ import annotations

import textwrap

import pytest

from logitguard.rules import ALL_RULES
from logitguard.rules.base import Example, Rule
from logitguard.static.checker import check_source

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
    assert sum(example.invalid for example in rule.examples) >= 3
    assert sum(not example.invalid for example in rule.examples) >= 3


def test_codes_are_unique() -> None:
    codes = [rule.code for rule in ALL_RULES]
    assert len(codes) == len(set(codes))
