"""Inspect a live PyTorch module with its loss: what the outputs hold, what the loss expects.

The head is read from the module's structure: its `forward` traced with torch.fx (which sees
functional calls such as `F.softmax` as well as submodules), or, when tracing fails and a batch
is given, forward hooks on the leaf modules (the last one to run that produced the output). With
a batch `x` the outputs are also probed by their values (probabilities? log-probabilities?),
which decides when the structure cannot; with `y`, the labels are read (class indices or
one-hot, and the number of classes where the batch shows it). The loss (a module such as
`nn.CrossEntropyLoss()` or a function such as `F.cross_entropy`) is looked up in
`knowledge.torch`. The facts are the `TrainingSetup` the static rules check, so the codes and
texts are the same as `logitguard check` reports.

Only users of PyTorch import this module (it imports torch).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

try:
    import torch
    import torch.nn.functional as F
    from torch import fx, nn
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "logitguard's PyTorch support needs torch: pip install 'logitguard[torch]'"
    ) from error

from logitguard.core.facts import Emits, Head, Labels, LossUse, TrainingSetup
from logitguard.knowledge import activations, regression_losses
from logitguard.knowledge import torch as knowledge
from logitguard.runtime.probe import probe_emits, read_labels
from logitguard.runtime.report import InspectionReport, SetupReading

# Steps walked back from the output; more is a cycle or an unusual graph.
MAX_WALK_STEPS = 50
# `torch.log(probs + 1e-8)` is still the log of the probabilities.
EPSILON_LIMIT = 1e-3

_LINEAR_UNITS: tuple[tuple[type[nn.Module], str], ...] = (
    (nn.Linear, "out_features"),
    (nn.LazyLinear, "out_features"),
    (nn.Bilinear, "out_features"),
    (nn.Conv1d, "out_channels"),
    (nn.Conv2d, "out_channels"),
    (nn.Conv3d, "out_channels"),
)
_ACTIVATION_MODULES: tuple[tuple[type[nn.Module], Emits], ...] = (
    (nn.Softmax, Emits.SOFTMAX),
    (nn.Sigmoid, Emits.SIGMOID),
    (nn.LogSoftmax, Emits.LOG_SOFTMAX),
)
_PASS_THROUGH_MODULES = (
    nn.Flatten,
    nn.Unflatten,
    nn.Identity,
    nn.Dropout,
    nn.Dropout1d,
    nn.Dropout2d,
    nn.Dropout3d,
    nn.AlphaDropout,
)
_ACTIVATION_FUNCTIONS: dict[Callable[..., Any], Emits] = {
    F.softmax: Emits.SOFTMAX,
    torch.softmax: Emits.SOFTMAX,
    torch.special.softmax: Emits.SOFTMAX,
    torch.sigmoid: Emits.SIGMOID,
    F.sigmoid: Emits.SIGMOID,
    torch.special.expit: Emits.SIGMOID,
    F.log_softmax: Emits.LOG_SOFTMAX,
    torch.log_softmax: Emits.LOG_SOFTMAX,
    torch.special.log_softmax: Emits.LOG_SOFTMAX,
}
_ACTIVATION_METHODS = {
    "softmax": Emits.SOFTMAX,
    "sigmoid": Emits.SIGMOID,
    "log_softmax": Emits.LOG_SOFTMAX,
}
# relu, tanh...: activations known to emit neither probabilities nor logits, by their name.
_OTHER_ACTIVATION_MODULES: tuple[tuple[type[nn.Module], str], ...] = tuple(
    (getattr(nn, module), name) for module, name in activations.TORCH_MODULES.items()
)
_MODULES_BY_PATH = {"torch": torch, "torch.nn.functional": F}
_OTHER_ACTIVATION_FUNCTIONS: dict[Callable[..., Any], str] = {
    getattr(_MODULES_BY_PATH[module], function): name
    for module, function, name in (
        (*path.rsplit(".", 1), name) for path, name in activations.TORCH_FUNCTIONS.items()
    )
    if hasattr(_MODULES_BY_PATH[module], function)
}
_OTHER_ACTIVATION_METHODS = {"relu": "relu", "tanh": "tanh"}
_LINEAR_FUNCTIONS = frozenset({F.linear, torch.matmul, operator.matmul, torch.addmm})
_PASS_THROUGH_FUNCTIONS = frozenset(
    {torch.flatten, torch.squeeze, torch.unsqueeze, torch.reshape, F.dropout, operator.getitem}
)
_PASS_THROUGH_METHODS = frozenset(
    {
        "view",
        "view_as",
        "reshape",
        "reshape_as",
        "squeeze",
        "unsqueeze",
        "flatten",
        "contiguous",
        "float",
        "double",
        "to",
        "clone",
    }
)
_ADDITIONS = frozenset({operator.add, torch.add})


# ---------------------------------------------------------------------------------------------
# The structure: one step of the computation, walking back from the output


@dataclass(frozen=True)
class _Step:
    kind: str  # "linear", "activation", "log", "pass", "unknown"
    label: str
    source: Any  # the step's input: an fx.Node, or a tensor for hook records
    emits: Emits | None = None
    units: int | None = None
    activation: str | None = None  # relu, tanh...: emits UNKNOWN


def _module_step(module: nn.Module, name: str, source: Any) -> _Step:
    for linear_type, attribute in _LINEAR_UNITS:
        if isinstance(module, linear_type):
            units = getattr(module, attribute, None)
            units = units if isinstance(units, int) else None
            return _Step("linear", f"{name}: {type(module).__name__}({units})", source, units=units)
    for activation_type, emits in _ACTIVATION_MODULES:
        if isinstance(module, activation_type):
            return _Step("activation", f"{name}: {type(module).__name__}", source, emits)
    for activation_type, activation in _OTHER_ACTIVATION_MODULES:
        if isinstance(module, activation_type):
            label = f"{name}: {type(module).__name__}"
            return _Step("activation", label, source, Emits.UNKNOWN, activation=activation)
    if isinstance(module, _PASS_THROUGH_MODULES):
        return _Step("pass", name, source)
    return _Step("unknown", f"{name}: {type(module).__name__}", source)


def _function_name(target: Any) -> str:
    return getattr(target, "__name__", None) or str(target)


def _is_small_constant(value: Any) -> bool:
    return isinstance(value, float) and 0 < value < EPSILON_LIMIT


def _fx_step(graph_module: fx.GraphModule, node: fx.Node) -> _Step:
    first = node.args[0] if node.args else None
    if node.op == "call_module":
        return _module_step(graph_module.get_submodule(str(node.target)), str(node.target), first)
    if node.op == "call_function":
        target = node.target
        label = _function_name(target)
        if target in _ACTIVATION_FUNCTIONS:
            return _Step("activation", label, first, _ACTIVATION_FUNCTIONS[target])
        if target in _OTHER_ACTIVATION_FUNCTIONS:
            name = _OTHER_ACTIVATION_FUNCTIONS[target]
            return _Step("activation", label, first, Emits.UNKNOWN, activation=name)
        if target is torch.log:
            return _Step("log", label, first)
        if target in _LINEAR_FUNCTIONS:
            return _Step("linear", label, first)
        if target in _PASS_THROUGH_FUNCTIONS:
            return _Step("pass", label, first)
        if target in _ADDITIONS and len(node.args) == 2:
            left, right = node.args
            if _is_small_constant(right):
                return _Step("pass", label, left)
            if _is_small_constant(left):
                return _Step("pass", label, right)
    if node.op == "call_method":
        method = str(node.target)
        if method in _ACTIVATION_METHODS:
            return _Step("activation", f".{method}()", first, _ACTIVATION_METHODS[method])
        if method in _OTHER_ACTIVATION_METHODS:
            name = _OTHER_ACTIVATION_METHODS[method]
            return _Step("activation", f".{method}()", first, Emits.UNKNOWN, activation=name)
        if method == "log":
            return _Step("log", ".log()", first)
        if method in _PASS_THROUGH_METHODS:
            return _Step("pass", f".{method}()", first)
    return _Step("unknown", node.name, first)


@dataclass(frozen=True)
class HeadReading:
    emits: Emits
    steps: tuple[str, ...]  # labels, input side first
    units: int | None = None
    unstable_log_softmax: bool = False
    activation: str | None = None  # relu, tanh...: emits UNKNOWN


def _read_steps(step_at: Callable[[Any], _Step | None], output: Any) -> HeadReading | None:
    """What the output holds, from the steps that made it (`step_at(source)` reads one step)."""
    labels: list[str] = []
    emits: Emits | None = None
    activation: str | None = None
    unstable = False
    source = output
    for _ in range(MAX_WALK_STEPS):
        step = step_at(source)
        if step is None or step.kind == "unknown":
            break
        if step.kind == "linear":
            labels.append(step.label)
            steps = tuple(reversed(labels))
            return HeadReading(emits or Emits.LOGITS, steps, step.units, unstable, activation)
        if step.kind == "log":
            if emits is not None:
                break  # an activation of a log: not a head logitguard knows
            inner = _skip_pass_through(step_at, step.source)
            if inner is None or inner.emits is not Emits.SOFTMAX:
                return None
            labels += [step.label, inner.label]
            emits, unstable, source = Emits.LOG_SOFTMAX, True, inner.source
            continue
        if step.kind == "activation":
            labels.append(step.label)
            if emits is None:
                emits, activation = step.emits, step.activation
        source = step.source
    if emits is None:
        return None
    return HeadReading(emits, tuple(reversed(labels)), None, unstable, activation)


def _skip_pass_through(step_at: Callable[[Any], _Step | None], source: Any) -> _Step | None:
    for _ in range(MAX_WALK_STEPS):
        step = step_at(source)
        if step is None or step.kind != "pass":
            return step
        source = step.source
    return None


def traced_reading(module: nn.Module, notes: list[str]) -> HeadReading | None:
    try:
        graph_module = fx.symbolic_trace(module)
    except Exception as error:  # data-dependent control flow, unsupported ops...
        notes.append(
            f"torch.fx could not trace {type(module).__name__}.forward "
            f"({type(error).__name__}); pass a batch x to read it by running it"
        )
        return None
    output = next(node for node in graph_module.graph.nodes if node.op == "output")
    returned = output.args[0]
    if not isinstance(returned, fx.Node):
        notes.append(f"{type(module).__name__}.forward returns several outputs: not checked")
        return None

    def step_at(source: Any) -> _Step | None:
        return _fx_step(graph_module, source) if isinstance(source, fx.Node) else None

    return _read_steps(step_at, returned)


@dataclass(frozen=True)
class _Call:
    label: str
    module: nn.Module
    input: Any
    output: Any


def _run(module: nn.Module, x: Any) -> Any:
    if isinstance(x, dict):
        return module(**x)
    if isinstance(x, (tuple, list)):
        return module(*x)
    return module(x)


class LeafRecorder:
    """Records every leaf module's call (input and output) until `remove()`."""

    def __init__(self, module: nn.Module) -> None:
        self.calls: list[_Call] = []
        self._handles = [
            leaf.register_forward_hook(self._recorder(name or type(leaf).__name__))
            for name, leaf in module.named_modules()
            if next(leaf.children(), None) is None
        ]

    def _recorder(self, label: str) -> Callable[..., None]:
        def record(leaf: nn.Module, inputs: tuple[Any, ...], output: Any) -> None:
            self.calls.append(_Call(label, leaf, inputs[0] if inputs else None, output))

        return record

    def remove(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles.clear()


def _run_recording_leaves(module: nn.Module, x: Any) -> tuple[Any, list[_Call]]:
    """Run the module once (eval mode, no gradients), recording every leaf module's call."""
    recorder = LeafRecorder(module)
    was_training = module.training
    try:
        module.eval()
        with torch.no_grad():
            output = _run(module, x)
    finally:
        module.train(was_training)
        recorder.remove()
    return output, recorder.calls


def hooked_reading(output: Any, calls: list[_Call]) -> HeadReading | None:
    """The head from the leaf modules that ran: the last one whose output is the result."""

    # Walking back, each step ran before the last one found: Identity and eval-mode Dropout
    # return their input itself, so the same tensor is the output of several calls.
    before = len(calls)

    def step_at(source: Any) -> _Step | None:
        nonlocal before
        for index in range(before - 1, -1, -1):
            call = calls[index]
            if call.output is source:
                before = index
                return _module_step(call.module, call.label, call.input)
        return None

    return _read_steps(step_at, output) if isinstance(output, torch.Tensor) else None


# The autograd nodes that record a tensor's last operations (by class name, stable across
# PyTorch 2.x): what a tensor holds can be read from them without knowing the module.
# Node -> (step kind, label, what an activation emits).
_AUTOGRAD_STEPS: dict[str, tuple[str, str, Emits | None]] = {
    "SoftmaxBackward0": ("activation", "softmax", Emits.SOFTMAX),
    "SigmoidBackward0": ("activation", "sigmoid", Emits.SIGMOID),
    "LogSoftmaxBackward0": ("activation", "log_softmax", Emits.LOG_SOFTMAX),
    "LogBackward0": ("log", "log", None),
    "AddmmBackward0": ("linear", "linear", None),
    "MmBackward0": ("linear", "linear", None),
    "ConvolutionBackward0": ("linear", "convolution", None),
    **{
        name: ("pass", name.removesuffix("Backward0").lower(), None)
        for name in (
            "ViewBackward0",
            "UnsafeViewBackward0",
            "ReshapeAliasBackward0",
            "CloneBackward0",
            "ToCopyBackward0",
            "UnsqueezeBackward0",
            "SqueezeBackward0",
        )
    },
    "SqueezeBackward1": ("pass", "squeeze", None),
    "SqueezeBackward2": ("pass", "squeeze", None),
}


def _autograd_step(node: Any) -> _Step:
    name = type(node).__name__
    inputs = [function for function, _ in node.next_functions]
    source = inputs[0] if inputs else None
    kind, label, emits = _AUTOGRAD_STEPS.get(name, ("unknown", name, None))
    return _Step(kind, label, source, emits)


def autograd_reading(tensor: Any) -> HeadReading | None:
    """What `tensor` holds, from the autograd graph that made it (None outside of training)."""
    if not isinstance(tensor, torch.Tensor) or tensor.grad_fn is None:
        return None

    def step_at(node: Any) -> _Step | None:
        return _autograd_step(node) if node is not None else None

    return _read_steps(step_at, tensor.grad_fn)


# ---------------------------------------------------------------------------------------------
# Loss and labels


def regression_loss(loss_fn: Any) -> str | None:
    """`nn.MSELoss()`, `F.l1_loss`...: the loss as shown, when it is a known regression loss."""
    target = loss_fn.func if isinstance(loss_fn, functools.partial) else loss_fn
    if isinstance(target, nn.Module):
        name = type(target).__name__
        known = any(cls.__name__ in regression_losses.TORCH_CLASSES for cls in type(target).__mro__)
        return f"nn.{name}()" if known else None
    name = getattr(target, "__name__", "")
    return f"F.{name}" if name in regression_losses.TORCH_FUNCTIONS else None


def read_loss(loss_fn: Any) -> tuple[LossUse | None, str | None]:
    """The loss a module (`nn.BCELoss()`) or function (`F.cross_entropy`) computes, and a note."""
    if loss_fn is None:
        return None, "no loss given: only the outputs were read"
    target = loss_fn.func if isinstance(loss_fn, functools.partial) else loss_fn
    if isinstance(target, nn.Module):
        for loss in knowledge.LOSSES:
            if isinstance(target, getattr(nn, loss.class_name)):
                return knowledge.loss_use(loss, f"nn.{type(target).__name__}()"), None
        return None, f"{type(target).__name__} is not a loss logitguard knows: not checked"
    name = getattr(target, "__name__", "")
    loss = knowledge.loss_function(f"{getattr(target, '__module__', None) or 'torch'}.{name}")
    if loss is None:
        return None, f"{name or type(target).__name__} is not a loss logitguard knows: not checked"
    return knowledge.loss_use(loss, f"F.{name}"), None


def _numpy(tensor: Any) -> Any:
    if isinstance(tensor, torch.Tensor):
        return tensor.detach().cpu().float().numpy()
    return tensor


def labels_of(y: Any, units: int | None) -> Labels | None:
    if y is None:
        return None
    if isinstance(y, torch.Tensor) and not torch.is_floating_point(y) and y.ndim > 1:
        return None  # integer multi-dimensional targets (segmentation masks): not read
    return read_labels(_numpy(y), units)


# ---------------------------------------------------------------------------------------------
# Putting it together


def structural_head(
    module: nn.Module, notes: list[str], x: Any = None
) -> tuple[HeadReading | None, Any]:
    """The head read from the module's structure, and its output on `x` (None without x)."""
    reading = traced_reading(module, notes)
    output = None
    if x is not None:
        try:
            output, calls = _run_recording_leaves(module, x)
        except Exception as error:  # any error in the user's forward: the structure stands
            notes.append(f"could not run the module on x: {type(error).__name__}: {error}")
            return reading, None
        if reading is None:
            reading = hooked_reading(output, calls)
    return reading, output


def judge_head(
    module: nn.Module,
    reading: HeadReading | None,
    output: Any,
    notes: list[str],
    *,
    is_model_output: bool = True,
) -> tuple[Head | None, str]:
    """Combine the structural reading with the values of `output` into the head's facts.

    `is_model_output` False: `output` went through more steps than the model (the training loop
    applied an activation) so only its values count. Returns the head and the evidence it rests
    on: "runtime" (the structure) or "probe" (the values alone).
    """
    name = type(module).__name__
    structure = reading if is_model_output else None
    probed = None
    units = structure.units if structure else None
    if isinstance(output, torch.Tensor) and output.numel() > 0:
        probed = probe_emits(_numpy(output))
        if units is None:
            units = int(output.shape[-1]) if output.ndim > 1 else 1
    if structure is not None:
        if probed not in (None, Emits.UNKNOWN, structure.emits) and not structure.activation:
            notes.append(
                f"{name}'s structure says {structure.emits.value} but on the batch the values "
                f"look like {probed.value}; the structure was trusted"
            )
        head = Head(
            structure.emits,
            f"{name} ({' -> '.join(structure.steps)})",
            units=units,
            unstable_log=Emits.SOFTMAX if structure.unstable_log_softmax else None,
            activation=structure.activation,
        )
        return head, "runtime"
    if probed is None or probed is Emits.UNKNOWN:
        return None, "runtime"
    where = f"the output of {name}" if is_model_output else "the loss input"
    notes.append(f"{where} was judged by its values on the batch only")
    return Head(probed, f"{where} (judged on the batch: {probed.value})", units=units), "probe"


def _subject(module: nn.Module) -> str:
    return f"torch {type(module).__module__}.{type(module).__name__}"


def read_setup(
    module: nn.Module,
    loss_fn: Any,
    head: Head | None,
    evidence: str,
    y: Any,
    notes: list[str],
) -> SetupReading:
    loss, loss_note = read_loss(loss_fn)
    regression = regression_loss(loss_fn) if loss is None and loss_fn is not None else None
    if loss_note and regression is None:
        notes.append(loss_note)
    labels = labels_of(y, head.units if head else None)
    setup = TrainingSetup(
        "torch", head=head, loss=loss, labels=labels, evidence=evidence, regression_loss=regression
    )
    return SetupReading(_subject(module), setup, notes)


def inspect_torch(
    module: nn.Module, loss_fn: Any = None, x: Any = None, y: Any = None
) -> InspectionReport:
    """Check a PyTorch module with the loss it is trained with; `x`, `y`: a batch to probe."""
    notes: list[str] = []
    reading, output = structural_head(module, notes, x)
    head, evidence = judge_head(module, reading, output, notes)
    if head is None:
        notes.append(
            f"could not tell what {type(module).__name__} outputs"
            + ("" if x is not None else "; pass a batch x to probe it")
        )
    return read_setup(module, loss_fn, head, evidence, y, notes).report()


def inspect_loss_call(loss_fn: Any, loss_input: Any, target: Any = None) -> InspectionReport:
    """Check one call of `loss_fn` from its arguments alone, without knowing the model.

    During training the input's autograd graph records the operations that made it (a softmax,
    a linear layer); without a graph (under `torch.no_grad()`) its values are probed.
    """
    notes: list[str] = []
    reading = autograd_reading(loss_input)
    if reading is None:
        head, evidence = judge_head(loss_fn, None, loss_input, notes, is_model_output=False)
    else:
        units = loss_input.shape[-1] if loss_input.ndim > 1 else 1
        head = Head(
            reading.emits,
            f"the loss input ({' -> '.join(reading.steps)})",
            units=int(units),
            unstable_log=Emits.SOFTMAX if reading.unstable_log_softmax else None,
        )
        evidence = "runtime"
    reading = read_setup(loss_fn, loss_fn, head, evidence, target, notes)
    reading.subject = f"a call of nn.{type(loss_fn).__name__}()"
    return reading.report()


# ---------------------------------------------------------------------------------------------
# Predictions as probabilities


class ProbabilityModule(nn.Module):
    """Wraps a module that outputs logits (or log-probabilities) to output probabilities."""

    def __init__(self, module: nn.Module, emits: Emits) -> None:
        super().__init__()
        self.module = module
        self.emits = emits

    def forward(self, *args: Any, **kwargs: Any) -> torch.Tensor:
        output = self.module(*args, **kwargs)
        if self.emits is Emits.LOG_SOFTMAX:
            return output.exp()
        if output.ndim == 1 or output.shape[-1] == 1:
            return torch.sigmoid(output)
        return torch.softmax(output, dim=-1)


def probability_module(module: nn.Module, x: Any = None) -> nn.Module:
    """`module` itself if it already outputs probabilities; else wrapped to output them.

    One output unit gets a sigmoid, several a softmax over the last dimension. Raises
    ValueError when what the module outputs cannot be told (pass a batch `x` to probe it).
    """
    notes: list[str] = []
    reading, output = structural_head(module, notes, x)
    head, _ = judge_head(module, reading, output, notes)
    if head is None or head.emits is Emits.UNKNOWN:
        raise ValueError(
            f"cannot tell whether {type(module).__name__} outputs logits or probabilities"
            + (f" ({'; '.join(notes)})" if notes else "")
            + ("" if x is not None else "; pass a batch x to probe it")
        )
    if head.emits.is_probability:
        return module
    return ProbabilityModule(module, head.emits)
