"""The text test that lets the checker skip modules that cannot hold a finding (frontends)."""

import pytest

from logitguard.static.frontends import cuts_at_a_half, has_triggers


@pytest.mark.parametrize(
    "text",
    [
        "keep = probs > 0.5",
        "keep = probs>=.5",
        "keep = 0.5 < probs",
        "keep = (0.5<=probs)",
        "labels = (net(x).sigmoid() > 0.5).long()",
    ],
)
def test_a_cut_at_a_half_is_seen(text):
    assert cuts_at_a_half(["import torch\n", text])


@pytest.mark.parametrize(
    "text",
    [
        "keep = probs > 0.55",
        "rate = 0.5",
        "keep = probs > 1.5e3",
        "pair = (.5 < x)",  # no word before the half: `\b0?\.5` does not read it
        "",
    ],
)
def test_other_halves_are_not_cuts(text):
    assert not cuts_at_a_half([text])


@pytest.mark.parametrize(
    "text, triggered",
    [
        ("loss = -(y * tf.log(p)).sum()", True),
        ("loss = (tf.log(tf.clip_by_value(p, 1e-7, 1.0)) * y).mean()", True),
        ("value = math.log(n) + 1", False),
        ("value = scale * n", False),
    ],
)
def test_a_cross_entropy_written_by_hand_is_a_trigger(text, triggered):
    assert has_triggers([text]) is triggered
