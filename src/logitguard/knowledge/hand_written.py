"""Losses written by hand out of a framework's logs: `-sum(y * log(p))` expects probabilities.

A cross-entropy's terms are a product of the targets and the log of the predictions; the log of
raw scores (which may be negative) is NaN, so such a loss needs softmax (or, in the binary
form that also takes `log(1 - p)`, sigmoid) probabilities.
"""

from __future__ import annotations

from logitguard.core.facts import Emits, Location, LossFamily, LossUse


def cross_entropy(shown: str, where: Location, binary: bool, use_instead: str) -> LossUse:
    """The cross-entropy written by hand around the log `shown`; `use_instead` names the
    framework's loss on logits ("tf.nn.softmax_cross_entropy_with_logits")."""
    return LossUse(
        family=LossFamily.BINARY if binary else LossFamily.CATEGORICAL,
        expects=Emits.SIGMOID if binary else Emits.SOFTMAX,
        display=f"the cross-entropy written by hand around {shown}",
        location=where,
        logits_remedy=f"{use_instead} on the logits: it applies the "
        f"{'sigmoid' if binary else 'softmax'} itself, stably",
    )
