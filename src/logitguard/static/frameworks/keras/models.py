"""Which Keras models a module builds, and what each one's output layer emits.

A model is built by `Sequential([...])` (plus `.add()`/`.pop()`), by the functional API
(`Model(inputs, outputs)`), by a subclass of `keras.Model` with a `call` method, by a
`keras.applications` constructor, or by a helper function returning one of these. Each
construction becomes one `ModelDef`; names bound to it (`model = build()`) resolve to it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from logitguard.core.facts import Head
from logitguard.knowledge import keras_hub, transformers
from logitguard.static.engine.ast_tools import (
    argument,
    called_name,
    keyword,
    literal,
    parameter_defaults,
    passed_arguments,
    super_init_statement,
)
from logitguard.static.engine.context import MAX_DEPTH, Arguments
from logitguard.static.engine.index import (
    UNCERTAIN,
    Binding,
    is_self_attribute,
    start,
)
from logitguard.static.engine.module import ParsedModule
from logitguard.static.engine.project import Project
from logitguard.static.frameworks.keras.context import KerasContext
from logitguard.static.frameworks.keras.layers import (
    OPAQUE,
    DenseStep,
    OpaqueStep,
    PassStep,
    Step,
    affine_step,
    function_step,
    head_from_steps,
    held_activation,
    layer_step,
    written_out_step,
)

_MODEL_BASES = frozenset({"keras.Model", "keras.Sequential"})
# What a custom layer derives from. Called on its own, its output given to a loss, a custom
# layer is the model: its `call` is read as a model subclass's is.
CUSTOM_LAYER_BASES = frozenset({"keras.layers.Layer", "keras.Layer"})
# Calls that give a model of the same layers: a copy, or a clone to train apart.
_COPYING_FUNCTIONS = frozenset({"copy.deepcopy", "copy.copy", "keras.clone_model"})
# Functions that join tensors along an axis: the values come through, the shape changes.
_JOINING_FUNCTIONS = frozenset(
    {
        "tensorflow.concat",
        "tensorflow.stack",
        "keras.ops.concatenate",
        "keras.ops.stack",
    }
)


# A layer of a Sequential: (layer, statement, added conditionally, finder of its file).
Layered = tuple[ast.AST, ast.stmt, bool, "ModelFinder"]


@dataclass(eq=False)
class ModelDef:
    kind: str  # "sequential", "functional", "subclass" or "application"
    node: ast.AST  # the constructing call, or the subclass' ClassDef
    at: ast.stmt
    finder: ModelFinder  # of the file that builds it (a model can be trained in another)
    # Sequential only: (call, statement) of each .add()/.pop() on it, in source order.
    changes: list[tuple[ast.Call, ast.stmt]] = field(default_factory=list)
    # Sequential only: one a snippet adds layers to without making it (`model.add(...)` on a
    # name nothing binds): its first layers, if any, are out of sight.
    snippet: bool = False
    # Subclass only: its `call` returns outputs of different kinds (e.g. `if training:`).
    outputs_vary: bool = False
    # Returned by a builder function for one call: its parameters bound to what the call
    # passes (`build(classes=1)`), so that `Dense(classes)` has its units.
    arguments: Arguments = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class CallSite:
    """A call of a project function that hands it values: the function (in `callee`'s file)
    is read with its parameters bound to `passed`, expressions of the caller's file read at
    `call_at`."""

    caller: ModelFinder
    call_at: ast.stmt
    callee: ModelFinder
    function: ast.FunctionDef | ast.AsyncFunctionDef
    passed: dict[str, ast.expr]

    def passed_model(self, name: str) -> ModelDef | None:
        return self.caller.model_at(self.passed[name], self.call_at)

    def arguments(self) -> Arguments:
        """The function's parameters bound for this call (see `bound_arguments`)."""
        return bound_arguments(
            self.function, self.passed, self.caller.ctx, self.call_at, self.callee.ctx
        )


def model_finder_for(module: ParsedModule, project: Project | None) -> ModelFinder:
    """The project's one model finder for `module` (a new one without project)."""
    return finder_of(KerasContext(module, project))


def finder_of(ctx: KerasContext) -> ModelFinder:
    """The model finder of a file, kept in its project when there is one (else in `ctx`)."""
    if ctx.project is None:
        found = ctx.analyses.get("keras models")
        if not isinstance(found, ModelFinder):
            found = ctx.analyses["keras models"] = ModelFinder(ctx)
            found.scan()
        return found
    key = (ctx.module.path, "keras models")
    found = ctx.project.analyses.get(key)
    if not isinstance(found, ModelFinder) or found.ctx.module is not ctx.module:
        # Kept before its file is scanned: two files that build each other's classes meet
        # the finder being scanned instead of making a new one, endlessly.
        found = ctx.project.analyses[key] = ModelFinder(ctx, ctx.project)
        found.scan()
    return found


def _may_construct_or_change(name: str) -> bool:
    # Sequential, Model, MobileNetV2, a subclass: classes all; .add()/.pop() change a Sequential.
    return name[:1].isupper() or name in ("add", "pop")


class ModelFinder:
    def __init__(self, ctx: KerasContext, project: Project | None = None) -> None:
        self.ctx = ctx
        self.project = project
        self._defs: dict[ast.AST, ModelDef] = {}
        # Snippets' Sequential models, by name (see `_snippet_sequential`).
        self._snippets: dict[str, ModelDef] = {}
        self._steps: dict[ModelDef, list[Step]] = {}
        self._heads: dict[ModelDef, Head | None] = {}
        self._in_progress: set[ModelDef] = set()
        self._returned: dict[ast.AST, ModelDef | None] = {}
        # Sequential models of other files, with the layers this file adds or pops.
        self._changes_here: dict[ModelDef, list[tuple[ast.Call, ast.stmt]]] = {}

    def scan(self) -> None:
        """Note the models the file constructs and the layers added to them."""
        for call, at in self.ctx.index.calls_named(_may_construct_or_change):
            self._note_construction_or_change(call, at)

    @property
    def models(self) -> list[ModelDef]:
        return list(self._defs.values())

    def changed_here(self, model: ModelDef) -> bool:
        """Whether this file adds layers to (or pops from) a model another file builds."""
        return model in self._changes_here

    def head(self, model: ModelDef) -> Head | None:
        if model.finder is not self and model not in self._changes_here:
            return model.finder.head(model)
        if model not in self._heads:
            self._heads[model] = head_from_steps(self.steps(model))
        return self._heads[model]

    def output_heads(self, model: ModelDef) -> dict[str | int, Head]:
        """The head of each output of a functional model with several (`Model(inputs,
        [churn, segment])`), by position and by the name of the layer that makes it
        (`Dense(1, name="churn")`), or by key in a dict of outputs."""
        if model.finder is not self:
            return model.finder.output_heads(model)
        outputs = None
        if model.kind == "functional":
            assert isinstance(model.node, ast.Call)
            outputs = argument(model.node, 1, "outputs") or keyword(model.node, "output")
        followed = self.ctx.through_names(outputs, model.at) if outputs is not None else None
        if followed is None:
            return {}
        expr, at = followed
        heads: dict[str | int, Head] = {}
        with self.ctx.bound(model.arguments):
            for key, output in self._outputs_by_key(expr, at):
                head = head_from_steps(self.tensor_steps(output, at))
                if head is not None:
                    heads[key] = head
        return heads

    def _outputs_by_key(self, expr: ast.AST, at: ast.stmt) -> list[tuple[str | int, ast.expr]]:
        if isinstance(expr, ast.Dict):
            keys = [self.ctx.literal(key, at) if key is not None else None for key in expr.keys]
            if not all(isinstance(key, str) for key in keys):
                return []
            return list(zip(keys, expr.values, strict=True))  # type: ignore[arg-type]
        if not isinstance(expr, ast.List | ast.Tuple) or len(expr.elts) < 2:
            return []
        if any(isinstance(element, ast.Starred) for element in expr.elts):
            return []
        found: list[tuple[str | int, ast.expr]] = list(enumerate(expr.elts))
        for element in expr.elts:
            name = self._output_layer_name(element, at)
            if name is not None:
                found.append((name, element))
        return found

    def _output_layer_name(self, output: ast.expr, at: ast.stmt) -> str | None:
        """`"churn"` of `Dense(1, name="churn")(h)`, the layer that makes `output`."""
        followed = self.ctx.through_names(output, at)
        if followed is None:
            return None
        made, where = followed
        if not isinstance(made, ast.Call) or not isinstance(made.func, ast.Call):
            return None
        name = self.ctx.literal(keyword(made.func, "name"), where)
        return name if isinstance(name, str) else None

    # -- which model an expression is ---------------------------------------------------------

    def model_at(self, expr: ast.AST, at: ast.stmt, depth: int = 0) -> ModelDef | None:
        """The model `expr` evaluates to at `at`, when it is one this module builds."""
        if depth > MAX_DEPTH:
            return None
        attribute = self.ctx.self_attribute_set(expr, at)
        if attribute is not None:  # self.model, built in one of the class's methods
            return self.model_at(attribute.value, attribute.statement, depth + 1)  # type: ignore[arg-type]
        inherited = self.ctx.attribute_set_by_a_base_elsewhere(expr, at)
        if inherited is not None:  # set by a trainer base class of another file
            with self._in_base_elsewhere(inherited, at) as base:
                return base.model_at(inherited[2].value, inherited[2].statement, depth + 1)  # type: ignore[arg-type]
        if isinstance(expr, ast.Name):
            binding = self.ctx.value_binding(expr.id, at)
            if binding is None and expr.id in self.ctx.resolver.aliases:
                return self._imported_model(self.ctx.resolver.aliases[expr.id], depth)
            unpacked = self.unpacked_name(expr, at, depth) if binding is None else None
            if unpacked is not None:  # `model, loss = make()`: what `make` returns first
                finder, value, statement = unpacked
                return finder.model_at(value, statement, depth + 1)
            passed = self._passed(expr.id, at) if binding is None else None
            if passed is not None:  # a parameter, bound to what a call passes
                caller, value, call_at = passed
                return caller.model_at(value, call_at, depth + 1)
            if binding is None and expr.id in self._snippets:
                return self._snippets[expr.id]
            if binding is None or isinstance(binding.value, ast.FunctionDef | ast.ClassDef):
                return None
            return self.model_at(binding.value, binding.statement, depth + 1)
        if isinstance(expr, ast.Call):
            return self._constructed(expr, at, depth)
        return None

    @contextmanager
    def _in_base_elsewhere(
        self, inherited: tuple[KerasContext, ast.ClassDef, Binding], at: ast.stmt
    ) -> Iterator[ModelFinder]:
        """The finder of a base class of another file that stores an attribute the subclass
        read at `at` uses, with the base's `__init__` bound to what the subclass's one
        `super().__init__(...)` hands it."""
        other, base_class, _ = inherited
        subclass = self.ctx.index.scope_of(at).parent
        own_init = _own_init(subclass.node) if subclass is not None else None
        handing = super_init_statement(own_init) if own_init is not None else None
        base_init = other.method_of(base_class, "__init__")
        arguments: Arguments = {}
        if handing is not None and base_init is not None:
            passed = passed_arguments(base_init, handing.value, method=True)  # type: ignore[arg-type]
            arguments = bound_arguments(base_init, passed, self.ctx, handing, other)
        with other.bound(arguments):
            yield finder_of(other)

    def _constructed(self, call: ast.Call, at: ast.stmt, depth: int) -> ModelDef | None:
        if call in self._defs:
            return self._defs[call]
        path = self.ctx.qualified(call.func, at)
        if path in _COPYING_FUNCTIONS and call.args:
            return self.model_at(call.args[0], at, depth + 1)
        if path is not None:
            kind = _kind_of_constructor(path)
            if kind:
                return self._define(kind, call, at)
            imported = self.ctx.imported(path) if depth <= MAX_DEPTH else None
            generic = self._imported_model(path, depth)
            if generic is None and imported is not None:
                owner = finder_of(imported[0])
                return self._picked_from_registry(owner, imported[1], call, at, depth)
            return self._for_this_call(generic, imported[1] if imported else None, call, at)
        if isinstance(call.func, ast.Attribute):  # `CNN(10).build()`
            built = self.builder_method(call.func, at, depth)
            if built is None and is_self_attribute(call.func):  # `self.build_discriminator()`
                own = self._own_method(call.func, at)
                built = (self, own) if own is not None else None
            return built[0]._returned_model(built[1], depth + 1) if built else None
        if not isinstance(call.func, ast.Name):
            return None
        binding = self.ctx.index.lookup(call.func.id, at)
        if binding is None or binding.value is None:
            return None
        if isinstance(binding.value, ast.ClassDef):
            if not self._is_model_class(binding.value, binding.statement):
                return None
            generic = self._define("subclass", binding.value, binding.statement)
            return self._as_constructed(generic, binding.value, call, at)
        if isinstance(binding.value, ast.FunctionDef | ast.AsyncFunctionDef):
            generic = self._returned_model(binding.value, depth)
            if generic is None:
                return self._picked_from_registry(self, binding.value, call, at, depth)
            return self._for_this_call(generic, binding.value, call, at)
        return None

    def _picked_from_registry(
        self, owner: ModelFinder, function: ast.AST, call: ast.Call, at: ast.stmt, depth: int
    ) -> ModelDef | None:
        """`get_model("cnn", classes=10)` whose one `return` is `MODELS[name](**kwargs)` (or
        `MODELS[name]()`), `MODELS` a literal dict of the project's builders that no scope
        changes: the model of the builder the name picks, built with the keywords handed on."""
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return None
        picked = _registry_pick(owner.ctx, function)
        if picked is None:
            return None
        entries, key_parameter, forwards = picked
        key = self.ctx.literal(passed_arguments(function, call).get(key_parameter), at)
        builder = entries.get(key) if isinstance(key, str) else None
        returned = owner.ctx.index.returns(function)[0]
        found = owner.ctx.definition(builder, returned) if builder is not None else None
        if depth >= MAX_DEPTH or found is None:
            return None
        ctx, node = found
        if not isinstance(node, ast.FunctionDef | ast.ClassDef):
            return None
        generic = finder_of(ctx).defined_model(node, node, depth + 1)
        handed = [kw for kw in call.keywords if kw.arg not in (None, key_parameter)]
        as_built = ast.copy_location(ast.Call(builder, [], handed if forwards else []), call)
        return self._for_this_call(generic, node, as_built, at)

    def builder_method(
        self, method: ast.Attribute, at: ast.stmt, depth: int
    ) -> tuple[ModelFinder, ast.FunctionDef | ast.AsyncFunctionDef] | None:
        """The method of a plain class (of this file or another) that `obj.build()` runs, on
        an object made there or bound to a name: `CNN(10).build()`, `net = CNN(); net.build()`."""
        receiver = method.value
        if isinstance(receiver, ast.Name) and depth < MAX_DEPTH:
            binding = self.ctx.value_binding(receiver.id, at)
            if binding is not None:
                receiver, at = binding.value, binding.statement  # type: ignore[assignment]
        if not isinstance(receiver, ast.Call):
            return None
        found = self.ctx.definition(receiver.func, at)
        if found is None or not isinstance(found[1], ast.ClassDef):
            return None
        ctx, cls = found
        finder = finder_of(ctx)  # type: ignore[arg-type]
        if finder._is_model_class(cls, cls, depth + 1):
            return None  # a model's own methods are read as its layers are
        functions = [
            node
            for node in cls.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == method.attr
        ]
        return (finder, functions[0]) if len(functions) == 1 else None

    def _for_this_call(
        self, generic: ModelDef | None, function: ast.AST | None, call: ast.Call, at: ast.stmt
    ) -> ModelDef | None:
        """The model a builder function returns, as this call builds it: with the function's
        parameters bound to the call's arguments (`build(classes=1)`)."""
        if generic is None or generic.kind == "subclass" or generic.arguments:
            return generic
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return generic
        positional = [*function.args.posonlyargs, *function.args.args]
        if positional and positional[0].arg in ("self", "cls"):
            return generic  # a method: its first argument is not in the call
        passed = passed_arguments(function, call)
        if not passed:
            return generic
        model = ModelDef(generic.kind, generic.node, generic.at, generic.finder, generic.changes)
        model.arguments = bound_arguments(function, passed, self.ctx, at, generic.finder.ctx)
        self._defs[call] = model
        return model

    def _as_constructed(
        self, generic: ModelDef, cls: ast.ClassDef, call: ast.Call, at: ast.stmt
    ) -> ModelDef:
        """A model class (a custom layer) as this call makes it: its own `__init__`'s
        parameters bound to the call's arguments (`Head(10, activation="softmax")`, which
        stores `self.activation = activations.get(activation)`)."""
        init = next(
            (
                node
                for node in cls.body
                if isinstance(node, ast.FunctionDef) and node.name == "__init__"
            ),
            None,
        )
        passed = passed_arguments(init, call, method=True) if init is not None else {}
        if init is None or not passed:
            return generic
        model = ModelDef(generic.kind, generic.node, generic.at, generic.finder)
        model.arguments = bound_arguments(init, passed, self.ctx, at, generic.finder.ctx)
        self._defs[call] = model
        return model

    def _define(self, kind: str, node: ast.AST, at: ast.stmt) -> ModelDef:
        if node not in self._defs:
            self._defs[node] = ModelDef(kind, node, at, self)
        return self._defs[node]

    def _imported_model(self, path: str, depth: int) -> ModelDef | None:
        """A model that another project file builds: its class, builder function or object."""
        imported = self.ctx.imported(path) if depth <= MAX_DEPTH else None
        if imported is None:
            return None
        ctx, node, statement = imported
        return finder_of(ctx).defined_model(node, statement, depth + 1)

    def defined_model(self, node: ast.AST, at: ast.stmt, depth: int) -> ModelDef | None:
        """The model a module-level class, function or value of this file stands for."""
        if isinstance(node, ast.ClassDef):
            return self._define("subclass", node, at) if self._is_model_class(node, at) else None
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return self._returned_model(node, depth)
        return self.model_at(node, at, depth)

    def _returned_model(self, function: ast.AST, depth: int) -> ModelDef | None:
        """The model a helper function returns, when every `return` gives the same one."""
        if function not in self._returned:
            self._returned[function] = None  # a recursive helper resolves to nothing
            found = {
                self.model_at(statement.value, statement, depth + 1) if statement.value else None
                for statement in self.ctx.index.returns(function)
            }
            self._returned[function] = found.pop() if len(found) == 1 else None
        return self._returned[function]

    def _is_model_class(self, cls: ast.ClassDef, at: ast.stmt, depth: int = 0) -> bool:
        for base in cls.bases:
            path = self.ctx.qualified(base, at)
            if path in _MODEL_BASES or path in CUSTOM_LAYER_BASES:
                return True
            if path is not None and self._imported_model(path, depth + 1) is not None:
                return True
            local = self._local_class(base, at)
            if local and depth < MAX_DEPTH and self._is_model_class(*local, depth=depth + 1):
                return True
        return False

    def _local_class(self, expr: ast.AST, at: ast.stmt) -> tuple[ast.ClassDef, ast.stmt] | None:
        if not isinstance(expr, ast.Name):
            return None
        binding = self.ctx.index.lookup(expr.id, at)
        if binding is not None and isinstance(binding.value, ast.ClassDef):
            return binding.value, binding.statement
        return None

    def _note_construction_or_change(self, call: ast.Call, at: ast.stmt) -> None:
        name = called_name(call) or ""  # one _may_construct_or_change accepts
        if name in ("add", "pop") and isinstance(call.func, ast.Attribute):
            model = self.model_at(call.func.value, at)
            if model is None and name == "add":
                model = self._snippet_sequential(call.func.value, call, at)
            if model is not None and model.kind == "sequential":
                if model.finder is self:
                    model.changes.append((call, at))
                else:  # its own file reads its layers, and does not see these
                    self._changes_here.setdefault(model, []).append((call, at))
        elif name[:1].isupper():  # Sequential, Model, MobileNetV2, a subclass: classes all
            self.model_at(call, at)

    def _snippet_sequential(
        self, receiver: ast.expr, call: ast.Call, at: ast.stmt
    ) -> ModelDef | None:
        """`model.add(Dense(10))` on a `model` nothing in the module binds: a snippet that
        leaves out `model = Sequential()` (only a Sequential has `add`)."""
        if not isinstance(receiver, ast.Name) or not _adds_a_layer(call):
            return None  # a set's `seen.add(x)`: not worth reading the module's every name
        if not self.ctx.resolver.never_bound(receiver.id):
            return None
        if receiver.id not in self._snippets:
            self._snippets[receiver.id] = ModelDef("sequential", call, at, self, snippet=True)
            self._defs[call] = self._snippets[receiver.id]
        return self._snippets[receiver.id]

    # -- what a model's output is made of ----------------------------------------------------

    def steps(self, model: ModelDef) -> list[Step]:
        """The steps from the model's output backwards."""
        if model in self._changes_here:
            if model not in self._steps:
                self._steps[model] = self._steps_changed_here(model)
            return self._steps[model]
        if model.finder is not self:
            return model.finder.steps(model)
        if model in self._in_progress:
            return [OPAQUE]  # not kept: the model's own reading is under way
        if model not in self._steps:
            with self.ctx.bound(model.arguments):
                self._steps[model] = self.steps_of(model)
        return self._steps[model]

    def steps_of(self, model: ModelDef) -> list[Step]:
        """The steps of a model read afresh, not kept: for one call of the function that
        builds it, with its parameters bound (`ModelFinder.steps` keeps the general ones)."""
        if model in self._in_progress:
            return [OPAQUE]
        self._in_progress.add(model)
        try:
            return self._compute_steps(model)
        finally:
            self._in_progress.discard(model)

    def _compute_steps(self, model: ModelDef) -> list[Step]:
        node = model.node
        if model.kind == "sequential":
            return self._sequential_steps(model)
        if model.kind == "functional":
            assert isinstance(node, ast.Call)
            return self._functional_steps(node, model.at)
        if model.kind == "subclass":
            assert isinstance(node, ast.ClassDef)
            return self._subclass_steps(model, node)
        assert isinstance(node, ast.Call)
        path = self.ctx.qualified(node.func, model.at) or ""
        return [layer_step(node, path, self.ctx, model.at)]

    def _sequential_steps(self, model: ModelDef) -> list[Step]:
        layers = self.sequential_layers(model)
        return [OPAQUE] if layers is None else _steps_of_layers(layers)

    def sequential_layers(self, model: ModelDef) -> list[Layered] | None:
        """A Sequential's layers, with the `.add()`s and `.pop()`s of its own file."""
        assert isinstance(model.node, ast.Call)
        made_with = None if model.snippet else argument(model.node, 0, "layers")
        layers = self._layer_list(made_with, model.at)
        if layers is None:
            return None
        return self._changed(layers, model.changes, model.at)

    def _changed(
        self,
        layers: list[Layered],
        changes: list[tuple[ast.Call, ast.stmt]],
        made: ast.stmt | None,
    ) -> list[Layered] | None:
        """`layers` with `changes` (this file's `.add()`s and `.pop()`s) made in turn; one
        that may not run beside where the model is bound (or `made`; with neither, any) adds
        an unknown layer, and such a `.pop()` leaves all unknown."""
        for call, at in changes:
            anchor = self._receiver_binding(call, at) or made
            conditional = anchor is None or self.ctx.index.conditional_relative_to(at, anchor)
            if isinstance(call.func, ast.Attribute) and call.func.attr == "pop":
                if conditional or not layers:
                    return None
                layers.pop()
                continue
            layer = argument(call, 0, "layer")
            if layer is None:
                return None
            layers.append((layer, at, conditional, self))
        return layers

    def _steps_changed_here(self, model: ModelDef) -> list[Step]:
        """A Sequential another file builds, with the layers this file adds: `base =
        make_base()`, then `base.add(Dense(10, activation="softmax"))`."""
        changes = self._changes_here[model]  # kept for Sequential models only
        with model.finder.ctx.bound(model.arguments):
            layers = model.finder.sequential_layers(model)
        layers = self._changed(list(layers), changes, None) if layers is not None else None
        return [OPAQUE] if layers is None else _steps_of_layers(layers)

    def _derives_from_sequential(self, cls: ast.ClassDef) -> bool:
        return any(self.ctx.qualified(base, cls) == "keras.Sequential" for base in cls.bases)

    def _sequential_subclass_steps(self, cls: ast.ClassDef) -> list[Step]:
        """`class Net(Sequential)` whose `__init__` hands its layers to
        `super().__init__(layers)`, then maybe `self.add(...)`s more, unconditionally."""
        init = next(
            (s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None
        )
        if init is None:
            return [OPAQUE]
        layers: list[Layered] | None = None
        for call, at in self.ctx.index.calls_in(init):
            func = call.func
            if not isinstance(func, ast.Attribute):
                continue
            if func.attr == "__init__" and _is_super(func.value):
                layers = self._layer_list(argument(call, 0, "layers"), at)
                if layers is None:
                    return [OPAQUE]
            elif func.attr == "add" and _is_self(func.value) and layers is not None:
                conditional = bool(self.ctx.index.conditions_of(at))
                layers.append((argument(call, 0, "layer"), at, conditional, self))  # type: ignore[arg-type]
        return [OPAQUE] if layers is None else _steps_of_layers(layers)

    def _receiver_binding(self, call: ast.Call, at: ast.stmt) -> ast.stmt | None:
        """Where `model` in `model.add(...)` was bound: an `.add()` beside it surely runs."""
        receiver = call.func.value  # type: ignore[attr-defined]
        if isinstance(receiver, ast.Name):
            binding = self.ctx.value_binding(receiver.id, at)
            if binding is not None:
                return binding.statement
        return None

    def _layer_list(self, expr: ast.AST | None, at: ast.stmt) -> list[Layered] | None:
        """(layer, statement, added conditionally, finder of its file) for each layer."""
        if expr is None:
            return []
        if isinstance(expr, ast.Name):
            binding = self.ctx.value_binding(expr.id, at)
            if binding is None and expr.id in self.ctx.resolver.aliases:
                imported = self.ctx.imported(self.ctx.resolver.aliases[expr.id])
                if imported is None:
                    return None
                ctx, node, statement = imported
                return finder_of(ctx)._layer_list(node, statement)
            return self._filled_layer_list(expr, at, binding)
        if not isinstance(expr, ast.List | ast.Tuple):
            return None
        if any(isinstance(element, ast.Starred) for element in expr.elts):
            return None
        return [(element, at, False, self) for element in expr.elts]

    def _filled_layer_list(
        self, name: ast.Name, at: ast.stmt, binding: Binding | None
    ) -> list[Layered] | None:
        """A list of layers as `at` sees it: made (`layers = []`), then filled by
        `layers.append(Dense(...))` and `layers.extend([...])` in the same function. When it
        is made differently on different paths (`if vectorizer: layers = [vectorizer]`), only
        what is added after that is known: enough when the head is among it."""
        scope = self.ctx.index.scope_of(at)
        here = start(at)
        made = [b for b in scope.bindings.get(name.id, []) if b.effective <= here]
        if not made:
            return None
        if binding is not None:
            layers = self._layer_list(binding.value, binding.statement)
        elif all(isinstance(b.value, ast.List | ast.Tuple) and not b.path for b in made):
            layers = [(None, at, False, self)]  # type: ignore[list-item]
        else:
            return None
        last_made = max(b.effective for b in made)
        for call, statement in self.ctx.methods_called_on(name.id, scope.node):
            if not last_made <= start(statement) < here:
                continue
            func = call.func
            assert isinstance(func, ast.Attribute)
            if layers is None or func.attr not in ("append", "extend") or len(call.args) != 1:
                return None  # inserted, popped, sorted...: not followed
            conditional = self.ctx.index.conditional_relative_to(statement, at)
            if func.attr == "append":
                layers.append((call.args[0], statement, conditional, self))
                continue
            added = self._layer_list(call.args[0], statement)
            if added is None:
                return None
            layers.extend((layer, s, c or conditional, f) for layer, s, c, f in added)
        return layers

    def layer_steps(
        self, expr: ast.AST, at: ast.stmt, cls: ast.ClassDef | None = None, depth: int = 0
    ) -> list:
        """Steps of a layer (or a model used as a layer) given as a call, name or self.attr;
        `depth`: the calls and returns followed so far (`model, loss = train(model, x)`, run
        twice, hands the name back and forth)."""
        if depth > MAX_DEPTH:
            return [OPAQUE]
        for _ in range(MAX_DEPTH):
            if isinstance(expr, ast.Name) and expr.id == "self" and cls is not None:
                # `self(x)` in a train_step: the subclass itself.
                model = self.defined_model(cls, cls, 0)
                return self.steps(model) if model is not None else [OPAQUE]
            held = held_activation(expr, self.ctx, at)  # type: ignore[arg-type]
            if held is not None:  # an activation function kept on `self` or in a name
                return [held]
            if isinstance(expr, ast.Call):
                model = self.model_at(expr, at)
                if model is not None:
                    return self.steps(model)
                path = self.ctx.qualified(expr.func, at)
                return [layer_step(expr, path, self.ctx, at) if path else OPAQUE]
            if isinstance(expr, ast.BoolOp):  # `output_layer or Dense(1)`, given no layer
                chosen = self.ctx.left_to_the_default(expr, at)
                if chosen is None:
                    return [OPAQUE]
                expr = chosen
                continue
            passed = self._passed(expr.id, at) if isinstance(expr, ast.Name) else None
            if passed is not None:  # a parameter: the model the call being read passes
                caller, value, call_at = passed
                return caller.layer_steps(value, call_at, None, depth + 1)
            binding = self._binding_of_layer(expr, at, cls)
            unpacked = self.unpacked_name(expr, at, 0) if isinstance(expr, ast.Name) else None
            if binding is None and unpacked is not None:  # `model, loss = make()`
                finder, value, statement = unpacked
                return finder.layer_steps(value, statement, None, depth + 1)
            if binding is None:
                attribute = self.ctx.self_attribute(expr, at) if cls is None else None
                inherited = None
                if attribute is None and cls is None:
                    inherited = self.ctx.attribute_set_by_a_base_elsewhere(expr, at)
                if inherited is not None:  # stored by a trainer base class of another file
                    with self._in_base_elsewhere(inherited, at) as base:
                        value, statement = inherited[2].value, inherited[2].statement
                        return base.layer_steps(value, statement, None, depth + 1)
                if attribute is None:
                    return [OPAQUE]
                binding = attribute  # `self.model(x)` in a trainer: what its __init__ stored
            expr, at = binding.value, binding.statement  # type: ignore[assignment]
        return [OPAQUE]

    def _passed(self, name: str, at: ast.stmt) -> tuple[ModelFinder, ast.expr, ast.stmt] | None:
        """The caller's finder and what the call being read passes for the parameter `name`."""
        passed = self.ctx.passed_argument(name, at)
        if passed is None:
            return None
        caller, value, call_at = passed
        assert isinstance(caller, KerasContext)
        return finder_of(caller), value, call_at

    def _binding_of_layer(
        self, expr: ast.AST, at: ast.stmt, cls: ast.ClassDef | None
    ) -> Binding | None:
        if isinstance(expr, ast.Name):
            return self.ctx.value_binding(expr.id, at)
        if cls is None or not is_self_attribute(expr):
            return None
        return self.ctx.class_attribute(cls, expr.attr)  # type: ignore[attr-defined]

    def _functional_steps(self, call: ast.Call, at: ast.stmt) -> list[Step]:
        # Keras 1 and 2 also took `Model(input=..., output=...)`.
        outputs = argument(call, 1, "outputs") or keyword(call, "output")
        if outputs is None:
            return [OPAQUE]
        return self.tensor_steps(outputs, at)

    def tensor_steps(
        self, expr: ast.AST, at: ast.stmt, cls: ast.ClassDef | None = None, depth: int = 0
    ) -> list:
        """Steps that produced a tensor, following `x = Layer(...)(x)` backwards, and into the
        helper functions that compute it (`depth` of them so far)."""
        steps: list[Step] = []
        for _ in range(MAX_DEPTH):
            expr, at = self._single_output(expr, at)
            if isinstance(expr, ast.Name):
                binding = self.ctx.binding(expr.id, at)
                if binding is None or binding is UNCERTAIN:
                    break
                if binding.value is None:  # a parameter: what the call being read passes
                    passed = self._passed(expr.id, at)
                    if passed is None:
                        break
                    caller, value, call_at = passed
                    return [*steps, *caller.tensor_steps(value, call_at, None, depth + 1)]
                if binding.path:  # `x, y, out = network()`: one element of what it returns
                    found = self.unpacked(binding.value, binding.path, binding.statement, depth)
                    if found is None:
                        break
                    finder, value, statement = found
                    return [*steps, *finder.tensor_steps(value, statement, None, depth + 1)]
                expr, at = binding.value, binding.statement  # type: ignore[assignment]
                continue
            if isinstance(expr, ast.Attribute):  # `self.prob`, set once by a method of the class
                attribute = self.ctx.self_attribute(expr, at)
                if attribute is None:
                    part = self._unpacked_attribute(expr, at, depth)
                    if part is None:
                        break
                    finder, value, statement = part
                    return [*steps, *finder.tensor_steps(value, statement, None, depth + 1)]
                expr, at = attribute.value, attribute.statement  # type: ignore[assignment]
                continue
            returned = self._returned_tensor(expr, at) if depth < MAX_DEPTH else None
            if returned is not None:  # a helper that computes the tensor: `return tf.nn.softmax(z)`
                finder, value, statement = returned
                with finder.ctx.bound(self._helper_arguments(expr, at, finder, statement)):  # type: ignore[arg-type]
                    return [*steps, *finder.tensor_steps(value, statement, None, depth + 1)]
            joined = self._joined_steps(expr, at, depth)
            if joined is not None:  # `tf.concat(outputs, 0)`: what each part is
                return [*steps, PassStep(keeps_units=False), *joined]
            affine = affine_step(expr, self.ctx, at)
            if affine is not None:  # `tf.matmul(h, W) + b`: the scores
                return [*steps, affine]
            written = written_out_step(expr, self.ctx, at)
            if written is not None:  # `tf.exp(z) / tf.reduce_sum(tf.exp(z), 1)`: a softmax
                steps.append(written[0])
                expr = written[1]
                continue
            tensor = _input_tensor(expr)
            if tensor is None:
                break
            called = self._call_steps(expr, at, cls)
            if not called:  # a Sequential whose layers are all added out of sight
                break
            steps.extend(called)
            if isinstance(steps[-1], DenseStep | OpaqueStep):
                return steps
            expr = tensor
        return [*steps, OPAQUE]

    def _joined_steps(self, expr: ast.AST, at: ast.stmt, depth: int) -> list[Step] | None:
        """The steps of each tensor `tf.concat(parts, 0)` or `tf.stack(parts)` joins, when
        they all end in the same kind of head: a list of them written out, made by a
        comprehension, or filled by `.append()` in a loop, here or in the helper returning it."""
        if not isinstance(expr, ast.Call) or not expr.args or depth >= MAX_DEPTH:
            return None
        if self.ctx.qualified(expr.func, at) not in _JOINING_FUNCTIONS:
            return None
        parts = self._joined_parts(expr.args[0], at, depth)
        if not parts:
            return None
        steps = [
            finder.tensor_steps(part, statement, None, depth + 1)
            for part, statement, finder in parts
        ]
        kinds = {head_kind(head_from_steps(part_steps)) for part_steps in steps}
        return steps[0] if len(kinds) == 1 and None not in kinds else None

    def _joined_parts(
        self, joined: ast.expr, at: ast.stmt, depth: int
    ) -> list[tuple[ast.AST, ast.stmt, ModelFinder]]:
        """The tensors a list holds as `at` sees it; a comprehension's one element; the list a
        helper returns (`outputs = rnn(inputs)`, `outputs, state = rnn(inputs, state)`)."""
        returned = self._returned_list(joined, at, depth)
        if returned is not None:
            finder, value, statement = returned
            return finder._joined_parts(value, statement, depth + 1)
        if isinstance(joined, ast.Name):
            binding = self.ctx.value_binding(joined.id, at)
            if binding is not None and isinstance(binding.value, ast.ListComp):
                joined, at = binding.value, binding.statement
        if isinstance(joined, ast.ListComp | ast.GeneratorExp):
            return [(joined.elt, at, self)]
        listed = self._layer_list(joined, at)
        if not listed or any(part is None or finder is not self for part, _, _, finder in listed):
            return []
        return [(part, statement, self) for part, statement, _, _ in listed]

    def _returned_list(
        self, joined: ast.expr, at: ast.stmt, depth: int
    ) -> tuple[ModelFinder, ast.expr, ast.stmt] | None:
        """What the helper called for `joined` returns: the whole value, or one element of a
        returned tuple."""
        if depth >= MAX_DEPTH:
            return None
        if isinstance(joined, ast.Name):
            unpacked = self.unpacked_name(joined, at, depth)
            if unpacked is not None:  # `outputs, state = rnn(inputs, state)`
                return unpacked
            binding = self.ctx.value_binding(joined.id, at)
            if binding is None:
                return None
            joined, at = binding.value, binding.statement  # type: ignore[assignment]
        return self._returned_tensor(joined, at)

    def _unpacked_attribute(
        self, expr: ast.Attribute, at: ast.stmt, depth: int
    ) -> tuple[ModelFinder, ast.expr, ast.stmt] | None:
        """`self.logits` set once by unpacking: `self.probs, self.logits = self.net(x)`."""
        if not _is_self(expr.value):
            return None
        scope = self.ctx.index.scope_of(at)
        owner = scope.parent.node if scope.parent is not None else None
        if not isinstance(owner, ast.ClassDef):
            return None
        bindings = self.ctx.class_attribute_bindings(owner, expr.attr)
        if len(bindings) != 1 or bindings[0].value is None or not bindings[0].path:
            return None
        binding = bindings[0]
        return self.unpacked(binding.value, binding.path, binding.statement, depth)  # type: ignore[arg-type]

    def unpacked_name(
        self, name: ast.Name, at: ast.stmt, depth: int
    ) -> tuple[ModelFinder, ast.expr, ast.stmt] | None:
        binding = self.ctx.binding(name.id, at)
        if binding is None or binding is UNCERTAIN or binding.value is None or not binding.path:
            return None
        return self.unpacked(binding.value, binding.path, binding.statement, depth)

    def unpacked(
        self, value: ast.AST, path: tuple[int, ...], at: ast.stmt, depth: int
    ) -> tuple[ModelFinder, ast.expr, ast.stmt] | None:
        """The element at `path` of a tuple-unpacked value: of a literal, or of the tuple a
        helper function returns (`return x, y, scores`), in any file."""
        finder: ModelFinder = self
        for index in path:
            for _ in range(MAX_DEPTH - depth):
                followed = finder.ctx.through_names(value, at)
                if followed is None:
                    return None
                value, at = followed  # type: ignore[assignment]
                returned = finder._returned_tensor(value, at) or finder._returned_by_model(
                    value, at
                )
                if returned is None:
                    break
                finder, value, at = returned
            elements = value.elts if isinstance(value, ast.Tuple | ast.List) else None
            if elements is None or index >= len(elements):
                return None
            if any(isinstance(element, ast.Starred) for element in elements):
                return None
            value = elements[index]
        return finder, value, at  # type: ignore[return-value]

    def _returned_by_model(
        self, call: ast.AST, at: ast.stmt
    ) -> tuple[ModelFinder, ast.expr, ast.stmt] | None:
        """What a model subclass's `call` returns, for a call of the model: its one `return`
        (`return output, state` of a recurrent model, unpacked as `outputs, state = net(x,
        state)`)."""
        model = self.model_at(call.func, at) if isinstance(call, ast.Call) else None
        if model is None or model.kind != "subclass" or not isinstance(model.node, ast.ClassDef):
            return None
        method = model.finder._call_method(model.node, model.at)
        return self._single_return(model.finder, method[1]) if method is not None else None

    def _returned_tensor(
        self, call: ast.AST, at: ast.stmt
    ) -> tuple[ModelFinder, ast.expr, ast.stmt] | None:
        """The one expression a function (of this file or another) returns, when `call` calls
        a function that returns a tensor rather than a model."""
        if not isinstance(call, ast.Call):
            return None
        if _is_self(getattr(call.func, "value", None)):  # `self.discriminator(x)`
            function = self._own_method(call.func, at)  # type: ignore[arg-type]
            return self._single_return(self, function) if function is not None else None
        if not isinstance(call.func, ast.Name):
            return None
        found = self._function_named(call.func, at)
        return self._single_return(*found) if found is not None else None

    def _function_named(
        self, name: ast.Name, at: ast.stmt, depth: int = 0
    ) -> tuple[ModelFinder, ast.FunctionDef] | None:
        """The function `name` calls at `at`: the one the call being read hands a parameter
        (`rnn_fn(x)` in `def train(rnn_fn)`, run as `train(rnn)`), or defined or imported."""
        passed = self._passed(name.id, at)
        if passed is not None:
            finder, given, given_at = passed
            if not isinstance(given, ast.Name) or depth >= MAX_DEPTH:
                return None
            return finder._function_named(given, given_at, depth + 1)
        found = self.ctx.definition(name, at)
        if found is None or not isinstance(found[1], ast.FunctionDef):
            return None
        ctx, function = found
        return (self if ctx is self.ctx else finder_of(ctx)), function

    def _helper_arguments(
        self, call: ast.Call, at: ast.stmt, finder: ModelFinder, returned: ast.stmt
    ) -> Arguments:
        """The parameters of the helper whose `return` is `returned`, bound to what `call`
        passes (`mlp(x, tf.nn.softmax)` makes `activation=output_nonlinearity` a softmax)."""
        function = finder.ctx.index.scope_of(returned).node
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return {}
        method = _is_self(getattr(call.func, "value", None))
        passed = passed_arguments(function, call, method=method)
        return bound_arguments(function, passed, self.ctx, at, finder.ctx) if passed else {}

    @staticmethod
    def _single_return(
        finder: ModelFinder, function: ast.FunctionDef
    ) -> tuple[ModelFinder, ast.expr, ast.stmt] | None:
        """The one expression `function` returns, when that is a tensor, not a model."""
        if finder._returned_model(function, 0) is not None:
            return None
        returns = [r for r in finder.ctx.index.returns(function) if r.value is not None]
        if len(returns) != 1:
            return None
        return finder, returns[0].value, returns[0]  # type: ignore[return-value]

    def _own_method(self, method: ast.Attribute, at: ast.stmt) -> ast.FunctionDef | None:
        """The method `self.name` calls, defined by the plain class whose method holds `at`
        (a model class's own methods are read as its layers are)."""
        scope = self.ctx.index.scope_of(at)
        owner = scope.parent.node if scope.parent is not None else None
        if not isinstance(owner, ast.ClassDef) or self._is_model_class(owner, at):
            return None
        found = [
            statement
            for statement in owner.body
            if isinstance(statement, ast.FunctionDef) and statement.name == method.attr
        ]
        return found[0] if len(found) == 1 else None

    def _single_output(self, expr: ast.AST, at: ast.stmt) -> tuple[ast.AST, ast.stmt]:
        """`[outputs]` is `outputs`; several outputs stay a list (and read as opaque)."""
        if isinstance(expr, ast.List | ast.Tuple) and len(expr.elts) == 1:
            return expr.elts[0], at
        return expr, at

    def _call_steps(self, call: ast.Call, at: ast.stmt, cls: ast.ClassDef | None) -> list:
        path = self.ctx.qualified(call.func, at)
        if path is not None:
            step = function_step(call, path, self.ctx, at)
            if step is not None:
                return [step]
        if isinstance(call.func, ast.Attribute):
            method_steps = self._own_method_steps(call.func, at)
            if method_steps is not None:
                return method_steps
        return self.layer_steps(call.func, at, cls)

    def _own_method_steps(self, method: ast.Attribute, at: ast.stmt) -> list[Step] | None:
        """`model.pi(x)`: the output of a method the model's own class defines."""
        model = self.model_at(method.value, at)
        if model is None or model.kind != "subclass":
            return None
        assert isinstance(model.node, ast.ClassDef)
        return model.finder._subclass_steps(model, model.node, method.attr)

    def _subclass_steps(
        self, model: ModelDef, cls: ast.ClassDef, method_name: str = "call"
    ) -> list[Step]:
        method = self._call_method(cls, model.at, method_name)
        if method is None:
            if method_name == "call" and self._derives_from_sequential(cls):
                return self._sequential_subclass_steps(cls)
            return [OPAQUE]
        method_class, function = method
        returns = [r for r in self.ctx.index.returns(function) if r.value is not None]
        alternatives = [self.tensor_steps(r.value, r, method_class) for r in returns]  # type: ignore[arg-type]
        heads = {head_kind(head_from_steps(steps)) for steps in alternatives}
        if len(heads) != 1:
            model.outputs_vary = model.outputs_vary or (method_name == "call" and len(heads) > 1)
            return [OPAQUE]
        return alternatives[0]

    def _call_method(
        self, cls: ast.ClassDef, at: ast.stmt, name: str = "call", depth: int = 0
    ) -> tuple[ast.ClassDef, ast.FunctionDef] | None:
        """The method `name` of a model class, its own or a local base class's."""
        for statement in cls.body:
            if isinstance(statement, ast.FunctionDef) and statement.name == name:
                return cls, statement
        for base in cls.bases:
            local = self._local_class(base, at)
            if local is not None and depth < MAX_DEPTH:
                return self._call_method(*local, name=name, depth=depth + 1)
        return None


def _registry_pick(
    ctx: KerasContext, function: ast.FunctionDef | ast.AsyncFunctionDef
) -> tuple[dict[str, ast.expr], str, bool] | None:
    """For a factory whose one `return` is `MODELS[name](**kwargs)` or `MODELS[name]()`: the
    registry's entries by name, the parameter naming one, and whether the keywords are handed
    on; None for any other shape, or a registry that is no literal dict or that a scope
    changes (`MODELS["cnn"] = other`, a decorator filling it)."""
    returns = ctx.index.returns(function)
    made = returns[0].value if len(returns) == 1 else None
    if not isinstance(made, ast.Call) or not isinstance(made.func, ast.Subscript) or made.args:
        return None
    table, key = made.func.value, made.func.slice
    keywords = function.args.kwarg
    forwards = [kw.value for kw in made.keywords]
    handed_on = (
        keywords is not None
        and len(forwards) == 1
        and made.keywords[0].arg is None
        and isinstance(forwards[0], ast.Name)
        and forwards[0].id == keywords.arg
    )
    if forwards and not handed_on:
        return None
    if not isinstance(table, ast.Name) or not isinstance(key, ast.Name):
        return None
    binding = ctx.value_binding(table.id, returns[0])
    if binding is None or not isinstance(binding.value, ast.Dict):
        return None
    if ctx.changed_in_module(table.id):
        return None
    entries = {
        name: value
        for name_node, value in zip(binding.value.keys, binding.value.values, strict=True)
        if name_node is not None and isinstance(name := literal(name_node), str)
    }
    return entries, key.id, handed_on


def _own_init(cls: ast.AST) -> ast.FunctionDef | None:
    """The `__init__` a class defines itself (the last, when it defines several)."""
    if not isinstance(cls, ast.ClassDef):
        return None
    inits = [node for node in cls.body if isinstance(node, ast.FunctionDef)]
    inits = [node for node in inits if node.name == "__init__"]
    return inits[-1] if inits else None


def bound_arguments(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    passed: dict[str, ast.expr],
    caller: KerasContext,
    at: ast.stmt,
    defining: KerasContext,
) -> Arguments:
    """The function's parameters bound for one call: to what it passes (read in the caller's
    context at `at`), the others to their defaults (read where the function is defined)."""
    arguments: Arguments = {
        (function, name): (defining, default, function)
        for name, default in parameter_defaults(function).items()
    }
    arguments.update({(function, name): (caller, value, at) for name, value in passed.items()})
    return arguments


def _steps_of_layers(layers: list[Layered]) -> list[Step]:
    """The steps of a Sequential's layers, from the last back to the Dense that scores."""
    steps: list[Step] = []
    for layer, at, conditional, finder in reversed(layers):
        if layer is None:
            return [*steps, OPAQUE]
        steps.extend([OPAQUE] if conditional else finder.layer_steps(layer, at))
        if any(isinstance(step, DenseStep | OpaqueStep) for step in steps):
            break
    return steps


def _is_super(expr: ast.AST) -> bool:
    return (
        isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "super"
    )


def _is_self(expr: ast.AST) -> bool:
    return isinstance(expr, ast.Name) and expr.id == "self"


def _input_tensor(expr: ast.AST) -> ast.expr | None:
    """The tensor a layer, activation or helper call is applied to: its first argument, or its
    `inputs=`, `logits=`, `features=` or `x=` (`tf.layers.dense(inputs=x, units=10)`)."""
    if not isinstance(expr, ast.Call):
        return None
    if expr.args:
        return None if isinstance(expr.args[0], ast.Starred) else expr.args[0]
    return next(
        (k.value for k in expr.keywords if k.arg in ("inputs", "logits", "features", "x")), None
    )


def _kind_of_constructor(path: str) -> str | None:
    if path == "keras.Sequential":
        return "sequential"
    if path == "keras.Model":
        return "functional"
    name = path.rsplit(".", 1)[-1]
    if path.startswith("keras.applications.") and name[:1].isupper():
        return "application"
    if transformers.task_model(path, "keras") is not None or keras_hub.classifier(path):
        return "application"  # a library model read whole, as keras.applications' are
    return None


def head_kind(head: Head | None) -> tuple | None:
    """What two heads must share to be read as one: what they emit, and their units."""
    return None if head is None else (head.emits, head.units)


def _adds_a_layer(call: ast.Call) -> bool:
    """`add(Dense(10))`, `add(layers.Dropout(0.2))`: a class made on the spot."""
    added = call.args[0] if len(call.args) == 1 and not call.keywords else None
    return isinstance(added, ast.Call) and (called_name(added) or "")[:1].isupper()
