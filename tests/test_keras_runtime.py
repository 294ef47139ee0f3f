"""Runtime inspection, fix and probability wrapper on real Keras 3 models and real data."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")
datasets = pytest.importorskip("sklearn.datasets")

import logitguard  # noqa: E402
from logitguard.core.facts import Emits, LabelFormat, MetricKind  # noqa: E402
from logitguard.keras import LogitGuard, LogitMismatchWarning  # noqa: E402
from logitguard.runtime.keras_inspect import (  # noqa: E402
    inspect_keras,
    inspect_keras_file,
)
from logitguard.runtime.probe import probe_emits  # noqa: E402


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    x, y = datasets.load_digits(return_X_y=True)
    return (x / 16.0).astype("float32"), y.astype("int64")


@pytest.fixture(scope="module")
def cancer() -> tuple[np.ndarray, np.ndarray]:
    x, y = datasets.load_breast_cancer(return_X_y=True)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    return x.astype("float32"), y.astype("float32")


def mlp(inputs: int, head: list, loss, metrics=None, hidden: int = 16):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((inputs,)), keras.layers.Dense(hidden, activation="relu"), *head]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=loss, metrics=metrics or [])
    return model


def train_briefly(model, x, y, steps: int = 3):
    # Eager: for a few steps, tracing the train step would cost more than running it.
    model.run_eagerly = True
    model.fit(x, y, batch_size=32, epochs=1, steps_per_epoch=steps, verbose=0)
    model.run_eagerly = False
    return model


def Dense(units, activation=None, **kwargs):
    return keras.layers.Dense(units, activation=activation, **kwargs)


class SoftmaxByHand(keras.layers.Layer):
    """A custom layer whose output is a softmax, which only the probe can tell."""

    def call(self, inputs):
        exp = keras.ops.exp(inputs - keras.ops.max(inputs, axis=-1, keepdims=True))
        return exp / keras.ops.sum(exp, axis=-1, keepdims=True)


class PassThrough(keras.layers.Layer):
    """A custom layer that hands raw logits on unchanged."""

    def call(self, inputs):
        return inputs * 1.0


class LogitsClassifier(keras.Model):
    def __init__(self, classes: int):
        super().__init__()
        self.hidden = keras.layers.Dense(16, activation="relu")
        self.out = keras.layers.Dense(classes)

    def call(self, inputs):
        return self.out(self.hidden(inputs))


# --- inspect: one model per code ---------------------------------------------------------


def test_sequential_logits_head_with_probability_loss_is_lg001(digits):
    x, y = digits
    model = train_briefly(
        mlp(64, [Dense(10)], "sparse_categorical_crossentropy", ["accuracy"]), x, y
    )
    report = inspect_keras(model)
    assert report.codes == {"LG001"}
    finding = report.findings[0]
    assert "Dense(10)" in finding.message
    assert "SparseCategoricalCrossentropy(from_logits=True)" in finding.fix
    assert not report.ok
    assert report.to_dict()["findings"][0]["code"] == "LG001"
    assert "LG001" in str(report)


def test_functional_softmax_layer_with_from_logits_loss_is_lg002(digits):
    x, y = digits
    keras.utils.set_random_seed(0)
    inputs = keras.Input((64,))
    hidden = keras.layers.Dense(16, activation="relu")(inputs)
    outputs = keras.layers.Softmax()(keras.layers.Dense(10)(hidden))
    model = keras.Model(inputs, outputs)
    model.compile(
        optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
    report = inspect_keras(train_briefly(model, x, y))
    assert report.codes == {"LG002"}
    assert report.setups[0].head.display == "Dense(10) + Softmax()"


def test_one_unit_logits_with_accuracy_is_lg003_and_threshold_zero_is_clean(cancer):
    x, y = cancer
    loss = keras.losses.BinaryCrossentropy(from_logits=True)
    broken = train_briefly(mlp(30, [Dense(1)], loss, ["accuracy", "AUC"]), x, y)
    report = inspect_keras(broken)
    assert report.codes == {"LG003"}
    accuracy = report.setups[0].metrics[0]
    assert accuracy.kind is MetricKind.BINARY_ACCURACY
    assert "BinaryAccuracy" in accuracy.resolved_because
    correct = mlp(30, [Dense(1)], loss, [keras.metrics.BinaryAccuracy(threshold=0.0)])
    assert inspect_keras(correct).findings == []


def test_an_accuracy_reading_another_label_format_is_lg025(digits):
    """Trained on class indices, the model learns; `Accuracy()` (exact equality) and
    `CategoricalAccuracy()` (argmax of one-column labels) report nonsense about it."""
    x, y = digits
    one_hot = keras.utils.to_categorical(y, 10)
    for loss, labels, metric in (
        ("sparse_categorical_crossentropy", y, keras.metrics.CategoricalAccuracy()),
        ("categorical_crossentropy", one_hot, keras.metrics.Accuracy()),
    ):
        model = mlp(64, [Dense(10, activation="softmax")], loss, [metric])
        assert inspect_keras(train_briefly(model, x, labels)).codes == {"LG025"}
    right = mlp(
        64, [Dense(10, activation="softmax")], "sparse_categorical_crossentropy", ["accuracy"]
    )
    assert inspect_keras(train_briefly(right, x, y)).findings == []


def test_single_unit_softmax_activation_layer_is_lg004(cancer):
    x, y = cancer
    model = mlp(30, [Dense(1), keras.layers.Activation("softmax")], "binary_crossentropy")
    report = inspect_keras(train_briefly(model, x, y))
    assert "LG004" in report.codes
    assert report.setups[0].head.units == 1


def test_lambda_softmax_is_read_from_its_function(digits):
    x, y = digits
    head = [Dense(10), keras.layers.Lambda(lambda t: tf.nn.softmax(t))]
    model = mlp(64, head, keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    report = inspect_keras(train_briefly(model, x, y))
    assert report.codes == {"LG002"}
    assert report.setups[0].head.emits is Emits.SOFTMAX


def test_nested_sequential_base_inside_functional_model():
    keras.utils.set_random_seed(0)
    base = keras.Sequential(
        [keras.Input((64,)), Dense(16, "relu"), Dense(10, "softmax")], name="base"
    )
    inputs = keras.Input((64,))
    model = keras.Model(inputs, keras.layers.Dropout(0.2)(base(inputs)))
    model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    report = inspect_keras(model)
    assert report.codes == {"LG002"}
    assert "in 'base'" in report.setups[0].head.display


def test_multi_output_model_gets_one_setup_per_output(digits):
    x, _ = digits
    keras.utils.set_random_seed(0)
    inputs = keras.Input((64,))
    hidden = Dense(16, "relu")(inputs)
    digit = Dense(10, "softmax", name="digit")(hidden)
    even = Dense(1, name="even")(hidden)
    model = keras.Model(inputs, [digit, even])
    model.compile(
        optimizer="adam",
        loss={"digit": "sparse_categorical_crossentropy", "even": "binary_crossentropy"},
        metrics={"digit": ["accuracy"], "even": ["accuracy"]},
    )
    report = inspect_keras(model)
    assert len(report.setups) == 2
    by_output = {f.code: f.message for f in report.findings}
    assert set(by_output) == {"LG001", "LG003"}
    assert "output 'even'" in by_output["LG001"]
    digit_setup = next(s for s in report.setups if "digit" in s.head.display)
    assert digit_setup.head.emits is Emits.SOFTMAX
    assert digit_setup.metrics[0].kind is MetricKind.SPARSE_CATEGORICAL_ACCURACY

    logitguard.fix(model)
    assert inspect_keras(model).findings == []
    assert model.loss["digit"] == "sparse_categorical_crossentropy"
    probabilities = logitguard.probability_model(model).predict(x[:20], verbose=0)
    np.testing.assert_allclose(probabilities[0].sum(axis=-1), 1.0, atol=1e-5)
    assert probabilities[1].min() >= 0 and probabilities[1].max() <= 1


@pytest.mark.parametrize(
    "build",
    [
        lambda: mlp(64, [Dense(10, "softmax")], "sparse_categorical_crossentropy", ["accuracy"]),
        lambda: mlp(
            64,
            [Dense(10)],
            keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            ["accuracy"],
        ),
        lambda: mlp(
            64,
            [Dense(10), keras.layers.Activation("linear"), keras.layers.Softmax()],
            keras.losses.sparse_categorical_crossentropy,
            [keras.metrics.SparseCategoricalAccuracy()],
        ),
    ],
    ids=["softmax", "logits-from-logits", "softmax-layer-loss-function"],
)
def test_clean_models_have_no_findings_structurally_or_on_a_batch(build, digits):
    x, y = digits
    model = build()
    assert inspect_keras(model).findings == []
    report = inspect_keras(model, x[:200], y[:200])
    assert report.findings == []
    assert report.ok


def test_clean_binary_model_has_no_findings(cancer):
    x, y = cancer
    model = train_briefly(mlp(30, [Dense(1, "sigmoid")], "binary_crossentropy", ["accuracy"]), x, y)
    report = inspect_keras(model, x[:100], y[:100])
    assert report.findings == []
    assert report.setups[0].labels.format is LabelFormat.INTEGER


# --- probe ---------------------------------------------------------------------------------


def test_custom_softmax_layer_is_judged_by_the_probe(digits):
    x, y = digits
    model = mlp(64, [Dense(10), SoftmaxByHand()], keras.losses.SparseCategoricalCrossentropy(True))
    train_briefly(model, x, y)
    structural = inspect_keras(model)
    assert structural.findings == []
    assert any("SoftmaxByHand" in note for note in structural.notes)
    probed = inspect_keras(model, x[:64])
    assert probed.codes == {"LG002"}
    assert probed.setups[0].head.emits is Emits.SOFTMAX


def test_subclassed_model_is_judged_by_the_probe(digits):
    x, y = digits
    keras.utils.set_random_seed(0)
    model = LogitsClassifier(10)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    train_briefly(model, x, y)
    assert inspect_keras(model).findings == []
    assert inspect_keras(model, x[:64], y[:64]).codes == {"LG001"}


def test_probe_labels_one_hot_with_sparse_loss_is_lg007(digits):
    x, y = digits
    model = mlp(64, [Dense(10, "softmax")], "sparse_categorical_crossentropy")
    one_hot = keras.utils.to_categorical(y[:100], 10)
    report = logitguard.inspect(model, x[:100], one_hot)
    assert report.codes == {"LG007"}
    assert report.setups[0].labels.format is LabelFormat.ONE_HOT


def test_probe_labels_with_fewer_classes_than_units_is_lg008(cancer):
    x, y = cancer
    model = mlp(30, [Dense(3, "softmax")], "sparse_categorical_crossentropy")
    report = inspect_keras(model, x, y)
    assert report.codes == {"LG008"}
    assert report.setups[0].labels.num_classes == 2


def test_probe_labels_above_units_is_lg008_even_on_a_small_batch(digits):
    x, y = digits
    model = mlp(64, [Dense(8, "softmax")], "sparse_categorical_crossentropy")
    labels = y[:40]
    assert labels.max() >= 8
    assert inspect_keras(model, x[:40], labels).codes == {"LG008"}


def test_probe_a_small_batch_does_not_claim_missing_classes(digits):
    x, y = digits
    model = mlp(64, [Dense(10, "softmax")], "sparse_categorical_crossentropy")
    few = y[:12] % 5  # shows 5 classes, but a batch cannot prove there are no others
    assert inspect_keras(model, x[:12], few).findings == []


def test_probe_emits_reads_values_from_real_outputs(digits):
    x, _ = digits
    logits = mlp(64, [Dense(10)], "mse")(x[:32])
    assert probe_emits(np.asarray(logits)) is Emits.LOGITS
    assert probe_emits(np.asarray(tf.nn.softmax(logits))) is Emits.SOFTMAX
    assert probe_emits(np.asarray(tf.nn.sigmoid(logits))) is Emits.SIGMOID
    assert probe_emits(np.asarray(tf.nn.log_softmax(logits))) is Emits.LOG_SOFTMAX
    assert probe_emits(np.asarray(tf.nn.relu(logits)) / 100.0) is Emits.UNKNOWN


def test_structure_and_probe_disagreeing_leaves_a_note(digits):
    x, _ = digits
    head = [Dense(10), keras.layers.Lambda(lambda t: tf.nn.softmax(t) * 5.0)]
    model = mlp(64, head, "categorical_crossentropy")
    report = inspect_keras(model, x[:32])
    assert report.setups[0].head.emits is Emits.SOFTMAX
    assert any("on the batch the values look like raw logits" in note for note in report.notes)


# --- non-Keras input, saved files ------------------------------------------------------------


def test_a_non_keras_object_is_a_clear_error_not_an_ok_report():
    with pytest.raises(TypeError, match="takes a Keras model"):
        inspect_keras(object())


def test_saved_keras_file_round_trip(tmp_path, digits):
    x, y = digits
    broken = train_briefly(mlp(64, [Dense(10)], "sparse_categorical_crossentropy"), x, y)
    broken_path = str(tmp_path / "broken.keras")
    broken.save(broken_path)
    findings = inspect_keras_file(broken_path)
    assert [f.code for f in findings] == ["LG001"]
    assert findings[0].location.path == broken_path
    assert findings[0].location.line == 1

    clean = mlp(64, [Dense(10)], keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    clean_path = str(tmp_path / "clean.keras")
    clean.save(clean_path)
    assert inspect_keras_file(clean_path) == []

    garbage = tmp_path / "garbage.keras"
    garbage.write_bytes(b"not a zip archive")
    [unreadable] = inspect_keras_file(str(garbage))
    assert unreadable.code == "LG000"


# --- fix and probability_model ----------------------------------------------------------------


def test_fix_recompiles_so_that_the_model_learns(digits):
    x, y = digits
    x_train, y_train, x_test, y_test = x[:1400], y[:1400], x[1400:], y[1400:]
    broken = mlp(64, [Dense(10)], "sparse_categorical_crossentropy", ["accuracy"], hidden=32)
    fixed = mlp(64, [Dense(10)], "sparse_categorical_crossentropy", ["accuracy"], hidden=32)
    weights = [w.copy() for w in fixed.get_weights()]
    optimizer = fixed.optimizer

    assert logitguard.fix(fixed) is fixed
    assert all(np.array_equal(a, b) for a, b in zip(weights, fixed.get_weights(), strict=True))
    assert fixed.optimizer is optimizer
    assert inspect_keras(fixed).findings == []

    for model in (broken, fixed):
        model.fit(x_train, y_train, batch_size=32, epochs=2, verbose=0)
    broken_accuracy = broken.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"]
    fixed_accuracy = fixed.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"]
    chance = 1 / 10
    assert fixed_accuracy > 3 * broken_accuracy
    assert broken_accuracy < 3 * chance < fixed_accuracy


def test_fix_sets_logits_thresholds_on_metrics_and_keeps_names(cancer):
    x, y = cancer
    loss = keras.losses.BinaryCrossentropy(from_logits=True)
    model = mlp(30, [Dense(1)], loss, ["accuracy", keras.metrics.Precision()])
    assert inspect_keras(model).codes == {"LG003"}
    logitguard.fix(model)
    assert inspect_keras(model).findings == []
    history = model.fit(x, y, batch_size=64, epochs=1, verbose=0)
    assert {"accuracy", "precision"} <= set(history.history)


def test_fix_turns_off_from_logits_for_a_softmax_head(digits):
    model = mlp(64, [Dense(10, "softmax")], keras.losses.SparseCategoricalCrossentropy(True))
    logitguard.fix(model)
    assert model.loss.get_config()["from_logits"] is False
    assert inspect_keras(model).findings == []


def test_a_kl_divergence_on_logits_is_lg001_and_fix_says_the_head_must_change(digits):
    x, _ = digits
    model = mlp(64, [Dense(10)], keras.losses.KLDivergence())
    report = inspect_keras(model, x[:64])
    assert report.codes == {"LG001"}
    assert "softmax as the model's last activation" in report.findings[0].fix
    with pytest.warns(UserWarning, match="LG001"):
        assert logitguard.fix(model) is model
    assert type(model.loss).__name__ == "KLDivergence"  # no from_logits to set


def test_fix_leaves_a_correct_model_alone():
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model = mlp(64, [Dense(10)], loss, ["accuracy"])
    assert logitguard.fix(model) is model
    assert model.loss is loss


def test_fix_warns_about_what_a_recompile_cannot_fix():
    model = mlp(30, [Dense(1), keras.layers.Activation("softmax")], "binary_crossentropy")
    with pytest.warns(UserWarning, match="LG004"):
        assert logitguard.fix(model) is model


def test_probability_model_rows_sum_to_one(digits, cancer):
    x, y = digits
    logits = train_briefly(
        mlp(64, [Dense(10)], keras.losses.SparseCategoricalCrossentropy(True)), x, y
    )
    probabilities = logitguard.probability_model(logits).predict(x[:50], verbose=0)
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0, atol=1e-5)
    assert np.array_equal(probabilities.argmax(-1), logits.predict(x[:50], verbose=0).argmax(-1))

    xb, _ = cancer
    binary = mlp(30, [Dense(1)], keras.losses.BinaryCrossentropy(from_logits=True))
    binary_probabilities = logitguard.probability_model(binary).predict(xb[:50], verbose=0)
    assert binary_probabilities.min() >= 0 and binary_probabilities.max() <= 1

    already = mlp(64, [Dense(10, "softmax")], "sparse_categorical_crossentropy")
    assert logitguard.probability_model(already) is already


# --- tf.keras (Keras 2) ----------------------------------------------------------------------


def test_tf_keras_accuracy_on_one_unit_binary_crossentropy_is_binary_accuracy(cancer):
    tf_keras = pytest.importorskip("tf_keras")
    x, y = cancer
    tf_keras.utils.set_random_seed(0)
    model = tf_keras.Sequential(
        [
            tf_keras.Input((30,)),
            tf_keras.layers.Dense(8, activation="relu"),
            tf_keras.layers.Dense(1),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=tf_keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    guard = LogitGuard(on_mismatch="warn", patience_steps=0)
    with pytest.warns(LogitMismatchWarning, match="LG003"):
        model.fit(x, y, batch_size=64, epochs=1, steps_per_epoch=2, verbose=0, callbacks=[guard])
    report = inspect_keras(model)
    assert report.subject.startswith("tf_keras.")
    assert report.codes == {"LG003"}
    [accuracy] = report.setups[0].metrics
    assert accuracy.kind is MetricKind.BINARY_ACCURACY
    logitguard.fix(model)
    assert inspect_keras(model).findings == []
    assert isinstance(model.loss, tf_keras.losses.Loss)
