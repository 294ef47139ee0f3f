"""LG002: a softmax/sigmoid head trained with a loss that applies softmax/sigmoid again."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head, loss = setup.head, setup.loss
    if head is None or loss is None:
        return
    if head.emits.is_probability and loss.expects is Emits.LOGITS:
        remedy = f" or use {loss.probabilities_remedy}" if loss.probabilities_remedy else ""
        yield Diagnosis(
            message=f"{loss.display} expects raw logits but {head.display} already emits "
            f"{head.emits.value}: the activation is applied twice",
            location=loss.location or head.location,
            fix=f"Remove the activation from the head{remedy}.",
            edit=loss.to_probabilities_edit,
        )


RULE = Rule(
    code="LG002",
    name="double-activation",
    severity=Severity.WARNING,
    summary="softmax/sigmoid head trained with a loss that expects logits (from_logits=True)",
    why="A loss with from_logits=True (PyTorch's CrossEntropyLoss and BCEWithLogitsLoss, "
    "optax.softmax_cross_entropy) applies softmax or sigmoid itself. Fed probabilities, it "
    "squashes values already in [0, 1] a second time: the predicted distribution can never be "
    "confident, gradients shrink, and the model trains slower and to a worse optimum.",
    fix="Either remove the activation from the head and keep from_logits=True (most stable), or "
    "keep the activation and set from_logits=False.",
    check=check,
    autofix=True,
    examples=(
        invalid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential([
    tf.keras.layers.Dense(128, activation="relu"),
    tf.keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam",
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
""",
        ),
        invalid(
            "keras",
            """
import keras
from keras import layers
inputs = keras.Input(shape=(4,))
x = layers.Dense(8, activation="relu")(inputs)
x = layers.Dense(1)(x)
outputs = layers.Activation("sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf

class Classifier(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(32, activation="relu")
        self.out = tf.keras.layers.Dense(5)

    def call(self, x):
        return tf.nn.softmax(self.out(self.hidden(x)))

model = Classifier()
model.compile(optimizer="adam",
              loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True))
""",
        ),
        valid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential([
    tf.keras.layers.Dense(128, activation="relu"),
    tf.keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam",
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=False))
""",
        ),
        valid(
            "keras",
            """
import tensorflow as tf

class Classifier(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.out = tf.keras.layers.Dense(5)

    def call(self, x):
        return self.out(x)

model = Classifier()
model.compile(optimizer="adam",
              loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True))
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(1, activation=keras.activations.sigmoid)])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy())
""",
        ),
    ),
)
