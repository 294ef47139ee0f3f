"""Follow models, layers and tensors through a PyTorch or Flax module, without running it.

An `Evaluator` gives an abstract value to an expression: a layer (`nn.Linear(32, 10)`), a model
(an instance of an `nn.Module` subclass defined in the file, or an `nn.Sequential`), a tensor
whose content is known (the output of a model, of a softmax...), a loss module. Names are
followed to their assignments, parameters to the arguments at call sites, `self.fc` to what
`__init__` assigned (see `scopes.ScopeIndex`). Anything else is unknown (None), and so are
values that different paths would give differently: the front ends stay silent on them.

What the calls mean is framework knowledge, given by a `Vocabulary` (torch_frontend.py,
jax_frontend.py); `extract_with` turns what the evaluator sees into `TrainingSetup` facts.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum

from logitguard.core.facts import (
    Emits,
    Head,
    LabelFormat,
    Labels,
    Location,
    LossUse,
    Prediction,
    PredictionMisuse,
    TrainingSetup,
)
from logitguard.static.ast_tools import argument, keyword, literal, location
from logitguard.static.log_softmax_uses import LogSoftmaxUses
from logitguard.static.module import ParsedModule
from logitguard.static.scopes import ScopeIndex

# Deep enough for real models; shallow enough that Python's own recursion limit is never hit.
_MAX_DEPTH = 60
# `torch.log(probs + 1e-8)` is still the log of a softmax.
_EPSILON_LIMIT = 1e-3


class LayerKind(Enum):
    LINEAR = "linear"  # a learned affine map: its output is raw logits
    ACTIVATION = "activation"
    PASS_THROUGH = "pass-through"  # reshapes, dropout, identity: the content is unchanged


@dataclass(frozen=True)
class LayerSpec:
    kind: LayerKind
    emits: Emits | None = None  # for activations
    units_argument: tuple[int, str] | None = None  # for linear layers: (position, keyword)


@dataclass(frozen=True)
class LossCall:
    use: LossUse
    input: ast.expr | None
    target: ast.expr | None


@dataclass(frozen=True)
class Vocabulary:
    """What a framework's names mean, as canonical dotted paths."""

    framework: str
    model_bases: frozenset[str]
    entry_methods: tuple[str, ...]  # forward, __call__
    layers: Mapping[str, LayerSpec]
    activations: Mapping[str, Emits]  # functions: F.softmax, jax.nn.softmax
    logs: frozenset[str]  # torch.log, jnp.log
    # Containers whose last layer is the model's head, and whether the layers come as one list.
    sequentials: Mapping[str, bool]
    # Reads the loss module a constructor call builds, or the loss a function call computes.
    loss_module: Callable[[str, ast.Call, ParsedModule], LossUse | None]
    functional_loss: Callable[[str, ast.Call, ParsedModule], LossCall | None]
    one_hot: Mapping[str, tuple[int, str]]  # function -> its num_classes argument
    identity_matrices: frozenset[str]  # torch.eye(n)[y] is one-hot too
    rounding: frozenset[str]
    sampling: Mapping[str, tuple[int, str]]  # function -> its probabilities argument
    logits_readers: Mapping[str, tuple[int, str]]  # function -> its logits argument
    activation_methods: Mapping[str, Emits] = field(default_factory=dict)  # x.softmax(1)
    pass_through_functions: frozenset[str] = frozenset()
    pass_through_methods: frozenset[str] = frozenset()
    model_wrappers: frozenset[str] = frozenset()  # torch.compile(model) is the model
    model_returning_methods: frozenset[str] = frozenset()  # model.to(device) is the model
    apply_methods: frozenset[str] = frozenset()  # Flax: model.apply(params, x)
    # A library function that builds a classifier -> the attribute holding its last layer.
    library_model_head: Callable[[str], str | None] = lambda path: None
    train_state_apply: frozenset[str] = frozenset()  # Flax: state.apply_fn(params, x)
    # Return their function argument with the same parameters: jax.jit(f), jax.grad(f).
    function_transforms: frozenset[str] = frozenset()
    # What trains on a value besides a loss: torch.autograd.grad(v, ...), v.backward().
    gradient_functions: frozenset[str] = frozenset()
    gradient_methods: frozenset[str] = frozenset()
    # Functions (or namespaces, ending in ".") making random or constant tensors: test data.
    made_up_data: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Layer:
    spec: LayerSpec
    display: str
    location: Location
    units: int | None = None


@dataclass(frozen=True)
class Model:
    definition: ast.AST  # a ClassDef, or the call that builds a Sequential or a library model
    name: str | None  # the class name, shown in messages
    # A library model (torchvision.models.resnet18()): the attribute holding its last layer,
    # which ends in a linear layer unless the program replaces it.
    head_attribute: str | None = None


@dataclass(frozen=True)
class ModelClass:
    definition: ast.ClassDef


@dataclass(frozen=True)
class Function:
    definition: ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Imported:
    path: str


@dataclass(frozen=True)
class Tensor:
    head: Head
    model_output: bool = False  # straight from a model call (reshapes allowed)
    model: Model | None = None  # the model it was computed from, through activations too


@dataclass(frozen=True)
class LossModule:
    use: LossUse


Value = Layer | Model | ModelClass | Function | Imported | Tensor | LossModule


def _agreed(values: Iterable[object]) -> object | None:
    """The one value all paths give, or None when any is unknown or they differ."""
    found: list[object] = list(values)
    if not found or any(value is None for value in found):
        return None
    return found[0] if all(value == found[0] for value in found[1:]) else None


def _join(*steps: str | None) -> str:
    return " -> ".join(step for step in steps if step)


class Evaluator:
    def __init__(self, module: ParsedModule, vocabulary: Vocabulary) -> None:
        self.module = module
        self.vocabulary = vocabulary
        self._source = module.text
        self._paths: dict[int, str | None] = {}
        self.index = ScopeIndex(
            module.tree, lambda func: self.resolve(func) in vocabulary.function_transforms
        )
        self._values: dict[int, Value | None] = {}
        self._labels: dict[int, Labels | None] = {}
        self._heads: dict[int, Head | None] = {}
        self._model_classes: dict[int, bool] = {}
        self._active: set[int] = set()
        self._train_state_models: list[Model | None] | None = None  # found on first use

    # --- helpers ---------------------------------------------------------------------------

    def _location(self, node: ast.AST) -> Location:
        return location(self.module.path, node)

    def _segment(self, node: ast.AST) -> str:
        return self._source.segment(node)

    def resolve(self, node: ast.AST) -> str | None:
        key = id(node)
        if key not in self._paths:
            self._paths[key] = self.module.resolver.resolve(node)
        return self._paths[key]

    def _units(self, call: ast.Call, spec: LayerSpec) -> int | None:
        if spec.units_argument is None:
            return None
        return self._count(argument(call, *spec.units_argument))

    def _count(self, node: ast.expr | None) -> int | None:
        """A positive int literal or constant; None otherwise."""
        value = literal(node, self.module.constants)
        valid = isinstance(value, int) and not isinstance(value, bool) and value > 0
        return value if valid else None  # type: ignore[return-value]

    def _is_self(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id == "self"

    def is_model_class(self, class_def: ast.ClassDef) -> bool:
        key = id(class_def)
        if key not in self._model_classes:
            self._model_classes[key] = False  # a class cycle is not a model
            self._model_classes[key] = any(
                self.resolve(base) in self.vocabulary.model_bases for base in class_def.bases
            ) or any(self.is_model_class(base) for base in self.index.local_bases(class_def))
        return self._model_classes[key]

    def is_log(self, call: ast.Call, path: str | None) -> bool:
        if path is not None:
            return path in self.vocabulary.logs
        return isinstance(call.func, ast.Attribute) and call.func.attr == "log"

    def in_model_class(self, node: ast.AST) -> bool:
        owner = self.index.enclosing_class(node)
        return owner is not None and self.is_model_class(owner)

    # --- values ----------------------------------------------------------------------------

    def value(self, node: ast.AST | None) -> Value | None:
        if node is None:
            return None
        key = id(node)
        if key in self._values:
            return self._values[key]
        if key in self._active or len(self._active) > _MAX_DEPTH:
            return None
        self._active.add(key)
        try:
            result = self._evaluate(node)
        finally:
            self._active.discard(key)
        self._values[key] = result
        return result

    def _values_agree(self, nodes: Iterable[ast.AST | None]) -> Value | None:
        return _agreed(self.value(node) for node in nodes)  # type: ignore[return-value]

    def _evaluate(self, node: ast.AST) -> Value | None:
        if isinstance(node, ast.ClassDef):
            return ModelClass(node) if self.is_model_class(node) else None
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return Function(node)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.Attribute):
            return self._attribute(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Subscript):
            inner = self.value(node.value)
            if isinstance(inner, Tensor):  # a slice of the outputs holds the same kind of values
                return replace(inner, head=replace(inner.head, units=None))
            return None
        if isinstance(node, ast.IfExp):
            return self._values_agree([node.body, node.orelse])
        if isinstance(node, ast.NamedExpr):
            return self.value(node.value)
        if isinstance(node, ast.BinOp):
            return self._binary(node)
        return None

    def _name(self, node: ast.Name) -> Value | None:
        if node.id == "self":
            owner = self.index.enclosing_class(node)
            return Model(owner, owner.name) if owner and self.is_model_class(owner) else None
        sources = self.index.sources_of_name(node)
        if sources is None:
            path = self.resolve(node)
            return Imported(path) if path else None
        return self._values_agree(value for value, _ in sources)

    def _attribute(self, node: ast.Attribute) -> Value | None:
        path = self.resolve(node)
        if path is not None:
            return Imported(path)
        owner = self.value(node.value)
        if isinstance(owner, Model) and isinstance(owner.definition, ast.ClassDef):
            sources = self.index.sources_of_attribute(owner.definition, node.attr)
            if sources is not None:
                return self._values_agree(value for value, _ in sources)
        return None

    def _binary(self, node: ast.BinOp) -> Value | None:
        if isinstance(node.op, ast.MatMult):
            head = Head(Emits.LOGITS, self._segment(node), self._location(node))
            return Tensor(head)
        if isinstance(node.op, ast.Add):
            left, right = self.value(node.left), self.value(node.right)
            small = [_is_small_constant(side) for side in (node.right, node.left)]
            for side, is_small in zip((left, right), small, strict=True):
                if isinstance(side, Tensor) and is_small:
                    return replace(side, model_output=False)
            if isinstance(node.left, ast.BinOp) and isinstance(node.left.op, ast.MatMult):
                return Tensor(Head(Emits.LOGITS, self._segment(node), self._location(node)))
        return None

    def _call(self, call: ast.Call) -> Value | None:
        func = call.func
        path = self.resolve(func)
        if path is not None:
            return self._call_path(path, call)
        if isinstance(func, ast.Attribute):
            receiver = self.value(func.value)
            method = func.attr
            if isinstance(receiver, Model):
                vocabulary = self.vocabulary
                if method in vocabulary.entry_methods or method in vocabulary.apply_methods:
                    return self.output_of(receiver)
                if method in vocabulary.model_returning_methods:
                    return receiver
            if method in self.vocabulary.train_state_apply:
                model = self._train_state_model()
                return self.output_of(model) if model is not None else None
            callee = self.value(func)
            if callee is not None:
                return self._call_value(callee, call)
            if isinstance(receiver, Tensor) or (receiver is None and not self._is_self(func.value)):
                return self._tensor_method(receiver, method, call)
            return None
        callee = self.value(func)
        return self._call_value(callee, call) if callee is not None else None

    def _call_path(self, path: str, call: ast.Call) -> Value | None:
        vocabulary = self.vocabulary
        if path in vocabulary.layers:
            spec = vocabulary.layers[path]
            return Layer(spec, self._segment(call), self._location(call), self._units(call, spec))
        if path in vocabulary.sequentials:
            return Model(call, None)
        head_attribute = vocabulary.library_model_head(path)
        if head_attribute is not None:
            return Model(call, path.rsplit(".", 1)[-1], head_attribute)
        first = call.args[0] if call.args and not isinstance(call.args[0], ast.Starred) else None
        if path in vocabulary.model_wrappers:
            wrapped = self.value(first)
            return wrapped if isinstance(wrapped, Model) else None
        if path in vocabulary.activations:
            step = f"{self._segment(call.func)}(...)"
            return self._activate(self.value(first), vocabulary.activations[path], step, call)
        if path in vocabulary.logs:
            return self._log(self.value(first), f"{self._segment(call.func)}(...)", call)
        if path in vocabulary.pass_through_functions:
            inner = self.value(first)
            return inner if isinstance(inner, Tensor) else None
        use = vocabulary.loss_module(path, call, self.module)
        return LossModule(use) if use is not None else None

    def _call_value(self, callee: Value, call: ast.Call) -> Value | None:
        if isinstance(callee, Imported):
            return self._call_path(callee.path, call)
        if isinstance(callee, ModelClass):
            return Model(callee.definition, callee.definition.name)
        if isinstance(callee, Model):
            return self.output_of(callee)
        if isinstance(callee, Layer):
            first = call.args[0] if call.args else None
            return self._apply(callee, self.value(first))
        if isinstance(callee, Function):
            returns = self.index.returns(callee.definition)
            return self._values_agree(returns) if returns else None
        return None

    def _tensor_method(self, receiver: Value | None, method: str, call: ast.Call) -> Value | None:
        vocabulary = self.vocabulary
        if method in vocabulary.activation_methods:
            emits = vocabulary.activation_methods[method]
            return self._activate(receiver, emits, f".{method}(...)", call)
        if method == "log":
            return self._log(receiver, ".log()", call)
        if method in vocabulary.pass_through_methods and isinstance(receiver, Tensor):
            return receiver
        return None

    # --- what tensors hold -----------------------------------------------------------------

    def _apply(self, layer: Layer, inner: Value | None) -> Tensor | None:
        kind = layer.spec.kind
        if kind is LayerKind.LINEAR:
            return Tensor(Head(Emits.LOGITS, layer.display, layer.location, units=layer.units))
        if kind is LayerKind.ACTIVATION and layer.spec.emits is not None:
            return self._activated(inner, layer.spec.emits, layer.display, layer.location)
        if kind is LayerKind.PASS_THROUGH and isinstance(inner, Tensor):
            return replace(inner, model_output=False)
        return None

    def _activate(self, inner: Value | None, emits: Emits, step: str, call: ast.Call) -> Tensor:
        return self._activated(inner, emits, step, self._location(call))

    def _activated(self, inner: Value | None, emits: Emits, step: str, at: Location) -> Tensor:
        if not isinstance(inner, Tensor):
            return Tensor(Head(emits, step, at, activation_location=at))
        head = inner.head
        return Tensor(
            Head(
                emits, _join(head.display, step), head.location, head.units, activation_location=at
            ),
            model=inner.model,
        )

    def _log(self, inner: Value | None, step: str, call: ast.Call) -> Tensor | None:
        if not isinstance(inner, Tensor) or inner.head.emits is not Emits.SOFTMAX:
            return None
        head = inner.head
        return Tensor(
            Head(
                Emits.LOG_SOFTMAX,
                _join(head.display, step),
                head.location,
                head.units,
                activation_location=self._location(call),
                unstable_log_softmax=True,
            ),
            model=inner.model,
        )

    def output_of(self, model: Model) -> Tensor | None:
        head = self.model_head(model)
        if head is None:
            return None
        display = f"{model.name} ({head.display})" if model.name else head.display
        return Tensor(replace(head, display=display), model_output=True, model=model)

    def model_head(self, model: Model) -> Head | None:
        key = id(model.definition)
        if key not in self._heads:
            self._heads[key] = None  # a model calling itself has no known head
            self._heads[key] = self._compute_head(model)
        return self._heads[key]

    def _compute_head(self, model: Model) -> Head | None:
        definition = model.definition
        if model.head_attribute is not None:
            return self._library_head(model, model.head_attribute)
        if isinstance(definition, ast.Call):
            return self._sequential_head(definition)
        assert isinstance(definition, ast.ClassDef)
        for name in self.vocabulary.entry_methods:
            method = self.index.method(definition, name)
            if method is not None:
                returns = self.index.returns(method)
                output = self._values_agree(returns) if returns else None
                return output.head if isinstance(output, Tensor) else None
        return None

    def _library_head(self, model: Model, attribute: str) -> Head | None:
        """A library classifier's head: its own linear layer, or what the program put there."""
        replacements: list[ast.expr] = []
        for node in self.index.assignments:
            for target, value in _assignments(node):
                while isinstance(target, ast.Subscript):  # model.classifier[6] = ...
                    target, value = target.value, None
                if not isinstance(target, ast.Attribute) or target.attr != attribute:
                    continue
                if self.value(target.value) != model:
                    continue
                if value is None:
                    return None  # part of the head replaced: what is left is not known
                replacements.append(value)
        if not replacements:
            assert isinstance(model.definition, ast.Call)
            return Head(
                Emits.LOGITS,
                f"{attribute}: its linear classifier",
                self._location(model.definition),
                units=self._count(keyword(model.definition, "num_classes")),
            )
        output = _agreed(self._through(self.value(v), None, v) for v in replacements)
        if not isinstance(output, Tensor):
            return None
        return replace(output.head, display=f"{attribute} = {output.head.display}")

    def _sequential_head(self, call: ast.Call) -> Head | None:
        path = self.resolve(call.func)
        as_list = path is not None and self.vocabulary.sequentials.get(path, False)
        if as_list:
            if len(call.args) != 1 or not isinstance(call.args[0], (ast.List, ast.Tuple)):
                return None
            elements = call.args[0].elts
        else:
            elements = call.args
        if not elements or any(isinstance(element, ast.Starred) for element in elements):
            return None
        output: Value | None = None
        for element in elements:
            output = self._through(self.value(element), output, element)
        return output.head if isinstance(output, Tensor) else None

    def _through(self, step: Value | None, inner: Value | None, node: ast.AST) -> Value | None:
        """The output of one element of a Sequential given its input."""
        if isinstance(step, Layer):
            return self._apply(step, inner)
        if isinstance(step, Model):
            return self.output_of(step)
        if isinstance(step, Imported) and step.path in self.vocabulary.activations:
            emits = self.vocabulary.activations[step.path]
            return self._activated(inner, emits, self._segment(node), self._location(node))
        return None

    def _train_state_model(self) -> Model | None:
        """The model of `TrainState.create(apply_fn=model.apply, ...)`, if there is one."""
        if self._train_state_models is None:
            self._train_state_models = [
                self.value(keyword.value.value)
                for node in self.index.calls
                for keyword in node.keywords
                if keyword.arg == "apply_fn"
                and isinstance(keyword.value, ast.Attribute)
                and keyword.value.attr in self.vocabulary.apply_methods
            ]
        agreed = _agreed(self._train_state_models)
        return agreed if isinstance(agreed, Model) else None

    # --- labels ----------------------------------------------------------------------------

    def labels(self, node: ast.AST | None) -> Labels | None:
        if node is None:
            return None
        key = id(node)
        if key not in self._labels:
            self._labels[key] = None
            self._labels[key] = self._read_labels(node)
        return self._labels[key]

    def _read_labels(self, node: ast.AST) -> Labels | None:
        if isinstance(node, ast.Name):
            sources = self.index.sources_of_name(node)
            if sources is None:
                return None
            return _agreed(self.labels(value) for value, _ in sources)  # type: ignore[return-value]
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Call):
            matrix = node.value
            if self.resolve(matrix.func) in self.vocabulary.identity_matrices and matrix.args:
                return self._one_hot(node, matrix.args[0])
            return None
        if not isinstance(node, ast.Call):
            return None
        path = self.resolve(node.func)
        if path in self.vocabulary.one_hot:
            return self._one_hot(node, argument(node, *self.vocabulary.one_hot[path]))
        method = node.func.attr if isinstance(node.func, ast.Attribute) else None
        if path is None and method in self.vocabulary.pass_through_methods:
            return self.labels(node.func.value)  # type: ignore[attr-defined]
        return None

    def _one_hot(self, node: ast.AST, classes: ast.expr | None) -> Labels:
        return Labels(
            LabelFormat.ONE_HOT, self._segment(node), self._location(node), self._count(classes)
        )

    # --- uses ------------------------------------------------------------------------------

    def loss_call(self, call: ast.Call) -> LossCall | None:
        path = self.resolve(call.func)
        if path is not None:
            return self.vocabulary.functional_loss(path, call, self.module)
        callee = self.value(call.func)
        if isinstance(callee, LossModule):
            return LossCall(callee.use, argument(call, 0, "input"), argument(call, 1, "target"))
        return None

    def raw_model_output(self, node: ast.AST | None) -> Tensor | None:
        found = self.value(node)
        return found if isinstance(found, Tensor) and found.model_output else None

    def prediction(self, node: ast.AST) -> tuple[Tensor, Prediction] | None:
        """A model's raw output rounded, cut at 0.5 or sampled from, at `node`."""
        if isinstance(node, ast.Compare):
            return self._threshold(node)
        if not isinstance(node, ast.Call):
            return None
        path = self.resolve(node.func)
        output: Tensor | None = None
        misuse = PredictionMisuse.ROUNDED
        if path in self.vocabulary.rounding:
            output = self.raw_model_output(node.args[0] if node.args else None)
        elif path in self.vocabulary.sampling:
            output = self.raw_model_output(argument(node, *self.vocabulary.sampling[path]))
            misuse = PredictionMisuse.SAMPLED
        elif path is None and isinstance(node.func, ast.Attribute) and node.func.attr == "round":
            output = self.raw_model_output(node.func.value)
        if output is None:
            return None
        return output, Prediction(misuse, self._segment(node), self._location(node))

    def probabilities_read_as_logits(self, node: ast.AST) -> tuple[Tensor, Prediction] | None:
        """Probabilities passed where logits are expected: `Categorical(logits=probs)`."""
        if not isinstance(node, ast.Call):
            return None
        path = self.resolve(node.func)
        if path not in self.vocabulary.logits_readers:
            return None
        found = self.value(argument(node, *self.vocabulary.logits_readers[path]))
        if not isinstance(found, Tensor) or not found.head.emits.is_probability:
            return None
        misuse = Prediction(
            PredictionMisuse.READ_AS_LOGITS, self._segment(node), self._location(node)
        )
        return found, misuse

    def _threshold(self, node: ast.Compare) -> tuple[Tensor, Prediction] | None:
        if len(node.ops) != 1 or not isinstance(node.ops[0], (ast.Gt, ast.GtE, ast.Lt, ast.LtE)):
            return None
        left, right = node.left, node.comparators[0]
        for side, other in ((left, right), (right, left)):
            if isinstance(other, ast.Constant) and other.value == 0.5:
                output = self.raw_model_output(side)
                if output is not None:
                    prediction = Prediction(
                        PredictionMisuse.THRESHOLDED, self._segment(node), self._location(node)
                    )
                    return output, prediction
        return None


def _assignments(node: ast.AST) -> Iterable[tuple[ast.expr, ast.expr]]:
    if isinstance(node, ast.Assign):
        return [(target, node.value) for target in node.targets]
    if isinstance(node, ast.AnnAssign) and node.value is not None:
        return [(node.target, node.value)]
    return []


def _is_small_constant(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, float)
        and 0 < node.value < _EPSILON_LIMIT
    )


def extract_with(module: ParsedModule, vocabulary: Vocabulary) -> list[TrainingSetup]:
    """Every training set-up, model head and prediction the evaluator can see in `module`."""
    evaluator = Evaluator(module, vocabulary)
    framework = vocabulary.framework
    setups: list[TrainingSetup] = []
    # log(softmax) fed to a loss or a gradient, reported once: a model's head or a loss set-up
    # already covers the one it ends in.
    unstable_logs: list[tuple[ast.Call, Head]] = []
    predictions: list[tuple[Tensor, Prediction]] = []
    # Models trained on their raw outputs with a classification loss in this file.
    classifiers: dict[Model, LossUse] = {}
    for node in evaluator.index.nodes:
        if isinstance(node, ast.ClassDef) and evaluator.is_model_class(node):
            setups.extend(_head_setup(evaluator, Model(node, node.name), framework))
        if isinstance(node, ast.Call):
            path = evaluator.resolve(node.func)
            # A Sequential inside a model class is a part (an attention block, a classifier
            # whose output the model may still transform): the class's own head covers it.
            if path in vocabulary.sequentials and not evaluator.in_model_class(node):
                setups.extend(_head_setup(evaluator, Model(node, None), framework))
            found = evaluator.value(node) if evaluator.is_log(node, path) else None
            if isinstance(found, Tensor) and found.head.unstable_log_softmax:
                unstable_logs.append((node, found.head))
            loss = evaluator.loss_call(node)
            if loss is not None:
                trained = evaluator.value(loss.input)
                if isinstance(trained, Tensor) and trained.model_output and trained.model:
                    classifiers.setdefault(trained.model, loss.use)
                setup = _loss_setup(evaluator, loss, framework)
                if setup is not None:
                    setups.append(setup)
        prediction = evaluator.prediction(node)
        if prediction is not None:
            predictions.append(prediction)
        read_as_logits = evaluator.probabilities_read_as_logits(node)
        if read_as_logits is not None:
            output, misuse = read_as_logits
            setups.append(TrainingSetup(framework, head=output.head, predictions=[misuse]))
    # A regression model's outputs may well be rounded: only classifiers' predictions count.
    setups.extend(
        TrainingSetup(
            framework, head=output.head, loss=classifiers[output.model], predictions=[misuse]
        )
        for output, misuse in predictions
        if output.model in classifiers
    )
    return _with_unstable_logs(evaluator, setups, unstable_logs)


def _with_unstable_logs(
    evaluator: Evaluator, setups: list[TrainingSetup], logs: list[tuple[ast.Call, Head]]
) -> list[TrainingSetup]:
    """Set-ups plus the log(softmax) that matter: on real data, fed to a loss or a gradient."""
    if not logs:
        return setups
    uses = LogSoftmaxUses(evaluator)
    made_up = {head.activation_location for node, head in logs if uses.on_made_up_data(node)}
    setups = [_stable_unless_real(setup, made_up) for setup in setups]
    covered = {setup.head.activation_location for setup in setups if setup.head is not None}
    return setups + [
        TrainingSetup(evaluator.vocabulary.framework, head=head)
        for node, head in logs
        if head.activation_location not in covered | made_up and uses.feeds_training(node)
    ]


def _stable_unless_real(setup: TrainingSetup, made_up: set[Location | None]) -> TrainingSetup:
    """A log(softmax) of made-up test values is no numerical hazard: not reported."""
    head = setup.head
    if head is None or not head.unstable_log_softmax or head.activation_location not in made_up:
        return setup
    return replace(setup, head=replace(head, unstable_log_softmax=False))


def _head_setup(evaluator: Evaluator, model: Model, framework: str) -> list[TrainingSetup]:
    output = evaluator.output_of(model)
    return [TrainingSetup(framework, head=output.head)] if output is not None else []


def _loss_setup(evaluator: Evaluator, loss: LossCall, framework: str) -> TrainingSetup | None:
    output = evaluator.value(loss.input)
    head = output.head if isinstance(output, Tensor) else None
    labels = evaluator.labels(loss.target)
    if head is None and labels is None:
        return None
    return TrainingSetup(framework, head=head, loss=loss.use, labels=labels)
