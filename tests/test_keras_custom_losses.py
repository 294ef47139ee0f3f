"""A Keras loss function of the project: judged by the Keras loss it computes on the
outputs Keras hands it, as they are, never on outputs it activates itself first."""

from __future__ import annotations

import textwrap

import pytest

from logitguard.static.checker import check_source

PRELUDE = """\
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import backend as K

"""
# A model whose head is `{head}`, compiled with the loss `{loss}`.
COMPILED = """
model = keras.Sequential([keras.layers.Dense(16, activation="relu"), {head}])
model.compile(optimizer="adam", loss={loss})
"""
LOGITS = "keras.layers.Dense(1)"
SIGMOID = 'keras.layers.Dense(1, activation="sigmoid")'


def findings(loss_code: str, head: str, loss: str = "weighted_bce") -> list[tuple[str, int]]:
    source = PRELUDE + textwrap.dedent(loss_code) + COMPILED.format(head=head, loss=loss)
    return [(found.code, found.location.line) for found in check_source(source, "train.py")]


@pytest.mark.parametrize(
    ("body", "head", "expected"),
    [
        # The cross-entropy kept in a name, then weighted: it still reads the raw outputs.
        (
            "bce = K.binary_crossentropy(y_true, y_pred)\n    return K.mean(bce * 2.0)",
            LOGITS,
            [("LG001", 6)],
        ),
        (
            "bce = K.binary_crossentropy(y_true, y_pred)\n    return K.mean(bce * 2.0)",
            SIGMOID,
            [],
        ),
        (
            "y_pred = K.clip(y_pred, 1e-7, 1 - 1e-7)\n"
            "    return keras.losses.binary_crossentropy(y_true, y_pred)",
            LOGITS,
            [("LG001", 7)],
        ),
        (
            "bce = keras.losses.binary_crossentropy(y_true, y_pred, from_logits=True)\n"
            "    return tf.reduce_mean(bce)",
            SIGMOID,
            [("LG002", 6)],
        ),
        # The function applies the sigmoid itself: what Keras hands it are logits, rightly.
        (
            "return keras.losses.binary_crossentropy(y_true, tf.sigmoid(y_pred))",
            LOGITS,
            [],
        ),
        (
            "y_pred = tf.nn.sigmoid(y_pred)\n"
            "    return keras.losses.binary_crossentropy(y_true, y_pred)",
            LOGITS,
            [],
        ),
        (
            "p = tf.sigmoid(y_pred)\n    bce = K.binary_crossentropy(y_true, p)\n"
            "    return K.mean(bce)",
            LOGITS,
            [],
        ),
        # Two cross-entropies of the outputs, told apart by a flag: which one runs is unknown.
        (
            "if smooth:\n"
            "        return keras.losses.binary_crossentropy(y_true, y_pred, from_logits=True)\n"
            "    return keras.losses.binary_crossentropy(y_true, y_pred)",
            LOGITS,
            [],
        ),
    ],
    ids=[
        "kept-in-a-name-on-logits",
        "kept-in-a-name-on-sigmoid",
        "clipped-first",
        "from-logits-on-sigmoid",
        "sigmoid-inside-the-call",
        "sigmoid-rebinding-the-parameter",
        "sigmoid-into-another-name",
        "two-by-a-flag",
    ],
)
def test_a_loss_function_is_read_on_the_outputs_keras_hands_it(
    body: str, head: str, expected: list[tuple[str, int]]
) -> None:
    loss_code = f"def weighted_bce(y_true, y_pred):\n    {body}\n"
    assert findings(loss_code, head) == expected


@pytest.mark.parametrize(
    ("lambda_", "expected"),
    [
        ("lambda y, p: keras.losses.binary_crossentropy(y, p)", [("LG001", 7)]),
        ("lambda y, p: keras.losses.binary_crossentropy(y, tf.sigmoid(p))", []),
    ],
)
def test_a_lambda_is_read_on_the_outputs_keras_hands_it(
    lambda_: str, expected: list[tuple[str, int]]
) -> None:
    assert findings("", LOGITS, lambda_) == expected


def test_a_loss_factory_closure_weighting_the_cross_entropy() -> None:
    loss_code = """
    def weighted(pos_weight):
        def loss(y_true, y_pred):
            bce = K.binary_crossentropy(y_true, y_pred)
            return K.mean(bce * (1 + (pos_weight - 1) * y_true))
        return loss
    """
    assert findings(loss_code, LOGITS, "weighted(3.0)") == [("LG001", 8)]


def test_a_loss_function_called_in_a_tape_loop_that_activates_the_outputs() -> None:
    source = PRELUDE + textwrap.dedent(
        """
        def bce_of_scores(y_true, y_pred):
            return keras.losses.binary_crossentropy(y_true, tf.sigmoid(y_pred))

        model = keras.Sequential([keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
        for x, y in data:
            with tf.GradientTape() as tape:
                loss = bce_of_scores(y, model(x))
        """
    )
    assert check_source(source, "train.py") == []
