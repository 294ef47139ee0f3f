"""Keras layers and activations as steps, and the head a chain of steps ends in.

A model's output is read backwards, from the output towards the input, as a list of steps: an
activation (softmax, sigmoid...), a layer that leaves the values alone (Dropout), the Dense
layer that makes the scores, or something opaque. The head is the Dense layer plus whatever
activation follows it; an opaque step before the Dense means the head cannot be known.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

from logitguard.core.facts import Emits, Head, Location
from logitguard.knowledge import activations, keras_hub, transformers
from logitguard.static.engine.ast_tools import argument, called_name, keyword
from logitguard.static.engine.context import MAX_DEPTH
from logitguard.static.engine.written_out import Spelling, written_out_activation
from logitguard.static.frameworks.keras.context import KerasContext


@dataclass(frozen=True)
class DenseStep:
    """The layer that makes the scores: Dense, or an application's classification top."""

    where: Location
    emits: Emits
    units: int | None
    display: str
    explicit_activation: bool
    activation: str | None = None  # a known activation that is no probability: "relu"
    # Written out (`tf.matmul(x, W) + b`), not a layer: an activation function applied to it
    # shows as the call it is, `tf.nn.softmax(tf.matmul(x, W) + b)`.
    expression: str | None = None


@dataclass(frozen=True)
class ActivationStep:
    where: Location
    emits: Emits
    display: str
    activation: str | None = None  # a known activation that is no probability: "relu"
    function: bool = False  # `tf.nn.softmax(x)`, not a layer
    written_out: bool = False  # `tf.exp(z) / tf.reduce_sum(tf.exp(z), 1)`: shown after z


@dataclass(frozen=True)
class PassStep:
    """Leaves the values as they are; `keeps_units` False when it may reshape them."""

    keeps_units: bool


@dataclass(frozen=True)
class OpaqueStep:
    """A step whose effect on the values is unknown (custom layer, dynamic code...)."""


Step = DenseStep | ActivationStep | PassStep | OpaqueStep
OPAQUE = OpaqueStep()
# 'linear' (and None) as a separate step is the identity: the values before it come through.
IDENTITY = PassStep(keeps_units=True)

ACTIVATION_NAMES = {
    "softmax": Emits.SOFTMAX,
    "sigmoid": Emits.SIGMOID,
    "log_softmax": Emits.LOG_SOFTMAX,
    "linear": Emits.LOGITS,
}
_ACTIVATION_MODULES = (
    "keras.activations",
    "keras.ops",
    "keras.ops.nn",
    "keras.backend",
    "tensorflow.nn",
    "tensorflow",
)
ACTIVATION_FUNCTIONS = {
    f"{module}.{name}": emits
    for module in _ACTIVATION_MODULES
    for name, emits in ACTIVATION_NAMES.items()
    if name != "linear"
} | {"keras.activations.linear": Emits.LOGITS}
# relu, tanh...: neither probabilities nor raw scores (knowledge.activations).
OTHER_ACTIVATION_FUNCTIONS = {
    f"{module}.{name}": name
    for module in _ACTIVATION_MODULES
    for name in activations.NON_PROBABILITY_ACTIVATIONS
}
# TF1's functional dense layer, `dense(inputs, units, activation=None)`: no activation is
# linear, as for `Dense` (`tf.compat.v1.layers.dense` reads as this too); TFLearn's
# `fully_connected(incoming, n_units, activation="linear")` takes the same arguments.
TF1_DENSE_FUNCTIONS = frozenset(
    {"tensorflow.layers.dense", "tflearn.fully_connected", "tflearn.layers.core.fully_connected"}
)
# TF1's contrib and TF-Slim dense layer, `fully_connected(inputs, num_outputs,
# activation_fn=nn.relu)`: without `activation_fn` it applies a ReLU; `activation_fn=None`
# is linear.
TF_SLIM_FULLY_CONNECTED = frozenset(
    {
        f"{package}.fully_connected"
        for package in (
            "tensorflow.contrib.layers",
            "tensorflow.contrib.slim",
            "tensorflow.contrib.slim.layers",
            "tf_slim",
            "tf_slim.layers",
        )
    }
)
# TensorFlow's own affine map, `x @ W + b` in one op: raw scores.
_AFFINE_FUNCTIONS = frozenset({"tensorflow.nn.xw_plus_b"})
_MATMUL_FUNCTIONS = frozenset({"tensorflow.matmul", "tensorflow.linalg.matmul"})
# What makes a trained weight in TensorFlow code written without layers.
_VARIABLE_MAKERS = frozenset({"tensorflow.Variable", "tensorflow.get_variable"})
# Functions that keep the values of a tensor but may change its shape.
RESHAPING_FUNCTIONS = frozenset(
    {"tensorflow.squeeze", "tensorflow.reshape", "keras.ops.squeeze", "keras.ops.reshape"}
)
# Functions that keep a tensor's values and shape (a dtype change is no activation).
_VALUE_KEEPING_FUNCTIONS = frozenset(
    {"tensorflow.cast", "tensorflow.identity", "keras.ops.cast", "tensorflow.stop_gradient"}
)

_UNITS_KEEPING_LAYERS = frozenset(
    {
        "Dropout",
        "AlphaDropout",
        "GaussianDropout",
        "GaussianNoise",
        "ActivityRegularization",
        "Identity",
    }
)
_RESHAPING_LAYERS = frozenset({"Flatten", "Reshape"})
# Convolutions whose filters are the classes when they end a model (a segmentation head,
# `Conv2D(n_classes, 1)`): with no activation they emit raw scores, as `Dense` does.
_CONVOLUTIONS = frozenset(
    {
        "Conv1D",
        "Conv2D",
        "Conv3D",
        "Convolution1D",
        "Convolution2D",
        "Convolution3D",
        "Conv1DTranspose",
        "Conv2DTranspose",
        "Conv3DTranspose",
        "SeparableConv1D",
        "SeparableConv2D",
    }
)
# Past filters and kernel size, where Keras versions put other arguments before `activation`.
_CONV_KNOWN_POSITIONALS = 2
_OTHER_ACTIVATION_LAYERS = frozenset({"ReLU", "LeakyReLU", "ELU", "PReLU", "ThresholdedReLU"})
_ACTIVATION_LOOKUP = "keras.activations.get"


def activation_emits(expr: ast.AST | None, ctx: KerasContext, at: ast.stmt) -> Emits:
    """What an `activation=` value makes a layer emit (None and 'linear' mean raw logits)."""
    if expr is None:
        return Emits.LOGITS
    looked_up = _looked_up(expr, ctx, at)
    if looked_up is not None:  # `activations.get(activation)`: the function it names
        return activation_emits(*looked_up)
    if isinstance(expr, ast.Lambda):
        return _lambda_emits(expr, ctx, at)
    passed = _passed_activation(expr, ctx, at)
    if passed is not None:  # `activation=output_nonlinearity`, given by the call being read
        return activation_emits(*passed)
    attribute = ctx.self_attribute(expr, at)
    if attribute is not None:  # `activation=self.activation`, stored once by a method
        return activation_emits(attribute.value, ctx, attribute.statement)
    path = ctx.qualified(expr, at)
    if path in ACTIVATION_FUNCTIONS:
        return ACTIVATION_FUNCTIONS[path]
    value = ctx.literal(expr, at)  # a name's, or a project constant's (`config.ACTIVATION`)
    if value is None and ctx.surely_none(expr, at):
        return Emits.LOGITS
    return ACTIVATION_NAMES.get(value, Emits.UNKNOWN) if isinstance(value, str) else Emits.UNKNOWN


def activation_name(expr: ast.AST | None, ctx: KerasContext, at: ast.stmt) -> str | None:
    """The name of an `activation=` value known to emit neither probabilities nor logits."""
    if expr is None or isinstance(expr, ast.Lambda):
        return None
    looked_up = _looked_up(expr, ctx, at)
    if looked_up is not None:
        return activation_name(*looked_up)
    passed = _passed_activation(expr, ctx, at)
    if passed is not None:
        return activation_name(*passed)
    attribute = ctx.self_attribute(expr, at)
    if attribute is not None:
        return activation_name(attribute.value, ctx, attribute.statement)
    path = ctx.qualified(expr, at)
    if path is not None:
        return OTHER_ACTIVATION_FUNCTIONS.get(path)
    value = ctx.literal(expr, at)
    known = isinstance(value, str) and value in activations.NON_PROBABILITY_ACTIVATIONS
    return value if known else None  # type: ignore[return-value]


def held_activation(expr: ast.expr, ctx: KerasContext, at: ast.stmt) -> Step | None:
    """The step of calling an activation function kept in a name or on `self` (`self.act =
    tf.nn.softmax`, `self.activation = activations.get(activation)` of a custom layer given
    `activation="softmax"`, then `self.act(x)`); None when `expr` holds no activation."""
    func = expr.func if isinstance(expr, ast.Call) else expr
    path = ctx.qualified(func, at)
    if isinstance(expr, ast.Call):
        if path != _ACTIVATION_LOOKUP:
            return None
    elif path not in ACTIVATION_FUNCTIONS and path not in OTHER_ACTIVATION_FUNCTIONS:
        return None
    emits, name = activation_emits(expr, ctx, at), activation_name(expr, ctx, at)
    if emits is Emits.LOGITS:
        return IDENTITY
    if emits is Emits.UNKNOWN and name is None:
        return OPAQUE  # `activations.get(activation)`, the activation not known
    return ActivationStep(ctx.location(expr), emits, ctx.text(expr, 40), name, function=True)


def _looked_up(
    expr: ast.AST, ctx: KerasContext, at: ast.stmt
) -> tuple[ast.expr, KerasContext, ast.stmt] | None:
    """What `keras.activations.get(x)` is given, also kept in a name first (`act =
    activations.get(name)`): the activation it returns is the one `x` names (or is)."""
    if isinstance(expr, ast.Name):
        binding = ctx.value_binding(expr.id, at)
        if binding is None or not isinstance(binding.value, ast.Call):
            return None
        expr, at = binding.value, binding.statement
    if not isinstance(expr, ast.Call) or len(expr.args) != 1 or expr.keywords:
        return None
    return (expr.args[0], ctx, at) if ctx.qualified(expr.func, at) == _ACTIVATION_LOOKUP else None


def _passed_activation(
    expr: ast.AST, ctx: KerasContext, at: ast.stmt
) -> tuple[ast.expr, KerasContext, ast.stmt] | None:
    """What the call being read passes for the parameter `expr` names, where that call is."""
    passed = ctx.passed_argument(expr.id, at) if isinstance(expr, ast.Name) else None
    if passed is None:
        return None
    caller, value, call_at = passed
    return value, caller, call_at  # type: ignore[return-value]


def _lambda_emits(expr: ast.Lambda, ctx: KerasContext, at: ast.stmt) -> Emits:
    """`lambda x: tf.nn.softmax(x)` emits softmax; any other lambda, unknown values."""
    parameters = expr.args.args
    body = expr.body
    if len(parameters) != 1 or not isinstance(body, ast.Call) or not body.args:
        return Emits.UNKNOWN
    first = body.args[0]
    if not isinstance(first, ast.Name) or first.id != parameters[0].arg:
        return Emits.UNKNOWN
    return ACTIVATION_FUNCTIONS.get(ctx.qualified(body.func, at) or "", Emits.UNKNOWN)


def function_step(call: ast.Call, path: str, ctx: KerasContext, at: ast.stmt) -> Step | None:
    """`tf.nn.softmax(x)`-style calls on a tensor, and TF1's functional layers
    (`tf.layers.dense(x, 10, activation=tf.nn.softmax)`); None when `path` is no such function."""
    if path in TF1_DENSE_FUNCTIONS:
        return _dense_step(call, ctx, at, units_at=1)
    if path in TF_SLIM_FULLY_CONNECTED:
        return _dense_step(call, ctx, at, 1, ("num_outputs", "activation_fn"), True)
    if path in _AFFINE_FUNCTIONS:
        return _affine(call, ctx)
    if path in ACTIVATION_FUNCTIONS:
        emits = ACTIVATION_FUNCTIONS[path]
        if emits is Emits.LOGITS:
            return IDENTITY
        short = path.rsplit(".", 1)[-1]
        display = f"{_module_alias(path)}.{short}"
        return ActivationStep(ctx.location(call), emits, display, function=True)
    if path in OTHER_ACTIVATION_FUNCTIONS:
        name = OTHER_ACTIVATION_FUNCTIONS[path]
        display = f"{_module_alias(path)}.{name}"
        return ActivationStep(ctx.location(call), Emits.UNKNOWN, display, name, function=True)
    if path in RESHAPING_FUNCTIONS:
        return PassStep(keeps_units=False)
    if path in _VALUE_KEEPING_FUNCTIONS:
        return PassStep(keeps_units=True)
    return None


# TensorFlow's and Keras' names for the steps of a softmax or a sigmoid written out by hand.
_EXPONENTIALS = frozenset(
    {"tensorflow.exp", "tensorflow.math.exp", "keras.ops.exp", "keras.backend.exp"}
)
_SUMS = frozenset(
    {"tensorflow.reduce_sum", "tensorflow.math.reduce_sum", "keras.ops.sum", "keras.backend.sum"}
)


def written_out_step(
    expr: ast.AST, ctx: KerasContext, at: ast.stmt
) -> tuple[ActivationStep, ast.expr] | None:
    """`tf.exp(z) / tf.reduce_sum(tf.exp(z), 1, keepdims=True)` or `1 / (1 + tf.exp(-z))`: the
    activation step, and z."""
    if not isinstance(expr, ast.BinOp) or not isinstance(expr.op, ast.Div):
        return None

    def bound_to(name: ast.Name) -> ast.expr | None:
        binding = ctx.value_binding(name.id, at)
        return binding.value if binding is not None else None  # type: ignore[return-value]

    spelling = Spelling(_EXPONENTIALS, _SUMS, lambda func: ctx.qualified(func, at), bound_to)
    written = written_out_activation(expr, spelling)
    if written is None:
        return None
    display = written.described(ctx.text(expr))
    step = ActivationStep(ctx.location(expr), written.emits, display, written_out=True)
    return step, written.scores


def affine_step(expr: ast.AST, ctx: KerasContext, at: ast.stmt) -> DenseStep | None:
    """`tf.matmul(h, W) + b` or `h @ W + b`, with `W` and `b` weights: trained variables
    (`tf.Variable`, `tf.get_variable`, or a dict of them), or tensors from outside (a
    function's parameters, `W, b = params`): a linear layer written by hand. A product of
    probabilities (times a transition matrix), or of tensors computed here, is not read."""
    if not isinstance(expr, ast.BinOp) or not isinstance(expr.op, ast.Add):
        return None
    for product, bias in ((expr.left, expr.right), (expr.right, expr.left)):
        factors = _matmul_factors(product, ctx, at)
        if len(factors) != 2 or _is_probabilities(factors[0], ctx, at):
            continue
        if _is_weight(factors[1], ctx, at) and _is_weight(bias, ctx, at):
            return _affine(expr, ctx, _output_width(product, factors[1], bias, ctx, at))
    return None


# Initial values of a shape given as their first argument: `tf.zeros([784, 10])`.
_SHAPED_INITIALISERS = frozenset(
    {"zeros", "ones", "random_normal", "truncated_normal", "random_uniform", "normal", "uniform"}
)


def _output_width(
    product: ast.expr, weight: ast.expr, bias: ast.expr, ctx: KerasContext, at: ast.stmt
) -> int | None:
    """The units of `x @ W + b`: the last of W's literal shape (`tf.Variable(tf.zeros([784,
    10]))`, `tf.get_variable("w", [784, 10])`), broadcast with the bias's when it is written
    out too (`[4, 1]` plus a bias of `[1, 3]` gives 3); None when W's is not written out or
    the product transposes a factor."""
    if isinstance(product, ast.Call) and product.keywords:
        return None  # `transpose_b=True`, `adjoint_b=True`...
    weights = _literal_shape(weight, ctx, at)
    if weights is None or len(weights) != 2:
        return None
    width = weights[-1]
    biases = _literal_shape(bias, ctx, at)
    added = biases[-1] if biases else None
    if added is None or added == width:
        return width
    return added if width == 1 else width if added == 1 else None


def _literal_shape(variable: ast.expr, ctx: KerasContext, at: ast.stmt) -> list[int] | None:
    """The shape a trained variable is made with, when written out as positive ints."""
    found = ctx.through_names(variable, at)
    made, where = found if found is not None else (variable, at)
    if not isinstance(made, ast.Call):
        return None
    path = ctx.qualified(made.func, where)
    if path == "tensorflow.get_variable":
        shape = argument(made, 1, "shape")
    elif path == "tensorflow.Variable" and made.args:
        initial = made.args[0]
        shaped = isinstance(initial, ast.Call) and called_name(initial) in _SHAPED_INITIALISERS
        shape = initial.args[0] if shaped and initial.args else None  # type: ignore[attr-defined]
    else:
        return None
    dimensions = ctx.literal(shape, where) if shape is not None else None
    if not isinstance(dimensions, list | tuple) or not dimensions:
        return None
    valid = all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in dimensions)
    return list(dimensions) if valid else None


def _is_weight(expr: ast.AST, ctx: KerasContext, at: ast.stmt) -> bool:
    """A trained variable, or a tensor from outside this code: a name bound to nothing it
    can read (a parameter, `W, b = params`, a notebook's earlier global)."""
    if _is_variable(expr, ctx, at):
        return True
    return isinstance(expr, ast.Name) and ctx.through_names(expr, at) is None


def _is_probabilities(expr: ast.AST, ctx: KerasContext, at: ast.stmt) -> bool:
    """Whether `expr` is, or names, an activation's probabilities (`tf.nn.softmax(z)`)."""
    found = ctx.through_names(expr, at)
    if found is None or not isinstance(found[0], ast.Call):
        return False
    call, statement = found
    emits = ACTIVATION_FUNCTIONS.get(ctx.qualified(call.func, statement) or "")  # type: ignore[arg-type]
    return emits is not None and emits.is_probability


def _affine(node: ast.AST, ctx: KerasContext, units: int | None = None) -> DenseStep:
    # In parentheses: steps after it are joined with " + " too (`(x @ W + b) + Softmax()`).
    text = ctx.text(node, 40)
    display = f"({text})" if isinstance(node, ast.BinOp) else text
    return DenseStep(
        ctx.location(node), Emits.LOGITS, units, display, explicit_activation=False, expression=text
    )


def _matmul_factors(expr: ast.AST, ctx: KerasContext, at: ast.stmt) -> list[ast.expr]:
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.MatMult):
        return [expr.left, expr.right]
    if isinstance(expr, ast.Call) and ctx.qualified(expr.func, at) in _MATMUL_FUNCTIONS:
        return [arg for arg in expr.args[:2] if not isinstance(arg, ast.Starred)]
    return []


def _is_variable(expr: ast.AST, ctx: KerasContext, at: ast.stmt) -> bool:
    """Whether `expr` reads a trained variable: made here, named, kept on `self`, or kept in
    a dict under a constant key (`weights["out"]`)."""
    for _ in range(MAX_DEPTH):
        if isinstance(expr, ast.Call):
            return ctx.qualified(expr.func, at) in _VARIABLE_MAKERS
        if isinstance(expr, ast.Subscript):
            found = ctx.through_names(expr.value, at)
            key = ctx.literal(expr.slice, at)
            if found is None or not isinstance(found[0], ast.Dict) or key is None:
                return False
            table, defined = found
            keys = [ctx.literal(known, defined) if known else None for known in table.keys]
            if keys.count(key) != 1:
                return False
            expr, at = table.values[keys.index(key)], defined  # type: ignore[assignment]
            continue
        attribute = ctx.self_attribute(expr, at)
        if attribute is not None:
            expr, at = attribute.value, attribute.statement  # type: ignore[assignment]
            continue
        followed = ctx.through_names(expr, at) if isinstance(expr, ast.Name) else None
        if followed is None:
            return False
        expr, at = followed  # type: ignore[assignment]
    return False


def _module_alias(path: str) -> str:
    return path.rsplit(".", 1)[0].replace("tensorflow", "tf", 1)


def layer_step(call: ast.Call, path: str, ctx: KerasContext, at: ast.stmt) -> Step:
    """The step a Keras layer constructed by `call` (canonical name `path`) adds."""
    if path.startswith("keras.applications.") and path.rsplit(".", 1)[-1][:1].isupper():
        return _application_step(call, path.rsplit(".", 1)[-1], ctx, at)
    task_model = transformers.task_model(path, "keras")
    if task_model is not None:
        return _transformers_step(call, task_model, ctx, at)
    hub_classifier = keras_hub.classifier(path)
    if hub_classifier is not None:
        return _keras_hub_step(call, hub_classifier, ctx, at)
    if not path.startswith("keras.layers."):
        return OPAQUE
    name = path.rsplit(".", 1)[-1]
    if name == "Dense":
        return _dense_step(call, ctx, at)
    if name in _CONVOLUTIONS:
        return _convolution_step(call, name, ctx, at)
    if name in _UNITS_KEEPING_LAYERS or name in _RESHAPING_LAYERS:
        return PassStep(keeps_units=name in _UNITS_KEEPING_LAYERS)
    if name == "Softmax":
        return ActivationStep(ctx.location(call), Emits.SOFTMAX, "Softmax()")
    if name in _OTHER_ACTIVATION_LAYERS:
        # ReLU(max_value=1.0) and the like change the range: only the plain layer is known.
        plain = not call.args and not call.keywords
        activation = activations.KERAS_LAYERS.get(name) if plain else None
        return ActivationStep(ctx.location(call), Emits.UNKNOWN, f"{name}()", activation)
    if name == "Activation":
        return _activation_layer_step(call, ctx, at)
    if name == "Lambda":
        return _lambda_layer_step(call, ctx, at)
    if name == "TimeDistributed":
        return _time_distributed_step(call, ctx, at)
    return OPAQUE


def _time_distributed_step(call: ast.Call, ctx: KerasContext, at: ast.stmt) -> Step:
    """`TimeDistributed(Dense(50, activation="softmax"))`: the wrapped layer, at every step of
    the sequence, so it emits what that layer emits, with as many units."""
    wrapped = argument(call, 0, "layer")
    if not isinstance(wrapped, ast.Call):
        return OPAQUE
    path = ctx.qualified(wrapped.func, at)
    return layer_step(wrapped, path, ctx, at) if path else OPAQUE


def _dense_step(
    call: ast.Call,
    ctx: KerasContext,
    at: ast.stmt,
    units_at: int = 0,
    names: tuple[str, str] = ("units", "activation"),
    relu_by_default: bool = False,
) -> Step:
    """`Dense(units, activation)`, `tf.layers.dense(inputs, units, activation)` (units
    `units_at` 1), or TF-Slim's `fully_connected(inputs, num_outputs, activation_fn)`, which
    applies a ReLU unless given another `activation_fn` (`relu_by_default`); `names`: the
    keywords of the units and of the activation."""
    units_keyword, activation_keyword = names
    units_node = argument(call, units_at, units_keyword) or ctx.keyword_argument(
        call, units_keyword, at
    )
    activation_node = argument(call, units_at + 1, activation_keyword) or ctx.keyword_argument(
        call, activation_keyword, at
    )
    if activation_node is None and ctx.unpacks_unknown_keywords(call, at):
        return OPAQUE  # Dense(10, **kwargs): the activation may be in kwargs
    units = ctx.literal(units_node, at)
    units_text = ctx.text(units_node, 30) if units_node is not None else "?"
    # `Dense(10)`, or as written for TF1: `tf.layers.dense(..., 10)`
    name, inputs = ("Dense", "") if units_at == 0 else (ctx.text(call.func, 40), "..., ")
    display = f"{name}({inputs}{units_text})"
    emits, activation = (
        activation_emits(activation_node, ctx, at),
        activation_name(activation_node, ctx, at),
    )
    if activation_node is not None:
        activation_text = ctx.text(activation_node, 40)
        display = f"{name}({inputs}{units_text}, {activation_keyword}={activation_text})"
    elif relu_by_default:
        display += " (a ReLU by default)"
        emits, activation = Emits.UNKNOWN, "relu"
    return DenseStep(
        where=ctx.location(call),
        emits=emits,
        units=units if isinstance(units, int) and not isinstance(units, bool) else None,
        display=display,
        explicit_activation=activation_node is not None or relu_by_default,
        activation=activation,
    )


def _convolution_step(call: ast.Call, name: str, ctx: KerasContext, at: ast.stmt) -> Step:
    """`Conv2D(filters, kernel_size, ..., activation=...)`, its channels last (the axis
    losses and softmax read). The activation counts only given by keyword: its position
    differs between Keras versions."""
    activation_node = keyword(call, "activation") or ctx.keyword_argument(call, "activation", at)
    if len(call.args) > _CONV_KNOWN_POSITIONALS:
        return OPAQUE
    if activation_node is None and ctx.unpacks_unknown_keywords(call, at):
        return OPAQUE
    data_format_node = keyword(call, "data_format") or ctx.keyword_argument(call, "data_format", at)
    if data_format_node is not None and ctx.literal(data_format_node, at) != "channels_last":
        return OPAQUE
    filters_node = argument(call, 0, "filters") or ctx.keyword_argument(call, "filters", at)
    filters = ctx.literal(filters_node, at)
    shown = [ctx.text(filters_node, 30) if filters_node is not None else "?"]
    if activation_node is not None:
        shown.append(f"activation={ctx.text(activation_node, 40)}")
    return DenseStep(
        where=ctx.location(call),
        emits=activation_emits(activation_node, ctx, at),
        units=filters if isinstance(filters, int) and not isinstance(filters, bool) else None,
        display=f"{name}({', '.join(shown)})",
        explicit_activation=activation_node is not None,
        activation=activation_name(activation_node, ctx, at),
    )


def _activation_layer_step(call: ast.Call, ctx: KerasContext, at: ast.stmt) -> Step:
    activation_node = argument(call, 0, "activation")
    if activation_node is None:
        return OPAQUE
    emits = activation_emits(activation_node, ctx, at)
    if emits is Emits.LOGITS:
        return IDENTITY
    display = f"Activation({ctx.text(activation_node, 40)})"
    activation = activation_name(activation_node, ctx, at)
    return ActivationStep(ctx.location(call), emits, display, activation)


def _lambda_layer_step(call: ast.Call, ctx: KerasContext, at: ast.stmt) -> Step:
    function = argument(call, 0, "function")
    if function is None:
        return OPAQUE
    emits = activation_emits(function, ctx, at)
    if emits is Emits.UNKNOWN:
        return OPAQUE
    if emits is Emits.LOGITS:
        return IDENTITY
    return ActivationStep(ctx.location(call), emits, f"Lambda({ctx.text(function, 40)})")


def _application_step(call: ast.Call, name: str, ctx: KerasContext, at: ast.stmt) -> Step:
    """keras.applications.X(...): with its top, a classifier; without, features (opaque)."""
    include_top = keyword(call, "include_top")
    if include_top is not None and ctx.literal(include_top, at) is not True:
        return OPAQUE
    classes_node = keyword(call, "classes")
    classes = 1000 if classes_node is None else ctx.literal(classes_node, at)
    activation_node = keyword(call, "classifier_activation")
    if activation_node is None:
        emits, activation_text = Emits.SOFTMAX, "'softmax'"
    else:
        emits = activation_emits(activation_node, ctx, at)
        activation_text = ctx.text(activation_node, 40)
    return DenseStep(
        where=ctx.location(call),
        emits=emits,
        units=classes if isinstance(classes, int) else None,
        display=f"{name}(include_top=True, classifier_activation={activation_text})",
        explicit_activation=True,
    )


def _transformers_step(call: ast.Call, name: str, ctx: KerasContext, at: ast.stmt) -> Step:
    """A Hugging Face TF task model: its classifier gives logits (`from_logits=True`)."""
    classes = ctx.literal(keyword(call, transformers.UNITS_KEYWORD), at)
    return DenseStep(
        where=ctx.location(call),
        emits=Emits.LOGITS,
        units=classes if isinstance(classes, int) and not isinstance(classes, bool) else None,
        display=f"{name} (its classifier gives raw logits)",
        explicit_activation=True,
    )


def _keras_hub_step(call: ast.Call, name: str, ctx: KerasContext, at: ast.stmt) -> Step:
    """A KerasHub classifier task: raw logits, unless the call passes an `activation`."""
    classes = ctx.literal(keyword(call, keras_hub.UNITS_KEYWORD), at)
    activation_node = keyword(call, keras_hub.ACTIVATION_KEYWORD)
    if activation_node is None:
        emits, shown = Emits.LOGITS, "its classifier gives raw logits"
    else:
        emits = activation_emits(activation_node, ctx, at)
        shown = f"activation={ctx.text(activation_node, 40)}"
    return DenseStep(
        where=ctx.location(call),
        emits=emits,
        units=classes if isinstance(classes, int) and not isinstance(classes, bool) else None,
        display=f"{name} ({shown})",
        explicit_activation=True,
    )


def head_from_steps(steps: list[Step]) -> Head | None:
    """The head that steps (read from the output backwards) end in; None when unknown."""
    activation: ActivationStep | None = None
    units_known = True
    # What the values were when the last activation was applied (a softmax layer on a Dense
    # that already applies a softmax).
    beneath: Emits | None = None
    beneath_name: str | None = None  # its activation when no probability: "relu"
    for step in steps:
        if isinstance(step, PassStep):
            units_known = units_known and step.keeps_units
        elif isinstance(step, ActivationStep):
            if activation is not None and beneath is None:
                beneath, beneath_name = step.emits, step.activation
            activation = activation or step
        elif isinstance(step, DenseStep):
            if activation is not None and beneath is None:
                beneath, beneath_name = step.emits, step.activation
            twice = _activated_twice(activation, beneath)
            head = _dense_head(step, activation, units_known)
            return replace(head, activated_twice=twice, beneath=_under(activation, beneath_name))
        else:
            break
    if activation is None:
        return None
    where = activation.where
    return Head(
        activation.emits,
        activation.display,
        where,
        None,
        activation_location=where,
        activation=activation.activation,
        activated_twice=_activated_twice(activation, beneath),
        beneath=_under(activation, beneath_name),
    )


def _under(last: ActivationStep | None, beneath_name: str | None) -> str | None:
    """The activation that is no probability a sigmoid or softmax was applied to."""
    return beneath_name if last is not None and last.emits.is_normalised else None


def _activated_twice(last: ActivationStep | None, beneath: Emits | None) -> Emits | None:
    """`beneath` when the last activation squashes probabilities again: a sigmoid of any,
    a softmax of a softmax (Keras' softmax layers all normalise the last axis by default)."""
    if last is None or beneath is None:
        return None
    return beneath if beneath.squashed_by(last.emits) else None


def _activated_display(dense: DenseStep, activation: ActivationStep) -> str:
    if activation.written_out:
        return f"{dense.expression or dense.display} -> {activation.display}"
    if activation.function and dense.expression is not None:
        return f"{activation.display}({dense.expression})"
    return f"{dense.display} + {activation.display}"


def _dense_head(dense: DenseStep, activation: ActivationStep | None, units_known: bool) -> Head:
    units = dense.units if units_known else None
    if activation is not None:
        return Head(
            emits=activation.emits,
            display=_activated_display(dense, activation),
            location=dense.where,
            units=units,
            activation_location=activation.where,
            activation=activation.activation,
        )
    display = dense.display
    if not dense.explicit_activation:
        display += " (no activation)"
    return Head(dense.emits, display, dense.where, units, activation=dense.activation)
