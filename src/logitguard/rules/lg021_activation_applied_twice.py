"""LG021: a sigmoid or softmax applied to values that already are probabilities."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid

_CONSEQUENCE = {
    Emits.SIGMOID: "every value lands in [0.5, 0.73], so a 0.5 threshold calls every sample "
    "positive and a loss cannot reach its targets",
    Emits.SOFTMAX: "the probabilities are squashed towards 1/K, so the model's confidence and "
    "its gradients shrink",
}


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head = setup.head
    if head is None or head.activated_twice is None:
        return
    yield Diagnosis(
        message=f"{head.display} applies a {head.emits.value.split()[0]} to values that are "
        f"already {head.activated_twice.value}: {_CONSEQUENCE[head.emits]}",
        location=head.activation_location or head.location,
    )


RULE = Rule(
    code="LG021",
    name="activation-applied-twice",
    severity=Severity.ERROR,
    summary="a sigmoid or softmax applied to outputs that already are probabilities",
    why="A model whose last layer already applies a sigmoid or a softmax outputs probabilities. "
    "Applying the activation again (in the model, or when reading its predictions) does not "
    "give probabilities: sigmoid(p) for p in [0, 1] lies in [0.5, 0.73], so thresholding it at "
    "0.5 predicts the positive class for every input; softmax(p) of a probability vector is "
    "close to uniform. Nothing fails; predictions and confidences are wrong, and a loss on such "
    "outputs trains poorly.",
    fix="Apply the activation once: drop the second one, or drop the model's own activation and "
    "apply it where the probabilities are needed (with a logits loss for training).",
    check=check,
    examples=(
        invalid(
            "torch",
            """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
loss = nn.BCELoss()(model(x), y)
with torch.no_grad():
    predicted = torch.sigmoid(model(x_test)) >= 0.5
""",
        ),
        invalid(
            "torch",
            """
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)
        self.softmax = nn.Softmax(dim=1)

    def forward(self, x):
        return F.softmax(self.softmax(self.fc(x)), dim=1)
""",
        ),
        invalid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(10, activation="softmax"),
                          keras.layers.Activation("softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
""",
        ),
        valid(
            "torch",
            """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1))
loss = nn.BCEWithLogitsLoss()(model(x), y)
with torch.no_grad():
    predicted = torch.sigmoid(model(x_test)) >= 0.5
""",
        ),
        valid(
            "torch",
            """
import torch.nn.functional as F
# Attention normalised over the keys, then its columns over the queries: two axes.
weights = F.softmax(F.softmax(scores, dim=-1), dim=1)
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(10), keras.layers.Activation("softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
""",
        ),
    ),
)
