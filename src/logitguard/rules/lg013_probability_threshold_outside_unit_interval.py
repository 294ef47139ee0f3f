"""LG013: an accuracy that cuts probabilities at 0 (the logits boundary) or at 1."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import MetricKind, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head = setup.head
    if head is None or not head.emits.is_probability:
        return
    for metric in setup.metrics:
        if metric.kind not in (MetricKind.BINARY_ACCURACY, MetricKind.THRESHOLDED):
            continue
        if metric.threshold is None or 0.0 < metric.threshold < 1.0:
            continue
        counted = "positive" if metric.threshold <= 0.0 else "negative"
        yield Diagnosis(
            message=f"{metric.display} thresholds at {metric.threshold:g}, but {head.display} "
            f"emits {head.emits.value}, which lie between 0 and 1: every prediction counts as "
            f"{counted}, so the reported value is wrong",
            location=metric.location,
            fix="Use BinaryAccuracy(threshold=0.5) with a probability head; the 0.0 threshold "
            "belongs to a logits head (no activation, from_logits=True).",
        )


RULE = Rule(
    code="LG013",
    name="probability-threshold-outside-unit-interval",
    severity=Severity.ERROR,
    summary="accuracy thresholds sigmoid/softmax probabilities at 0 (or 1)",
    why="A threshold of 0.0 is the decision boundary of raw logits. Sigmoid or softmax outputs "
    "are always above 0 (and below 1), so BinaryAccuracy(threshold=0.0) counts every "
    "prediction as positive and reports the share of positive samples, however well the model "
    "trains. It typically appears when a logits fix (threshold=0.0) is kept after an activation "
    "was added back to the head.",
    fix="Use BinaryAccuracy(threshold=0.5) with a sigmoid head, or remove the activation and "
    "train on logits (from_logits=True) if you keep threshold=0.0.",
    check=check,
    examples=(
        invalid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy",
              metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)])
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(1), tf.keras.layers.Activation("sigmoid")])
model.compile(optimizer="adam",
              loss=tf.keras.losses.BinaryCrossentropy(from_logits=False),
              metrics=[tf.keras.metrics.BinaryAccuracy(threshold=0)])
""",
        ),
        invalid(
            "keras",
            """
import keras
from keras.metrics import BinaryAccuracy
inputs = keras.Input(shape=(30,))
outputs = keras.layers.Dense(1, activation="sigmoid")(inputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer="sgd", loss=keras.losses.BinaryCrossentropy(),
              metrics=[BinaryAccuracy(threshold=1.0)])
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy",
              metrics=[keras.metrics.BinaryAccuracy(threshold=0.5)])
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(optimizer="adam",
              loss=keras.losses.BinaryCrossentropy(from_logits=True),
              metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)])
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy",
              metrics=[keras.metrics.BinaryAccuracy(threshold=0.7), "AUC"])
""",
        ),
    ),
)
