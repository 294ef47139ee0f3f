"""The LogitGuard callback and the LG020 stall rule, on real Keras 3 training runs."""

from __future__ import annotations

import math
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import pytest

keras = pytest.importorskip("keras")
datasets = pytest.importorskip("sklearn.datasets")

from logitguard.keras import LogitGuard, LogitMismatchError, LogitMismatchWarning  # noqa: E402
from logitguard.rules import get_rule  # noqa: E402
from logitguard.rules.lg020_training_stalled import TrainingTrace, diagnose  # noqa: E402


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    x, y = datasets.load_digits(return_X_y=True)
    return (x / 16.0).astype("float32"), y.astype("int64")


class PassThrough(keras.layers.Layer):
    """A custom layer handing raw logits on: the layers alone cannot tell what it emits."""

    def call(self, inputs):
        return inputs * 1.0


class SoftmaxByHand(keras.layers.Layer):
    def call(self, inputs):
        exp = keras.ops.exp(inputs - keras.ops.max(inputs, axis=-1, keepdims=True))
        return exp / keras.ops.sum(exp, axis=-1, keepdims=True)


def classifier(head: list, loss, metrics=("accuracy",)):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(32, activation="relu"), *head])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=loss, metrics=list(metrics))
    return model


class EpochCounter(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.epochs_done = 0

    def on_epoch_end(self, epoch, logs=None):
        self.epochs_done += 1


def test_guard_raises_before_the_first_epoch_on_a_mismatch(digits):
    x, y = digits
    model = classifier([keras.layers.Dense(10)], "sparse_categorical_crossentropy")
    counter = EpochCounter()
    with pytest.raises(LogitMismatchError) as raised:
        model.fit(x, y, epochs=1, verbose=0, callbacks=[LogitGuard(), counter])
    assert counter.epochs_done == 0
    assert int(model.optimizer.iterations.numpy()) == 0
    assert [f.code for f in raised.value.findings] == ["LG001"]
    assert "from_logits=True" in str(raised.value)


def test_guard_probes_its_sample_before_training(digits):
    x, y = digits
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model = classifier([keras.layers.Dense(10), SoftmaxByHand()], loss)
    with pytest.raises(LogitMismatchError, match="LG002"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[LogitGuard(sample=(x[:64], y[:64]))])
    assert int(model.optimizer.iterations.numpy()) == 0


def test_guard_lets_a_correct_model_train(digits):
    x, y = digits
    model = classifier(
        [keras.layers.Dense(10)], keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
    guard = LogitGuard(sample=(x[:64], y[:64]), patience_steps=40)
    history = model.fit(x, y, batch_size=32, epochs=1, verbose=0, callbacks=[guard])
    assert guard.report is not None and guard.report.findings == []
    assert guard.stall is None
    assert history.history["accuracy"][0] > 0.5


def test_guard_warns_and_training_goes_on_in_warn_mode(digits):
    x, y = digits
    model = classifier([keras.layers.Dense(10)], "sparse_categorical_crossentropy")
    model.run_eagerly = True  # two steps: cheaper than tracing the train step
    guard = LogitGuard(on_mismatch="warn", patience_steps=0)
    with pytest.warns(LogitMismatchWarning, match="LG001"):
        history = model.fit(x, y, epochs=2, steps_per_epoch=1, verbose=0, callbacks=[guard])
    assert len(history.history["loss"]) == 2


def test_guard_stops_a_stalled_run_the_layers_could_not_show(digits):
    x, y = digits
    # Raw logits through a custom layer into a loss that expects probabilities.
    model = classifier([keras.layers.Dense(10), PassThrough()], "sparse_categorical_crossentropy")
    guard = LogitGuard(patience_steps=80)
    with pytest.raises(LogitMismatchError) as raised:
        model.fit(x, y, batch_size=32, epochs=3, verbose=0, callbacks=[guard])
    assert [f.code for f in raised.value.findings] == ["LG020"]
    assert guard.report.findings == []  # the set-up itself looked fine
    assert int(model.optimizer.iterations.numpy()) == 80


def test_guard_rejects_an_unknown_mode():
    with pytest.raises(ValueError, match="on_mismatch"):
        LogitGuard(on_mismatch="ignore")


# --- the LG020 rule on its own --------------------------------------------------------------


def test_lg020_is_a_registered_runtime_only_rule():
    rule = get_rule("LG020")
    assert rule is not None and rule.runtime_only
    assert rule.examples == ()


def test_lg020_silent_while_the_loss_falls_or_when_it_beats_guessing():
    falling = [2.3 * math.exp(-step / 30) for step in range(100)]
    assert diagnose(TrainingTrace(falling, classes=10)) is None
    flat_but_learnt = [0.4] * 100
    assert diagnose(TrainingTrace(flat_but_learnt, classes=10)) is None
    too_short = [2.31] * 10
    assert diagnose(TrainingTrace(too_short, classes=10)) is None


def test_lg020_fires_on_a_flat_loss_at_the_uniform_guess():
    stuck = [math.log(10) + 0.01 * ((-1) ** step) for step in range(100)]
    diagnosis = diagnose(TrainingTrace(stuck, classes=10))
    assert diagnosis is not None and "ln 10" in diagnosis.message
    stuck_at_chance = [1.9] * 100
    at_chance = diagnose(TrainingTrace(stuck_at_chance, classes=10, accuracies=[0.11] * 100))
    assert at_chance is not None and "chance 0.10" in at_chance.message
