"""LG007: labels in the wrong format for the loss (one-hot vs integer class indices)."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import LabelFormat, LossFamily, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid

WANTS_INTEGERS = (LossFamily.SPARSE_CATEGORICAL, LossFamily.NEGATIVE_LOG_LIKELIHOOD)


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    labels, loss, head = setup.labels, setup.loss, setup.head
    if labels is None or loss is None:
        return
    subject = loss.display
    if labels.format is LabelFormat.ONE_HOT and loss.family in WANTS_INTEGERS:
        wanted = LabelFormat.INTEGER
    elif labels.format is LabelFormat.INTEGER and loss.family is LossFamily.CATEGORICAL:
        if head is not None and head.units == 1:
            return  # one column fits one unit: the loss over it is the fault (LG019, LG004)
        wanted = LabelFormat.ONE_HOT
    elif labels.format is LabelFormat.INTEGER and _binary_on_several_units(setup):
        # One target per output unit: each class index is broadcast against every unit.
        wanted = LabelFormat.ONE_HOT
        subject = f"{loss.display} on {head.display} (one target per unit)"  # type: ignore[union-attr]
    else:
        return
    yield Diagnosis(
        message=f"{subject} expects {wanted.value} but the labels {labels.display} are "
        f"{labels.format.value}",
        location=labels.location or loss.location,
    )


def _binary_on_several_units(setup: TrainingSetup) -> bool:
    units = setup.head.units if setup.head is not None else None
    family = setup.loss.family if setup.loss is not None else None
    return family is LossFamily.BINARY and units is not None and units > 1


RULE = Rule(
    code="LG007",
    name="label-format-mismatch",
    severity=Severity.ERROR,
    summary="one-hot labels with a sparse loss, or integer labels with a categorical loss (or "
    "with binary cross-entropy on several units)",
    why="sparse_categorical_crossentropy (and PyTorch's NLLLoss) take one integer class index per "
    "sample; categorical_crossentropy takes a one-hot (or probability) vector. Given the other "
    "format, Keras either fails with a shape error deep in fit() or, when shapes happen to "
    "broadcast, trains on garbage targets. binary_crossentropy on a head with several units "
    "wants one 0/1 target per unit: integer labels of shape (n,) or (n, 1) are broadcast "
    "against every unit, so with a two-unit softmax both units are pushed towards the same "
    "value and the model learns nothing.",
    fix="Match the loss to the labels: sparse_categorical_crossentropy (Keras) or NLLLoss / "
    "CrossEntropyLoss with class indices (PyTorch) for integer labels, categorical_crossentropy "
    "for one-hot labels; or convert the labels (argmax, to_categorical).",
    check=check,
    examples=(
        invalid(
            "keras",
            """
import keras
from keras.utils import to_categorical
y_train = to_categorical(y_train, 10)
model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=5)
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf
from sklearn.datasets import load_digits
x, y = load_digits(return_X_y=True)
model = tf.keras.Sequential([tf.keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss=tf.keras.losses.CategoricalCrossentropy())
model.fit(x, y, epochs=5)
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf
labels = tf.one_hot(labels, depth=3)
model = tf.keras.Sequential([tf.keras.layers.Dense(3)])
model.compile(optimizer="adam",
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(features, labels)
""",
        ),
        valid(
            "keras",
            """
import numpy as np
import keras
y_train = np.array([0, 1, 1, 0])
model = keras.Sequential([keras.layers.Dense(1)])
# Class indices fit the one unit; the categorical loss over it is LG019's finding.
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x_train, y_train, epochs=5)
""",
        ),
        valid(
            "keras",
            """
import keras
from keras.utils import to_categorical
y_train = to_categorical(y_train, 10)
model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x_train, y_train, epochs=5)
""",
        ),
        valid(
            "keras",
            """
import tensorflow as tf
from sklearn.datasets import load_digits
x, y = load_digits(return_X_y=True)
model = tf.keras.Sequential([tf.keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=5)
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(dataset, epochs=5)
""",
        ),
        invalid(
            "torch",
            """
import torch.nn as nn
import torch.nn.functional as F
model = nn.Sequential(nn.Linear(64, 10), nn.LogSoftmax(dim=1))
criterion = nn.NLLLoss()
for x, y in loader:
    target = F.one_hot(y, num_classes=10).float()
    loss = criterion(model(x), target)
""",
        ),
        invalid(
            "jax",
            """
import jax
import optax

def loss_fn(logits, labels):
    one_hot = jax.nn.one_hot(labels, 10)
    return optax.softmax_cross_entropy_with_integer_labels(logits, one_hot).mean()
""",
        ),
        valid(
            "torch",
            """
import torch.nn as nn
import torch.nn.functional as F
# CrossEntropyLoss also takes class probabilities, one-hot vectors included.
model = nn.Sequential(nn.Linear(64, 10))
criterion = nn.CrossEntropyLoss()
for x, y in loader:
    loss = criterion(model(x), F.one_hot(y, num_classes=10).float())
""",
        ),
        valid(
            "jax",
            """
import jax
import optax

def loss_fn(logits, labels):
    return optax.softmax_cross_entropy(logits, jax.nn.one_hot(labels, 10)).mean()
""",
        ),
        invalid(
            "keras",
            """
import keras
from sklearn.datasets import load_breast_cancer
x, y = load_breast_cancer(return_X_y=True)
model = keras.Sequential([keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=20)
""",
        ),
        invalid(
            "keras",
            """
import numpy as np
import tensorflow as tf
x = np.random.rand(100, 4)
y = np.array([0, 1] * 50)
model = tf.keras.Sequential([tf.keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
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
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=20)
""",
        ),
        valid(
            "keras",
            """
import keras
from sklearn.datasets import load_breast_cancer
x, y = load_breast_cancer(return_X_y=True)
model = keras.Sequential([keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, keras.utils.to_categorical(y, 2), epochs=20)
""",
        ),
    ),
)
