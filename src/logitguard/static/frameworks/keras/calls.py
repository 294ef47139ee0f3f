"""Keras models compiled or trained inside a function that receives the model or the loss.

`def train(model, x, y, loss="sparse_categorical_crossentropy"): model.compile(loss=loss)`
called as `train(build_model(), x, y)`, in this file or another, or
`def build(loss): model = Sequential([...]); model.compile(loss=loss)` called as
`build(keras.losses.CategoricalCrossentropy())`: for each call, the function's `compile` is
read with its parameters bound to what the call passes (or to their defaults). A tape loop
in `def fit(model, loss_fn, data)` is read the same way (`loops.trained_in_called_function`).
"""

from __future__ import annotations

import ast

from logitguard.core.facts import Head, LabelFormat, LossUse, TrainingSetup
from logitguard.static.engine.ast_tools import (
    argument,
    keyword,
    parameter_defaults,
    passed_arguments,
    returns_name,
)
from logitguard.static.engine.index import start
from logitguard.static.frameworks.keras.compile import CompileReader, metric_uses
from logitguard.static.frameworks.keras.context import KerasContext
from logitguard.static.frameworks.keras.labels import TRAINING_METHODS, trained_name
from logitguard.static.frameworks.keras.layers import head_from_steps
from logitguard.static.frameworks.keras.loops import trained_in_called_function, trained_in_methods
from logitguard.static.frameworks.keras.models import CallSite, ModelDef, ModelFinder, finder_of

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# Calls followed inside a called function (train -> its loss helper), beyond the first.
_MAX_NESTED_CALLS = 2


def called_setups(finder: ModelFinder) -> list[TrainingSetup]:
    return [
        setup
        for call, at in finder.ctx.index.calls
        for setup in [
            *_setups_through_call(finder, call, at, 0),
            *_setups_through_construction(finder, call, at),
        ]
    ]


def _setups_through_construction(
    caller: ModelFinder, call: ast.Call, at: ast.stmt
) -> list[TrainingSetup]:
    """`Trainer(model, loss_fn)` whose methods call `self.loss_fn(y, self.model(x))`, with
    `self.model = model` and `self.loss_fn = loss_fn` in its `__init__`: those loss calls, read
    with `__init__`'s parameters bound to what the call passes."""
    if not call.args and not call.keywords:
        return []
    target = _constructed_class(caller.ctx, call, at)
    if target is None:
        return []
    callee_ctx, class_def = target
    methods = [node for node in class_def.body if isinstance(node, _FUNCTIONS)]
    init = next((method for method in methods if method.name == "__init__"), None)
    if init is None:
        return []
    passed = passed_arguments(init, call, method=True)
    if not passed:
        return []
    site = CallSite(caller, at, finder_of(callee_ctx), init, passed)
    return trained_in_methods(site, [method for method in methods if method is not init])


def _constructed_class(
    ctx: KerasContext, call: ast.Call, at: ast.stmt
) -> tuple[KerasContext, ast.ClassDef] | None:
    """The class of this file or of another project file that `call` makes an instance of."""
    found = ctx.definition(call.func, at)
    if found is None or not isinstance(found[1], ast.ClassDef):
        return None
    return found[0], found[1]


def _setups_through_call(
    caller: ModelFinder, call: ast.Call, at: ast.stmt, depth: int
) -> list[TrainingSetup]:
    if not call.args and not call.keywords:
        return []  # passes nothing to bind
    target = caller.ctx.called_function(call, at)
    if target is None:
        return []
    callee_ctx, function = target
    passed = passed_arguments(function, call)
    if not passed:
        return []
    site = CallSite(caller, at, finder_of(callee_ctx), function, passed)
    setups = _compiles_in(site) + trained_in_called_function(site)
    if depth < _MAX_NESTED_CALLS:
        setups += _setups_through_inner_calls(site, depth)
    return setups


def _setups_through_inner_calls(site: CallSite, depth: int) -> list[TrainingSetup]:
    """`train(model, data)` whose loop hands `model(x)` on to `partial_losses(out, y)`: the
    calls the called function makes, read with its parameters bound to what `site` passes."""
    callee = site.callee
    with callee.ctx.bound(site.arguments()):
        return [
            setup
            for call, at in callee.ctx.index.calls_in(site.function)
            for setup in _setups_through_call(callee, call, at, depth + 1)
        ]


def _compiles_in(site: CallSite) -> list[TrainingSetup]:
    """Set-ups of the `compile` calls in the function whose model or loss the call passes."""
    callee, found = site.callee, []
    for inner, at in callee.ctx.index.calls_by_name.get("compile", ()):
        func = inner.func
        if not isinstance(func, ast.Attribute):
            continue
        if callee.ctx.index.scope_of(at).node is not site.function:
            continue
        model, model_passed = _model(func.value, at, site)
        with callee.ctx.bound(site.arguments()):  # `from_logits=from_logits` as called
            loss, loss_passed = _loss(argument(inner, 1, "loss"), at, site)
        if model is None or loss is None:
            continue
        if model_passed and not loss_passed and _compiled_to_inspect(site, model, func.value):
            continue  # `summary(model)` compiles to inspect; the caller's later compile trains
        head = model.finder.head(model)
        if not (model_passed or loss_passed):
            head = _head_as_called(site, model, head)
            if head is None:
                continue  # the same whatever the call passes: the function's own file reports
        metrics_node = keyword(inner, "metrics")
        reader = CompileReader(callee.ctx)
        specs = () if metrics_node is None else tuple(reader.metrics(metrics_node, at))
        metrics = metric_uses(
            specs,
            callee.ctx,
            units=head.units if head else None,
            loss_family=loss.family,
            labels=LabelFormat.UNKNOWN,
        )
        backend = site.caller.ctx.backend
        found.append(TrainingSetup("keras", head, loss, metrics, backend=backend))
    return found


def _head_as_called(site: CallSite, model: ModelDef, generic: Head | None) -> Head | None:
    """The head of a model the function builds itself, as this call builds it (`def
    build(classes): ... Dense(classes)` called as `build(1)`); None when no different."""
    finder = model.finder
    with finder.ctx.bound(site.arguments()):
        head = head_from_steps(finder.steps_of(model))
    return head if head != generic else None


def _compiled_to_inspect(site: CallSite, model: ModelDef, compiled: ast.expr) -> bool:
    """Whether a function compiling the model it is given (`summary(model)`) trains nothing
    with that compile: the caller compiles the model again after the call, or, the function
    neither training, returning nor handing on the model, the caller neither trains it after
    the call nor hands it on but to the same function again (a notebook that inspects a
    model, then rebuilds it before it trains it)."""
    if _compiled_again(site, model):
        return True
    return not _handed_on(site, compiled) and not _used_after(site, model)


def _handed_on(site: CallSite, parameter: ast.expr) -> bool:
    """Whether the function trains its parameter, returns it or hands it to another call."""
    if not isinstance(parameter, ast.Name):
        return False
    name = parameter.id
    if returns_name(site.callee.ctx.index.returns(site.function), name):
        return True
    for call, _ in site.callee.ctx.index.calls_in(site.function):
        if trained_name(call) == name:
            return True
        given = [*call.args, *(keyword.value for keyword in call.keywords)]
        if any(isinstance(value, ast.Name) and value.id == name for value in given):
            return True
    return False


def _used_after(site: CallSite, model: ModelDef) -> bool:
    """Whether the caller, after the call, trains the model, returns it or hands it to a call
    other than the function's (its own methods but training ones read it harmlessly)."""
    caller, after = site.caller, start(site.call_at)
    scope = caller.ctx.index.scope_of(site.call_at).node
    returned = [node.value for node in caller.ctx.index.returns(scope) if node.value is not None]
    if any(caller.model_at(value, site.call_at) is model for value in returned):
        return True
    for call, at in caller.ctx.index.calls:
        if start(call) <= after:
            continue
        func = call.func
        if isinstance(func, ast.Attribute) and caller.model_at(func.value, at) is model:
            if func.attr in TRAINING_METHODS:
                return True
            continue  # `model.summary()`, `model.predict(x)`
        target = caller.ctx.called_function(call, at)
        if target is not None and target[1] is site.function:
            continue  # `comparator(summary(model), expected)`: inspected again
        given = [*call.args, *(keyword.value for keyword in call.keywords)]
        if any(isinstance(v, ast.Name) and caller.model_at(v, at) is model for v in given):
            return True
    return False


def _compiled_again(site: CallSite, model: ModelDef) -> bool:
    """Whether the caller compiles the model itself after the call."""
    caller = site.caller
    after = start(site.call_at)
    return any(
        isinstance(call.func, ast.Attribute)
        and start(at) > after
        and caller.model_at(call.func.value, at) is model
        for call, at in caller.ctx.index.calls_by_name.get("compile", ())
    )


def _model(expr: ast.expr, at: ast.stmt, site: CallSite) -> tuple[ModelDef | None, bool]:
    """The model compiled, and whether it came from the call's arguments."""
    if isinstance(expr, ast.Name) and expr.id in site.passed:
        return site.passed_model(expr.id), True
    return site.callee.model_at(expr, at), False


def _loss(expr: ast.expr | None, at: ast.stmt, site: CallSite) -> tuple[LossUse | None, bool]:
    """The loss compiled with, and whether it came from the call's arguments."""
    if expr is None:
        return None, False
    if isinstance(expr, ast.Name) and expr.id in site.passed:
        return CompileReader(site.caller.ctx).loss(site.passed[expr.id], site.call_at), True
    callee = site.callee
    function = callee.ctx.index.scope_of(at).node
    default = parameter_defaults(function).get(expr.id) if isinstance(expr, ast.Name) else None  # type: ignore[arg-type]
    if default is not None:  # the parameter's default, read where the function is defined
        return CompileReader(callee.ctx).loss(default, function), False  # type: ignore[arg-type]
    return CompileReader(callee.ctx).loss(expr, at), False
