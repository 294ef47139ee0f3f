"""LG020 (runtime only): after many steps the loss is no better than a uniform guess.

No set-up fact shows this: it is read from the losses of a live run (the Keras `LogitGuard`
callback records them), so `check` never fires on a `TrainingSetup` and the rule has no source
examples; `diagnose` judges a recorded trace instead.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from statistics import fmean

from logitguard.core.facts import TrainingSetup
from logitguard.core.findings import Finding, Severity
from logitguard.rules.base import Diagnosis, Rule

# Fewer steps than this say nothing about a trend.
MIN_STEPS = 20
# The loss counts as no better than guessing from this share of ln(classes) up.
GUESS_SHARE = 0.95
# Between the last two quarters of the trace the loss fell by less than this share.
FLAT_SHARE = 0.05
# Accuracy within this distance of 1 / classes counts as chance.
CHANCE_MARGIN = 0.05


@dataclass(frozen=True)
class TrainingTrace:
    """Per-step training losses (and accuracies, when logged) of one run, oldest first."""

    losses: Sequence[float]
    classes: int
    accuracies: Sequence[float] | None = None


def _last_quarters(values: Sequence[float]) -> tuple[float, float]:
    quarter = len(values) // 4
    return fmean(values[-2 * quarter : -quarter]), fmean(values[-quarter:])


def diagnose(trace: TrainingTrace) -> Diagnosis | None:
    steps = len(trace.losses)
    if steps < MIN_STEPS or trace.classes < 2 or not all(map(math.isfinite, trace.losses)):
        return None
    before, now = _last_quarters(trace.losses)
    if before - now > FLAT_SHARE * abs(before):
        return None  # still learning
    guess_loss = math.log(trace.classes)
    chance = 1 / trace.classes
    logged = trace.accuracies is not None and len(trace.accuracies) >= MIN_STEPS
    accuracy = _last_quarters(trace.accuracies)[1] if logged else None
    at_guess = now >= GUESS_SHARE * guess_loss
    # With two classes the chance level depends on the class balance, which is not known here.
    at_chance = accuracy is not None and trace.classes > 2 and accuracy <= chance + CHANCE_MARGIN
    if not (at_guess or at_chance):
        return None
    accuracy_text = "" if accuracy is None else f"; accuracy {accuracy:.2f} (chance {chance:.2f})"
    return Diagnosis(
        message=f"after {steps} training steps the loss is {now:.3f}, no better than a uniform "
        f"guess among {trace.classes} classes (ln {trace.classes} = {guess_loss:.3f}), and it has "
        f"stopped falling{accuracy_text}",
        location=None,
    )


def finding(trace: TrainingTrace) -> Finding | None:
    """The LG020 finding for a recorded run, or None when the run is learning."""
    diagnosis = diagnose(trace)
    if diagnosis is None:
        return None
    return Finding(
        code=RULE.code,
        name=RULE.name,
        severity=RULE.severity,
        message=diagnosis.message,
        why=RULE.why,
        fix=RULE.fix,
    )


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    # A stall shows in the losses of a run, never in the set-up facts.
    return iter(())


RULE = Rule(
    code="LG020",
    name="training-stalled",
    severity=Severity.WARNING,
    summary="after many steps the training loss is no better than a uniform guess (runtime only)",
    why="A classifier that predicts the same distribution for every input scores a "
    "cross-entropy of ln(classes) and chance accuracy. A run still at that level after many "
    "steps, and no longer improving, is not learning. The usual cause is a head/loss mismatch "
    "the set-up did not show: raw logits fed to a loss that expects probabilities (Keras clips "
    "them to [1e-7, 1 - 1e-7] or renormalises them, so gradients vanish), a softmax over one "
    "unit, or labels in the wrong format. A learning rate far too small or too large looks "
    "the same.",
    fix="Check what the model's last layer emits against the loss's from_logits and the labels "
    "(logitguard.inspect(model, x, y) on a batch); if they match, check the learning rate and "
    "the input scaling.",
    check=check,
    runtime_only=True,
)
