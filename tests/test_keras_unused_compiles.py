"""A compile that no fit reads names a stand-in loss: a GAN's generator compiled before it is
stacked, a model compiled to load weights and predict. Old Keras wanted every model compiled;
a mismatch there trains nothing, so it is not reported."""

from __future__ import annotations

import textwrap

import pytest

from logitguard.static.checker import check_source

PRELUDE = """\
from keras.models import Sequential
from keras.layers import Dense

def generator():
    return Sequential([Dense(64, activation="relu"), Dense(784, activation="tanh")])

def discriminator():
    return Sequential([Dense(64, activation="relu"), Dense(1, activation="sigmoid")])

"""


def codes(body: str) -> list[str]:
    source = PRELUDE + textwrap.dedent(body)
    return sorted(found.code for found in check_source(source, "gan.py"))


@pytest.mark.parametrize(
    "body",
    [
        # Stacked under the discriminator, the generator trains through the stack only.
        """
        def train(x, y, noise, ones):
            d = discriminator()
            g = generator()
            stacked = Sequential([g, d])
            g.compile(loss="binary_crossentropy", optimizer="sgd")
            stacked.compile(loss="binary_crossentropy", optimizer="sgd")
            d.compile(loss="binary_crossentropy", optimizer="sgd")
            for _ in range(10):
                d.train_on_batch(x, y)
                stacked.train_on_batch(noise, ones)
        """,
        # Compiled to load weights and predict.
        """
        def generate(noise):
            g = generator()
            g.compile(loss="binary_crossentropy", optimizer="sgd")
            g.load_weights("generator.h5")
            return g.predict(noise)
        """,
        # A script that trains another model, never this one.
        """
        g = generator()
        g.compile(loss="binary_crossentropy", optimizer="sgd")
        d = discriminator()
        d.compile(loss="binary_crossentropy", optimizer="sgd")
        d.fit(x, y)
        images = g.predict(noise)
        """,
        # Handed to a callback that logs it.
        """
        def train(x, y, noise, ones, board):
            d = discriminator()
            g = generator()
            stacked = Sequential([g, d])
            g.compile(loss="binary_crossentropy", optimizer="sgd")
            board.set_model(g)
            stacked.compile(loss="binary_crossentropy", optimizer="sgd")
            stacked.train_on_batch(noise, ones)
        """,
    ],
    ids=["stacked-generator", "predict-only", "script-training-another-model", "logged"],
)
def test_a_compile_no_fit_reads_is_not_judged(body: str) -> None:
    assert codes(body) == []


@pytest.mark.parametrize(
    "body",
    [
        # Trained with it.
        """
        def train(x, y):
            g = generator()
            g.compile(loss="binary_crossentropy", optimizer="sgd")
            g.fit(x, y)
        """,
        # Returned, handed on or kept after the compile: trained elsewhere, perhaps.
        """
        def build():
            g = generator()
            g.compile(loss="binary_crossentropy", optimizer="sgd")
            return g
        """,
        """
        def main(x, y):
            g = generator()
            g.compile(loss="binary_crossentropy", optimizer="sgd")
            fit_for_a_while(g, x, y)
        """,
        """
        def main(models):
            g = generator()
            g.compile(loss="binary_crossentropy", optimizer="sgd")
            models.append(g)
        """,
        # A snippet that stops at compile: judged as it stands.
        """
        g = generator()
        g.compile(loss="binary_crossentropy", optimizer="sgd")
        """,
    ],
    ids=["fitted", "returned", "handed-on", "kept-in-a-list", "a-snippet"],
)
def test_a_compile_a_fit_may_read_is_judged(body: str) -> None:
    assert codes(body) == ["LG016"]


# A model with a sigmoid head compiled with `from_logits=True`, fit on `{x}`.
FITTED = """\
import numpy as np
import keras

def test_logging_callback():
    model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
    model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True), optimizer="sgd")
    x = {x}
    model.fit(x, np.ones((4, 1)), epochs=1)
"""


@pytest.mark.parametrize(
    ("path", "x", "expected"),
    [
        # A test of the plumbing: whatever the loss, nothing real is trained.
        ("tests/callbacks/test_logger.py", "np.ones((4, 8))", []),
        ("src/callbacks/logger_test.py", "np.random.rand(4, 8)", []),
        ("tests/test_logger.py", "np.array([[1, 2, 3, 4, 5, 6, 7, 8]])", []),
        ("tests/test_logger.py", '{"text": np.array([["a b"], ["c d"]]), "n": np.ones(2)}', []),
        ("tests/test_logger.py", '{"text": np.array([["a b"]]), "n": features}', ["LG002"]),
        ("tests/test_logger.py", '[np.array(["a b", "c d"]), np.zeros((2, 3))]', []),
        ("tests/test_logger.py", "[np.array(['a b', 'c d']), features]", ["LG002"]),
        # Real data, or a file that is no test (a question's snippet fitting random numbers).
        ("tests/test_logger.py", "load_features('train.csv')", ["LG002"]),
        ("train.py", "np.random.rand(4, 8)", ["LG002"]),
    ],
)
def test_a_test_file_fitting_made_up_data_trains_nothing_real(
    path: str, x: str, expected: list[str]
) -> None:
    found = check_source(FITTED.format(x=x), path)
    assert [finding.code for finding in found] == expected


def test_a_test_file_fitting_made_up_data_unpacked_from_a_tuple() -> None:
    source = FITTED.format(x="None").replace(
        "    x = None\n", "    x, y = np.ones((4, 8)), np.zeros((4, 1))\n"
    )
    assert check_source(source, "tests/test_logger.py") == []
    assert [found.code for found in check_source(source, "logger.py")] == ["LG002"]


# A GAN class whose methods build its models; the generator compiled with a stand-in loss.
GAN_CLASS = """\
from keras.layers import Dense, Input
from keras.models import Model, Sequential


class GAN:
    def __init__(self):
        self.discriminator = self.build_discriminator()
        self.discriminator.compile(loss="binary_crossentropy", optimizer="adam")
        self.generator = self.build_generator()
        self.generator.compile(loss="binary_crossentropy", optimizer="adam")
        z = Input(shape=(100,))
        self.discriminator.trainable = False
        self.combined = Model(z, self.discriminator(self.generator(z)))
        self.combined.compile(loss="binary_crossentropy", optimizer="adam")

    def build_generator(self):
        return Sequential([Dense(256, activation="relu"), Dense(784, activation="tanh")])

    def build_discriminator(self):
        return Sequential([Dense(256, activation="relu"), Dense(1, activation="sigmoid")])

    def train(self, x, noise, ones, zeros):
        fakes = self.generator.predict(noise)
        self.discriminator.train_on_batch(x, ones)
        self.discriminator.train_on_batch(fakes, zeros)
        self.combined.train_on_batch(noise, ones){more}
"""


@pytest.mark.parametrize(
    ("more", "expected"),
    [("", []), ("\n        self.generator.fit(noise, x)", ["LG016"])],
    ids=["generator-trained-through-the-stack", "generator-fitted-itself"],
)
def test_a_gan_class_generator_compiled_with_a_stand_in_loss(
    more: str, expected: list[str]
) -> None:
    found = check_source(GAN_CLASS.format(more=more), "gan.py")
    assert [finding.code for finding in found] == expected


@pytest.mark.parametrize(
    ("replaced", "replacement"),
    [
        # Added to the stack by `add`, not applied to an `Input`.
        (
            "        z = Input(shape=(100,))\n"
            "        self.discriminator.trainable = False\n"
            "        self.combined = Model(z, self.discriminator(self.generator(z)))\n",
            "        self.combined = Sequential()\n"
            "        self.combined.add(self.generator)\n"
            "        self.combined.add(self.discriminator)\n"
            "        self.discriminator.trainable = False\n",
        ),
        # Loaded on one path, built and compiled on the other: applied to an `Input` after
        # both, it is trained through the stack only.
        (
            "        self.generator = self.build_generator()\n"
            '        self.generator.compile(loss="binary_crossentropy", optimizer="adam")\n',
            "        if saved:\n"
            '            self.generator = load_model("generator.h5")\n'
            "        else:\n"
            "            self.generator = self.build_generator()\n"
            '            self.generator.compile(loss="binary_crossentropy", optimizer="adam")\n',
        ),
    ],
    ids=["added-to-the-stack-by-add", "loaded-or-built-and-compiled"],
)
def test_a_gan_class_generator_trained_through_the_stack_only(
    replaced: str, replacement: str
) -> None:
    source = GAN_CLASS.format(more="")
    assert replaced in source
    assert check_source(source.replace(replaced, replacement), "gan.py") == []


def test_a_test_files_regression_fit_on_random_integers_has_no_classes() -> None:
    """Its compile set aside, the fit's random integers are still no class labels."""
    source = """\
import numpy as np
import keras

def test_layer_builds():
    model = keras.Sequential([keras.layers.Dense(8), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(loss="mse", optimizer="sgd")
    x = np.random.rand(10, 4)
    model.fit(x, np.random.randint(1000, size=(10, 1)), epochs=1)
"""
    assert check_source(source, "tests/test_layers.py") == []
    assert check_source(source, "layers.py") == []
