"""LG025: an accuracy metric that reads the labels in another format than they have."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import LabelFormat, LossFamily, MetricKind, MetricUse, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid

# What a classification loss trains on, when the labels themselves are not known.
_FORMAT_OF_LOSS = {
    LossFamily.SPARSE_CATEGORICAL: LabelFormat.INTEGER,
    LossFamily.CATEGORICAL: LabelFormat.ONE_HOT,
}
_CLASSIFICATION = (LossFamily.BINARY, LossFamily.CATEGORICAL, LossFamily.SPARSE_CATEGORICAL)
# The accuracy that reads each format.
_ACCURACY_FOR = {
    LabelFormat.INTEGER: "SparseCategoricalAccuracy()",
    LabelFormat.ONE_HOT: "CategoricalAccuracy()",
}
_READS = {
    MetricKind.CATEGORICAL_ACCURACY: LabelFormat.ONE_HOT,
    MetricKind.SPARSE_CATEGORICAL_ACCURACY: LabelFormat.INTEGER,
}


def _labels_format(setup: TrainingSetup) -> tuple[LabelFormat, str] | None:
    """The format the labels have, and how that is known: from the labels, else from the
    loss that trains on them."""
    labels, loss = setup.labels, setup.loss
    if labels is not None and labels.format in _ACCURACY_FOR:
        return labels.format, f"the labels {labels.display} are {labels.format.value}"
    if loss is not None and loss.family in _FORMAT_OF_LOSS:
        found = _FORMAT_OF_LOSS[loss.family]
        return found, f"{loss.display} trains on {found.value}"
    return None


def _exact_match(metric: MetricUse, setup: TrainingSetup) -> Diagnosis:
    emits = setup.head.emits.value if setup.head is not None else "scores"
    return Diagnosis(
        message=f"{metric.display} counts the outputs exactly equal to the labels, but the "
        f"model outputs {emits}, never exactly a label: the accuracy it reports is about 0 "
        "(where Keras accepts the shapes at all)",
        location=metric.location,
    )


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    loss = setup.loss
    if loss is None or loss.family not in _CLASSIFICATION:
        return
    known = _labels_format(setup)
    for metric in setup.metrics:
        if metric.kind is MetricKind.EXACT_MATCH:
            yield _exact_match(metric, setup)
            continue
        reads = _READS.get(metric.kind)
        if reads is None or known is None or known[0] is reads:
            continue
        yield Diagnosis(
            message=f"{metric.display} reads {reads.value} but {known[1]}: the reported "
            "accuracy is wrong",
            location=metric.location,
            fix=f"Use {_ACCURACY_FOR[known[0]]}, or metrics=['accuracy'], which Keras matches "
            "to the loss.",
        )


RULE = Rule(
    code="LG025",
    name="accuracy-vs-label-format",
    severity=Severity.ERROR,
    summary="an accuracy metric that reads the labels as another format than they have "
    "(CategoricalAccuracy on class indices, Accuracy() on a classifier's scores)",
    why="CategoricalAccuracy compares the predicted class with the argmax of each label row: "
    "class indices (what sparse_categorical_crossentropy trains on) have one column, whose "
    "argmax is always 0, so it reports the share of predictions of class 0. "
    "SparseCategoricalAccuracy reads each label as a class index: one-hot rows make it compare "
    "against their first entry. Accuracy() counts outputs exactly equal to the labels: a "
    "classifier's probabilities or logits never are, so it reports about 0. The model trains "
    "as it should; only the reported accuracy is wrong, which misleads early stopping, model "
    "selection and every comparison made with it.",
    fix="Use the accuracy of the labels' format (SparseCategoricalAccuracy for class indices, "
    "CategoricalAccuracy for one-hot rows, BinaryAccuracy for one unit), or metrics="
    "['accuracy'], which Keras resolves from the loss and the output.",
    check=check,
    examples=(
        invalid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
              metrics=["categorical_accuracy"])
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf
(x, y), _ = tf.keras.datasets.mnist.load_data()
model = tf.keras.Sequential([tf.keras.layers.Flatten(),
                             tf.keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
              metrics=[tf.keras.metrics.Accuracy()])
model.fit(x, y, epochs=3)
""",
        ),
        invalid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(),
              metrics=[keras.metrics.SparseCategoricalAccuracy()])
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
              metrics=["accuracy", keras.metrics.SparseCategoricalAccuracy()])
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy",
              metrics=["categorical_accuracy"])
""",
        ),
        valid(
            "keras",
            """
import keras
# A regression: Accuracy() of rounded predictions is the user's business.
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse", metrics=[keras.metrics.Accuracy()])
""",
        ),
    ),
)
