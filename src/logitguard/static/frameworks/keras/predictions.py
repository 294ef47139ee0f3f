"""Predictions misread as probabilities, as far as the file shows them.

A prediction is an output of `model.predict(x)`, `model(x)` or `model.predict_on_batch(x)`,
possibly indexed, squeezed or stored in a variable first. It is misread when it is rounded,
compared with 0.5, or sampled from as if it were a probability distribution.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from logitguard.core.facts import Prediction, PredictionMisuse
from logitguard.static.engine.ast_tools import argument, keyword
from logitguard.static.engine.context import MAX_DEPTH
from logitguard.static.frameworks.keras.context import KerasContext, called_name

_ROUNDING_FUNCTIONS = frozenset(
    {"numpy.round", "numpy.around", "numpy.rint", "numpy.round_", "tensorflow.round"}
    | {"keras.ops.round"}
)
_SAMPLING_FUNCTIONS = {"numpy.random.choice": (None, "p"), "numpy.random.multinomial": (1, "pvals")}
_MISUSING_NAMES = frozenset({"round", "around", "rint", "round_", "choice", "multinomial"})
PREDICT_METHODS = frozenset({"predict", "predict_on_batch", "__call__"})
# Operations on a model's output that keep its values: logits stay logits.
_OUTPUT_KEEPING_METHODS = frozenset({"numpy", "ravel", "flatten", "squeeze", "reshape", "copy"})
_OUTPUT_KEEPING_FUNCTIONS = frozenset(
    {
        "numpy.squeeze",
        "numpy.ravel",
        "numpy.array",
        "numpy.asarray",
        "tensorflow.squeeze",
        "keras.ops.squeeze",
        "keras.ops.convert_to_numpy",
    }
)
PROBABILITY_THRESHOLD = 0.5

# Which model an expression is: a ModelDef, or a stable key for an unknown one; None if unclear.
ReceiverKey = Callable[[ast.AST, ast.stmt], object | None]


class PredictionReader:
    def __init__(self, ctx: KerasContext, receiver_key: ReceiverKey) -> None:
        self.ctx = ctx
        self.receiver_key = receiver_key

    def predictions(self) -> Iterator[tuple[object, Prediction]]:
        """(model key, misuse) for each model output rounded, cut at 0.5 or sampled."""
        calls = self.ctx.index.calls_named(_MISUSING_NAMES.__contains__)
        candidates = [(node, at, self._call_misuse(node, at)) for node, at in calls]
        candidates += [
            (node, at, self._comparison(node, at)) for node, at in self.ctx.index.comparisons
        ]
        for node, at, found in candidates:
            if found is None:
                continue
            misuse, operand = found
            output = self._output_of(operand, at, 0)
            if output is None:
                continue
            key, via = output
            display = self.ctx.text(node) + (f" (with {via})" if via else "")
            yield key, Prediction(misuse, display, self.ctx.location(node))

    def _call_misuse(self, call: ast.Call, at: ast.stmt) -> tuple[PredictionMisuse, ast.AST] | None:
        if called_name(call) not in _MISUSING_NAMES:
            return None
        func = call.func
        path = self.ctx.qualified(func, at)
        if path in _ROUNDING_FUNCTIONS or self._is_builtin_round(func, at):
            return (PredictionMisuse.ROUNDED, call.args[0]) if call.args else None
        if path is None and isinstance(func, ast.Attribute) and func.attr == "round":
            return PredictionMisuse.ROUNDED, func.value
        method = func.attr if path is None and isinstance(func, ast.Attribute) else None
        sampler = _SAMPLING_FUNCTIONS.get(path or f"numpy.random.{method}")
        if sampler is None:
            return None
        position, name = sampler
        probabilities = keyword(call, name) if position is None else argument(call, position, name)
        return None if probabilities is None else (PredictionMisuse.SAMPLED, probabilities)

    def _is_builtin_round(self, func: ast.AST, at: ast.stmt) -> bool:
        if not isinstance(func, ast.Name) or func.id != "round":
            return False
        return (
            func.id not in self.ctx.resolver.aliases and self.ctx.index.lookup("round", at) is None
        )

    def _comparison(
        self, compare: ast.Compare, at: ast.stmt
    ) -> tuple[PredictionMisuse, ast.AST] | None:
        if len(compare.ops) != 1 or not isinstance(
            compare.ops[0], ast.Gt | ast.GtE | ast.Lt | ast.LtE
        ):
            return None
        left, right = compare.left, compare.comparators[0]
        for value, other in ((right, left), (left, right)):
            threshold = self.ctx.literal(value, at)
            if isinstance(threshold, float) and threshold == PROBABILITY_THRESHOLD:
                return PredictionMisuse.THRESHOLDED, other
        return None

    def _output_of(
        self, expr: ast.AST, at: ast.stmt, depth: int
    ) -> tuple[object, str | None] | None:
        """The model whose raw output `expr` is, and the assignment it went through."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, ast.Subscript):
            return self._output_of(expr.value, at, depth + 1)
        if isinstance(expr, ast.Name) and expr.id not in self.ctx.resolver.aliases:
            binding = self.ctx.value_binding(expr.id, at)
            if binding is None or not isinstance(binding.value, ast.expr):
                return None
            found = self._output_of(binding.value, binding.statement, depth + 1)
            if found is None:
                return None
            return found[0], found[1] or f"{expr.id} = {self.ctx.text(binding.value)}"
        if isinstance(expr, ast.Call):
            return self._called_output(expr, at, depth)
        return None

    def _called_output(
        self, call: ast.Call, at: ast.stmt, depth: int
    ) -> tuple[object, str | None] | None:
        func = call.func
        path = self.ctx.qualified(func, at)
        if path in _OUTPUT_KEEPING_FUNCTIONS and call.args:
            return self._output_of(call.args[0], at, depth + 1)
        if path is not None:
            return None
        if isinstance(func, ast.Attribute) and func.attr in _OUTPUT_KEEPING_METHODS:
            return self._output_of(func.value, at, depth + 1)
        receiver = (
            func.value if isinstance(func, ast.Attribute) and func.attr in PREDICT_METHODS else func
        )
        if receiver is func and not isinstance(func, ast.Name):
            return None
        key = self.receiver_key(receiver, at)
        return None if key is None else (key, None)
