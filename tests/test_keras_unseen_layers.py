"""A model whose layers are all added where the checker cannot follow them is opaque, not a crash.

Met in the issue-9 survey: a subclassed model calling a `Sequential()` attribute filled by a
loop of `self.<name>.add(...)` made the Keras front end fail on the whole file.
"""

from __future__ import annotations

import textwrap

from logitguard.static.checker import check_source
from logitguard.static.engine.module import ParsedModule
from logitguard.static.frameworks.keras.frontend import extract

SOURCE = """
import keras

class Scorer(keras.Model):
    def __init__(self, widths):
        super().__init__()
        self.tower = keras.Sequential()
        for width in widths:
            self.tower.add(keras.layers.Dense(width, activation="relu"))

    def call(self, features):
        return self.tower(features)

scorer = Scorer([16, 1])
scorer.compile(loss="binary_crossentropy", metrics=["accuracy"])
"""


def test_a_sequential_filled_out_of_sight_is_an_unknown_head() -> None:
    setups = extract(ParsedModule.parse(textwrap.dedent(SOURCE), "scorer.py"))
    assert [setup.head for setup in setups if setup.loss is not None] == [None]


def test_the_file_is_checked_without_an_internal_error() -> None:
    assert check_source(textwrap.dedent(SOURCE), "scorer.py") == []
