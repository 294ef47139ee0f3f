"""LG002: a softmax/sigmoid head trained with a loss that applies softmax/sigmoid again."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid

# The one Keras backend that computes a from_logits=True loss on the logits beneath a layer's
# own softmax/sigmoid (and warns); on the others the activation really is applied twice.
RESCUING_BACKEND = "tensorflow"


def _backend_consequence(setup: TrainingSetup) -> tuple[Severity, str]:
    """The severity for this set-up, and what its backend makes of the double activation."""
    if setup.framework != "keras" or setup.loss is None or not setup.loss.keras_own:
        return Severity.WARNING, ""
    if setup.backend is None:
        return Severity.WARNING, (
            " (a warning assuming the TensorFlow backend, which uses the logits beneath a "
            "layer's own activation; an error on the jax and torch backends, which do not)"
        )
    if setup.backend == RESCUING_BACKEND:
        return Severity.WARNING, (
            " (Keras' tensorflow backend uses the logits beneath a layer's own activation "
            "instead, and warns)"
        )
    return Severity.ERROR, (
        f", and Keras' {setup.backend} backend does not undo it: the model trains on squashed "
        "outputs and its loss is not its cross-entropy"
    )


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head, loss = setup.head, setup.loss
    if head is None or loss is None:
        return
    if head.emits.is_probability and loss.expects is Emits.LOGITS:
        remedy = f" or use {loss.probabilities_remedy}" if loss.probabilities_remedy else ""
        severity, consequence = _backend_consequence(setup)
        yield Diagnosis(
            message=f"{loss.display} expects raw logits but {head.display} already emits "
            f"{head.emits.value}: the activation is applied twice{consequence}",
            location=loss.location or head.location,
            fix=f"Remove the activation from the head{remedy}.",
            edit=loss.to_probabilities_edit,
            severity=severity,
        )


RULE = Rule(
    code="LG002",
    name="double-activation",
    severity=Severity.WARNING,
    summary="softmax/sigmoid head trained with a loss that expects logits (from_logits=True)",
    why="A loss with from_logits=True (PyTorch's CrossEntropyLoss and BCEWithLogitsLoss, "
    "optax.softmax_cross_entropy) applies softmax or sigmoid itself. Fed probabilities, it "
    "squashes values already in [0, 1] a second time: the predicted distribution can never be "
    "confident, gradients shrink, and the model trains slower and to a worse optimum. "
    "Keras on the TensorFlow backend (Keras 3 and tf.keras 2) notices a softmax/sigmoid that is "
    "a layer's own activation, warns and uses the logits underneath, so there the finding is a "
    "warning. Keras 3 on the JAX and PyTorch backends has no such path and no warning: the "
    "model really trains on squashed outputs and the loss it reports is not its "
    "cross-entropy, so there it is an error. PyTorch losses and optax never undo it either.",
    fix="Either remove the activation from the head and keep from_logits=True (most stable), or "
    "keep the activation and set from_logits=False.",
    check=check,
    autofix=True,
    examples=(
        invalid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential([
    tf.keras.layers.Dense(128, activation="relu"),
    tf.keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam",
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
""",
        ),
        invalid(
            "keras",
            """
import keras
from keras import layers
inputs = keras.Input(shape=(4,))
x = layers.Dense(8, activation="relu")(inputs)
x = layers.Dense(1)(x)
outputs = layers.Activation("sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf

class Classifier(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(32, activation="relu")
        self.out = tf.keras.layers.Dense(5)

    def call(self, x):
        return tf.nn.softmax(self.out(self.hidden(x)))

model = Classifier()
model.compile(optimizer="adam",
              loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True))
""",
        ),
        invalid(
            "keras",
            """
import os
os.environ["KERAS_BACKEND"] = "jax"
import keras
model = keras.Sequential([
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
""",
        ),
        valid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential([
    tf.keras.layers.Dense(128, activation="relu"),
    tf.keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam",
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=False))
""",
        ),
        valid(
            "keras",
            """
import tensorflow as tf

class Classifier(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.out = tf.keras.layers.Dense(5)

    def call(self, x):
        return self.out(x)

model = Classifier()
model.compile(optimizer="adam",
              loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True))
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(1, activation=keras.activations.sigmoid)])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy())
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
        self.fc1 = nn.Linear(64, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        return F.softmax(self.fc2(x), dim=1)

def train(model, loader, criterion, optimizer):
    for x, y in loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()

net = Net()
train(net, loader, nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.1))
""",
        ),
        invalid(
            "torch",
            """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(30, 1), nn.Sigmoid())
loss_fn = nn.BCEWithLogitsLoss()
for x, y in loader:
    loss = loss_fn(model(x), y)
""",
        ),
        invalid(
            "jax",
            """
import flax.linen as nn
import jax
import optax

class MLP(nn.Module):
    @nn.compact
    def __call__(self, x):
        x = nn.relu(nn.Dense(128)(x))
        return nn.softmax(nn.Dense(10)(x))

model = MLP()

def loss_fn(params, x, y):
    logits = model.apply(params, x)
    return optax.softmax_cross_entropy(logits=logits, labels=jax.nn.one_hot(y, 10)).mean()
""",
        ),
        valid(
            "torch",
            """
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        return self.fc(x)

model = Net()
loss = nn.CrossEntropyLoss()(model(x), y)
probabilities = F.softmax(model(x), dim=1)
""",
        ),
        valid(
            "torch",
            """
from torch import nn
model = nn.Sequential(nn.Linear(30, 1), nn.Sigmoid())
loss_fn = nn.BCELoss()
for x, y in loader:
    loss = loss_fn(model(x), y)
""",
        ),
        valid(
            "jax",
            """
import flax.linen as nn
import optax

class MLP(nn.Module):
    @nn.compact
    def __call__(self, x):
        return nn.Dense(10)(nn.relu(nn.Dense(128)(x)))

model = MLP()

def loss_fn(params, x, y):
    logits = model.apply(params, x)
    return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()
""",
        ),
        invalid(
            "torch",
            """
from torch import nn
from torchvision import models
model = models.resnet18(weights="IMAGENET1K_V1")
model.fc = nn.Sequential(nn.Linear(model.fc.in_features, 5), nn.Softmax(dim=1))
criterion = nn.CrossEntropyLoss()
for images, labels in loader:
    loss = criterion(model(images), labels)
""",
        ),
        valid(
            "torch",
            """
from torch import nn
from torchvision import models
model = models.resnet18(weights="IMAGENET1K_V1")
model.fc = nn.Linear(model.fc.in_features, 5)
criterion = nn.CrossEntropyLoss()
for images, labels in loader:
    loss = criterion(model(images), labels)
""",
        ),
    ),
)
