"""`model.compile(loss=..., metrics=...)`: which loss, what it expects, which metrics.

Losses are strings, loss classes (`from_logits=`), loss functions, or helper functions and
lambdas that call one, possibly stored in a variable first. Anything else (a config value, a
custom loss) gives no loss at all: the rules then stay silent. 'accuracy' is kept unresolved
until the head, loss and labels of the model are known.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, replace

from logitguard.core.facts import Edit, LabelFormat, LossFamily, LossUse, MetricKind, MetricUse
from logitguard.knowledge import keras as knowledge
from logitguard.knowledge import regression_losses
from logitguard.static.engine.ast_tools import (
    argument,
    keyword,
    passed_arguments,
    unpacks_arguments,
)
from logitguard.static.engine.context import MAX_DEPTH
from logitguard.static.frameworks.keras.context import KerasContext
from logitguard.static.frameworks.keras.models import bound_arguments, finder_of

_LOSS_NAMESPACES = ("keras.losses.", "tensorflow.losses.", "keras.backend.", "keras.ops.")
_METRIC_NAMESPACES = ("keras.metrics.", "tensorflow.metrics.")
# TensorFlow's losses on logits that take (labels, logits) by position, as Keras hands a
# compiled loss (y_true, y_pred): the Keras loss each computes, with from_logits=True.
_TF_NN_LOGITS_LOSSES = {
    "tensorflow.nn.softmax_cross_entropy_with_logits": "categorical_crossentropy",
    "tensorflow.nn.sparse_softmax_cross_entropy_with_logits": "sparse_categorical_crossentropy",
    "tensorflow.nn.sigmoid_cross_entropy_with_logits": "binary_crossentropy",
}
# Where each loss class takes from_logits positionally (Keras 2 and 3 agree).
_FROM_LOGITS_POSITION = {
    "BinaryCrossentropy": 0,
    "CategoricalCrossentropy": 0,
    "SparseCategoricalCrossentropy": 0,
    "BinaryFocalCrossentropy": 3,
    "CategoricalFocalCrossentropy": 2,
}
_THRESHOLDING = (MetricKind.BINARY_ACCURACY, MetricKind.THRESHOLDED)
_LOSS_FUNCTION_FROM_LOGITS_POSITION = 2  # binary_crossentropy(y_true, y_pred, from_logits)


@dataclass(frozen=True)
class MetricSpec:
    """One metric as written; `kind` None for 'accuracy', which Keras resolves later."""

    node: ast.AST
    display: str
    kind: MetricKind | None
    threshold: float | None = None
    from_logits: bool | None = None
    # The rewrite that makes the metric right for a logits output.
    logits_edit: Edit | None = None


@dataclass(frozen=True)
class CompileFacts:
    call: ast.Call
    at: ast.stmt
    loss: LossUse | None
    metrics: tuple[MetricSpec, ...]
    # A loss was given but is not a known cross-entropy (mse, hinge, custom, from a config).
    other_loss: bool = False
    # That loss, as written, when it is a known regression loss (mse, mae, mape, huber...).
    regression_loss: str | None = None
    # Of a model with several outputs, the cross-entropies among its losses: by output name
    # (`loss={"churn": "binary_crossentropy", "age": "mae"}`, also one output's alone) or by
    # position (a list).
    output_losses: tuple[tuple[str | int, LossUse], ...] = ()


class CompileReader:
    def __init__(self, ctx: KerasContext) -> None:
        self.ctx = ctx

    def read(self, call: ast.Call, at: ast.stmt) -> CompileFacts:
        loss_node = argument(call, 1, "loss") or self.ctx.keyword_argument(call, "loss", at)
        # By keyword only: Keras 2 and 3 put different parameters third.
        metrics_node = keyword(call, "metrics") or self.ctx.keyword_argument(call, "metrics", at)
        loss = None if loss_node is None else self.loss(loss_node, at)
        metrics = () if metrics_node is None else tuple(self.metrics(metrics_node, at))
        other_loss = loss_node is not None and not loss
        regression = self._regression_loss(loss_node, at) if other_loss else None
        by_output = other_loss or isinstance(loss_node, ast.Dict)  # `{"class_output": loss}`
        per_output = self._output_losses(loss_node, at) if by_output else ()
        return CompileFacts(call, at, loss, metrics, other_loss, regression, per_output)

    def _output_losses(
        self, expr: ast.AST | None, at: ast.stmt
    ) -> tuple[tuple[str | int, LossUse], ...]:
        """Each output's cross-entropy, of a dict of losses by output name or a list of them
        by position (written out, or bound to a name first)."""
        if self._is_local_name(expr):
            binding = self.ctx.value_binding(expr.id, at)  # type: ignore[union-attr]
            if binding is None:
                return ()
            expr, at = binding.value, binding.statement  # type: ignore[assignment]
        entries: list[tuple[str | int, ast.expr]] = []
        if isinstance(expr, ast.Dict):
            for key, value in zip(expr.keys, expr.values, strict=True):
                if not isinstance(key, ast.Constant) or not isinstance(key.value, str):
                    return ()
                entries.append((key.value, value))
        elif isinstance(expr, ast.List | ast.Tuple) and len(expr.elts) > 1:
            if any(isinstance(element, ast.Starred) for element in expr.elts):
                return ()
            entries = list(enumerate(expr.elts))
        found = [(key, self.loss(value, at, 1)) for key, value in entries]
        return tuple((key, loss) for key, loss in found if loss is not None)

    def _regression_loss(self, expr: ast.AST | None, at: ast.stmt, depth: int = 0) -> str | None:
        """`'mse'`, `keras.losses.MeanSquaredError()`, `keras.losses.mae`: as written."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            known = regression_losses.is_keras_regression_loss(expr.value)
            return f"'{expr.value}'" if known else None
        if self._is_local_name(expr) and depth < MAX_DEPTH:
            binding = self.ctx.value_binding(expr.id, at)  # type: ignore[union-attr]
            if binding is None:
                return None
            return self._regression_loss(binding.value, binding.statement, depth + 1)
        target = expr.func if isinstance(expr, ast.Call) else expr
        path = None if target is None else self.ctx.qualified(target, at)
        if path is None or not path.startswith(_LOSS_NAMESPACES):
            return None
        known = regression_losses.is_keras_regression_loss(path)
        return self.ctx.text(expr) if known else None  # type: ignore[arg-type]

    # -- losses -------------------------------------------------------------------------------

    def loss(self, expr: ast.AST, at: ast.stmt, depth: int = 0) -> LossUse | None:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return self._string_loss(expr)
        if isinstance(expr, ast.Dict) and len(expr.keys) == 1 and expr.keys[0] is not None:
            # `{"output": loss}`: the loss of the output layer so named, the model's only one
            # when a head is read (a model with several outputs gives none).
            return self.loss(expr.values[0], at, depth + 1) if depth < MAX_DEPTH else None
        if isinstance(expr, ast.List | ast.Tuple) and len(expr.elts) == 1:
            # `[loss]`: one loss per output, of a model with one output.
            return self.loss(expr.elts[0], at, depth + 1) if depth < MAX_DEPTH else None
        if isinstance(expr, ast.Call):
            made = self._loss_object(expr, at)
            if made is None and depth < MAX_DEPTH:
                return self._returned_loss(expr, at, depth)
            return made
        if isinstance(expr, ast.Lambda):
            prediction = _prediction_parameter(expr)
            if prediction is None or not _reads_prediction(expr.body, prediction):
                return None  # `lambda y, p: bce(y, tf.sigmoid(p))`: not the model's outputs
            return self.wrapped_loss(expr.body, at, "lambda")
        if isinstance(expr, ast.Subscript):
            return self._config_loss(expr, at)
        if self._is_local_name(expr):
            return self._named_loss(expr, at, depth) if depth < MAX_DEPTH else None
        attribute = self.ctx.self_attribute(expr, at)
        if attribute is not None and depth < MAX_DEPTH:  # self.loss_fn, set in __init__
            return self.loss(attribute.value, attribute.statement, depth + 1)  # type: ignore[arg-type]
        held = self.ctx.class_constant(expr, at) if isinstance(expr, ast.Attribute) else None
        if held is not None and depth < MAX_DEPTH:  # `Config.LOSS`, a config class's attribute
            found = CompileReader(held[0]).loss(held[1], held[2], depth + 1)  # type: ignore[arg-type]
            # No edit: the config may serve other models too.
            return (
                replace(found, to_logits_edit=None, to_probabilities_edit=None) if found else None
            )
        path = self.ctx.qualified(expr, at)
        if path is None:
            return None
        imported = self.ctx.imported(path) if depth < MAX_DEPTH else None
        if imported is not None:  # a loss defined in another project file
            ctx, node, statement = imported
            return CompileReader(ctx).loss(node, statement, depth + 1)
        return self._loss_function(expr, path)

    def _returned_loss(self, call: ast.Call, at: ast.stmt, depth: int) -> LossUse | None:
        """`compile(loss=get_loss("ce"))`: the loss a function of the project returns for this
        call, its parameters bound to what the call passes. Of several `return`s, those the
        constants rule out are left out, and the others must agree."""
        found = self.ctx.called_function(call, at)
        if found is None:
            return None
        ctx, function = found
        passed = passed_arguments(function, call)
        losses = []
        with ctx.bound(bound_arguments(function, passed, self.ctx, at, ctx)):
            for returned in ctx.index.returns(function):
                runs = ctx.runs(returned)
                if runs is False:
                    continue
                if returned.value is None:
                    return None  # a bare `return`: no loss on that path
                loss = CompileReader(ctx).loss(returned.value, returned, depth + 1)
                if loss is None:
                    return None
                losses.append(loss)
                if runs:
                    break  # what follows it never runs
        kinds = {(loss.family, loss.expects) for loss in losses}
        if len(kinds) != 1:
            return None
        # Other calls may want what the function returns as it is: no edit inside it.
        return replace(losses[0], to_logits_edit=None, to_probabilities_edit=None)

    def _config_loss(self, item: ast.Subscript, at: ast.stmt) -> LossUse | None:
        """`loss=cfg["loss"]` of a literal config dict that nothing changes: the loss named
        there, without an edit (the config may serve other models too)."""
        config = item.value
        if not isinstance(config, ast.Name):
            return None
        if self.ctx.changed_in_module(config.id):
            return None
        name = self.ctx.literal(item, at)
        if not isinstance(name, str):
            return None
        loss = self._string_loss(ast.copy_location(ast.Constant(name), item))
        return replace(loss, to_logits_edit=None) if loss is not None else None

    def _unpacked(self, expr: ast.Name, at: ast.stmt, depth: int) -> LossUse | None:
        """`model, loss_fn = make()`: the element of what `make` returns (`return m, l`)."""
        found = finder_of(self.ctx).unpacked_name(expr, at, depth)
        if found is None:
            return None
        finder, value, statement = found
        return CompileReader(finder.ctx).loss(value, statement, depth + 1)

    def _is_local_name(self, expr: ast.AST) -> bool:
        return isinstance(expr, ast.Name) and expr.id not in self.ctx.resolver.aliases

    def _named_loss(self, expr: ast.AST, at: ast.stmt, depth: int) -> LossUse | None:
        assert isinstance(expr, ast.Name)
        binding = self.ctx.value_binding(expr.id, at)
        if binding is None:
            unpacked = self._unpacked(expr, at, depth)
            if unpacked is not None:
                return unpacked
            passed = self.ctx.passed_argument(expr.id, at) or self.ctx.star_imported(expr.id)
            if passed is None:
                return None
            # A parameter, bound to what a call passes; or what `from config import *` binds.
            caller, value, call_at = passed
            return CompileReader(caller).loss(value, call_at, depth + 1)  # type: ignore[arg-type]
        value = binding.value
        if isinstance(value, ast.FunctionDef):
            return self._custom_loss(value)
        if isinstance(value, ast.ClassDef | ast.AsyncFunctionDef):
            return None
        return self.loss(value, binding.statement, depth + 1)

    def _custom_loss(self, function: ast.FunctionDef) -> LossUse | None:
        """A loss function of the project: the one Keras loss it computes on its prediction
        parameter as Keras hands it over (`bce = K.binary_crossentropy(y_true, y_pred)`, then
        weighted), clipped at most; none where the function activates it first."""
        prediction = _prediction_parameter(function)
        if prediction is None or not _kept_as_given(function, prediction):
            return None
        display = f"{function.name}()"
        losses = [
            self.wrapped_loss(call, at, display)
            for call, at in self.ctx.index.calls_in(function)
            if _reads_prediction(call, prediction)
        ]
        found = [loss for loss in losses if loss is not None]
        return found[0] if len(found) == 1 else None

    def _string_loss(self, node: ast.Constant) -> LossUse | None:
        loss = knowledge.find_loss(node.value)
        if loss is None:
            return None
        return knowledge.loss_use(
            loss,
            False,
            knowledge.by_default(loss, f"'{node.value}'"),
            location=self.ctx.location(node),
            to_logits_edit=self._replacement(node, f"losses.{loss.class_name}(from_logits=True)"),
        )

    def _loss_object(self, call: ast.Call, at: ast.stmt) -> LossUse | None:
        path = self.ctx.qualified(call.func, at)
        if path is None or not path.startswith(_LOSS_NAMESPACES):
            return None
        name = path.rsplit(".", 1)[-1]
        loss = knowledge.find_loss(name)
        if loss is None or name != loss.class_name:
            return None
        position = _FROM_LOGITS_POSITION.get(name, len(call.args))
        from_logits_node = argument(call, position, "from_logits")
        if from_logits_node is None and unpacks_arguments(call):
            return None  # `Loss(**loss_args)`: from_logits may be among them
        from_logits = False if from_logits_node is None else self.ctx.literal(from_logits_node, at)
        if not isinstance(from_logits, bool):
            return None
        display = knowledge.by_default(loss, f"{name}()")
        if from_logits_node is not None:
            display = f"{name}(from_logits={from_logits})"
        editable = keyword(call, "from_logits") is not None or from_logits_node is None
        where = self.ctx.location(call)
        return knowledge.loss_use(
            loss,
            from_logits,
            display,
            location=where,
            to_logits_edit=Edit(where, "True", keyword="from_logits") if editable else None,
            to_probabilities_edit=Edit(where, "False", keyword="from_logits") if editable else None,
        )

    def _loss_function(self, expr: ast.AST, path: str) -> LossUse | None:
        """`loss=keras.losses.binary_crossentropy`: a function, so from_logits=False; or
        `loss=tf.nn.softmax_cross_entropy_with_logits`, which Keras calls as (labels, logits)."""
        if path in _TF_NN_LOGITS_LOSSES:
            use = knowledge.loss_use(
                knowledge.find_loss(_TF_NN_LOGITS_LOSSES[path]),  # type: ignore[arg-type]
                True,
                f"{self.ctx.text(expr)} (takes raw logits)",
                location=self.ctx.location(expr),
            )
            return replace(use, probabilities_remedy=None, keras_own=False)
        loss = knowledge.find_loss(path)
        if not path.startswith(_LOSS_NAMESPACES) or loss is None:
            return None
        if path.rsplit(".", 1)[-1] not in (loss.function_name, *loss.short_names):
            return None  # `keras.losses.kld` is `kl_divergence`
        return knowledge.loss_use(
            loss,
            False,
            knowledge.by_default(loss, self.ctx.text(expr)),
            location=self.ctx.location(expr),
            to_logits_edit=self._replacement(expr, f"losses.{loss.class_name}(from_logits=True)"),
        )

    def wrapped_loss(self, body: ast.AST, at: ast.stmt, display: str) -> LossUse | None:
        """A lambda or helper returning `keras.losses.some_crossentropy(..., from_logits=)`."""
        if not isinstance(body, ast.Call):
            return None
        path = self.ctx.qualified(body.func, at) or ""
        loss = knowledge.find_loss(path)
        if not path.startswith(_LOSS_NAMESPACES) or loss is None:
            return None
        if path.rsplit(".", 1)[-1] != loss.function_name:
            return None
        from_logits_node = (
            keyword(body, "from_logits")
            if "focal" in loss.function_name
            else argument(body, _LOSS_FUNCTION_FROM_LOGITS_POSITION, "from_logits")
        )
        if from_logits_node is None and unpacks_arguments(body):
            return None
        from_logits = False if from_logits_node is None else self.ctx.literal(from_logits_node, at)
        if not isinstance(from_logits, bool):
            return None
        shown = f"{display} (calls {loss.function_name} with from_logits={from_logits})"
        if not loss.has_from_logits:
            shown = f"{display} (calls {loss.function_name}, which takes probabilities)"
        return knowledge.loss_use(loss, from_logits, shown, location=self.ctx.location(body))

    def _replacement(self, node: ast.AST, keras_attribute: str) -> Edit | None:
        prefix = self.ctx.keras_prefix
        if prefix is None:
            return None
        return Edit(self.ctx.location(node), f"{prefix}.{keras_attribute}")

    # -- metrics ------------------------------------------------------------------------------

    def metrics(self, expr: ast.AST, at: ast.stmt, depth: int = 0) -> Iterator[MetricSpec]:
        if self._is_local_name(expr):
            binding = self.ctx.value_binding(expr.id, at)  # type: ignore[attr-defined]
            if binding is not None and depth < MAX_DEPTH:
                yield from self.metrics(binding.value, binding.statement, depth + 1)
            return
        if isinstance(expr, ast.Dict):
            # One list per output: of a model with one output only (`{"output": [...]}`).
            if len(expr.keys) == 1 and expr.keys[0] is not None and depth < MAX_DEPTH:
                yield from self.metrics(expr.values[0], at, depth + 1)
            return
        elements = expr.elts if isinstance(expr, ast.List | ast.Tuple) else [expr]
        for element in elements:
            spec = self._metric(element, at)
            if spec is not None:
                yield spec

    def _metric(self, expr: ast.AST, at: ast.stmt, depth: int = 0) -> MetricSpec | None:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return self._string_metric(expr)
        if isinstance(expr, ast.Call):
            return self._metric_object(expr, at)
        if self._is_local_name(expr):
            binding = self.ctx.value_binding(expr.id, at)  # type: ignore[attr-defined]
            if binding is None or depth >= MAX_DEPTH:
                return None
            return self._metric(binding.value, binding.statement, depth + 1)
        path = self.ctx.qualified(expr, at)
        return None if path is None else self._metric_function(expr, path)

    def _string_metric(self, node: ast.Constant) -> MetricSpec:
        name = node.value
        display = f"'{name}'"
        if name in knowledge.ACCURACY_ALIASES:
            edit = self._replacement(node, "metrics.BinaryAccuracy(threshold=0.0)")
            return MetricSpec(node, display, None, logits_edit=edit)
        kind = knowledge.metric_kind(name)
        return MetricSpec(node, display, kind, logits_edit=self._metric_rewrite(node, name))

    def _metric_rewrite(self, node: ast.AST, name: str) -> Edit | None:
        if knowledge.metric_kind(name) is MetricKind.BINARY_ACCURACY:
            return self._replacement(node, "metrics.BinaryAccuracy(threshold=0.0)")
        if name.lower() == "auc":
            return self._replacement(node, "metrics.AUC(from_logits=True)")
        return None

    def _metric_function(self, expr: ast.AST, path: str) -> MetricSpec | None:
        if not path.startswith(_METRIC_NAMESPACES):
            return None
        name = path.rsplit(".", 1)[-1]
        edit = self._metric_rewrite(expr, name)
        return MetricSpec(expr, self.ctx.text(expr), knowledge.metric_kind(name), logits_edit=edit)

    def _metric_object(self, call: ast.Call, at: ast.stmt) -> MetricSpec | None:
        path = self.ctx.qualified(call.func, at)
        if path is None or not path.startswith(_METRIC_NAMESPACES):
            return None
        name = path.rsplit(".", 1)[-1]
        display = self._call_display(name, call)
        where = self.ctx.location(call)
        if name == "BinaryAccuracy":
            return self._binary_accuracy(call, at, display)
        if name == "AUC":
            if keyword(call, "thresholds") is not None:
                return None  # custom thresholds: cannot judge them
            on_logits = self.ctx.literal(keyword(call, "from_logits"), at) is True
            edit = Edit(where, "True", keyword="from_logits")
            kind = MetricKind.THRESHOLDED
            return MetricSpec(call, display, kind, from_logits=on_logits, logits_edit=edit)
        if name in ("Precision", "Recall"):
            return self._precision_or_recall(call, at, display)
        return MetricSpec(call, display, knowledge.metric_kind(name))

    def _binary_accuracy(self, call: ast.Call, at: ast.stmt, display: str) -> MetricSpec | None:
        threshold_node = argument(call, 2, "threshold")
        threshold = None if threshold_node is None else self.ctx.literal(threshold_node, at)
        if threshold_node is not None and not _is_number(threshold):
            return None
        editable = threshold_node is None or keyword(call, "threshold") is not None
        edit = Edit(self.ctx.location(call), "0.0", keyword="threshold") if editable else None
        return MetricSpec(
            call,
            display,
            MetricKind.BINARY_ACCURACY,
            threshold=threshold,
            logits_edit=edit,  # type: ignore[arg-type]
        )

    def _precision_or_recall(self, call: ast.Call, at: ast.stmt, display: str) -> MetricSpec | None:
        if keyword(call, "top_k") is not None:
            return None
        threshold_node = argument(call, 0, "thresholds")
        threshold = None if threshold_node is None else self.ctx.literal(threshold_node, at)
        if threshold_node is not None and not _is_number(threshold):
            return None  # several thresholds, or one that cannot be known
        return MetricSpec(call, display, MetricKind.THRESHOLDED, threshold=threshold)  # type: ignore[arg-type]

    def _call_display(self, name: str, call: ast.Call) -> str:
        parts = [self.ctx.text(arg, 30) for arg in call.args]
        parts += [f"{kw.arg}={self.ctx.text(kw.value, 30)}" for kw in call.keywords if kw.arg]
        return f"{name}({', '.join(parts)})"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def metric_uses(
    specs: tuple[MetricSpec, ...],
    ctx: KerasContext,
    *,
    units: int | None,
    loss_family: LossFamily | None,
    labels: LabelFormat,
) -> list[MetricUse]:
    """The metrics as Keras runs them: 'accuracy' resolved, where that can be known."""
    uses = []
    for spec in specs:
        kind, because = spec.kind, None
        if kind is None:
            resolved = knowledge.resolve_accuracy(
                units, loss_family, labels, graph_mode=ctx.graph_mode
            )
            if resolved is None:
                continue
            kind, because = resolved
        edit = spec.logits_edit if kind in _THRESHOLDING else None
        uses.append(
            knowledge.metric_use(
                kind,
                spec.display,
                location=ctx.location(spec.node),
                threshold=spec.threshold,
                resolved_because=because,
                from_logits=spec.from_logits,
                logits_threshold_edit=edit,
            )
        )
    return uses


# What keeps a tensor's kind of values: `K.clip(p, eps, 1 - eps)`, `tf.cast(p, "float32")`.
_KIND_KEEPING = frozenset({"clip", "clip_by_value", "cast"})


def prediction_argument(call: ast.Call) -> ast.expr | None:
    """What a Keras loss call takes as the prediction: `y_pred`, the backend's `output`."""
    return argument(call, 1, "y_pred") or keyword(call, "output")


def _prediction_parameter(function: ast.FunctionDef | ast.Lambda) -> str | None:
    """The parameter Keras hands the model's outputs to: `y_pred` of `(y_true, y_pred)`,
    after a method's `self`."""
    names = [arg.arg for arg in (*function.args.posonlyargs, *function.args.args)]
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    return names[1] if len(names) >= 2 else None


def _reads_prediction(node: ast.AST, prediction: str) -> bool:
    """Whether a loss call takes the prediction parameter itself."""
    if not isinstance(node, ast.Call):
        return False
    given = prediction_argument(node)
    return isinstance(given, ast.Name) and given.id == prediction


def _kept_as_given(function: ast.FunctionDef, name: str) -> bool:
    """Whether `name` holds the parameter's values throughout: never bound again but
    clipped or cast (`y_pred = K.clip(y_pred, eps, 1 - eps)`)."""
    kept = {
        id(node.targets[0])
        for node in ast.walk(function)
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and _same_values_of(node.value, name)
    }
    return all(
        id(node) in kept
        for node in ast.walk(function)
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store)
    )


def _same_values_of(value: ast.expr, name: str) -> bool:
    """`K.clip(name, ...)`, `tf.cast(name, ...)`: the same kind of values as `name`."""
    if not isinstance(value, ast.Call) or not value.args:
        return False
    func = value.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    first = value.args[0]
    return called in _KIND_KEEPING and isinstance(first, ast.Name) and first.id == name
