"""LG019: a categorical cross-entropy over a one-unit head, whose loss is constant."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head, loss = setup.head, setup.loss
    if head is None or loss is None or head.units != 1 or not loss.family.normalises_over_classes:
        return
    if head.emits is Emits.SOFTMAX:
        return  # LG004 says it of the head itself
    yield Diagnosis(
        message=f"{loss.display} normalises over the classes, but {head.display} has one "
        "unit: over one class the loss is constant and the model learns nothing",
        location=loss.location,
    )


RULE = Rule(
    code="LG019",
    name="single-unit-categorical-loss",
    severity=Severity.ERROR,
    summary="categorical cross-entropy over a one-unit head: the loss is constant",
    why="A categorical cross-entropy compares a distribution over the classes with the target. "
    "Over a single unit that distribution is always [1.0]: PyTorch's CrossEntropyLoss takes "
    "log_softmax of one logit (always 0), Keras' categorical_crossentropy rescales the one "
    "output to sum to 1. The loss is the same for every input, its gradient is zero, and the "
    "model never learns; integer labels of 1 are even out of range for one class.",
    fix="For a binary problem keep one unit and use a binary loss (nn.BCEWithLogitsLoss, "
    "binary_crossentropy); for n classes give the head n units.",
    check=check,
    examples=(
        invalid(
            "torch",
            """
from torch import nn
model = nn.Sequential(nn.Linear(30, 8), nn.ReLU(), nn.Linear(8, 1))
loss = nn.CrossEntropyLoss()(model(x), y)
""",
        ),
        invalid(
            "torch",
            """
import torch.nn.functional as F
from torch import nn
head = nn.Linear(16, 1)
loss = F.cross_entropy(head(features), labels)
""",
        ),
        invalid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
""",
        ),
        invalid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
""",
        ),
        valid(
            "torch",
            """
from torch import nn
model = nn.Sequential(nn.Linear(30, 8), nn.ReLU(), nn.Linear(8, 1))
loss = nn.BCEWithLogitsLoss()(model(x), y)
""",
        ),
        valid(
            "torch",
            """
from torch import nn
model = nn.Sequential(nn.Linear(30, 8), nn.ReLU(), nn.Linear(8, 2))
loss = nn.CrossEntropyLoss()(model(x), y)
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
