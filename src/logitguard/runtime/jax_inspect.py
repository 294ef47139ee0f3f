"""Inspect a live Flax model (linen or nnx) with its optax loss on a batch.

A Flax model's activations are plain functions (`nn.softmax(x)`), invisible once it runs, so
what the outputs hold is judged the way the Keras and PyTorch inspectors judge a custom layer:
by the empirical probe of a real batch (values in [0, 1]? rows summing to 1?). The loss is
looked up in `knowledge.optax` (every optax classification loss takes raw logits), the labels
are read from `y`. The facts are the `TrainingSetup` the static rules check, so the codes and
texts are those of `logitguard check`.

Imports no framework itself (flax only to copy an nnx model): the model is only called.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from logitguard.core.facts import Emits, Head, LossUse, TrainingSetup
from logitguard.knowledge import optax as knowledge
from logitguard.runtime.probe import probe_emits, read_labels
from logitguard.runtime.report import InspectionReport, SetupReading


def flax_kind(model: Any) -> str | None:
    """ "linen" or "nnx" for a Flax module, None for anything else."""
    for cls in type(model).__mro__:
        if cls.__module__.startswith("flax.linen"):
            return "linen"
        if cls.__module__.startswith("flax.nnx"):
            return "nnx"
    return None


def model_name(model: Any) -> str:
    kind = flax_kind(model)
    if kind is not None:
        return f"flax.{kind} {type(model).__name__}"
    function = model.func if isinstance(model, functools.partial) else model
    return f"function {getattr(function, '__qualname__', type(function).__name__)}"


def evaluation_copy(model: Any) -> Any:
    """An nnx model as a copy in eval mode: running it moves none of the original's random
    streams or batch statistics (the copy's variables hold the same, immutable, arrays)."""
    from flax import nnx

    copy = nnx.merge(*nnx.split(model))
    copy.eval()
    return copy


def forward_function(model: Any, variables: Any = None) -> Callable[[Any], Any]:
    """x -> outputs, for a linen module (with its variables), an nnx module or a function."""
    if flax_kind(model) == "linen":
        if variables is None:
            raise TypeError(
                f"{type(model).__name__} is a flax.linen module: pass its variables "
                "(inspect(model, loss_fn, x, y, variables=params))"
            )
        if not isinstance(variables, Mapping) or "params" not in variables:
            variables = {"params": variables}  # state.params, as TrainState keeps them
        return lambda x: model.apply(variables, x)
    if flax_kind(model) == "nnx":
        return evaluation_copy(model)
    if not callable(model):
        raise TypeError(f"logitguard cannot run {type(model).__name__}: not a Flax model")
    return model


def read_loss(loss_fn: Any) -> tuple[LossUse | None, str | None]:
    """The optax loss a function is (`optax.softmax_cross_entropy`, also under partial)."""
    if loss_fn is None:
        return None, "no loss given: only the outputs were read"
    function = loss_fn
    while isinstance(function, functools.partial):
        function = function.func
    name = getattr(function, "__name__", type(function).__name__)
    module = getattr(function, "__module__", "") or ""
    known = knowledge.loss_function(f"optax.{name}") if module.startswith("optax") else None
    if known is None:
        return None, f"{name} is not an optax loss logitguard knows: not checked"
    return knowledge.loss_use(known, f"optax.{name}"), None


def _numpy(values: Any) -> np.ndarray | None:
    try:
        return np.asarray(values)
    except (TypeError, ValueError):
        return None


def judge_outputs(name: str, outputs: Any, notes: list[str]) -> Head | None:
    values = _numpy(outputs)
    if values is None or values.size == 0 or not np.issubdtype(values.dtype, np.floating):
        notes.append(f"{name} did not return one array of outputs: not checked")
        return None
    units = int(values.shape[-1]) if values.ndim > 1 else 1
    emits = probe_emits(values)
    if emits is Emits.UNKNOWN:
        notes.append(f"the outputs of {name} on the batch are neither logits nor probabilities")
        return None
    return Head(emits, f"{name} (judged on the batch: {emits.value})", units=units)


def read_setup(
    name: str, head: Head | None, loss_fn: Any, y: Any, notes: list[str]
) -> SetupReading:
    loss, loss_note = read_loss(loss_fn)
    if loss_note:
        notes.append(loss_note)
    labels = None
    if y is not None:
        labels = read_labels(_numpy(y), head.units if head else None)
    setup = TrainingSetup("jax", head=head, loss=loss, labels=labels, evidence="probe")
    return SetupReading(name, setup, notes)


def inspect_jax(
    model: Any, loss_fn: Any = None, x: Any = None, y: Any = None, *, variables: Any = None
) -> InspectionReport:
    """Check a Flax model (linen with `variables`, or nnx) with its optax loss on a batch `x`.

    `model` may also be any function from a batch to outputs (`state.apply_fn` bound to its
    parameters). Without `x` nothing can be judged: Flax activations are not visible objects.
    """
    name = model_name(model)
    notes: list[str] = []
    head = None
    if x is None:
        notes.append("no batch x given: a Flax model is judged by its outputs on a batch")
    else:
        forward = forward_function(model, variables)
        try:
            head = judge_outputs(name, forward(x), notes)
        except Exception as error:  # any error in the user's model: report it, do not crash
            notes.append(f"could not run {name} on x: {type(error).__name__}: {error}")
    return read_setup(name, head, loss_fn, y, notes).report()
