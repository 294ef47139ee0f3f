"""A fit trains with the latest compile before it on the same model instance (issue 9, cause C).

The labels of a `fit` are checked against that compile only: not against a compile that comes
after the last fit, nor against one made inside a factory for models the factory did not
return, nor against one that a branch or a loop may or may not have run.
"""

from __future__ import annotations

import textwrap

from logitguard.core.facts import LabelFormat, LossFamily, TrainingSetup
from logitguard.static.checker import check_source
from logitguard.static.engine.module import ParsedModule
from logitguard.static.frameworks.keras.frontend import extract

PRELUDE = """
import keras
from keras import layers
from keras.utils import to_categorical

(x, digits), _ = keras.datasets.mnist.load_data()
one_hot = to_categorical(digits, 10)

def classifier():
    return keras.Sequential([layers.Flatten(), layers.Dense(10, activation="softmax")])
"""


def setups(source: str) -> list[TrainingSetup]:
    module = ParsedModule.parse(PRELUDE + textwrap.dedent(source), "train.py")
    return extract(module)


def findings(source: str) -> list[str]:
    found = check_source(PRELUDE + textwrap.dedent(source), "train.py")
    return sorted(finding.code for finding in found)


def pairs(source: str) -> list[tuple[LossFamily, LabelFormat | None]]:
    """(loss, format of the labels it is checked with) of every compile, in source order."""
    return [
        (setup.loss.family, setup.labels.format if setup.labels else None)
        for setup in setups(source)
        if setup.loss is not None
    ]


def test_a_compile_after_the_last_fit_gets_no_labels() -> None:
    source = """
        model = classifier()
        model.compile(loss="categorical_crossentropy")
        model.fit(x, one_hot)
        labels = digits
        model.compile(loss="sparse_categorical_crossentropy")
        """
    assert findings(source) == []
    assert [labels for _, labels in pairs(source)] == [LabelFormat.ONE_HOT, None]


def test_each_fit_gets_the_compile_before_it() -> None:
    source = """
        model = classifier()
        model.compile(loss="categorical_crossentropy")
        model.fit(x, one_hot)
        model.compile(loss="sparse_categorical_crossentropy")
        model.fit(x, digits)
        """
    assert findings(source) == []
    assert [labels for _, labels in pairs(source)] == [LabelFormat.ONE_HOT, LabelFormat.INTEGER]


def test_a_recompiled_set_up_is_still_checked_on_its_own() -> None:
    source = """
        model = classifier()
        model.compile(loss="sparse_categorical_crossentropy")
        model.fit(x, one_hot)
        model.compile(loss="categorical_crossentropy")
        model.fit(x, one_hot)
        """
    # The first fit has one-hot labels and a sparse loss; the second is right.
    assert findings(source) == ["LG007"]
    assert pairs(source) == [
        (LossFamily.SPARSE_CATEGORICAL, LabelFormat.ONE_HOT),
        (LossFamily.CATEGORICAL, LabelFormat.ONE_HOT),
    ]


def test_a_factory_compile_does_not_reach_models_built_by_another_caller() -> None:
    source = """
        def compiled_classifier():
            net = classifier()
            net.compile(loss="sparse_categorical_crossentropy")
            return net

        model = classifier()
        model.compile(loss="mse")
        model.fit(x, one_hot)

        other = compiled_classifier()
        other.fit(x, digits)
        """
    assert findings(source) == []
    assert pairs(source) == [(LossFamily.SPARSE_CATEGORICAL, LabelFormat.INTEGER)]


def test_a_factory_compile_applies_to_every_model_the_factory_returns() -> None:
    source = """
        def compiled_classifier():
            net = classifier()
            net.compile(loss="sparse_categorical_crossentropy")
            return net

        model = compiled_classifier()
        model.fit(x, one_hot)
        """
    assert findings(source) == ["LG007"]


def test_a_compile_in_the_caller_wins_over_the_factory_one() -> None:
    source = """
        def compiled_classifier():
            net = classifier()
            net.compile(loss="sparse_categorical_crossentropy")
            return net

        model = compiled_classifier()
        model.compile(loss="categorical_crossentropy")
        model.fit(x, one_hot)
        """
    assert findings(source) == []


def test_two_factories_with_the_same_local_name_keep_their_own_compiles() -> None:
    source = """
        def sparse_model():
            model = classifier()
            model.compile(loss="sparse_categorical_crossentropy")
            return model

        def one_hot_model():
            model = classifier()
            model.compile(loss="categorical_crossentropy")
            return model

        first = sparse_model()
        first.fit(x, digits)
        second = one_hot_model()
        second.fit(x, one_hot)
        """
    assert findings(source) == []
    assert [labels for _, labels in pairs(source)] == [LabelFormat.INTEGER, LabelFormat.ONE_HOT]


def test_a_compile_in_a_branch_the_fit_is_not_in_is_not_assumed() -> None:
    source = """
        import sys
        model = classifier()
        model.compile(loss="categorical_crossentropy")
        if "--sparse" in sys.argv:
            model.compile(loss="sparse_categorical_crossentropy")
        model.fit(x, one_hot)
        """
    assert findings(source) == []


def test_compile_and_fit_in_the_same_branch_are_paired() -> None:
    source = """
        import sys
        model = classifier()
        if "--sparse" in sys.argv:
            model.compile(loss="sparse_categorical_crossentropy")
            model.fit(x, one_hot)
        """
    assert findings(source) == ["LG007"]


def test_compile_and_fit_in_one_loop_body_are_paired() -> None:
    source = """
        for rate in (0.1, 0.01):
            model = classifier()
            model.compile(optimizer=keras.optimizers.SGD(rate), loss="categorical_crossentropy")
            model.fit(x, one_hot)
            model.compile(loss="sparse_categorical_crossentropy")
        """
    # The second compile is in force for no fit of this model (a new one each time round).
    assert findings(source) == []
    assert pairs(source) == [
        (LossFamily.CATEGORICAL, LabelFormat.ONE_HOT),
        (LossFamily.SPARSE_CATEGORICAL, None),
    ]


def test_a_compile_after_the_fit_in_a_loop_may_be_in_force_next_time_round() -> None:
    source = """
        model = classifier()
        model.compile(loss="sparse_categorical_crossentropy")
        for epoch in range(3):
            model.fit(x, digits)
            model.compile(loss="categorical_crossentropy")
        """
    assert findings(source) == []
    assert [labels for _, labels in pairs(source)] == [None, None]


def test_a_compile_in_a_function_called_somewhere_is_not_assumed() -> None:
    source = """
        model = classifier()

        def use_sparse_labels():
            model.compile(loss="sparse_categorical_crossentropy")

        model.compile(loss="categorical_crossentropy")
        model.fit(x, one_hot)
        """
    assert findings(source) == []


def test_a_fit_in_a_function_uses_the_compile_before_its_definition() -> None:
    source = """
        model = classifier()
        model.compile(loss="sparse_categorical_crossentropy")

        def train():
            model.fit(x, one_hot)
        """
    assert findings(source) == ["LG007"]


def test_a_model_compiled_out_of_sight_keeps_its_labels_for_the_head() -> None:
    source = """
        import keras
        model = keras.Sequential([layers.Dense(3, activation="softmax")])
        model.fit(x, digits)
        """
    (setup,) = [setup for setup in setups(source) if setup.head and setup.head.units == 3]
    assert setup.loss is None and setup.labels is not None
    assert setup.labels.num_classes == 10
    assert findings(source) == ["LG008"]
