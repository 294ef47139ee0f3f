"""LG003: an accuracy (or other thresholded metric) that cuts raw logits at 0.5."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import PROBABILITY_THRESHOLD, MetricKind, MetricUse, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid


def _measure(metric: MetricUse) -> str:
    return "accuracy" if metric.kind is MetricKind.BINARY_ACCURACY else "value"


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    if not setup.outputs_are_logits:
        return
    for metric in setup.metrics:
        if metric.kind not in (MetricKind.BINARY_ACCURACY, MetricKind.THRESHOLDED):
            continue
        if metric.from_logits:
            continue
        threshold = PROBABILITY_THRESHOLD if metric.threshold is None else metric.threshold
        if threshold != PROBABILITY_THRESHOLD:
            continue
        because = f" ({metric.resolved_because})" if metric.resolved_because else ""
        yield Diagnosis(
            message=f"{metric.display}{because} thresholds at 0.5, but the model outputs raw "
            f"logits, whose decision boundary is 0: the reported {_measure(metric)} is wrong",
            location=metric.location,
            fix="Use BinaryAccuracy(threshold=0.0)"
            if metric.kind is MetricKind.BINARY_ACCURACY
            else "Threshold at 0.0 or give the metric probabilities (from_logits=True where "
            "it has that option).",
            edit=metric.logits_threshold_edit,
        )


RULE = Rule(
    code="LG003",
    name="accuracy-threshold-on-logits",
    severity=Severity.ERROR,
    summary="binary accuracy thresholds raw logits at 0.5 instead of 0",
    why="BinaryAccuracy (what metrics=['accuracy'] becomes for a one-unit output, and in "
    "graph-mode tf.keras for any binary_crossentropy model) counts a prediction as positive "
    "when it is above 0.5. That is right for a sigmoid probability, but a logit of 0.3 means "
    "p = 0.57: positive, counted negative. On logits the boundary is 0, so the accuracy Keras "
    "reports is wrong (often stuck near the share of one class) even while the model trains "
    "well.",
    fix="Use keras.metrics.BinaryAccuracy(threshold=0.0) with a logits head, or add a sigmoid.",
    check=check,
    autofix=True,
    examples=(
        invalid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential([
    tf.keras.layers.Dense(16, activation="relu"),
    tf.keras.layers.Dense(1),
])
model.compile(optimizer="adam",
              loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
              metrics=["accuracy"])
""",
        ),
        invalid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(optimizer="adam",
              loss=keras.losses.BinaryCrossentropy(from_logits=True),
              metrics=[keras.metrics.BinaryAccuracy()])
""",
        ),
        invalid(
            "keras",
            """
import keras
from keras.metrics import BinaryAccuracy
model = keras.Sequential([keras.layers.Dense(1, activation=None)])
metrics = [BinaryAccuracy(threshold=0.5), "AUC"]
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True),
              metrics=metrics)
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
# A linear output trained with a regression loss is not logits.
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse", metrics=[keras.metrics.Precision()])
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
model = keras.Sequential([keras.layers.Dense(10)])
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
""",
        ),
    ),
)
