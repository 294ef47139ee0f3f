"""Which configurations train well, judged against the best configuration and chance level.

A configuration trains well when it keeps most of what the best configuration of its data set
gains over chance, both in test accuracy and in test cross-entropy (the quantity every
configuration sets out to minimise, so a model whose outputs stopped being usable probabilities
does not pass on accuracy alone). It reports correctly when the accuracy Keras computes equals
the true one at every epoch, and when the loss Keras computes on the final test outputs is that
cross-entropy (on the JAX and PyTorch backends a double activation breaks this).
"""

from __future__ import annotations

from dataclasses import dataclass

from logitguard.core.findings import Severity
from logitguard.demo.data import Dataset
from logitguard.demo.matrix import Config
from logitguard.demo.results import CheckOutcome, ConfigResult

# Share of the best configuration's gain over chance that a configuration must keep. Seed
# noise between correct set-ups costs a few percent of that gain; the mismatches of issue 5
# lose most of it.
WELL_TRAINED_SHARE = 0.9
# How far the compiled loss may be from the cross-entropy of the outputs, relative to it: float32
# against float64, and where Keras clips probabilities (1e-7) and the exact value does not. A
# double activation is off by a factor.
REPORTED_LOSS_TOLERANCE = 0.1


@dataclass(frozen=True)
class Benchmark:
    """Chance level and best configuration of one data set."""

    dataset: str
    test_size: int
    chance_accuracy: float
    best_accuracy: float
    chance_log_loss: float
    best_log_loss: float

    @classmethod
    def of(cls, dataset: Dataset, results: list[ConfigResult]) -> Benchmark:
        return cls(
            dataset=dataset.name,
            test_size=len(dataset.y_test),
            chance_accuracy=dataset.chance_accuracy,
            best_accuracy=max(result.true_accuracy.mean for result in results),
            chance_log_loss=dataset.chance_log_loss,
            best_log_loss=min(result.true_log_loss.mean for result in results),
        )

    @property
    def report_tolerance(self) -> float:
        """Half a test sample: any larger difference is at least one sample counted wrong."""
        return 0.5 / self.test_size


def share_of_best_gain(value: float, chance: float, best: float) -> float:
    """1.0 at the best configuration, 0.0 at chance level (higher is better).

    When even the best configuration is no better than chance, nothing has been learned and
    every configuration gets 0.0.
    """
    gain = best - chance
    return (value - chance) / gain if gain > 0 else 0.0


@dataclass(frozen=True)
class Verdict:
    accuracy_share: float
    log_loss_share: float
    largest_report_error: float  # largest |reported - true| accuracy over epochs and seeds
    reports_correctly: bool
    # Largest |compiled loss - cross-entropy| / cross-entropy on the test outputs, over seeds.
    largest_loss_error: float = 0.0

    @property
    def reports_loss_correctly(self) -> bool:
        return self.largest_loss_error <= REPORTED_LOSS_TOLERANCE

    @property
    def trains_well(self) -> bool:
        return min(self.accuracy_share, self.log_loss_share) >= WELL_TRAINED_SHARE

    @property
    def ok(self) -> bool:
        return self.trains_well and self.reports_correctly and self.reports_loss_correctly

    @property
    def problems(self) -> list[str]:
        problems = []
        if not self.trains_well:
            problems.append("trains badly")
        if not self.reports_correctly:
            problems.append("reports a wrong accuracy")
        if not self.reports_loss_correctly:
            problems.append("reports a wrong loss")
        return problems

    @property
    def label(self) -> str:
        return ", ".join(self.problems) or "trains well"


def loss_error(reported: float | None, true: float) -> float:
    """|reported - true| relative to the true cross-entropy; 0.0 when nothing was reported."""
    if reported is None:
        return 0.0
    return abs(reported - true) / max(true, 1e-12)


def judge(result: ConfigResult, benchmark: Benchmark) -> Verdict:
    largest = max(
        abs(reported - true)
        for run in result.runs
        for reported, true in zip(run.reported_accuracy, run.true_accuracy, strict=True)
    )
    return Verdict(
        accuracy_share=share_of_best_gain(
            result.true_accuracy.mean, benchmark.chance_accuracy, benchmark.best_accuracy
        ),
        # Lower cross-entropy is better: negate to measure the gain the same way.
        log_loss_share=share_of_best_gain(
            -result.true_log_loss.mean, -benchmark.chance_log_loss, -benchmark.best_log_loss
        ),
        largest_report_error=largest,
        reports_correctly=largest <= benchmark.report_tolerance,
        largest_loss_error=max(
            loss_error(run.reported_log_loss, run.true_log_loss) for run in result.runs
        ),
    )


def checker_agrees(outcome: CheckOutcome, verdict: Verdict) -> bool | None:
    """Bad configurations must be flagged; good ones must not get an error. None: no check."""
    if outcome.status != "ok":
        return None
    return not outcome.has_error if verdict.ok else outcome.flagged


def _emits(config: Config) -> str:
    return "raw logits" if config.emits_logits else f"{config.activation} probabilities"


def _metric_sentence(config: Config) -> str:
    if not config.binary:
        return '"accuracy" compares argmaxes, which are the same for logits and probabilities.'
    threshold = 0.5 if config.threshold is None else config.threshold
    counted = (
        '"accuracy" becomes BinaryAccuracy for one output unit, which'
        if config.threshold is None
        else f"BinaryAccuracy(threshold={threshold})"
    )
    agreement = "the same" if threshold == config.decision_boundary else "not the same"
    return (
        f"{counted} counts outputs above {threshold} as positive; for {_emits(config)} the "
        f"boundary is {config.decision_boundary}: {agreement}."
    )


def wiring(config: Config) -> str:
    """What the head emits, what the loss expects and what the metric does, in words."""
    expects = "raw logits" if config.from_logits else "probabilities"
    agreement = "they match" if config.emits_logits == config.from_logits else "they do not match"
    labels = ""
    if config.signed_labels:
        labels = (
            f" The labels are rescaled to -1/1 ({config.labels}), but the loss and the metric "
            "expect 0/1."
        )
    return (
        f"The head emits {_emits(config)}; {config.loss_source} expects {expects}: {agreement}. "
        + _metric_sentence(config)
        + labels
    )


def measured(result: ConfigResult, verdict: Verdict, benchmark: Benchmark) -> str:
    return (
        f"Measured on {benchmark.test_size} test samples: {verdict.label}. True accuracy "
        f"{result.true_accuracy.format()} (best configuration {benchmark.best_accuracy:.3f}, "
        f"chance {benchmark.chance_accuracy:.3f}); Keras reported "
        f"{result.reported_accuracy.format()}. Test cross-entropy "
        f"{result.true_log_loss.format()} (best {benchmark.best_log_loss:.3f}, chance "
        f"{benchmark.chance_log_loss:.3f}); the compiled loss on the same outputs "
        f"{result.reported_log_loss.format()}. Share of the best configuration's gain over chance: "
        f"{verdict.accuracy_share:.0%} in accuracy, {verdict.log_loss_share:.0%} in "
        f"cross-entropy ({WELL_TRAINED_SHARE:.0%} needed)."
    )


def explain(result: ConfigResult, verdict: Verdict, benchmark: Benchmark) -> list[str]:
    """Paragraphs for the report: the rules' explanations for flagged configurations, the
    wiring otherwise, then what was measured and what Keras itself said."""
    flagged = [f for f in result.findings() if f.severity is not Severity.INFO]
    paragraphs = [f"{f.code} {f.name}: {f.why}" for f in flagged] or [wiring(result.config)]
    paragraphs.append(measured(result, verdict, benchmark))
    paragraphs.extend(f"Keras warned: {warning}" for warning in result.keras_warnings())
    return paragraphs
