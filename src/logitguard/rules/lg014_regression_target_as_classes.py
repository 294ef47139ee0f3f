"""LG014: a regression target (continuous values) trained or scored as classes."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, Labels, MetricKind, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid

_ACCURACIES = (
    MetricKind.BINARY_ACCURACY,
    MetricKind.CATEGORICAL_ACCURACY,
    MetricKind.SPARSE_CATEGORICAL_ACCURACY,
)


def _targets(labels: Labels) -> str:
    where = f" in {labels.value_range}" if labels.value_range is not None else ""
    return f"the targets {labels.display} are continuous values{where}"


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    labels, loss, head = setup.labels, setup.loss, setup.head
    if labels is None or not labels.are_continuous:
        return
    targets = _targets(labels)
    if loss is not None and loss.family.per_class:
        yield Diagnosis(
            message=f"{loss.display} is a classification loss but {targets}: it reads each "
            "target as a class",
            location=loss.location or labels.location,
        )
    elif head is not None and head.emits is Emits.SOFTMAX:
        yield Diagnosis(
            message=f"{head.display} shares its output out over classes but {targets}",
            location=head.location,
        )
    for metric in setup.metrics:
        if metric.kind in _ACCURACIES:
            how = f" ({metric.resolved_because})" if metric.resolved_because else ""
            yield Diagnosis(
                message=f"{metric.display}{how} counts predictions that hit a class but "
                f"{targets}: the accuracy it reports means nothing",
                location=metric.location,
                fix="Report a regression metric instead: 'mae' (mean absolute error) or 'mse'.",
            )


RULE = Rule(
    code="LG014",
    name="regression-target-as-classes",
    severity=Severity.ERROR,
    summary="continuous targets with a classification loss, a softmax head or an accuracy",
    why="The targets are measurements (a price, a score, y = x**2), not classes. A "
    "categorical or sparse cross-entropy reads each target as a class index (Keras truncates "
    "2.7 to class 2), a softmax shares the output out over classes that do not exist, and "
    "metrics=['accuracy'] becomes BinaryAccuracy or CategoricalAccuracy, which count how often "
    "a thresholded output equals the target exactly: on continuous targets it stays near 0 "
    "(or at an arbitrary value) however good the model is.",
    fix="Treat it as a regression: a linear output (Dense(1) with no activation), a regression "
    "loss ('mse', 'mae', 'huber') and regression metrics ('mae'). Or, if classes were meant, "
    "turn the targets into class labels first (np.digitize, a threshold).",
    check=check,
    examples=(
        invalid(
            "keras",
            """
import keras
from sklearn.datasets import make_regression
x, y = make_regression(n_samples=1000, n_features=8, noise=0.1)
model = keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
model.fit(x, y, epochs=10)
""",
        ),
        invalid(
            "keras",
            """
import numpy as np
import tensorflow as tf
x = np.linspace(-3, 3, 500)
y = x ** 2
model = tf.keras.Sequential([tf.keras.layers.Dense(16, activation="relu"),
                             tf.keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=50)
""",
        ),
        invalid(
            "keras",
            """
import keras
(x_train, y_train), (x_test, y_test) = keras.datasets.boston_housing.load_data()
model = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer="rmsprop", loss="mae", metrics=["acc"])
model.fit(x_train, y_train, epochs=20)
""",
        ),
        valid(
            "keras",
            """
import keras
(x_train, y_train), (x_test, y_test) = keras.datasets.boston_housing.load_data()
model = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
model.fit(x_train, y_train, epochs=20)
""",
        ),
        valid(
            "keras",
            """
import keras
from sklearn.datasets import fetch_california_housing
x, y = fetch_california_housing(return_X_y=True)
expensive = (y > 2.5).astype("int32")
model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, expensive)
""",
        ),
        valid(
            "keras",
            """
import keras
from sklearn.datasets import load_wine
x, y = load_wine(return_X_y=True)
model = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y)
""",
        ),
        invalid(
            "torch",
            """
import torch
import torch.nn as nn
x = torch.rand(256, 4)
y = 3.0 * torch.rand(256) + 0.5  # a measurement, not a class
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 5))
loss = nn.CrossEntropyLoss()(model(x), y)
""",
        ),
    ),
)
