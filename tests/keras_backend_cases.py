"""inspect, fix, probability_model and LogitGuard on whichever Keras backend KERAS_BACKEND names.

Not collected by the main run (the name does not start with test_): `test_keras_backends.py`
runs this file once per backend, each in its own interpreter, because Keras reads
KERAS_BACKEND once, at its first import.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

BACKEND = os.environ["KERAS_BACKEND"]
keras = pytest.importorskip("keras")
datasets = pytest.importorskip("sklearn.datasets")

import logitguard  # noqa: E402
from logitguard.core.findings import Severity  # noqa: E402
from logitguard.keras import LogitGuard, LogitMismatchError  # noqa: E402

# Only Keras' TensorFlow backend computes a from_logits=True loss on the logits beneath a
# layer's own softmax; the others apply the softmax twice.
RESCUES_DOUBLE_ACTIVATION = BACKEND == "tensorflow"


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    x, y = datasets.load_digits(return_X_y=True)
    return (x[:256] / 16.0).astype("float32"), y[:256].astype("int64")


def mlp(head: list, loss, metrics=("accuracy",)):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(16, activation="relu"), *head])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=loss, metrics=list(metrics))
    return model


class SoftmaxByHand(keras.layers.Layer):
    """A custom softmax: only the probe of a batch can tell what it emits."""

    def call(self, inputs):
        exp = keras.ops.exp(inputs - keras.ops.max(inputs, axis=-1, keepdims=True))
        return exp / keras.ops.sum(exp, axis=-1, keepdims=True)


def numpy(value) -> np.ndarray:
    return np.asarray(keras.ops.convert_to_numpy(value))


def test_the_backend_is_the_one_asked_for():
    assert keras.backend.backend() == BACKEND


def test_only_tensorflow_undoes_a_double_softmax(digits):
    x, y = digits
    inputs = keras.Input((64,))
    logits = keras.layers.Dense(10)(inputs)
    probabilities = keras.layers.Activation("softmax")(logits)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    correct = float(numpy(loss(y[:64], keras.Model(inputs, logits)(x[:64]))))
    doubled = float(numpy(loss(y[:64], keras.Model(inputs, probabilities)(x[:64]))))
    assert (abs(doubled - correct) < 1e-4) is RESCUES_DOUBLE_ACTIVATION, (doubled, correct)


def test_double_activation_severity_and_message_name_the_backend(digits):
    x, y = digits
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    softmax_layer = [keras.layers.Dense(10, activation="softmax")]
    heads = (softmax_layer, [keras.layers.Dense(10), SoftmaxByHand()])
    for head in heads:
        report = logitguard.inspect(mlp(head, loss), x[:64], y[:64])
        assert report.subject.startswith("keras.Sequential"), report.subject
        assert report.codes == {"LG002"}, str(report)
        (finding,) = report.findings
        assert f"{BACKEND} backend" in finding.message
        expected = Severity.WARNING if RESCUES_DOUBLE_ACTIVATION else Severity.ERROR
        assert finding.severity is expected
        assert report.setups[0].backend == BACKEND


def test_fix_recompiles_a_logits_head_that_then_learns(digits):
    x, y = digits
    model = mlp([keras.layers.Dense(10)], "sparse_categorical_crossentropy")
    assert logitguard.inspect(model, x[:64], y[:64]).codes == {"LG001"}
    weights = [numpy(w) for w in model.get_weights()]
    assert logitguard.fix(model) is model
    assert model.loss.get_config()["from_logits"] is True
    unchanged = zip(weights, model.get_weights(), strict=True)
    assert all(np.array_equal(before, numpy(after)) for before, after in unchanged)
    assert logitguard.inspect(model, x[:64], y[:64]).findings == []
    history = model.fit(x, y, batch_size=64, epochs=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.3  # chance is 0.1


def test_fix_sets_a_logits_threshold_on_binary_accuracy(digits):
    x, y = digits
    binary = (y % 2).astype("float32").reshape(-1, 1)
    loss = keras.losses.BinaryCrossentropy(from_logits=True)
    model = mlp([keras.layers.Dense(1)], loss, metrics=["accuracy"])
    assert logitguard.inspect(model, x[:64], binary[:64]).codes == {"LG003"}
    logitguard.fix(model)
    assert logitguard.inspect(model, x[:64], binary[:64]).findings == []
    model.fit(x, binary, batch_size=64, epochs=2, verbose=0)
    reported = model.evaluate(x[:64], binary[:64], verbose=0, return_dict=True)
    true_accuracy = np.mean((numpy(model(x[:64])) > 0) == binary[:64])
    assert reported["accuracy"] == pytest.approx(true_accuracy, abs=1e-6)


def test_probability_model_turns_logits_into_probabilities(digits):
    x, _ = digits
    model = mlp([keras.layers.Dense(10)], keras.losses.SparseCategoricalCrossentropy(True))
    wrapped = logitguard.probability_model(model)
    assert wrapped is not model and isinstance(wrapped, keras.Model)
    probabilities = numpy(wrapped(x[:64]))
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0, atol=1e-5)
    assert np.array_equal(probabilities.argmax(-1), numpy(model(x[:64])).argmax(-1))
    softmax = [keras.layers.Dense(10, activation="softmax")]
    softmax_head = mlp(softmax, "sparse_categorical_crossentropy")
    assert logitguard.probability_model(softmax_head) is softmax_head


def test_guard_stops_a_mismatch_before_the_first_step_and_passes_a_correct_model(digits):
    x, y = digits
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    doubled = mlp([keras.layers.Dense(10, activation="softmax")], loss)
    if RESCUES_DOUBLE_ACTIVATION:
        guard = LogitGuard(sample=(x[:64], y[:64]), on_mismatch="warn", patience_steps=0)
        with pytest.warns(UserWarning, match="LG002"):
            doubled.fit(x, y, batch_size=64, epochs=1, verbose=0, callbacks=[guard])
    else:
        with pytest.raises(LogitMismatchError, match=f"LG002 \\[error\\].*{BACKEND} backend"):
            doubled.fit(x, y, epochs=1, verbose=0, callbacks=[LogitGuard(sample=(x[:64], y[:64]))])
        assert int(numpy(doubled.optimizer.iterations)) == 0
    correct = mlp([keras.layers.Dense(10)], loss)
    guard = LogitGuard(sample=(x[:64], y[:64]), patience_steps=4)
    correct.fit(x, y, batch_size=64, epochs=1, verbose=0, callbacks=[guard])
    assert guard.report is not None and guard.report.findings == []
    assert guard.stall is None
