"""Repair a Keras model's compile() to match its head, or wrap a logits model for prediction.

`fix_keras` recompiles (same optimizer, weights untouched) with the loss told what the head
really emits and with accuracy thresholds that suit logits. Mismatches a recompile cannot fix
(a softmax over one unit, labels in the wrong format) are left alone and reported in a warning.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from logitguard.core.facts import PROBABILITY_THRESHOLD, Emits, MetricKind
from logitguard.core.findings import Severity
from logitguard.runtime.keras_inspect import (
    CompiledLoss,
    CompiledMetric,
    ModelReading,
    OutputReading,
    read_model,
    report_for,
)

LOGITS_THRESHOLD = 0.0
# Settings of the original compile() that the recompile keeps.
KEPT_COMPILE_SETTINGS = ("loss_weights", "run_eagerly", "steps_per_execution", "jit_compile")


def _outputs_logits(output: OutputReading, loss_expects: Emits | None) -> bool:
    head = output.setup.head
    if head is not None and head.emits is not Emits.UNKNOWN:
        return head.emits is Emits.LOGITS
    return loss_expects is Emits.LOGITS


def _with_config(obj: Any, **changes: Any) -> Any:
    return type(obj).from_config({**obj.get_config(), **changes})


def _corrected_from_logits(output: OutputReading) -> bool | None:
    """The from_logits the loss should have, or None when the loss is right (or unknown)."""
    head, loss = output.setup.head, output.loss
    if head is None or loss is None or not loss.known.has_from_logits:
        return None  # KLDivergence: no from_logits to set, the head must change
    expects = loss.use().expects
    if head.emits is Emits.LOGITS and expects.is_probability:
        return True
    if head.emits.is_probability and expects is Emits.LOGITS:
        return False
    return None


def _loss_with_from_logits(loss: CompiledLoss, from_logits: bool, keras_module: Any) -> Any:
    identifier = loss.identifier
    if hasattr(identifier, "get_config"):
        try:
            return _with_config(identifier, from_logits=from_logits)
        except (TypeError, ValueError, KeyError):
            pass  # a subclass with its own constructor: rebuild the plain Keras loss below
    return getattr(keras_module.losses, loss.known.class_name)(from_logits=from_logits)


def _metric_name(identifier: Any) -> str:
    if isinstance(identifier, str):
        return identifier
    return str(getattr(identifier, "name", None) or getattr(identifier, "__name__", "metric"))


def _metric_for_logits(metric: CompiledMetric, keras_module: Any) -> Any:
    """The metric as it should be on a logits head; the same identifier when it already is."""
    use = metric.use
    thresholded = (MetricKind.BINARY_ACCURACY, MetricKind.THRESHOLDED)
    if use is None or use.from_logits or use.kind not in thresholded:
        return metric.identifier
    threshold = PROBABILITY_THRESHOLD if use.threshold is None else use.threshold
    if threshold != PROBABILITY_THRESHOLD:
        return metric.identifier
    if use.kind is MetricKind.BINARY_ACCURACY:
        name = _metric_name(metric.identifier)
        return keras_module.metrics.BinaryAccuracy(name=name, threshold=LOGITS_THRESHOLD)
    config = metric.identifier.get_config() if hasattr(metric.identifier, "get_config") else {}
    if "from_logits" in config:
        return _with_config(metric.identifier, from_logits=True)
    if "thresholds" in config:
        return _with_config(metric.identifier, thresholds=LOGITS_THRESHOLD)
    return metric.identifier


@dataclass(frozen=True)
class _OutputFix:
    loss: Any
    metrics: list[Any]
    weighted_metrics: list[Any]
    changed: bool


def _fix_output(output: OutputReading, keras_module: Any) -> _OutputFix:
    loss = output.loss_identifier
    expects = output.setup.loss.expects if output.setup.loss else None
    from_logits = _corrected_from_logits(output)
    if from_logits is not None and output.loss is not None:
        loss = _loss_with_from_logits(output.loss, from_logits, keras_module)
        expects = Emits.LOGITS if from_logits else None
    rewrite: Callable[[CompiledMetric], Any] = (
        (lambda metric: _metric_for_logits(metric, keras_module))
        if _outputs_logits(output, expects)
        else (lambda metric: metric.identifier)
    )
    metrics = [rewrite(metric) for metric in output.metrics if not metric.weighted]
    weighted = [rewrite(metric) for metric in output.metrics if metric.weighted]
    unchanged = [metric.identifier for metric in output.metrics]
    changed = from_logits is not None or [*metrics, *weighted] != unchanged
    return _OutputFix(loss, metrics, weighted, changed)


def _per_output_argument(reading: ModelReading, values: list[Any]) -> Any:
    if len(values) == 1:
        return values[0]
    names = [output.name for output in reading.outputs]
    if None in names:
        return values
    return dict(zip(names, values, strict=True))


def _warn_about_the_rest(reading: ModelReading) -> None:
    """What is left after the recompile: the findings a loss or metric setting cannot fix."""
    remaining = [
        finding for finding in report_for(reading).findings if finding.severity is not Severity.INFO
    ]
    if remaining:
        lines = "\n".join(f"  {f.code} {f.message}\n    fix: {f.fix}" for f in remaining)
        warnings.warn(
            "logitguard.fix() recompiled what it could; these need a change to the model or "
            f"data:\n{lines}",
            stacklevel=3,
        )


def fix_keras(model: Any) -> Any:
    """The model recompiled with a loss and metrics that match its head (same optimizer).

    Weights are not touched. A model with nothing to correct is returned as it is, not
    recompiled. Returns the same model object.
    """
    reading = read_model(model, strict=True)
    if reading.flavour is None:
        raise TypeError(f"logitguard.fix() takes a compiled Keras model, not {type(model)!r}")
    if getattr(model, "optimizer", None) is None or not reading.outputs:
        raise ValueError("logitguard.fix() needs a compiled model: call model.compile() first")
    keras_module = reading.flavour.module()
    fixes = [_fix_output(output, keras_module) for output in reading.outputs]
    if not any(fix.changed for fix in fixes):
        _warn_about_the_rest(reading)
        return model
    config = model.get_compile_config() or {}
    kept = {key: config[key] for key in KEPT_COMPILE_SETTINGS if key in config}
    has_metrics = any(fix.metrics for fix in fixes)
    has_weighted = any(fix.weighted_metrics for fix in fixes)
    model.compile(
        optimizer=model.optimizer,
        loss=_per_output_argument(reading, [fix.loss for fix in fixes]),
        metrics=_per_output_argument(reading, [fix.metrics for fix in fixes])
        if has_metrics
        else None,
        weighted_metrics=_per_output_argument(reading, [fix.weighted_metrics for fix in fixes])
        if has_weighted
        else None,
        **kept,
    )
    _warn_about_the_rest(read_model(model, strict=True))
    return model


def _is_logits_output(output: OutputReading) -> bool:
    expects = output.setup.loss.expects if output.setup.loss else None
    return _outputs_logits(output, expects)


def _activation_for(output: OutputReading, keras_module: Any) -> Any:
    units = output.setup.head.units if output.setup.head else None
    if units is None:
        raise ValueError(
            "logitguard.probability_model() cannot tell how many units the output has; "
            "call the model on a batch first"
        )
    if units == 1:
        return keras_module.layers.Activation("sigmoid")
    return keras_module.layers.Softmax()


def probability_model_keras(model: Any) -> Any:
    """A model whose predictions are probabilities: softmax (or sigmoid for one unit) on logits.

    A model whose outputs already are probabilities is returned as it is.
    """
    reading = read_model(model, strict=True)
    if reading.flavour is None:
        raise TypeError(f"logitguard.probability_model() takes a Keras model, not {type(model)!r}")
    logits = [_is_logits_output(output) for output in reading.outputs]
    if not any(logits):
        return model
    keras_module = reading.flavour.module()
    name = f"{model.name}_probabilities"
    if len(reading.outputs) == 1:
        activation = _activation_for(reading.outputs[0], keras_module)
        return keras_module.Sequential([model, activation], name=name)
    inputs = model.input  # the model's own input structure: one tensor, a list or a dict
    outputs = model(inputs)
    names = [output.name for output in reading.outputs]
    flat = [outputs[key] for key in names] if isinstance(outputs, dict) else list(outputs)
    wrapped = [
        _activation_for(output, keras_module)(tensor) if is_logits else tensor
        for output, tensor, is_logits in zip(reading.outputs, flat, logits, strict=True)
    ]
    if isinstance(outputs, dict):
        return keras_module.Model(inputs, dict(zip(names, wrapped, strict=True)), name=name)
    return keras_module.Model(inputs, wrapped, name=name)
