"""`LogitGuard`: a Keras callback that stops a mismatched model before it wastes a training run.

    model.fit(x, y, callbacks=[LogitGuard(sample=(x[:256], y[:256]))])

When training begins it reads the compiled model (head, loss, metrics) and raises
`LogitMismatchError`, or warns with `on_mismatch="warn"`, on any error or warning finding.

Keras callbacks never see the batches `fit()` feeds, so what the outputs hold on real data comes
from `sample`: a small `(x, y)` (or `x` alone) the guard runs the model on once, before the first
step. Without it the guard judges the layers alone, which is enough for every standard head;
a custom layer or a subclassed model is then judged only by the stall watch below.

It also watches the first `patience_steps` steps for a run that is not learning (LG020: the loss
no better than a uniform guess and no longer falling), then stops watching: from there on each
batch costs one attribute test.

Only users of Keras import this module (it imports Keras); `import logitguard` does not.
Works with Keras 3 and with tf.keras (Keras 2, `tf_keras`) models.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras

from logitguard.core.findings import Finding
from logitguard.errors import (
    LogitMismatchError,
    LogitMismatchWarning,
    act_on,
    validate_on_mismatch,
)
from logitguard.rules.lg020_training_stalled import TrainingTrace
from logitguard.rules.lg020_training_stalled import finding as stall_finding
from logitguard.runtime.keras_inspect import ModelReading, read_model, report_for
from logitguard.runtime.report import InspectionReport

DEFAULT_PATIENCE_STEPS = 200
# Log keys of accuracies that compare against 1 / classes (binary accuracy does not).
CATEGORICAL_ACCURACY_KEYS = (
    "accuracy",
    "acc",
    "sparse_categorical_accuracy",
    "categorical_accuracy",
)

__all__ = ["LogitGuard", "LogitMismatchError", "LogitMismatchWarning"]


HINT = (
    "logitguard.fix(model) recompiles with a matching loss and metrics; "
    "LogitGuard(on_mismatch='warn') reports without stopping."
)


def _split_sample(sample: Any) -> tuple[Any, Any]:
    if sample is None:
        return None, None
    if isinstance(sample, tuple) and len(sample) == 2:
        return sample
    return sample, None


def _stall_classes(reading: ModelReading) -> int | None:
    """Classes a uniform guess spreads over, for one-output models trained on a cross-entropy."""
    if len(reading.outputs) != 1:
        return None  # the logged loss adds up several outputs
    setup = reading.outputs[0].setup
    if setup.loss is None:
        return None
    if setup.labels is not None and setup.labels.num_classes:
        return setup.labels.num_classes
    units = setup.head.units if setup.head else None
    if units is None:
        return None
    return max(units, 2)


class _StallWatch:
    """Turns Keras' running epoch means back into per-step values for the first N steps."""

    def __init__(self, classes: int, patience_steps: int) -> None:
        self.classes = classes
        self.patience_steps = patience_steps
        self.losses: list[float] = []
        self.accuracies: list[float] = []
        self._accuracy_key: str | None = None
        self.new_epoch()

    def new_epoch(self) -> None:
        self._last_step = -1
        self._last_means: dict[str, float] = {}

    def _step_value(self, key: str, step: int, mean: float) -> float:
        previous = self._last_means.get(key, 0.0)
        return ((step + 1) * mean - (self._last_step + 1) * previous) / (step - self._last_step)

    def record(self, step: int, logs: Mapping[str, Any]) -> bool:
        """Add one step; True once the window is full (or nothing can be watched)."""
        if "loss" not in logs or step <= self._last_step:
            return "loss" not in logs
        if self._accuracy_key is None:
            self._accuracy_key = next((k for k in CATEGORICAL_ACCURACY_KEYS if k in logs), "")
        self.losses.append(self._step_value("loss", step, float(logs["loss"])))
        self._last_means["loss"] = float(logs["loss"])
        if self._accuracy_key:
            accuracy = float(logs[self._accuracy_key])
            self.accuracies.append(self._step_value(self._accuracy_key, step, accuracy))
            self._last_means[self._accuracy_key] = accuracy
        self._last_step = step
        return len(self.losses) >= self.patience_steps

    def finding(self) -> Finding | None:
        accuracies = self.accuracies if self.accuracies and self.classes > 2 else None
        return stall_finding(TrainingTrace(self.losses, self.classes, accuracies))


class LogitGuard(keras.callbacks.Callback):
    """Checks the model when training begins and watches the first steps for a stalled run.

    Args:
        sample: `(x, y)` or `x`: a small batch to run the model on once (probe of the outputs
            and, with `y`, of the label format and number of classes).
        on_mismatch: "raise" (default) raises `LogitMismatchError`; "warn" warns
            (`LogitMismatchWarning`) and lets training go on.
        patience_steps: steps after which the run is judged for a stall (LG020); 0 turns the
            stall watch off.
    """

    def __init__(
        self,
        sample: Any = None,
        on_mismatch: str = "raise",
        patience_steps: int = DEFAULT_PATIENCE_STEPS,
    ) -> None:
        super().__init__()
        self.sample = sample
        self.on_mismatch = validate_on_mismatch(on_mismatch)
        self.patience_steps = patience_steps
        self.report: InspectionReport | None = None
        self.stall: Finding | None = None
        self._watch: _StallWatch | None = None

    def on_train_begin(self, logs: Mapping[str, Any] | None = None) -> None:
        reading = read_model(self.model, *_split_sample(self.sample))
        self.report = report_for(reading)
        act_on(self.report.findings, self.on_mismatch, HINT, stacklevel=2)
        classes = _stall_classes(reading)
        if classes is not None and self.patience_steps > 0:
            self._watch = _StallWatch(classes, self.patience_steps)

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        if self._watch is not None:
            self._watch.new_epoch()

    def on_train_batch_end(self, batch: int, logs: Mapping[str, Any] | None = None) -> None:
        if self._watch is None:
            return
        if self._watch.record(batch, logs or {}):
            watch, self._watch = self._watch, None
            self.stall = watch.finding()
            if self.stall is not None:
                act_on([self.stall], self.on_mismatch, HINT, stacklevel=2)

    # tf.keras (Keras 2) asks each callback which batch hooks it needs before calling any, and
    # converts the logs of every step for callbacks that say yes.
    def _implements_train_batch_hooks(self) -> bool:
        return self.patience_steps > 0

    def _implements_test_batch_hooks(self) -> bool:
        return False

    def _implements_predict_batch_hooks(self) -> bool:
        return False
