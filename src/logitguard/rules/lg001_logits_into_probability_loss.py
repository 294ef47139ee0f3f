"""LG001: a head that emits raw logits trained with a loss that expects probabilities."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head, loss = setup.head, setup.loss
    if head is None or loss is None:
        return
    if head.units == 1 and loss.family.normalises_over_classes:
        return  # LG019: over one unit the loss is constant, whatever it is told
    if not loss.expects.is_probability:
        return
    if head.emits is Emits.LOGITS:
        yield Diagnosis(
            message=f"{loss.display} expects {loss.expects.value} but {head.display} emits raw "
            "logits: the model will barely learn",
            location=loss.location or head.location,
            fix=f"Use {loss.logits_remedy}." if loss.logits_remedy else None,
            edit=loss.to_logits_edit,
        )
    elif head.emits is Emits.LOG_SOFTMAX:
        # Log-probabilities are logits of the same softmax, but not of independent sigmoids.
        categorical = loss.family.normalises_over_classes
        yield Diagnosis(
            message=f"{loss.display} expects {loss.expects.value} but {head.display} emits "
            "log-probabilities (at most 0), not probabilities: the loss is meaningless",
            location=loss.location or head.location,
            fix=f"Use {loss.logits_remedy} (log-probabilities are logits of the same softmax)."
            if categorical and loss.logits_remedy
            else "Use NLLLoss on the log-probabilities, or drop the log_softmax and use "
            "CrossEntropyLoss on the logits.",
            edit=loss.to_logits_edit if categorical else None,
        )


RULE = Rule(
    code="LG001",
    name="logits-into-probability-loss",
    severity=Severity.ERROR,
    summary="raw logits head trained with a loss that expects probabilities (from_logits=False)",
    why="A cross-entropy told that its input is probabilities clips it to [eps, 1 - eps] "
    "(Keras) or takes its log directly (PyTorch's BCELoss). Raw logits are mostly outside "
    "[0, 1], so the clipped loss is flat and its gradient is zero for most samples: the model "
    "silently learns almost nothing (documented: Fashion-MNIST MLP 0.88 -> 0.33 accuracy, "
    "MobileNetV2 on flowers102 0.86 -> 0.0098). Keras prints no warning.",
    fix="Tell the loss it receives logits (from_logits=True, or BCEWithLogitsLoss in PyTorch), "
    "or add the matching softmax/sigmoid activation to the head.",
    check=check,
    autofix=True,
    examples=(
        invalid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(128, activation="relu"),
    tf.keras.layers.Dense(10),
])
model.compile(optimizer="adam",
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=False),
              metrics=["accuracy"])
""",
        ),
        invalid(
            "keras",
            """
from tensorflow import keras
from keras.layers import Dense as D
model = keras.Sequential()
model.add(D(64, activation="relu"))
model.add(D(3))
model.compile(optimizer="sgd", loss="categorical_crossentropy")
""",
        ),
        invalid(
            "keras",
            """
import keras
from keras import layers
inputs = keras.Input(shape=(224, 224, 3))
x = layers.GlobalAveragePooling2D()(inputs)
outputs = layers.Dense(102)(x)
model = keras.Model(inputs, outputs)
loss_fn = keras.losses.SparseCategoricalCrossentropy()
model.compile(optimizer="adam", loss=loss_fn, metrics=["accuracy"])
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf

def build_model():
    return tf.keras.Sequential([
        tf.keras.layers.Dense(16, activation="relu"),
        tf.keras.layers.Dense(1, activation="linear"),
    ])

model = build_model()
model.compile(optimizer="adam", loss="binary_crossentropy")
""",
        ),
        valid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential([
    tf.keras.layers.Dense(128, activation="relu"),
    tf.keras.layers.Dense(10),
])
model.compile(optimizer="adam",
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
""",
        ),
        valid(
            "keras",
            """
import keras
model = keras.Sequential([keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["acc"])
""",
        ),
        valid(
            "keras",
            """
import keras
from keras import layers
inputs = keras.Input(shape=(8,))
x = layers.Dense(16, activation="relu")(inputs)
x = layers.Dense(1)(x)
outputs = layers.Activation("sigmoid")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
""",
        ),
        valid(
            "keras",
            """
import keras
# The loss comes from elsewhere: the checker cannot know, so it stays silent.
model = keras.Sequential([keras.layers.Dense(10)])
model.compile(optimizer="adam", loss=config["loss"])
""",
        ),
        invalid(
            "torch",
            """
import torch
import torch.nn as nn

class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(30, 16)
        self.out = nn.Linear(16, 1)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))

model = Classifier()
criterion = nn.BCELoss()
optimizer = torch.optim.Adam(model.parameters())
for x, y in loader:
    optimizer.zero_grad()
    loss = criterion(model(x).squeeze(1), y)
    loss.backward()
    optimizer.step()
""",
        ),
        invalid(
            "torch",
            """
import torch.nn.functional as F
from torch import nn
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
for x, y in loader:
    loss = F.binary_cross_entropy(model(x), y)
""",
        ),
        valid(
            "torch",
            """
from torch import nn
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
criterion = nn.BCELoss()
for x, y in loader:
    loss = criterion(model(x), y)
""",
        ),
        valid(
            "torch",
            """
from torch import nn
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
criterion = nn.BCEWithLogitsLoss()
for x, y in loader:
    loss = criterion(model(x), y)
""",
        ),
        valid(
            "keras",
            """
# One unit with a categorical loss: LG019 (the loss is constant, whatever it is told).
import keras
model = keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="categorical_crossentropy")
""",
        ),
        invalid(
            "torch",
            """
# Log-probabilities into a loss on probabilities.
import torch.nn as nn
import torch.nn.functional as F
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 2)
    def forward(self, x):
        return F.log_softmax(self.fc(x), dim=1)
criterion = nn.BCELoss()
loss = criterion(Net()(x), y)
""",
        ),
    ),
)
