"""logitguard: find, explain and fix logits/probabilities mismatches in classifiers."""

from __future__ import annotations

from typing import Any

from logitguard.errors import LogitMismatchError, LogitMismatchWarning

__version__ = "0.1.0"

__all__ = [
    "LogitMismatchError",
    "LogitMismatchWarning",
    "__version__",
    "autocheck",
    "check_source",
    "fix",
    "inspect",
    "load_ipython_extension",
    "probability_model",
    "unload_ipython_extension",
]


def _is_torch_module(model: Any) -> bool:
    """A PyTorch module that is not a Keras model (on Keras' torch backend, models are both).

    Decided from the class hierarchy so that no framework is imported that is not in use.
    """
    roots = {cls.__module__.split(".")[0] for cls in type(model).__mro__}
    return "torch" in roots and not roots & {"keras", "tf_keras"}


def _is_flax_module(model: Any) -> bool:
    return any(cls.__module__.startswith("flax.") for cls in type(model).__mro__)


def inspect(model: Any, *args: Any, **kwargs: Any) -> Any:
    """Inspect a compiled Keras model, a PyTorch module or a Flax model with its loss function.

    Keras: `inspect(model, x=None, y=None)`. PyTorch: `inspect(module, loss_fn, x=None, y=None)`.
    Flax: `inspect(model, loss_fn, x, y=None, variables=None)` (variables for a linen module).
    Returns an `InspectionReport`; raises TypeError for anything else (as `fix` does).
    """
    if _is_flax_module(model):
        from logitguard.runtime.jax_inspect import inspect_jax

        return inspect_jax(model, *args, **kwargs)
    if _is_torch_module(model):
        from logitguard.runtime.torch_inspect import inspect_torch

        return inspect_torch(model, *args, **kwargs)
    from logitguard.runtime.keras_inspect import inspect_keras

    return inspect_keras(model, *args, **kwargs)


def fix(model: Any, *args: Any, **kwargs: Any) -> Any:
    """Return the Keras model recompiled with a loss and metrics that match its head."""
    from logitguard.runtime.keras_fix import fix_keras

    return fix_keras(model, *args, **kwargs)


def probability_model(model: Any) -> Any:
    """Wrap a logits model so that predictions are probabilities (softmax or sigmoid)."""
    if _is_torch_module(model):
        from logitguard.runtime.torch_inspect import probability_module

        return probability_module(model)
    from logitguard.runtime.keras_fix import probability_model_keras

    return probability_model_keras(model)


def check_source(source: str, path: str = "<string>") -> list[Any]:
    """Statically check one Python source text; returns the findings."""
    from logitguard.static.checker import check_source as _check_source

    return _check_source(source, path)


def autocheck(mode: str | bool = "warn", **kwargs: Any) -> Any:
    """Check every Keras compile/fit and each PyTorch loss module's first call from now on.

    `mode`: "warn", "raise", or False to undo. Returns a handle with `.undo()` (also a context
    manager). See `logitguard.integrations.autocheck`.
    """
    from logitguard.integrations.autocheck import autocheck as _autocheck

    return _autocheck(mode, **kwargs)


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext logitguard`: check each executed cell; see `logitguard.integrations.ipython`."""
    from logitguard.integrations.ipython import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """`%unload_ext logitguard`."""
    from logitguard.integrations.ipython import unload

    unload(ipython)
