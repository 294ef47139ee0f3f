"""LG022: a head ending in relu, softplus or tanh with a loss that expects raw logits."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, LossFamily, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.knowledge.activations import BOUNDED_ACTIVATIONS, NON_NEGATIVE_ACTIVATIONS
from logitguard.rules.base import Diagnosis, Rule, invalid, valid

_CONSEQUENCE = {
    # (non-negative, binary loss)
    (True, True): "a sigmoid of it is never below 0.5, so no sample can be scored negative",
    (True, False): "no class's logit can go below 0 and units stuck at 0 stop learning",
    (False, True): "a sigmoid of values in [-1, 1] stays within [0.27, 0.73]: the model can "
    "never be confident",
    (False, False): "a softmax of values in [-1, 1] stays close to uniform: the model can "
    "never be confident",
}


_ACTIVATION_NAMES = {
    Emits.SIGMOID: "sigmoid",
    Emits.SOFTMAX: "softmax",
    Emits.LOG_SOFTMAX: "log_softmax",
}


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head, loss = setup.head, setup.loss
    if head is None or loss is None:
        return
    if loss.expects is head.emits and head.emits.is_normalised and head.beneath is not None:
        yield from _squashed_activation(setup)
        return
    if loss.expects is not Emits.LOGITS:
        return
    if head.emits is not Emits.UNKNOWN or head.activation is None:
        return
    non_negative = head.activation in NON_NEGATIVE_ACTIVATIONS
    if not non_negative and head.activation not in BOUNDED_ACTIVATIONS:
        return
    binary = loss.family is LossFamily.BINARY
    yield Diagnosis(
        message=f"{loss.display} expects raw logits but {head.display} ends in "
        f"'{head.activation}': {_CONSEQUENCE[non_negative, binary]}",
        location=loss.location or head.location,
        # Every sample positive is a broken classifier; the others learn, worse.
        severity=Severity.ERROR if non_negative and binary else None,
    )


def _squashed_activation(setup: TrainingSetup) -> Iterator[Diagnosis]:
    """`torch.sigmoid(torch.relu(z))` with BCELoss: the sigmoid the loss expects is there, but
    it is given no logits."""
    head, loss = setup.head, setup.loss
    assert head is not None and loss is not None and head.beneath is not None
    non_negative = head.beneath in NON_NEGATIVE_ACTIVATIONS
    if not non_negative and head.beneath not in BOUNDED_ACTIVATIONS:
        return
    binary = head.emits is Emits.SIGMOID
    kind = _ACTIVATION_NAMES[head.emits]
    yield Diagnosis(
        message=f"{head.display} applies a {kind} to '{head.beneath}' outputs, not to raw "
        f"logits: {_CONSEQUENCE[non_negative, binary]}",
        location=head.activation_location or head.location,
        fix=f"Remove the '{head.beneath}' before the {kind}: it takes the raw scores of the "
        "last linear layer.",
        severity=Severity.ERROR if non_negative and binary else None,
    )


RULE = Rule(
    code="LG022",
    name="activated-logits",
    severity=Severity.WARNING,
    summary="last activation relu/softplus/tanh with a loss that expects raw logits, or "
    "under the sigmoid, softmax or log_softmax the loss expects",
    why="A loss told its input is raw logits applies the sigmoid or softmax itself, and needs "
    "logits that range over all the reals. After a relu (or relu6, softplus, exponential) none "
    "is negative: a sigmoid of them is at least 0.5, so a binary classifier scores every sample "
    "positive, and a softmax classifier cannot push a class below the floor of 0 while units "
    "stuck at 0 get no gradient. After a tanh (or softsign, hardtanh) they lie in [-1, 1]: the "
    "probabilities stay near 0.5 or near uniform, and the loss cannot get near zero. The last "
    "layer of a classifier trained on logits has no activation. The same holds for a relu or a "
    "tanh put under the sigmoid or softmax of a model trained on probabilities, or under the "
    "log_softmax of one trained with NLLLoss.",
    fix="Remove the activation after the last linear layer: the loss applies the sigmoid or "
    "softmax itself.",
    check=check,
    examples=(
        invalid(
            "torch",
            """
import torch
from torch import nn
net = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1), nn.ReLU())
probability = torch.sigmoid(net(x))
loss = nn.BCELoss()(probability, y)
""",
        ),
        invalid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(1, activation="relu"),
                          keras.layers.Activation("sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(1),
                          keras.layers.Activation("sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
""",
        ),
        invalid(
            "torch",
            """
import torch
from torch import nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 16)
        self.out = nn.Linear(16, 3)
    def forward(self, x):
        return torch.relu(self.out(torch.relu(self.hidden(x))))
net = Net()
loss = nn.CrossEntropyLoss()(net(x), y)
""",
        ),
        invalid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(1, activation="relu")])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
""",
        ),
        invalid(
            "tensorflow",
            """
import tensorflow as tf
x = tf.compat.v1.placeholder(tf.float32, [None, 784])
y = tf.compat.v1.placeholder(tf.float32, [None, 10])
w = tf.Variable(tf.zeros([784, 10]))
b = tf.Variable(tf.zeros([10]))
logits = tf.tanh(tf.matmul(x, w) + b)
loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits)
""",
        ),
        valid(
            "torch",
            """
import torch
from torch import nn
net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
loss = nn.CrossEntropyLoss()(net(x), y)
""",
        ),
        invalid(
            "torch",
            """
import torch.nn.functional as F
from torch import nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 64)
        self.out = nn.Linear(64, 10)
    def forward(self, x):
        scores = F.relu(self.out(F.relu(self.hidden(x))))
        return F.log_softmax(scores, dim=1)
net = Net()
loss = F.nll_loss(net(x), y)
""",
        ),
        valid(
            "torch",
            """
import torch.nn.functional as F
from torch import nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 64)
        self.out = nn.Linear(64, 10)
    def forward(self, x):
        return F.log_softmax(self.out(F.relu(self.hidden(x))), dim=1)
net = Net()
loss = F.nll_loss(net(x), y)
""",
        ),
        valid(
            "keras",
            """
import keras
# A relu head trained on a loss that takes what it emits: no logits involved.
model = keras.Sequential([keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(1, activation="relu")])
model.compile(optimizer="adam", loss="mse")
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(1, activation="leaky_relu")])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
""",
        ),
    ),
)
