"""Predictions misread as probabilities, as far as the file shows them.

A prediction is an output of `model.predict(x)`, `model(x)` or `model.predict_on_batch(x)`,
possibly indexed, squeezed or stored in a variable first. It is misread when it is rounded,
compared with 0.5, or sampled from as if it were a probability distribution.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator

from logitguard.core.facts import PROBABILITY_THRESHOLD, Prediction, PredictionMisuse
from logitguard.knowledge.label_functions import ARGMAX
from logitguard.knowledge.probability_metrics import PROBABILITY_METRICS, probabilities_given
from logitguard.static.engine.ast_tools import (
    ORDERING_FUNCTIONS,
    argument,
    called_name,
    cut_at,
    cut_by_function,
    keyword,
    reduced_over,
    rounds_to_decimals,
)
from logitguard.static.engine.context import MAX_DEPTH
from logitguard.static.engine.tensor_uses import Misuse
from logitguard.static.frameworks.keras.context import KerasContext

_ROUNDING_FUNCTIONS = frozenset(
    {"numpy.round", "numpy.around", "numpy.rint", "numpy.round_", "tensorflow.round"}
    | {"keras.ops.round"}
)
_SAMPLING_FUNCTIONS = {"numpy.random.choice": (None, "p"), "numpy.random.multinomial": (1, "pvals")}
_MISUSING_NAMES = (
    frozenset({"round", "around", "rint", "round_", "choice", "multinomial"})
    | ORDERING_FUNCTIONS
    | {path.rsplit(".", 1)[-1] for path in PROBABILITY_METRICS}
)
# Keras 2's `predict_proba` returned what `predict` does: the outputs, one column per unit.
PREDICT_METHODS = frozenset({"predict", "predict_proba", "predict_on_batch", "__call__"})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# Operations on a model's output that keep its values: logits stay logits.
_OUTPUT_KEEPING_METHODS = frozenset({"numpy", "ravel", "flatten", "squeeze", "reshape", "copy"})
_OUTPUT_KEEPING_FUNCTIONS = frozenset(
    {
        "numpy.squeeze",
        "numpy.ravel",
        "numpy.array",
        "numpy.asarray",
        "tensorflow.squeeze",
        "tensorflow.reshape",
        "tensorflow.identity",
        "tensorflow.cast",
        "keras.ops.reshape",
        "numpy.reshape",
        "keras.ops.squeeze",
        "keras.ops.convert_to_numpy",
    }
)

# Which model an expression is: a ModelDef, or a stable key for an unknown one; None if unclear.
ReceiverKey = Callable[[ast.AST, ast.stmt], object | None]


class PredictionReader:
    def __init__(self, ctx: KerasContext, receiver_key: ReceiverKey) -> None:
        self.ctx = ctx
        self.receiver_key = receiver_key

    def predictions(self, misuses: Iterable[Misuse]) -> Iterator[tuple[object, Prediction]]:
        """(model key, misuse) for each of `misuses` that reads a model's raw output."""
        for found in misuses:
            output = self._output_of(found.operand, found.at, 0)
            if output is None:
                continue
            key, via = output
            display = self.ctx.text(found.node) + (f" (with {via})" if via else "")
            yield key, Prediction(found.misuse, display, self.ctx.location(found.node))

    def misuses(self) -> Iterator[Misuse]:
        """Every tensor rounded, cut at 0.5 or sampled as probabilities, whatever made it."""
        calls = self.ctx.index.calls_named(_MISUSING_NAMES.__contains__)
        candidates = [(node, at, self._call_misuse(node, at)) for node, at in calls]
        candidates += [
            (node, at, self._comparison(node, at)) for node, at in self.ctx.index.comparisons
        ]
        for node, at, found in candidates:
            if found is not None:
                yield Misuse(found[0], node, found[1], at)  # type: ignore[arg-type]
        yield from self._returned_as_probabilities()

    def _returned_as_probabilities(self) -> Iterator[Misuse]:
        """What a `predict_proba` returns: scikit-learn's name for the probabilities of the
        classes (a wrapper returning `self.model.predict(x)` of a logits model misnames them)."""
        module = self.ctx.module
        if "def predict_proba" not in module.source:
            return
        for node in ast.walk(module.tree):
            if isinstance(node, _FUNCTIONS) and node.name == "predict_proba":
                for returned in self.ctx.index.returns(node):
                    if returned.value is not None:
                        misuse = PredictionMisuse.RETURNED_AS_PROBABILITIES
                        yield Misuse(misuse, returned.value, returned.value, returned)

    def argmaxes(self) -> Iterator[tuple[Misuse, int]]:
        """Every argmax over axis 1 or -1 (`np.argmax(p, axis=1)`, `tf.argmax(p, 1)`,
        `p.argmax(axis=-1)`), with that axis: over one unit, always 0."""
        for call, at in self.ctx.index.calls_named("argmax".__eq__):
            path = self.ctx.qualified(call.func, at)
            reduced = reduced_over(call, path is not None, ("axis",))
            if (path is not None and path not in ARGMAX) or reduced is None:
                continue
            operand, given = reduced
            axis = self.ctx.literal(given, at) if given is not None else None
            if axis in (1, -1):
                found = Misuse(PredictionMisuse.ARGMAX_OVER_ONE_UNIT, call, operand, at)
                yield found, -1 if axis == -1 else 1

    def kept_values(self, call: ast.Call, at: ast.stmt) -> ast.expr | None:
        """The tensor whose values `call` returns unchanged: `out` in `np.squeeze(out)`."""
        func = call.func
        path = self.ctx.qualified(func, at)
        if path in _OUTPUT_KEEPING_FUNCTIONS:
            return call.args[0] if call.args else None
        if path is None and isinstance(func, ast.Attribute):
            return func.value if func.attr in _OUTPUT_KEEPING_METHODS else None
        return None

    def _call_misuse(self, call: ast.Call, at: ast.stmt) -> tuple[PredictionMisuse, ast.AST] | None:
        if called_name(call) not in _MISUSING_NAMES:
            return None
        func = call.func
        path = self.ctx.qualified(func, at)
        cut = cut_by_function(
            call, path, lambda value: self.ctx.literal(value, at), PROBABILITY_THRESHOLD
        )
        if cut is not None:
            return PredictionMisuse.THRESHOLDED, cut  # `tf.greater(p, 0.5)`
        if path in _ROUNDING_FUNCTIONS or self._is_builtin_round(func, at):
            if not call.args or rounds_to_decimals(call):
                return None
            return PredictionMisuse.ROUNDED, call.args[0]
        if path is None and isinstance(func, ast.Attribute) and func.attr == "round":
            return None if rounds_to_decimals(call, 0) else (PredictionMisuse.ROUNDED, func.value)
        scored = probabilities_given(call, path)
        if scored is not None:  # `log_loss(y, model.predict(x))`
            return PredictionMisuse.SCORED, scored
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
        cut = cut_at(compare, lambda value: self.ctx.literal(value, at), PROBABILITY_THRESHOLD)
        return (PredictionMisuse.THRESHOLDED, cut) if cut is not None else None

    def output_of(self, expr: ast.AST, at: ast.stmt) -> tuple[object, str | None] | None:
        """The model whose raw output `expr` is, and the assignment it went through."""
        return self._output_of(expr, at, 0)

    def seen_through(self, expr: ast.AST, at: ast.stmt) -> ast.AST | None:
        """What indexing or a value-keeping call reads: `out` in `out[0]`, `np.squeeze(out)`."""
        if isinstance(expr, ast.Subscript):
            return expr.value
        return self.kept_values(expr, at) if isinstance(expr, ast.Call) else None

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
        kept = self.kept_values(call, at)
        if kept is not None:
            return self._output_of(kept, at, depth + 1)
        func = call.func
        if self.ctx.qualified(func, at) is not None:
            return None
        receiver = (
            func.value if isinstance(func, ast.Attribute) and func.attr in PREDICT_METHODS else func
        )
        if receiver is func and not isinstance(func, ast.Name):
            return None
        key = self.receiver_key(receiver, at)
        return None if key is None else (key, None)
