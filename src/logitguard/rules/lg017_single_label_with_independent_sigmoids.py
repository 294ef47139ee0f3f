"""LG017: one-hot single-label targets trained as independent sigmoids (binary cross-entropy)."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, LabelFormat, LossFamily, MetricKind, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid

SEVERAL_CLASSES = 3


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    labels, head, loss = setup.labels, setup.head, setup.loss
    # A batch seen at run time cannot prove that no sample has two labels; the source can
    # (one-hot encoding of class indices).
    if setup.evidence != "static" or labels is None or labels.format is not LabelFormat.ONE_HOT:
        return
    if head is None or loss is None or loss.family is not LossFamily.BINARY:
        return
    units = head.units
    independent = head.emits is Emits.SIGMOID or (
        head.emits is Emits.LOGITS and loss.expects is Emits.LOGITS
    )
    # Two units on one-hot pairs ask one question twice (y1 = 1 - y2): each sigmoid learns
    # the same binary classifier, so the outputs still rank and score the two classes.
    if units is None or units < SEVERAL_CLASSES or not independent:
        return
    message = (
        f"the labels {labels.display} give each sample one class, but {head.display} with "
        f"{loss.display} scores the {units} classes as independent yes/no questions: the "
        "outputs do not sum to 1"
    )
    binary_accuracies = [m for m in setup.metrics if m.kind is MetricKind.BINARY_ACCURACY]
    if binary_accuracies:
        message += (
            f", and {binary_accuracies[0].display} averages over all {units} units: a model "
            f"that predicts no class at all scores {1 - 1 / units:.2f}"
        )
    yield Diagnosis(message=message, location=loss.location or head.location)


RULE = Rule(
    code="LG017",
    name="single-label-with-independent-sigmoids",
    severity=Severity.WARNING,
    summary="one-hot (single-label) targets trained with sigmoids and binary cross-entropy",
    why="One-hot labels made from class indices (to_categorical, one_hot) say that every "
    "sample belongs to exactly one class. Sigmoids with binary cross-entropy answer a "
    "different question, one yes/no per class (multi-label): the outputs do not form a "
    "distribution, and the loss is dominated by the many easy 'no' answers. Binary accuracy "
    "over such outputs (what 'accuracy' becomes in older Keras and in tf.keras graph mode) "
    "counts every correct 'no': with 10 classes it reports about 0.9 for a model that never "
    "predicts a class. This is only right for genuinely multi-label targets, which one-hot "
    "encoding cannot produce. Two one-hot columns are not flagged: there both sigmoids learn "
    "the same yes/no question.",
    fix="Use activation='softmax' with categorical_crossentropy (one-hot labels) or "
    "sparse_categorical_crossentropy (integer labels).",
    check=check,
    examples=(
        invalid(
            "keras",
            """
import keras
from keras.utils import to_categorical
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
y_train = to_categorical(y_train, 10)
model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(128, activation="relu"),
                          keras.layers.Dense(10, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=10)
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf
tf.compat.v1.disable_eager_execution()
(x, y), _ = tf.keras.datasets.mnist.load_data()
model = tf.keras.Sequential([tf.keras.layers.Flatten(),
                             tf.keras.layers.Dense(10, activation="sigmoid")])
model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, tf.keras.utils.to_categorical(y), epochs=5)
""",
        ),
        invalid(
            "keras",
            """
import numpy as np
import keras
from sklearn.datasets import load_iris
x, y = load_iris(return_X_y=True)
model = keras.Sequential([keras.layers.Dense(3)])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
model.fit(x, np.eye(3)[y], epochs=100)
""",
        ),
        valid(
            "keras",
            """
import keras
from keras.utils import to_categorical
(x_train, y_train), _ = keras.datasets.cifar10.load_data()
model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, to_categorical(y_train, 10), epochs=10)
""",
        ),
        valid(
            "keras",
            """
import numpy as np
import keras
# Multi-label targets: several tags per sample.
tags = np.array([[1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 0, 1]])
model = keras.Sequential([keras.layers.Dense(3, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(features, tags)
""",
        ),
        valid(
            "keras",
            """
import keras
# Two one-hot columns: both sigmoids learn the same yes/no question.
(x, y), _ = keras.datasets.mnist.load_data()
model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(2, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, keras.utils.to_categorical(y % 2, 2))
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(5, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["binary_accuracy"])
model.fit(x_train, y_train)
""",
        ),
    ),
)
