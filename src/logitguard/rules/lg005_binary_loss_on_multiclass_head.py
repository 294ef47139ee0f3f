"""LG005: binary cross-entropy on a multi-class softmax head."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, LossFamily, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid

# Two softmax units with one-hot targets and binary cross-entropy is a working (if redundant)
# binary set-up; from three units on the problem is multi-class.
MULTICLASS_UNITS = 3


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head, loss = setup.head, setup.loss
    if head is None or loss is None or loss.family is not LossFamily.BINARY:
        return
    if head.emits is Emits.SOFTMAX and head.units is not None and head.units >= MULTICLASS_UNITS:
        yield Diagnosis(
            message=f"{loss.display} is a binary loss but {head.display} is a {head.units}-class "
            "softmax head: each class is scored as an independent yes/no",
            location=loss.location or head.location,
        )


RULE = Rule(
    code="LG005",
    name="binary-loss-on-multiclass-head",
    severity=Severity.ERROR,
    summary="binary cross-entropy on a multi-class softmax head",
    why="Binary cross-entropy treats every output unit as an independent yes/no question. With a "
    "softmax over several classes the loss is the wrong objective. Older Keras (and tf.keras "
    "in graph mode) also resolve metrics=['accuracy'] to BinaryAccuracy here, which averages "
    "over all units: with 10 classes it reports about 0.9 for a model that predicts nothing.",
    fix="Use categorical_crossentropy (one-hot labels) or sparse_categorical_crossentropy "
    "(integer labels) with a softmax head.",
    check=check,
    examples=(
        invalid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(5), tf.keras.layers.Softmax()])
model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy())
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential()
model.add(tf.keras.layers.Dense(3, activation=tf.nn.softmax))
model.compile(optimizer="adam", loss=tf.keras.losses.binary_crossentropy)
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
""",
        ),
        valid(
            "keras",
            """
import keras
# Multi-label: independent sigmoids with binary cross-entropy is right.
model = keras.Sequential([keras.layers.Dense(10, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy")
""",
        ),
        invalid(
            "torch",
            """
import torch.nn as nn
model = nn.Sequential(nn.Linear(64, 10), nn.Softmax(dim=1))
criterion = nn.BCELoss()
loss = criterion(model(x), y_onehot)
""",
        ),
        valid(
            "torch",
            """
import torch.nn as nn
# Multi-label: independent sigmoids with binary cross-entropy is right.
model = nn.Sequential(nn.Linear(64, 10), nn.Sigmoid())
criterion = nn.BCELoss()
loss = criterion(model(x), y_multi_hot)
""",
        ),
    ),
)
