"""'linear' as a layer of its own is the identity: the activation before it still decides.

`Activation("linear")`, `Activation(None)`, `Lambda(keras.activations.linear)` and
`keras.activations.linear(x)` after a softmax (mixed-precision guides add one to cast the
output to float32) leave softmax probabilities, not raw logits.
"""

from __future__ import annotations

import textwrap

import pytest

from logitguard.core.facts import Emits
from logitguard.static.checker import check_source
from logitguard.static.engine.module import ParsedModule
from logitguard.static.frameworks.keras.frontend import extract

IDENTITY_LAYERS = [
    "layers.Activation('linear', dtype='float32')",
    "layers.Activation(activation='linear')",
    "layers.Activation(None)",
    "layers.Activation(keras.activations.linear)",
    "layers.Lambda(keras.activations.linear)",
    "layers.Lambda(lambda t: keras.activations.linear(t))",
]


def heads(source: str) -> list:
    module = ParsedModule.parse(textwrap.dedent(source), "model.py")
    return [setup.head for setup in extract(module)]


def codes(source: str) -> set[str]:
    return {finding.code for finding in check_source(textwrap.dedent(source), "model.py")}


@pytest.mark.parametrize("identity", IDENTITY_LAYERS)
def test_identity_after_a_softmax_dense_keeps_probabilities(identity: str) -> None:
    source = f"""
        import keras
        from keras import layers
        net = keras.Sequential([layers.Dense(32, activation="relu"),
                                layers.Dense(7, activation="softmax"), {identity}])
        net.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        """
    (head,) = heads(source)
    assert head is not None
    assert (head.emits, head.units) == (Emits.SOFTMAX, 7)
    assert codes(source) == set()


@pytest.mark.parametrize("identity", IDENTITY_LAYERS)
def test_identity_after_a_softmax_layer_in_the_functional_api(identity: str) -> None:
    source = f"""
        import keras
        from keras import layers
        inputs = keras.Input((20,))
        scores = layers.Dense(5)(inputs)
        probs = layers.Softmax()(scores)
        outputs = {identity}(probs)
        net = keras.Model(inputs, outputs)
        net.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))
        """
    (head,) = heads(source)
    assert head is not None and head.emits is Emits.SOFTMAX and head.units == 5
    # Still a softmax: from_logits=True applies it a second time.
    assert codes(source) == {"LG002"}


def test_linear_function_on_a_tensor_is_the_identity() -> None:
    source = """
        import tensorflow as tf
        inputs = tf.keras.Input((8,))
        probs = tf.keras.layers.Dense(3, activation="sigmoid")(inputs)
        outputs = tf.keras.activations.linear(probs)
        net = tf.keras.Model(inputs, outputs)
        net.compile(loss="binary_crossentropy")
        """
    (head,) = heads(source)
    assert head is not None and head.emits is Emits.SIGMOID and head.units == 3


@pytest.mark.parametrize("identity", IDENTITY_LAYERS[:3])
def test_identity_after_a_plain_dense_still_leaves_logits(identity: str) -> None:
    source = f"""
        import keras
        from keras import layers
        net = keras.Sequential([layers.Dense(4), layers.Dropout(0.2), {identity}])
        net.compile(loss="categorical_crossentropy")
        """
    (head,) = heads(source)
    assert head is not None
    assert (head.emits, head.units, head.activation_location) == (Emits.LOGITS, 4, None)
    assert codes(source) == {"LG001"}


def test_runtime_inspection_passes_through_linear_layers() -> None:
    keras = pytest.importorskip("keras")
    from logitguard.runtime.keras_inspect import inspect_keras

    for identity in (
        keras.layers.Activation("linear"),
        keras.layers.Activation(None),
        keras.layers.Lambda(keras.activations.linear),
    ):
        model = keras.Sequential(
            [keras.Input((6,)), keras.layers.Dense(4, activation="softmax"), identity]
        )
        model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        report = inspect_keras(model)
        assert report.findings == [], identity
        assert report.setups[0].head.emits is Emits.SOFTMAX
