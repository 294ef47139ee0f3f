"""Label checks at run time (issue 11): `logitguard.inspect`, the Keras callback and the PyTorch
guard read the real arrays (class count, class labels or measurements, range) and report the
same codes and texts as the static check, on real tiny models and scikit-learn's shipped data."""

from __future__ import annotations

import os
import textwrap

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import pytest

from logitguard.core.facts import LabelFormat, TargetKind
from logitguard.runtime.probe import read_labels
from logitguard.static.checker import check_source

datasets = pytest.importorskip("sklearn.datasets")


@pytest.fixture(scope="module")
def cancer() -> tuple[np.ndarray, np.ndarray]:
    x, y = datasets.load_breast_cancer(return_X_y=True)
    return ((x - x.mean(axis=0)) / x.std(axis=0)).astype("float32"), y


@pytest.fixture(scope="module")
def diabetes() -> tuple[np.ndarray, np.ndarray]:
    x, y = datasets.load_diabetes(return_X_y=True)
    return x.astype("float32"), y.astype("float32")


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    x, y = datasets.load_digits(return_X_y=True)
    return (x / 16.0).astype("float32"), y


# -- what the arrays say ---------------------------------------------------------------------


def test_read_labels_tells_classes_from_measurements(diabetes, digits) -> None:
    _, targets = diabetes
    continuous = read_labels(targets[:64], units=1)
    assert continuous is not None and continuous.kind is TargetKind.CONTINUOUS
    assert continuous.value_range is not None and continuous.value_range.low >= 25
    fractional = read_labels(targets[:10] / 7, units=1)
    assert fractional is not None and fractional.kind is TargetKind.CONTINUOUS
    _, labels = digits
    classes = read_labels(labels[:500], units=10)
    assert classes is not None
    assert (classes.format, classes.kind, classes.num_classes) == (
        LabelFormat.INTEGER,
        TargetKind.CLASSES,
        10,
    )


def test_read_labels_sign_labels_and_few_whole_numbers_above_one() -> None:
    signs = read_labels(np.array([-1, 1, 1, -1] * 10), units=1)
    assert signs is not None and (signs.kind, signs.num_classes) == (TargetKind.CLASSES, 2)
    assert str(signs.value_range) == "[-1, 1]"
    # Whole numbers from 2 up, few of them: neither class indices nor known measurements.
    unclear = read_labels(np.array([2, 3, 2, 4] * 10), units=1)
    assert unclear is not None
    assert (unclear.format, unclear.kind) == (LabelFormat.UNKNOWN, TargetKind.UNKNOWN)


def test_read_labels_multi_label_and_multi_output_rows() -> None:
    tags = read_labels(np.array([[1, 0, 1], [0, 1, 1], [1, 0, 0]]), units=3)
    assert tags is not None
    assert (tags.format, tags.kind) == (LabelFormat.UNKNOWN, TargetKind.CLASSES)
    outputs = read_labels(np.array([[0.5, 2.0], [1.5, -3.0]]), units=2)
    assert outputs is not None and outputs.kind is TargetKind.CONTINUOUS


# -- Keras -----------------------------------------------------------------------------------

keras_cases = pytest.mark.skipif(
    __import__("importlib").util.find_spec("keras") is None, reason="keras is not installed"
)


def keras_model(inputs: int, units: int, activation, loss, metrics=("accuracy",)):
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((inputs,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(units, activation=activation),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=loss, metrics=list(metrics))
    return model


def findings(report) -> list[tuple[str, str]]:
    return [(finding.code, finding.message) for finding in report.findings]


@keras_cases
def test_keras_labels_rescaled_to_minus_one_one_with_a_sigmoid_head(cancer) -> None:
    import logitguard

    x, y = cancer
    model = keras_model(30, 1, "sigmoid", "binary_crossentropy")
    report = logitguard.inspect(model, x[:128], (y[:128] * 2 - 1).astype("float32"))
    ((code, message),) = findings(report)
    assert code == "LG015"
    assert "take values in [-1, 1]" in message and "'accuracy'" in message


@keras_cases
def test_keras_accuracy_on_minus_one_labels_really_is_wrong(cancer) -> None:
    """What LG015 claims: BinaryAccuracy never counts a -1 label as predicted right."""
    x, y = cancer
    signs = (y * 2 - 1).astype("float32")
    model = keras_model(30, 1, "sigmoid", "binary_crossentropy")
    model.run_eagerly = True  # a few steps: tracing them would cost more than running them
    model.fit(x, signs, epochs=3, batch_size=64, verbose=0)
    reported = model.evaluate(x, signs, verbose=0, return_dict=True)["accuracy"]
    predicted = (model.predict(x, verbose=0)[:, 0] > 0.5).astype(int)
    true_accuracy = float(np.mean(predicted == y))
    assert reported <= float(np.mean(y)) + 1e-6 < true_accuracy


@keras_cases
def test_keras_regression_targets_into_a_sigmoid_and_an_accuracy(diabetes) -> None:
    import logitguard

    x, y = diabetes
    sigmoid = keras_model(10, 1, "sigmoid", "mse", metrics=("mae",))
    assert [code for code, _ in findings(logitguard.inspect(sigmoid, x[:64], y[:64]))] == ["LG015"]
    accuracy = keras_model(10, 1, None, "mse")
    ((code, message),) = findings(logitguard.inspect(accuracy, x[:64], y[:64]))
    assert code == "LG014" and "continuous values in [" in message
    scaled = keras_model(10, 1, "sigmoid", "mse", metrics=("mae",))
    assert findings(logitguard.inspect(scaled, x[:64], y[:64] / y.max())) == []


@keras_cases
@pytest.mark.parametrize("activation", ["relu", "tanh", "softplus", "elu"])
def test_keras_non_probability_head(cancer, activation: str) -> None:
    import logitguard

    x, y = cancer
    model = keras_model(30, 1, activation, "binary_crossentropy")
    ((code, message),) = findings(logitguard.inspect(model, x[:64], y[:64].astype("float32")))
    assert code == "LG016" and f"ends in '{activation}'" in message


@keras_cases
def test_keras_ten_classes_on_one_sigmoid_unit(digits) -> None:
    import logitguard

    x, y = digits
    model = keras_model(64, 1, "sigmoid", "binary_crossentropy")
    ((code, message),) = findings(logitguard.inspect(model, x[:256], y[:256]))
    assert code == "LG008" and "has 1 unit but the data has 10 classes" in message


@keras_cases
def test_keras_integer_labels_on_a_two_unit_softmax(cancer) -> None:
    import logitguard

    x, y = cancer
    model = keras_model(30, 2, "softmax", "binary_crossentropy")
    ((code, message),) = findings(logitguard.inspect(model, x[:64], y[:64]))
    assert code == "LG007" and "one target per unit" in message


@keras_cases
@pytest.mark.parametrize("loss", ["mse", "mape", "mae"])
def test_keras_one_unit_regression_of_two_classes_is_not_lg008(cancer, loss: str) -> None:
    """Issue 9, cause F, at run time: Dense(1) on 0/1 labels with a regression loss."""
    import logitguard

    x, y = cancer
    model = keras_model(30, 1, None, loss)
    model.run_eagerly = True
    model.fit(x, y.astype("float32"), epochs=1, batch_size=64, verbose=0)
    report = logitguard.inspect(model, x[:256], y[:256].astype("float32"))
    assert findings(report) == []
    assert not any("not a cross-entropy" in note for note in report.notes)


@keras_cases
def test_keras_callback_stops_a_rescaled_label_run_before_training(cancer) -> None:
    from logitguard.keras import LogitGuard, LogitMismatchError

    x, y = cancer
    signs = (y * 2 - 1).astype("float32")
    model = keras_model(30, 1, "sigmoid", "binary_crossentropy")
    before = [weight.copy() for weight in model.get_weights()]
    with pytest.raises(LogitMismatchError, match="LG015"):
        guard = LogitGuard(sample=(x[:64], signs[:64]))
        model.fit(x, signs, epochs=2, verbose=0, callbacks=[guard])
    after = model.get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))


@keras_cases
def test_keras_static_and_runtime_texts_agree(diabetes) -> None:
    """The same set-up, read from source and from the live model: the same code and message
    up to how the labels and the head are named."""
    import logitguard

    source = textwrap.dedent(
        """
        import keras
        from sklearn.datasets import load_diabetes
        x, y = load_diabetes(return_X_y=True)
        model = keras.Sequential([keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y)
        """
    )
    (static,) = check_source(source, "t.py")
    x, y = diabetes
    (runtime,) = logitguard.inspect(keras_model(10, 1, "sigmoid", "mse", ()), x, y).findings
    assert static.code == runtime.code == "LG015"
    # "... take values in [25, 346]: the model cannot reach them and 'mse' cannot fall"
    assert static.message.split("take values in")[1] == runtime.message.split("take values in")[1]


# -- PyTorch ---------------------------------------------------------------------------------

torch_cases = pytest.mark.skipif(
    __import__("importlib").util.find_spec("torch") is None, reason="torch is not installed"
)


def torch_net(inputs: int, units: int, *tail):
    import torch
    from torch import nn

    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(inputs, 8), nn.ReLU(), nn.Linear(8, units), *tail)


def tensor(array: np.ndarray, dtype=None):
    import torch

    return torch.tensor(np.asarray(array), dtype=dtype or torch.float32)


@torch_cases
def test_torch_rescaled_labels_and_a_regression_target(cancer, diabetes) -> None:
    from torch import nn

    import logitguard

    x, y = cancer
    model = torch_net(30, 1, nn.Sigmoid(), nn.Flatten(0))
    report = logitguard.inspect(model, nn.BCELoss(), tensor(x[:64]), tensor(y[:64] * 2 - 1))
    assert [code for code, _ in findings(report)] == ["LG015"]
    xd, yd = diabetes
    classifier = torch_net(10, 5)
    report = logitguard.inspect(classifier, nn.CrossEntropyLoss(), tensor(xd[:64]), tensor(yd[:64]))
    ((code, message),) = findings(report)
    assert code == "LG014" and "nn.CrossEntropyLoss() is a classification loss" in message


@torch_cases
@pytest.mark.parametrize("activation", ["ReLU", "Tanh", "Softplus"])
def test_torch_non_probability_head(cancer, activation: str) -> None:
    from torch import nn

    import logitguard

    x, y = cancer
    model = torch_net(30, 1, getattr(nn, activation)(), nn.Flatten(0))
    report = logitguard.inspect(model, nn.BCELoss(), tensor(x[:64]), tensor(y[:64]))
    assert [code for code, _ in findings(report)] == ["LG016"]


@torch_cases
def test_torch_functional_tanh_in_forward(cancer) -> None:
    import torch
    from torch import nn

    import logitguard

    class Scores(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Linear(30, 1)

        def forward(self, x):
            return torch.tanh(self.fc(x)).squeeze(1)

    x, y = cancer
    report = logitguard.inspect(Scores(), nn.BCELoss(), tensor(x[:64]), tensor(y[:64]))
    assert [code for code, _ in findings(report)] == ["LG016"]


@torch_cases
def test_torch_regression_with_mse_on_two_classes_is_silent(cancer) -> None:
    from torch import nn

    import logitguard

    x, y = cancer
    model = torch_net(30, 1, nn.Flatten(0))
    report = logitguard.inspect(model, nn.MSELoss(), tensor(x[:256]), tensor(y[:256]))
    assert findings(report) == [] and report.notes == []


@torch_cases
def test_torch_guard_stops_the_first_step_on_ten_classes_in_one_unit(digits) -> None:
    import torch
    from torch import nn

    from logitguard.torch import LogitMismatchError, guard

    x, y = digits
    model = torch_net(64, 1, nn.Flatten(0))
    criterion = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    before = [p.detach().clone() for p in model.parameters()]
    with pytest.raises(LogitMismatchError, match="LG008"), guard(model, criterion):
        for start in range(0, 256, 64):
            inputs, labels = tensor(x[start : start + 64]), tensor(y[start : start + 64])
            optimizer.zero_grad()
            criterion(model(inputs), labels).backward()
            optimizer.step()
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))
