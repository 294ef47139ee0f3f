"""`guard`: check the first step of a PyTorch training loop, then get out of the way.

    criterion = nn.CrossEntropyLoss()
    with logitguard.torch.guard(model, criterion):
        for x, y in loader:
            loss = criterion(model(x), y)
            ...

On the first forward pass and loss call it reads what the model emits (its structure, and the
values of that very batch), what the loss expects and what the labels are, and raises
`LogitMismatchError` (or warns, with `on_mismatch="warn"`) on any error or warning finding.
Then it removes its hooks: later steps run exactly as without it.

The outputs are the model's, or, when a training step calls its networks directly instead of
the model (a LightningModule's `training_step` running `self.net(x)`, or an encoder and then a
head), those of the last such call before the loss. Lightning runs work the same:
`with guard(module, module.criterion): trainer.fit(module, loader)`.

A loss module (`nn.CrossEntropyLoss()`) is hooked directly. A loss function
(`F.cross_entropy`) cannot be: call the guard itself as the loss to have the labels checked too
(`loss_fn = guard(model, F.cross_entropy)`; `loss_fn(model(x), y)`); otherwise the outputs of
the first step are checked when the second forward pass starts (or when the `with` block ends).

Only users of PyTorch import this module (it imports torch); `import logitguard` does not.
"""

from __future__ import annotations

from typing import Any

from torch import Tensor, nn
from torch.utils.hooks import RemovableHandle

from logitguard.errors import (
    LogitMismatchError,
    LogitMismatchWarning,
    act_on,
    checked_step,
    validate_on_mismatch,
)
from logitguard.runtime.report import InspectionReport
from logitguard.runtime.torch_inspect import (
    LeafRecorder,
    hooked_reading,
    judge_head,
    read_setup,
    traced_reading,
)

HINT = (
    "logitguard.inspect(model, loss_fn, x, y) prints the full report; "
    "guard(..., on_mismatch='warn') reports without stopping."
)

__all__ = ["Guard", "LogitMismatchError", "LogitMismatchWarning", "guard"]


def _same_tensor(a: Any, b: Any) -> bool:
    """True when `a` is `b` or a view of it (`out.squeeze(1)` shares out's memory)."""
    if a is b:
        return True
    if not isinstance(a, Tensor) or not isinstance(b, Tensor) or a.numel() != b.numel():
        return False
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


class Guard:
    """Hooks a model and its loss until the first training step has been checked."""

    def __init__(self, model: nn.Module, loss_fn: Any, on_mismatch: str = "raise") -> None:
        self.model = model
        self.loss_fn = loss_fn
        self.on_mismatch = validate_on_mismatch(on_mismatch)
        self.report: InspectionReport | None = None
        self.checked = False
        self._output: Any = None
        self._seen_forward = False
        # Calls of watched modules in progress, and the first one a step made at the top.
        self._depth = 0
        self._first_call: nn.Module | None = None
        self._leaves: LeafRecorder | None = LeafRecorder(model)
        self._handles: list[RemovableHandle] = []
        for module in _watched_modules(model, loss_fn):
            self._handles.append(module.register_forward_pre_hook(self._on_enter))
            self._handles.append(module.register_forward_hook(self._on_leave, always_call=True))
        if isinstance(loss_fn, nn.Module):
            self._handles.append(loss_fn.register_forward_pre_hook(self._on_loss))

    @property
    def active(self) -> bool:
        """Whether any hook is still installed."""
        return bool(self._handles) or self._leaves is not None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the loss (checking the first call)."""
        if not self.checked:
            self._check(*_loss_arguments(args, kwargs))
        return self.loss_fn(*args, **kwargs)

    def __enter__(self) -> Guard:
        return self

    def __exit__(self, error_type: Any, error: Any, traceback: Any) -> None:
        if error_type is None and not self.checked and self._seen_forward:
            self._check(self._output, None)
        self.close()

    def close(self) -> None:
        """Remove every hook (done by itself after the first step)."""
        for handle in self._handles:
            handle.remove()
        self._handles.clear()
        if self._leaves is not None:
            self._leaves.remove()

    def _on_enter(self, module: nn.Module, args: Any) -> None:
        if self._depth == 0 and module is self._first_call and self._seen_forward:
            # The next step begins and the loss was never seen: check the first step's outputs.
            self._check(self._output, None)
            return
        self._depth += 1

    def _on_leave(self, module: nn.Module, inputs: Any, output: Any) -> None:
        self._depth -= 1
        if self._depth == 0 and not self.checked:
            # A top-level call: the model itself, or a network the training step calls directly
            # (a LightningModule's `self.net(x)`); the last one before the loss is the output.
            self._first_call = self._first_call or module
            self._seen_forward = True
            self._output = output

    def _on_loss(self, module: nn.Module, args: tuple[Any, ...]) -> None:
        if not self.checked:
            self._check(*_loss_arguments(args, {}))

    def _check(self, loss_input: Any, target: Any) -> None:
        self.checked = True
        calls = self._leaves.calls if self._leaves is not None else []
        output, self._output = self._output, None
        self.close()
        self._leaves = None
        self.report = checked_step(
            lambda: self._inspect(loss_input, target, output, calls), "training step", 3
        )
        if self.report is not None:
            act_on(self.report.findings, self.on_mismatch, HINT, stacklevel=3)

    def _inspect(self, loss_input: Any, target: Any, output: Any, calls: list[Any]) -> Any:
        notes: list[str] = []
        # The leaf modules of the first forward pass often show the head already, for free;
        # tracing with torch.fx (milliseconds) is needed when a function call made the output.
        reading = hooked_reading(output, calls) if isinstance(output, Tensor) else None
        if reading is None:
            reading = traced_reading(self.model, notes)
        from_model = _same_tensor(loss_input, output)
        head, evidence = judge_head(
            self.model, reading, loss_input, notes, is_model_output=from_model
        )
        return read_setup(self.model, self.loss_fn, head, evidence, target, notes).report()


def _watched_modules(model: nn.Module, loss_fn: Any) -> list[nn.Module]:
    """The model, and those of its direct children a training step may call instead of it:
    networks with parameters (not its loss, not its parameter-free metrics)."""
    children = [
        child
        for child in model.children()
        if child is not loss_fn
        and not isinstance(child, nn.modules.loss._Loss)
        and next(child.parameters(), None) is not None
    ]
    return [model, *children]


def _loss_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, Any]:
    loss_input = args[0] if args else kwargs.get("input", kwargs.get("logits"))
    target = args[1] if len(args) > 1 else kwargs.get("target", kwargs.get("labels"))
    return loss_input, target


def guard(model: nn.Module, loss_fn: Any, on_mismatch: str = "raise") -> Guard:
    """Check the first training step of `model` with `loss_fn`; see the module docstring."""
    return Guard(model, loss_fn, on_mismatch)
