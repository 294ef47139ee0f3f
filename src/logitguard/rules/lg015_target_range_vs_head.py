"""LG015: targets outside [0, 1] for a sigmoid head or a binary cross-entropy."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, LabelFormat, LossFamily, MetricKind, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    labels, loss, head = setup.labels, setup.loss, setup.head
    if labels is None or labels.value_range is None or labels.value_range.within_unit_interval:
        return
    if labels.format is LabelFormat.INTEGER and (labels.num_classes or 0) > 2:
        units_unknown = head is None or head.units is None
        if not (units_unknown and loss is not None and loss.family is LossFamily.BINARY):
            return  # class indices 0..n-1: a units or format problem (LG007, LG008)
        # With the head's units unknown (a one-unit head squeezed), those rules cannot say
        # which; class indices above 1 are no binary targets either way.
    targets = f"the targets {labels.display} take values in {labels.value_range}"
    if loss is not None and loss.family is LossFamily.BINARY:
        message = f"{loss.display} expects targets in [0, 1] but {targets}: it has no minimum"
        accuracies = [m for m in setup.metrics if m.kind is MetricKind.BINARY_ACCURACY]
        if accuracies:
            message += (
                f", and {accuracies[0].display} compares thresholded outputs (0 or 1) with "
                "these targets: the accuracy it reports is wrong"
            )
        yield Diagnosis(message=message, location=labels.location or loss.location)
    elif head is not None and head.emits is Emits.SIGMOID and setup.regression_loss is not None:
        yield Diagnosis(
            message=f"{head.display} emits values in (0, 1) but {targets}: the model cannot "
            f"reach them and {setup.regression_loss} cannot fall",
            location=head.location,
            fix="Drop the sigmoid (a linear output for a regression), or scale the targets "
            "into [0, 1] (MinMaxScaler, or y / y.max() for positive targets).",
        )


RULE = Rule(
    code="LG015",
    name="target-range-vs-head",
    severity=Severity.ERROR,
    summary="targets outside [0, 1] given to a sigmoid head or binary cross-entropy",
    why="Binary cross-entropy takes one probability per target: 0 for one class, 1 for the "
    "other. With -1/1 labels (y * 2 - 1) or targets above 1, -y*log(p) - (1-y)*log(1-p) is no "
    "longer minimal at p = y: it is unbounded below, so training drives the outputs to the "
    "clipping limits, and BinaryAccuracy never counts a -1 (or a 7) as predicted right. A "
    "sigmoid head emits values in (0, 1): trained with a regression loss on targets in the "
    "hundreds or thousands, it saturates and its gradient vanishes.",
    fix="Map the labels to 0/1 ((y + 1) / 2, or LabelEncoder) for a binary classifier; for a "
    "regression, use a linear output or scale the targets into [0, 1].",
    check=check,
    examples=(
        invalid(
            "keras",
            """
import keras
from sklearn.datasets import load_breast_cancer
x, y = load_breast_cancer(return_X_y=True)
y = y * 2 - 1
model = keras.Sequential([keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=20)
""",
        ),
        invalid(
            "keras",
            """
import keras
from sklearn.datasets import load_diabetes
data = load_diabetes()
model = keras.Sequential([keras.layers.Dense(32, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="mse")
model.fit(data.data, data.target, epochs=50)
""",
        ),
        invalid(
            "keras",
            """
import numpy as np
import tensorflow as tf
from sklearn.datasets import make_hastie_10_2
x, y = make_hastie_10_2(n_samples=2000)
model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
model.fit(x, y)
""",
        ),
        valid(
            "keras",
            """
import keras
from sklearn.datasets import make_hastie_10_2
x, y = make_hastie_10_2(n_samples=2000)
y = (y + 1) / 2
model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y)
""",
        ),
        valid(
            "keras",
            """
import keras
from sklearn.datasets import load_diabetes
x, y = load_diabetes(return_X_y=True)
model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y / y.max(), epochs=50)
""",
        ),
        valid(
            "keras",
            """
import keras
from sklearn.datasets import load_diabetes
x, y = load_diabetes(return_X_y=True)
model = keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
model.fit(x, y, epochs=50)
""",
        ),
        invalid(
            "torch",
            """
import torch
import torch.nn as nn
x = torch.randn(128, 6)
y = torch.randint(1, 3, (128,)).float()
model = nn.Sequential(nn.Linear(6, 1), nn.Sigmoid())
loss = nn.BCELoss()(model(x).squeeze(1), y)
""",
        ),
        invalid(  # ten classes' indices for one squeezed unit
            "torch",
            """
import torch
import torch.nn as nn
from torchvision import datasets, transforms
data = datasets.MNIST("data", train=True, transform=transforms.ToTensor())
loader = torch.utils.data.DataLoader(data, batch_size=64)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 1))
for x, y in loader:
    nn.BCEWithLogitsLoss()(model(x).squeeze(1), y.float()).backward()
""",
        ),
        valid(  # the indices of two classes: 0 and 1
            "torch",
            """
import torch
import torch.nn as nn
from torchvision import datasets, transforms
data = datasets.PCAM("data", split="train", transform=transforms.ToTensor())
loader = torch.utils.data.DataLoader(data, batch_size=64)
model = nn.Sequential(nn.Flatten(), nn.Linear(27648, 1))
for x, y in loader:
    nn.BCEWithLogitsLoss()(model(x).squeeze(1), y.float()).backward()
""",
        ),
    ),
)
