"""LG011: log(softmax(x)) or log(sigmoid(x)) computed in two steps instead of in one."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid

_LOG_SOFTMAX = {"jax": "jax.nn.log_softmax", "tensorflow": "tf.nn.log_softmax"}
_LOG_SIGMOID = {"jax": "jax.nn.log_sigmoid", "tensorflow": "tf.math.log_sigmoid"}


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head = setup.head
    if head is None or head.unstable_log is None:
        return
    if head.unstable_log is Emits.SIGMOID:
        function = _LOG_SIGMOID.get(setup.framework, "F.logsigmoid")
        taken = "a sigmoid"
        fix = (
            f"Replace log(sigmoid(x)) with {function}(x), and log(1 - sigmoid(x)) with "
            f"{function}(-x); for a binary cross-entropy, the with-logits loss on x."
        )
    else:
        function = _LOG_SOFTMAX.get(setup.framework, "F.log_softmax")
        taken, fix = "a softmax", f"Replace log(softmax(x)) with {function}(x) over the same axis."
    yield Diagnosis(
        message=f"{head.display} takes the log of {taken}: probabilities that underflow to 0 "
        "give -inf and NaN gradients",
        location=head.activation_location or head.location,
        fix=fix,
    )


RULE = Rule(
    code="LG011",
    name="unstable-log-softmax",
    severity=Severity.WARNING,
    summary="log(softmax(x)) or log(sigmoid(x)) in two steps, fed to a loss or a gradient, "
    "instead of the numerically stable log_softmax(x) or logsigmoid(x)",
    why="softmax(x) rounds small probabilities to exactly 0 in float32 once a logit trails the "
    "largest by about 104 (float32's exp underflow). The log of 0 is -inf: the loss becomes inf "
    "and the gradients NaN, and training is ruined from that step on. A clip or an added "
    "epsilon (p.clamp(min=1e-8), p + 1e-8) keeps the log finite and is not reported, though "
    "it floors the loss where log_softmax would not. log_softmax computes x - logsumexp(x) "
    "directly, which is exact for any logits. A sigmoid rounds to 0 in float32 once its input "
    "is below about -90 (-18 in float16), and 1 - sigmoid(x) once x is above about 17, where "
    "the sigmoid rounds to 1: logsigmoid(x) computes min(x, 0) - log1p(exp(-|x|)), exact for "
    "any input. It is reported where training takes the value "
    "(a model's output, a loss, .backward(), a returned value), not where tests build it from "
    "random or constant tensors, which cannot underflow, nor where only a sample is drawn from "
    "it (jax.random.categorical), which no gradient flows through.",
    fix="Use F.log_softmax(x, dim=1) (PyTorch), jax.nn.log_softmax(x) (JAX) or "
    "tf.nn.log_softmax(x) (TensorFlow); for a loss, nn.CrossEntropyLoss, "
    "optax.softmax_cross_entropy or tf.nn.softmax_cross_entropy_with_logits on the raw logits "
    "does the same. For a sigmoid: F.logsigmoid(x), jax.nn.log_sigmoid(x), "
    "tf.math.log_sigmoid(x), or the with-logits binary cross-entropy.",
    check=check,
    examples=(
        invalid(
            "torch",
            """
import torch
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        return torch.log(F.softmax(self.fc(x), dim=1))

model = Net()
loss = F.nll_loss(model(x), y)
""",
        ),
        invalid(
            "torch",
            """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(64, 10))
criterion = nn.NLLLoss()
for x, y in loader:
    log_probs = torch.log(model(x).softmax(1))
    loss = criterion(log_probs, y)
""",
        ),
        valid(
            "torch",
            """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(64, 10))
criterion = nn.NLLLoss()
for x, y in loader:
    log_probs = torch.log(model(x).softmax(1) + 1e-8)
    loss = criterion(log_probs, y)
""",
        ),
        invalid(
            "torch",
            """
import torch.nn.functional as F

def log_probabilities(logits):
    return F.softmax(logits, dim=-1).log()
""",
        ),
        invalid(
            "jax",
            """
import jax
import jax.numpy as jnp

def loss_fn(params, x, y):
    logits = predict(params, x)
    log_probs = jnp.log(jax.nn.softmax(logits))
    return -jnp.mean(jnp.sum(y * log_probs, axis=-1))
""",
        ),
        invalid(
            "tensorflow",
            """
import tensorflow as tf
x = tf.compat.v1.placeholder(tf.float32, [None, 784])
y = tf.compat.v1.placeholder(tf.float32, [None, 10])
probs = tf.nn.softmax(tf.compat.v1.layers.dense(x, 10))
cross_entropy = tf.reduce_mean(-tf.reduce_sum(y * tf.math.log(probs), axis=1))
""",
        ),
        valid(
            "tensorflow",
            """
import tensorflow as tf
x = tf.compat.v1.placeholder(tf.float32, [None, 784])
y = tf.compat.v1.placeholder(tf.float32, [None, 10])
logits = tf.compat.v1.layers.dense(x, 10)
cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
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
        return F.log_softmax(self.fc(x), dim=1)

model = Net()
loss = F.nll_loss(model(x), y)
""",
        ),
        valid(
            "torch",
            """
import torch
import torch.nn.functional as F
# Logs only looked at, not trained on; and the log of a loss value is fine.
log_p = torch.log(torch.sigmoid(scores))
log_loss = torch.log(F.cross_entropy(logits, y))
""",
        ),
        valid(
            "torch",
            """
import torch
import torch.nn.functional as F
# Test inputs made from random values: nothing can underflow, nothing is trained.
log_p = torch.rand(8, 5).softmax(dim=-1).log()
log_q = torch.log(torch.softmax(torch.randn(8, 5), dim=1))
assert F.kl_div(log_q, log_p, log_target=True, reduction="batchmean") >= 0
""",
        ),
        valid(
            "jax",
            """
import jax
import jax.numpy as jnp

def loss_fn(params, x, y):
    log_probs = jax.nn.log_softmax(predict(params, x))
    return -jnp.mean(jnp.sum(y * log_probs, axis=-1))
""",
        ),
        valid(
            "jax",
            """
import jax
import jax.numpy as jnp

# Only a sample is drawn: no gradient flows, and a -inf is a zero chance of that token.
def next_token(key, scores):
    return jax.random.categorical(key, jnp.log(jax.nn.softmax(scores, axis=-1)))
""",
        ),
        invalid(
            "torch",
            """
import torch

# A pairwise ranking loss (reward models): the sigmoid of a margin rounds to 0.
def ranking_loss(chosen_scores, rejected_scores):
    return -torch.log(torch.sigmoid(chosen_scores - rejected_scores)).mean()
""",
        ),
        valid(
            "torch",
            """
import torch.nn.functional as F

def ranking_loss(chosen_scores, rejected_scores):
    return -F.logsigmoid(chosen_scores - rejected_scores).mean()
""",
        ),
        invalid(
            "jax",
            """
import jax
import jax.numpy as jnp

def loss_fn(params, x, y):
    p = jax.nn.sigmoid(predict(params, x))
    return -jnp.mean(y * jnp.log(p) + (1 - y) * jnp.log(1 - p))
""",
        ),
        valid(
            "jax",
            """
import jax
import jax.numpy as jnp

def loss_fn(params, x, y):
    p = jax.nn.sigmoid(predict(params, x))
    return -jnp.mean(y * jnp.log(p + 1e-7) + (1 - y) * jnp.log(1 - p + 1e-7))
""",
        ),
    ),
)
