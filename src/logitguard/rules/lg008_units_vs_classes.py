"""LG008: the head's number of units differs from the number of classes."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, LabelFormat, LossFamily, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid

_CLASSIFIER_HEADS = (Emits.SOFTMAX, Emits.SIGMOID, Emits.LOG_SOFTMAX)


def _visible_classes(setup: TrainingSetup) -> int | None:
    if setup.num_classes is not None:
        return setup.num_classes
    return setup.labels.num_classes if setup.labels is not None else None


def _sampled_classes(setup: TrainingSetup) -> bool:
    """Random or literal labels show some classes; the task may have more (test data)."""
    labels = setup.labels
    return setup.num_classes is None and labels is not None and not labels.all_classes_known


def _is_classifier(setup: TrainingSetup) -> bool:
    """Trained with a cross-entropy, or ending in a probability without a regression loss: a
    head trained with mse or mae is not, whatever its activation."""
    if setup.loss is not None:
        return True
    if setup.regression_loss is not None:
        return False
    return setup.head is not None and setup.head.emits in _CLASSIFIER_HEADS


def _one_hot_into_one_unit(setup: TrainingSetup) -> Diagnosis | None:
    """One-hot labels (a column per class, two at least) for a head of one unit: a binary
    loss broadcasts the unit over the columns and trains on nonsense without an error."""
    head, labels = setup.head, setup.labels
    if head is None or head.units != 1 or labels is None or not _is_classifier(setup):
        return None
    if labels.format is not LabelFormat.ONE_HOT:
        return None
    return Diagnosis(
        message=f"{head.display} has 1 unit but the labels {labels.display} are one-hot "
        "vectors, a column per class: one unit cannot score them",
        location=head.location,
        fix="Give the output layer one unit per class with a softmax and a categorical loss, "
        "or give a binary head 0/1 labels (class_mode='binary', not one-hot).",
    )


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head, classes = setup.head, _visible_classes(setup)
    if classes is None:
        one_unit = _one_hot_into_one_unit(setup)
        if one_unit is not None:
            yield one_unit
        return
    if head is None or head.units is None or not _is_classifier(setup):
        return
    units, family = head.units, setup.loss.family if setup.loss else None
    if units == classes:
        return
    if classes == 2 and units == 1 and (family is None or not family.per_class):
        return  # one sigmoid (or logit) unit for two classes
    if classes > 2 and units > 1 and family is LossFamily.BINARY:
        return  # a binary loss on a multi-class head is LG005's business
    if units > classes and _sampled_classes(setup):
        return
    if units == 1:
        consequence = "one unit can only tell two classes apart"
    elif units < classes:
        consequence = "labels at or above that index are out of range"
    else:
        consequence = "the extra units are never a target"
    yield Diagnosis(
        message=f"{head.display} has {units} unit{'s' if units > 1 else ''} but the data has "
        f"{classes} classes: {consequence}",
        location=head.location,
        fix=f"Give the output layer {classes} units"
        + (
            " with a softmax and a categorical loss."
            if units == 1
            else " (or 1 unit with a sigmoid for two classes)."
            if classes == 2
            else "."
        ),
    )


RULE = Rule(
    code="LG008",
    name="units-vs-classes",
    severity=Severity.ERROR,
    summary="output units differ from the number of classes",
    why="A classifier needs one output unit per class (or one sigmoid unit for two classes). With "
    "fewer units, labels beyond the last unit are out of range: Keras' sparse loss on CPU "
    "raises, on GPU it can silently return NaN or garbage. With more, the model wastes "
    "probability mass on classes that never occur. One-hot labels, a column per class, for "
    "one unit: a binary loss broadcasts the unit over every column without an error.",
    fix="Set the last layer's units to the number of classes.",
    check=check,
    examples=(
        invalid(
            "keras",
            """
import keras
gen = keras.preprocessing.image.ImageDataGenerator(rescale=1 / 255)
train = gen.flow_from_directory("data/train", target_size=(64, 64))  # one-hot by default
model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(train, epochs=5)
""",
        ),
        valid(
            "keras",
            """
import keras
gen = keras.preprocessing.image.ImageDataGenerator(rescale=1 / 255)
train = gen.flow_from_directory("data/train", target_size=(64, 64), class_mode="binary")
model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(train, epochs=5)
""",
        ),
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
        invalid(
            "keras",
            """
import keras
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=10)
""",
        ),
        valid(
            "keras",
            """
import numpy as np
import keras
x = np.random.rand(500, 8)
y = np.random.randint(0, 2, size=500)
model = keras.Sequential([keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y)
""",
        ),
        valid(
            "keras",
            """
import keras
(x_train, y_train), _ = keras.datasets.mnist.load_data()
model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mean_absolute_percentage_error")
model.fit(x_train, y_train)
""",
        ),
        valid(
            "keras",
            """
import keras
(x_train, y_train), _ = keras.datasets.mnist.load_data()
model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="sgd", loss="mse")
model.fit(x_train, y_train)
""",
        ),
    ),
)
