"""Follow models, layers and tensors through a PyTorch or Flax module, without running it.

An `Evaluator` gives an abstract value to an expression: a layer (`nn.Linear(32, 10)`), a model
(an instance of an `nn.Module` subclass defined in the file, or an `nn.Sequential`), a tensor
whose content is known (the output of a model, of a softmax...), a loss module. Names are
followed to their assignments, parameters to the arguments at call sites, `self.fc` to what
`__init__` assigned (see `scopes.ScopeIndex`). Anything else is unknown (None), and so are
values that different paths would give differently: the front ends stay silent on them.

What the calls mean is framework knowledge, given by a `Vocabulary` (frameworks/torch.py,
frameworks/jax.py); `extract_with` turns what the evaluator sees into `TrainingSetup` facts.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cached_property

from logitguard.core.facts import (
    PROBABILITY_THRESHOLD,
    Emits,
    Head,
    LabelFormat,
    Labels,
    Location,
    LossFamily,
    LossUse,
    Prediction,
    PredictionMisuse,
    TrainingSetup,
)
from logitguard.knowledge import hand_written, label_functions
from logitguard.knowledge.probability_metrics import probabilities_given
from logitguard.static.engine.ast_tools import (
    argument,
    called_name,
    calls_super_init,
    cut_at,
    cut_by_function,
    is_complement,
    is_none,
    keyword,
    last_name,
    literal,
    literal_keywords,
    location,
    passed_arguments,
    reduced_over,
    rounds_to_decimals,
    subtracted_from_one,
    super_init_statement,
    unclipped,
)
from logitguard.static.engine.branches import SOME_OBJECT, UNDECIDED, may_run, outcome
from logitguard.static.engine.context import Arguments, ModuleContext, bound_to_call
from logitguard.static.engine.dataclass_fields import field_expression, is_dataclass, is_frozen
from logitguard.static.engine.index import end, is_self_attribute, start
from logitguard.static.engine.labels import LabelFlow
from logitguard.static.engine.log_softmax_uses import LogSoftmaxUses
from logitguard.static.engine.module import ParsedModule
from logitguard.static.engine.project import Project, is_library_root
from logitguard.static.engine.registries import Registering, Registry, filled_registry
from logitguard.static.engine.scopes import UNKNOWN_ARGUMENT, Scope, ScopeIndex, argument_at
from logitguard.static.engine.tensor_uses import (
    Activation,
    LossInput,
    Misuse,
    ModelOutputKey,
    NameOrigin,
    TensorKeys,
    TensorUses,
    mutated_in_place,
    of_one_meaning,
)
from logitguard.static.engine.written_out import (
    Spelling,
    WrittenOut,
    written_out_activation,
)

# Deep enough for real models; shallow enough that Python's own recursion limit is never hit.
_MAX_DEPTH = 60
# `torch.log(probs + 1e-8)` is still the log of a softmax.
_EPSILON_LIMIT = 1e-3
# How many names (or call sites) deep a bounded value is looked for.
_MAX_BOUNDED_DEPTH = 3
# How deep call sites are followed into the functions they call (train -> epoch -> step),
# and how many call sites one file may have analysed for it.
_MAX_CALL_DEPTH = 3
# Words naming an activation, in any framework's spelling: a file without them defines no
# model that emits probabilities on some paths and logits on others.
_ACTIVATION_WORDS = re.compile(r"sigmoid|softmax|expit", re.IGNORECASE)
# Names followed to the constant they hold (a flag passed down through helpers).
_MAX_CONSTANT_DEPTH = 8
_MAX_CONTEXTS = 200
_NOT_A_PARAMETER = object()
# A name's constant read again while it is being read: a value handed on, not one of its own.
_PASSED_ON = object()


@dataclass(frozen=True)
class ConstantTable:
    """A dict literal of constant keys, read as a constant: `CONFIG["model"]` is "mlp"."""

    items: tuple[tuple[object, object], ...]

    def get(self, key: object) -> object:
        found = [value for known, value in self.items if known == key]
        return found[-1] if found else UNDECIDED  # the last of repeated keys, as Python keeps

    def __bool__(self) -> bool:
        return bool(self.items)


# Methods that add a layer to a container after it is built, and where the layer is passed.
_ADDING_METHODS = {"add_module": (1, "module"), "append": (0, "module")}


# The axis a softmax normalises over: a literal int, IMPLICIT when the call names none (the
# framework's default: the last axis in JAX, one chosen by rank in PyTorch), None if unknown.
IMPLICIT = "implicit"
Axis = int | str | None


class LayerKind(Enum):
    LINEAR = "linear"  # a learned affine map: its output is raw logits
    ACTIVATION = "activation"
    PASS_THROUGH = "pass-through"  # reshapes, dropout, identity: the content is unchanged


@dataclass(frozen=True)
class LayerSpec:
    kind: LayerKind
    emits: Emits | None = None  # for activations
    units_argument: tuple[int, str] | None = None  # for linear layers: (position, keyword)
    activation: str | None = None  # an activation that is no probability: "relu" (emits UNKNOWN)
    # Linear layers: whether the units are the last axis (Linear, flax's NHWC Conv) or the
    # second (PyTorch's NCHW Conv), which decides what a softmax's `dim` normalises over.
    units_last: bool = True
    # Keywords that put something after the layer's linear output (Haiku's MLP
    # `activate_final=True`, Equinox's `final_activation=...`): given, its output is not known.
    final_keywords: tuple[str, ...] = ()
    # The keyword naming an activation function applied to the layer's linear output
    # (Equinox's MLP `final_activation=jax.nn.softmax`): a known one makes what it emits.
    final_activation: str | None = None
    # The units are the last of a list of sizes: `hk.nets.MLP([300, 100, 10])`.
    units_last_of_list: bool = False


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
    exponentials: frozenset[str]  # torch.exp, jnp.exp: exp(log_softmax(z)) is softmax(z)
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
    pass_through_attributes: frozenset[str] = frozenset()  # `out.data`
    # Of those, the ones that may regroup the values (`scores.view(-1, num_choices)` makes
    # classes of one-unit scores): the units after them are unknown. Method or function names.
    reshaping: frozenset[str] = frozenset()
    squeezing: frozenset[str] = frozenset()  # of those, the ones that only drop or add one axis
    # Pick some of a tensor's elements along an axis, function paths or method names -> the
    # position and keyword of the indices (a method's counted after its receiver):
    # `probs.gather(1, y)` holds probabilities still, of units no longer known.
    picks: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    # Of the pass-through operations, the ones that move axes (`scores.permute(0, 2, 1)` puts
    # the classes where a loss reads them): the values stay what they are, but no axis is
    # where it was.
    permuting: frozenset[str] = frozenset()
    # Joining outputs along an axis keeps what they hold: torch.cat([a, b]); so does joining
    # them along a new axis (torch.stack), and averaging them over one (an ensemble's mean):
    # the mean of probabilities is probabilities, the mean of logits a score. Functions, or
    # method names for averages (`probs.mean(0)`).
    concatenations: frozenset[str] = frozenset()
    stacks: frozenset[str] = frozenset()
    averages: frozenset[str] = frozenset()
    sums: frozenset[str] = frozenset()  # `(y * log(p)).sum()`, `torch.sum(...)`
    # Matrix products: plus a bias (`jnp.dot(x, W) + b`), a linear layer written by hand.
    products: frozenset[str] = frozenset()
    # A linear layer as a function: `F.linear(x, W, b)`.
    linear_functions: frozenset[str] = frozenset()
    # Clip values into a range, function paths or method names: `torch.clamp(p, 1e-7, 1)`.
    clips: frozenset[str] = frozenset()
    # Pick each element from one of two tensors: `torch.where(y == 1, p, 1 - p)`.
    selections: frozenset[str] = frozenset()
    # Give values in a fixed finite range, function paths or method names: a cosine
    # similarity, a tanh (a sigmoid of them is never near 0 or 1).
    bounded: frozenset[str] = frozenset()
    # The losses on logits a cross-entropy written by hand should be: (softmax, sigmoid).
    logits_cross_entropies: tuple[str, str] = ("", "")
    # Hold their argument's layers, by position or by key: nn.ModuleList, nn.ModuleDict.
    containers: frozenset[str] = frozenset()
    model_wrappers: frozenset[str] = frozenset()  # torch.compile(model) is the model
    # Methods a library base class gives a model class to make an instance from saved
    # weights: `LitNet.load_from_checkpoint(path)` is a LitNet.
    restoring_methods: frozenset[str] = frozenset()
    model_returning_methods: frozenset[str] = frozenset()  # model.to(device) is the model
    apply_methods: frozenset[str] = frozenset()  # Flax: model.apply(params, x)
    # A library function or class that builds a classifier -> how its head is read.
    library_model_head: Callable[[str], LibraryHead | None] = lambda path: None
    # A library function that builds the classifier it is given the name of
    # (`torchvision.models.get_model("resnet50")`): the path of that classifier, given the
    # call and how to read a constant.
    named_model: Callable[[str, ast.Call, Callable[[ast.expr], object]], str | None] = (
        lambda path, call, constant: None
    )
    # A library object that trains a model it is given with a loss it is given (skorch's
    # NeuralNet): its set-up, read from the constructing call.
    library_trainer: Callable[[Evaluator, str, ast.Call], TrainingSetup | None] = (
        lambda evaluator, path, call: None
    )
    # The loss a library model that computes its own (`library_head.computes_loss`) trains its
    # outputs with, when it is a classifier: its outputs are then a classifier's, whatever loss
    # this file calls.
    own_loss: Callable[[Evaluator, Model], LossUse | None] = lambda evaluator, model: None
    # Library classes whose objects' methods return what `library_method_result` says.
    library_objects: frozenset[str] = frozenset()
    # Of those, the methods that return the objects they are given, in order, ready for the
    # library's devices (`model, optimizer, loader = accelerator.prepare(model, optimizer,
    # loader)`, Lightning Fabric's `setup`) or gathered from them: one given, that one alone.
    preparing_methods: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Library functions that return the model they are given (position and keyword) first in
    # a tuple, wrapped in an engine that calls it: `engine, *_ = deepspeed.initialize(
    # model=model)`; with the tuple's length.
    model_engines: Mapping[str, tuple[int, str, int]] = field(default_factory=dict)
    library_method_result: Callable[[LibraryObject, str, ast.Call], Value | None] = (
        lambda made, method, call: None
    )
    # Whether a library name is a loss (a class or a function): worth following where passed.
    is_loss: Callable[[str], bool] = lambda path: False
    train_state_apply: frozenset[str] = frozenset()  # Flax: state.apply_fn(params, x)
    # Return their function argument with the same parameters: jax.jit(f), jax.grad(f).
    function_transforms: frozenset[str] = frozenset()
    # Make a model of a function that builds and applies layers (Haiku's `hk.transform(f)`,
    # run by `.apply(params, x)`) -> whether `apply` returns the output with a state.
    function_models: Mapping[str, bool] = field(default_factory=dict)
    # Activation functions that emit neither probabilities nor logits: F.relu -> "relu".
    other_activations: Mapping[str, str] = field(default_factory=dict)
    # What trains on a value besides a loss: torch.autograd.grad(v, ...), v.backward().
    gradient_functions: frozenset[str] = frozenset()
    gradient_methods: frozenset[str] = frozenset()
    # Decorators and context managers under which nothing is trained: torch.no_grad().
    no_gradient: frozenset[str] = frozenset()
    # Functions that draw samples: no gradient flows back through what they are given.
    draws: frozenset[str] = frozenset()
    # What no gradient flows back through: `jax.lax.stop_gradient(x)`; and decorators giving
    # a function derivative rules of its own (`@jax.custom_jvp`), which may pass none to
    # some of its arguments.
    gradient_stops: frozenset[str] = frozenset()
    custom_derivatives: frozenset[str] = frozenset()
    # Functions (or namespaces, ending in ".") making random or constant tensors: test data.
    made_up_data: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LibraryHead:
    """A library classifier, whose last layer is linear unless the program replaces it."""

    # The attribute holding that layer; None: any layer the program sets on the model may be.
    attribute: str | None
    units_keyword: str = "num_classes"  # the constructor's number of classes
    # The key the call's output holds the logits under (`outputs.logits`); None: the output
    # is the logits.
    output_key: str | None = None
    # The class shown in messages, when the constructor is its method (`X.from_pretrained`).
    name: str | None = None
    # Computes its own loss from the labels it is given (a Hugging Face task model).
    computes_loss: bool = False
    # Keywords that, given true, make a model without the head (timm's `features_only=True`;
    # `num_classes=0` is one too: no units, no classifier).
    headless_keywords: tuple[str, ...] = ()
    # Methods of the model that replace its head (timm's `model.reset_classifier(n)`).
    resetting_methods: frozenset[str] = frozenset()
    # When the attribute holds a stack of layers (VGG's `classifier`), the keys its last,
    # linear, layer goes by: setting `model.classifier[6]` replaces what the model emits.
    last_layer_keys: frozenset[int | str] = frozenset()


@dataclass(frozen=True)
class Layer:
    spec: LayerSpec
    display: str
    location: Location
    units: int | None = None
    axis: Axis = IMPLICIT  # a softmax module's `dim`
    # The activation applied to a linear layer's output, and how it is written
    # (`final_activation=jax.nn.softmax`), if any.
    final: tuple[Emits, str] | None = None


@dataclass(frozen=True)
class Model:
    definition: ast.AST  # a ClassDef, or the call that builds a Sequential or a library model
    name: str | None  # the class name, shown in messages
    # A library model (torchvision.models.resnet18()): how its head is read.
    library_head: LibraryHead | None = None
    # The call that made this instance of a class whose `__init__` takes parameters, and the
    # evaluator of that call: its output is read with them bound (`Net(classes=1)`). Instances
    # of one class are still the same model to every other question.
    constructed_by: ast.Call | None = field(default=None, compare=False)
    constructor_caller: Evaluator | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ModelClass:
    definition: ast.ClassDef


@dataclass(frozen=True)
class Function:
    definition: ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Restorer:
    """A library's method that restores an instance of a model class from saved weights
    (`LitNet.load_from_checkpoint`): calling it gives that model, its `__init__` read as the
    class's own file reads it (the saved settings are not in the code)."""

    definition: ast.ClassDef


@dataclass(frozen=True)
class Imported:
    path: str


@dataclass(frozen=True)
class Tensor:
    head: Head
    model_output: bool = False  # straight from a model call (reshapes allowed)
    model: Model | None = None  # the model it was computed from, through activations too
    units_last: bool = True  # the head's units are the last axis (else the second)
    axis: Axis = IMPLICIT  # the axis its last softmax normalised over
    # A mean of several members' probabilities (an ensemble's): its log is no log_softmax of
    # one set of logits (the stable form is a logsumexp over the members).
    mixed: bool = False
    # Rounded probabilities: no loss on probabilities makes them a fix (no gradient).
    rounded: bool = False
    # Clipped above zero (`p.clamp(min=1e-8)`): its log is never -inf.
    clipped: bool = False


@dataclass(frozen=True)
class LossModule:
    use: LossUse
    # False for a loss class of the project whose forward compares its targets with something
    # (`y != self.ignore_index`): the targets it masks out are not the loss's to judge.
    reads_targets_whole: bool = True


@dataclass(frozen=True)
class PlainClass:
    """A class of the project that is not a model: calling it makes an `Instance`."""

    definition: ast.ClassDef


@dataclass(frozen=True)
class Instance:
    """An object of a class of the project that is not a model: a trainer, a wrapper."""

    definition: ast.ClassDef
    # The call that made it, and the evaluator of that call: what `__init__` stored on `self`
    # is known when one of its methods is analysed for a later call (a setter, `fit`).
    constructed_by: ast.Call | None = None
    constructor_caller: Evaluator | None = None


@dataclass(frozen=True)
class LibraryObject:
    """An object of a library class whose methods the vocabulary knows the results of (a
    Hugging Face `Trainer`: what `trainer.predict(ds)` returns), made by `made`, read by
    `maker`."""

    path: str
    made: ast.Call
    maker: Evaluator


@dataclass(frozen=True)
class TupleValue:
    """A tuple or list whose elements are known by position: `return feats, logits`; for a
    named tuple (Hugging Face's `EvalPrediction`), by name too."""

    elements: tuple[Value | None, ...]
    names: tuple[str, ...] = ()

    def named(self, name: str) -> Value | None:
        return self.elements[self.names.index(name)] if name in self.names else None


@dataclass(frozen=True)
class Uniform:
    """A list or dict built by a comprehension: every element is what its expression gives
    (`nn.ModuleDict({task: make_head(n) for task, n in tasks.items()})`)."""

    element: Value


@dataclass(frozen=True)
class ListTail:
    """A list of layers whose last elements alone are known, as a loop built it
    (`nn.ModuleList(layers)`): what applying them in turn ends in, and its last element."""

    elements: tuple[Value | None, ...]


@dataclass(frozen=True)
class DictValue:
    """A dict with constant keys: `return {"logits": out, "features": h}`."""

    items: tuple[tuple[object, Value | None], ...]

    def get(self, key: object) -> Value | None:
        return next((value for known, value in self.items if known == key), None)


Value = (
    Layer
    | Model
    | ModelClass
    | Function
    | Restorer
    | Imported
    | Tensor
    | LossModule
    | PlainClass
    | Instance
    | LibraryObject
    | TupleValue
    | Uniform
    | ListTail
    | DictValue
)


def _agreed_constant(found: list[object], in_progress: bool) -> object:
    """The one constant the sources of a name give, leaving out those that hand on the value
    of a reading in progress; UNDECIDED when they differ or one is unknown."""
    values = [value for value in found if value is not _PASSED_ON]
    if not values:  # all handed on: what the reading in progress finds elsewhere
        return _PASSED_ON if found and in_progress else UNDECIDED
    first = values[0]
    if first is UNDECIDED or any(value is UNDECIDED or value != first for value in values):
        return UNDECIDED
    return first


def _agreed(values: Iterable[object]) -> object | None:
    """The one value all paths give, or None when any is unknown or they differ. Loss objects
    made in different places agree when they are the same loss (`if cuda: crit = CE().cuda()
    else: crit = CE()`); a finding then points at the first, and edits no place. Tensors that
    differ in their units only agree, with the units unknown."""
    found: list[object] = list(values)
    if not found or any(value is None for value in found):
        return None
    if all(value == found[0] for value in found[1:]):
        first = found[0]
        if (
            isinstance(first, Model)
            and any(
                value.constructed_by is not first.constructed_by  # type: ignore[attr-defined]
                for value in found[1:]
            )
        ):
            return replace(first, constructed_by=None, constructor_caller=None)
        return first
    if all(isinstance(value, LossModule) for value in found):
        uses = {_placeless(value.use) for value in found}  # type: ignore[attr-defined]
        if len(uses) == 1:
            return LossModule(_uneditable(found[0].use))  # type: ignore[attr-defined]
    if all(isinstance(value, Tensor) for value in found):  # one path reshaped the output
        tensors = [_reshaped(value) for value in found]  # type: ignore[arg-type]
        if all(tensor == tensors[0] for tensor in tensors[1:]):
            return tensors[0]
        # Made in different places but of one kind (`probs = F.softmax(model(x), 1)` in one
        # arm, the mean of an ensemble's softmaxes in the other): the first, placed nowhere
        # more precise than its head.
        kinds = {replace(_placeless_output(tensor), mixed=False) for tensor in tensors}
        if len(kinds) == 1:
            first, mixed = tensors[0], any(tensor.mixed for tensor in tensors)
            return replace(first, head=replace(first.head, activation_location=None), mixed=mixed)
    return None


def _activated_twice(inner: Tensor, emits: Emits, axis: Axis) -> Emits | None:
    """What `inner` already emits when activating it again squashes probabilities: any
    sigmoid of probabilities, a softmax of softmax outputs over the same known axis."""
    before = inner.head.emits
    if emits is Emits.SOFTMAX and not _same_class_axis(inner, axis):
        return None  # a softmax over another (or an unknown) axis normalises something else
    return before if before.squashed_by(emits) else None


def _same_class_axis(inner: Tensor, axis: Axis) -> bool:
    """Whether a softmax over `axis` normalises the axis `inner`'s last softmax did: the same
    known one, or dims 1 and -1 of a layer's output with its units last, both its units on the
    (batch, units) output of a classifier's head (as `_normalises_units` reads dim 1). Of
    anything else they may be two axes (attention over the keys, then over the queries)."""
    if axis is None or inner.axis is None:
        return False
    if axis == inner.axis:
        return True
    return {axis, inner.axis} == {1, -1} and inner.head.units is not None and inner.units_last


# What averaging a tensor over its classes' own axis leaves: no class scores.
_CLASSES_AVERAGED = "classes averaged"


def _axis_after_stack(axis: Axis, new: Axis) -> Axis:
    """Where the classes are after stacking tensors along a `new` axis: counted from the end
    they stay; counted from the start they move on when the new axis comes before them."""
    if not isinstance(axis, int) or axis < 0:
        return axis
    if not isinstance(new, int) or new < 0:
        return None
    return axis + 1 if new <= axis else axis


def _axis_after_average(axis: Axis, averaged: Axis) -> Axis:
    """Where the classes are after averaging over the `averaged` axis. An average over a
    leading axis (members of an ensemble, samples) leaves an axis counted from the end."""
    if not isinstance(axis, int) or not isinstance(averaged, int):
        return None
    if averaged == axis:
        return _CLASSES_AVERAGED
    if (averaged < 0) != (axis < 0):
        return axis if axis < 0 else None
    return axis - 1 if 0 <= averaged < axis else axis + 1 if axis < averaged < 0 else axis


def _computed(value: Value | None) -> Value | None:
    """A tensor as a part of a computation: no longer straight from a model call."""
    return replace(value, model_output=False) if isinstance(value, Tensor) else value


def _element(iterated: Value | None) -> Value | None:
    """What a `for` loop binds on each pass over a value: a slice of a tensor (the same kind of
    values, its units unknown), or the one value all elements of a tuple agree on."""
    if isinstance(iterated, Tensor):
        return _reshaped(iterated)
    if isinstance(iterated, TupleValue):
        return _agreed(iterated.elements)  # type: ignore[return-value]
    if isinstance(iterated, Uniform):
        return iterated.element
    return None


# What adds a layer to a container module in place.
_GROWING_IN_PLACE = frozenset({"add_module", "register_module", "append", "extend", "insert"})
# A model's attributes that hold no layer (`model.config.pad_token_id = ...`).
_MODEL_SETTINGS = frozenset({"config", "generation_config"})
# What setting on a layer leaves it in place (`model.fc.requires_grad = False`); setting any
# other attribute of a model's layer may put a module there (`model.heads.head = ...`).
_LAYER_STATE = frozenset(
    {"weight", "bias", "requires_grad", "data", "grad", "training", "in_features", "out_features"}
)
# What changes a list in place (an append from another function counts as unknown).
_LIST_MUTATIONS = ("append", "extend", "insert")
# What adds to a list, a dict or a module container.
_ADDING = frozenset({*_LIST_MUTATIONS, "update", "setdefault", "add_module"})
# What makes a dict: empty, it is filled by key (`_filled_by_keys`).
_DICT_MAKERS = frozenset({"dict", "collections.OrderedDict"})


# Tensors of one value throughout (`torch.ones_like(p)`, `x.new_zeros(n)`).
_FILLS = frozenset({"ones_like", "zeros_like", "full_like", "new_ones", "new_zeros", "new_full"})
# What reads as infinity: `math.inf`, `np.inf`, `float("-inf")`.
_INFINITIES = frozenset({"inf", "Inf", "infty", "NINF"})


def _is_fill(node: ast.expr) -> bool:
    """A number, an infinity or a tensor of one value: no pick of a head's outputs."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int | float) and not isinstance(node.value, bool)
    if isinstance(node, ast.Attribute):
        return node.attr in _INFINITIES
    if not isinstance(node, ast.Call):
        return False
    if isinstance(node.func, ast.Name) and node.func.id == "float":
        return all(isinstance(arg, ast.Constant) for arg in node.args)
    return isinstance(node.func, ast.Attribute) and node.func.attr in _FILLS


def _reads_attribute(node: ast.AST, attr: str) -> bool:
    """`self.attr`."""
    return is_self_attribute(node) and node.attr == attr  # type: ignore[attr-defined]


def _applies_a_name(node: ast.AST, name: str) -> bool:
    """`layer(x)` for `x`: perhaps a loop's step applied in turn (see `applied_in_turn`)."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id == name
    )


# Methods called on the class itself: `Net.load(path)`; of those, the ones handed every
# argument a call passes (no `self`), and the ones handed the class first.
_CLASS_LEVEL_METHODS = frozenset({"classmethod", "staticmethod"})
_STATIC = frozenset({"staticmethod"})
_CLASS_METHOD = frozenset({"classmethod"})
# Python's own functions pairing up what loops go over: `for y, out in zip(ys, outs)`.
_ITERATION_BUILTINS = frozenset({"zip", "enumerate"})
_COPIES = frozenset({"copy.deepcopy", "copy.copy"})


def _decorated_as(function: ast.AST, names: frozenset[str]) -> bool:
    decorators = getattr(function, "decorator_list", [])
    return any(isinstance(d, ast.Name) and d.id in names for d in decorators)


def _is_empty_list(node: ast.AST) -> bool:
    return isinstance(node, ast.List) and not node.elts


def _called(call: ast.Call) -> ast.expr:
    """What a call calls: `obj` for `obj.__call__(x)`, which is `obj(x)`."""
    func = call.func
    return func.value if isinstance(func, ast.Attribute) and func.attr == "__call__" else func


def _reshaped(tensor: Tensor) -> Tensor:
    return replace(tensor, head=replace(tensor.head, units=None))


# Names of class labels: `y`, `yb`, `y_true`, `labels`, `targets`, `batch_label`.
_LABELS_NAMED = re.compile(r"^y(b|_true|_batch)?$|label|target", re.IGNORECASE)


def _placeless_value(output: Value | None) -> Value | None:
    """What a model gives, but for where it is made: a tensor, or a tuple of tensors (a
    discriminator's `(real_or_fake, classes)`); None for anything else."""
    if isinstance(output, Tensor):
        return _placeless_output(output)
    if isinstance(output, TupleValue) and all(isinstance(e, Tensor) for e in output.elements):
        return TupleValue(tuple(map(_placeless_value, output.elements)))
    return None


def _placeless_output(tensor: Tensor) -> Tensor:
    head = replace(tensor.head, display="", location=None, activation_location=None)
    return replace(tensor, head=head)


def _uneditable(use: LossUse) -> LossUse:
    return replace(use, to_logits_edit=None, to_probabilities_edit=None)


def _placeless(use: LossUse) -> LossUse:
    return replace(_uneditable(use), location=None, display="")


def _pass_through_names(
    function: ast.FunctionDef | ast.AsyncFunctionDef, parameter: str, methods: frozenset[str]
) -> set[str]:
    """`parameter`, and the locals of `function` assigned once to it reshaped or cast
    (`x = inputs.view(-1)`); empty when the parameter itself is reassigned."""
    assigned: dict[str, list[ast.expr]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        assigned.setdefault(name.id, []).append(node.value)  # type: ignore[arg-type]
    if parameter in assigned:
        return set()
    names = {parameter}
    for name, values in assigned.items():
        if len(values) == 1 and _reads_one_of(values[0], names, methods):
            names.add(name)
    return names


def _reads_one_of(expr: ast.AST | None, names: set[str], methods: frozenset[str]) -> bool:
    """Whether `expr` is one of `names`, reshaped or cast by tensor methods."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        if expr.func.attr not in methods:
            return False
        expr = expr.func.value
    return isinstance(expr, ast.Name) and expr.id in names


def _normalises_units(emits: Emits, axis: Axis, units_last: bool) -> bool:
    """Whether an activation keeps the head's units as its classes: a sigmoid acts on each
    value; a softmax only when it normalises over the units' axis (dim 1 is the units of a
    linear layer's 2-D output and of a convolution's channels)."""
    if emits not in (Emits.SOFTMAX, Emits.LOG_SOFTMAX) or axis == 1:
        return True
    return units_last and axis in (-1, IMPLICIT)


def _join(*steps: str | None) -> str:
    return " -> ".join(step for step in steps if step)


def evaluator_for(
    module: ParsedModule, vocabulary: Vocabulary, project: Project | None
) -> Evaluator:
    """The project's one evaluator of `module` for this framework (a new one without project)."""
    if project is None:
        return Evaluator(module, vocabulary)
    key = (module.path, vocabulary.framework)
    found = project.analyses.get(key)
    if not isinstance(found, Evaluator) or found.module is not module:
        found = Evaluator(module, vocabulary, project)
        project.analyses[key] = found
        _node_owners(project, vocabulary).update(dict.fromkeys(found.index.node_ids(), found))
    return found


def _node_owners(project: Project, vocabulary: Vocabulary) -> dict[int, Evaluator | ParsedModule]:
    """The evaluator of the file each node of the project's analysed files belongs to (or the
    file itself, for a function whose file is not analysed yet)."""
    return project.analyses.setdefault(("node owners", vocabulary.framework), {})  # type: ignore[return-value]


@dataclass(frozen=True)
class CallContext:
    """One call site of a function (or method) whose body is analysed for it: the function's
    parameters hold what this call passes. This is how a loss or a model handed to a training
    function, a trainer class or a setter, in this file or another, reaches the loss call."""

    function: ast.FunctionDef | ast.AsyncFunctionDef
    call: ast.Call
    caller: Evaluator
    method: bool  # `self` is bound by the call, not passed at the call site
    depth: int
    # For a method of an object made in view: the constructor call's context, which binds the
    # parameters of `__init__`.
    constructor: CallContext | None = None
    # For a function a library calls (the `compute_metrics` a Trainer is given, at `call`): what
    # it hands each parameter, by name; the parameters not named hold nothing known.
    handed: tuple[tuple[str, Value], ...] | None = None


@dataclass(frozen=True)
class Called:
    """What a call runs: a function of the project, or a method (`__init__` for a class)."""

    owner: Evaluator  # of the file that defines it
    function: ast.FunctionDef | ast.AsyncFunctionDef
    class_def: ast.ClassDef | None = None  # set for methods
    instance: Instance | None = None  # the object a method is called on, when known


class Evaluator:
    def __init__(
        self,
        module: ParsedModule,
        vocabulary: Vocabulary,
        project: Project | None = None,
        context: CallContext | None = None,
        index: ScopeIndex | None = None,
        receiver: ast.ClassDef | None = None,
    ) -> None:
        self.module = module
        self.vocabulary = vocabulary
        self.project = project
        self.context = context
        # The class of the object the methods read here run on, when it is a subclass of the
        # class that defines them: `self` is that object (a base class's training loop calls
        # the subclass's `forward` and loss).
        self.receiver = receiver
        self._source = module.text
        self._paths: dict[int, str | None] = {}
        resolver = module.resolver
        self.index = index or ScopeIndex(
            module.tree,
            lambda func: self.resolve(func) in vocabulary.function_transforms,
            lambda name: name in resolver.aliases or bool(resolver.star_modules),
        )
        self._values: dict[int, Value | None] = {}
        self._labels: dict[int, Labels | None] = {}
        self._outputs: dict[tuple[int, int], Value | None] = {}
        self._model_classes: dict[int, bool] = {}
        # The names whose constant is being read, by (scope, name): a recursive function
        # handing a parameter on to itself (`to_tensor(i, dtype=dtype)`) adds no value.
        self._constants_read: set[tuple[int, str]] = set()
        self._cycles_cut = 0  # how many readings ended there: what they found is partial
        # The constants of names read through their sources, by (node, depth).
        self._name_constants: dict[tuple[int, int], object] = {}
        # Per function: its loss calls given one of its parameters (`parameters_given_to_losses`).
        self._losses_of_parameters: dict[int, list[tuple[LossUse, str]]] = {}
        self._chains: dict[int, list[ast.ClassDef]] = {}
        self._loss_classes: dict[int, LossUse | None] = {}
        self._registries: dict[str, Registry | None] = {}  # by name: see `_registered`
        self._additions: (
            dict[str, tuple[list[ast.Call], list[ast.Assign | ast.AnnAssign | ast.AugAssign]]]
            | None
        ) = None  # see `_additions_to_attributes`
        # Nodes being evaluated, shared by a project's evaluators: values cross files, and
        # cycles and depth must be caught across them.
        self._active: set[int] = set()
        if project is not None:
            self._active = project.analyses.setdefault(("active", vocabulary.framework), set())
        self._train_state_models: list[Model | None] | None = None  # found on first use
        self._label_flow: LabelFlow | None = None  # built on first use

    # --- other files -----------------------------------------------------------------------

    def loss_class_use(self, class_def: ast.ClassDef) -> LossUse | None:
        """A loss module of the project (`class FocalLoss(nn.Module)`) whose `forward` gives
        its first input, as it is, to a library loss: it expects what that loss expects."""
        key = id(class_def)
        if key not in self._loss_classes:
            self._loss_classes[key] = None  # a loss class calling itself is no known loss
            self._loss_classes[key] = self._inner_loss_use(class_def)
        return self._loss_classes[key]

    def _loss_forward(self, class_def: ast.ClassDef) -> ast.FunctionDef | None:
        """A loss class's `forward(self, input, target, ...)`, if it has one."""
        methods = (self.index.method(class_def, name) for name in self.vocabulary.entry_methods)
        method = next((found for found in methods if found is not None), None)
        return method if method is not None and len(method.args.args) >= 3 else None

    def _inner_loss_use(self, class_def: ast.ClassDef) -> LossUse | None:
        method = self._loss_forward(class_def)
        if method is None:
            return None
        first_input = method.args.args[1].arg
        methods_kept = self.vocabulary.pass_through_methods
        inputs = _pass_through_names(method, first_input, methods_kept)
        uses = [
            found.use
            for node in self.index.body_nodes(method)
            if isinstance(node, ast.Call)
            and (found := self.loss_call(node)) is not None
            and _reads_one_of(found.input, inputs, methods_kept)
        ]
        if len({_placeless(use) for use in uses}) != 1:
            return None
        inner = uses[0]  # the first, for its place and name
        return replace(_uneditable(inner), display=f"{class_def.name} ({inner.display})")

    def compares_targets(self, class_def: ast.ClassDef) -> bool:
        """Whether a loss class's `forward` compares its targets (its second input) with
        anything: a mask of the ones to ignore."""
        method = self._loss_forward(class_def)
        if method is None:
            return False
        target = method.args.args[2].arg
        return any(
            isinstance(node, ast.Compare)
            and any(
                isinstance(part, ast.Name) and part.id == target
                for side in (node.left, *node.comparators)
                for part in ast.walk(side)
            )
            for node in self.index.body_nodes(method)
        )

    def file_evaluator(self, node: ast.AST) -> Evaluator:
        """The evaluator of the file `node` comes from."""
        return self._owner(node)

    def _owner(self, node: ast.AST) -> Evaluator:
        """The evaluator of the file `node` comes from (values cross files through imports)."""
        if self.project is None or self.index.owns(node):
            return self
        owner = _node_owners(self.project, self.vocabulary).get(id(node), self)
        if isinstance(owner, ParsedModule):  # a function met before its file was analysed
            return evaluator_for(owner, self.vocabulary, self.project)
        return owner

    def _imported(self, path: str) -> Value | None:
        """What an imported name is: a definition in a project file, or a library's name."""
        if self.project is not None and not _is_library_path(path):
            definition = self.project.lookup(self.module, path)
            if definition is None:  # `Config.criterion` of `from config import Config`
                return self._imported_class_attribute(path) or Imported(path)
            if isinstance(definition.node, ast.Module):
                return None  # a module object: only its attributes are followed
            if isinstance(definition.node, ast.FunctionDef | ast.AsyncFunctionDef):
                # Its file is analysed only if its body is needed (see `_owner`).
                owners = _node_owners(self.project, self.vocabulary)
                owners.setdefault(id(definition.node), definition.module)
                return Function(definition.node)
            owner = evaluator_for(definition.module, self.vocabulary, self.project)
            return owner.value(definition.node)
        return Imported(path)

    def _imported_class_attribute(self, path: str) -> Value | None:
        """`config.Config.criterion`: an attribute of a class another project file defines."""
        holder, _, attr = path.rpartition(".")
        definition = self.project.lookup(self.module, holder) if holder and self.project else None
        if definition is None or not isinstance(definition.node, ast.ClassDef):
            return None
        owner = evaluator_for(definition.module, self.vocabulary, self.project)
        found = owner.value(definition.node)
        return (
            self._class_attribute(found, attr)
            if isinstance(found, ModelClass | PlainClass)
            else None
        )

    def _star_imported(self, name: str) -> Value | None:
        if self.project is None or not self.module.resolver.star_modules:
            return None
        definition = self.project.binding(self.module, name)
        if definition is None:
            return None
        return evaluator_for(definition.module, self.vocabulary, self.project).value(
            definition.node
        )

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
        given = argument(call, *spec.units_argument)
        if spec.units_last_of_list:
            sizes = given.elts if isinstance(given, ast.List | ast.Tuple) else None
            given = sizes[-1] if sizes and not isinstance(sizes[-1], ast.Starred) else None
        return self._count(given)

    def _count(self, node: ast.expr | None) -> int | None:
        """A positive int literal or constant, a parameter the call being analysed passes
        one for (`nn.Linear(64, classes)` in `__init__`, for `Net(classes=1)`), or a field of
        a config object (`cfg.num_classes` of `cfg = Config()`, a dataclass); else None."""
        value = literal(node, self.module.constants)
        if value is None and isinstance(node, ast.Attribute) and not self._is_self(node.value):
            owner = self.value(node.value)
            found: object = None
            if isinstance(owner, Instance):
                found = self._field_constant(owner, node.attr)
            elif isinstance(owner, ModelClass | PlainClass):  # `Config.num_classes`
                found = self._class_body_constant(owner.definition, node.attr, 0)
            value = found if found is not UNDECIDED else None
        if value is None and isinstance(node, ast.Name) and self.context is not None:
            passed = self._passed_expression(node, self.context)
            if isinstance(passed, tuple):
                evaluator, expression = passed
                return evaluator._count(expression)
        valid = isinstance(value, int) and not isinstance(value, bool) and value > 0
        return value if valid else None  # type: ignore[return-value]

    def _is_self(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id == "self"

    def class_chain(self, class_def: ast.ClassDef) -> list[ast.ClassDef]:
        """The class and the project classes it derives from, in any file, in the order a
        method is looked up (depth first, left to right)."""
        owner = self._owner(class_def)
        if owner is not self:
            return owner.class_chain(class_def)
        key = id(class_def)
        if key not in self._chains:
            self._chains[key] = [class_def]  # a class cycle ends here
            chain = [class_def]
            for base in class_def.bases:
                found = self.value(base)
                if isinstance(found, ModelClass | PlainClass):
                    chain += [cls for cls in self.class_chain(found.definition) if cls not in chain]
            self._chains[key] = chain
        return self._chains[key]

    def method_of(
        self, class_def: ast.ClassDef, name: str
    ) -> tuple[Evaluator, ast.FunctionDef | ast.AsyncFunctionDef] | None:
        """The method `name` of the class, perhaps inherited, with the evaluator of its file."""
        for cls in self.class_chain(class_def):
            for item in cls.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name == name:
                    return self._owner(cls), item
        return None

    def for_receiver(self, receiver: ast.ClassDef, context: CallContext | None = None) -> Evaluator:
        """This file's evaluator for methods run on an object of `receiver`, a subclass."""
        return Evaluator(self.module, self.vocabulary, self.project, context, self.index, receiver)

    def inherited_methods(
        self, class_def: ast.ClassDef
    ) -> list[tuple[Evaluator, ast.FunctionDef | ast.AsyncFunctionDef]]:
        """The methods a class inherits from project classes that call a method it (or a class
        between) overrides: on its objects they run its `forward`, its loss helper."""
        found: list[tuple[Evaluator, ast.FunctionDef | ast.AsyncFunctionDef]] = []
        overriding: set[str] = set()
        for position, cls in enumerate(self.class_chain(class_def)):
            owner = self._owner(cls)
            methods = [
                item
                for item in cls.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
            if position and overriding:
                entries = self.vocabulary.entry_methods
                found += [
                    (owner, method)
                    for method in methods
                    if method.name not in overriding
                    and _calls_self_method(owner.index.body_nodes(method), overriding, entries)
                ]
            overriding |= {method.name for method in methods if method.name != "__init__"}
        return found

    def is_model_class(self, class_def: ast.ClassDef) -> bool:
        owner = self._owner(class_def)
        if owner is not self:
            return owner.is_model_class(class_def)
        key = id(class_def)
        if key not in self._model_classes:
            self._model_classes[key] = False  # a class cycle is not a model
            self._model_classes[key] = any(
                self._is_model_base(base) for base in class_def.bases
            ) or any(self.is_model_class(base) for base in self.index.local_bases(class_def))
        return self._model_classes[key]

    def _is_model_base(self, base: ast.expr) -> bool:
        path = self.resolve(base)
        if path in self.vocabulary.model_bases or path in self.vocabulary.sequentials:
            return True
        imported = self._imported(path) if path is not None else None
        return isinstance(imported, ModelClass)  # a model class from another project file

    def activation(self, call: ast.Call, path: str | None) -> tuple[Emits, ast.expr, Axis] | None:
        """The sigmoid or softmax `call` applies, to what, and over which axis:
        `F.softmax(x, dim=-1)`, `x.sigmoid()`."""
        vocabulary, func = self.vocabulary, call.func
        if path is not None:
            emits = vocabulary.activations.get(path)
            operand, position = (call.args[0] if call.args else None), 1
        elif isinstance(func, ast.Attribute):
            emits, operand, position = vocabulary.activation_methods.get(func.attr), func.value, 0
            if emits is not None and not self._is_tensor_method(self.value(operand), call):
                return None
        else:
            return None
        if emits is None or not emits.is_probability or operand is None:
            return None
        return emits, operand, self._axis(call, position)

    def is_log(self, call: ast.Call, path: str | None) -> bool:
        if path is not None:
            return path in self.vocabulary.logs
        return isinstance(call.func, ast.Attribute) and call.func.attr == "log"

    def log_of_raw_scores(self, call: ast.Call, path: str | None) -> TrainingSetup | None:
        """`-(y * torch.log(scores)).sum()` on a head's raw scores: a cross-entropy written by
        hand, given logits (the log of a negative score is NaN)."""
        scores = self.value(self._unclipped(_logged(call)))
        if not isinstance(scores, Tensor) or scores.head.emits is not Emits.LOGITS:
            return None
        if scores.head.location is None or scores.head.units == 1:
            return None  # one output may be a rate or a scale: its log is no cross-entropy
        terms = self._cross_entropy_terms(call)
        if terms is None:
            return None
        binary = any(
            isinstance(node, ast.Call)
            and self.is_log(node, self.resolve(node.func))
            and is_complement(self._unclipped(_logged(node)))
            for node in ast.walk(terms)
        )
        remedy = self.vocabulary.logits_cross_entropies[binary]
        shown, where = self._segment(call), self._location(call)
        loss = hand_written.cross_entropy(shown, where, binary, remedy)
        return TrainingSetup(self.vocabulary.framework, head=scores.head, loss=loss)

    def _unclipped(self, node: ast.expr | None) -> ast.expr | None:
        return unclipped(node, self.resolve, self.vocabulary.clips)[0] if node else node

    def _cross_entropy_terms(self, log: ast.Call) -> ast.expr | None:
        """The expression a reduction sums (or averages) when `log` is a factor of a product
        in it: `y * log(p)` in `-(y * log(p)).sum(1)`, `torch.sum(y * log(p))`."""
        parent = self.index.parent(log)
        if not isinstance(parent, ast.BinOp) or not isinstance(parent.op, ast.Mult):
            return None
        node: ast.AST = parent
        reductions = self.vocabulary.sums | self.vocabulary.averages
        for _ in range(_MAX_DEPTH):
            above = self.index.parent(node)
            if isinstance(above, ast.BinOp | ast.UnaryOp):
                node = above
                continue
            if isinstance(above, ast.Attribute) and above.attr in reductions:
                return node  # type: ignore[return-value]
            if isinstance(above, ast.Call) and above.args and above.args[0] is node:
                return node if self.resolve(above.func) in reductions else None  # type: ignore[return-value]
            return None
        return None

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
        owner = self._owner(node)
        if owner is not self:
            return owner.value(node)
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
        return self._agreed([self.value(node) for node in nodes])

    def _agreed(self, values: list[Value | None]) -> Value | None:
        """The one value all paths give (see `_agreed`); models built in different places
        agree when they give the same output but for where it is made (`if hidden: head =
        nn.Sequential(..., nn.Softmax()) else: head = nn.Sequential(..., nn.Softmax())`): the
        first, for a finding to point at."""
        found = _agreed(values)
        if found is not None or len(values) < 2:
            return found  # type: ignore[return-value]
        if all(isinstance(value, Tensor) for value in values):
            # `if x.size(1) == 1: x = torch.cat([x, x], 1)`: the output, or computed from it
            return _agreed([_computed(value) for value in values])  # type: ignore[return-value]
        if not all(isinstance(value, Model) for value in values):
            return None
        outputs = [self.raw_output(value) for value in values]  # type: ignore[arg-type]
        kinds = {_placeless_value(output) for output in outputs}
        return values[0] if len(kinds) == 1 and None not in kinds else None

    def _evaluate(self, node: ast.AST) -> Value | None:
        if isinstance(node, ast.ClassDef):
            return ModelClass(node) if self.is_model_class(node) else PlainClass(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return Function(node)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.For | ast.AsyncFor):
            return _element(self.value(node.iter))
        if isinstance(node, ast.Attribute):
            return self._attribute(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Subscript):
            return self._subscript(node)
        if isinstance(node, ast.Tuple | ast.List):
            if any(isinstance(element, ast.Starred) for element in node.elts):
                return None
            return TupleValue(tuple(self.value(element) for element in node.elts))
        if isinstance(node, ast.Dict):
            return self._dict(node)
        if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.DictComp):
            element = self.value(node.value if isinstance(node, ast.DictComp) else node.elt)
            return Uniform(element) if element is not None else None
        if isinstance(node, ast.IfExp):
            taken = self._decided(node.test)  # `CE() if net.n_classes > 1 else BCE()`
            if taken is not None:
                return self.value(node.body if taken else node.orelse)
            return self._values_agree([node.body, node.orelse])
        if isinstance(node, ast.NamedExpr):
            return self.value(node.value)
        if isinstance(node, ast.BinOp):
            return self._binary(node)
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            return self._first_given(node)
        return None

    def _first_given(self, node: ast.BoolOp) -> Value | None:
        """`loss or nn.BCEWithLogitsLoss()`: the first operand that is not a falsy constant
        (a parameter left at its default None), when the constants tell which."""
        for operand in node.values[:-1]:
            given = self.constant(operand)
            if given is UNDECIDED:
                found = self.value(operand)  # a loss or a model given: an object, so true
                return found if isinstance(found, LossModule | Model) else None
            if given:
                return None  # a true constant: no loss or model
        return self.value(node.values[-1])

    def _subscript(self, node: ast.Subscript) -> Value | None:
        inner = self.value(node.value)
        if isinstance(inner, Tensor):  # a slice of the outputs holds the same kind of values
            return replace(inner, head=replace(inner.head, units=None))
        if isinstance(inner, TupleValue) and isinstance(node.slice, ast.Slice):
            return self._sliced(inner, node.slice)  # `loss, logits = outputs[:2]`
        key = literal(node.slice, self.module.constants)
        if isinstance(inner, TupleValue) and isinstance(key, int) and not isinstance(key, bool):
            in_range = -len(inner.elements) <= key < len(inner.elements)
            return inner.elements[key] if in_range else None
        if isinstance(inner, ListTail) and isinstance(key, int) and -len(inner.elements) <= key < 0:
            return inner.elements[key]  # `self.layers[-1]`: from the end, as far as known
        if inner is None or isinstance(inner, DictValue):
            changed = self._changed_registry(node.value)  # its literal no longer says it all
            if inner is None and not changed:
                return None
            if key is None:  # `MODELS[name]`, `name` given "mlp"
                given = self.constant(node.slice)
                key = None if given is UNDECIDED or isinstance(given, tuple) else given
            if key is None:
                return None
            if changed:
                return self._registered(node.value, key, inner)  # type: ignore[arg-type]
            return inner.get(key)  # type: ignore[union-attr]
        if isinstance(inner, Uniform):  # any index or key: every element is the same
            return inner.element
        return None

    def _changed_registry(self, node: ast.expr) -> bool:
        """Whether `node` names a module's dict that some scope changes after its literal:
        a registry a decorator fills (a function's own dicts are followed as they are filled)."""
        if not isinstance(node, ast.Name):
            return False
        scope: Scope | None = self.index.scope_of(node)
        while scope is not None and not scope.is_module:
            if scope.bindings.get(node.id) or scope.parameter(node.id) is not None:
                return False  # a function's own dict, or one it is handed
            scope = scope.parent
        in_module = scope is not None and bool(scope.bindings.get(node.id))
        return in_module and self.index.changed_anywhere(node.id)

    def _registered(
        self, registry: ast.Name, key: object, literal: DictValue | None
    ) -> Value | None:
        """What a module's dict that decorators fill holds under `key`: the one class or
        function of this file, or of a file beside it, decorated to be stored there
        (`@register_model("mlp")`), stored by this file's top level, or in its `literal`;
        several, or decorators and no project to search: not known."""
        if registry.id not in self._registries:
            self._registries[registry.id] = filled_registry(
                self.module.tree, registry.id, self.index.returns
            )
        filled = self._registries[registry.id]
        if filled is None or (filled.decorators and self.project is None):
            return None
        found = [self.value(value) for stored, value in filled.stored if stored == key]
        if literal is not None and any(known == key for known, _ in literal.items):
            found.append(literal.get(key))
        for registering in filled.decorators:
            found += self._decorated_into(registering, key)
        return found[0] if len(found) == 1 else None

    def _decorated_into(self, registering: Registering, key: object) -> list[Value | None]:
        """What the classes and functions that `registering` decorates, in this file and the
        files beside it, are, for those stored under `key`."""
        modules = [self.module]
        if self.project is not None:
            modules += self.project.files_beside(self.module, [registering.function.name])
        found = []
        for module in modules:
            reader = evaluator_for(module, self.vocabulary, self.project)
            for statement in module.tree.body:
                if not isinstance(statement, ast.ClassDef | ast.FunctionDef):
                    continue
                for decorator in statement.decorator_list:
                    named = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if registering.key(decorator, statement) != key:
                        continue
                    if reader.value(named) == Function(registering.function):
                        found.append(reader.value(statement))
        return found

    def _sliced(self, inner: TupleValue, bounds: ast.Slice) -> TupleValue | None:
        """The elements a slice of constants keeps: `outputs[:2]`, `outputs[1:]`."""
        parts = [bounds.lower, bounds.upper, bounds.step]
        values = [None if part is None else literal(part, self.module.constants) for part in parts]
        if any(v is not None and (not isinstance(v, int) or isinstance(v, bool)) for v in values):
            return None
        return TupleValue(inner.elements[slice(*values)])

    def _dict(self, node: ast.Dict) -> DictValue | None:
        keys = [literal(key, self.module.constants) if key else None for key in node.keys]
        if any(key is None or not isinstance(key, str | int) for key in keys):
            return None
        return DictValue(tuple(zip(keys, map(self.value, node.values), strict=True)))

    def _name(self, node: ast.Name) -> Value | None:
        if node.id == "self":
            owner = self.index.enclosing_class(node)
            if owner is None:
                return None
            if self.receiver is not None and owner in self.class_chain(self.receiver):
                owner = self.receiver
            return Model(owner, owner.name) if self.is_model_class(owner) else Instance(owner)
        binder = self.index.local_binder(node)
        if isinstance(binder, ast.comprehension):  # `m` in `[m(x) for m in models]`
            one_name = isinstance(binder.target, ast.Name)
            return _element(self.value(binder.iter)) if one_name else None
        if self.context is not None and binder is None:
            passed = self._passed_argument(node, self.context)
            if passed is not _NOT_A_PARAMETER:
                return passed  # type: ignore[return-value]
        # In the function a call runs, a parameter left as it came is what the call passes.
        in_call = (
            self.context is not None and self.index.scope_of(node).node is self.context.function
        )
        sources = self.index.sources_of_name(node, self._decided, entry=in_call)
        if sources is not None and self._changed_since_bound(node, sources):
            return None  # `out.sigmoid_()`, `out[..., 1:] = ...`: not what was bound
        if sources is None:
            summed = self._accumulated(node)
            if summed is not None:
                return summed
            made_by = self._class_of_classmethod(node)
            if made_by is not None:  # `cls` in a classmethod: the class
                return ModelClass(made_by) if self.is_model_class(made_by) else PlainClass(made_by)
            path = self.resolve(node)
            return self._imported(path) if path else self._star_imported(node.id)
        if len(sources) == 1 and _is_empty_list(sources[0][0]):
            return self._filled_by_appends(node.id, sources[0][0])  # type: ignore[arg-type]
        if len(sources) == 1 and isinstance(sources[0][0], ast.List) and self.index.changed(node):
            return None  # `layers = [conv]`, then `layers.append(...)`: its elements are others
        if len(sources) == 1 and self._is_empty_dict(sources[0][0]):
            return self._filled_by_keys(node.id, sources[0][0])  # type: ignore[arg-type]
        if len(sources) == 1 and _applies_a_name(sources[0][0], node.id):
            loop = self.index.applied_in_turn(node)
            if loop is not None:
                return self._applied_in_turn(self.value(loop.iter), loop)
        return self._agreed([self._source_value(node, value, path) for value, path in sources])

    def _changed_since_bound(
        self, use: ast.Name, sources: list[tuple[ast.AST, tuple[int, ...]]]
    ) -> bool:
        """Whether the tensor `use` reads was changed in place after a binding it may come
        from (a parameter: since the function began)."""
        if not self.index.may_change_in_place(use.id):
            return False
        for value, _ in sources:
            bound = getattr(value, "end_lineno", None)
            since = (bound, getattr(value, "end_col_offset", 0) or 0) if bound else (0, 0)
            if self.index.changed_in_place(use, since):
                return True
        return False

    def _source_value(self, use: ast.Name, source: ast.AST, path: tuple[int, ...]) -> Value | None:
        """What one source of the name read at `use` gives: for its parameter left as it
        came (`if x.size(1) == 1: x = torch.cat([x, x], 1)`), what the call passes."""
        if isinstance(source, ast.arg):
            assert self.context is not None
            passed = self._passed_argument(use, self.context, at_entry=True)
            return None if passed is _NOT_A_PARAMETER else passed  # type: ignore[return-value]
        return self._part(self.value(source), path)

    def _accumulated(self, node: ast.Name) -> Tensor | None:
        """`total = 0`, then `total += model(x)` for each model or step (and perhaps `total
        /= n`): outputs of one kind summed, or averaged, hold that kind. Any other binding of
        the name before `node` leaves it unknown."""
        scope, position = self.index.scope_of(node), (node.lineno, node.col_offset)
        updates = [
            update for update in self.index.updates(scope, node.id) if end(update) <= position
        ]
        if not updates:
            return None
        bindings = [b for b in scope.bindings.get(node.id, []) if b.end <= position]
        starts = [binding for binding in bindings if binding.value is not None]
        if len(starts) != 1 or len(bindings) != len(updates) + 1:
            return None
        if not _is_zero(starts[0].value) or starts[0].end > min(map(end, updates)):
            return None
        added = [update.value for update in updates if isinstance(update.op, ast.Add)]
        scaled = [update.value for update in updates if isinstance(update.op, ast.Mult | ast.Div)]
        if not added or len(added) + len(scaled) != len(updates):
            return None
        if not all(self._is_scalar(factor) for factor in scaled):
            return None
        found = self._agreed([self.value(value) for value in added])
        return replace(found, model_output=False) if isinstance(found, Tensor) else None

    def _joined_parts(self, parts: ast.expr) -> Value | None:
        """What a concatenation joins: every element alike. An empty seed among literal
        parts (`preds = torch.tensor([])`, then `preds = torch.cat((preds, out))` in a loop)
        adds nothing."""
        if isinstance(parts, ast.Tuple | ast.List) and len(parts.elts) > 1:
            kept = [part for part in parts.elts if not self._is_empty_seed(part)]
            if kept and len(kept) < len(parts.elts):
                return self._agreed([self.value(part) for part in kept])
            # `torch.cat([1 - p, p], 1)`: one part a model's output, one computed from it
            return self._agreed([self.value(part) for part in parts.elts])
        return _element(self.value(parts))

    def _is_empty_seed(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            sources = self.index.sources_of_name(node, self._decided)
            return bool(sources) and all(_is_zero(value) for value, _ in sources)  # type: ignore[union-attr]
        return _is_zero(node)

    def _class_of_classmethod(self, node: ast.Name) -> ast.ClassDef | None:
        """The class a classmethod's first parameter (`cls`) read at `node` holds."""
        scope = self.index.scope_of(node)
        method, owner = scope.node, scope.owner
        if owner is None or not isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
            return None
        arguments = [*method.args.posonlyargs, *method.args.args]
        if not arguments or arguments[0].arg != node.id:
            return None
        if not _decorated_as(method, frozenset({"classmethod"})):
            return None
        if any(b.end <= (node.lineno, node.col_offset) for b in scope.bindings.get(node.id, [])):
            return None  # `cls` bound again
        return self.receiver if self.receiver is not None else owner

    def _is_empty_dict(self, node: ast.AST) -> bool:
        """`{}`, `dict()` or `OrderedDict()`."""
        if isinstance(node, ast.Dict):
            return not node.keys
        return (
            isinstance(node, ast.Call)
            and not node.args
            and not node.keywords
            and self.resolve(node.func) in _DICT_MAKERS
        )

    def _filled_by_keys(self, name: str, empty: ast.expr) -> DictValue | None:
        """A dict made empty, then filled by `name["out"] = value` under constant keys in the
        same function (`out = {}; out["logits"] = self.fc(h); return out`). Any other change
        to it, or a key that is not a constant, leaves it unknown."""
        stored = self._stored_under_keys(name, empty)
        if not stored:
            return None
        items: dict[object, Value | None] = {}
        for key, part in stored:
            if isinstance(part, DictValue):
                items.update(part.items)
            else:
                items[key] = self.value(part)
        return DictValue(tuple(items.items()))

    def _stored_under_keys(
        self, name: str, empty: ast.expr
    ) -> list[tuple[object, ast.expr | DictValue]] | None:
        """What fills the dict `empty` that `name` holds, in order: each value stored under a
        constant key, or a dict of known keys merged in (`out.update(self.head(x))`)."""
        scope, stored, keys = self.index.scope_of(empty), [], set()
        made = (empty.lineno, empty.col_offset)
        rebound = min(
            (
                at
                for at, kind, _ in self.index.list_events(scope, name)
                if kind == "assign" and at > made
            ),
            default=(1 << 30, 0),
        )
        for node in self.index.walk_scope(scope):
            if not made < (getattr(node, "lineno", 0), getattr(node, "col_offset", 0)) < rebound:
                continue  # another dict's life
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                receiver = node.func.value
                if (
                    isinstance(receiver, ast.Name)
                    and receiver.id == name
                    and node.func.attr in _ADDING
                ):
                    merged = self._merged_dict(node)
                    if merged is None or any(key in keys for key, _ in merged.items):
                        return None
                    keys.update(key for key, _ in merged.items)
                    stored.append((None, merged))
                    continue
            if not isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                is_stored = isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                if not is_stored or target.value.id != name:  # type: ignore[attr-defined]
                    continue
                key = literal(target.slice, self.module.constants)  # type: ignore[attr-defined]
                if (
                    not isinstance(node, ast.Assign)
                    or not isinstance(key, str | int)
                    or key in keys
                ):
                    return None
                keys.add(key)
                stored.append((key, node.value))
        return stored

    def _merged_dict(self, call: ast.Call) -> DictValue | None:
        """What `name.update(other)` adds, when `other` is a dict of known keys."""
        if call.func.attr != "update" or len(call.args) != 1 or call.keywords:  # type: ignore[attr-defined]
            return None
        merged = self.value(call.args[0])
        return merged if isinstance(merged, DictValue) else None

    def _applied_in_turn(self, layers: Value | None, loop: ast.For) -> Value | None:
        """What `for layer in layers: x = layer(x)` leaves in `x`: what the Sequential gives,
        or the last of a list of layers applied in turn."""
        if isinstance(layers, Model):
            return self.raw_output(layers)
        if not isinstance(layers, TupleValue | ListTail) or not layers.elements:
            return None
        output: Value | None = None
        for layer in layers.elements:
            output = self._through(layer, output, loop)
        return output

    def _filled_by_appends(self, name: str, empty: ast.List) -> Uniform | None:
        """A list made empty, then filled by `name.append(x)` in the same function (in a loop
        over batches or models): every element is what the appends add, when they agree. Any
        other change to it, another empty list of that name, or a change from a nested
        function leaves it unknown."""
        scope = self.index.scope_of(empty)
        events = sorted(self.index.list_events(scope, name), key=lambda event: event[0])
        made = next((i for i, (_, _, value) in enumerate(events) if value is empty), None)
        if made is None:
            return None
        # Until the name is bound again (`outputs = torch.cat(outputs)`): the list's life.
        rebound = [i for i, (_, kind, _) in enumerate(events) if kind == "assign" and i > made]
        events = events[made + 1 : rebound[0] if rebound else len(events)]
        if any(kind in ("extend", "unknown") for _, kind, _ in events):
            return None
        if self.index.mutated_in(name, _LIST_MUTATIONS) - {id(scope.node)}:
            return None  # changed from another function too
        added = [value for _, kind, value in events if kind == "append"]
        element = self._values_agree(added) if added else None
        return Uniform(element) if element is not None else None

    def _passed_argument(
        self, node: ast.Name, context: CallContext, at_entry: bool = False
    ) -> object:
        """What the context's call passes for the parameter `node` reads, if it reads one
        (with `at_entry`, even where a path before `node` may have bound it again)."""
        varargs = self._varargs(node, context)
        if varargs is not _NOT_A_PARAMETER:
            return varargs
        passed = self._passed_expression(node, context, at_entry)
        if passed is None and context.handed is not None:
            return dict(context.handed).get(node.id)
        if passed is _NOT_A_PARAMETER or passed is None:
            return passed
        evaluator, expression = passed  # type: ignore[misc]
        return evaluator.value(expression)

    def _varargs(self, node: ast.Name, context: CallContext | None) -> object:
        """What the call passes for the `*modules` parameter `node` reads: the tuple of its
        positional arguments from there on (`Chain(nn.Linear(8, 3), nn.Softmax(dim=1))`);
        None when one is unpacked (`*layers`)."""
        scope = self.index.scope_of(node)
        while context is not None and scope.node is not context.function:
            context = context.constructor
        function = scope.node
        if context is None or context.handed is not None or isinstance(function, ast.Module):
            return _NOT_A_PARAMETER
        vararg = function.args.vararg
        position = (node.lineno, node.col_offset)
        if vararg is None or vararg.arg != node.id:
            return _NOT_A_PARAMETER
        if any(binding.end <= position for binding in scope.bindings.get(node.id, [])):
            return _NOT_A_PARAMETER  # rebound before this use
        start = len(function.args.posonlyargs) + len(function.args.args) - context.method
        passed = context.call.args[start:]
        if any(isinstance(argument, ast.Starred) for argument in context.call.args):
            return None
        return TupleValue(tuple(context.caller.value(argument) for argument in passed))

    def _passed_expression(
        self, node: ast.Name, context: CallContext, at_entry: bool = False
    ) -> object:
        """(evaluator, expression) the context's call passes for the parameter `node` reads
        (its default, read here, when the call passes none); None when that cannot be told."""
        scope = self.index.scope_of(node)
        if scope.node is not context.function:
            if context.constructor is not None:
                return self._passed_expression(node, context.constructor, at_entry)
            base_init = self._base_init_context(scope, context)
            if base_init is not None:
                return self._passed_expression(node, base_init, at_entry)
            return _NOT_A_PARAMETER
        position = (node.lineno, node.col_offset)
        rebound = any(binding.end <= position for binding in scope.bindings.get(node.id, []))
        if rebound and not at_entry:
            return _NOT_A_PARAMETER  # rebound before this use
        parameter = scope.parameter(node.id)
        if parameter is None:
            return _NOT_A_PARAMETER
        if context.handed is not None:
            return None  # handed a value, not an expression
        index, default = parameter
        if index is not None and context.method:
            index -= 1
        argument = argument_at(context.call, index, node.id, context.caller.unpacked_dict)
        if argument is UNKNOWN_ARGUMENT:
            forwarded = context.caller.forwarded_keyword(context.call, node.id)
            if forwarded is not None:
                return forwarded
            return None
        if argument is None:
            return (self, default) if default is not None else None
        return context.caller, argument

    def forwarded_keyword(self, call: ast.Call, name: str) -> tuple[Evaluator, ast.expr] | None:
        """(evaluator, expression) for the keyword `name` that `call`, made in a function
        this evaluator reads for one call of it, hands on from that function's own `**kwargs`
        (`def create_model(name, **kwargs): return MODELS[name](**kwargs)`): what that call
        passes for it, at the call or further up. None when that cannot be told, or it is not
        passed."""
        if self.context is None or len(call.keywords) != 1 or call.keywords[0].arg is not None:
            return None
        unpacked = call.keywords[0].value
        function = self.context.function
        kwarg = function.args.kwarg
        if not isinstance(unpacked, ast.Name) or kwarg is None or kwarg.arg != unpacked.id:
            return None
        if self.index.scope_of(call).node is not function or self.index.changed(unpacked):
            return None
        outer = self.context.call
        given = [k for k in outer.keywords if k.arg == name]
        if given:
            return self.context.caller, given[0].value
        if len(outer.keywords) == 1 and outer.keywords[0].arg is None:  # on again, `**kwargs`
            return self.context.caller.forwarded_keyword(outer, name)
        return None

    def _base_init_context(self, scope: Scope, context: CallContext) -> CallContext | None:
        """The call that binds the parameters of a base class's `__init__` (`scope`) when the
        subclass's `__init__` the context runs hands them over: its one unconditional
        `super().__init__(...)`, read with the subclass's own parameters bound."""
        subclass_init, base_init = context.function, scope.node
        names = (getattr(subclass_init, "name", None), getattr(base_init, "name", None))
        if scope.owner is None or names != ("__init__", "__init__"):
            return None
        caller = self._owner(subclass_init)
        subclass = caller.index.enclosing_class(subclass_init.body[0])
        if subclass is None or scope.owner not in caller.class_chain(subclass)[1:]:
            return None
        handing = super_init_statement(subclass_init)
        if handing is None or context.depth >= _MAX_CALL_DEPTH:
            return None
        reader = caller.for_receiver(subclass, context)
        return CallContext(base_init, handing.value, reader, True, context.depth + 1)  # type: ignore[arg-type]

    def unpacked_dict(self, node: ast.expr) -> dict[str, ast.expr] | None:
        """The entries of a dict unpacked into a call (`train(model, **config)`): written out
        where it is made, with string keys, and not changed after."""
        if not isinstance(node, ast.Name):
            return literal_keywords(node)
        sources = self.index.sources_of_name(node, self._decided)
        if sources is None or len(sources) != 1 or sources[0][1]:
            return None
        entries = literal_keywords(sources[0][0])
        return entries if entries is not None and not self.index.changed(node) else None

    @staticmethod
    def _part(value: Value | None, path: tuple[int, ...]) -> Value | None:
        """The part of an unpacked value a name is bound to: `b` in `a, b = value`."""
        for index in path:
            if not isinstance(value, TupleValue) or index >= len(value.elements):
                return None
            value = value.elements[index]
        return value

    def _attribute(self, node: ast.Attribute) -> Value | None:
        if node.attr in self.vocabulary.restoring_methods:  # `Net.load_from_checkpoint`
            restorer = self._restorer(node)
            if restorer is not None:
                return restorer
        path = self.resolve(node)
        if path is not None:
            return self._imported(path)
        owner = self.value(node.value)
        if isinstance(owner, Tensor) and node.attr in self.vocabulary.pass_through_attributes:
            return owner
        if isinstance(owner, DictValue):  # a model's output object: `outputs.logits`
            return owner.get(node.attr)
        if isinstance(owner, TupleValue):
            return owner.named(node.attr)
        if isinstance(owner, Model | Instance) and isinstance(owner.definition, ast.ClassDef):
            evaluator = self._owner(owner.definition)
            use = node if evaluator is self else None
            found = evaluator.model_attribute(owner.definition, node.attr, use)
            if found is None and evaluator is not self and self._is_self(node.value):
                # `self.act` in a base class's method, set by that base's `__init__`: read
                # here, where the subclass's constructor call binds what it hands over.
                found = self._set_by_a_base(owner.definition, node.attr, node)
            if found is None and evaluator is self and self._is_self(node.value):
                found = self._set_by_a_base_elsewhere(owner.definition, node.attr)
            return found
        if isinstance(owner, ModelClass | PlainClass):
            return self._class_attribute(owner, node.attr)
        if owner is None and isinstance(node.value, ast.Name):
            return self._set_on_parameter(node.value, node.attr)
        return None

    def _class_attribute(self, owner: ModelClass | PlainClass, attr: str) -> Value | None:
        """`Net.load(path)`, a factory classmethod; or a class attribute, `Config.criterion`."""
        found = self.method_of(owner.definition, attr)
        if found is None:
            return self._owner(owner.definition).model_attribute(owner.definition, attr)
        return Function(found[1]) if _decorated_as(found[1], _CLASS_LEVEL_METHODS) else None

    def _restorer(self, node: ast.Attribute) -> Restorer | None:
        """`Net.load_from_checkpoint` for a model class of the project that does not define
        that method itself (its library base does)."""
        owner = self.value(node.value)
        if not isinstance(owner, ModelClass) or self.method_of(owner.definition, node.attr):
            return None
        return Restorer(owner.definition)

    def _set_on_parameter(self, receiver: ast.Name, attr: str) -> Value | None:
        """`pl_module.evaluator(x)` in a method whose parameter `pl_module` the class's other
        methods are handed too, one of which sets `pl_module.evaluator = Head(...)`, the only
        such assignment in the class: the object a framework hands every hook (a Lightning
        callback's hooks all get the module it trains)."""
        scope = self.index.scope_of(receiver)
        if scope.owner is None or scope.parameter(receiver.id) is None:
            return None
        if scope.bindings.get(receiver.id):
            return None  # rebound in this method
        values = self.index.set_on_parameters(scope.owner).get((receiver.id, attr), [])
        return self.value(values[0]) if len(values) == 1 else None

    def _set_by_a_base(self, class_def: ast.ClassDef, attr: str, use: ast.AST) -> Value | None:
        """What a base class of this file, of a subclass in another file, sets `attr` to."""
        for base in self.class_chain(class_def)[1:]:
            if self.index.owns(base):
                found = self.model_attribute(base, attr, use)
                if found is not None:
                    return found
        return None

    def _set_by_a_base_elsewhere(self, class_def: ast.ClassDef, attr: str) -> Value | None:
        """`self.model` in a method of this file's class, set by the `__init__` of a base class
        of another file (`super().__init__(model, ...)`): read in the base's file, with the
        call that made the object in force."""
        for base in self.class_chain(class_def)[1:]:
            if self.index.owns(base):
                continue  # a base of this file: its assignments are this index's
            reader = self._owner(base).for_receiver(class_def, self.context)
            found = reader.model_attribute(base, attr)
            if found is not None:
                return found
        return None

    def model_attribute(
        self, class_def: ast.ClassDef, attr: str, use: ast.AST | None = None
    ) -> Value | None:
        """What `self.attr` holds in a model class of this file; read at `use`, without the
        assignments in the other arm of an `if` on the same test (`if self.discrete:` picks
        the loss that `__init__` set under `if self.discrete:`)."""
        sources = self.index.sources_of_attribute(class_def, attr)
        if not sources:
            return None
        values = [value for value, _ in sources]
        if len(values) > 1:  # an assignment in an arm the constructor's flags rule out
            values = [value for value in values if self.may_run(value)]
        if use is not None and len(values) > 1:
            values = self._on_the_same_arms(values, use)
        if len(values) > 1:
            values = self._last_in_sequence(values, use)
        if len(values) == 1 and self._is_empty_container(values[0]):
            return self._filled_container(class_def, attr)
        return self._values_agree(values)

    def _is_empty_container(self, node: ast.AST) -> bool:
        """`[]`, `{}`, `nn.ModuleList()`, `nn.ModuleDict()`."""
        if isinstance(node, ast.List | ast.Dict):
            return not (node.elts if isinstance(node, ast.List) else node.keys)
        if not isinstance(node, ast.Call) or node.args or node.keywords:
            return False
        return self.resolve(node.func) in self.vocabulary.containers

    def _filled_container(self, class_def: ast.ClassDef, attr: str) -> Uniform | ListTail | None:
        """`self.heads`, made empty, then filled by the class's methods with
        `self.heads.append(v)` or `self.heads[key] = v` (in a loop over tasks): every element
        is what they add, when they agree; appends that differ, all in one method, give the
        list's last elements (`self.layers.append(nn.ReLU())` every time round but the last).
        Any other way of adding leaves it unknown."""
        added: list[ast.expr] = []
        keyed = False  # `self.heads[key] = v`: no order to read
        calls, assignments = self._additions_to_attributes().get(attr, ([], []))
        for call in calls:
            if self.index.enclosing_class(call) is class_def:
                if call.func.attr != "append" or len(call.args) != 1 or call.keywords:  # type: ignore[attr-defined]
                    return None
                added.append(call.args[0])
        for assignment in assignments:
            if self.index.enclosing_class(assignment) is not class_def:
                continue
            if not isinstance(assignment, ast.Assign) or assignment.value is None:
                return None
            added.append(assignment.value)
            keyed = True
        element = self._values_agree(added) if added else None
        if element is not None:
            return Uniform(element)
        return self._appended_tail(added) if added and not keyed else None

    def _additions_to_attributes(
        self,
    ) -> dict[str, tuple[list[ast.Call], list[ast.Assign | ast.AnnAssign | ast.AugAssign]]]:
        """By attribute name, the module's calls that add to `self.attr` (`append`, `update`,
        ...) and its assignments to an item of it (`self.attr[k] = v`, once per target), in
        source order; found in one scan, when first asked."""
        if self._additions is None:
            additions = self._additions = {}
            for call in self.index.calls:
                func = call.func
                if isinstance(func, ast.Attribute) and func.attr in _ADDING:
                    container = func.value
                    if is_self_attribute(container):
                        additions.setdefault(container.attr, ([], []))[0].append(call)  # type: ignore[attr-defined]
            for assignment in self.index.assignments:
                is_assign = isinstance(assignment, ast.Assign)
                for target in assignment.targets if is_assign else [assignment.target]:  # type: ignore[union-attr]
                    container = target.value if isinstance(target, ast.Subscript) else None
                    if container is not None and is_self_attribute(container):
                        additions.setdefault(container.attr, ([], []))[1].append(assignment)  # type: ignore[attr-defined]
        return self._additions

    def _appended_tail(self, added: list[ast.expr]) -> ListTail | None:
        """The last elements `self.layers.append(v)` calls leave, all in one method's body."""
        scopes = {self.index.scope_of(value).node for value in added}
        if len(scopes) != 1:
            return None
        ordered = sorted(added, key=lambda value: (value.lineno, value.col_offset))
        tail = self._tail_after([("append", value) for value in ordered], frozenset())
        return ListTail(tuple(self.value(value) for value in tail)) if tail else None

    def _last_in_sequence(self, values: list[ast.AST], use: ast.AST | None) -> list[ast.AST]:
        """Of assignments made one after another in one method's body (no branch or loop
        around them: `self.heads = {}`, filled, then `self.heads = nn.ModuleDict(self.heads)`),
        the one that holds at `use`: the last before it in that method, else the last."""
        statements = [self.index.parent(value) for value in values]
        method = self.index.parent(statements[0]) if statements[0] is not None else None
        if not isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
            return values
        if not all(statement in method.body for statement in statements):
            return values  # in a branch, a loop, or another method
        order = sorted(zip(statements, values, strict=True), key=lambda pair: start(pair[0]))
        if use is not None and self.index.scope_of(use).node is method:
            order = [pair for pair in order if end(pair[0]) <= start(use)]  # done by then
        return [order[-1][1]] if order else values

    def _on_the_same_arms(self, values: list[ast.AST], use: ast.AST) -> list[ast.AST]:
        at_use = self.index.tests_around(use)
        return [
            value
            for value in values
            if all(
                at_use.get(test, arm) == arm for test, arm in self.index.tests_around(value).items()
            )
        ]

    def _binary(self, node: ast.BinOp) -> Value | None:
        if isinstance(node.op, ast.MatMult):
            head = Head(Emits.LOGITS, self._segment(node), self._location(node))
            return Tensor(head)
        if isinstance(node.op, ast.Add):
            left, right = self.value(node.left), self.value(node.right)
            small = [_is_small_constant(side) for side in (node.right, node.left)]
            for side, is_small in zip((left, right), small, strict=True):
                if isinstance(side, Tensor) and is_small:  # `p + 1e-8`: above zero, like a clip
                    return replace(side, model_output=False, clipped=True)
            if self._is_product(node.left):  # `x @ W + b`, `jnp.dot(x, W) + b`: an affine map
                return Tensor(Head(Emits.LOGITS, self._segment(node), self._location(node)))
            for picks in _blended(node):  # `p * y + (1 - p) * (1 - y)`: as `torch.where` picks
                both = [self.value(pick) for pick in picks]
                if all(isinstance(value, Tensor) for value in both):
                    return self._agreed(both)
        if isinstance(node.op, ast.Div):
            written = written_out_activation(node, self._spelling)
            if written is not None:
                return self._written_out(node, written)
        if isinstance(node.op, ast.Mult | ast.Div):
            return self._scaled(node)
        if isinstance(node.op, ast.Sub):
            return self._complement(node)
        return None

    def _written_out(self, node: ast.BinOp, written: WrittenOut) -> Tensor:
        """A softmax or sigmoid computed by hand: what the library's would emit."""
        axis: Axis = IMPLICIT
        if written.emits is Emits.SOFTMAX:  # over the axis summed; over every value, unknown
            found = literal(written.axis, self.module.constants) if written.axis else None
            axis = found if isinstance(found, int) and not isinstance(found, bool) else None
        step = written.described(self._segment(node))
        activated = self._activated(
            self.value(written.scores), written.emits, step, self._location(node), axis=axis
        )
        return self._bounded_if(written.scores, activated)

    @cached_property
    def _spelling(self) -> Spelling:
        vocabulary = self.vocabulary
        return Spelling(vocabulary.exponentials, vocabulary.sums, self.resolve, self._bound_to)

    def _bound_to(self, use: ast.Name) -> ast.expr | None:
        sources = self.index.sources_of_name(use, self._decided)
        if sources is None or len(sources) != 1 or sources[0][1]:
            return None
        found = sources[0][0]
        return found if isinstance(found, ast.expr) else None

    def _complement(self, node: ast.BinOp) -> Tensor | None:
        """`1 - p` of sigmoid probabilities: the other class's, probabilities still (of a
        softmax's rows it is no distribution)."""
        subtracted = subtracted_from_one(node)
        if subtracted is None:
            return None
        found = self.value(subtracted)
        if isinstance(found, Tensor) and found.head.emits is Emits.SIGMOID:
            return _computed(found)  # type: ignore[return-value]
        return None

    def _scaled(self, node: ast.BinOp) -> Tensor | None:
        """Outputs times or over a scalar (`logits / temperature`, `scale * cosine`) hold
        the same kind of values: a temperature does not make scores probabilities."""
        sides = [(node.left, node.right)]
        if isinstance(node.op, ast.Mult):
            sides.append((node.right, node.left))
        for outputs, factor in sides:
            found = self.value(outputs)
            if not isinstance(found, Tensor) or not self._is_scalar(factor):
                continue
            if found.head.emits.is_probability and not _keeps_unit_interval(node.op, factor):
                return None  # `probs * 100`: percentages, no longer probabilities
            if found.head.activation is not None:
                return None  # `torch.tanh(z / cap) * cap`: a soft cap, not tanh's [-1, 1]
            return replace(found, model_output=False)
        return None

    def _is_scalar(self, node: ast.expr) -> bool:
        """A number, a count (`len(models)`), or a name or attribute that holds no tensor
        this module can see."""
        if isinstance(node, ast.Constant):
            return isinstance(node.value, int | float) and not isinstance(node.value, bool)
        if isinstance(node, ast.Name | ast.Attribute):
            return self.value(node) is None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return node.func.id in _NUMBER_BUILTINS and self.resolve(node.func) is None
        if isinstance(node, ast.BinOp):
            return self._is_scalar(node.left) and self._is_scalar(node.right)
        return False

    def _is_product(self, node: ast.expr) -> bool:
        if isinstance(node, ast.BinOp):
            return isinstance(node.op, ast.MatMult)
        return isinstance(node, ast.Call) and self.resolve(node.func) in self.vocabulary.products

    def _call(self, call: ast.Call) -> Value | None:
        func = _called(call)
        if isinstance(func, ast.Attribute) and func.attr in self.vocabulary.restoring_methods:
            restorer = self._restorer(func)
            if restorer is not None:
                return self._call_value(restorer, call)
        path = self.resolve(func)
        if path is None and isinstance(func, ast.Name) and func.id in _ITERATION_BUILTINS:
            return self._iterated_together(func, call)
        if path is not None:
            imported = self._imported(path)
            if imported is not None and not isinstance(imported, Imported):
                return self._call_value(imported, call)
            return self._call_path(path, call)
        if isinstance(func, ast.Attribute) and self._is_super_entry(func):
            return self._inherited_sequential_output(call)
        if isinstance(func, ast.Attribute):
            receiver = self.value(func.value)
            method = func.attr
            if isinstance(receiver, Model):
                vocabulary = self.vocabulary
                if method in vocabulary.entry_methods or method in vocabulary.apply_methods:
                    return self._output_as_called(receiver, call)
                if method in vocabulary.model_returning_methods:
                    return receiver
            if (
                isinstance(receiver, LossModule | Layer)
                and method in self.vocabulary.model_returning_methods
            ):
                return receiver  # nn.CrossEntropyLoss().cuda() is the loss, nn.Linear(20, 1)
            if isinstance(receiver, LibraryObject):
                if method in self.vocabulary.preparing_methods.get(receiver.path, ()):
                    return self._prepared(call)
                return self.vocabulary.library_method_result(receiver, method, call)
            if isinstance(receiver, Uniform) and method == "values" and not call.args:
                return receiver  # every value alike
            if method in self.vocabulary.train_state_apply:
                model = self._train_state_model()
                return self.output_of(model) if model is not None else None
            if isinstance(receiver, Instance | Model):
                returned = self._method_result(receiver, method, call)
                if returned is not None:
                    return returned
            callee = self.value(func)
            if callee is not None:
                return self._call_value(callee, call)
            if isinstance(receiver, Tensor) or (receiver is None and not self._is_self(func.value)):
                return self._tensor_method(receiver, method, call)
            return None
        callee = self.value(func)
        return self._call_value(callee, call) if callee is not None else None

    def _is_super_entry(self, func: ast.Attribute) -> bool:
        """`super().forward`: the base class's entry method, run on this object."""
        base = func.value
        return (
            func.attr in self.vocabulary.entry_methods
            and isinstance(base, ast.Call)
            and isinstance(base.func, ast.Name)
            and base.func.id == "super"
            and self.resolve(base.func) is None
        )

    def _inherited_sequential_output(self, call: ast.Call) -> Value | None:
        """`return super().forward(x)` in a `nn.Sequential` subclass that hands its layers to
        `super().__init__(...)`: what those layers give."""
        owner = self.index.enclosing_class(call)
        handed_over = self._layers_handed_to_sequential(owner) if owner is not None else None
        return self._sequential_output(handed_over) if handed_over is not None else None

    def _iterated_together(self, func: ast.Name, call: ast.Call) -> Uniform | None:
        """`zip(masks, preds)` and `enumerate(preds)`, Python's own: each turn of a loop over
        them gives a tuple of an element of each (`for mask, pred in zip(...)`)."""
        if self.index.sources_of_name(func) is not None or not call.args or call.keywords:
            return None  # a name the program binds, or arguments these do not take
        if any(isinstance(arg, ast.Starred) for arg in call.args):
            return None
        if func.id == "enumerate":
            element = TupleValue((None, _element(self.value(call.args[0]))))
        else:
            element = TupleValue(tuple(_element(self.value(arg)) for arg in call.args))
        known = any(part is not None for part in element.elements)
        return Uniform(element) if known else None

    def _output_as_called(self, model: Model, call: ast.Call) -> Value | None:
        """What calling the model gives; for a wrapper whose `forward` applies a layer it is
        given (`self.drop(x, nn.Sequential(fc, nn.Softmax()))`), read for this call."""
        output = self.output_of(model)
        if output is not None or not isinstance(model.definition, ast.ClassDef):
            return output
        if not call.args[1:] and not call.keywords:
            return None  # the input alone: nothing for `forward` to apply
        for name in self.vocabulary.entry_methods:
            returned = self._method_result(model, name, call)
            if returned is not None:
                return _as_output_of(returned, model)
        return None

    def library_base(self, call: ast.Call) -> str | None:
        """The library class a project class made by `call` derives from (`class
        MyNet(NeuralNet): ...`), through the project's own base classes."""
        name = called_name(call)
        if not call.args or not name or not name[:1].isupper():
            return None  # not a class given a module: nothing to evaluate
        callee = self.value(call.func)
        if not isinstance(callee, PlainClass | ModelClass):
            return None
        owner = self._owner(callee.definition)
        for cls in (callee.definition, *owner.index.local_bases(callee.definition)):
            for base in cls.bases:
                path = owner._owner(cls).resolve(base)
                if path is not None and _is_library_path(path):
                    return path
        return None

    def _method_result(
        self, receiver: Instance | Model, method: str, call: ast.Call
    ) -> Value | None:
        """What a method of a project class returns for this call (`helper.scores(x)`), read
        with its parameters and the object's `__init__` arguments bound."""
        definition = receiver.definition
        if not isinstance(definition, ast.ClassDef):
            return None
        if self.context is not None and self.context.depth >= _MAX_CALL_DEPTH:
            return None
        found = self.method_of(definition, method)
        if found is None:
            return None
        owner, function = found
        instance = receiver
        if isinstance(receiver, Model):  # `Net(act=None)`: read with what made it, too
            made = receiver.constructed_by, receiver.constructor_caller
            instance = Instance(definition, *made) if made[0] is not None else None
        called = Called(owner, function, definition, instance)  # type: ignore[arg-type]
        return owner.in_context(called, call, self).result_of(function)

    def _call_path(self, path: str, call: ast.Call) -> Value | None:
        vocabulary = self.vocabulary
        if path in vocabulary.layers:
            spec = vocabulary.layers[path]
            if any(keyword(call, name) is not None for name in spec.final_keywords):
                return None  # `hk.nets.MLP(sizes, activate_final=True)`: an activation after
            final = keyword(call, spec.final_activation) if spec.final_activation else None
            emits = self._activation_function(final) if final is not None else None
            if final is not None and emits is None:
                return None  # `final_activation=jax.nn.relu`, or one not known
            where, units = self._location(call), self._units(call, spec)
            axis = self._axis(call, 0) if spec.kind is LayerKind.ACTIVATION else IMPLICIT
            then = (emits, f"{spec.final_activation}={self._segment(final)}") if emits else None
            return Layer(spec, self._segment(call), where, units, axis, then)
        if path in vocabulary.sequentials:
            return Model(call, None)
        if path in vocabulary.function_models and len(call.args) == 1:
            if isinstance(call.args[0], ast.Lambda):  # `hk.transform(lambda x: mlp()(x))`
                return Model(call, None)
            built = self.value(call.args[0])
            return Model(call, built.definition.name) if isinstance(built, Function) else None
        if path in vocabulary.linear_functions:
            return Tensor(Head(Emits.LOGITS, self._segment(call), self._location(call)))
        named = vocabulary.named_model(path, call, self.constant)
        library_head = vocabulary.library_model_head(named or path)
        if library_head is not None:
            shown = library_head.name or (named or path).rsplit(".", 1)[-1]
            return Model(call, shown, library_head)
        first = call.args[0] if call.args and not isinstance(call.args[0], ast.Starred) else None
        if path in vocabulary.model_wrappers:  # of a model, or of one layer used as one
            wrapped = self.value(first)
            return wrapped if isinstance(wrapped, Model | Layer) else None
        if path in _COPIES and len(call.args) == 1:
            return self.value(first)  # `copy.deepcopy(net)`: the same model, loss or values
        if path in vocabulary.activations:
            step = f"{self._segment(call.func)}(...)"
            emits, axis = vocabulary.activations[path], self._axis(call, 1)
            return self._bounded_if(
                first, self._activate(self.value(first), emits, step, call, axis)
            )
        if path in vocabulary.logs:
            return self._log(self.value(first), f"{self._segment(call.func)}(...)", call)
        if path in vocabulary.exponentials:
            return self._exp(self.value(first), f"{self._segment(call.func)}(...)", call)
        if path in vocabulary.other_activations:
            step, name = f"{self._segment(call.func)}(...)", vocabulary.other_activations[path]
            inner = self.value(first)
            return self._activated(inner, Emits.UNKNOWN, step, self._location(call), name)
        if path in vocabulary.rounding:
            return _rounded(self.value(first))
        if path in vocabulary.pass_through_functions:
            inner = self.value(first)
            if not isinstance(inner, Tensor):
                return None
            return self._reshaped_by(inner, path.rsplit(".", 1)[-1])
        if path in vocabulary.clips:  # `torch.clamp(p, 1e-3, 1 - 1e-3)`
            return self._clipped(self.value(first), call, 1)
        if path in vocabulary.picks:  # `torch.gather(probs, 1, y)`
            return self._picked(self.value(first), call, path)
        if path in vocabulary.selections:  # `torch.where(y == 1, p, 1 - p)`: what both agree on
            return self._selected(call)
        if path in vocabulary.concatenations or path in vocabulary.stacks:
            parts = self._joined_parts(first) if first is not None else None
            if not isinstance(parts, Tensor):
                return None
            if path in vocabulary.concatenations:  # batches joined keep their units
                return parts if self._dim(call) == 0 else _reshaped(parts)
            return replace(_reshaped(parts), axis=_axis_after_stack(parts.axis, self._dim(call)))
        if path in vocabulary.averages:
            return self._averaged(self.value(first), call, 1)
        if path in vocabulary.containers:
            found = self.value(first)
            if found is None and isinstance(first, ast.Name):  # a list built in a loop
                tail = self._list_tail(first)
                return ListTail(tuple(self.value(e) for e in tail)) if tail else None
            return found
        if path == "functools.partial" and len(call.args) == 1:  # keywords only: same role
            return self.value(first)
        if path in vocabulary.library_objects:
            return LibraryObject(path, call, self)
        if path in vocabulary.model_engines:
            position, name, length = vocabulary.model_engines[path]
            engine = self.value(argument(call, position, name))
            return TupleValue((engine, *[None] * (length - 1))) if engine is not None else None
        use = vocabulary.loss_module(path, call, self.module)
        return LossModule(use) if use is not None else None

    def _prepared(self, call: ast.Call) -> Value | None:
        """What `accelerator.prepare(model, optimizer)` gives: the objects, in order."""
        if call.keywords or any(isinstance(given, ast.Starred) for given in call.args):
            return None
        values = tuple(self.value(given) for given in call.args)
        return values[0] if len(values) == 1 else TupleValue(values)

    def _selected(self, call: ast.Call) -> Value | None:
        """What both picks agree on; a fill (`-inf`, `torch.ones_like(p)`) keeps the other's
        kind: masked logits stay logits, `p` or 1 is still `p` where it matters."""
        chosen = call.args[1:3]
        if len(chosen) != 2 or call.keywords:
            return None
        picks = [self.value(value) for value in chosen if not _is_fill(value)]
        return self._agreed(picks) if all(isinstance(v, Tensor) for v in picks) else None

    def _call_value(self, callee: Value, call: ast.Call) -> Value | None:
        if isinstance(callee, Imported):
            return self._call_path(callee.path, call)
        if isinstance(callee, ModelClass | PlainClass):
            inherited = self._inherited_loss(callee.definition, call)
            if inherited is not None:  # `class MyBCE(nn.BCEWithLogitsLoss)`, no forward of its own
                return LossModule(inherited)
        if isinstance(callee, ModelClass):
            owner = self._owner(callee.definition)
            loss_use = owner.loss_class_use(callee.definition)
            if loss_use is not None:  # pointed at where this loss object is made
                whole = not owner.compares_targets(callee.definition)
                return LossModule(replace(loss_use, location=self._location(call)), whole)
            return self._constructed_model(callee.definition, call)
        if isinstance(callee, PlainClass):
            return Instance(callee.definition, call, self)
        if isinstance(callee, Restorer):
            return Model(callee.definition, callee.definition.name)
        if isinstance(callee, Model):
            return self._output_as_called(callee, call)
        if isinstance(callee, Layer):
            first = call.args[0] if call.args else None
            return self._apply(callee, self.value(first))
        if isinstance(callee, Function):
            return self._function_result(callee.definition, call)
        return None

    def _inherited_loss(self, class_def: ast.ClassDef, call: ast.Call) -> LossUse | None:
        """The library loss that `call` makes an instance of the project's `class_def` be: one
        it inherits its forward from. Not edited: renaming the class's base is no fix here."""
        paths = self._owner(class_def).inherited_loss_paths(class_def)
        found = [
            (path, use)
            for path in paths
            if (use := self.vocabulary.loss_module(path, call, self.module)) is not None
        ]
        if len(found) != 1:
            return None
        path, use = found[0]
        library_name = path.rsplit(".", 1)[-1]
        display = class_def.name
        if library_name != class_def.name:
            display += f" ({library_name})"
        return replace(_uneditable(use), display=display)

    def inherited_loss_paths(self, class_def: ast.ClassDef) -> list[str]:
        """The library classes `class_def` derives from, directly or through bases of this
        file, when neither it nor those bases define a forward (`class BCE(PointwiseLoss,
        nn.BCEWithLogitsLoss)`); none when a base is another file's class."""
        if any(self.index.method(class_def, name) for name in self.vocabulary.entry_methods):
            return []
        paths: list[str] = []
        stack, seen = [class_def], set()
        while stack:
            cls = stack.pop()
            if id(cls) in seen:
                continue
            seen.add(id(cls))
            local = self.index.local_bases(cls)
            stack.extend(local)
            for base in cls.bases:
                if isinstance(base, ast.Name) and any(found.name == base.id for found in local):
                    continue
                path = self.resolve(base)
                if path is None or not isinstance(self._imported(path), Imported | None):
                    return []  # a base this file cannot read, or another file's class
                paths.append(path)
        return paths

    def _function_result(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call
    ) -> Value | None:
        """What a function of the project returns for this call: read with its parameters
        bound to what the call passes (`detach(probs)` is `probs.detach()`), from any file."""
        owner = self._owner(function)
        deep = self.context is not None and self.context.depth >= _MAX_CALL_DEPTH
        if deep or not (call.args or call.keywords) or _decorated_as(function, _CLASS_METHOD):
            return owner.result_of(function)
        if self._inside_a_call_of(function):
            return None  # a recursive call: what it returns is what is being read
        return owner.in_context(Called(owner, function), call, self).result_of(function)

    def _inside_a_call_of(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """Whether this evaluator reads, for some call, the body of `function` or of a function
        that call runs it from."""
        context = self.context
        while context is not None:
            if context.function is function:
                return True
            context = context.caller.context
        return False

    def _constructed_model(self, definition: ast.ClassDef, call: ast.Call) -> Model:
        init = self._owner(definition).index.method(definition, "__init__")
        arguments = init.args if init is not None else None
        takes_parameters = arguments is not None and (
            len(arguments.posonlyargs) + len(arguments.args) > 1
            or arguments.kwonlyargs
            or arguments.vararg is not None
        )
        if not takes_parameters:
            return Model(definition, definition.name)
        return Model(definition, definition.name, constructed_by=call, constructor_caller=self)

    def result_of(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> Value | None:
        """What a function of this file returns, when every `return` that may run agrees."""
        returns = self.index.returns(function)
        if returns and len(returns) > 1:
            returns = [value for value in returns if self.may_run(value)]
        return self._values_agree(returns) if returns else None

    # --- constants that decide branches ----------------------------------------------------

    def may_run(self, node: ast.AST) -> bool:
        """False when the constants in view rule out the path to `node` (see branches)."""
        return may_run(self.index.blocks_around(node), self._decided)

    def _decided(self, test: ast.expr) -> bool | None:
        return _decision(outcome(test, self._constant_or_object))

    def _constant_or_object(self, node: ast.expr) -> object:
        """The constant `node` holds, or SOME_OBJECT when it surely holds a module, a model, a
        loss or a function: `if self.activation is not None:` with an `nn.Softmax()` given."""
        found = self.constant(node)
        if found is not UNDECIDED or not isinstance(node, ast.Name | ast.Attribute):
            return found
        found = self.value(node)
        if isinstance(found, Imported):  # `torch.sigmoid` given: a function
            functions = (self.vocabulary.activations, self.vocabulary.other_activations)
            made = any(found.path in known for known in functions)
        else:  # not a container (an empty `nn.Sequential()` is false)
            container = isinstance(found, Model) and not isinstance(found.definition, ast.ClassDef)
            made = isinstance(found, Layer | Model | LossModule | Function) and not container
        return SOME_OBJECT if made else UNDECIDED

    def is_judged(self, node: ast.AST) -> bool:
        """Whether a loss, a threshold or a sampling at `node` is judged: not when what the
        code is given rules its path out (`if net.n_classes > 1:` for a one-class net, a
        flag a call passes), though still when only a module-level setting does (`if
        USE_PRETRAINED: ... else: <training>`), which its user may well switch."""
        return may_run(self.index.blocks_around(node), self._decided_by_what_is_given)

    def _decided_by_what_is_given(self, test: ast.expr) -> bool | None:
        return _decision(outcome(test, self._given_constant))

    def _given_constant(self, node: ast.expr) -> object:
        if isinstance(node, ast.Name):
            scope = self.index.scope_of(node)
            if scope.is_module or scope.parameter(node.id) is None:
                return UNDECIDED  # a setting of the program, not a fact of what is analysed
        return self.constant(node)

    def constant(self, node: ast.expr, depth: int = 0) -> object:
        """The constant `node` holds here: a literal, a module constant, a parameter given one
        by this evaluator's call (or its default), `self.flag` set once from one; UNDECIDED
        when it is not known."""
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Tuple | ast.List | ast.Set):  # `name in ("ce", "nll")`
            elements = [self.constant(element, depth) for element in node.elts]
            unknown = UNDECIDED in elements or _PASSED_ON in elements
            return UNDECIDED if unknown else tuple(elements)
        if isinstance(node, ast.Dict):  # `CONFIG = {"model": "mlp", "lr": 0.1}`
            return self._dict_constant(node, depth)
        if depth > _MAX_CONSTANT_DEPTH:
            return UNDECIDED
        if isinstance(node, ast.Name):
            found = self._name_constant(node, depth)
            if isinstance(found, ConstantTable) and self.index.changed_anywhere(node.id):
                return UNDECIDED  # `config["model"] = args.model`: not what the literal says
            return found
        if isinstance(node, ast.Attribute):
            return self._attribute_constant(node, depth)
        if isinstance(node, ast.Subscript):  # `CONFIG["model"]`
            table, key = self.constant(node.value, depth + 1), self.constant(node.slice, depth)
            if not isinstance(table, ConstantTable) or key is UNDECIDED:
                return UNDECIDED
            return table.get(key)
        return UNDECIDED

    def _dict_constant(self, node: ast.Dict, depth: int) -> object:
        """A dict of constant keys; each value a constant, or UNDECIDED where it is not one."""
        if any(key is None for key in node.keys):
            return UNDECIDED  # `{**defaults, ...}`: keys not known
        keys = [self.constant(key, depth) for key in node.keys]  # type: ignore[arg-type]
        if any(key is UNDECIDED or key is _PASSED_ON for key in keys):
            return UNDECIDED
        values = [self.constant(value, depth) for value in node.values]
        values = [UNDECIDED if value is _PASSED_ON else value for value in values]
        return ConstantTable(tuple(zip(keys, values, strict=True)))

    def _attribute_constant(self, node: ast.Attribute, depth: int) -> object:
        """`self.flag`, or `net.n_classes` of an object whose `__init__` sets it once: read
        with that `__init__`'s parameters bound as the call that made the object binds them."""
        owner = self.value(node.value)
        if isinstance(owner, ModelClass | PlainClass):  # `Config.num_classes`
            return self._class_body_constant(owner.definition, node.attr, depth)
        known = isinstance(owner, Model | Instance) and isinstance(owner.definition, ast.ClassDef)
        if not known:
            return UNDECIDED
        reader = self._owner(owner.definition)
        if isinstance(owner, Instance) and is_dataclass(owner.definition, reader.resolve):
            return self._field_constant(owner, node.attr, depth)
        sources = reader.index.sources_of_attribute(owner.definition, node.attr)
        if not sources or len(sources) != 1 or sources[0][1]:
            return UNDECIDED
        if self._is_self(node.value):
            reader = self if reader is self._owner(node) else reader
        else:
            reader = reader._as_constructed(owner)
        return reader.constant(sources[0][0], depth + 1)  # type: ignore[arg-type]

    def _class_body_constant(self, class_def: ast.ClassDef, name: str, depth: int) -> object:
        """A class attribute read through the class: its class body's one assignment, when
        no method or other code assigns the attribute."""
        reader = self._owner(class_def)
        sources = reader.index.sources_of_attribute(class_def, name)
        if not sources or len(sources) != 1 or sources[0][1]:
            return UNDECIDED
        value = sources[0][0]
        if not any(reader.index.parent(value) is statement for statement in class_def.body):
            return UNDECIDED  # set by a method: an instance's, not the class's
        return reader.constant(value, depth + 1)  # type: ignore[arg-type]

    def _field_constant(self, owner: Instance, name: str, depth: int = 0) -> object:
        """`cfg.num_classes` of `cfg = TrainConfig()`, a frozen dataclass: what the call passes
        for the field, else its default; unknown for another class, or when a file read here
        assigns such an attribute."""
        call, caller = owner.constructed_by, owner.constructor_caller
        reader = self._owner(owner.definition)
        if call is None or caller is None or not is_frozen(owner.definition, reader.resolve):
            return UNDECIDED
        if any(name in e.index.externally_assigned_attributes for e in (self, reader, caller)):
            return UNDECIDED  # `cfg.num_classes = len(classes)`
        found = field_expression(owner.definition, call, name)
        if found is None:
            return UNDECIDED
        expression, passed = found
        return (caller if passed else reader).constant(expression, depth + 1)

    def _name_constant(self, node: ast.Name, depth: int) -> object:
        if self.context is not None:
            passed = self._passed_expression(node, self.context)
            if passed is None:
                return UNDECIDED
            if passed is not _NOT_A_PARAMETER:
                evaluator, expression = passed  # type: ignore[misc]
                return evaluator.constant(expression, depth + 1)
        sources = self.index.sources_of_name(node)
        if not sources or any(path for _, path in sources):
            return UNDECIDED
        scope = self.index.scope_of(node)
        parameter = scope.parameter(node.id)
        if (
            parameter is not None
            and any(value is parameter[1] for value, _ in sources)
            and not self.index.called_in_file(scope)
        ):
            # The default of a function no call here runs decides nothing: its callers
            # elsewhere may pass any value.
            return UNDECIDED
        reading = (id(scope.node), node.id)
        if reading in self._constants_read:
            self._cycles_cut += 1
            return _PASSED_ON  # a recursive call hands the name on: no value of its own
        # Functions handing a parameter down a chain of calls: each name read once per depth,
        # not once per path (call sites to the power of the depth).
        kept = (id(node), depth)
        if kept in self._name_constants:
            return self._name_constants[kept]
        cut_before = self._cycles_cut
        self._constants_read.add(reading)
        try:
            found = [self.constant(value, depth + 1) for value, _ in sources]  # type: ignore[arg-type]
        finally:
            self._constants_read.discard(reading)
        result = _agreed_constant(found, in_progress=bool(self._constants_read))
        if self._cycles_cut == cut_before:  # complete: no value left to a reading in progress
            self._name_constants[kept] = result
        return result

    def _tensor_method(self, receiver: Value | None, method: str, call: ast.Call) -> Value | None:
        vocabulary = self.vocabulary
        if method in vocabulary.activation_methods:
            if not self._is_tensor_method(receiver, call):
                return None  # `self.modules.softmax(x)`: a module; a tensor's takes a dim
            emits = vocabulary.activation_methods[method]
            activated = self._activate(
                receiver, emits, f".{method}(...)", call, self._axis(call, 0)
            )
            return self._bounded_if(call.func.value, activated)  # type: ignore[attr-defined]
        if method == "log":
            return self._log(receiver, ".log()", call)
        if method == "exp":
            return self._exp(receiver, ".exp()", call)
        if method in vocabulary.pass_through_methods and isinstance(receiver, Tensor):
            return self._reshaped_by(receiver, method)
        if method in vocabulary.clips:  # `p.clamp(1e-3, 1 - 1e-3)`: the same kind of values
            return self._clipped(receiver, call, 0)
        if method in vocabulary.picks:  # `probs.gather(1, y)`
            return self._picked(receiver, call, method)
        if method == "round":
            return _rounded(receiver)
        if method in vocabulary.averages:
            return self._averaged(receiver, call, 0)
        return None

    def _picked(self, inner: Value | None, call: ast.Call, pick: str) -> Tensor | None:
        """The elements of a tensor picked at the labels, as a subscript picks them: the same
        kind of values. Picked at anything else, an action a policy drew from these very
        probabilities, they are not followed: such a chance is never 0."""
        indices = argument(call, *self.vocabulary.picks[pick])
        return _reshaped(inner) if isinstance(inner, Tensor) and self._are_labels(indices) else None

    def _are_labels(self, node: ast.expr | None) -> bool:
        """Whether `node` holds class labels: read as labels (from a data set, a loader), or
        named so (`y`, `labels`, `targets`), also as reshaped (`y[:, None]`, `y.view(-1, 1)`)."""
        while isinstance(node, ast.Subscript | ast.Call):
            if isinstance(node, ast.Subscript):
                node = node.value
            elif isinstance(node.func, ast.Attribute) and node.func.attr in (
                self.vocabulary.pass_through_methods
            ):
                node = node.func.value
            else:
                break
        name = last_name(node) if node is not None else None
        return bool(name and _LABELS_NAMED.search(name)) or self.labels(node) is not None

    def _is_tensor_method(self, receiver: Value | None, call: ast.Call) -> bool:
        """Whether `obj.softmax(...)` may be a tensor's activation method: called on a tensor,
        or given no more than a dim (`.softmax(1)`, `.softmax(-1)`, `.softmax(self.dim)`),
        not the tensor a module's own method is given (`self.modules.softmax(x)`)."""
        if isinstance(receiver, Tensor) or not call.args:
            return True
        first = call.args[0]
        given = self._number(first)
        if isinstance(given, int) and not isinstance(given, bool):
            return True
        name = last_name(first) or ""
        return "dim" in name or "axis" in name

    def _averaged(self, inner: Value | None, call: ast.Call, position: int) -> Tensor | None:
        """The mean of a tensor over the axis at `position` in `call`: the same kind of
        values. Over the classes' own axis, or over every axis, it is no longer a row of class
        scores."""
        if not isinstance(inner, Tensor) or len(call.args) > position + 1:
            return None  # a positional keepdim, dtype or out: not read here
        kept = keyword(call, "keepdim") or keyword(call, "keepdims")
        keep = self.constant(kept) if kept is not None else False
        if keep is True:
            return _reshaped(inner)
        averaged = self._dim(call, position, default=None)
        if keep is not False or averaged is None:
            return None
        axis = _axis_after_average(inner.axis, averaged)
        if axis == _CLASSES_AVERAGED:
            return None
        return replace(_reshaped(inner), axis=axis, mixed=inner.head.emits.is_probability)

    def _dim(self, call: ast.Call, position: int = 1, default: int | None = 0) -> Axis:
        """The axis a stack or a mean is given (`dim=`, `axis=`); `default` when none is."""
        axis = self._axis(call, position)
        return default if axis is IMPLICIT else axis

    # --- what tensors hold -----------------------------------------------------------------

    def _apply(self, layer: Layer, inner: Value | None) -> Tensor | None:
        kind = layer.spec.kind
        if kind is LayerKind.LINEAR:
            head = Head(Emits.LOGITS, layer.display, layer.location, units=layer.units)
            scores = Tensor(head, units_last=layer.spec.units_last)
            if layer.final is None:
                return scores
            emits, written = layer.final
            return self._activated(scores, emits, written, layer.location)
        if kind is LayerKind.ACTIVATION and layer.spec.emits is not None:
            spec, where = layer.spec, layer.location
            return self._activated(
                inner, spec.emits, layer.display, where, spec.activation, layer.axis
            )
        if kind is LayerKind.PASS_THROUGH and isinstance(inner, Tensor):
            return replace(inner, model_output=False)
        return None

    def _activation_function(self, node: ast.expr) -> Emits | None:
        """What an activation function given as a value (`jax.nn.softmax`) emits, if known."""
        found = self.value(node)
        if isinstance(found, Imported):
            return self.vocabulary.activations.get(found.path)
        return None

    def _reshaped_by(self, tensor: Tensor, operation: str) -> Tensor:
        """The tensor after a pass-through operation: squeezing drops the one unit of a
        one-unit head (`(B, K, 1)` scores become `(B, K)`), a view may regroup any."""
        if operation in self.vocabulary.squeezing and tensor.head.units != 1:
            return tensor
        if operation in self.vocabulary.permuting:
            return replace(_reshaped(tensor), axis=None)
        return _reshaped(tensor) if operation in self.vocabulary.reshaping else tensor

    def _activate(
        self, inner: Value | None, emits: Emits, step: str, call: ast.Call, axis: Axis
    ) -> Tensor:
        return self._activated(inner, emits, step, self._location(call), axis=axis)

    def _activated(
        self,
        inner: Value | None,
        emits: Emits,
        step: str,
        at: Location,
        name: str | None = None,
        axis: Axis = IMPLICIT,
    ) -> Tensor:
        if not isinstance(inner, Tensor):
            head = Head(emits, step, at, activation_location=at, activation=name)
            return Tensor(head, axis=axis)
        head = inner.head
        units = head.units if _normalises_units(emits, axis, inner.units_last) else None
        return Tensor(
            Head(
                emits,
                _join(head.display, step),
                head.location,
                units,
                activation_location=at,
                activation=name,
                activated_twice=_activated_twice(inner, emits, axis),
                beneath=head.activation if emits.is_normalised else None,
            ),
            model=inner.model,
            units_last=inner.units_last,
            axis=axis,
        )

    def _axis(self, call: ast.Call, position: int) -> Axis:
        """The `dim=` (PyTorch) or `axis=` (JAX) a softmax call is given."""
        node = argument(call, position, "dim") or argument(call, position, "axis")
        if node is None:
            return IMPLICIT
        value = literal(node, self.module.constants)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def _bounded_if(self, operand: ast.expr | None, activated: Tensor) -> Tensor:
        """A sigmoid of values in a fixed range (a cosine similarity, a tanh) stays away from
        0 and 1: its log, or its complement's, cannot be -inf."""
        if activated.head.emits is Emits.SIGMOID and self._bounded(operand):
            return replace(activated, clipped=True)
        return activated

    def _bounded(self, node: ast.expr | None, depth: int = 0) -> bool:
        """Whether `node`'s values lie in a fixed finite range: what a function or method the
        vocabulary names as bounded gives, through names and the arguments of this file's
        calls of a function too."""
        if node is None or depth > _MAX_BOUNDED_DEPTH:
            return False
        if isinstance(node, ast.Call):
            path = self.resolve(node.func)
            if path is not None:
                return path in self.vocabulary.bounded
            func = node.func
            return isinstance(func, ast.Attribute) and func.attr in self.vocabulary.bounded
        if not isinstance(node, ast.Name):
            return False
        sources = self.index.sources_of_name(node)
        return bool(sources) and all(
            not path and isinstance(value, ast.expr) and self._bounded(value, depth + 1)
            for value, path in sources
        )

    def _clipped(self, inner: Value | None, call: ast.Call, position: int) -> Tensor | None:
        """Values clipped (`p.clamp(1e-3, 1 - 1e-3)`) are of the same kind, no longer straight
        from the model; above a positive floor, their log cannot be -inf. A floor this file
        does not tell (`min=self.eps`) is taken for one: a floor of 0 or below is written out."""
        if not isinstance(inner, Tensor):
            return None
        given = argument(call, position, "min") or argument(call, position, "a_min")  # numpy's
        floor = self._number(given) if given is not None else None
        known = isinstance(floor, int | float) and not isinstance(floor, bool)
        above_zero = floor > 0 if known else given is not None and not is_none(given)  # type: ignore[operator]
        return replace(_computed(inner), clipped=inner.clipped or above_zero)  # type: ignore[arg-type]

    def _number(self, node: ast.expr) -> object:
        """The number `node` holds: written out (`-1`, `1e-8`) or a constant (`eps`)."""
        return literal(node) if isinstance(node, ast.UnaryOp) else self.constant(node)

    def _log(self, inner: Value | None, step: str, call: ast.Call) -> Tensor | None:
        """The log of probabilities: of a softmax's, log-probabilities; of a sigmoid's (or
        their complement's, `1 - p`), values no loss here expects. Either is unstable unless
        clipped (`p + 1e-8`) or mixed with other values first."""
        if not isinstance(inner, Tensor) or not inner.head.emits.is_probability:
            return None
        head = inner.head
        softmax = head.emits is Emits.SOFTMAX
        return Tensor(
            Head(
                Emits.LOG_SOFTMAX if softmax else Emits.UNKNOWN,
                _join(head.display, step),
                head.location,
                head.units,
                activation_location=self._location(call),
                unstable_log=None if inner.mixed or inner.clipped else head.emits,
            ),
            model=inner.model,
        )

    def _exp(self, inner: Value | None, step: str, call: ast.Call) -> Tensor | None:
        """exp(log_softmax(z)) is softmax(z): probabilities."""
        if not isinstance(inner, Tensor) or inner.head.emits is not Emits.LOG_SOFTMAX:
            return None
        head = inner.head
        where = self._location(call)
        display = _join(head.display, step)
        exponentiated = Head(Emits.SOFTMAX, display, head.location, head.units, where)
        return Tensor(exponentiated, model=inner.model, units_last=inner.units_last)

    def output_of(self, model: Model) -> Value | None:
        """What calling the model gives: a tensor, or a tuple or dict of them."""
        return _as_output_of(self.raw_output(model), model)

    def model_head(self, model: Model) -> Head | None:
        output = self.raw_output(model)
        return output.head if isinstance(output, Tensor) else None

    def raw_output(self, model: Model) -> Value | None:
        owner = self._owner(model.definition)
        if owner is not self:
            return owner.raw_output(model)
        key = (id(model.definition), id(model.constructed_by))
        if key not in self._outputs:
            self._outputs[key] = None  # a model calling itself has no known output
            self._outputs[key] = self._as_constructed(model)._compute_output(model)
        return self._outputs[key]

    def _as_constructed(self, model: Model | Instance) -> Evaluator:
        """This file's evaluator with the parameters of the object's `__init__` bound to what
        the call that made it passes (or to their defaults)."""
        call, caller, definition = model.constructed_by, model.constructor_caller, model.definition
        init = self.index.method(definition, "__init__") if call is not None else None  # type: ignore[arg-type]
        if init is None or caller is None:
            return self
        depth = caller.context.depth + 1 if caller.context else 1
        context = CallContext(init, call, caller, True, depth)  # type: ignore[arg-type]
        return Evaluator(self.module, self.vocabulary, self.project, context, self.index)

    def _compute_output(self, model: Model) -> Value | None:
        definition = model.definition
        library = model.library_head
        if library is not None:
            head = self._library_head(model, library)
            if head is None:
                return None
            key = library.output_key
            return Tensor(head) if key is None else DictValue(((key, Tensor(head)),))
        if isinstance(definition, ast.Call):
            path = self.resolve(definition.func)
            if path in self.vocabulary.function_models:
                return self._function_model_output(definition, path)
            return self._sequential_output(definition)
        assert isinstance(definition, ast.ClassDef)
        for name in self.vocabulary.entry_methods:
            found = self.method_of(definition, name)
            if found is not None:
                owner, method = found
                reader = self
                if method not in definition.body:  # `forward` of a base class, run on this one
                    context = self.context
                    reader = owner.for_receiver(definition, context)
                returns = reader.index.returns(method)
                return reader._values_agree(returns) if returns else None
        handed_over = self._layers_handed_to_sequential(definition)
        return self._sequential_output(handed_over) if handed_over is not None else None

    def _function_model_output(self, made: ast.Call, path: str) -> Value | None:
        """What `hk.transform(forward).apply(params, x)` gives: what `forward` returns (with
        its state, for `hk.transform_with_state`)."""
        given = made.args[0]
        if isinstance(given, ast.Lambda):
            output = self.value(given.body)
        else:
            built = self.value(given)
            if not isinstance(built, Function):
                return None
            output = self._owner(built.definition).result_of(built.definition)
        return TupleValue((output, None)) if self.vocabulary.function_models[path] else output

    def _layers_handed_to_sequential(self, definition: ast.ClassDef) -> ast.Call | None:
        """`class Head(nn.Sequential)` without a `forward` of its own whose `__init__` hands
        its layers to `super().__init__(nn.Linear(k, 1), nn.Sigmoid())`: that call, whose
        arguments are the layers the inherited `forward` applies in turn."""
        if not any(self.resolve(base) in self.vocabulary.sequentials for base in definition.bases):
            return None
        init = self.index.method(definition, "__init__")
        calls = [
            node
            for node in (self.index.body_nodes(init) if init is not None else ())
            if isinstance(node, ast.Call) and calls_super_init(node)
        ]
        return calls[0] if len(calls) == 1 else None

    def _library_head(self, model: Model, library: LibraryHead) -> Head | None:
        """A library classifier's head: its own linear layer, or what the program put there."""
        attribute = library.attribute
        replaced = attribute  # the attribute a replacement was set on, for the message
        replacements: list[ast.expr] = []
        for node in self.index.assignments:
            for target, value in _assignments(node):
                part = self._head_part(target, model, attribute)
                if part is None:
                    continue
                name, whole = part
                if not whole and not self._is_last_layer(target, library):
                    return None  # part of the head replaced: what is left is not known
                replaced = replaced or name
                if not whole:  # `model.classifier[6] = ...`: the display names the layer
                    replaced = self.module.text.segment(target).partition(".")[2] or replaced
                replacements.append(value)
        for call in self.index.calls:  # `model.classifier.add_module("7", nn.LogSoftmax(1))`
            func = call.func
            if not isinstance(func, ast.Attribute):
                continue
            grows = func.attr in _GROWING_IN_PLACE
            if grows and self._head_part(func.value, model, attribute) is not None:
                return None
            if func.attr in library.resetting_methods and self.value(func.value) == model:
                return None  # `model.reset_classifier(0)`: its head is another, or none
        if not replacements:
            made = model.definition
            assert isinstance(made, ast.Call)
            if self._headless(made, library):
                return None
            return Head(
                Emits.LOGITS,
                f"{attribute}: its linear classifier" if attribute else "its linear classifier",
                self._location(made),
                units=self._count(keyword(made, library.units_keyword)),
            )
        output = _agreed(self._through(self.value(v), None, v) for v in replacements)
        if not isinstance(output, Tensor):
            return None
        return replace(output.head, display=f"{replaced} = {output.head.display}")

    def _headless(self, made: ast.Call, library: LibraryHead) -> bool:
        """Whether the call makes the model without its classifier, or may: `num_classes=0`,
        `features_only=True`, or a flag the code does not show."""
        units = keyword(made, library.units_keyword)
        if units is not None and literal(units, self.module.constants) == 0:
            return True
        flags = [keyword(made, name) for name in library.headless_keywords]
        return any(
            flag is not None and literal(flag, self.module.constants) is not False for flag in flags
        )

    def _head_part(
        self, node: ast.expr, model: Model, attribute: str | None
    ) -> tuple[str, bool] | None:
        """(the attribute, whether `node` is all of it) when `node` is the library model's
        head attribute (`model.fc`) or a part of it (`model.classifier[6]`,
        `model.classifier._modules["7"]`); `attribute` None: any attribute of the model."""
        whole = True
        while True:
            if isinstance(node, ast.Attribute):
                if attribute in (None, node.attr) and self.value(node.value) == model:
                    return None if node.attr in _MODEL_SETTINGS else (node.attr, whole)
                if node.attr in _LAYER_STATE:  # `.weight`, `.requires_grad`: the layer stays
                    return None
            elif not isinstance(node, ast.Subscript):
                return None
            node, whole = node.value, False

    def _is_last_layer(self, target: ast.expr, library: LibraryHead) -> bool:
        """Whether `target`, a part of the library model's head attribute, is its last layer:
        `model.classifier[6]` or `[-1]` of VGG, `model.heads.head` of a ViT."""
        if isinstance(target, ast.Attribute):
            key: object = target.attr
            parent = target.value
        elif isinstance(target, ast.Subscript):
            key = literal(target.slice, self.module.constants)
            parent = target.value
            if isinstance(parent, ast.Attribute) and parent.attr == "_modules":
                parent = parent.value  # `classifier._modules["6"]`
                key = int(key) if isinstance(key, str) and key.lstrip("-").isdigit() else key
        else:
            return False
        if not isinstance(parent, ast.Attribute) or parent.attr != library.attribute:
            return False  # a layer inside a layer of the head
        return key in library.last_layer_keys or (key == -1 and bool(library.last_layer_keys))

    def _sequential_output(self, call: ast.Call) -> Tensor | None:
        elements = self._sequential_layers(call)
        if not elements:
            return None
        output: Value | None = None
        for element in elements:
            output = self._through(self.value(element), output, element)
        if not isinstance(output, Tensor):
            return None
        return Tensor(output.head, axis=output.axis)  # what the layers hold, not where from

    def _sequential_layers(self, call: ast.Call) -> list[ast.expr] | None:
        """The layers of a Sequential, or the last ones when only those are known."""
        path = self.resolve(call.func)
        if path is not None and self.vocabulary.sequentials.get(path, False):  # one list
            if len(call.args) != 1 or not isinstance(call.args[0], ast.List | ast.Tuple):
                return None
            elements: list[ast.expr] | None = list(call.args[0].elts)
        elif len(call.args) == 1 and isinstance(call.args[0], ast.Starred):
            elements = self._list_tail(call.args[0].value)  # nn.Sequential(*layers)
        elif len(call.args) == 1 and self._is_ordered_dict(call.args[0]):
            elements = self._ordered_dict_layers(call.args[0])  # type: ignore[arg-type]
        else:  # the modules, or an OrderedDict filled by key: `nn.Sequential(layers)`
            elements = self._layers_stored_by_name(call.args[0]) if len(call.args) == 1 else None
            elements = elements or list(call.args)
        if elements is None or any(isinstance(e, ast.Starred) for e in elements):
            return None
        added = self._added_modules(call)
        return None if added is None else elements + added

    def _is_ordered_dict(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Call) and self.resolve(node.func) == "collections.OrderedDict"

    def _layers_stored_by_name(self, node: ast.expr) -> list[ast.expr] | None:
        """`layers = OrderedDict()`, then `layers["fc"] = nn.Linear(...)`, ...: the layers, in
        the order they are stored. None for a name that holds anything else (one module)."""
        if not isinstance(node, ast.Name):
            return None
        sources = self.index.sources_of_name(node, self._decided)
        if not sources or len(sources) != 1:
            return None
        made = sources[0][0]
        if not (self._is_ordered_dict(made) and self._is_empty_dict(made)):  # type: ignore[arg-type]
            return None
        stored = self._stored_under_keys(node.id, sources[0][0])  # type: ignore[arg-type]
        if not stored or any(isinstance(part, DictValue) for _, part in stored):
            return None
        return [part for _, part in stored]  # type: ignore[misc]

    def _ordered_dict_layers(self, call: ast.Call) -> list[ast.expr] | None:
        """`OrderedDict([("fc", nn.Linear(...)), ...])`: the layers, in order."""
        if len(call.args) != 1:
            return None
        pairs = call.args[0]
        if isinstance(pairs, ast.Dict):
            return list(pairs.values)
        if not isinstance(pairs, ast.List | ast.Tuple):
            return None
        if not all(isinstance(p, ast.Tuple) and len(p.elts) == 2 for p in pairs.elts):
            return None
        return [pair.elts[1] for pair in pairs.elts]  # type: ignore[attr-defined]

    def _added_modules(self, construction: ast.Call) -> list[ast.expr] | None:
        """Layers added after construction: `net.add_module("fc", nn.Linear(...))`, in order;
        None when one is added in a branch."""
        model = Model(construction, None)
        around = self.index.branches(construction)
        added: list[tuple[tuple[int, int], ast.expr]] = []
        for call in self.index.calls:
            func = call.func
            if not isinstance(func, ast.Attribute) or func.attr not in _ADDING_METHODS:
                continue
            if self.value(func.value) != model:
                continue
            layer = argument(call, *_ADDING_METHODS[func.attr])
            if layer is None or not self.index.branches(call) <= around:
                return None
            added.append(((call.lineno, call.col_offset), layer))
        return [layer for _, layer in sorted(added, key=lambda found: found[0])]

    def _list_tail(self, node: ast.expr) -> list[ast.expr] | None:
        """The last elements of a list built step by step: `layers = [...]`, then `.append`,
        `.extend` and `+=`, at the point `node` reads it. Known elements at the end are
        enough for a head; None when any step may or may not run, or cannot be read."""
        dropped = _dropped_from_the_end(node)
        if dropped is not None:  # `layers[:-1]`: all but the last
            tail = self._list_tail(node.value)  # type: ignore[attr-defined]
            return tail[:-dropped] if tail is not None and len(tail) > dropped else None
        if not isinstance(node, ast.Name):
            return None
        scope = self.index.scope_of(node)
        use = (node.lineno, node.col_offset)
        events = sorted(
            (event for event in self.index.list_events(scope, node.id) if event[0] < use),
            key=lambda event: event[0],
        )
        starts = [i for i, (_, kind, _) in enumerate(events) if kind == "assign"]
        if not starts:
            return None
        steps = [(kind, value) for _, kind, value in events[starts[-1] :]]
        return self._tail_after(steps, self.index.branches(node))

    def _tail_after(
        self, steps: list[tuple[str, ast.expr]], around: frozenset[tuple[int, str]]
    ) -> list[ast.expr] | None:
        """The last elements of a list after `steps` (`assign`, `append`, `extend` or
        `unknown`, with their values) made in source order by code read at a place inside the
        `if` arms `around`."""
        tail: list[ast.expr] = []
        # The steps the last time round of a loop may skip, and those that run: of a loop
        # whose last time round adds nothing, the tail is an earlier round's.
        skipped, ran = [], []
        for kind, value in steps:
            if kind == "unknown":
                return None
            runs = self._arms_taken(self.index.branches(value) - around, last_time_round=True)
            skipping = self.index.continue_before(value)  # `if i == n - 1: continue` above
            if skipping is True:
                return None
            if runs is False or skipping is not False:
                skipped.append(value)
                continue  # `if probabilities:` for a call passing False
            if runs is None:
                return None
            ran.append(value)
            extension = _list_literal_tail(value) if kind != "append" else [value]
            if extension is None:
                return None
            tail = extension if kind == "assign" else tail + extension
        if skipped:
            skipping = {self.index.innermost_loop(value) for value in skipped} - {None}
            if skipping - {self.index.innermost_loop(value) for value in ran}:
                return None
        return tail

    def _arms_taken(
        self, branches: frozenset[tuple[int, str]], last_time_round: bool = False
    ) -> bool | None:
        """Whether the constants in view take all these arms of `if`s (False: one is ruled
        out; None: they do not tell, or a branch is no `if`'s); with `last_time_round`, an
        `if` in a counting loop as the loop's last time round decides it (a list's tail)."""
        for branch, arm in branches:
            statement = self.index.if_statement(branch)
            taken = self._decided(statement.test) if statement is not None else None
            if taken is None and last_time_round and statement is not None:
                decision = self.index.last_round_decision(statement.test, statement)
                taken = decision[1] if decision is not None else None
            if taken is None:
                return None
            if taken != (arm == "body"):
                return False
        return True

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
        owner = self._owner(node)
        if owner is not self:
            return owner.labels(node)
        key = id(node)
        if key not in self._labels:
            self._labels[key] = None
            self._labels[key] = self._read_labels(node) or self._followed_labels(node)
        return self._labels[key]

    def _followed_labels(self, node: ast.AST) -> Labels | None:
        """Labels from data set loaders, loops over data loaders, literals (label_flow)."""
        statement = self._statement_of(self, node)
        if statement is None:
            return None
        if self._label_flow is None:
            self._label_flow = LabelFlow(self.label_context())
        return self._label_flow.labels(node, statement)

    def label_context(self) -> ModuleContext:
        """The module as labels are followed through it: in a function read for one call
        (`train(model, train_loader)`), its parameters bound to what that call passes, and
        the caller's own parameters to what its call passes, so that `for x, y in loader:`
        reaches the data set the script made."""
        context = ModuleContext(self.module, self.project)
        call = self.context
        while call is not None and call.handed is None:
            context.arguments.update(self._label_arguments(call, context))
            call = call.constructor
        return context

    def _label_arguments(self, call: CallContext, own: ModuleContext) -> Arguments:
        """The parameters the context's call binds (`own`: the context of this file)."""
        statement = self._statement_of(call.caller, call.call)
        if statement is None:
            return {}
        return bound_to_call(
            call.function,
            call.call,
            call.caller.label_context(),
            statement,
            method=call.method,
            unpacked=call.caller.unpacked_dict,
            defaults=own,
        )

    @staticmethod
    def _statement_of(evaluator: Evaluator, node: ast.AST) -> ast.stmt | None:
        found: ast.AST | None = node
        while found is not None and not isinstance(found, ast.stmt):
            found = evaluator.index.parent(found)
        return found

    def _read_labels(self, node: ast.AST) -> Labels | None:
        if isinstance(node, ast.Name):
            sources = self.index.sources_of_name(node)
            if sources is None:
                return None
            if any(path for _, path in sources):
                return None  # a part of an unpacked value: not followed
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
            found = self.vocabulary.functional_loss(path, call, self.module)
            if found is not None or _is_library_path(path):
                return found
        if len(call.args) + len(call.keywords) < 2:
            return None  # a loss object or function is given an input and a target
        func = _called(call)
        if isinstance(func, ast.Attribute) and func.attr in self.vocabulary.entry_methods:
            func = func.value  # criterion.forward(output, target)
        callee = self.value(func)
        if isinstance(callee, LossModule):
            target = argument(call, 1, "target") if callee.reads_targets_whole else None
            return LossCall(callee.use, argument(call, 0, "input"), target)
        if isinstance(callee, Imported) and path is None:  # a loss function passed along
            return self.vocabulary.functional_loss(callee.path, call, self.module)
        return None

    # --- call sites followed into the functions they call -----------------------------------

    def called_function(self, call: ast.Call) -> Called | None:
        """The function, constructor or method of the project that a call runs."""
        path = self.resolve(call.func)
        if path is not None and _is_library_path(path):
            return None  # torch.cat, F.relu, np.mean...: library code
        callee = self.value(call.func)
        if isinstance(callee, Function):
            return Called(self._owner(callee.definition), callee.definition)
        if isinstance(callee, ModelClass | PlainClass):
            owner = self._owner(callee.definition)
            init = owner.index.method(callee.definition, "__init__")
            return Called(owner, init, callee.definition) if init else None
        passes_more = len(call.args) + len(call.keywords) > 1  # more than the input
        if (
            isinstance(callee, Model)
            and isinstance(callee.definition, ast.ClassDef)
            and passes_more
        ):
            # `self.trainer(self.net, batch)`: its forward runs with what the call passes.
            for name in self.vocabulary.entry_methods:
                found = self.method_of(callee.definition, name)
                if found is not None:
                    return Called(found[0], found[1], callee.definition)
            return None
        if isinstance(call.func, ast.Attribute):
            receiver = self.value(call.func.value)
            if isinstance(receiver, Model | Instance) and isinstance(
                receiver.definition, ast.ClassDef
            ):
                found = self.method_of(receiver.definition, call.func.attr)
                if found is None:
                    return None
                owner, method = found
                made = receiver if isinstance(receiver, Instance) else None
                return Called(owner, method, receiver.definition, made)
        return None

    def in_context(self, called: Called, call: ast.Call, caller: Evaluator) -> Evaluator:
        """An evaluator of this file for the body of `called`, run by `call` in `caller`."""
        depth = caller.context.depth + 1 if caller.context else 1
        constructor = None
        instance = called.instance
        if instance and instance.constructed_by and instance.constructor_caller:
            init = self.index.method(instance.definition, "__init__")
            if init is not None:
                constructor = CallContext(
                    init, instance.constructed_by, instance.constructor_caller, True, depth
                )
        elif (
            caller.context is not None
            and isinstance(call.func, ast.Attribute)
            and self._is_self(call.func.value)
        ):
            constructor = caller.context.constructor  # `self._step(...)`: the same object
        # A static method is handed every argument; other methods get `self` (or `cls`) bound.
        method = called.class_def is not None and not _decorated_as(called.function, _STATIC)
        context = CallContext(called.function, call, caller, method, depth, constructor)
        inherited = called.class_def is not None and called.function not in called.class_def.body
        receiver = called.class_def if inherited else None
        return Evaluator(self.module, self.vocabulary, self.project, context, self.index, receiver)

    def as_library_runs(
        self,
        function: ast.FunctionDef | ast.AsyncFunctionDef,
        call: ast.Call,
        handed: tuple[tuple[str, Value], ...],
    ) -> Evaluator:
        """An evaluator of `function`'s file for its body as a library runs it, handing its
        parameters `handed` (by name): the `compute_metrics` given to a Trainer by `call`."""
        owner = self._owner(function)
        depth = self.context.depth + 1 if self.context else 1
        context = CallContext(function, call, self, False, depth, handed=handed)
        return Evaluator(owner.module, owner.vocabulary, owner.project, context, owner.index)

    def raw_model_output(self, node: ast.AST | None) -> Tensor | None:
        found = self.value(node)
        return found if isinstance(found, Tensor) and found.model_output else None

    def prediction(self, node: ast.AST) -> tuple[Tensor, Prediction] | None:
        """A model's raw output rounded, cut at 0.5 or sampled from, at `node`."""
        return self.prediction_from(node, self.misuse(node))

    def prediction_from(
        self, node: ast.AST, found: tuple[PredictionMisuse, ast.expr] | None
    ) -> tuple[Tensor, Prediction] | None:
        """The prediction at `node`, given what `misuse(node)` found there."""
        output = self.raw_model_output(found[1]) if found else None
        if found is None or output is None:
            return None
        return output, Prediction(found[0], self._segment(node), self._location(node))

    def parameters_given_to_losses(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> list[tuple[LossUse, str]]:
        """The loss calls of `function` given one of its parameters as their input, its values
        kept (`logits.squeeze(1)`), of the parameters every such call takes as one kind."""
        key = id(function)
        if key not in self._losses_of_parameters:
            self._losses_of_parameters[key] = []  # a recursive helper gives nothing more
            taken: list[tuple[LossUse, str]] = []
            for node in self.index.body_nodes(function):
                loss = self.loss_call(node) if isinstance(node, ast.Call) else None
                name = self._parameter_taken(loss.input, function) if loss and loss.input else None
                if name is not None:
                    taken.append((loss.use, name))  # type: ignore[union-attr]
            self._losses_of_parameters[key] = of_one_meaning(taken)
        return self._losses_of_parameters[key]

    def _parameter_taken(
        self, expr: ast.expr, function: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> str | None:
        """The parameter of `function` whose values `expr` reads, unless it is bound again."""
        for _ in range(_MAX_CONSTANT_DEPTH):
            if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Slice | ast.Tuple):
                expr = expr.value
            elif isinstance(expr, ast.Call) and (kept := self.kept_values(expr)) is not None:
                expr = kept
            else:
                break
        if not isinstance(expr, ast.Name):
            return None
        scope = self.index.scope_of(expr)
        if scope.node is not function or scope.parameter(expr.id) is None:
            return None
        return None if scope.bindings.get(expr.id) else expr.id

    def kept_values(self, call: ast.Call) -> ast.expr | None:
        """The tensor whose values `call` returns unchanged: `out` in `out.squeeze().float()`,
        `torch.flatten(out)`."""
        path = self.resolve(call.func)
        if path in self.vocabulary.pass_through_functions:
            return call.args[0] if call.args else None
        method = call.func.attr if isinstance(call.func, ast.Attribute) else None
        if path is None and method in self.vocabulary.pass_through_methods:
            return call.func.value  # type: ignore[attr-defined]
        return None

    def unread_model_output(self, call: ast.Call) -> ModelOutputKey | None:
        """An identity for what a model of the project gives when `call` calls it on inputs
        alone (no constant, no keyword that may be a flag), for a model whose output this
        analysis cannot read (a graph layer of another library): the same for every such
        call of that model, made by the same constructor call."""
        if call.keywords or any(isinstance(arg, ast.Constant | ast.Starred) for arg in call.args):
            return None
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in self.vocabulary.entry_methods:
            func = func.value  # `net.forward(x)`
        model = self.value(func)
        if not isinstance(model, Model) or self.output_of(model) is not None:
            return None  # not a model, or one whose output the evaluator reads itself
        if _ACTIVATION_WORDS.search(self._owner(model.definition).module.source):
            return None  # perhaps activated on one path only (`if not self.training:`)
        name = model.name or self._segment(model.definition)
        return ModelOutputKey(name, (id(model.definition), id(model.constructed_by)))

    def argmax_over_one_unit(
        self, call: ast.Call, path: str | None
    ) -> tuple[Tensor, Prediction, int] | None:
        """`out.argmax(dim=1)`, `torch.argmax(out, -1)` over the units of a layer's output that
        has one (always 0), with the axis given."""
        method = call.func.attr if isinstance(call.func, ast.Attribute) else None
        if path is not None:
            indexed = path in label_functions.MAX_WITH_INDICES and self._indices_read(call, True)
            if not (path in label_functions.ARGMAX or indexed):
                return None
        elif not (method == "argmax" or (method == "max" and self._indices_read(call, False))):
            return None
        reduced = reduced_over(call, path is not None, ("dim", "axis"))
        if reduced is None:
            return None
        operand, axis = reduced
        given = literal(axis, self.module.constants) if axis is not None else None
        if given not in (1, -1):
            return None
        tensor = self.value(operand)
        if not isinstance(tensor, Tensor) or not tensor.units_last:
            return None
        if tensor.head.units != 1 or tensor.head.location is None:
            return None
        misuse = PredictionMisuse.ARGMAX_OVER_ONE_UNIT
        shown = Prediction(misuse, self._segment(call), self._location(call))
        return tensor, shown, -1 if given == -1 else 1

    def _indices_read(self, call: ast.Call, subscripted: bool) -> bool:
        """Whether what a maximum over a dimension gives is read for where it is:
        `_, pred = torch.max(out, 1)`, `.indices`, and (`subscripted`) `torch.max(out, 1)[1]`.
        The tensor's own `max` is read only so (NumPy's gives no positions)."""
        parent = self.index.parent(call)
        if isinstance(parent, ast.Attribute):
            return parent.attr == "indices"
        if isinstance(parent, ast.Subscript):
            return subscripted and literal(parent.slice, {}) == 1
        if not isinstance(parent, ast.Assign) or len(parent.targets) != 1:
            return False
        target = parent.targets[0]
        if not isinstance(target, ast.Tuple) or len(target.elts) != 2:
            return False
        where = target.elts[1]
        return not (isinstance(where, ast.Name) and where.id == "_")  # `values, _ = ...`

    def misuse(self, node: ast.AST) -> tuple[PredictionMisuse, ast.expr] | None:
        """What `node` rounds, cuts at 0.5 or samples from as probabilities, and how."""
        if isinstance(node, ast.Compare):
            threshold = self._threshold_operand(node)
            return (PredictionMisuse.THRESHOLDED, threshold) if threshold else None
        if not isinstance(node, ast.Call):
            return None
        path = self.resolve(node.func)
        operand: object = None
        misuse = PredictionMisuse.ROUNDED
        if path in self.vocabulary.rounding:
            operand = node.args[0] if node.args and not rounds_to_decimals(node) else None
        elif path in self.vocabulary.sampling:
            operand = argument(node, *self.vocabulary.sampling[path])
            misuse = PredictionMisuse.SAMPLED
        elif path is None and isinstance(node.func, ast.Attribute) and node.func.attr == "round":
            operand = None if rounds_to_decimals(node, 0) else node.func.value
        elif self._cut_by_method(node):  # `y_hat.ge(0.5)`
            operand, misuse = node.func.value, PredictionMisuse.THRESHOLDED  # type: ignore[attr-defined]
        elif cut := cut_by_function(node, path, self._threshold, PROBABILITY_THRESHOLD):
            operand, misuse = cut, PredictionMisuse.THRESHOLDED  # `torch.gt(y_hat, 0.5)`
        elif scored := probabilities_given(node, path):
            operand, misuse = scored, PredictionMisuse.SCORED  # `log_loss(y, scores)`
        return (misuse, operand) if isinstance(operand, ast.expr) else None

    def _cut_by_method(self, node: ast.Call) -> bool:
        """`x.ge(0.5)`, `x.gt(0.5)` (and `le`, `lt`): a tensor's own comparison with 0.5."""
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in _COMPARISON_METHODS:
            return False
        if len(node.args) != 1 or node.keywords:
            return False
        return self._threshold(node.args[0]) == PROBABILITY_THRESHOLD

    def _threshold_operand(self, node: ast.Compare) -> ast.expr | None:
        """What `x > 0.5` (or `0.5 <= x`, `x > threshold` with `threshold = 0.5`...) compares
        with 0.5."""
        return cut_at(node, self._threshold, PROBABILITY_THRESHOLD)

    def _threshold(self, node: ast.expr) -> object:
        """The constant a comparison's side holds, read only where a threshold is written."""
        return (
            self.constant(node)
            if isinstance(node, ast.Constant | ast.Name | ast.Attribute)
            else None
        )

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


def _rounded(value: Value | None) -> Tensor | None:
    """Probabilities rounded (to 0 or 1, or to some decimals) are still in [0, 1]: given to
    a loss on logits, they are as wrong as before. Rounded logits are nothing known."""
    if not isinstance(value, Tensor) or not value.head.emits.is_probability:
        return None
    return replace(value, rounded=True)


def _decision(value: object) -> bool | None:
    """Which arm a test's outcome takes: True the body, False the else, None either."""
    return None if value is UNDECIDED else bool(value)


def _dropped_from_the_end(node: ast.expr) -> int | None:
    """k for `name[:-k]`: a list without its last k elements."""
    if not isinstance(node, ast.Subscript) or not isinstance(node.value, ast.Name):
        return None
    bounds = node.slice
    if not isinstance(bounds, ast.Slice) or bounds.lower is not None or bounds.step is not None:
        return None
    upper = bounds.upper
    if isinstance(upper, ast.UnaryOp) and isinstance(upper.op, ast.USub):
        count = upper.operand
        if isinstance(count, ast.Constant) and type(count.value) is int and count.value > 0:
            return count.value
    return None


def _list_literal_tail(node: ast.expr) -> list[ast.expr] | None:
    """The elements at the end of a list expression, as far as they are known:
    `[a, b]` -> [a, b]; `[f(i) for i in r] + [head]` -> [head]; `[...] * n` -> None."""
    if isinstance(node, ast.List | ast.Tuple):
        if any(isinstance(element, ast.Starred) for element in node.elts):
            return None
        return list(node.elts)
    if isinstance(node, ast.ListComp):
        return []  # elements of their own, none known as the last
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        right = _list_literal_tail(node.right)
        if right is None:
            return None
        left = _list_literal_tail(node.left) if not right else []
        return None if left is None else left + right
    return None


def _as_output_of(value: Value | None, model: Model) -> Value | None:
    """A model's raw output, its tensors marked as coming straight from `model`."""
    if isinstance(value, Tensor):
        head = value.head
        display = f"{model.name} ({head.display})" if model.name else head.display
        head = replace(head, display=display)
        return Tensor(head, model_output=True, model=model, axis=value.axis)
    if isinstance(value, TupleValue):
        return TupleValue(tuple(_as_output_of(element, model) for element in value.elements))
    if isinstance(value, DictValue):
        return DictValue(tuple((key, _as_output_of(item, model)) for key, item in value.items))
    if isinstance(value, Uniform):  # `[head(h) for head in self.heads]`
        element = _as_output_of(value.element, model)
        return Uniform(element) if element is not None else None
    return None


def _assignments(node: ast.AST) -> Iterable[tuple[ast.expr, ast.expr]]:
    if isinstance(node, ast.Assign):
        return [(target, node.value) for target in node.targets]
    if isinstance(node, ast.AnnAssign) and node.value is not None:
        return [(node.target, node.value)]
    return []


_NUMBER_BUILTINS = frozenset({"len", "float", "int"})
# A tensor's comparison methods: `x.ge(t)` is `x >= t`.
_COMPARISON_METHODS = frozenset({"ge", "gt", "le", "lt"})


def _blended(node: ast.BinOp) -> Iterator[tuple[ast.expr, ast.expr]]:
    """`a` and `b` of `a * w + b * (1 - w)`, factors in either order: for a 0/1 `w`
    (a label), a pick of one of them. `p * y + (1 - p) * (1 - y)` reads both ways."""
    left, right = node.left, node.right
    if not (_is_product_of_two(left) and _is_product_of_two(right)):
        return
    for picked, weight in _factor_orders(left):  # type: ignore[arg-type]
        for other, complement in _factor_orders(right):  # type: ignore[arg-type]
            if _is_one_minus(complement, weight) or _is_one_minus(weight, complement):
                yield picked, other


def _is_product_of_two(node: ast.expr) -> bool:
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult)


def _factor_orders(product: ast.BinOp) -> tuple[tuple[ast.expr, ast.expr], ...]:
    return (product.left, product.right), (product.right, product.left)


def _is_one_minus(node: ast.expr, weight: ast.expr) -> bool:
    """`1 - weight`, `weight` written the same."""
    subtracted = subtracted_from_one(node)
    return subtracted is not None and ast.dump(subtracted) == ast.dump(weight)


def _keeps_unit_interval(operator: ast.operator, factor: ast.expr) -> bool:
    """Whether values in [0, 1] times (or over) the constant `factor` stay in [0, 1]."""
    if not isinstance(factor, ast.Constant) or not isinstance(factor.value, int | float):
        return False
    if isinstance(operator, ast.Mult):
        return 0 < factor.value <= 1
    return factor.value >= 1


def _logged(log: ast.Call) -> ast.expr | None:
    """What a log call takes: `p` in `torch.log(p)` and in `p.log()`."""
    if log.args:
        return log.args[0]
    return log.func.value if isinstance(log.func, ast.Attribute) else None


def _is_zero(node: ast.AST | None) -> bool:
    """`0`, `0.0`, or zeros or nothing made by an array library (`torch.zeros(n, k)`,
    `jnp.zeros_like(x)`, `torch.tensor([])`, `torch.empty(0)`): where sums and joins start."""
    if isinstance(node, ast.Constant):
        return node.value == 0 and not isinstance(node.value, bool)
    if not isinstance(node, ast.Call):
        return False
    if called_name(node) in ("zeros", "zeros_like", "empty"):
        return True
    empty_list = bool(node.args) and isinstance(node.args[0], ast.List) and not node.args[0].elts
    return called_name(node) in ("tensor", "Tensor", "array") and (not node.args or empty_list)


def _is_small_constant(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, float)
        and 0 < node.value < _EPSILON_LIMIT
    )


def _is_library_path(path: str) -> bool:
    return is_library_root(path.split(".", 1)[0])


def extract_with(
    module: ParsedModule, vocabulary: Vocabulary, project: Project | None = None
) -> list[TrainingSetup]:
    """Every training set-up, model head and prediction the evaluator can see in `module`,
    following what it imports from other project files."""
    evaluator = evaluator_for(module, vocabulary, project)
    framework = vocabulary.framework
    setups: list[TrainingSetup] = []
    # log(softmax) fed to a loss or a gradient, reported once: a model's head or a loss set-up
    # already covers the one it ends in.
    unstable_logs: list[tuple[ast.Call, Head]] = []
    predictions: list[tuple[Tensor, Prediction]] = []
    # What losses are given, and what else rounds, thresholds, samples or activates a tensor.
    loss_inputs: list[tuple[ast.Call, LossUse, ast.expr]] = []
    misuses: list[tuple[ast.AST, PredictionMisuse, ast.expr]] = []
    activations: list[tuple[ast.Call, Emits, ast.expr]] = []
    # Models trained on their raw outputs with a classification loss in this file.
    classifiers: dict[Model, LossUse] = {}
    argmaxes: list[tuple[Tensor, Prediction, int]] = []
    calls_of_helpers: list[ast.Call] = []  # perhaps of a loss helper: `self.d.loss(s, y)`
    for node in evaluator.index.anchors:
        if isinstance(node, ast.ClassDef) and evaluator.is_model_class(node):
            setups.extend(_head_setup(evaluator, Model(node, node.name), framework))
        if isinstance(node, ast.Call):
            path = evaluator.resolve(node.func)
            # A Sequential inside a model class is a part (an attention block, a classifier
            # whose output the model may still transform): the class's own head covers it.
            if path in vocabulary.sequentials and not evaluator.in_model_class(node):
                setups.extend(_head_setup(evaluator, Model(node, None), framework))
            in_library = path is not None and _is_library_path(path)
            library = path if in_library else evaluator.library_base(node)
            trained = vocabulary.library_trainer(evaluator, library, node) if library else None
            if trained is not None:
                setups.append(trained)
            logs = evaluator.is_log(node, path)
            found = evaluator.value(node) if logs else None
            if isinstance(found, Tensor) and found.head.unstable_log is not None:
                unstable_logs.append((node, found.head))
            hand_written_loss = evaluator.log_of_raw_scores(node, path) if logs else None
            if hand_written_loss is not None:
                setups.append(hand_written_loss)
            argmax = evaluator.argmax_over_one_unit(node, path)
            if argmax is not None and evaluator.is_judged(node):
                argmaxes.append(argmax)
            activation = evaluator.activation(node, path)
            if activation is not None:
                again = _activated_again(evaluator, node, framework)
                if again is not None:
                    setups.append(again)
                elif activation[0] is Emits.SIGMOID or activation[2] in (IMPLICIT, -1):
                    # What it is applied to is not known here: perhaps a loss tells (a
                    # softmax only over the last axis, the one losses normalise).
                    activations.append((node, activation[0], activation[1]))
                softmaxed = _softmax_of_raw_outputs(evaluator, node, activation)
                if softmaxed is not None:
                    predictions.append(softmaxed)
            loss = evaluator.loss_call(node)
            if loss is None and _may_call_the_project(node, path):
                calls_of_helpers.append(node)
            if loss is not None and evaluator.is_judged(node):
                if loss.input is not None:
                    loss_inputs.append((node, loss.use, loss.input))
                trained = _trained_classifier(evaluator, loss.input, loss.use)
                if trained is not None:
                    classifiers.setdefault(*trained)
                setup = _loss_setup(evaluator, loss, framework)
                if setup is not None:
                    setups.append(setup)
        misuse = evaluator.misuse(node)
        if misuse is not None and not evaluator.is_judged(node):
            misuse = None  # in an arm what the code is given rules out
        prediction = evaluator.prediction_from(node, misuse) if misuse else None
        if prediction is not None:
            predictions.append(prediction)
        elif misuse is not None:
            misuses.append((node, *misuse))
        read_as_logits = evaluator.probabilities_read_as_logits(node)
        if read_as_logits is not None:
            output, misuse = read_as_logits
            setups.append(TrainingSetup(framework, head=output.head, predictions=[misuse]))
    predictions += _returned_as_probabilities(evaluator)
    # A regression model's outputs may well be rounded: only classifiers' predictions count.
    trained = _Classifiers(evaluator, classifiers)
    # Followed first: a loss module or a helper of the project may train a model as well.
    setups.extend(_setups_through_calls(evaluator, framework, trained))
    for output, misuse in predictions:
        loss = trained.loss_of(output.model)
        # log_softmax outputs are log-probabilities whatever trains them.
        if loss is not None or output.head.emits is Emits.LOG_SOFTMAX:
            setups.append(TrainingSetup(framework, output.head, loss, predictions=[misuse]))
    for output, misuse, axis in argmaxes:
        # Dim 1 is the unit's axis of a (batch, 1) output, but a position's of (batch, length,
        # 1) scores: only for a binary classifier's outputs.
        if axis == -1 or _binary_classifier(trained.loss_of(output.model)):
            setups.append(TrainingSetup(framework, output.head, predictions=[misuse]))
    if misuses or activations:
        loss_inputs += _handed_to_loss_helpers(evaluator, calls_of_helpers)
    if loss_inputs and (misuses or activations):
        calls = (node for node in evaluator.index.anchors if isinstance(node, ast.Call))
        mutated = mutated_in_place(calls) | evaluator.index.names_changed_in_place()
        setups.extend(_contradicting_uses(evaluator, loss_inputs, misuses, activations, mutated))
    return _with_unstable_logs(evaluator, setups, unstable_logs)


def _returned_as_probabilities(evaluator: Evaluator) -> list[tuple[Tensor, Prediction]]:
    """A model's raw outputs returned by a `predict_proba` (scikit-learn's name for the
    probabilities of the classes), with nothing applied: `return self.model(x)`."""
    returned = (
        value
        for function in evaluator.index.functions.get("predict_proba", ())
        for value in evaluator.index.returns(function) or ()
    )
    found = (
        evaluator.prediction_from(value, (PredictionMisuse.RETURNED_AS_PROBABILITIES, value))
        for value in returned
    )
    return [prediction for prediction in found if prediction is not None]


def _may_call_the_project(call: ast.Call, path: str | None) -> bool:
    """Whether a call that is no loss may run a function of the project: it passes something
    and is no library call."""
    return bool(call.args or call.keywords) and (path is None or not _is_library_path(path))


def _handed_to_loss_helpers(
    evaluator: Evaluator, calls: list[ast.Call]
) -> list[tuple[ast.Call, LossUse, ast.expr]]:
    """`self.discrim.disc_loss(scores, y)` with `def disc_loss(self, logits, y): return
    F.binary_cross_entropy_with_logits(logits, y)`: `scores`, taken as that loss takes
    `logits`, for each call that hands it over."""
    found = []
    for call in calls:
        if not evaluator.is_judged(call):
            continue
        called = evaluator.called_function(call)
        if called is None:
            continue
        taken = called.owner.parameters_given_to_losses(called.function)
        if not taken:
            continue
        method = called.class_def is not None and not _decorated_as(called.function, _STATIC)
        passed = passed_arguments(called.function, call, method=method)
        found += [(call, use, passed[name]) for use, name in taken if name in passed]
    return found


def _binary_classifier(loss: LossUse | None) -> bool:
    return loss is not None and loss.family is LossFamily.BINARY


def _trained_classifier(
    evaluator: Evaluator, given: ast.expr | None, loss: LossUse
) -> tuple[Model, LossUse] | None:
    """The model a classification loss trains, and the loss its raw outputs get: the loss
    itself when it is given them (`criterion(model(x), y)`), or its logits form when it is
    given them activated as it expects (`F.binary_cross_entropy(torch.sigmoid(model(x)), y)`:
    the outputs are logits)."""
    trained = evaluator.value(given)
    if not isinstance(trained, Tensor) or trained.model is None:
        return None
    if trained.model_output:
        return trained.model, loss
    head = trained.head
    if head.emits is not loss.expects or not head.emits.is_probability or head.activated_twice:
        return None
    raw = evaluator.raw_output(trained.model)
    if not isinstance(raw, Tensor) or raw.head.emits is not Emits.LOGITS:
        return None
    return trained.model, replace(loss, expects=Emits.LOGITS)


def _softmax_of_raw_outputs(
    evaluator: Evaluator, call: ast.Call, activation: tuple[Emits, ast.expr, Axis]
) -> tuple[Tensor, Prediction] | None:
    """A softmax over the units of a model's raw outputs (`torch.softmax(model(x), dim=1)`):
    what LG024 judges against the loss the model is trained with."""
    emits, operand, axis = activation
    if emits is not Emits.SOFTMAX or axis not in (-1, 1) or not evaluator.is_judged(call):
        return None
    output = evaluator.raw_model_output(operand)
    if output is None or (axis == -1 and not output.units_last):
        return None  # over a convolution's last axis: a position's, not the units'
    where = evaluator._segment(call), evaluator._location(call)
    return output, Prediction(PredictionMisuse.SOFTMAXED, *where)


def _activated_again(evaluator: Evaluator, call: ast.Call, framework: str) -> TrainingSetup | None:
    """An activation applied to what already is its kind of probabilities (LG021); not in an
    arm what the code is given rules out (`if apply_softmax:` called with False), nor under a
    test of the values it activates (`if x.min() < 0 or x.max() > 1: x = softmax(x)`: the
    code looks whether they already are probabilities)."""
    if not evaluator.is_judged(call) or _tested_first(evaluator.index, call):
        return None
    found = evaluator.value(call)
    if not isinstance(found, Tensor) or not found.head.activated_twice:
        return None
    # Only the second activation is news here: what the head's units say is reported with the
    # head itself.
    return TrainingSetup(framework, head=replace(found.head, units=None))


def _tested_first(index: ScopeIndex, call: ast.Call) -> bool:
    """Whether `call` sits under a test (`if`, conditional expression, `while`) that reads a
    name its first argument reads, or a name assigned from one (`bounded = x.max() <= 1`)."""
    argument = call.args[0] if call.args else None
    names = (
        {node.id for node in ast.walk(argument) if isinstance(node, ast.Name)}
        if argument
        else set()
    )
    for block, place, _ in index.blocks_around(call):
        if place == "test" or not isinstance(block, ast.If | ast.IfExp | ast.While):
            continue
        if names & _names_read(index, block.test):
            return True
    return False


def _names_read(index: ScopeIndex, test: ast.expr) -> set[str]:
    """The names a test reads, and those the names it reads are made from, one step back."""
    read = {node.id for node in ast.walk(test) if isinstance(node, ast.Name)}
    for node in ast.walk(test):
        if isinstance(node, ast.Name):
            for value, _ in index.sources_of_name(node) or ():
                read |= {inner.id for inner in ast.walk(value) if isinstance(inner, ast.Name)}
    return read


def _contradicting_uses(
    evaluator: Evaluator,
    losses: list[tuple[ast.Call, LossUse, ast.expr]],
    misuses: list[tuple[ast.AST, PredictionMisuse, ast.expr]],
    activations: list[tuple[ast.Call, Emits, ast.expr]],
    mutated: frozenset[str],
) -> list[TrainingSetup]:
    """A tensor a loss takes as logits and that is rounded, cut at 0.5 or sampled elsewhere, or
    one a loss takes as probabilities and that is activated again, whatever model made it (see
    tensor_uses)."""
    keys = TensorKeys(
        _scope_origin(evaluator.index),
        lambda call, _: evaluator.kept_values(call),
        mutated,
        evaluator.vocabulary.pass_through_attributes,
        evaluator.unread_model_output,
        lambda name, _: _comprehension_clause(evaluator.index, name),
    )
    return TensorUses(
        evaluator.vocabulary.framework,
        keys,
        [LossInput(use, operand, None) for _, use, operand in losses],
        [Misuse(misuse, node, operand, None) for node, misuse, operand in misuses],
        [Activation(emits, node, operand, None) for node, emits, operand in activations],
        evaluator._segment,
        evaluator._location,
        lambda first, second: _on_opposite_arms(evaluator.index, first, second),
    ).contradictions()


def _comprehension_clause(index: ScopeIndex, name: ast.Name) -> ast.comprehension | None:
    binder = index.local_binder(name)
    return binder if isinstance(binder, ast.comprehension) else None


def _on_opposite_arms(index: ScopeIndex, first: ast.AST, second: ast.AST) -> bool:
    """Whether the two nodes sit in opposite arms of tests on the same condition."""
    around_second = index.tests_around(second)
    return any(
        around_second.get(test, arm) != arm for test, arm in index.tests_around(first).items()
    )


def _scope_origin(index: ScopeIndex) -> NameOrigin:
    """Names read through the evaluator's own index: what the name may hold where it is read."""

    def origin(
        name: ast.Name, _: ast.stmt | None
    ) -> tuple[Hashable, ast.expr | None, ast.stmt | None] | None:
        sources = index.sources_of_name(name)
        if not sources:
            return None
        value, path = sources[0]
        if len(sources) == 1 and not path and isinstance(value, ast.expr):
            return (id(value), ()), value, None
        return tuple((id(value), path) for value, path in sources), None, None

    return origin


def _with_unstable_logs(
    evaluator: Evaluator, setups: list[TrainingSetup], logs: list[tuple[ast.Call, Head]]
) -> list[TrainingSetup]:
    """Set-ups plus the log(softmax) that matter: on real data, fed to a loss or a gradient."""
    if not logs:
        return setups
    uses = LogSoftmaxUses(evaluator)
    finite = {
        head.activation_location
        for node, head in logs
        if uses.on_made_up_data(node) or uses.of_a_drawn_choice(node)
    }
    setups = [_stable_unless_real(setup, finite) for setup in setups]
    covered = {setup.head.activation_location for setup in setups if setup.head is not None}
    return setups + [
        TrainingSetup(evaluator.vocabulary.framework, head=head)
        for node, head in logs
        if head.activation_location not in covered | finite and uses.feeds_training(node)
    ]


def _stable_unless_real(setup: TrainingSetup, finite: set[Location | None]) -> TrainingSetup:
    """A log(softmax) of made-up test values, or of the chance of a sampled choice, is no
    numerical hazard: not reported."""
    head = setup.head
    if head is None or head.unstable_log is None or head.activation_location not in finite:
        return setup
    return replace(setup, head=replace(head, unstable_log=None))


# What a call must pass for the function it calls to be analysed for it.
_WORTH_FOLLOWING = (LossModule, Model, ModelClass, Tensor, Function, LibraryObject)


def _worth_following(value: object, vocabulary: Vocabulary, depth: int = 0) -> bool:
    """A model, a loss or an output handed over; or a model's dict or tuple of outputs
    (`self.loss(output, batch)` reading `output["exist"]`); a library name the vocabulary
    knows (`F.cross_entropy`, `nn.CrossEntropyLoss`, `F.softmax`: not `torch` or
    `os.environ`); an object made with one of those (a trainer given the model), or a
    function of the project (a loss written by hand)."""
    if isinstance(value, DictValue):
        return any(isinstance(element, Tensor) for _, element in value.items)
    if isinstance(value, TupleValue):
        return any(isinstance(element, Tensor) for element in value.elements)
    if isinstance(value, Imported):
        return _known_to(vocabulary, value.path)
    if isinstance(value, Instance):
        made = value.constructed_by
        if made is None or value.constructor_caller is None or depth >= _MAX_CALL_DEPTH:
            return False
        passed = _passed_values(value.constructor_caller, made)
        return any(_worth_following(given, vocabulary, depth + 1) for _, given in passed)
    return isinstance(value, _WORTH_FOLLOWING)


def _hands_labels(evaluator: Evaluator, call: ast.Call) -> bool:
    """Whether `call` hands over labels or a data set whose labels are known
    (`train(train_loader)`): the loss of the function it runs may be judged on them."""
    arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
    return any(
        not isinstance(argument, ast.Starred) and evaluator.labels(argument) is not None
        for argument in arguments
    )


def _known_to(vocabulary: Vocabulary, path: str) -> bool:
    return (
        vocabulary.is_loss(path)
        or path in vocabulary.activations
        or path in vocabulary.layers
        or path in vocabulary.sequentials
        or vocabulary.library_model_head(path) is not None
    )


@dataclass(frozen=True)
class _Classifiers:
    """The models whose outputs are a classifier's: trained with a classification loss in the
    file, or a library classifier that computes its own loss (a Hugging Face task model)."""

    evaluator: Evaluator
    trained: dict[Model, LossUse]

    def loss_of(self, model: Model | None) -> LossUse | None:
        if model is None:
            return None
        if model in self.trained:
            return self.trained[model]
        if model.library_head is None:
            own = _loss_on_returned_outputs(self.evaluator, model)
            return own if own is not None else _trained_beside(self.evaluator, model)
        if not model.library_head.computes_loss:
            return None
        return self.evaluator.vocabulary.own_loss(self.evaluator, model)


def _trained_beside(evaluator: Evaluator, model: Model) -> LossUse | None:
    """The loss a project model class is trained with by the scripts beside this file
    (`train.py` next to the `predict.py` that loads the model and reads its outputs), when
    those that train it agree."""
    project = evaluator.project
    if project is None or not isinstance(model.definition, ast.ClassDef):
        return None
    # The scripts that name the class, or a factory of the project this file builds it by.
    names = {model.definition.name} | project.project_names(evaluator.module)
    losses = (
        _classifier_losses(evaluator_for(beside, evaluator.vocabulary, project)).get(model)
        for beside in project.files_beside(evaluator.module, names)
    )
    found = [loss for loss in losses if loss is not None]
    return found[0] if len({_loss_kind(loss) for loss in found}) == 1 else None


def _classifier_losses(evaluator: Evaluator) -> dict[Model, LossUse]:
    """The models a file trains as classifiers, each with the loss its raw outputs get (see
    `_trained_classifier`); a model trained two ways is left out. Read once per file."""
    key = (evaluator.module.path, f"classifiers {evaluator.vocabulary.framework}")
    project = evaluator.project
    known = project.analyses.get(key) if project is not None else None
    if isinstance(known, dict):
        return known
    trained: dict[Model, LossUse] = {}
    ambiguous: set[Model] = set()
    for call in evaluator.index.calls:
        loss = evaluator.loss_call(call)
        found = _trained_classifier(evaluator, loss.input, loss.use) if loss else None
        if found is None:
            continue
        model, use = found
        if _loss_kind(trained.setdefault(model, use)) != _loss_kind(use):
            ambiguous.add(model)
    result = {model: use for model, use in trained.items() if model not in ambiguous}
    if project is not None:
        project.analyses[key] = result
    return result


def _loss_kind(use: LossUse) -> tuple[LossFamily, Emits]:
    """What tells two losses apart for a model's outputs: their family and what they expect."""
    return use.family, use.expects


def _loss_on_returned_outputs(evaluator: Evaluator, model: Model) -> LossUse | None:
    """The loss a project model computes in `forward` on outputs it also returns (`loss =
    self.loss_fct(logits, labels); return loss, logits`), when one such loss does."""
    if not isinstance(model.definition, ast.ClassDef):
        return None
    for method_name in evaluator.vocabulary.entry_methods:
        found = evaluator.method_of(model.definition, method_name)
        if found is None:
            continue
        owner, method = found
        returned = {
            node.id
            for value in owner.index.returns(method) or ()
            for node in (value.elts if isinstance(value, ast.Tuple) else [value])
            if isinstance(node, ast.Name)
        }
        calls = [node for node in owner.index.body_nodes(method) if isinstance(node, ast.Call)]
        losses = [
            loss.use
            for loss in map(owner.loss_call, calls)
            if loss is not None and isinstance(loss.input, ast.Name) and loss.input.id in returned
        ]
        return losses[0] if len(losses) == 1 else None
    return None


def _setups_through_calls(
    evaluator: Evaluator, framework: str, classifiers: _Classifiers
) -> list[TrainingSetup]:
    """Losses in functions, trainer classes and methods of the project, analysed for each call
    in this file that hands them a model, a loss or their outputs; and the outputs of this
    file's classifiers that a called function (`binary_accuracy(out, y)`) rounds or cuts."""
    follower = _CallFollower(framework, classifiers)
    follower.calls(evaluator, evaluator.index.calls)
    for node in evaluator.index.anchors:
        if isinstance(node, ast.ClassDef) and node.bases:
            for owner, method in evaluator.inherited_methods(node):
                area = owner.index.body_nodes(method)
                follower.read_inherited(owner.for_receiver(node), area)
    return follower.setups


@dataclass
class _CallFollower:
    framework: str
    classifiers: _Classifiers
    setups: list[TrainingSetup] = field(default_factory=list)
    seen: set[object] = field(default_factory=set)
    budget: int = _MAX_CONTEXTS
    loss_computing: dict[int, bool] = field(default_factory=dict)  # see `_computes_a_loss`

    def calls(self, evaluator: Evaluator, calls: Iterable[ast.Call]) -> None:
        for call in calls:
            if self.budget <= 0:
                return
            if not call.args and not call.keywords:
                continue  # hands the function nothing
            # What runs first: most calls run library code, which is not followed.
            target = evaluator.called_function(call)
            if target is None:
                continue
            passed = _passed_values(evaluator, call)
            worth = any(_worth_following(value, evaluator.vocabulary) for _, value in passed)
            if not worth and not (self._computes_a_loss(target) and _hands_labels(evaluator, call)):
                continue
            key = (id(target.function), target.instance, passed)
            if key in self.seen:
                continue
            self.seen.add(key)
            self.budget -= 1
            contextual = target.owner.in_context(target, call, evaluator)
            area = _analysed_area(target.owner, target.function, target.class_def)
            self._read(contextual, area)
            if contextual.context and contextual.context.depth < _MAX_CALL_DEPTH:
                self.calls(contextual, [node for node in area if isinstance(node, ast.Call)])

    def _computes_a_loss(self, target: Called) -> bool:
        """Whether the function a call runs (for a class, its methods) calls a loss: only
        then is the data set the call hands over worth reading (see `_hands_labels`)."""
        key = id(target.function)
        if key not in self.loss_computing:
            area = _analysed_area(target.owner, target.function, target.class_def)
            self.loss_computing[key] = any(
                isinstance(node, ast.Call) and target.owner.loss_call(node) is not None
                for node in area
            )
        return self.loss_computing[key]

    def read_inherited(self, contextual: Evaluator, area: list[ast.AST]) -> None:
        """A base class's method read for an object of a subclass (`contextual.receiver`)."""
        self._read(contextual, area)
        self.calls(contextual, [node for node in area if isinstance(node, ast.Call)])

    def _read(self, contextual: Evaluator, area: list[ast.AST]) -> None:
        for node in area:
            if isinstance(node, ast.Call | ast.Compare):
                found = self._found_at(contextual, node)
                # Not in an arm this call rules out (`if net.n_classes > 1:` for one class).
                if found and contextual.is_judged(node):
                    self.setups.extend(found)

    def _found_at(self, contextual: Evaluator, node: ast.Call | ast.Compare) -> list[TrainingSetup]:
        found = []
        if isinstance(node, ast.Call):
            loss = contextual.loss_call(node)
            setup = _loss_setup(contextual, loss, self.framework) if loss else None
            if setup is not None and setup.head is not None:
                found.append(setup)
            trained = _trained_classifier(contextual, loss.input, loss.use) if loss else None
            if trained is not None:  # `FocalLoss.forward`, given the model's outputs
                self.classifiers.trained.setdefault(*trained)
            if contextual.activation(node, contextual.resolve(node.func)) is not None:
                again = _activated_again(contextual, node, self.framework)
                if again is not None:
                    found.append(again)
        prediction = contextual.prediction(node)
        trained = self.classifiers.loss_of(prediction[0].model) if prediction else None
        if prediction is not None and trained is not None:
            output, misuse = prediction
            found.append(TrainingSetup(self.framework, output.head, trained, predictions=[misuse]))
        return found


def _calls_self_method(nodes: list[ast.AST], names: set[str], entry_methods: Iterable[str]) -> bool:
    """Whether `nodes` call one of the methods `names` on `self` (`self(x)` runs `forward`)."""
    called_self = any(name in names for name in entry_methods)
    for node in nodes:
        if isinstance(node, ast.Call):
            func = _called(node)  # `self.__call__(x)` is `self(x)`
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                if func.value.id == "self" and func.attr in names:
                    return True
            elif isinstance(func, ast.Name) and func.id == "self" and called_self:
                return True
    return False


def _passed_values(evaluator: Evaluator, call: ast.Call) -> tuple[tuple[object, object], ...]:
    positional = [(index, evaluator.value(arg)) for index, arg in enumerate(call.args)]
    named = [(keyword.arg, evaluator.value(keyword.value)) for keyword in call.keywords]
    return tuple(positional + named)


def _analysed_area(
    owner: Evaluator,
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    class_def: ast.ClassDef | None,
) -> list[ast.AST]:
    """The function's body; for a constructor or a method (a setter), every method of its
    class, which may read what the call stored on `self`."""
    if class_def is None:
        return owner.index.body_nodes(function)
    methods = [
        item
        for cls in owner.class_chain(class_def)
        if owner.index.owns(cls)
        for item in cls.body
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    return [node for method in methods for node in owner.index.body_nodes(method)]


def _head_setup(evaluator: Evaluator, model: Model, framework: str) -> list[TrainingSetup]:
    output = evaluator.output_of(model)
    return [TrainingSetup(framework, head=output.head)] if isinstance(output, Tensor) else []


def _loss_setup(evaluator: Evaluator, loss: LossCall, framework: str) -> TrainingSetup | None:
    output = evaluator.value(loss.input)
    head = output.head if isinstance(output, Tensor) else None
    labels = evaluator.labels(loss.target)
    if head is None and labels is None:
        return None
    use = loss.use
    if isinstance(output, Tensor) and output.rounded:  # the fix is to pass the logits
        use = replace(use, probabilities_remedy=None, to_probabilities_edit=None)
    return TrainingSetup(framework, head=head, loss=use, labels=labels)
