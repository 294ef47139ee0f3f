"""Keras / tf.keras front end: one `TrainingSetup` per model and compile, from the AST alone.

Never imports TensorFlow or Keras. Models come from `keras_models`, compile arguments from
`keras_compile`, labels from `keras_labels`, predictions from `keras_predictions`; this
module matches them up by the variable each model is bound to, including models returned by
helper functions.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import replace

from logitguard.core.facts import (
    Emits,
    Head,
    LabelFormat,
    Labels,
    MetricUse,
    Prediction,
    TrainingSetup,
)
from logitguard.static.keras_bindings import UNCERTAIN, start
from logitguard.static.keras_compile import CompileFacts, CompileReader, metric_uses
from logitguard.static.keras_context import KerasContext
from logitguard.static.keras_labels import FIT_METHODS, LabelReader
from logitguard.static.keras_models import ModelDef, ModelFinder
from logitguard.static.keras_predictions import PredictionReader
from logitguard.static.module import ParsedModule

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def extract(module: ParsedModule) -> list[TrainingSetup]:
    return _Extraction(KerasContext(module)).setups()


class _Extraction:
    def __init__(self, ctx: KerasContext) -> None:
        self.ctx = ctx
        self.finder = ModelFinder(ctx)
        self.compiles: dict[object, list[CompileFacts]] = defaultdict(list)
        self.labels: dict[object, Labels] = {}
        self.predictions: dict[object, list[Prediction]] = defaultdict(list)
        self._read_uses()

    def receiver_key(self, expr: ast.AST, at: ast.stmt) -> object | None:
        """The model `expr` is: a ModelDef, else the binding it comes from; None if unclear."""
        model = self.finder.model_at(expr, at)
        if model is not None:
            return model
        if not isinstance(expr, ast.Name) or expr.id in self.ctx.resolver.aliases:
            return None
        binding = self.ctx.index.lookup(expr.id, at)
        if binding is None:
            return ("unbound", expr.id)
        if binding is UNCERTAIN or isinstance(binding.value, _DEFINITIONS):
            return None
        return binding

    def _read_uses(self) -> None:
        compiles, labels = CompileReader(self.ctx), LabelReader(self.ctx)
        for call, at in self.ctx.index.calls:
            func = call.func
            if not isinstance(func, ast.Attribute):
                continue
            if func.attr == "compile":
                key = self.receiver_key(func.value, at)
                if key is not None:
                    self.compiles[key].append(compiles.read(call, at))
            elif func.attr in FIT_METHODS:
                key = self.receiver_key(func.value, at)
                if key is not None and key not in self.labels:
                    found = labels.of_fit(call, at)
                    if found is not None:
                        self.labels[key] = found
        for key, prediction in PredictionReader(self.ctx, self.receiver_key).predictions():
            self.predictions[key].append(prediction)

    def setups(self) -> list[TrainingSetup]:
        models = sorted(self.finder.models, key=lambda model: start(model.node))
        unknown = [
            key
            for key in self.compiles
            if not isinstance(key, ModelDef) and any(c.loss for c in self.compiles[key])
        ]
        return [setup for key in [*models, *unknown] for setup in self._setups_of(key)]

    def _setups_of(self, key: object) -> list[TrainingSetup]:
        model = key if isinstance(key, ModelDef) else None
        head = self.finder.head(model) if model is not None else None
        # A subclass whose call() returns logits in training and probabilities otherwise:
        # which of the two a metric or a prediction sees cannot be told.
        outputs_vary = model is not None and model.outputs_vary
        labels = self.labels.get(key)
        predictions = [] if outputs_vary else self.predictions.get(key, [])
        return [
            TrainingSetup(
                "keras",
                _as_trained(head, compiled),
                compiled.loss if compiled else None,
                [] if outputs_vary else self._metrics(compiled, head, labels),
                labels,
                list(predictions),
                backend=self.ctx.backend,
            )
            for compiled in self.compiles.get(key) or [None]
        ]

    def _metrics(
        self, compiled: CompileFacts | None, head: Head | None, labels: Labels | None
    ) -> list[MetricUse]:
        if compiled is None:
            return []
        return metric_uses(
            compiled.metrics,
            self.ctx,
            units=head.units if head else None,
            loss_family=compiled.loss.family if compiled.loss else None,
            labels=labels.format if labels else LabelFormat.UNKNOWN,
        )


def _as_trained(head: Head | None, compiled: CompileFacts | None) -> Head | None:
    """Trained with mse, hinge or a custom loss, a linear output is a score, not a logit."""
    if head is None or compiled is None or not compiled.other_loss:
        return head
    return replace(head, emits=Emits.UNKNOWN) if head.emits is Emits.LOGITS else head
