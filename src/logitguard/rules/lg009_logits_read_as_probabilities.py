"""LG009: at prediction time, raw logits rounded, cut at 0.5 or sampled as probabilities."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    log_probabilities = setup.head is not None and setup.head.emits is Emits.LOG_SOFTMAX
    if not (setup.outputs_are_logits or log_probabilities):
        return
    outputs = "log-probabilities (log_softmax)" if log_probabilities else "raw logits"
    for prediction in setup.predictions:
        if not prediction.misuse.reads_probabilities:
            continue
        yield Diagnosis(
            message=f"{prediction.display}: the model outputs {outputs}, which are "
            f"{prediction.misuse.value} as if they were probabilities",
            location=prediction.location,
        )


RULE = Rule(
    code="LG009",
    name="logits-read-as-probabilities",
    severity=Severity.ERROR,
    summary="raw logits rounded, thresholded at 0.5, sampled or scored (log_loss) as probabilities",
    why="A model trained with from_logits=True outputs raw scores, not probabilities: a logit of "
    "0.3 is p = 0.57, a logit of -2 is p = 0.12. Rounding them, cutting them at 0.5 or sampling "
    "from them as a distribution gives wrong classes and meaningless confidences. The training "
    "metrics look fine; only predictions are wrong. The same holds for any tensor a loss takes "
    "as logits (BCEWithLogitsLoss, F.cross_entropy, tf.nn.sigmoid_cross_entropy_with_logits), "
    "whatever made it: rounding it elsewhere contradicts the loss. A predict_proba returning "
    "them (scikit-learn's name for the classes' probabilities) hands logits to whoever reads "
    "probabilities from it: roc_auc_score, log_loss, a threshold.",
    fix="Convert first: softmax/sigmoid over the outputs (logitguard.probability_model(model) "
    "wraps a Keras model or a PyTorch module), or threshold logits at 0, take argmax over "
    "logits, and sample with a logits-aware sampler (torch.distributions.Categorical(logits=...), "
    "logitguard.numerics.top_k_sample).",
    check=check,
    examples=(
        invalid(  # scikit-learn's log loss of the raw scores
            "torch",
            """
import torch
import torch.nn as nn
from sklearn.metrics import log_loss

model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
for x, y in loader:
    nn.BCEWithLogitsLoss()(model(x).squeeze(1), y).backward()
with torch.no_grad():
    scores = model(x_val).squeeze(1)
print(log_loss(y_val, scores.numpy()))
""",
        ),
        valid(
            "torch",
            """
import torch
import torch.nn as nn
from sklearn.metrics import log_loss

model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
for x, y in loader:
    nn.BCEWithLogitsLoss()(model(x).squeeze(1), y).backward()
with torch.no_grad():
    probabilities = torch.sigmoid(model(x_val).squeeze(1))
print(log_loss(y_val, probabilities.numpy()))
""",
        ),
        invalid(
            "torch",
            """
import torch
import torch.nn as nn

class Classifier:
    def __init__(self):
        self.model = nn.Sequential(nn.Linear(20, 3))
        self.loss_fn = nn.CrossEntropyLoss()

    def fit(self, X, y):
        self.loss_fn(self.model(X), y).backward()

    def predict_proba(self, X):
        with torch.no_grad():
            return self.model(X).numpy()
""",
        ),
        invalid(
            "torch",
            """
import torch
from torch import nn
class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)
    def forward(self, state):
        return torch.log_softmax(self.fc(state), dim=-1)
policy = Policy()
log_probs = policy(state)
action = torch.distributions.Categorical(log_probs).sample()
""",
        ),
        valid(
            "torch",
            """
import torch
from torch import nn
class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)
    def forward(self, state):
        return torch.log_softmax(self.fc(state), dim=-1)
policy = Policy()
log_probs = policy(state)
action = torch.distributions.Categorical(logits=log_probs).sample()
""",
        ),
        invalid(
            "keras",
            """
import numpy as np
import keras
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
model.fit(x, y)
predicted = np.round(model.predict(x_test))
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
scores = model.predict(x_test)
labels = (scores > 0.5).astype("int32")
""",
        ),
        invalid(
            "keras",
            """
import numpy as np
import keras
model = keras.Sequential([keras.layers.Dense(5)])
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
scores = model.predict(x_test)[0]
choice = np.random.choice(5, p=scores)
""",
        ),
        valid(
            "keras",
            """
import numpy as np
import keras
model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
predicted = np.round(model.predict(x_test))
""",
        ),
        valid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
labels = (model.predict(x_test) > 0).astype("int32")
""",
        ),
        valid(
            "keras",
            """
import numpy as np
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(10)])
model.compile(optimizer="adam",
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
probabilities = tf.nn.softmax(model.predict(x_test))
classes = np.argmax(model.predict(x_test), axis=-1)
""",
        ),
        invalid(
            "torch",
            """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1))
criterion = nn.BCEWithLogitsLoss()
for x, y in loader:
    criterion(model(x), y).backward()
with torch.no_grad():
    predicted = (model(x_test) > 0.5).float()
""",
        ),
        invalid(
            "torch",
            """
import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(30, 1)

    def forward(self, x):
        return self.fc(x).squeeze(-1)

model = Net()
loss = nn.functional.binary_cross_entropy_with_logits(model(x_train), y_train)
scores = model(x_test).detach()
labels = torch.round(scores)
""",
        ),
        invalid(
            "torch",
            """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(128, 50))
loss = nn.CrossEntropyLoss()(model(h_train), next_train)
next_token = torch.multinomial(model(h), num_samples=1)
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
    predicted = (torch.sigmoid(model(x_test)) > 0.5).float()
    same = (model(x_test) > 0).float()
""",
        ),
        valid(
            "torch",
            """
import torch
import torch.nn.functional as F
from torch import nn
model = nn.Sequential(nn.Linear(128, 50))
next_token = torch.multinomial(F.softmax(model(h), dim=-1), num_samples=1)
""",
        ),
        invalid(
            "torch",
            """
import torch
import torch.nn.functional as F
from zoo import pretrained  # a model this file does not show
model = pretrained()
for x, y in loader:
    out = model(x)
    loss = F.binary_cross_entropy_with_logits(out, y)  # takes out as logits
    correct = ((out > 0.5).float() == y).sum()
""",
        ),
        valid(
            "keras",
            """
import numpy as np
import keras
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
print(np.round(model.predict(x_test), 3))  # shown to three decimals, no class decided
""",
        ),
        valid(
            "torch",
            """
import torch
from torch import nn
# A regression model: rounding its output is fine.
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
loss = nn.MSELoss()(model(x), y)
rating = torch.round(model(x_test))
""",
        ),
    ),
)
