"""`guard`: check the first call of a JAX train step (jitted or not), then get out of the way.

    @logitguard.jax.guard(loss_fn=optax.softmax_cross_entropy_with_integer_labels)
    @jax.jit
    def train_step(state, x, y):
        ...

On the first call, before the step runs, the guard runs the model once on that call's batch,
outside jit (a traced step shows no values), probes what the outputs hold, checks them against
the optax loss and the labels, and raises `LogitMismatchError` (or warns, with
`on_mismatch="warn"`) on any error or warning finding. Then it calls the step. Every later call
goes straight to the step: one attribute test, no tracing, no recompilation.

What the guard needs, it finds in the step's arguments:
- the model: a flax `TrainState` (`state.apply_fn` with `state.params`) or an nnx module among
  the arguments, or `model=` (a linen module, whose parameters it then takes from the
  `TrainState`, an nnx module, or a function from a batch to outputs);
- the batch: the last two positional arguments, or the last one when it is an `(x, y)` pair or
  a dict with "image"/"x"/"inputs" and "label"/"y"/"targets" entries, or `batch=`, a function
  of the step's arguments returning `(x, y)`.

An nnx model is run as a copy in eval mode, so the check advances no random stream and updates
no batch statistics of the model being trained.

`inspect(model, loss_fn, x, y, variables=None)` checks a model once, outside any training loop.

Only users of JAX import this module (it imports jax); `import logitguard` does not.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import jax  # noqa: F401  # the guard runs JAX models: fail early, here, without JAX

from logitguard.errors import (
    LogitMismatchError,
    LogitMismatchWarning,
    act_on,
    checked_step,
    validate_on_mismatch,
)
from logitguard.runtime.jax_inspect import (
    flax_kind,
    forward_function,
    inspect_jax,
    judge_outputs,
    model_name,
    read_setup,
)
from logitguard.runtime.report import InspectionReport

HINT = (
    "logitguard.jax.inspect(model, loss_fn, x, y) prints the full report; "
    "guard(..., on_mismatch='warn') reports without stopping."
)
_INPUT_KEYS = ("image", "images", "x", "inputs", "input", "features")
_LABEL_KEYS = ("label", "labels", "y", "targets", "target")

__all__ = ["Guard", "LogitMismatchError", "LogitMismatchWarning", "guard", "inspect"]


def inspect(
    model: Any, loss_fn: Any = None, x: Any = None, y: Any = None, *, variables: Any = None
) -> InspectionReport:
    """Check a Flax model (linen with `variables`, or nnx) with its optax loss on a batch."""
    return inspect_jax(model, loss_fn, x, y, variables=variables)


def _default_batch(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
    last = args[-1] if args else None
    if isinstance(last, Mapping):
        x = next((last[key] for key in _INPUT_KEYS if key in last), None)
        y = next((last[key] for key in _LABEL_KEYS if key in last), None)
        return x, y
    if isinstance(last, (tuple, list)) and len(last) == 2:
        return last[0], last[1]
    if len(args) >= 2:
        return args[-2], args[-1]
    return last, None


def _is_train_state(value: Any) -> bool:
    return hasattr(value, "apply_fn") and hasattr(value, "params")


def _state_variables(state: Any) -> dict[str, Any]:
    variables = {"params": state.params}
    batch_stats = getattr(state, "batch_stats", None)
    if batch_stats is not None:
        variables["batch_stats"] = batch_stats
    return variables


class Guard:
    """Wraps a train step; checks its first call, then only calls through."""

    def __init__(
        self,
        step: Callable[..., Any],
        loss_fn: Any,
        *,
        model: Any = None,
        batch: Callable[..., tuple[Any, Any]] | None = None,
        on_mismatch: str = "raise",
    ) -> None:
        self.step = step
        self.loss_fn = loss_fn
        self.model = model
        self.batch = batch or _default_batch
        self.on_mismatch = validate_on_mismatch(on_mismatch)
        self.report: InspectionReport | None = None
        self.checked = False
        functools.update_wrapper(self, step, updated=())

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not self.checked:
            self.checked = True
            self._check(args, kwargs)
        return self.step(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        # Everything else (`lower`, `trace`, `eval_shape` of a jitted step) is the step's.
        return getattr(self.step, name)

    def _check(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.report = checked_step(lambda: self._inspect(args, kwargs), "train step", 3)
        if self.report is not None:
            act_on(self.report.findings, self.on_mismatch, HINT, stacklevel=3)

    def _inspect(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> InspectionReport:
        x, y = self.batch(*args, **kwargs)
        forward, name = self._forward(args, kwargs)
        notes: list[str] = []
        head = judge_outputs(name, forward(x), notes)
        return read_setup(name, head, self.loss_fn, y, notes).report()

    def _forward(
        self, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[Callable[[Any], Any], str]:
        values = [*args, *kwargs.values()]
        state = next((value for value in values if _is_train_state(value)), None)
        model = self.model
        if model is None:
            model = next((value for value in values if flax_kind(value) == "nnx"), None)
        if flax_kind(model) == "linen" and state is None:
            raise TypeError("a linen model needs a TrainState among the step's arguments")
        if model is not None:
            variables = _state_variables(state) if state is not None else None
            return forward_function(model, variables), model_name(model)
        if state is not None:
            variables = _state_variables(state)
            return (lambda x: state.apply_fn(variables, x)), f"{type(state).__name__}.apply_fn"
        raise TypeError(
            "found no model among the step's arguments (a TrainState or an nnx module); "
            "pass guard(..., model=...)"
        )


def guard(
    step: Callable[..., Any] | None = None,
    *,
    loss_fn: Any,
    model: Any = None,
    batch: Callable[..., tuple[Any, Any]] | None = None,
    on_mismatch: str = "raise",
) -> Any:
    """Check the first call of a train step; see the module docstring.

    `guard(step, loss_fn=...)` wraps `step`; `@guard(loss_fn=...)` decorates it.
    """

    def wrap(function: Callable[..., Any]) -> Guard:
        return Guard(function, loss_fn, model=model, batch=batch, on_mismatch=on_mismatch)

    return wrap(step) if step is not None else wrap
