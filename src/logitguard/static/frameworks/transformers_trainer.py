"""Hugging Face's `Trainer`: what it hands `compute_metrics`, read against what its model emits.

`Trainer(model=model, compute_metrics=f)` calls `f` with the model's raw logits (an
`EvalPrediction`: `eval_pred.predictions`, or `logits, labels = eval_pred`); a task model's
logits are raw scores, so cutting them at 0.5 or rounding them in `f` is LG009. So are the
`predictions` of what `trainer.predict(ds)` returns.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from logitguard.core.facts import Emits, LossUse, TrainingSetup
from logitguard.knowledge import torch as knowledge
from logitguard.knowledge import transformers
from logitguard.static.engine.ast_tools import argument, keyword, location
from logitguard.static.engine.evaluator import (
    DictValue,
    Evaluator,
    Function,
    LibraryObject,
    Model,
    Tensor,
    TupleValue,
    Value,
)


def trainer_metrics_setup(evaluator: Evaluator, call: ast.Call) -> TrainingSetup | None:
    """`Trainer(model=model, compute_metrics=f)`: the Trainer hands `f` the classifier's raw
    logits (`logits, labels = eval_pred`, `eval_pred.predictions`); cutting them at 0.5 or
    rounding them there is LG009."""
    metrics = evaluator.value(keyword(call, "compute_metrics"))
    if not isinstance(metrics, Function):
        return None
    logits = _logits_handed_over(evaluator, call, keyword(call, "model"))
    function = metrics.definition
    arguments = function.args.posonlyargs + function.args.args
    if logits is None or logits.model is None or not arguments:
        return None
    # An EvalPrediction: `eval_pred.predictions` or `eval_pred[0]` are the logits.
    handed = TupleValue((logits, None), names=("predictions", "label_ids"))
    reader = evaluator.as_library_runs(function, call, ((arguments[0].arg, handed),))
    predictions = [
        found[1]
        for node in reader.index.body_nodes(function)
        if (found := reader.prediction(node)) is not None
    ]
    if not predictions:
        return None
    own_loss = _task_model_loss(evaluator, logits.model)
    return TrainingSetup("torch", head=logits.head, loss=own_loss, predictions=predictions)


def trainer_method_result(trainer: LibraryObject, method: str, call: ast.Call) -> Value | None:
    """`trainer.predict(ds)`: a `PredictionOutput` whose `predictions` are the classifier's
    raw logits, as `compute_metrics` gets them (`out.predictions > 0.5` is LG009)."""
    if method != "predict" or trainer.path not in transformers.TRAINERS:
        return None
    made, evaluator = trainer.made, trainer.maker
    logits = _logits_handed_over(evaluator, made, argument(made, 0, "model"))
    if logits is None:
        return None
    return TupleValue((logits, None, None), names=("predictions", "label_ids", "metrics"))


def _logits_handed_over(
    evaluator: Evaluator, trainer: ast.Call, model_node: ast.expr | None
) -> Tensor | None:
    """The raw logits a Trainer made by `trainer` hands its metrics and `predict`'s caller:
    its classifier's (at `model_node`), unless a `preprocess_logits_for_metrics` hook makes
    something else of them."""
    if keyword(trainer, "preprocess_logits_for_metrics") is not None:
        return None
    model = evaluator.value(model_node)
    if not isinstance(model, Model):
        return None
    logits = _classifier_logits(evaluator, model)
    return replace(logits, model_output=True, model=model) if logits is not None else None


def task_model_loss(evaluator: Evaluator, model: Model) -> LossUse | None:
    """The loss a Hugging Face task model trains its logits with when it is given labels
    (`outputs = model(**batch); outputs.loss.backward()`), when it is a classifier."""
    logits = _classifier_logits(evaluator, model)
    if logits is None or not _said_to_classify(evaluator, model, logits.head.units):
        return None
    return _task_model_loss(evaluator, model)


def _said_to_classify(evaluator: Evaluator, model: Model, units: int | None) -> bool:
    """Whether the program says a model that `_classifies` does, not only its defaults: a
    language model's head, a `problem_type` (then a classification one), or several labels.
    A checkpoint loaded without them may hold a one-label regression head."""
    name = model.library_head.name if model.library_head else None
    if name is not None and name.endswith(transformers.LANGUAGE_MODEL_TASKS):
        return True
    return _problem_type(evaluator, model) is not None or (units is not None and units > 1)


def _classifier_logits(evaluator: Evaluator, model: Model) -> Tensor | None:
    """The raw logits a task model gives, when it classifies."""
    output = evaluator.output_of(model)
    logits = output.get("logits") if isinstance(output, DictValue) else output
    if not isinstance(logits, Tensor) or logits.head.emits is not Emits.LOGITS:
        return None
    if not _classifies(evaluator, model, logits.head.units):
        return None  # one output (or perhaps one): a regression head, whose values may be cut
    return logits


def _classifies(evaluator: Evaluator, model: Model, units: int | None) -> bool:
    """Whether a Trainer's model is a classifier: more than one output (Hugging Face makes a
    one-label model a regression), or a classification `problem_type`."""
    made = model.definition
    if not isinstance(made, ast.Call):
        return units is None or units > 1
    problem = _problem_type(evaluator, model)
    if problem is not None:
        return evaluator.constant(problem) in transformers.CLASSIFICATION_PROBLEMS
    if units is None:  # no literal count: only the default (two labels) is known
        return keyword(made, transformers.UNITS_KEYWORD) is None
    return units > 1


def _task_model_loss(evaluator: Evaluator, model: Model) -> LossUse:
    """The loss a Hugging Face task model computes itself when the Trainer gives it labels:
    BCEWithLogitsLoss for `problem_type="multi_label_classification"`, else cross-entropy."""
    made = model.definition
    problem = _problem_type(evaluator, model)
    multi_label = problem is not None and evaluator.constant(problem) == transformers.MULTI_LABEL
    loss = knowledge.BCE_WITH_LOGITS if multi_label else knowledge.CROSS_ENTROPY
    shown = f"{model.name}'s own loss ({loss.class_name})"
    return knowledge.loss_use(loss, shown, location=location(evaluator.module.path, made))


def _problem_type(evaluator: Evaluator, model: Model) -> ast.expr | None:
    """The `problem_type=` the call making the model gives, or that of the config it is given
    (`config=config`: made with one, or given one after, `config.problem_type = ...`)."""
    made = model.definition
    if not isinstance(made, ast.Call):
        return None
    given, config = keyword(made, "problem_type"), keyword(made, "config")
    if given is not None or not isinstance(config, ast.Name) or not evaluator.index.owns(made):
        return given
    return _config_setting(evaluator, config, "problem_type")


def _config_setting(evaluator: Evaluator, config: ast.Name, setting: str) -> ast.expr | None:
    """What the file sets `setting` of the config `config` names to: its one assignment
    `config.setting = value`, outside any branch or loop, else the keyword of the call that
    made the config."""
    assigned = [
        node
        for node in evaluator.index.assignments
        if isinstance(node, ast.Assign)
        and any(_is_setting(target, config.id, setting) for target in node.targets)
    ]
    if assigned:
        if len(assigned) > 1 or _in_a_block(evaluator, assigned[0]):
            return None  # set on one path only, or several ways
        return assigned[0].value
    sources = evaluator.index.sources_of_name(config)
    if sources is None or len(sources) != 1 or sources[0][1]:
        return None
    made = sources[0][0]
    return keyword(made, setting) if isinstance(made, ast.Call) else None


def _in_a_block(evaluator: Evaluator, node: ast.AST) -> bool:
    """Whether `node` runs only on some paths of its function: in a branch, loop or `try`."""
    blocks = ast.If | ast.For | ast.AsyncFor | ast.While | ast.Try | ast.Match
    return any(isinstance(block, blocks) for block, _, _ in evaluator.index.blocks_around(node))


def _is_setting(target: ast.expr, name: str, setting: str) -> bool:
    return (
        isinstance(target, ast.Attribute)
        and target.attr == setting
        and isinstance(target.value, ast.Name)
        and target.value.id == name
    )
