"""LG006: several independent sigmoids trained with a categorical (softmax) loss."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, LossFamily, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid

CATEGORICAL = (LossFamily.CATEGORICAL, LossFamily.SPARSE_CATEGORICAL)


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head, loss = setup.head, setup.loss
    if head is None or loss is None or loss.family not in CATEGORICAL:
        return
    if head.emits is not Emits.SIGMOID:
        return
    if head.units is not None and head.units > 1:
        yield Diagnosis(
            message=f"{loss.display} is a multi-class loss but {head.display} emits "
            f"{head.units} independent sigmoids that do not sum to 1",
            location=loss.location or head.location,
        )
    elif head.units is None:  # one unit (LG019: a constant loss) or several: wrong either way
        yield Diagnosis(
            message=f"{loss.display} is a multi-class loss but {head.display} emits "
            "independent sigmoids that do not sum to 1 (over a single unit the loss is even "
            "constant)",
            location=loss.location or head.location,
        )


RULE = Rule(
    code="LG006",
    name="sigmoid-head-with-categorical-loss",
    severity=Severity.ERROR,
    summary="multi-unit sigmoid head trained with a categorical cross-entropy",
    why="Categorical cross-entropy assumes one distribution over the classes. Independent "
    "sigmoids do not sum to 1; Keras rescales them silently, so the loss no longer matches the "
    "outputs the model produces at prediction time and the probabilities it reports are not "
    "calibrated. It is reported even when the number of units is not known: over a single "
    "unit the rescaled output is always 1 and the loss is constant (LG019), so a sigmoid head "
    "never fits a categorical loss.",
    fix="For one label per sample use activation='softmax'; for several labels per sample keep "
    "the sigmoids and use binary_crossentropy.",
    check=check,
    examples=(
        invalid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(10, activation="sigmoid")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
""",
        ),
        invalid(
            "keras",
            """
import keras

def build(classes):
    return keras.Sequential([keras.layers.Dense(classes, activation="sigmoid")])

model = build(CLASSES)
model.compile(optimizer="adam", loss="categorical_crossentropy")
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(4), tf.keras.layers.Activation("sigmoid")])
model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy())
""",
        ),
        invalid(
            "keras",
            """
import keras
from keras import layers, activations
inputs = keras.Input(shape=(16,))
outputs = layers.Dense(3, activation=activations.sigmoid)(inputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.categorical_crossentropy)
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(10, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
""",
        ),
    ),
)
