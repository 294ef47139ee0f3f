"""LG016: a head ending in relu, tanh, softplus... with a loss that expects probabilities."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head, loss = setup.head, setup.loss
    if head is None or loss is None or head.activation is None:
        return
    if head.emits is not Emits.UNKNOWN or not loss.expects.is_probability:
        return
    wanted = "softmax" if loss.expects is Emits.SOFTMAX else "sigmoid"
    remedy = f" (or no activation and {loss.logits_remedy})" if loss.logits_remedy else ""
    yield Diagnosis(
        message=f"{loss.display} expects {loss.expects.value} but {head.display} ends in "
        f"'{head.activation}', which does not emit probabilities: the model will barely learn",
        location=loss.location or head.location,
        fix=f"End the model in a {wanted}{remedy}.",
    )


RULE = Rule(
    code="LG016",
    name="non-probability-head",
    severity=Severity.ERROR,
    summary="last activation relu/tanh/elu/softplus... with a loss that expects probabilities",
    why="A cross-entropy told that its input is probabilities takes the log of it. relu, elu, "
    "softplus and exponential emit values above 1 (and relu exact zeros), tanh and elu "
    "negative ones: Keras clips them to [1e-7, 1 - 1e-7], where the gradient is zero, so the "
    "model stops learning for those samples; PyTorch's BCELoss rejects values outside [0, 1]. "
    "A softmax (one class per sample) or a sigmoid (yes/no per unit) is what such a loss "
    "expects.",
    fix="Use activation='softmax' (categorical losses) or 'sigmoid' (binary ones) on the last "
    "layer, or no activation with the loss's from_logits=True.",
    check=check,
    examples=(
        invalid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(1, activation="relu")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(10), tf.keras.layers.Activation("tanh")])
model.compile(optimizer="adam", loss=tf.keras.losses.CategoricalCrossentropy())
""",
        ),
        invalid(
            "keras",
            """
import keras
from keras import layers
inputs = keras.Input(shape=(32,))
x = layers.Dense(16, activation="relu")(inputs)
outputs = layers.Dense(3, activation="softplus")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
""",
        ),
        invalid(
            "torch",
            """
import torch.nn as nn
model = nn.Sequential(nn.Linear(20, 8), nn.ReLU(), nn.Linear(8, 1), nn.ReLU())
criterion = nn.BCELoss()
for x, y in loader:
    loss = criterion(model(x).squeeze(1), y)
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(1, activation="relu")])
model.compile(optimizer="adam", loss="mse")
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(64, activation="tanh"),
                          keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(16, activation="elu"), keras.layers.Dense(1)])
model.compile(optimizer="adam",
              loss=keras.losses.BinaryCrossentropy(from_logits=True))
""",
        ),
        valid(
            "torch",
            """
import torch.nn as nn
model = nn.Sequential(nn.Linear(20, 8), nn.ReLU(), nn.Linear(8, 1))
criterion = nn.BCEWithLogitsLoss()
for x, y in loader:
    loss = criterion(model(x).squeeze(1), y)
""",
        ),
    ),
)
