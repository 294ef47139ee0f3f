"""Softmax and sigmoid written out by hand (`exp(z) / exp(z).sum(1)`, `1 / (1 + exp(-z))`) emit
probabilities, as the library's functions do, in PyTorch, JAX and TensorFlow code."""

from __future__ import annotations

import ast
import textwrap

import pytest

from logitguard.core.facts import Emits
from logitguard.static.checker import check_source
from logitguard.static.engine.written_out import Spelling, written_out_activation


def findings(source: str) -> list[tuple[str, str]]:
    found = check_source(textwrap.dedent(source), "train.py")
    return [(finding.code, finding.message) for finding in found]


def codes(source: str) -> set[str]:
    return {code for code, _ in findings(source)}


# -- the pattern itself ---------------------------------------------------------------------

_BOUND = {
    "e": "np.exp(z)",
    "total": "e.sum(1, keepdims=True)",
    "shifted": "np.exp(z - z.max(1, keepdims=True))",
}


def _numpy_path(func: ast.expr) -> str | None:
    """`numpy.exp` for `np.exp`; None for anything else (a tensor's method)."""
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"numpy.{func.attr}" if func.value.id == "np" else None
    return None


def _read(expression: str) -> tuple[Emits, str, str | None] | None:
    bound = {name: ast.parse(value, mode="eval").body for name, value in _BOUND.items()}
    spelling = Spelling(
        exponentials=frozenset({"numpy.exp"}),
        sums=frozenset({"numpy.sum", "sum"}),
        path_of=_numpy_path,
        bound_to=lambda name: bound.get(name.id),
    )
    node = ast.parse(expression, mode="eval").body
    assert isinstance(node, ast.BinOp)
    found = written_out_activation(node, spelling)
    if found is None:
        return None
    axis = ast.unparse(found.axis) if found.axis is not None else None
    return found.emits, ast.unparse(found.scores), axis


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("np.exp(z) / np.exp(z).sum(1, keepdims=True)", (Emits.SOFTMAX, "z", "1")),
        ("np.exp(z) / np.sum(np.exp(z), axis=-1, keepdims=True)", (Emits.SOFTMAX, "z", "-1")),
        ("e / total", (Emits.SOFTMAX, "z", "1")),
        ("e / e.sum(1)[:, None]", (Emits.SOFTMAX, "z", "1")),
        ("e / np.sum(e)", (Emits.SOFTMAX, "z", None)),
        ("shifted / shifted.sum(1, keepdims=True)", (Emits.SOFTMAX, "z", "1")),
        ("z.exp() / z.exp().sum(dim=1, keepdim=True)", (Emits.SOFTMAX, "z", "1")),
        ("1 / (1 + np.exp(-z))", (Emits.SIGMOID, "z", None)),
        ("1.0 / (np.exp(-z) + 1.0)", (Emits.SIGMOID, "z", None)),
        ("e / (1 + e)", (Emits.SIGMOID, "z", None)),
    ],
)
def test_what_the_division_computes(expression: str, expected: tuple) -> None:
    assert _read(expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "np.exp(z) / np.exp(w).sum(1, keepdims=True)",  # another tensor's sum
        "z / z.sum(1, keepdims=True)",  # normalised, but no exponential: not a softmax
        "np.exp(z) / n",  # scaled
        "1 / (1 + np.exp(z))",  # sigmoid(-z): the scores are not z
        "1 / (2 + np.exp(-z))",
        "2 / (1 + np.exp(-z))",
        "np.exp(z) * total",
        "np.exp(z, out=buffer) / total",
    ],
)
def test_other_divisions_are_no_activation(expression: str) -> None:
    assert _read(expression) is None


# -- PyTorch --------------------------------------------------------------------------------

FROM_SCRATCH_SOFTMAX = """
import torch

def softmax(X):
    X_exp = {exponential}
    partition = {partition}
    return X_exp / partition

W = torch.normal(0, 0.01, size=(784, 10), requires_grad=True)
b = torch.zeros(10, requires_grad=True)

def net(X):
    return softmax(torch.matmul(X.reshape((-1, 784)), W) + b)

loss = torch.nn.CrossEntropyLoss()
for X, y in train_iter:
    l = loss(net(X), y)
    l.backward()
"""


@pytest.mark.parametrize(
    ("exponential", "partition"),
    [
        ("torch.exp(X)", "X_exp.sum(1, keepdim=True)"),
        ("X.exp()", "torch.sum(X_exp, dim=1, keepdim=True)"),
        ("torch.exp(X - X.max(dim=1, keepdim=True).values)", "X_exp.sum(-1).unsqueeze(-1)"),
    ],
)
def test_a_softmax_written_out_before_cross_entropy_loss(exponential: str, partition: str) -> None:
    found = findings(FROM_SCRATCH_SOFTMAX.format(exponential=exponential, partition=partition))
    assert [code for code, _ in found] == ["LG002"]
    assert "(a softmax written out) already emits softmax probabilities" in found[0][1]


SIGMOID_IN_FORWARD = """
import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 1)

    def forward(self, x):
        z = self.fc(x)
        return {ending}

net = Net()
criterion = nn.BCEWithLogitsLoss()
for x, y in loader:
    loss = criterion(net(x), y)
    loss.backward()
"""


@pytest.mark.parametrize(
    "ending", ["1 / (1 + torch.exp(-z))", "1.0 / (torch.exp(-z) + 1.0)", "z.exp() / (1 + z.exp())"]
)
def test_a_sigmoid_written_out_before_a_logits_loss(ending: str) -> None:
    found = findings(SIGMOID_IN_FORWARD.format(ending=ending))
    assert [code for code, _ in found] == ["LG002"]
    assert (
        f"Net (nn.Linear(8, 1) -> {ending} (a sigmoid written out)) already emits sigmoid"
        in (found[0][1])
    )


@pytest.mark.parametrize("ending", ["z", "1 / (1 + torch.exp(z - 1))", "z / (1 + z.abs())"])
def test_no_sigmoid_no_finding(ending: str) -> None:
    assert codes(SIGMOID_IN_FORWARD.format(ending=ending)) == set()


LOG_OF_WRITTEN_OUT_SOFTMAX = """
import torch
import torch.nn as nn

net = nn.Linear(8, 3)
for x, y in loader:
    z = net(x)
    p = torch.exp(z) / torch.exp(z).sum(1, keepdim=True)
    loss = -torch.log({probabilities}[range(len(y)), y]).mean()
    loss.backward()
"""


def test_the_log_of_a_softmax_written_out_is_unstable() -> None:
    found = findings(LOG_OF_WRITTEN_OUT_SOFTMAX.format(probabilities="p"))
    assert [code for code, _ in found] == ["LG011"]
    assert "(a softmax written out) -> torch.log(...) takes the log of a softmax" in found[0][1]


def test_the_log_of_a_clipped_softmax_written_out_is_not_reported() -> None:
    assert codes(LOG_OF_WRITTEN_OUT_SOFTMAX.format(probabilities="(p + 1e-9)")) == set()


def test_a_softmax_written_out_for_predictions_only_is_not_reported() -> None:
    source = """
    import torch
    import torch.nn as nn

    net = nn.Linear(8, 3)
    criterion = nn.CrossEntropyLoss()
    for x, y in loader:
        z = net(x)
        loss = criterion(z, y)
        loss.backward()
        p = torch.exp(z) / torch.exp(z).sum(1, keepdim=True)
        confidence = p.max(1).values
    """
    assert codes(source) == set()


# -- JAX ------------------------------------------------------------------------------------


def test_jax_a_stable_softmax_written_out_before_optax() -> None:
    source = """
    import jax.numpy as jnp
    import optax

    def forward(params, x):
        z = x @ params["w"] + params["b"]
        e = jnp.exp(z - jnp.max(z, axis=-1, keepdims=True))
        return e / jnp.sum(e, axis=-1, keepdims=True)

    def loss_fn(params, x, y):
        return optax.softmax_cross_entropy(forward(params, x), y).mean()
    """
    found = findings(source)
    assert [code for code, _ in found] == ["LG002"]
    assert "e / jnp.sum(e, axis=-1, keepdims=True) (a softmax written out)" in found[0][1]


# -- TensorFlow -----------------------------------------------------------------------------


TF1_SOFTMAX_WRITTEN_OUT = """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 784])
y_ = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.zeros([784, 10]))
b = tf.Variable(tf.zeros([10]))
logits = tf.matmul(x, W) + b
y = tf.exp(logits) / tf.reduce_sum(tf.exp(logits), axis=1, keepdims=True)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits={given}))
correct = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
"""


def test_tensorflow_a_softmax_written_out_before_softmax_cross_entropy_with_logits() -> None:
    found = findings(TF1_SOFTMAX_WRITTEN_OUT.format(given="y"))
    assert [code for code, _ in found] == ["LG002"]
    assert "but tf.matmul(x, W) + b -> tf.exp(logits) / tf.reduce_sum(" in found[0][1]
    assert "(a softmax written out) already emits softmax probabilities" in found[0][1]


def test_tensorflow_the_scores_given_to_the_loss_keep_it_silent() -> None:
    assert codes(TF1_SOFTMAX_WRITTEN_OUT.format(given="logits")) == set()


def test_tensorflow_a_sigmoid_written_out_in_a_tape_loop() -> None:
    source = """
    import tensorflow as tf
    model = tf.keras.Sequential([tf.keras.layers.Dense(10)])

    def step(x, y, optimizer):
        with tf.GradientTape() as tape:
            z = model(x)
            p = 1.0 / (1.0 + tf.exp(-z))
            loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=p))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    """
    found = findings(source)
    assert [code for code, _ in found] == ["LG002"]
    assert "Dense(10) -> 1.0 / (1.0 + tf.exp(-z)) (a sigmoid written out)" in found[0][1]
