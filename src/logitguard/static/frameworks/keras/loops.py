"""Keras models trained by hand: a loss called on a model's output, not given to `compile`.

`loss = loss_fn(y, model(x, training=True))` inside a `tf.GradientTape` block, a `train_step`
of a `keras.Model` subclass (`self(x)`), or any loop; with a Keras loss object
(`keras.losses.SparseCategoricalCrossentropy()` bound to a name or to `self.loss_fn`), a
`keras.losses` function with its own `from_logits=`, a helper returning one of these, or a
`tf.nn.*_with_logits` op. The prediction is followed back through names, activations and
reshapes to the model that made it, as `ModelFinder` reads any tensor.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace

from logitguard.core.facts import (
    Emits,
    Head,
    LossFamily,
    LossUse,
    Prediction,
    PredictionMisuse,
    TrainingSetup,
)
from logitguard.knowledge import hand_written
from logitguard.static.engine.ast_tools import (
    argument,
    called_name,
    is_complement,
    keyword,
    passed_arguments,
    subtracted_from_one,
    unclipped,
)
from logitguard.static.engine.context import MAX_DEPTH
from logitguard.static.engine.index import UNCERTAIN, is_self_attribute
from logitguard.static.engine.tensor_uses import Activation, LossInput, of_one_meaning
from logitguard.static.frameworks.keras.compile import CompileReader, prediction_argument
from logitguard.static.frameworks.keras.context import KerasContext
from logitguard.static.frameworks.keras.labels import LabelReader
from logitguard.static.frameworks.keras.layers import ACTIVATION_FUNCTIONS, head_from_steps
from logitguard.static.frameworks.keras.models import (
    CallSite,
    ModelDef,
    ModelFinder,
    bound_arguments,
    head_kind,
)
from logitguard.static.frameworks.keras.predictions import PREDICT_METHODS, PredictionReader

# TensorFlow ops that take raw logits: (labels, logits, ...), or by keyword `logits=`. The
# TF1 `tf.losses` (`tf.compat.v1.losses`) functions take logits too.
_TF_LOGITS_LOSSES = {
    "tensorflow.nn.softmax_cross_entropy_with_logits": LossFamily.CATEGORICAL,
    "tensorflow.nn.softmax_cross_entropy_with_logits_v2": LossFamily.CATEGORICAL,
    "tensorflow.nn.sparse_softmax_cross_entropy_with_logits": LossFamily.SPARSE_CATEGORICAL,
    "tensorflow.nn.sigmoid_cross_entropy_with_logits": LossFamily.BINARY,
    "tensorflow.losses.softmax_cross_entropy": LossFamily.CATEGORICAL,
    "tensorflow.losses.sparse_softmax_cross_entropy": LossFamily.SPARSE_CATEGORICAL,
    "tensorflow.losses.sigmoid_cross_entropy": LossFamily.BINARY,
}

# TensorFlow 0.x took them positionally as (logits, labels); 1.x takes keywords only, 2.x
# positionally as (labels, logits).
_TF0_POSITIONAL_ORDER = frozenset(
    f"{name}_cross_entropy_with_logits" for name in ("softmax", "sparse_softmax", "sigmoid")
)

# TF1's `tf.losses.log_loss(labels, predictions)`: binary cross-entropy on probabilities.
_TF_PROBABILITY_LOSSES = {"tensorflow.losses.log_loss": LossFamily.BINARY}

# A cross-entropy written by hand: the reduction over `labels * log(probabilities)`.
_REDUCTIONS = frozenset(
    {"tensorflow.reduce_sum", "tensorflow.reduce_mean", "keras.ops.sum", "keras.ops.mean"}
    | {"tensorflow.math.reduce_sum", "tensorflow.math.reduce_mean"}
    | {"keras.backend.sum", "keras.backend.mean"}
)
_REDUCTION_NAMES = frozenset(path.rsplit(".", 1)[1] for path in _REDUCTIONS)
_READ_OUT_METHODS = frozenset({"numpy", "item", "tolist"})
_LOGS = frozenset({"tensorflow.log", "keras.ops.log", "keras.backend.log"})
# Clip values into a range: into a log's domain, `tf.log(tf.clip_by_value(p, 1e-10, 1.0))`.
_CLIPS = frozenset(
    {"tensorflow.clip_by_value", "keras.ops.clip", "keras.backend.clip", "numpy.clip"}
)

# What a Keras loss object is called with: `loss_fn(y_true, y_pred, sample_weight=None)`.
_LOSS_CALL_KEYWORDS = frozenset({"y_true", "y_pred", "sample_weight"})
# What makes constant or random tensors: test data, not a model's output.
_MADE_UP_DATA = (
    "keras.backend.constant",
    "keras.backend.random_",
    "keras.ops.convert_to_tensor",
    "keras.ops.ones",
    "keras.ops.zeros",
    "keras.random.",
    "tensorflow.constant",
    "tensorflow.convert_to_tensor",
    "tensorflow.random.",
    "tensorflow.ones",
    "tensorflow.zeros",
    "numpy.array",
    "numpy.random.",
    "numpy.ones",
    "numpy.zeros",
)
# tfp's distributions take logits first, like distrax's (torch's take probabilities first).
_LOGITS_READERS = frozenset(
    f"tensorflow_probability.distributions.{name}"
    for name in ("Categorical", "OneHotCategorical", "Bernoulli")
)
_LOGITS_READER_NAMES = frozenset(path.rsplit(".", 1)[1] for path in _LOGITS_READERS)
_ACTIVATION_NAMES = frozenset(
    path.rsplit(".", 1)[1] for path, emits in ACTIVATION_FUNCTIONS.items() if emits.is_probability
)


def hand_trained_setups(finder: ModelFinder) -> list[TrainingSetup]:
    ctx = finder.ctx
    setups = []
    labels: LabelReader | None = None  # made for the first loss call that needs one
    for call, at, found in _file_loss_calls(ctx):
        read_as_logits = _probabilities_read_as_logits(call, at, finder)
        if read_as_logits is not None:
            setups.append(read_as_logits)
            continue
        if found is None:
            continue
        loss, prediction, tensorflow_op = found
        if _made_up(prediction, at, ctx):
            continue  # an activation of constants or random numbers: test data, not a model
        cls = enclosing_class(ctx, at)
        head = head_from_steps(finder.tensor_steps(prediction, at, cls))
        if head is None:
            head = _head_passed_by_callers(finder, prediction, at)
        labels = labels or LabelReader(ctx)
        if tensorflow_op:  # not a Keras loss: no Keras backend is in the way
            given = labels.of(_tf_labels_argument(call, ctx), at)
            if head is not None or given is not None:
                setups.append(TrainingSetup("tensorflow", head, loss, labels=given))
            continue
        given = labels.of_loss_call(call, at)  # judged against the loss even with no head known
        if head is not None or given is not None:
            setups.append(TrainingSetup("keras", head, loss, labels=given, backend=ctx.backend))
    return setups + _hand_written_cross_entropies(finder)


def loss_inputs(finder: ModelFinder) -> list[LossInput]:
    """Every loss call in the file with the prediction it is given, whatever made it; and
    what the file hands a loss helper of the project to give its loss."""
    return [
        LossInput(found[0], found[1], at)
        for _, at, found in _file_loss_calls(finder.ctx)
        if found is not None
    ] + list(_handed_to_loss_helpers(finder.ctx))


def _handed_to_loss_helpers(ctx: KerasContext) -> Iterator[LossInput]:
    """`bce_logits(s, ones)` with `def bce_logits(z, t): return ...with_logits(logits=z, ...)`
    (in this file or another): `s`, taken as the helper's loss takes `z`."""
    for call, at, callee, function in ctx.calls_of_functions():
        inputs = _parameters_given_to_losses(callee, function)
        passed = passed_arguments(function, call) if inputs else {}
        for use, name in inputs:
            if name in passed:
                yield LossInput(use, passed[name], at)


def _parameters_given_to_losses(
    ctx: KerasContext, function: ast.FunctionDef | ast.AsyncFunctionDef
) -> list[tuple[LossUse, str]]:
    """The function's loss calls given one of its parameters as the prediction, unchanged, of
    those parameters that all its loss calls take as one kind of values."""
    by_function = ctx.analyses.get("losses of parameters")
    if not isinstance(by_function, dict):
        by_function = ctx.analyses["losses of parameters"] = _losses_of_parameters(ctx)
    return by_function.get(function, [])


def _losses_of_parameters(ctx: KerasContext) -> dict[ast.AST, list[tuple[LossUse, str]]]:
    """For each function of the file, its loss calls given one of its parameters."""
    found: dict[ast.AST, list[tuple[LossUse, str]]] = {}
    reader = PredictionReader(ctx, lambda expr, at: None)

    def values_kept(expr: ast.AST, at: ast.stmt) -> ast.AST | None:
        """`tf.squeeze(z, -1)`, `z[:, 0]`: the values of `z`."""
        if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Slice | ast.Tuple):
            return expr.value
        return reader.kept_values(expr, at) if isinstance(expr, ast.Call) else None

    for _, at, loss in _file_loss_calls(ctx):
        if loss is None:
            continue
        function = ctx.index.scope_of(at).node
        parameter = ctx.parameter_read(loss[1], at, values_kept)
        if parameter is not None and parameter[0] is function:
            found.setdefault(function, []).append((loss[0], parameter[1]))
    return {function: of_one_meaning(losses) for function, losses in found.items()}


def _file_loss_calls(
    ctx: KerasContext,
) -> list[tuple[ast.Call, ast.stmt, tuple[LossUse, ast.expr, bool] | None]]:
    """The calls of the file that hand something over (neither a loss call nor a distribution
    given a tensor passes nothing), with the loss each computes: read once per file."""
    found = ctx.analyses.get("loss calls of the file")
    if not isinstance(found, list):
        reader = CompileReader(ctx)
        found = ctx.analyses["loss calls of the file"] = [
            (call, at, _loss_call(call, at, ctx, reader))
            for call, at in ctx.index.calls
            if call.args or call.keywords
        ]
    return found


def probability_activations(ctx: KerasContext) -> list[Activation]:
    """Every sigmoid, and softmax over the last axis, the file applies by a function call
    (`tf.sigmoid(x)`, `tf.nn.softmax(x)`, `keras.activations.softmax(x, axis=-1)`)."""
    found = []
    for call, at in ctx.index.calls_named(_ACTIVATION_NAMES.__contains__):
        emits = ACTIVATION_FUNCTIONS.get(ctx.qualified(call.func, at) or "")
        if emits is None or not emits.is_probability or not call.args:
            continue
        axis = argument(call, 1, "axis")
        if axis is not None and ctx.literal(axis, at) != -1:
            continue  # another axis than the classes' (the last, for Keras' losses)
        found.append(Activation(emits, call, call.args[0], at))
    return found


def _hand_written_cross_entropies(finder: ModelFinder) -> list[TrainingSetup]:
    """`-tf.reduce_sum(y * tf.log(probs))` inside a reduction (a loss written by hand, as
    early TensorFlow tutorials did): on a softmax output the log of a softmax, in two steps;
    on raw scores (the log of a number that may be negative) a loss given logits."""
    ctx, setups, seen = finder.ctx, [], set()
    for reduction, reduced_at in ctx.index.calls_named(_REDUCTION_NAMES.__contains__):
        if not reduction.args or ctx.qualified(reduction.func, reduced_at) not in _REDUCTIONS:
            continue
        weighted = _weighted_terms(reduction.args[0])
        for node, at in _with_logs_named(reduction.args[0], reduced_at, ctx, weighted):
            if not isinstance(node, ast.Call) or not node.args or node in seen:
                continue
            seen.add(node)  # `reduce_mean(reduce_sum(...))`: one loss
            if ctx.qualified(node.func, at) not in _LOGS:
                continue
            logged, clipped = _unclipped(node.args[0], ctx, at)
            complement = subtracted_from_one(logged)  # `tf.log(1 - p)`: as prone to 0
            if complement is not None:
                logged, clipped_inside = _unclipped(complement, ctx, at)
                clipped = clipped or clipped_inside
            head = head_from_steps(finder.tensor_steps(logged, at, enclosing_class(ctx, at)))
            if head is None:  # `def cost(output, y): ...` called as `cost(dense(x, 10), y)`
                head = _head_passed_by_callers(finder, logged, at)
            if complement is not None and (head is None or head.emits is not Emits.SIGMOID):
                continue  # of a softmax's rows, 1 - p is no probability of one class
            if head is not None and head.beneath is not None and node in weighted:
                # `tf.nn.softmax(tf.nn.relu(z))`: the probabilities the loss wants, of no logits
                loss = _hand_written_loss(reduction, node, ctx, at)
                setups.append(TrainingSetup("tensorflow", head, loss))
            if head is not None and head.emits.is_probability and not clipped:
                if _only_compared(ctx, at):
                    continue  # a diagnostic tested against a threshold: no loss, no gradient
                display = f"{head.display} -> {ctx.text(node.func, 30)}(...)"
                logged = replace(head, unstable_log=head.emits, display=display)
                setups.append(TrainingSetup("tensorflow", logged))
            elif _raw_scores(head) and node in weighted:  # a cross-entropy's term
                loss = _hand_written_loss(reduction, node, ctx, at)
                setups.append(TrainingSetup("tensorflow", head, loss))
    return setups


def _with_logs_named(
    expr: ast.expr, at: ast.stmt, ctx: KerasContext, weighted: set[ast.AST]
) -> list[tuple[ast.AST, ast.stmt]]:
    """The nodes of `expr` (at `at`), and of a log it reads through a name (`logp =
    tf.math.log(probs)`, then `y * logp`) at that binding; such a log read as a factor is one
    of the `weighted` terms too."""
    found: list[tuple[ast.AST, ast.stmt]] = []
    for node in ast.walk(expr):
        found.append((node, at))
        if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load):
            continue
        binding = ctx.value_binding(node.id, at)
        value = binding.value if binding is not None else None
        if isinstance(value, ast.Call) and ctx.qualified(value.func, binding.statement) in _LOGS:
            found.append((value, binding.statement))  # type: ignore[union-attr]
            if node in weighted:
                weighted.add(value)
    return found


def _unclipped(logged: ast.expr, ctx: KerasContext, at: ast.stmt) -> tuple[ast.expr, bool]:
    return unclipped(logged, lambda func: ctx.qualified(func, at), _CLIPS)


def _only_compared(
    ctx: KerasContext,
    at: ast.stmt,
    depth: int = 0,
    parents: dict[int, ast.AST] | None = None,
) -> bool:
    """Whether what statement `at` assigns is only ever looked at: compared with something
    (`kl = reduce_sum(...)`, `mean_kl = reduce_mean(kl)`, `tf.cond(mean_kl < threshold, ...)`)
    or turned into NumPy (`nll.numpy()`, a score), through the names it is assigned to in turn
    (`nll = tf.reduce_sum(tf.gather_nd(logp, idx))`); False when it is used any other way or
    not at all."""
    if not isinstance(at, ast.Assign) or len(at.targets) != 1:
        return False
    target = at.targets[0]
    if not isinstance(target, ast.Name) or depth > MAX_DEPTH:
        return False
    scope = ctx.index.scope_of(at).node
    if parents is None:  # of the scope's nodes: the names assigned in turn are in it too
        parents = {
            id(child): node for node in ast.walk(scope) for child in ast.iter_child_nodes(node)
        }
    uses = [
        node
        for node in ast.walk(scope)
        if isinstance(node, ast.Name)
        and isinstance(node.ctx, ast.Load)
        and node.id == target.id
        and _bound_by(ctx, node, at, parents)
    ]
    if not uses:
        return False
    for use in uses:
        parent = parents.get(id(use))
        if isinstance(parent, ast.Compare) or _read_out(use, parent, parents):
            continue
        statement = _statement_of(use, parents)
        if statement is at or not _only_compared(ctx, statement, depth + 1, parents):  # type: ignore[arg-type]
            return False
    return True


def _bound_by(ctx: KerasContext, use: ast.Name, at: ast.stmt, parents: dict[int, ast.AST]) -> bool:
    """Whether the name read at `use` may hold what statement `at` binds (not an earlier
    value the same name held: `out = model(x)`, then `out = tf.math.log(out)`)."""
    statement = _statement_of(use, parents)
    if statement is None or statement is at:
        return False
    binding = ctx.binding(use.id, statement)  # type: ignore[arg-type]
    return binding is UNCERTAIN or getattr(binding, "statement", None) is at


def _read_out(use: ast.AST, parent: ast.AST | None, parents: dict[int, ast.AST]) -> bool:
    """`x.numpy()`, `x.item()`, `x.tolist()`: values leaving TensorFlow, no gradient."""
    if not isinstance(parent, ast.Attribute) or parent.value is not use:
        return False
    called = parents.get(id(parent))
    return isinstance(called, ast.Call) and parent.attr in _READ_OUT_METHODS


def _statement_of(node: ast.AST, parents: dict[int, ast.AST]) -> ast.AST | None:
    while node is not None and not isinstance(node, ast.stmt):
        node = parents.get(id(node))  # type: ignore[assignment]
    return node


def _raw_scores(head: Head | None) -> bool:
    """Raw scores over classes (one unit may be a regression's value)."""
    return head is not None and head.emits is Emits.LOGITS and head.units != 1


def _weighted_terms(expr: ast.expr) -> set[ast.AST]:
    """The factors of the products in `expr`: `tf.log(p)` in `y * tf.log(p)`, the shape of a
    cross-entropy's terms."""
    return {
        factor
        for node in ast.walk(expr)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult)
        for factor in (node.left, node.right)
    }


def _hand_written_loss(
    reduction: ast.Call, log: ast.Call, ctx: KerasContext, at: ast.stmt
) -> LossUse:
    """What `-tf.reduce_sum(y * tf.log(p))` expects of `p` (sigmoid probabilities when it also
    takes `log(1 - p)`, the binary form)."""
    binary = any(
        isinstance(node, ast.Call)
        and node.args
        and ctx.qualified(node.func, at) in _LOGS
        and is_complement(_unclipped(node.args[0], ctx, at)[0])
        for node in ast.walk(reduction)
    )
    remedy = "sigmoid_cross_entropy_with_logits" if binary else "softmax_cross_entropy_with_logits"
    shown, where = ctx.text(log, 30), ctx.location(log)
    return hand_written.cross_entropy(shown, where, binary, f"tf.nn.{remedy}")


def trained_in_called_function(site: CallSite) -> list[TrainingSetup]:
    """Set-ups of the loss calls in the function (a tape loop in `def train(model, loss_fn)`)
    whose model or loss the call passes: the model applied to a batch, `model(x)` or
    `model.predict(x)`, and the loss object, read where the call gives them."""
    caller_reader = CompileReader(site.caller.ctx)
    setups = []
    for call, at, own_loss in _loss_calls_in(site.callee.ctx, site.function):
        with site.callee.ctx.bound(site.arguments()):
            if site.callee.ctx.runs(at) is False:
                continue  # in an arm what the call passes rules out
        func = call.func
        loss_passed = isinstance(func, ast.Name) and func.id in site.passed
        if loss_passed:  # loss_fn(y, model(x)), loss_fn given by the call
            passed_loss = caller_reader.loss(site.passed[func.id], site.call_at)  # type: ignore[union-attr]
            prediction = argument(call, 1, "y_pred")
            if passed_loss is None or prediction is None:
                continue
            loss, tensorflow_op = passed_loss, False
        elif own_loss is None:
            continue
        else:
            loss, prediction, tensorflow_op = own_loss
        model = _passed_model(prediction, at, site)
        if model is None:
            head = head_from_steps(site.callee.tensor_steps(prediction, at))
            as_called = _head_as_called(site, prediction, at)
            if as_called == head and not loss_passed:
                continue  # the same whatever the call passes: the function's own file reports
            head = as_called
        else:
            head = model.finder.head(model)
        if head is None:
            continue
        framework = "tensorflow" if tensorflow_op else "keras"
        backend = None if tensorflow_op else site.caller.ctx.backend
        setups.append(TrainingSetup(framework, head, loss, backend=backend))
    return setups


def trained_in_methods(
    site: CallSite, methods: list[ast.FunctionDef | ast.AsyncFunctionDef]
) -> list[TrainingSetup]:
    """Set-ups of the loss calls in `methods` of the class whose `__init__` the site calls:
    a loss or a model read through an attribute `__init__` sets from what the call passes.
    Loss calls that read the same without the call are left to the class's own file."""
    ctx, setups = site.callee.ctx, []
    for method in methods:
        for call, at, alone in _loss_calls_in(ctx, method):
            if not _reads_self_attribute(call):
                continue
            with ctx.bound(site.arguments()):
                found = _loss_call(call, at, ctx, CompileReader(ctx))
            if found is None:
                continue
            loss, prediction, tensorflow_op = found
            head = _head_as_called(site, prediction, at)
            if head is None:
                continue
            if alone == found and head_from_steps(site.callee.tensor_steps(prediction, at)) == head:
                continue  # the same without the call: the class's own file reports it
            framework = "tensorflow" if tensorflow_op else "keras"
            backend = None if tensorflow_op else site.caller.ctx.backend
            setups.append(TrainingSetup(framework, head, loss, backend=backend))
    return setups


def _reads_self_attribute(call: ast.Call) -> bool:
    """Whether the call, or what it is given, reads an attribute of `self`."""
    return any(
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        for node in ast.walk(call)
    )


def _head_as_called(site: CallSite, prediction: ast.expr, at: ast.stmt) -> Head | None:
    """The head of the tensor a loss in the called function is given, with the function's
    parameters bound to what the call passes: `partial_losses(model(x), y)` computing
    `tf.nn.softmax_cross_entropy_with_logits(logits=tf.reshape(predict, ...))`."""
    with site.callee.ctx.bound(site.arguments()):
        return head_from_steps(site.callee.tensor_steps(prediction, at))


def _loss_calls_in(
    ctx: KerasContext, function: ast.FunctionDef | ast.AsyncFunctionDef
) -> list[tuple[ast.Call, ast.stmt, tuple[LossUse, ast.expr, bool] | None]]:
    """The calls in `function` that may be loss calls, with what they are when the function
    alone tells (the same for every call site: read once per function)."""
    cache = ctx.analyses.setdefault("loss calls by function", {})
    assert isinstance(cache, dict)
    if function not in cache:
        reader = CompileReader(ctx)
        cache[function] = [
            (call, at, _loss_call(call, at, ctx, reader))
            for call, at in ctx.index.calls_in(function)
            if call.args or call.keywords
        ]
    return cache[function]


def _passed_model(prediction: ast.expr, at: ast.stmt, site: CallSite) -> ModelDef | None:
    """The model the call passes, when `prediction` is its output on a batch: `model(x)`,
    `model(x, training=True)`, `model.predict(x)`, through names in the function."""
    found = site.callee.ctx.through_names(prediction, at)
    if found is None or not isinstance(found[0], ast.Call):
        return None
    func = found[0].func
    if isinstance(func, ast.Attribute) and func.attr in PREDICT_METHODS:
        func = func.value
    if isinstance(func, ast.Name) and func.id in site.passed:
        return site.passed_model(func.id)
    return None


def _probabilities_read_as_logits(
    call: ast.Call, at: ast.stmt, finder: ModelFinder
) -> TrainingSetup | None:
    """`tfp.distributions.Categorical(model(x))` on a softmax model: probabilities as logits."""
    ctx = finder.ctx
    if called_name(call) not in _LOGITS_READER_NAMES:
        return None  # most calls: no path to resolve
    if ctx.qualified(call.func, at) not in _LOGITS_READERS:
        return None
    logits = argument(call, 0, "logits")
    if logits is None:
        return None
    head = head_from_steps(finder.tensor_steps(logits, at, enclosing_class(ctx, at)))
    if head is None or not head.emits.is_probability:
        return None
    misuse = Prediction(PredictionMisuse.READ_AS_LOGITS, ctx.text(call), ctx.location(call))
    return TrainingSetup("keras", head, predictions=[misuse])


def _made_up(expr: ast.AST, at: ast.stmt, ctx: KerasContext, depth: int = 0) -> bool:
    """Whether a tensor is an activation of constants or random numbers (`sigmoid(constant)`)."""
    while isinstance(expr, ast.Name) and depth < MAX_DEPTH:
        binding = ctx.value_binding(expr.id, at)
        if binding is None:
            return False
        expr, at, depth = binding.value, binding.statement, depth + 1  # type: ignore[assignment]
    if not isinstance(expr, ast.Call):
        return False
    path = ctx.qualified(expr.func, at) or ""
    if path in ACTIVATION_FUNCTIONS and expr.args:
        return _made_up(expr.args[0], at, ctx, depth + 1)
    return path.startswith(_MADE_UP_DATA)


def _loss_call(
    call: ast.Call, at: ast.stmt, ctx: KerasContext, reader: CompileReader
) -> tuple[LossUse, ast.expr, bool] | None:
    """The loss a call computes, the prediction it is given, and whether it is TensorFlow's
    own op (`tf.nn.*_with_logits`, `tf.losses.*`) rather than a Keras loss."""
    logits = _logits_argument(call, ctx)
    prediction = prediction_argument(call)
    if logits is None and prediction is None and argument(call, 1, "predictions") is None:
        return None  # neither a TensorFlow loss given logits nor a loss given a prediction
    path = ctx.qualified(call.func, at)
    if path in _TF_LOGITS_LOSSES:
        return (_tf_loss(call, path, ctx), logits, True) if logits is not None else None
    if path in _TF_PROBABILITY_LOSSES:
        predictions = argument(call, 1, "predictions")
        return (_tf_loss(call, path, ctx), predictions, True) if predictions is not None else None
    if prediction is None:
        return None
    if path is not None:  # keras.losses.categorical_crossentropy(y, p, from_logits=...)
        loss = reader.wrapped_loss(call, at, ctx.text(call.func))
    elif len(call.args) > 3 or any(k.arg not in _LOSS_CALL_KEYWORDS for k in call.keywords):
        loss = None  # arguments a loss object does not take: not one, or not known
    else:
        loss = reader.loss(call.func, at)  # a loss object, or a helper wrapping a loss
    return (loss, prediction, False) if loss is not None else None


def _tf_labels_argument(call: ast.Call, ctx: KerasContext) -> ast.expr | None:
    """What a TensorFlow loss op takes as labels: `labels=` (`onehot_labels=`,
    `multi_class_labels=` in `tf.losses`), else its first argument, but the second in TF 0.x's
    (logits, labels) order."""
    position = 1 if _in_tf0_order(call, ctx) else 0
    return (
        argument(call, position, "labels")
        or keyword(call, "onehot_labels")
        or keyword(call, "multi_class_labels")
    )


def _logits_argument(call: ast.Call, ctx: KerasContext) -> ast.expr | None:
    """What a TensorFlow loss op takes as logits: `logits=`, else its second argument, but the
    first in TF 0.x's (logits, labels) order."""
    return call.args[0] if _in_tf0_order(call, ctx) else argument(call, 1, "logits")


def _in_tf0_order(call: ast.Call, ctx: KerasContext) -> bool:
    """A call by position (an error in TF 1.x) in a module of TF1's graph API
    (`tf.placeholder`) is TF 0.x's (logits, labels)."""
    return (
        ctx.tensorflow_before_2
        and bool(call.args)
        and called_name(call) in _TF0_POSITIONAL_ORDER
        and keyword(call, "logits") is None
    )


def _tf_loss(call: ast.Call, path: str, ctx: KerasContext) -> LossUse:
    """TensorFlow's own loss op: on logits (`tf.nn.*_with_logits`) or on probabilities."""
    on_logits = path in _TF_LOGITS_LOSSES
    family = _TF_LOGITS_LOSSES[path] if on_logits else _TF_PROBABILITY_LOSSES[path]
    if on_logits:
        remedies = {
            # Read after "or use" (LG002): what to pass instead.
            "probabilities_remedy": "the output before its softmax or sigmoid as the logits"
        }
    else:
        remedies = {
            # Read after "Use" (LG001).
            "logits_remedy": "tf.losses.sigmoid_cross_entropy on the logits (or tf.sigmoid "
            "on them first)"
        }
    return LossUse(
        family=family,
        expects=Emits.LOGITS if on_logits else Emits.SIGMOID,
        display=path.replace("tensorflow", "tf", 1),
        location=ctx.location(call),
        **remedies,
    )


def _head_passed_by_callers(finder: ModelFinder, prediction: ast.expr, at: ast.stmt) -> Head | None:
    """`def d_loss(real_output): return bce(ones_like(real_output), real_output)` called as
    `d_loss(discriminator(x))`: the head of what the calls of this file pass, when they all
    pass outputs of heads of one kind."""
    parameter = finder.ctx.parameter_read(prediction, at)
    if parameter is None:
        return None
    function, name = parameter
    ctx, heads = finder.ctx, []
    for passed, call_at, arguments in _passed_arguments(ctx, function, name):
        with ctx.bound(bound_arguments(function, arguments, ctx, call_at, ctx)):
            if ctx.runs(at) is False:
                continue  # `if probabilities:` for a call that leaves it False
        heads.append(
            head_from_steps(finder.tensor_steps(passed, call_at, enclosing_class(ctx, call_at)))
        )
    kinds = {head_kind(head) for head in heads}
    return heads[0] if len(kinds) == 1 and None not in kinds else None


def _passed_arguments(
    ctx: KerasContext, function: ast.FunctionDef | ast.AsyncFunctionDef, parameter: str
) -> list[tuple[ast.expr, ast.stmt, dict[str, ast.expr]]]:
    """What each call of `function` by its name in this file passes for `parameter` (and
    all it passes); empty when a call passes it in a way that cannot be read (`*args`, a
    default)."""
    found = []
    for call, at in ctx.index.calls_by_name.get(function.name, []):
        method = _calls_own_method(ctx, call, at, function)
        if not method:
            if not isinstance(call.func, ast.Name):
                continue
            binding = ctx.index.lookup(call.func.id, at)
            if binding is None or binding.value is not function:
                continue
        arguments = passed_arguments(function, call, method=method)
        passed = arguments.get(parameter)
        if passed is None or any(isinstance(a, ast.Starred) for a in call.args):
            return []
        found.append((passed, at, arguments))
    return found


def _calls_own_method(
    ctx: KerasContext,
    call: ast.Call,
    at: ast.stmt,
    function: ast.FunctionDef | ast.AsyncFunctionDef,
) -> bool:
    """Whether `call` is `self.method(...)` in a class of this file whose `method` (its own,
    or a base's of this file) is `function`."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and is_self_attribute(func)):
        return False
    cls = enclosing_class(ctx, at)
    return cls is not None and ctx.method_of(cls, func.attr) is function


def enclosing_class(ctx: KerasContext, at: ast.stmt) -> ast.ClassDef | None:
    """The class whose method holds `at` (for `self.loss_fn` and `self(x)`)."""
    scope = ctx.index.scope_of(at)
    owner = scope.parent.node if scope.parent is not None else None
    return owner if isinstance(owner, ast.ClassDef) else None
