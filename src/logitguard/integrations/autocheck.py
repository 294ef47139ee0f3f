"""`autocheck()`: check every Keras compile/fit and each PyTorch loss module's first call.

    import logitguard
    logitguard.autocheck()                # warns; mode="raise" stops with LogitMismatchError
    ...
    logitguard.autocheck(False)           # or handle.undo(), or `with logitguard.autocheck():`

`import logitguard.auto` does the same as `logitguard.autocheck()`.

Keras (3 and tf.keras 2): `Model.compile` and `Model.fit` are wrapped. After each compile the
model is read (head, loss, metrics); the first fit after a compile reads it again with a slice of
the training data (what the outputs hold, the label format) and reports only what is new.
PyTorch: the first call of each loss module (`nn.CrossEntropyLoss()`, `nn.BCELoss()`...) reads
what its input holds from the autograd graph that made it (or from its values under no_grad)
and checks the target too.

The wrappers only read: results are unchanged, and once an object has been checked each call
costs one set lookup. A framework imported after `autocheck()` is patched when it is imported.
"""

from __future__ import annotations

import sys
import warnings
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from logitguard.core.findings import Finding
from logitguard.errors import LogitMismatchWarning, act_on, validate_on_mismatch
from logitguard.runtime.report import InspectionReport

# Rows of the training data the first fit probes the model with.
SAMPLE_ROWS = 64
HINTS = {
    "warn": "logitguard.autocheck(mode='raise') stops instead of warning; "
    "logitguard.autocheck(False) turns these checks off.",
    "raise": "logitguard.autocheck(mode='warn') reports without stopping; "
    "logitguard.autocheck(False) turns these checks off.",
}

# Called with the findings of one check and what was checked, instead of warning.
Reporter = Callable[[list[Finding], str], None]


def _finding_key(finding: Finding) -> tuple[str, str]:
    return (finding.code, finding.message)


@dataclass
class _Patch:
    """An attribute replaced on a class, and how to put the original back."""

    owner: type
    name: str
    original: Any
    was_own: bool  # defined on `owner` itself rather than inherited

    def undo(self) -> None:
        if self.was_own:
            setattr(self.owner, self.name, self.original)
        else:
            delattr(self.owner, self.name)


def _patch(owner: type, name: str, make_wrapper: Callable[[Any], Any]) -> _Patch:
    original = getattr(owner, name)
    patch = _Patch(owner, name, original, name in vars(owner))
    setattr(owner, name, make_wrapper(original))
    return patch


@dataclass
class AutoCheck:
    """The active checks; `undo()` (or leaving a `with` block) restores the frameworks."""

    mode: str
    reporter: Reporter | None = None
    patches: list[_Patch] = field(default_factory=list, init=False)
    # Keras model -> the findings already reported for its current compile.
    _reported: weakref.WeakKeyDictionary[Any, set[tuple[str, str]]] = field(
        default_factory=weakref.WeakKeyDictionary, init=False, repr=False
    )
    _fitted: weakref.WeakSet[Any] = field(default_factory=weakref.WeakSet, init=False, repr=False)
    _checked_losses: weakref.WeakSet[Any] = field(
        default_factory=weakref.WeakSet, init=False, repr=False
    )

    @property
    def active(self) -> bool:
        return _active is self

    def undo(self) -> None:
        """Put back every patched method; later compiles, fits and losses run unchecked."""
        global _active
        for patch in reversed(self.patches):
            patch.undo()
        self.patches.clear()
        if _active is self:
            _active = None

    def __enter__(self) -> AutoCheck:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.undo()

    # -- Keras ----------------------------------------------------------------------------

    def patch_keras(self, keras_module: ModuleType) -> None:
        model_class = getattr(keras_module, "Model", None)
        if model_class is None or any(p.owner is model_class for p in self.patches):
            return
        self.patches.append(_patch(model_class, "compile", self._compile_wrapper))
        self.patches.append(_patch(model_class, "fit", self._fit_wrapper))

    def _compile_wrapper(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def compile(model: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(model, *args, **kwargs)
            self._reported[model] = set()
            self._fitted.discard(model)
            self._check_keras(model, None, None)
            return result

        return _like(original, compile)

    def _fit_wrapper(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def fit(model: Any, *args: Any, **kwargs: Any) -> Any:
            if model not in self._fitted:
                self._fitted.add(model)
                x, y = _fit_data(args, kwargs)
                self._check_keras(model, _head_rows(x), _head_rows(y))
            return original(model, *args, **kwargs)

        return _like(original, fit)

    def _check_keras(self, model: Any, x: Any, y: Any) -> None:
        from logitguard.runtime.keras_inspect import read_model, report_for

        report = _safely("this Keras model", lambda: report_for(read_model(model, x, y)))
        if report is None:
            return
        reported = self._reported.setdefault(model, set())
        new = [f for f in report.findings if _finding_key(f) not in reported]
        reported.update(_finding_key(f) for f in new)
        self._act(new, report.subject)

    # -- PyTorch --------------------------------------------------------------------------

    def patch_torch(self, torch_module: ModuleType) -> None:
        loss_base = torch_module.nn.modules.loss._Loss
        if any(p.owner is loss_base for p in self.patches):
            return
        self.patches.append(_patch(loss_base, "__call__", self._loss_wrapper))

    def _loss_wrapper(self, original: Callable[..., Any]) -> Callable[..., Any]:
        checked = self._checked_losses

        def __call__(loss: Any, *args: Any, **kwargs: Any) -> Any:
            if loss not in checked:
                checked.add(loss)
                self._check_loss(loss, args, kwargs)
            return original(loss, *args, **kwargs)

        return _like(original, __call__)

    def _check_loss(self, loss: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        from logitguard.runtime.torch_inspect import inspect_loss_call

        loss_input = args[0] if args else kwargs.get("input")
        target = args[1] if len(args) > 1 else kwargs.get("target")
        report = _safely(
            f"this call of {type(loss).__name__}",
            lambda: inspect_loss_call(loss, loss_input, target),
        )
        if report is not None:
            self._act(report.findings, report.subject)

    # -- Reporting ------------------------------------------------------------------------

    def _act(self, findings: list[Finding], subject: str) -> None:
        if not findings:
            return
        if self.mode == "warn" and self.reporter is not None:
            self.reporter(findings, subject)
            return
        # The warning points at the user's line: act_on <- _act <- _check_* <- wrapper <- user.
        act_on(findings, self.mode, HINTS[self.mode], stacklevel=4)


def _safely(what: str, check: Callable[[], InspectionReport]) -> InspectionReport | None:
    """A bug of ours (or an unreadable model) must never stop the user's program: warn."""
    try:
        return check()
    except Exception as error:
        # Points at the user's line: _safely <- _check_* <- wrapper <- user.
        warnings.warn(
            f"logitguard could not check {what} ({type(error).__name__}: {error}); "
            "it runs unchecked",
            LogitMismatchWarning,
            stacklevel=4,
        )
        return None


def _like(original: Callable[..., Any], wrapper: Callable[..., Any]) -> Callable[..., Any]:
    wrapper.__name__ = getattr(original, "__name__", wrapper.__name__)
    wrapper.__doc__ = getattr(original, "__doc__", None)
    wrapper.__wrapped__ = original  # type: ignore[attr-defined]
    return wrapper


def _fit_data(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, Any]:
    x = args[0] if args else kwargs.get("x")
    y = args[1] if len(args) > 1 else kwargs.get("y")
    return x, y


def _head_rows(data: Any) -> Any:
    """The first rows of arrays (or of each array in a list/dict); None for anything else.

    Data sets and generators are never touched: iterating them could consume data.
    """
    if isinstance(data, dict):
        rows = {key: _head_rows(value) for key, value in data.items()}
        return None if any(value is None for value in rows.values()) else rows
    if isinstance(data, (list, tuple)) and data and all(_is_array(item) for item in data):
        return type(data)(item[:SAMPLE_ROWS] for item in data)
    return data[:SAMPLE_ROWS] if _is_array(data) else None


def _is_array(data: Any) -> bool:
    shape = getattr(data, "shape", None)
    return shape is not None and len(shape) > 0 and hasattr(data, "__getitem__")


# -- Installing ---------------------------------------------------------------------------

_active: AutoCheck | None = None
_hooked_modules: set[str] = set()
_PATCHERS: dict[str, Callable[[AutoCheck, ModuleType], None]] = {
    "keras": AutoCheck.patch_keras,
    "tf_keras": AutoCheck.patch_keras,
    "torch": AutoCheck.patch_torch,
}


def _on_import(module: ModuleType) -> None:
    if _active is None:
        return
    try:
        _PATCHERS[module.__name__](_active, module)
    except Exception as error:  # an unknown framework version must not break its import
        warnings.warn(
            f"logitguard could not hook into {module.__name__} ({type(error).__name__}: "
            f"{error}); it runs unchecked",
            LogitMismatchWarning,
            stacklevel=2,
        )


def _install() -> None:
    """Patch the frameworks already imported, and hook the others to be patched on import."""
    import wrapt

    for name in _PATCHERS:
        if name in _hooked_modules:
            # Already hooked: patch now if it was imported since; else its hook will.
            module = sys.modules.get(name)
            if module is not None:
                _on_import(module)
            continue
        _hooked_modules.add(name)
        # Called at once when the module is already imported, else right after its import.
        wrapt.register_post_import_hook(_on_import, name)


def autocheck(mode: str | bool = "warn", *, reporter: Reporter | None = None) -> AutoCheck | None:
    """Check Keras compiles/fits and PyTorch loss modules from now on; see the module docstring.

    Args:
        mode: "warn" (`LogitMismatchWarning`, training goes on), "raise"
            (`LogitMismatchError`), True (= "warn"), or False to undo the active checks.
        reporter: in "warn" mode, called with the findings and what was checked instead of
            warning (the IPython extension displays them under the cell).

    Returns the active `AutoCheck` (None for False). Calling again replaces the previous one.
    """
    global _active
    if _active is not None:
        _active.undo()
    if mode is False:
        return None
    check = AutoCheck(validate_on_mismatch("warn" if mode is True else str(mode)), reporter)
    _active = check
    _install()
    return check


def active_autocheck() -> AutoCheck | None:
    return _active


__all__ = ["AutoCheck", "active_autocheck", "autocheck"]
