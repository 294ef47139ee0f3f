"""LG008: the head's number of units differs from the number of classes."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import LossFamily, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid


def _visible_classes(setup: TrainingSetup) -> int | None:
    if setup.num_classes is not None:
        return setup.num_classes
    return setup.labels.num_classes if setup.labels is not None else None


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head, classes = setup.head, _visible_classes(setup)
    if head is None or head.units is None or classes is None:
        return
    binary_loss = setup.loss is not None and setup.loss.family is LossFamily.BINARY
    if classes == 2 and (head.units == 2 or (head.units == 1 and binary_loss)):
        return
    if head.units == classes or (classes > 2 and binary_loss):
        return  # a binary loss on many classes is LG005's business
    consequence = (
        "labels at or above that index are out of range"
        if head.units < classes
        else "the extra units are never a target"
    )
    yield Diagnosis(
        message=f"{head.display} has {head.units} units but the data has {classes} classes: "
        f"{consequence}",
        location=head.location,
        fix=f"Give the output layer {classes} units"
        + (" (or 1 unit with a sigmoid for two classes)." if classes == 2 else "."),
    )


RULE = Rule(
    code="LG008",
    name="units-vs-classes",
    severity=Severity.ERROR,
    summary="output units differ from the number of classes",
    why="A classifier needs one output unit per class (or one sigmoid unit for two classes). With "
    "fewer units, labels beyond the last unit are out of range: Keras' sparse loss on CPU "
    "raises, on GPU it can silently return NaN or garbage. With more, the model wastes "
    "probability mass on classes that never occur.",
    fix="Set the last layer's units to the number of classes.",
    check=check,
    examples=(
        invalid(
            "keras",
            """
import keras
NUM_CLASSES = 10
model = keras.Sequential([keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(9, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, keras.utils.to_categorical(y, NUM_CLASSES))
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf
num_classes = 5
y = tf.keras.utils.to_categorical(y, num_classes=num_classes)
model = tf.keras.Sequential([tf.keras.layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x, y)
""",
        ),
        invalid(
            "keras",
            """
import keras
from sklearn.datasets import load_breast_cancer
x, y = load_breast_cancer(return_X_y=True)
model = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y)
""",
        ),
        valid(
            "keras",
            """
import keras
from sklearn.datasets import load_breast_cancer
x, y = load_breast_cancer(return_X_y=True)
model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y)
""",
        ),
        valid(
            "keras",
            """
import tensorflow as tf
num_classes = 5
y = tf.keras.utils.to_categorical(y, num_classes=num_classes)
model = tf.keras.Sequential([tf.keras.layers.Dense(num_classes, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x, y)
""",
        ),
        valid(
            "keras",
            """
import keras
from sklearn.datasets import load_digits
x, y = load_digits(return_X_y=True)
model = keras.Sequential([keras.layers.Dense(10)])
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(x, y)
""",
        ),
        invalid(
            "torch",
            """
import torch.nn as nn
import torch.nn.functional as F
NUM_CLASSES = 10
model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 9))
loss = F.cross_entropy(model(x), F.one_hot(y, NUM_CLASSES).float())
""",
        ),
        valid(
            "torch",
            """
import torch.nn as nn
import torch.nn.functional as F
NUM_CLASSES = 10
model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, NUM_CLASSES))
loss = F.cross_entropy(model(x), F.one_hot(y, NUM_CLASSES).float())
""",
        ),
    ),
)
