"""Hugging Face's `Trainer`: what it hands `compute_metrics`, read against what its model emits.

`Trainer(model=model, compute_metrics=f)` calls `f` with the model's raw logits (an
`EvalPrediction`: `eval_pred.predictions`, or `logits, labels = eval_pred`); a task model's
logits are raw scores, so cutting them at 0.5 or rounding them in `f` is LG009.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from logitguard.core.facts import Emits, LossUse, Prediction, TrainingSetup
from logitguard.knowledge import torch as knowledge
from logitguard.knowledge import transformers
from logitguard.static.engine.ast_tools import keyword, location
from logitguard.static.engine.evaluator import DictValue, Evaluator, Function, Model, Tensor


def trainer_metrics_setup(evaluator: Evaluator, call: ast.Call) -> TrainingSetup | None:
    """`Trainer(model=model, compute_metrics=f)`: the Trainer hands `f` the classifier's raw
    logits (`logits, labels = eval_pred`, `eval_pred.predictions`); cutting them at 0.5 or
    rounding them there is LG009."""
    if keyword(call, "preprocess_logits_for_metrics") is not None:
        return None  # the metrics get what that function makes of the logits
    model = evaluator.value(keyword(call, "model"))
    metrics = evaluator.value(keyword(call, "compute_metrics"))
    if not isinstance(model, Model) or not isinstance(metrics, Function):
        return None
    output = evaluator.output_of(model)
    logits = output.get("logits") if isinstance(output, DictValue) else output
    if not isinstance(logits, Tensor) or logits.head.emits is not Emits.LOGITS:
        return None
    if not _classifies(evaluator, model, logits.head.units):
        return None  # one output (or perhaps one): a regression head, whose values may be cut
    function = metrics.definition
    arguments = function.args.posonlyargs + function.args.args
    if not arguments:
        return None
    owner = evaluator.file_evaluator(function)
    reader = _PredictionsReader(owner, arguments[0].arg)
    predictions = []
    for node in owner.index.body_nodes(function):
        found = owner.misuse(node)
        if found is not None and reader.reads_logits(found[1], 0):
            display = owner.module.text.segment(node, limit=80)
            where = location(owner.module.path, node)
            predictions.append(Prediction(found[0], display, where))
    if not predictions:
        return None
    own_loss = _task_model_loss(evaluator, model)
    return TrainingSetup("torch", head=logits.head, loss=own_loss, predictions=predictions)


def _classifies(evaluator: Evaluator, model: Model, units: int | None) -> bool:
    """Whether a Trainer's model is a classifier: more than one output (Hugging Face makes a
    one-label model a regression), or a classification `problem_type`."""
    made = model.definition
    if not isinstance(made, ast.Call):
        return units is None or units > 1
    problem = keyword(made, "problem_type")
    if problem is not None:
        return evaluator.constant(problem) in transformers.CLASSIFICATION_PROBLEMS
    if units is None:  # no literal count: only the default (two labels) is known
        return keyword(made, transformers.UNITS_KEYWORD) is None
    return units > 1


def _task_model_loss(evaluator: Evaluator, model: Model) -> LossUse:
    """The loss a Hugging Face task model computes itself when the Trainer gives it labels:
    BCEWithLogitsLoss for `problem_type="multi_label_classification"`, else cross-entropy."""
    made = model.definition
    problem = keyword(made, "problem_type") if isinstance(made, ast.Call) else None
    multi_label = problem is not None and evaluator.constant(problem) == transformers.MULTI_LABEL
    loss = knowledge.BCE_WITH_LOGITS if multi_label else knowledge.CROSS_ENTROPY
    shown = f"{model.name}'s own loss ({loss.class_name})"
    return knowledge.loss_use(loss, shown, location=location(evaluator.module.path, made))


@dataclass(frozen=True)
class _PredictionsReader:
    """Whether an expression in `compute_metrics` holds the logits its parameter brings."""

    evaluator: Evaluator
    parameter: str

    def reads_logits(self, node: ast.expr, depth: int) -> bool:
        if depth > _MAX_READ_DEPTH:
            return False
        if isinstance(node, ast.Attribute):
            return node.attr == "predictions" and self._is_parameter(node.value)
        if isinstance(node, ast.Subscript):
            if isinstance(node.slice, ast.Constant):
                return node.slice.value == 0 and self._is_parameter(node.value)
            return self.reads_logits(node.value, depth + 1)  # a slice of the logits
        if isinstance(node, ast.Call):
            inner = self.evaluator.kept_values(node)  # conversions to arrays included
            return inner is not None and self.reads_logits(inner, depth + 1)
        if isinstance(node, ast.Name):
            sources = self.evaluator.index.sources_of_name(node)
            if not sources or len(sources) != 1:
                return False
            value, path = sources[0]
            if path == (0,):  # `logits, labels = eval_pred`
                return isinstance(value, ast.expr) and self._is_parameter(value)
            return not path and isinstance(value, ast.expr) and self.reads_logits(value, depth + 1)
        return False

    def _is_parameter(self, node: ast.AST) -> bool:
        if not isinstance(node, ast.Name) or node.id != self.parameter:
            return False
        scope = self.evaluator.index.scope_of(node)
        return scope.parameter(node.id) is not None and not scope.bindings.get(node.id)


_MAX_READ_DEPTH = 12
