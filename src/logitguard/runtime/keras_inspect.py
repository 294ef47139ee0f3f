"""Inspect a live Keras model: what its outputs emit, what its compiled loss and metrics expect.

Works on Keras 3 (TensorFlow, JAX and PyTorch backends) and on tf.keras / Keras 2 (`tf_keras`).
The model is read, never changed: the head from the layer graph, the loss from `model.loss`,
the metrics from the compiled metric containers. A batch `x` (and `y`) adds an
empirical probe of what the outputs hold and of the label format. Everything ends up in the same
`TrainingSetup` facts the static checker produces, so `rules.ALL_RULES` reports the same codes
and texts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from logitguard.core.facts import (
    Emits,
    Head,
    LabelFormat,
    Location,
    LossFamily,
    LossUse,
    MetricKind,
    MetricUse,
    TrainingSetup,
)
from logitguard.core.findings import Finding, unreadable
from logitguard.knowledge import activations, regression_losses
from logitguard.knowledge import keras as knowledge
from logitguard.rules import ALL_RULES
from logitguard.runtime.probe import probe_emits, read_labels
from logitguard.runtime.report import InspectionReport

SUPPORTED_MAJORS = (2, 3)
# Nested sub-models and pass-through layers: deeper than this is a cycle or a bug.
MAX_WALK_DEPTH = 100

_EMITS_BY_FUNCTION_NAME = {
    "softmax": Emits.SOFTMAX,
    "softmax_v2": Emits.SOFTMAX,  # tf.nn.softmax
    "sigmoid": Emits.SIGMOID,
    "log_softmax": Emits.LOG_SOFTMAX,
    "log_softmax_v2": Emits.LOG_SOFTMAX,  # tf.nn.log_softmax
    "linear": Emits.LOGITS,
}
_FRAMEWORK_PACKAGES = ("keras", "tf_keras", "tensorflow")
# Names in a lambda's code that only lead to the function it calls (tf.nn.softmax, K.sigmoid).
_NAMESPACE_NAMES = frozenset(
    {"tf", "tensorflow", "nn", "math", "keras", "tf_keras", "activations", "ops", "K", "backend"}
)
# Keras 3 symbolic ops (keras.ops.softmax(x) inside a functional model).
_EMITS_BY_OP_CLASS = {
    "Softmax": Emits.SOFTMAX,
    "Sigmoid": Emits.SIGMOID,
    "LogSoftmax": Emits.LOG_SOFTMAX,
}


@dataclass(frozen=True)
class KerasFlavour:
    """Which Keras a model belongs to: `package` is importable ("keras" or "tf_keras")."""

    package: str
    version: str

    @property
    def major(self) -> int:
        leading = self.version.split(".")[0]
        return int(leading) if leading.isdigit() else 0

    def module(self) -> Any:
        return sys.modules[self.package]

    @property
    def backend(self) -> str | None:
        """The backend running the model: Keras 3's configured one; tf.keras runs TensorFlow."""
        if self.package == "tf_keras":
            return "tensorflow"
        config = getattr(self.module(), "config", None)
        backend = getattr(config, "backend", None)
        return str(backend()) if callable(backend) else None


def keras_flavour(model: Any) -> KerasFlavour | None:
    """The Keras a model object comes from, decided by its class hierarchy; None if not Keras."""
    for cls in type(model).__mro__:
        package = cls.__module__.split(".")[0]
        if package in ("keras", "tf_keras") and package in sys.modules:
            return KerasFlavour(package, getattr(sys.modules[package], "__version__", "0"))
    return None


# ---------------------------------------------------------------------------------------------
# Head: walk from each output back to the step that decides what it emits


@dataclass(frozen=True)
class _Link:
    """One step of the walk back from an output: the layer (or op) and how to reach its input."""

    layer: Any
    tensor_index: int
    upstream: Callable[[], _Link | None]


@dataclass(frozen=True)
class _HeadReading:
    emits: Emits
    display: str
    note: str | None = None
    activation: str | None = None  # a known activation that is no probability: "relu"


def _flat(structure: Any) -> list[Any]:
    if isinstance(structure, dict):
        return [item for key in sorted(structure) for item in _flat(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [item for element in structure for item in _flat(element)]
    return [structure]


def _no_upstream() -> _Link | None:
    return None


def _graph_link(tensor: Any) -> _Link | None:
    # Keras 3 KerasHistory is (operation, node_index, tensor_index); Keras 2 (layer, ...).
    history = getattr(tensor, "_keras_history", None)
    if history is None:
        return None
    layer, node_index, tensor_index = history[0], history[1], history[2]
    inputs = _flat(layer._inbound_nodes[node_index].input_tensors)
    if len(inputs) == 1:
        return _Link(layer, tensor_index, lambda: _graph_link(inputs[0]))
    return _Link(layer, tensor_index, _no_upstream)


def _sequential_link(layers: list[Any], index: int) -> _Link | None:
    if index < 0:
        return None
    return _Link(layers[index], 0, lambda: _sequential_link(layers, index - 1))


def _class_names(obj: Any) -> list[str]:
    return [cls.__name__ for cls in type(obj).__mro__]


def _is_sequential(model: Any) -> bool:
    return "Sequential" in _class_names(model)


def _last_dim(tensor: Any) -> int | None:
    shape = getattr(tensor, "shape", None)
    if shape is None or len(shape) == 0:
        return None
    last = shape[-1]
    return int(last) if isinstance(last, int) else None


def _units_walking_back(link: _Link | None) -> int | None:
    """Units of the nearest Dense-like layer before pass-through and activation layers."""
    for _ in range(MAX_WALK_DEPTH):
        if link is None:
            return None
        units = _units_label(link.layer)
        if units:
            return int(units)
        link = link.upstream()
    return None


def _graph_outputs(model: Any) -> list[tuple[str | None, Any]] | None:
    """(name, symbolic tensor) per output of a functional model; None for other models."""
    try:
        tensors = model.outputs
        structure = model.output
    except (AttributeError, ValueError):
        return None
    if not tensors or not all(hasattr(t, "_keras_history") for t in tensors):
        return None
    if isinstance(structure, dict):
        return [(key, structure[key]) for key in sorted(structure)]
    names = list(getattr(model, "output_names", None) or [None] * len(tensors))
    return list(zip(names, tensors, strict=False))


@dataclass(frozen=True)
class _OutputStart:
    """Where the walk back from one output starts; `link` None for a subclassed model."""

    name: str | None
    link: _Link | None
    units: int | None


def output_starts(model: Any) -> list[_OutputStart]:
    if _is_sequential(model):
        names = getattr(model, "output_names", None) or [None]
        link = _sequential_link(list(model.layers), len(model.layers) - 1)
        graph = _graph_outputs(model)  # present once the Sequential knows its input shape
        units = _last_dim(graph[0][1]) if graph else _units_walking_back(link)
        return [_OutputStart(names[0], link, units)]
    graph = _graph_outputs(model)
    if graph is None:
        return [_OutputStart(None, None, None)]
    return [_OutputStart(name, _graph_link(tensor), _last_dim(tensor)) for name, tensor in graph]


def _unwrap(function: Any) -> Any:
    while isinstance(function, functools.partial):
        function = function.func
    return function


def _function_label(function: Any) -> str:
    function = _unwrap(function)
    name = getattr(function, "__name__", type(function).__name__)
    module = getattr(function, "__module__", "") or ""
    if name == "softmax_v2" or name == "log_softmax_v2":
        name = name.removesuffix("_v2")
    if module.startswith("tensorflow"):
        return f"tf.nn.{name}"
    return name


def emits_of_function(function: Any) -> Emits:
    """What an activation function (or a Lambda's function) outputs, or UNKNOWN."""
    function = _unwrap(function)
    if function is None:
        return Emits.LOGITS
    name = getattr(function, "__name__", "")
    module = getattr(function, "__module__", "") or ""
    if module.split(".")[0] in _FRAMEWORK_PACKAGES:
        return _EMITS_BY_FUNCTION_NAME.get(name, Emits.UNKNOWN)
    code = getattr(function, "__code__", None)
    if code is None:
        return Emits.UNKNOWN
    # In `lambda x: tf.nn.softmax(x / t)` the outermost callee is the first name past the
    # namespaces leading to it; anything else wrapping the call shows up first.
    callee = next((n for n in code.co_names if n not in _NAMESPACE_NAMES), None)
    if callee in ("linear", None):
        return Emits.UNKNOWN
    return _EMITS_BY_FUNCTION_NAME.get(callee, Emits.UNKNOWN)


def other_activation_name(function: Any) -> str | None:
    """ "relu", "tanh"...: a framework activation known to emit neither probabilities nor logits."""
    function = _unwrap(function)
    module = getattr(function, "__module__", "") or ""
    name = getattr(function, "__name__", "")
    if module.split(".")[0] not in _FRAMEWORK_PACKAGES:
        return None
    return name if name in activations.NON_PROBABILITY_ACTIVATIONS else None


def _activation_layer_name(layer: Any, cls: str) -> str | None:
    """keras.layers.ReLU() and the like, with their default arguments only."""
    name = activations.KERAS_LAYERS.get(cls)
    if name is None:
        return None
    config = _config(layer)
    changed = config.get("max_value") is not None or config.get("threshold", 0) not in (0, None)
    if cls == "ReLU" and (changed or config.get("negative_slope", 0) not in (0, None)):
        return None
    return name


def _units_label(layer: Any) -> str:
    for attribute in ("units", "filters"):
        value = getattr(layer, attribute, None)
        if isinstance(value, int):
            return str(value)
    return ""


def _layer_label(layer: Any) -> str:
    """A short description of a layer for messages: Dense(10, activation='softmax')."""
    cls = type(layer).__name__
    units = _units_label(layer)
    activation = getattr(layer, "activation", None)
    if units and callable(activation) and emits_of_function(activation) is not Emits.LOGITS:
        return f"{cls}({units}, activation='{_function_label(activation)}')"
    return f"{cls}({units})"


def _upstream_label(link: _Link) -> str:
    upstream = link.upstream()
    return f"{_layer_label(upstream.layer)} + " if upstream is not None else ""


def _read_model_output(model: Any, tensor_index: int, depth: int) -> _HeadReading:
    starts = output_starts(model)
    link = starts[tensor_index].link if tensor_index < len(starts) else None
    reading = _read_link(link, depth + 1)
    if reading is None:
        return _HeadReading(
            Emits.UNKNOWN,
            f"{type(model).__name__} '{model.name}'",
            f"nested model '{model.name}' is subclassed: its call() cannot be read",
        )
    return dataclasses.replace(reading, display=f"{reading.display} in '{model.name}'")


def _read_link(link: _Link | None, depth: int = 0) -> _HeadReading | None:
    """What the tensor produced at `link` holds, walking back through pass-through layers."""
    if link is None or depth > MAX_WALK_DEPTH:
        return None
    layer = link.layer
    names = _class_names(layer)
    cls = names[0]
    if "Model" in names:
        return _read_model_output(layer, link.tensor_index, depth)
    if cls in knowledge.PASS_THROUGH_LAYERS or _is_identity(layer, cls):
        return _read_link(link.upstream(), depth + 1)
    if cls == "Activation":
        label = _function_label(layer.activation)
        own = f"Activation('{label}')"
        return _HeadReading(
            emits_of_function(layer.activation),
            _upstream_label(link) + own,
            activation=other_activation_name(layer.activation),
        )
    other = _activation_layer_name(layer, cls)
    if other is not None:
        return _HeadReading(Emits.UNKNOWN, f"{_upstream_label(link)}{cls}()", activation=other)
    if cls in _EMITS_BY_OP_CLASS and type(layer).__module__.startswith("keras.src.ops"):
        label = f"keras.ops.{cls.lower()}".replace("logsoftmax", "log_softmax")
        return _HeadReading(_EMITS_BY_OP_CLASS[cls], _upstream_label(link) + label)
    if cls == "Softmax":
        return _HeadReading(Emits.SOFTMAX, _upstream_label(link) + "Softmax()")
    if cls in ("Lambda", "TFOpLambda"):
        return _read_function_layer(link)
    activation = getattr(layer, "activation", None)
    if callable(activation):
        emits = emits_of_function(activation)
        other = other_activation_name(activation)
        note = None
        if emits is Emits.UNKNOWN and other is None:
            note = f"{_layer_label(layer)} ends in '{_function_label(activation)}': neither "
            note += "logits nor probabilities, not judged"
        return _HeadReading(emits, _layer_label(layer), note, other)
    return _HeadReading(
        Emits.UNKNOWN,
        f"{cls} '{layer.name}'",
        f"{cls} '{layer.name}' is a layer logitguard does not know: judged only by a probe "
        "(pass x)",
    )


def _is_identity(layer: Any, cls: str) -> bool:
    """An Activation or Lambda layer applying 'linear' (or None): the values pass unchanged."""
    if cls == "Activation":
        return emits_of_function(layer.activation) is Emits.LOGITS
    if cls == "Lambda":
        return emits_of_function(getattr(layer, "function", None)) is Emits.LOGITS
    return False


def _read_function_layer(link: _Link) -> _HeadReading:
    layer = link.layer
    function = getattr(layer, "function", None)
    symbol = getattr(layer, "symbol", None)  # tf_keras TFOpLambda: "nn.softmax"
    label = f"tf.{symbol}" if symbol else f"Lambda({_function_label(function)})"
    emits = emits_of_function(function)
    note = None
    if emits is Emits.UNKNOWN:
        note = f"{label}: what its function returns is not known; judged only by a probe (pass x)"
    return _HeadReading(emits, _upstream_label(link) + label, note)


# ---------------------------------------------------------------------------------------------
# Loss and metrics as compiled


@dataclass(frozen=True)
class CompiledLoss:
    """One output's compiled loss: the user's object, what Keras loss it is, and from_logits."""

    identifier: Any
    known: knowledge.KerasLoss
    from_logits: bool
    display: str

    def use(self) -> LossUse:
        return knowledge.loss_use(self.known, self.from_logits, self.display)


@dataclass(frozen=True)
class CompiledMetric:
    """One output's compiled metric: the user's identifier and what it became (None: unknown)."""

    identifier: Any
    use: MetricUse | None
    weighted: bool = False


def _known_loss_of_object(loss: Any) -> knowledge.KerasLoss | None:
    for cls in type(loss).__mro__:
        known = knowledge.find_loss(cls.__name__)
        if known is not None:
            return known
    wrapped = getattr(loss, "fn", None)  # LossFunctionWrapper around a loss function
    return knowledge.find_loss(getattr(wrapped, "__name__", "")) if callable(wrapped) else None


def _config(obj: Any) -> dict[str, Any]:
    try:
        config = obj.get_config()
    except (AttributeError, NotImplementedError, TypeError):
        return {}
    return config if isinstance(config, dict) else {}


def read_loss(identifier: Any) -> tuple[CompiledLoss | None, str | None]:
    """The compiled loss behind one identifier, or None with a note saying why not."""
    if isinstance(identifier, str):
        known = knowledge.find_loss(identifier)
        display = f"'{identifier}'"
        from_logits = False
    elif isinstance(identifier, functools.partial):
        known = knowledge.find_loss(getattr(identifier.func, "__name__", ""))
        from_logits = bool(identifier.keywords.get("from_logits", False))
        display = f"partial({_function_label(identifier)}, from_logits={from_logits})"
    elif hasattr(identifier, "get_config"):
        known = _known_loss_of_object(identifier)
        from_logits = bool(_config(identifier).get("from_logits", False))
        arguments = "from_logits=True" if from_logits else ""
        display = f"{type(identifier).__name__}({arguments})"
    else:
        known = knowledge.find_loss(getattr(identifier, "__name__", ""))
        from_logits = False
        display = f"keras.losses.{getattr(identifier, '__name__', repr(identifier))}"
    if known is None:
        return None, f"loss {display} is not a cross-entropy logitguard knows: not checked"
    return CompiledLoss(identifier, known, from_logits, display), None


def _threshold_of(config: dict[str, Any]) -> float | None:
    value = config.get("threshold", config.get("thresholds"))
    if isinstance(value, (list, tuple)):
        value = value[0] if len(value) == 1 else None
    return float(value) if isinstance(value, (int, float)) else None


def _metric_of_object(metric: Any) -> tuple[MetricKind, float | None, bool | None, str]:
    """(kind, threshold, from_logits, display) of a metric object or function."""
    wrapped = getattr(metric, "_fn", None)  # MeanMetricWrapper around a metric function
    if callable(wrapped):
        kwargs = getattr(metric, "_fn_kwargs", None) or {}
        kind = knowledge.metric_kind(getattr(wrapped, "__name__", ""))
        if kind is MetricKind.OTHER:  # `Accuracy()` wraps a function named `accuracy`
            kind = knowledge.metric_kind(type(metric).__name__)
        return kind, _threshold_of(kwargs), None, f"keras.metrics.{wrapped.__name__}"
    if not hasattr(metric, "get_config"):
        name = getattr(metric, "__name__", repr(metric))
        return knowledge.metric_kind(name), None, None, f"keras.metrics.{name}"
    kind = next(
        (
            knowledge.metric_kind(cls.__name__)
            for cls in type(metric).__mro__
            if knowledge.metric_kind(cls.__name__) is not MetricKind.OTHER
        ),
        MetricKind.OTHER,
    )
    config = _config(metric)
    threshold = _threshold_of(config)
    from_logits = config.get("from_logits")
    cls = type(metric).__name__
    if kind is MetricKind.BINARY_ACCURACY:
        display = f"{cls}(threshold={0.5 if threshold is None else threshold:g})"
    else:
        display = f"{cls}(from_logits=True)" if from_logits else f"{cls}()"
    return kind, threshold, from_logits if isinstance(from_logits, bool) else None, display


def _accuracy_reason(kind: MetricKind, units: int | None, family: LossFamily | None) -> str:
    resolved = knowledge.resolve_accuracy(
        units,
        family,
        LabelFormat.INTEGER
        if kind is MetricKind.SPARSE_CATEGORICAL_ACCURACY
        else LabelFormat.ONE_HOT,
    )
    if resolved is not None and resolved[0] is kind:
        return resolved[1]
    return f"Keras makes it {kind.value}"


@dataclass(frozen=True)
class _OutputContext:
    """What resolving 'accuracy' for one output may use."""

    units: int | None
    family: LossFamily | None
    labels: LabelFormat
    keras_major: int
    y_true: np.ndarray | None = None
    y_pred: np.ndarray | None = None


def _resolved_by_keras(identifier: str, context: _OutputContext) -> Any | None:
    """What Keras 3 itself turns 'accuracy' into for this batch (its own shape rule)."""
    if context.keras_major != 3 or context.y_true is None or context.y_pred is None:
        return None
    try:
        from keras.src.trainers.compile_utils import get_metric

        return get_metric(identifier, context.y_true, context.y_pred)
    except (ImportError, ValueError, IndexError, TypeError):
        return None  # a Keras without this helper, or labels it cannot size up


def read_metric(
    identifier: Any, built: Any | None, context: _OutputContext, weighted: bool = False
) -> CompiledMetric:
    """The compiled metric behind one identifier; `built` is Keras' own object when it exists."""
    is_accuracy_name = isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc")
    if is_accuracy_name:
        resolved = built if built is not None else _resolved_by_keras(identifier, context)
        if resolved is not None:
            kind, threshold, _, _ = _metric_of_object(resolved)
            because = _accuracy_reason(kind, context.units, context.family)
        else:
            guess = knowledge.resolve_accuracy(
                context.units,
                context.family,
                context.labels,
                graph_mode=context.keras_major == 2 and _graph_mode(),
            )
            if guess is None:
                return CompiledMetric(identifier, None, weighted)
            (kind, because), threshold = guess, None
        use = knowledge.metric_use(
            kind, f"'{identifier}'", threshold=threshold, resolved_because=because
        )
        return CompiledMetric(identifier, use, weighted)
    if isinstance(identifier, str):
        use = knowledge.metric_use(knowledge.metric_kind(identifier), f"'{identifier}'")
        return CompiledMetric(identifier, use, weighted)
    kind, threshold, from_logits, display = _metric_of_object(identifier)
    use = knowledge.metric_use(kind, display, threshold=threshold, from_logits=from_logits)
    return CompiledMetric(identifier, use, weighted)


def _graph_mode() -> bool:
    """tf.keras in TF1 graph mode: the only Keras 2 path that resolves 'accuracy' by the loss."""
    tensorflow = sys.modules.get("tensorflow")
    if tensorflow is None:
        return False
    return not tensorflow.compat.v1.executing_eagerly_outside_functions()


def per_output(structure: Any, names: list[str | None], per_output_lists: bool) -> list[Any]:
    """Spread a compile argument (loss or metrics) over the outputs as Keras does."""
    count = len(names)
    if structure is None:
        return [None] * count
    if isinstance(structure, dict):
        return [structure.get(name) for name in names]
    is_sequence = isinstance(structure, (list, tuple))
    if is_sequence and len(structure) == count and (count == 1 or per_output_lists):
        return list(structure)
    return [structure] * count


def _user_metrics(model: Any, keras_major: int) -> tuple[Any, Any, Any]:
    """(metrics, weighted_metrics, container) exactly as passed to compile()."""
    container = getattr(model, "_compile_metrics", None)  # Keras 3
    if keras_major == 2:
        container = getattr(model, "compiled_metrics", None)
    if container is None:
        return None, None, None
    metrics = getattr(container, "_user_metrics", None)
    weighted = getattr(container, "_user_weighted_metrics", None)
    return metrics, weighted, container


def _built_metrics(container: Any, keras_major: int) -> tuple[list[Any], list[Any]] | None:
    """Keras' own per-output metric objects once fit/evaluate built them; None before."""
    if container is None or not getattr(container, "built", False):
        return None
    if keras_major == 2:
        return list(container._metrics), list(container._weighted_metrics)

    def unpack(metrics_lists: list[Any]) -> list[Any]:
        return [[] if entry is None else list(entry.metrics) for entry in metrics_lists]

    try:
        return unpack(container._flat_metrics), unpack(container._flat_weighted_metrics)
    except AttributeError:
        return None  # another Keras 3 layout: resolve 'accuracy' from shapes instead


# ---------------------------------------------------------------------------------------------
def _as_numpy(value: Any) -> np.ndarray:
    if hasattr(value, "detach"):  # a torch tensor (Keras' torch backend) that tracks gradients
        value = value.detach().cpu()
    if hasattr(value, "numpy"):
        value = value.numpy()
    return np.asarray(value)


def _run_on_batch(model: Any, x: Any, names: list[str | None]) -> list[np.ndarray]:
    outputs = model(x, training=False)
    if isinstance(outputs, dict):
        keys = [name for name in names if name in outputs] or sorted(outputs)
        return [_as_numpy(outputs[key]) for key in keys]
    return [_as_numpy(output) for output in _flat(outputs)]


# ---------------------------------------------------------------------------------------------
# Putting it together


@dataclass
class OutputReading:
    """Everything read about one model output: the setup rules check, and the raw compile args."""

    name: str | None
    setup: TrainingSetup
    loss_identifier: Any = None  # as passed to compile(), known to logitguard or not
    loss: CompiledLoss | None = None
    metrics: list[CompiledMetric] = field(default_factory=list)


@dataclass
class ModelReading:
    subject: str
    flavour: KerasFlavour | None
    model_class: str
    outputs: list[OutputReading] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _subject(model: Any, flavour: KerasFlavour | None) -> str:
    package = flavour.package if flavour else type(model).__module__.split(".")[0]
    return f"{package}.{type(model).__name__} '{getattr(model, 'name', '?')}'"


def _head_for(
    model_class: str,
    start: _OutputStart,
    units: int | None,
    probed: Emits | None,
    notes: list[str],
) -> Head | None:
    reading = _read_link(start.link)
    where = f"output '{start.name}'" if start.name else "the output"
    if reading is None:
        reading = _HeadReading(
            Emits.UNKNOWN,
            f"{model_class}.call()",
            f"{model_class} is a subclassed model: its call() is not a layer graph; "
            "pass x to judge its outputs",
        )
    emits, display = reading.emits, reading.display
    # relu, tanh...: known not to be probabilities, whatever a batch looks like.
    known = reading.activation is not None
    decided_by_probe = emits is Emits.UNKNOWN and probed not in (None, Emits.UNKNOWN) and not known
    if reading.note and not decided_by_probe:
        notes.append(reading.note)
    if decided_by_probe:
        emits = probed
        display = f"{display} (judged on the batch: {probed.value})"
        notes.append(f"{where} ({reading.display}) was judged by its values on the batch only")
    elif probed is not None and probed is not Emits.UNKNOWN and probed is not emits and not known:
        notes.append(
            f"{where}: its layers say {emits.value} but on the batch the values look like "
            f"{probed.value}; the layers were trusted"
        )
    if emits is Emits.UNKNOWN and units is None and not known:
        return None
    return Head(emits=emits, display=display, units=units, activation=reading.activation)


def _probe(
    model: Any, x: Any, starts: list[_OutputStart], notes: list[str]
) -> list[np.ndarray] | None:
    try:
        return _run_on_batch(model, x, [start.name for start in starts])
    except Exception as error:  # any framework error: the structural reading still stands
        notes.append(f"could not run the model on x: {type(error).__name__}: {error}")
        return None


def _labels_per_output(y: Any, names: list[str | None]) -> list[Any]:
    if y is None:
        return [None] * len(names)
    if isinstance(y, dict):
        return [y.get(name) for name in names]
    if isinstance(y, (list, tuple)) and len(y) == len(names) and len(names) > 1:
        return list(y)
    return [y] * len(names)


def read_model(model: Any, x: Any = None, y: Any = None, *, strict: bool = False) -> ModelReading:
    """Read a compiled Keras model (and a batch) into one `OutputReading` per output.

    Keras internals this relies on change between versions: unless `strict`, a model that
    cannot be read gives a reading with no outputs and a note saying why, not an exception.
    """
    flavour = keras_flavour(model)
    reading = ModelReading(_subject(model, flavour), flavour, type(model).__name__)
    if flavour is None:
        reading.notes.append("not a Keras model: nothing was checked")
        return reading
    if flavour.major not in SUPPORTED_MAJORS:
        reading.notes.append(
            f"{flavour.package} {flavour.version} is not a Keras version logitguard knows "
            f"({', '.join(map(str, SUPPORTED_MAJORS))}.x): the reading may be incomplete"
        )
    try:
        _read_outputs(model, x, y, reading)
    except Exception as error:
        if strict:
            raise
        reading.outputs.clear()
        reading.notes.append(
            f"could not read this model ({type(error).__name__}: {error}); nothing was checked"
        )
    return reading


def _read_outputs(model: Any, x: Any, y: Any, reading: ModelReading) -> None:
    keras_major = reading.flavour.major if reading.flavour else 0
    starts = output_starts(model)
    batch = _probe(model, x, starts, reading.notes) if x is not None else None
    if batch is not None and len(batch) != len(starts):
        if starts[0].link is not None:
            reading.notes.append(
                f"the model returned {len(batch)} outputs for {len(starts)} in its graph: "
                "the probe was not used"
            )
            batch = None
        else:  # a subclassed model shows how many outputs it has only when it runs
            starts = [_OutputStart(None, None, None)] * len(batch)
    names = [start.name for start in starts]
    compiled_loss = getattr(model, "loss", None)
    if compiled_loss is None:
        reading.notes.append("the model is not compiled with a loss: only its outputs were read")
    losses = per_output(compiled_loss, names, per_output_lists=True)
    metrics, weighted, container = _user_metrics(model, keras_major)
    metric_lists = per_output(metrics, names, per_output_lists=keras_major == 3)
    weighted_lists = per_output(weighted, names, per_output_lists=keras_major == 3)
    built = _built_metrics(container, keras_major)
    labels = _labels_per_output(y, names)
    for index, start in enumerate(starts):
        compiled = _OutputCompile(losses[index], metric_lists[index], weighted_lists[index], built)
        output = batch[index] if batch is not None else None
        reading.outputs.append(
            _read_output(start, index, output, compiled, labels[index], keras_major, reading)
        )
    if len(reading.outputs) > 1:
        for index, output in enumerate(reading.outputs):
            _name_output_head(output, output.name or str(index))


def _name_output_head(output: OutputReading, name: str) -> None:
    head = output.setup.head
    if head is not None:
        output.setup.head = dataclasses.replace(head, display=f"{head.display} (output '{name}')")


@dataclass(frozen=True)
class _OutputCompile:
    """One output's share of the compile() arguments, and Keras' built metrics if any."""

    loss: Any
    metrics: Any
    weighted_metrics: Any
    built: tuple[list[Any], list[Any]] | None


def _read_output(
    start: _OutputStart,
    index: int,
    output: np.ndarray | None,
    compiled: _OutputCompile,
    y_true: Any,
    keras_major: int,
    reading: ModelReading,
) -> OutputReading:
    notes = reading.notes
    units = start.units
    if output is not None and output.ndim >= 1:
        units = int(output.shape[-1]) if output.ndim > 1 else 1
    probed = probe_emits(output) if output is not None else None
    head = _head_for(reading.model_class, start, units, probed, notes)
    loss, note = read_loss(compiled.loss) if compiled.loss is not None else (None, None)
    regression_loss = _regression_loss(compiled.loss) if loss is None else None
    if note and regression_loss is None:
        notes.append(note)
    labels = read_labels(y_true, units) if y_true is not None else None
    context = _OutputContext(
        units=units,
        family=loss.known.family if loss else None,
        labels=labels.format if labels else LabelFormat.UNKNOWN,
        keras_major=keras_major,
        y_true=None if y_true is None else np.asarray(y_true),
        y_pred=output,
    )
    metrics = list(_read_metrics(compiled, index, context))
    setup = TrainingSetup(
        framework="keras",
        head=head,
        loss=loss.use() if loss else None,
        metrics=[metric.use for metric in metrics if metric.use is not None],
        labels=labels,
        evidence="runtime",
        regression_loss=regression_loss,
        backend=reading.flavour.backend if reading.flavour else None,
    )
    return OutputReading(start.name, setup, compiled.loss, loss, metrics)


def _regression_loss(identifier: Any) -> str | None:
    """The compiled loss as written when it is a known regression loss ('mse', Huber())."""
    if isinstance(identifier, str):
        known = regression_losses.is_keras_regression_loss(identifier)
        return f"'{identifier}'" if known else None
    is_object = hasattr(identifier, "get_config")
    names = [cls.__name__ for cls in type(identifier).__mro__] if is_object else []
    function = _unwrap(identifier)
    names.append(getattr(function, "__name__", ""))
    if not any(name and regression_losses.is_keras_regression_loss(name) for name in names):
        return None
    return f"{type(identifier).__name__}()" if is_object else f"keras.losses.{function.__name__}"


def _read_metrics(
    compiled: _OutputCompile, index: int, context: _OutputContext
) -> Iterator[CompiledMetric]:
    arguments = ((False, compiled.metrics), (True, compiled.weighted_metrics))
    for is_weighted, structure in arguments:
        identifiers = [identifier for identifier in _flat(structure) if identifier is not None]
        objects: list[Any] = [None] * len(identifiers)
        if compiled.built is not None:
            per_output_built = compiled.built[1 if is_weighted else 0]
            mine = list(per_output_built[index]) if index < len(per_output_built) else []
            if len(mine) == len(identifiers):
                objects = mine
        for identifier, built_object in zip(identifiers, objects, strict=True):
            yield read_metric(identifier, built_object, context, is_weighted)


def report_for(reading: ModelReading) -> InspectionReport:
    setups = [output.setup for output in reading.outputs]
    findings = [finding for setup in setups for rule in ALL_RULES for finding in rule.run(setup)]
    return InspectionReport(reading.subject, setups, findings, list(reading.notes))


def inspect_keras(model: Any, x: Any = None, y: Any = None) -> InspectionReport:
    """Check a compiled Keras model; with a batch `x` (and labels `y`), probe it as well."""
    if keras_flavour(model) is None:
        raise TypeError(
            "logitguard.inspect() takes a Keras model, or a PyTorch module and its loss "
            f"function, not {type(model)!r}"
        )
    return report_for(read_model(model, x, y))


# Keras 3 releases before this one let a crafted model file run code even in safe mode
# (CVE-2025-1550, fixed in 3.9; CVE-2025-8747 and CVE-2025-9906, 3.11.0; CVE-2025-9905, .h5
# files, 3.11.3; CVE-2026-1462, TFSMLayer, 3.13.2).
SAFE_LOADING_KERAS = (3, 13, 2)


def inspect_keras_file(path: str) -> list[Finding]:
    """Load a saved .keras / .h5 model (compiled, in forced safe mode) and check it.

    Safe mode is forced for the load even where the process has called
    `keras.config.enable_unsafe_deserialization()`; a Keras without the published safe-mode
    fixes, or without a safe-mode scope to force, is refused rather than trusted. TensorFlow's
    native start-up messages are kept off stderr.
    """
    with _native_stderr_silenced():
        try:
            import keras
        except ImportError:
            return [unreadable(path, "Keras is not installed (pip install 'logitguard[keras]')")]
        try:
            safe_mode_scope = _forced_safe_mode(keras)
            with warnings.catch_warnings(), safe_mode_scope:
                # Loading warns about optimizer variables it skips; they do not matter here.
                warnings.simplefilter("ignore")
                model = keras.saving.load_model(path, compile=True, safe_mode=True)
        except UnsafeKeras as refusal:
            return [unreadable(path, str(refusal))]
        except Exception as error:  # any load failure is this file's problem only
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            reason = f"Keras could not load it: {type(error).__name__} {first_line}"
            return [unreadable(path, reason)]
        location = Location(path=path, line=1)
        findings = inspect_keras(model).findings
    return [dataclasses.replace(finding, location=location) for finding in findings]


class UnsafeKeras(Exception):
    """This Keras cannot be trusted to load a model file without running code from it."""


def _forced_safe_mode(keras_module: Any) -> Any:
    """A context that puts Keras in safe mode whatever the process set, or UnsafeKeras."""
    version = getattr(keras_module, "__version__", "0")
    if _version_tuple(version) < SAFE_LOADING_KERAS:
        wanted = ".".join(map(str, SAFE_LOADING_KERAS))
        raise UnsafeKeras(
            f"Keras {version} can run code from a model file even in safe mode (fixed in "
            f"{wanted}); not loaded. Upgrade: pip install 'keras>={wanted}'"
        )
    try:
        from keras.src.saving.serialization_lib import SafeModeScope
    except ImportError as error:
        raise UnsafeKeras(
            f"Keras {version} has no safe-mode scope logitguard can force; not loaded"
        ) from error
    return SafeModeScope(True)


def _version_tuple(version: str) -> tuple[int, ...]:
    numbers = []
    for part in version.split(".")[:3]:
        digits = "".join(itertools.takewhile(str.isdigit, part))
        numbers.append(int(digits) if digits else 0)
    return tuple(numbers)


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """Send what native code (TensorFlow, absl, CUDA probes) writes to fd 2 to /dev/null."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no stderr to protect
        yield
        return
    try:
        with open(os.devnull, "wb") as sink:
            os.dup2(sink.fileno(), 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


__all__ = [
    "CompiledLoss",
    "CompiledMetric",
    "KerasFlavour",
    "ModelReading",
    "OutputReading",
    "emits_of_function",
    "inspect_keras",
    "inspect_keras_file",
    "keras_flavour",
    "read_model",
    "report_for",
]
