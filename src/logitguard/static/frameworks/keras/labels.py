"""Labels given to `fit()` / `evaluate()`, as far as the file shows them.

`fit(x, y)`'s y, or the labels inside a data set passed as x (tf.data, tfds), followed back to
where they are made by `engine.labels.LabelFlow`: data set loaders, one-hot encodings, encoders,
literals, arithmetic.
"""

from __future__ import annotations

import ast

from logitguard.core.facts import Labels
from logitguard.static.engine.ast_tools import argument, keyword
from logitguard.static.engine.labels import LabelFlow, Pairs
from logitguard.static.frameworks.keras.context import KerasContext

FIT_METHODS = frozenset({"fit", "evaluate", "train_on_batch", "test_on_batch"})
# Keras 2's methods taking batches of (x, y) from a generator, first: no `y` beside it.
GENERATOR_METHODS = frozenset({"fit_generator", "evaluate_generator"})
# What trains or scores a compiled model with its own compile.
TRAINING_METHODS = FIT_METHODS | GENERATOR_METHODS


def trained_name(call: ast.Call) -> str | None:
    """`model` of `model.fit(...)` (or another of the training methods)."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in TRAINING_METHODS:
        return func.value.id if isinstance(func.value, ast.Name) else None
    return None


class LabelReader:
    def __init__(self, ctx: KerasContext) -> None:
        self.flow = LabelFlow(ctx)

    def of_fit(self, call: ast.Call, at: ast.stmt) -> Labels | None:
        """The labels of `model.fit(x, y)` / `fit(x=..., y=...)` / `fit(dataset)` /
        `fit_generator(batches)`."""
        if isinstance(call.func, ast.Attribute) and call.func.attr in GENERATOR_METHODS:
            inputs = argument(call, 0, "generator")
        else:
            labels = argument(call, 1, "y")
            if labels is not None:
                return self.flow.labels(labels, at)
            inputs = argument(call, 0, "x")
        if inputs is not None and isinstance(self.flow.value(inputs, at), Pairs):
            return self.flow.labels(inputs, at)
        return None

    def of_loss_call(self, call: ast.Call, at: ast.stmt) -> Labels | None:
        """The targets a Keras loss is called on: `loss_fn(y, model(x))`, `y_true=`, or the
        backend's `target=`."""
        return self.of(argument(call, 0, "y_true") or keyword(call, "target"), at)

    def of(self, target: ast.expr | None, at: ast.stmt) -> Labels | None:
        """The labels `target` holds: what a TensorFlow loss op is given as `labels=`."""
        return self.flow.labels(target, at) if target is not None else None
