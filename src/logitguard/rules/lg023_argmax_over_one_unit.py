"""LG023: an argmax over the classes' axis of a head that has one unit: always 0."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import PredictionMisuse, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head = setup.head
    if head is None or head.units != 1:
        return
    for prediction in setup.predictions:
        if prediction.misuse is PredictionMisuse.ARGMAX_OVER_ONE_UNIT:
            yield Diagnosis(
                message=f"{prediction.display}: {head.display} has one unit, so the argmax "
                "over it is always 0 and every sample gets class 0",
                location=prediction.location,
            )


RULE = Rule(
    code="LG023",
    name="argmax-over-one-unit",
    severity=Severity.ERROR,
    summary="argmax over the one unit of a binary head: always class 0",
    why="A binary classifier with one output unit (a sigmoid, or a logit for a sigmoid loss) "
    "scores the positive class alone. An argmax over that axis, written for heads with one unit "
    "per class, picks among one value: it is 0 for every sample. Predictions are all the "
    "negative class, and an accuracy computed from them is the share of negatives, whatever "
    "the model learned.",
    fix="Threshold the single output instead: > 0.5 on sigmoid probabilities, > 0 on logits; "
    "or give the model one unit per class with a softmax loss if an argmax is wanted.",
    check=check,
    examples=(
        invalid(
            "keras",
            """
import numpy as np
import keras
model = keras.Sequential([keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y)
predicted = np.argmax(model.predict(x_test), axis=1)
""",
        ),
        invalid(
            "torch",
            """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
out = model(x)
loss = nn.BCEWithLogitsLoss()(out, y)
accuracy = (out.argmax(dim=1) == y.squeeze(1)).float().mean()
""",
        ),
        invalid(
            "torch",
            """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(8, 1), nn.Sigmoid())
predicted = torch.argmax(model(x), -1)
""",
        ),
        invalid(
            "torch",
            """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
out = model(x)
loss = nn.BCEWithLogitsLoss()(out, y)
_, predicted = torch.max(out, 1)
""",
        ),
        valid(
            "keras",
            """
import numpy as np
import keras
model = keras.Sequential([keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y)
predicted = (model.predict(x_test) > 0.5).astype(int)
""",
        ),
        valid(
            "torch",
            """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
out = model(x)
loss = nn.BCEWithLogitsLoss()(out, y)
predicted = (out > 0).long()
highest, _ = torch.max(out, 1)  # the largest score, not where it is
""",
        ),
        valid(
            "torch",
            """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
accuracy = (model(x).argmax(dim=1) == y).float().mean()
""",
        ),
        valid(
            "torch",
            """
import torch
from torch import nn
# One score per position of a sequence: the argmax picks a position.
scorer = nn.Linear(16, 1)
best = torch.argmax(scorer(h).squeeze(-1), dim=1)
""",
        ),
    ),
)
