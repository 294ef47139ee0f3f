"""LG024: a softmax over the outputs of a head trained as independent sigmoids."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, LossFamily, PredictionMisuse, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid

# Two units trained with a sigmoid loss on one-hot targets learn opposite logits: a softmax
# over them ranks and thresholds the same. From three units on, labels compete.
MIN_UNITS = 3


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head, loss = setup.head, setup.loss
    if head is None or loss is None or head.emits is not Emits.LOGITS:
        return
    if loss.family is not LossFamily.BINARY or loss.expects is not Emits.LOGITS:
        return
    if head.units is None or head.units < MIN_UNITS:
        return
    for prediction in setup.predictions:
        if prediction.misuse is PredictionMisuse.SOFTMAXED:
            yield Diagnosis(
                message=f"{prediction.display}: {loss.display} trains the {head.units} units "
                f"of {head.display} as independent yes/no outputs, but a softmax makes them "
                "compete: the scores of a sample sum to 1 over the labels",
                location=prediction.location,
            )


RULE = Rule(
    code="LG024",
    name="softmax-over-independent-sigmoids",
    severity=Severity.WARNING,
    summary="a softmax over the logits of a head trained with a sigmoid loss "
    "(BCEWithLogitsLoss, sigmoid_binary_cross_entropy) on three or more units",
    why="A sigmoid loss (BCEWithLogitsLoss, F.binary_cross_entropy_with_logits, "
    "optax.sigmoid_binary_cross_entropy) trains each unit as its own yes/no decision: a "
    "multi-label model whose probabilities are sigmoid(logit) per label. A softmax over those "
    "logits couples the labels: the scores of a sample sum to 1, so a sample with three labels "
    "gets at most a third for each, a threshold of 0.5 rejects labels the model is sure of, "
    "and per-label ROC or PR curves rank the wrong values. The model trained fine; only what is "
    "read from it is wrong.",
    fix="Read the probabilities the loss trained: torch.sigmoid(logits) (jax.nn.sigmoid, "
    "tf.sigmoid) per label. A softmax belongs to a model trained with a categorical loss "
    "(CrossEntropyLoss) on one class per sample.",
    check=check,
    examples=(
        invalid(
            "torch",
            """
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 20))
criterion = nn.BCEWithLogitsLoss()
for x, tags in loader:
    criterion(model(x), tags).backward()
with torch.no_grad():
    scores = torch.softmax(model(x_test), dim=1)
""",
        ),
        invalid(
            "torch",
            """
import torch.nn as nn
import torch.nn.functional as F

class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.out = nn.Linear(256, 12)

    def forward(self, x):
        return self.out(x)

tagger = Tagger()
logits = tagger(x)
loss = F.binary_cross_entropy_with_logits(logits, tags)
top = logits.softmax(-1).topk(3)
""",
        ),
        invalid(
            "jax",
            """
import flax.linen as nn
import jax
import optax

class Tagger(nn.Module):
    @nn.compact
    def __call__(self, x):
        return nn.Dense(8)(nn.relu(nn.Dense(64)(x)))

model = Tagger()

def loss_fn(params, x, tags):
    return optax.sigmoid_binary_cross_entropy(model.apply(params, x), tags).mean()

def scores(params, x):
    return jax.nn.softmax(model.apply(params, x), axis=-1)
""",
        ),
        valid(
            "torch",
            """
import torch
import torch.nn as nn

# Two units on one-hot targets: a softmax over them ranks as the sigmoids do.
model = nn.Sequential(nn.Linear(128, 2))
criterion = nn.BCEWithLogitsLoss()
for x, y in loader:
    criterion(model(x), nn.functional.one_hot(y, 2).float()).backward()
scores = torch.softmax(model(x_test), dim=1)
""",
        ),
        valid(
            "torch",
            """
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 20))
criterion = nn.BCEWithLogitsLoss()
for x, tags in loader:
    criterion(model(x), tags).backward()
with torch.no_grad():
    scores = torch.sigmoid(model(x_test))
""",
        ),
        valid(
            "torch",
            """
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 20))
criterion = nn.CrossEntropyLoss()
for x, y in loader:
    criterion(model(x), y).backward()
with torch.no_grad():
    scores = torch.softmax(model(x_test), dim=1)
""",
        ),
    ),
)
