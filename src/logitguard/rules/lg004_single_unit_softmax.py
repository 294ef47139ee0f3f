"""LG004: softmax over a single unit, which always outputs 1.0."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head = setup.head
    if head is not None and head.emits is Emits.SOFTMAX and head.units == 1:
        yield Diagnosis(
            message=f"{head.display} applies softmax over a single unit: it always outputs 1.0",
            location=head.activation_location or head.location,
        )


RULE = Rule(
    code="LG004",
    name="single-unit-softmax",
    severity=Severity.ERROR,
    summary="softmax over one unit always outputs 1.0",
    why="Softmax normalises across units: exp(z) / exp(z) = 1 for any z. A one-unit softmax head "
    "predicts 1.0 for every input, its gradient is zero and the model cannot learn; accuracy "
    "equals the share of the positive class.",
    fix="For a binary problem use one unit with a sigmoid (Dense(1, activation='sigmoid'), "
    "nn.Sigmoid()) or a logits head with a logits loss; for n classes use n units with a "
    "softmax over them.",
    check=check,
    examples=(
        invalid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(1, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf
inputs = tf.keras.Input(shape=(30,))
x = tf.keras.layers.Dense(1)(inputs)
outputs = tf.keras.layers.Softmax()(x)
model = tf.keras.Model(inputs, outputs)
""",
        ),
        invalid(
            "keras",
            """
from keras.models import Sequential
from keras.layers import Dense, Activation
model = Sequential()
model.add(Dense(1))
model.add(Activation("softmax"))
model.compile(loss="binary_crossentropy", optimizer="rmsprop")
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
""",
        ),
        valid(
            "keras",
            """
from keras.models import Sequential
from keras.layers import Dense, Activation
model = Sequential()
model.add(Dense(3))
model.add(Activation("softmax"))
""",
        ),
        invalid(
            "torch",
            """
from torch import nn
model = nn.Sequential(nn.Linear(30, 8), nn.ReLU(), nn.Linear(8, 1), nn.Softmax(dim=1))
""",
        ),
        valid(
            "torch",
            """
from torch import nn
model = nn.Sequential(nn.Linear(30, 8), nn.ReLU(), nn.Linear(8, 1), nn.Sigmoid())
""",
        ),
    ),
)
