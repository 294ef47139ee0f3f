"""Labels followed through a module, without running it: where they come from, what they are.

Given the expression a model is trained towards (`fit(x, y)`'s y, a data set passed as x, a
loss's target), `LabelFlow` follows it back through assignments, tuple unpacking, loops over
data loaders and conversions to where the values are made: a data set loader (keras.datasets,
scikit-learn, torchvision, tfds), a one-hot encoding, an encoder or scaler, random numbers, an
array literal, a comparison. On the way it applies what each step does to the values:
`y * 2 - 1` moves their range, `to_categorical` makes one-hot vectors, `.astype()` keeps them.
Whatever it does not know gives nothing: unknown stays unknown, and the rules stay silent.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from logitguard.core.facts import LabelFormat, Labels, TargetKind, ValueRange
from logitguard.knowledge import datasets as known
from logitguard.knowledge import label_functions as functions
from logitguard.static.engine.ast_tools import argument, called_name, is_none, keyword
from logitguard.static.engine.context import MAX_DEPTH, ModuleContext, bound_to_call
from logitguard.static.engine.index import UNCERTAIN
from logitguard.static.engine.module import ParsedModule

_KERAS_DATASETS_PREFIX = ("keras", "datasets")
_TFDS_LOAD = "tensorflow_datasets.load"
_TORCHVISION_DATASETS = "torchvision.datasets."
_SKLEARN_PREPROCESSING = "sklearn.preprocessing."
# Literal arrays longer than this are data files pasted into code: not worth reading.
_MAX_LITERAL_VALUES = 100_000


@dataclass(frozen=True)
class Values:
    """An array as far as it is known: class labels or measurements, their format and range."""

    kind: TargetKind
    format: LabelFormat
    num_classes: int | None
    value_range: ValueRange | None
    node: ast.AST  # where the values were made, shown in messages
    # A Python list or tuple, not yet an array: `* 3` repeats it, `+` concatenates.
    sequence: bool = False
    # Random or literal labels: the classes they show, not necessarily all the task has; for
    # real values, random numbers standing in for data.
    sampled: bool = False
    # The module `node` is in, when not the one reading the labels (a caller's argument).
    made_in: ModuleContext | None = field(default=None, compare=False)

    @classmethod
    def of(cls, targets: known.Targets, node: ast.AST) -> Values:
        return cls(targets.kind, targets.format, targets.num_classes, targets.value_range, node)


def _class_indices(count: int | None, node: ast.AST) -> Values:
    value_range = ValueRange(0, count - 1) if count else None
    return Values(TargetKind.CLASSES, LabelFormat.INTEGER, count, value_range, node)


# Masks joined or negated: `y[(y == 1) | (y == 5)]`, `y[~bad]`.
_MASK_OPERATIONS = ast.BinOp | ast.UnaryOp
# Index arrays that take every row once: labels indexed by them keep their classes.
_PERMUTATIONS = frozenset(
    {"numpy.random.permutation", "numpy.arange", "torch.randperm", "torch.arange"}
)


def _selected(labels: Values) -> Values:
    """Rows picked by a mask or an index array (`y[(y == 1) | (y == 5)]`): class indices may
    be only some of the classes, their count and range no longer known. One-hot rows keep
    their width: the number of classes."""
    if labels.format is LabelFormat.ONE_HOT:
        return labels
    return replace(labels, num_classes=None, value_range=None)


def _one_hot(count: int | None, node: ast.AST) -> Values:
    return Values(TargetKind.CLASSES, LabelFormat.ONE_HOT, count, ValueRange(0, 1), node)


def _continuous(low: float, high: float, node: ast.AST) -> Values:
    return Values(TargetKind.CONTINUOUS, LabelFormat.UNKNOWN, None, ValueRange(low, high), node)


@dataclass(frozen=True)
class Pairs:
    """A data set whose elements are (inputs, targets): tf.data, tfds, torchvision, DataLoader."""

    targets: Values


@dataclass(frozen=True)
class Splits:
    """`tfds.load(name)` without a split: a dict of data sets, one per split name."""

    pairs: Pairs


@dataclass(frozen=True)
class Bunch:
    """What a scikit-learn loader returns without return_X_y: `.target` holds the targets."""

    targets: Values


@dataclass(frozen=True)
class Encoder:
    """A scikit-learn encoder or scaler (its class name), with MinMaxScaler's output range."""

    name: str
    output_range: ValueRange | None = None


Flowing = Values | Pairs | Splits | Bunch | Encoder | float


class LabelFlow:
    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx
        self._cache: dict[tuple[ast.AST, ast.AST, tuple[int, ...]], Flowing | None] = {}

    @classmethod
    def of_module(cls, module: ParsedModule) -> LabelFlow:
        return cls(ModuleContext(module))

    # -- the answer ---------------------------------------------------------------------------

    def labels(self, expr: ast.AST, at: ast.stmt) -> Labels | None:
        """The labels `expr` holds at statement `at` (targets, or a data set of pairs)."""
        found = self.value(expr, at)
        if isinstance(found, Pairs):
            found = found.targets
        if not isinstance(found, Values):
            return None
        if found.kind is TargetKind.CONTINUOUS and found.sampled:
            # Random reals as targets are placeholders (a test, a demo): nothing to judge.
            # Computed from random inputs (`x ** 2 + noise`), they are a regression target.
            return None
        made_in = found.made_in or self.ctx
        display = self.ctx.text(expr)
        origin = made_in.text(found.node)
        if origin != display:
            display = f"{display} (from {origin})"
        return Labels(
            format=found.format,
            display=display,
            location=made_in.location(found.node),
            num_classes=found.num_classes,
            kind=found.kind,
            value_range=found.value_range,
            all_classes_known=not found.sampled,
        )

    # -- following values ---------------------------------------------------------------------

    def value(
        self, expr: ast.AST | None, at: ast.stmt, path: tuple[int, ...] = (), depth: int = 0
    ) -> Flowing | None:
        """What `expr[path[0]][path[1]]...` holds when `at` runs."""
        if expr is None or depth > MAX_DEPTH:
            return None
        key = (expr, at, path)
        if key not in self._cache:
            self._cache[key] = None  # a value defined through itself is unknown
            self._cache[key] = self._evaluate(expr, at, path, depth + 1)
        return self._cache[key]

    def _evaluate(
        self, expr: ast.AST, at: ast.stmt, path: tuple[int, ...], depth: int
    ) -> Flowing | None:
        if isinstance(expr, ast.Name):
            return self._name(expr, at, path, depth)
        if isinstance(expr, ast.Tuple | ast.List):
            if not path:
                return self._literal(expr, at)
            if path[0] >= len(expr.elts) or isinstance(expr.elts[path[0]], ast.Starred):
                return None
            return self.value(expr.elts[path[0]], at, path[1:], depth)
        if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant):
            index = expr.slice.value
            if isinstance(index, int) and not isinstance(index, bool):
                return self.value(expr.value, at, (index, *path), depth)  # f()[1]
        if path:
            if not isinstance(expr, ast.Call):
                return None
            return self._unpacked(expr, at, path, depth) or self._returned(expr, at, path, depth)
        if isinstance(expr, ast.Call):
            return self._made(expr, at, depth) or self._returned(expr, at, path, depth)
        if isinstance(expr, ast.Attribute):
            return self._attribute(expr, at, depth)
        if isinstance(expr, ast.Subscript):
            return self._subscript(expr, at, depth)
        if isinstance(expr, ast.BinOp):
            return self._arithmetic(expr, at, depth)
        if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
            return self._negated(expr, at, depth)
        if isinstance(expr, ast.Compare):
            return self._comparison(expr, at, depth)
        if isinstance(expr, ast.Constant) and _is_number(expr.value):
            return float(expr.value)
        return None

    def _name(
        self, expr: ast.Name, at: ast.stmt, path: tuple[int, ...], depth: int
    ) -> Flowing | None:
        if expr.id in self.ctx.resolver.aliases:
            return None
        binding = self.ctx.index.lookup(expr.id, at)
        if binding is None or binding is UNCERTAIN:
            return None
        statement = binding.statement
        if binding.value is None:
            if isinstance(statement, ast.For | ast.AsyncFor):
                return self._element(statement.iter, statement, binding.path + path, depth)
            passed = self.ctx.passed_argument(expr.id, at)
            if passed is None or depth > MAX_DEPTH:
                return None
            caller, value, call_at = passed  # a parameter, bound to what the call read passes
            found = LabelFlow(caller).value(value, call_at, binding.path + path, depth + 1)
            return _made_in(found, caller) if caller is not self.ctx else found
        if isinstance(binding.value, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return None
        if isinstance(binding.value, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return None
        return self.value(binding.value, statement, binding.path + path, depth)

    def _returned(
        self, call: ast.Call, at: ast.stmt, path: tuple[int, ...], depth: int
    ) -> Flowing | None:
        """What a function of the project returns, with its parameters bound to the call's
        arguments (`train_loader, test_loader = get_loaders()` of a `data.py` that makes
        them): its returns, when they agree."""
        found = self._function_called(call, at)
        if found is None:
            return None
        context, function = found
        returns = context.index.returns(function)
        if not returns or any(returned.value is None for returned in returns):
            return None
        bound = type(context)(context.module, context.project)
        bound.arguments = {**context.arguments, **bound_to_call(function, call, self.ctx, at)}
        flow = LabelFlow(bound)
        values = [flow.value(returned.value, returned, path, depth + 1) for returned in returns]
        if values[0] is None or any(value != values[0] for value in values[1:]):
            return None
        return _made_in(values[0], context) if context is not self.ctx else values[0]

    def _function_called(
        self, call: ast.Call, at: ast.stmt
    ) -> tuple[ModuleContext, ast.FunctionDef | ast.AsyncFunctionDef] | None:
        """(its file's context, the function) for a call of a function of this file, or one
        another file of the project defines."""
        if not isinstance(call.func, ast.Name):
            return None
        found = self.ctx.definition(call.func, at)
        if found is None or not isinstance(found[1], ast.FunctionDef | ast.AsyncFunctionDef):
            return None
        return found  # type: ignore[return-value]

    def _element(
        self, iterable: ast.AST, at: ast.stmt, path: tuple[int, ...], depth: int
    ) -> Flowing | None:
        """Part `path` of what a `for` loop over `iterable` binds."""
        if not path:
            return None
        if isinstance(iterable, ast.Call) and iterable.args:
            first = iterable.args[0]
            if self._is_builtin(iterable.func, "enumerate", at):
                return self._element(first, at, path[1:], depth) if path[0] == 1 else None
            if self.ctx.qualified(iterable.func, at) in functions.ITERATION_WRAPPERS:
                return self._element(first, at, path, depth)
        found = self.value(iterable, at, (), depth)
        if isinstance(found, Pairs) and path == (1,):
            return found.targets
        return None

    def _is_builtin(self, func: ast.AST, name: str, at: ast.stmt) -> bool:
        return (
            isinstance(func, ast.Name)
            and func.id == name
            and func.id not in self.ctx.resolver.aliases
            and self.ctx.index.lookup(name, at) is None
        )

    # -- tuples returned by loaders and splitters -----------------------------------------------

    def _unpacked(
        self, call: ast.Call, at: ast.stmt, path: tuple[int, ...], depth: int
    ) -> Flowing | None:
        qualified = self.ctx.qualified(call.func, at) or ""
        name = qualified.rsplit(".", 1)[-1]
        func = call.func
        # The labels of `mnist.train.next_batch(n)`, which returns (images, labels); not
        # of the code's own `next_batch(n)`.
        if not qualified and path == (1,) and _is_method(func, "next_batch"):
            found = self.value(func.value, at, (), depth)  # type: ignore[attr-defined]
            return found.targets if isinstance(found, Pairs) else None
        if qualified.startswith("sklearn."):
            return self._sklearn_part(call, at, name, path, depth)
        parts = qualified.split(".")
        if len(parts) == 4 and tuple(parts[:2]) == _KERAS_DATASETS_PREFIX:
            if parts[3] == "load_data" and path in ((0, 1), (1, 1)):
                return self._keras_dataset(call, at, parts[2])
            return None
        if qualified == _TFDS_LOAD:
            return self._tfds(call, at, path)
        if qualified in functions.RANDOM_SPLITS and len(path) == 1:
            found = self.value(argument(call, 0, "dataset"), at, (), depth)
            return found if isinstance(found, Pairs) else None
        return None

    def _sklearn_part(
        self, call: ast.Call, at: ast.stmt, name: str, path: tuple[int, ...], depth: int
    ) -> Flowing | None:
        if name in functions.SKLEARN_SPLITTERS or name in functions.SKLEARN_SHUFFLERS:
            arrays = call.args
            if any(isinstance(array, ast.Starred) for array in arrays):
                return None
            per_array = 2 if name in functions.SKLEARN_SPLITTERS else 1
            index = path[0] // per_array
            if index >= len(arrays):
                return None
            return self.value(arrays[index], at, path[1:], depth)
        if path != (1,):
            return None
        if name in known.SKLEARN_LOADERS:
            if self.ctx.literal(keyword(call, "return_X_y"), at) is not True:
                return None
            return self._sklearn_loader(call, at, name)
        return self._sklearn_generator(call, at, name)

    def _sklearn_loader(self, call: ast.Call, at: ast.stmt, name: str) -> Values:
        if name == "load_digits":
            count = self.ctx.literal(keyword(call, known.DIGITS_CLASS_ARGUMENT), at)
            if _is_count(count):
                return _class_indices(count, call)  # type: ignore[arg-type]
            if keyword(call, known.DIGITS_CLASS_ARGUMENT) is not None:
                return _class_indices(None, call)
        return Values.of(known.SKLEARN_LOADERS[name], call)

    def _sklearn_generator(self, call: ast.Call, at: ast.stmt, name: str) -> Values | None:
        if name in known.SKLEARN_GENERATORS:
            return Values.of(known.SKLEARN_GENERATORS[name], call)
        if name not in known.SKLEARN_CLASS_COUNT_ARGUMENTS:
            return None
        parameter, default = known.SKLEARN_CLASS_COUNT_ARGUMENTS[name]
        node = keyword(call, parameter)
        if node is None:
            samples = self.ctx.literal(argument(call, 0, "n_samples"), at)
            if name == "make_blobs" and isinstance(samples, list | tuple):
                return _class_indices(len(samples), call)  # one blob per sample count
            return _class_indices(default, call)
        count = self.ctx.literal(node, at)
        if name == "make_blobs" and isinstance(count, list | tuple):
            count = len(count)  # the centres' coordinates
        return _class_indices(count if _is_count(count) else None, call)  # type: ignore[arg-type]

    def _keras_dataset(self, call: ast.Call, at: ast.stmt, name: str) -> Values | None:
        if name not in known.KERAS_DATASETS:
            return None
        targets: known.Targets | None = known.KERAS_DATASETS[name]
        label_mode = keyword(call, "label_mode")
        if name == "cifar100" and label_mode is not None:
            mode = self.ctx.literal(label_mode, at)
            targets = known.CIFAR100_LABEL_MODES.get(mode) if isinstance(mode, str) else None
        return Values.of(targets, call) if targets is not None else None

    def _tfds(self, call: ast.Call, at: ast.stmt, path: tuple[int, ...]) -> Flowing | None:
        name = self.ctx.literal(argument(call, 0, "name"), at)
        targets = known.tfds_targets(name) if isinstance(name, str) else None
        if targets is None or self.ctx.literal(keyword(call, "as_supervised"), at) is not True:
            return None
        if self.ctx.literal(keyword(call, "with_info"), at) is True:
            if not path or path[0] != 0:
                return None
            path = path[1:]
        pairs = Pairs(Values.of(targets, call))
        split = keyword(call, "split")
        if split is None:
            return None if path else Splits(pairs)
        if isinstance(self.ctx.literal(split, at), list | tuple):
            return pairs if len(path) == 1 else None
        return None if path else pairs

    # -- values made by a call ------------------------------------------------------------------

    def _made(self, call: ast.Call, at: ast.stmt, depth: int) -> Flowing | None:
        qualified = self.ctx.qualified(call.func, at)
        if qualified is None:
            if isinstance(call.func, ast.Attribute):
                return self._method(call, call.func, at, depth)
            return None
        first = call.args[0] if call.args and not isinstance(call.args[0], ast.Starred) else None
        for made in (self._encoded, self._data_set, self._random, self._converted):
            found = made(call, qualified, first, at, depth)
            if found is not None:
                return found
        return None

    def _encoded(
        self, call: ast.Call, path: str, first: ast.AST | None, at: ast.stmt, depth: int
    ) -> Flowing | None:
        """One-hot encodings, argmax back to indices, scikit-learn encoder objects."""
        if path in functions.ONE_HOT:
            return self._one_hot_of(call, first, functions.ONE_HOT[path], at, depth)
        if path.startswith("keras.") and path.endswith(".to_categorical"):
            return self._one_hot_of(call, first, (1, "num_classes"), at, depth)
        if path == functions.GET_DUMMIES:
            dropping = keyword(call, "drop_first")
            if dropping is not None and self.ctx.literal(dropping, at) is not False:
                return None  # a column fewer than classes: no one-hot rows
            return self._one_hot_of(call, first, None, at, depth)
        if path in functions.ARGMAX:
            return _indices_of(self.value(first, at, (), depth), call)
        if path in functions.PAD_SEQUENCES:
            if first is None or not self._token_ids(first, at, depth):
                return None  # sequences of something else: of one-hot rows, say
            return _class_indices(None, call)  # token ids, as many classes as words
        if path.startswith(_SKLEARN_PREPROCESSING):
            name = path.rsplit(".", 1)[-1]
            if name == functions.MIN_MAX_SCALER:
                return Encoder(name, self._feature_range(call, at))
            if name in functions.ENCODERS:
                return Encoder(name)
        return None

    def _one_hot_of(
        self,
        call: ast.Call,
        first: ast.AST | None,
        classes_argument: tuple[int, str] | None,
        at: ast.stmt,
        depth: int,
    ) -> Values:
        count = None
        if classes_argument is not None:
            count = self.ctx.literal(argument(call, *classes_argument), at)
        if _is_count(count):
            return _one_hot(count, call)  # type: ignore[arg-type]
        inner = self.value(first, at, (), depth)
        return replace(_one_hot(_class_count(inner), call), sampled=_sampled(inner))

    def _feature_range(self, call: ast.Call, at: ast.stmt) -> ValueRange | None:
        node = argument(call, 0, "feature_range")
        if node is None:
            return ValueRange(0, 1)
        bounds = self.ctx.literal(node, at)
        if isinstance(bounds, tuple | list) and len(bounds) == 2 and all(map(_is_number, bounds)):
            return ValueRange(float(bounds[0]), float(bounds[1]))
        return None

    def _data_set(
        self, call: ast.Call, path: str, first: ast.AST | None, at: ast.stmt, depth: int
    ) -> Flowing | None:
        if path.startswith(_TORCHVISION_DATASETS):
            targets = known.TORCHVISION_DATASETS.get(path.rsplit(".", 1)[-1])
            transformed = keyword(call, "target_transform")
            if transformed is not None and not is_none(transformed):
                return None  # `target_transform=lambda y: one_hot(y)`: other targets
            return Pairs(Values.of(targets, call)) if targets is not None else None
        if path == _TFDS_LOAD:
            return self._tfds(call, at, ())
        if path.startswith("sklearn.datasets."):
            name = path.rsplit(".", 1)[-1]
            loader = known.SKLEARN_LOADERS.get(name)
            if loader is None or self.ctx.literal(keyword(call, "return_X_y"), at) is True:
                return None
            return Bunch(self._sklearn_loader(call, at, name))
        if path in functions.FROM_TENSOR_SLICES:
            targets = self.value(argument(call, 0, "tensors"), at, (1,), depth)
            return Pairs(targets) if isinstance(targets, Values) else None
        if path in functions.TENSOR_DATASETS and len(call.args) == 2:
            targets = self.value(call.args[1], at, (), depth)
            return Pairs(targets) if isinstance(targets, Values) else None
        if path in functions.DATA_LOADERS:
            found = self.value(argument(call, 0, "dataset"), at, (), depth)
            return found if isinstance(found, Pairs) else None
        if path in functions.TF_TUTORIAL_MNIST:
            return self._tutorial_mnist(call, at)
        if path in functions.PLACEHOLDERS:
            return self._fed(call, at, depth)
        if path in functions.DIRECTORY_LOADERS:
            return self._from_directory(call, at, functions.DIRECTORY_LOADERS[path])
        return None

    def _from_directory(
        self, call: ast.Call, at: ast.stmt, mode_keyword: tuple[str, str]
    ) -> Pairs | None:
        """The batches a Keras loader reads from a folder of class folders give: their labels'
        form from `class_mode=` or `label_mode=` (two classes when "binary")."""
        keyword_name, default = mode_keyword
        given = keyword(call, keyword_name) or self.ctx.keyword_argument(call, keyword_name, at)
        if given is None and self.ctx.unpacks_unknown_keywords(call, at):
            return None  # `flow_from_dataframe(**args)`: the mode may be among them
        mode = default if given is None else self.ctx.literal(given, at)
        if mode == functions.BINARY_LABEL_MODE:
            return Pairs(_class_indices(2, call))
        if mode == functions.ONE_HOT_LABEL_MODE:
            if called_name(call) in functions.MULTI_LABEL_LOADER_METHODS:
                return None  # a column of tag lists gives rows with several ones
            return Pairs(_one_hot(None, call))
        if mode in functions.INDEX_LABEL_MODES:
            return Pairs(_class_indices(None, call))
        return None

    def _tutorial_mnist(self, call: ast.Call, at: ast.stmt) -> Splits | None:
        one_hot = argument(call, 2, "one_hot")
        encoded = False if one_hot is None else self.ctx.literal(one_hot, at)
        if not isinstance(encoded, bool):
            return None
        classes = functions.TF_TUTORIAL_MNIST_CLASSES
        return Splits(Pairs(_one_hot(classes, call) if encoded else _class_indices(classes, call)))

    def _fed(self, placeholder: ast.Call, at: ast.stmt, depth: int) -> Values | None:
        """What a session feeds the placeholder `y = tf.placeholder(...)`: the values every
        `feed_dict={y: ...}` of the module that the flow can read gives it, when they agree."""
        if not (isinstance(at, ast.Assign) and at.value is placeholder and len(at.targets) == 1):
            return None
        target = at.targets[0]
        if not isinstance(target, ast.Name):
            return None
        fed = [
            found
            for value, statement in self._fed_to(target.id, at)
            if isinstance(found := self.value(value, statement, (), depth), Values)
        ]
        agreed = {(values.format, values.num_classes) for values in fed}
        return fed[0] if len(agreed) == 1 else None

    def _fed_to(self, name: str, bound_at: ast.stmt) -> Iterable[tuple[ast.expr, ast.stmt]]:
        """(value, statement) of each feed of the module's sessions to `name` as `bound_at`
        binds it."""
        for call, statement in self.ctx.index.calls:
            feeds = self._feeds(call, statement)
            for key, value in zip(feeds.keys, feeds.values, strict=True) if feeds else ():
                if not isinstance(key, ast.Name) or key.id != name:
                    continue
                binding = self.ctx.index.lookup(name, statement)
                if binding is not None and binding.statement is bound_at:
                    yield value, statement

    def _feeds(self, call: ast.Call, at: ast.stmt) -> ast.Dict | None:
        """The dict literal a session run is fed: `feed_dict={...}`, `sess.run(op, {...})`, or
        a name bound to one."""
        feeds = keyword(call, "feed_dict")
        method = call.func.attr if isinstance(call.func, ast.Attribute) else None
        if feeds is None and method == "run" and len(call.args) > 1:
            feeds = call.args[1]
        if feeds is None or method not in functions.FEED_METHODS:
            return None
        if isinstance(feeds, ast.Name):
            binding = self.ctx.value_binding(feeds.id, at)
            feeds = binding.value if binding is not None else None
        return feeds if isinstance(feeds, ast.Dict) else None

    def _random(
        self, call: ast.Call, path: str, first: ast.AST | None, at: ast.stmt, depth: int
    ) -> Flowing | None:
        if path in functions.RANDOM_INTEGERS:
            return self._random_integers(call, path, at)
        if path in functions.TF_RANDOM_UNIFORM:
            dtype = argument(call, 3, "dtype")
            if dtype is None or self.ctx.qualified(dtype, at) not in functions.INTEGER_DTYPES:
                return None  # real values, whose range a fraction of a class tells nothing of
            return self._random_integers(call, path, at)
        if path == functions.RANDOM_CHOICE:
            if not self._one_column(argument(call, 1, "size"), at):
                return None
            population = self.ctx.literal(first, at)
            if _is_count(population):
                return replace(_class_indices(population, call), sampled=True)  # type: ignore[arg-type]
            return _literal_values(population, call)
        if path in functions.RANDOM_UNIT_INTERVAL:
            return replace(_continuous(0, 1, call), sampled=True)
        if path in functions.RANDOM_UNBOUNDED:
            return replace(_continuous(-math.inf, math.inf, call), sampled=True)
        if path == functions.RANDOM_UNIFORM:
            low = self._number(argument(call, 0, "low"), at, depth, default=0.0)
            high = self._number(argument(call, 1, "high"), at, depth, default=1.0)
            if low is None or high is None:
                return None
            return replace(_continuous(min(low, high), max(low, high), call), sampled=True)
        if path in functions.LINSPACES:
            start = self._number(argument(call, 0, "start"), at, depth)
            stop = self._number(argument(call, 1, "stop" if "numpy" in path else "end"), at, depth)
            if start is None or stop is None:
                return None
            return _continuous(min(start, stop), max(start, stop), call)
        return None

    def _random_integers(self, call: ast.Call, path: str, at: ast.stmt) -> Values | None:
        """numpy.random.randint(low, high=None, size) and torch.randint([low,] high, size)."""
        low_node, high_node, size = _randint_arguments(call, path)
        low = 0 if low_node is None else self.ctx.literal(low_node, at)
        high = self.ctx.literal(high_node, at)
        if not (isinstance(low, int) and isinstance(high, int)) or not 0 <= low < high:
            return None
        one_column = self._one_column(size, at)
        if not one_column:
            # randint(0, 2, (n, k)): k yes/no labels per sample, not class indices.
            if one_column is False and (low, high) == (0, 2):
                return Values(TargetKind.CLASSES, LabelFormat.UNKNOWN, None, ValueRange(0, 1), call)
            return None
        if low == 0:
            return replace(_class_indices(high, call), sampled=True)
        value_range = ValueRange(low, high - 1)
        return Values(TargetKind.CLASSES, LabelFormat.INTEGER, None, value_range, call, False, True)

    def _one_column(self, size: ast.AST | None, at: ast.stmt) -> bool | None:
        """Whether a `size=` gives one value per sample: True, False, or None when unknown."""
        if size is None or isinstance(size, ast.Call | ast.Subscript | ast.Attribute):
            return True  # a scalar, len(x), x.shape[0]
        shape = self.ctx.literal(size, at)
        if _is_integer(shape):
            return True
        if isinstance(size, ast.Tuple | ast.List):
            dims = size.elts
            last = self.ctx.literal(dims[-1], at) if dims else None
            return len(dims) == 1 or last == 1 or (None if last is None else False)
        if isinstance(shape, tuple | list):
            return len(shape) == 1 or shape[-1] == 1
        return None

    def _converted(
        self, call: ast.Call, path: str, first: ast.AST | None, at: ast.stmt, depth: int
    ) -> Flowing | None:
        """Conversions that keep the values, `where(cond, a, b)`, real-valued functions."""
        if path in functions.KEEPING_FUNCTIONS:
            found = self._kept(self.value(first, at, (), depth))
            if isinstance(found, Values) and found.sequence:
                return replace(found, node=call, sequence=False)  # np.array([0, 1, 1, 0])
            return found
        if path in functions.WHERE and len(call.args) == 3:
            choices = [self._number(arg, at, depth) for arg in call.args[1:]]
            if None in choices:
                return None
            return _literal_values(choices, call)
        module, _, name = path.rpartition(".")
        if module not in functions.ELEMENTWISE_MODULES:
            return None
        inner = self.value(first, at, (), depth)
        if not isinstance(inner, Values) or inner.kind is not TargetKind.CONTINUOUS:
            return None
        if name in functions.BOUNDED:
            return _continuous(*functions.BOUNDED[name], call)
        if name in functions.MONOTONIC:
            mapped = _monotonic(inner.value_range, getattr(math, name))
            return Values(TargetKind.CONTINUOUS, LabelFormat.UNKNOWN, None, mapped, call)
        return None

    def _kept(self, found: Flowing | None) -> Flowing | None:
        return found if isinstance(found, Values | Pairs) else None

    def _method(
        self, call: ast.Call, func: ast.Attribute, at: ast.stmt, depth: int
    ) -> Flowing | None:
        method, receiver = func.attr, func.value
        first = call.args[0] if call.args and not isinstance(call.args[0], ast.Starred) else None
        if method in functions.KEEPING_METHODS:
            return self._kept(self.value(receiver, at, (), depth))
        if method == "map":
            found = self.value(receiver, at, (), depth)
            if isinstance(found, Pairs) and self._keeps_labels(first, at):
                return found
            return None
        if method == "argmax":
            return _indices_of(self.value(receiver, at, (), depth), call)
        if method in functions.DIRECTORY_LOADER_METHODS:  # `ImageDataGenerator().flow_from_...`
            return self._from_directory(call, at, functions.DIRECTORY_LOADER_METHODS[method])
        if method in ("max", "min") and not call.args:
            return _extreme(self.value(receiver, at, (), depth), method)
        encoder = self.value(receiver, at, (), depth)
        if not isinstance(encoder, Encoder):
            return None
        if method == "fit":
            return encoder
        if method in ("fit_transform", "transform"):
            return _transformed(encoder, self.value(first, at, (), depth), call)
        return None

    def _keeps_labels(self, function: ast.AST | None, at: ast.stmt) -> bool:
        """`ds.map(f)` where f(x, y) returns (something, y): the labels go through unchanged."""
        if isinstance(function, ast.Lambda):
            return _returns_second_parameter(function.args, [function.body])
        if isinstance(function, ast.Name):
            binding = self.ctx.value_binding(function.id, at)
            definition = binding.value if binding is not None else None
            if isinstance(definition, ast.FunctionDef):
                returns = self.ctx.index.returns(definition)
                values = [statement.value for statement in returns]
                return (
                    bool(values)
                    and _returns_second_parameter(definition.args, values)
                    and all(self._parameter_unchanged(definition, ret) for ret in returns)
                )
        return False

    def _parameter_unchanged(self, function: ast.FunctionDef, returned: ast.Return) -> bool:
        """Whether the second parameter still holds what was passed where `returned` runs: not
        `y = tf.one_hot(y, 10)` first."""
        label = [*function.args.posonlyargs, *function.args.args][1].arg
        binding = self.ctx.index.lookup(label, returned)
        return binding is not None and binding.value is None and binding.statement is function

    # -- attributes, subscripts, arithmetic ------------------------------------------------------

    def _attribute(self, expr: ast.Attribute, at: ast.stmt, depth: int) -> Flowing | None:
        binding = self.ctx.self_attribute_at(expr, at)
        if binding is not None:  # `self.y`, as its class assigns it
            return self.value(binding.value, binding.statement, (), depth)
        if expr.attr == "values":
            return self._kept(self.value(expr.value, at, (), depth))
        if expr.attr in ("target", "targets", "labels"):
            found = self.value(expr.value, at, (), depth)
            if isinstance(found, Bunch | Pairs):
                return found.targets
        if expr.attr in functions.TF_TUTORIAL_SPLITS:  # `mnist.train`
            found = self.value(expr.value, at, (), depth)
            return found.pairs if isinstance(found, Splits) else None
        return None

    def _subscript(self, expr: ast.Subscript, at: ast.stmt, depth: int) -> Flowing | None:
        """`np.eye(n)[y]` (one-hot), `y[:1000]` and `y[mask]` (the same labels), `d["target"]`."""
        value, index = expr.value, expr.slice
        is_call = isinstance(value, ast.Call)
        if is_call and self.ctx.qualified(value.func, at) in functions.IDENTITY_MATRICES:
            count = self.ctx.literal(argument(value, 0, "N"), at)
            if _is_count(count):
                return _one_hot(count, expr)  # type: ignore[arg-type]
            inner = self.value(index, at, (), depth)
            return replace(_one_hot(_class_count(inner), expr), sampled=_sampled(inner))
        if isinstance(index, ast.Constant) and isinstance(index.value, str):
            found = self.value(value, at, (), depth)
            if isinstance(found, Bunch) and index.value == "target":
                return found.targets
            return found.pairs if isinstance(found, Splits) else None
        if isinstance(index, ast.Tuple):  # `ids[:, -1]`: a column of class indices
            found = self.value(value, at, (), depth)
            integer = isinstance(found, Values) and found.format is LabelFormat.INTEGER
            return _selected(found) if integer else None  # type: ignore[arg-type]
        if isinstance(index, ast.Slice | ast.Name | ast.Compare | ast.Call | _MASK_OPERATIONS):
            found = self.value(value, at, (), depth)
            if not isinstance(found, Values):
                return None
            if isinstance(index, ast.Slice) or self._reorders(index, at):
                return found  # the same rows, or some of them in order
            return _selected(found)  # `y[y < 5]`, `y[np.where(...)]`: perhaps some classes
        return None

    def _reorders(self, index: ast.expr, at: ast.stmt) -> bool:
        """Whether an index array only shuffles rows: `idx = np.random.permutation(n)`."""
        if isinstance(index, ast.Name):
            binding = self.ctx.value_binding(index.id, at)
            if binding is None:
                return False
            index, at = binding.value, binding.statement  # type: ignore[assignment]
        if not isinstance(index, ast.Call):
            return False
        return self.ctx.qualified(index.func, at) in _PERMUTATIONS

    def _number(
        self, expr: ast.AST | None, at: ast.stmt, depth: int, default: float | None = None
    ) -> float | None:
        if expr is None:
            return default
        literal = self.ctx.literal(expr, at)
        if _is_number(literal):
            return float(literal)  # type: ignore[arg-type]
        found = self.value(expr, at, (), depth)
        return found if isinstance(found, float) else None

    def _arithmetic(self, expr: ast.BinOp, at: ast.stmt, depth: int) -> Flowing | None:
        operation = _OPERATIONS.get(type(expr.op))
        if operation is None:
            return None
        left, right = self.value(expr.left, at, (), depth), self.value(expr.right, at, (), depth)
        left_number = left if isinstance(left, float) else self._number(expr.left, at, depth)
        right_number = right if isinstance(right, float) else self._number(expr.right, at, depth)
        if left_number is not None and right_number is not None:
            return _finite(_apply(operation, left_number, right_number))
        if _is_sequence(left) or _is_sequence(right):
            repeated = self._repeated_literal(expr, at, left_number, right_number)
            return repeated or _sequence_arithmetic(left, right, expr)
        if isinstance(left, Values) and right_number is not None:
            return _scaled(left, expr.op, operation, ValueRange(right_number, right_number), expr)
        if isinstance(right, Values) and left_number is not None:
            number = ValueRange(left_number, left_number)
            return _scaled(right, expr.op, operation, number, expr, values_first=False)
        if isinstance(left, Values) and isinstance(right, Values):
            return _combined(left, right, operation, expr)
        return None

    def _negated(self, expr: ast.UnaryOp, at: ast.stmt, depth: int) -> Flowing | None:
        found = self.value(expr.operand, at, (), depth)
        if isinstance(found, float):
            return -found
        if isinstance(found, Values):
            return _scaled(found, ast.Mult(), operator.mul, ValueRange(-1, -1), expr)
        return None

    def _comparison(self, expr: ast.Compare, at: ast.stmt, depth: int) -> Values | None:
        """`y > 100`: an array of booleans, i.e. the class indices 0 and 1."""
        if len(expr.ops) != 1 or not isinstance(expr.ops[0], _ORDERINGS):
            return None
        sides = (expr.left, expr.comparators[0])
        if any(isinstance(self.value(side, at, (), depth), Values) for side in sides):
            return _class_indices(2, expr)
        return None

    def _token_ids(self, expr: ast.AST, at: ast.stmt, depth: int) -> bool:
        """Whether `expr` holds a tokenizer's id sequences: `tok.texts_to_sequences(texts)`,
        parts of them (`ids[:i + 1]`), or a list made empty and filled with those."""
        for _ in range(MAX_DEPTH - depth):
            if isinstance(expr, ast.Subscript):
                expr = expr.value
                continue
            if isinstance(expr, ast.Call):
                return called_name(expr) == functions.TEXTS_TO_SEQUENCES
            if not isinstance(expr, ast.Name):
                return False
            binding = self.ctx.value_binding(expr.id, at)
            if binding is None:
                return False
            if isinstance(binding.value, ast.List) and not binding.value.elts:
                appended = self._appended(expr.id, binding.statement)
                return bool(appended) and all(
                    self._token_ids(value, statement, depth + 1) for value, statement in appended
                )
            expr, at = binding.value, binding.statement  # type: ignore[assignment]
        return False

    def _appended(self, name: str, made: ast.stmt) -> list[tuple[ast.expr, ast.stmt]] | None:
        """What `name.append(...)` adds in the scope that makes the list `name`; None when
        anything else changes it."""
        found = []
        for call, statement in self.ctx.methods_called_on(name, self.ctx.index.scope_of(made).node):
            if call.func.attr != "append" or len(call.args) != 1 or call.keywords:  # type: ignore[attr-defined]
                return None
            found.append((call.args[0], statement))
        return found

    def _repeated_literal(
        self, expr: ast.BinOp, at: ast.stmt, left: float | None, right: float | None
    ) -> Values | None:
        """`[0, 1] * 50`: the list it makes, read as a literal (fifty samples of two classes,
        where `[0, 1]` alone may be one sample's one-hot row)."""
        literal, count = (expr.left, right) if left is None else (expr.right, left)
        if not isinstance(expr.op, ast.Mult) or not isinstance(literal, ast.List | ast.Tuple):
            return None
        if (
            count is None
            or count != int(count)
            or not 1 <= count * len(literal.elts) <= _MAX_REPEATED
        ):
            return None
        items = self.ctx.literal(literal, at)
        if not isinstance(items, list | tuple):
            return None
        found = _literal_values(list(items) * int(count), expr)
        return replace(found, sequence=True) if found is not None else None

    def _literal(self, expr: ast.AST, at: ast.stmt) -> Values | None:
        found = _literal_values(self.ctx.literal(expr, at), expr)
        return replace(found, sequence=True) if found is not None else None


# -- what steps do to values (pure functions) ---------------------------------------------------

_OPERATIONS: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_ORDERINGS = (ast.Gt, ast.GtE, ast.Lt, ast.LtE)
_MAX_REPEATED = 100_000  # elements of a repeated list literal read as a whole


def _made_in(found: Flowing | None, ctx: ModuleContext) -> Flowing | None:
    """Labels read in another module, marked with it: their node is that module's."""
    if isinstance(found, Values) and found.made_in is None:
        return replace(found, made_in=ctx)
    if isinstance(found, Pairs):
        return Pairs(_made_in(found.targets, ctx))  # type: ignore[arg-type]
    return None if isinstance(found, Splits | Bunch) else found


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_count(value: object) -> bool:
    return _is_integer(value) and value > 0  # type: ignore[operator]


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _apply(operation: Callable[[float, float], float], left: float, right: float) -> float | None:
    try:
        result = operation(left, right)
    except (ZeroDivisionError, OverflowError, ValueError):
        return None
    return result if isinstance(result, float | int) and not math.isnan(result) else None


def _class_count(found: Flowing | None) -> int | None:
    if isinstance(found, Values) and found.kind is TargetKind.CLASSES:
        return found.num_classes
    return None


def _indices_of(found: Flowing | None, node: ast.AST) -> Values | None:
    """argmax over one-hot rows: the class indices."""
    if isinstance(found, Values) and found.format is LabelFormat.ONE_HOT:
        return replace(_class_indices(found.num_classes, node), sampled=found.sampled)
    return None


def _sampled(found: Flowing | None) -> bool:
    return isinstance(found, Values) and found.sampled


def _extreme(found: Flowing | None, which: str) -> float | None:
    """`y.max()`: a number when the values' range is known and finite."""
    if not isinstance(found, Values) or found.value_range is None:
        return None
    value = found.value_range.high if which == "max" else found.value_range.low
    return float(value) if math.isfinite(value) else None


def _transformed(encoder: Encoder, found: Flowing | None, node: ast.AST) -> Values | None:
    """What `encoder.fit_transform(values)` returns."""
    if encoder.name == functions.LABEL_ENCODER:
        return replace(_class_indices(_class_count(found), node), sampled=_sampled(found))
    if encoder.name == functions.ONE_HOT_ENCODER:
        return replace(_one_hot(_class_count(found), node), sampled=_sampled(found))
    kind = found.kind if isinstance(found, Values) else TargetKind.UNKNOWN
    if encoder.name == functions.MIN_MAX_SCALER and encoder.output_range is not None:
        return Values(kind, LabelFormat.UNKNOWN, None, encoder.output_range, node)
    if encoder.name == functions.STANDARD_SCALER and kind is TargetKind.CONTINUOUS:
        return _continuous(-math.inf, math.inf, node)
    return None


def _monotonic(
    value_range: ValueRange | None, function: Callable[[float], float]
) -> ValueRange | None:
    if value_range is None:
        return None
    try:
        low, high = function(value_range.low), function(value_range.high)
    except (ValueError, OverflowError):
        return None
    return ValueRange(low, high) if not (math.isnan(low) or math.isnan(high)) else None


def _interval(
    operation: Callable[[float, float], float], left: ValueRange, right: ValueRange
) -> ValueRange | None:
    """The range of `left <op> right` for every pair of values in the two ranges."""
    if operation is operator.pow:
        return _power(left, right)
    if operation is operator.truediv and right.low <= 0 <= right.high:
        return None
    corners = [
        _apply(operation, a, b) for a in (left.low, left.high) for b in (right.low, right.high)
    ]
    if None in corners:
        return None
    return ValueRange(min(corners), max(corners))  # type: ignore[type-var]


def _power(base: ValueRange, exponent: ValueRange) -> ValueRange | None:
    if exponent.low != exponent.high or exponent.low not in (2, 3):
        return None
    power = int(exponent.low)
    ends = [base.low**power, base.high**power]
    low = 0.0 if power == 2 and base.low < 0 < base.high else min(ends)
    return ValueRange(low, max(ends))


def _scaled(
    values: Values,
    op: ast.operator,
    operation: Callable[[float, float], float],
    number: ValueRange,
    node: ast.AST,
    values_first: bool = True,
) -> Values | None:
    """`values <op> number` (or `number <op> values`): same kind, moved range."""
    if values.value_range is None:
        mapped = None
    elif values_first:
        mapped = _interval(operation, values.value_range, number)
    else:
        mapped = _interval(operation, number, values.value_range)
    if values.kind is TargetKind.CONTINUOUS:
        return Values(TargetKind.CONTINUOUS, LabelFormat.UNKNOWN, None, mapped, node)
    if values.kind is not TargetKind.CLASSES:
        return None
    count = values.num_classes
    if isinstance(op, ast.Mult | ast.Div) and number.low == 0:
        return None  # every label the same value
    if isinstance(op, ast.Pow):
        count = None  # -1 and 1 both square to 1
    sampled = values.sampled
    if mapped is not None and isinstance(op, ast.Add | ast.Sub) and mapped.low == 0:
        # Shifted onto indices from 0: `y - 1` for labels 1..n, `y + 1` for -1/0/1.
        if values.format is LabelFormat.INTEGER and float(mapped.high).is_integer():
            indices = _class_indices(int(mapped.high) + 1, node)
            return replace(indices, value_range=mapped, sampled=sampled)
        if count is not None and mapped.high == count - 1:
            return replace(_class_indices(count, node), sampled=sampled)
    return Values(TargetKind.CLASSES, LabelFormat.UNKNOWN, count, mapped, node, sampled=sampled)


def _randint_arguments(
    call: ast.Call, path: str
) -> tuple[ast.AST | None, ast.AST | None, ast.AST | None]:
    """(low, high, size) of numpy's randint(low, high=None, size), torch's
    randint([low,] high, size) or TensorFlow's uniform(shape, minval, maxval): None where not
    given (low then defaults to 0)."""
    positional = [arg for arg in call.args if not isinstance(arg, ast.Starred)]
    if path in functions.TF_RANDOM_UNIFORM:  # uniform(shape, minval=0, maxval=None, dtype)
        return argument(call, 1, "minval"), argument(call, 2, "maxval"), argument(call, 0, "shape")
    low, high, size = keyword(call, "low"), keyword(call, "high"), keyword(call, "size")
    if path == "torch.randint":
        shapes = [arg for arg in positional if isinstance(arg, ast.Tuple | ast.List)]
        numbers = [arg for arg in positional if arg not in shapes]
        size = size or (shapes[0] if shapes else None)
        if high is None and len(numbers) == 1:
            high = numbers[0]
        elif high is None and len(numbers) >= 2:
            low, high = numbers[0], numbers[1]
            size = size or (numbers[2] if len(numbers) > 2 else None)
        return low, high, size
    low = low or (positional[0] if positional else None)
    high = high or (positional[1] if len(positional) > 1 else None)
    size = size or (positional[2] if len(positional) > 2 else None)
    return (None, low, size) if high is None else (low, high, size)


def _is_sequence(found: Flowing | None) -> bool:
    return isinstance(found, Values) and found.sequence


def _sequence_arithmetic(
    left: Flowing | None, right: Flowing | None, node: ast.BinOp
) -> Values | None:
    """`[0, 1] * 50` repeats the list: the same values. Anything else on lists is not read."""
    if not isinstance(node.op, ast.Mult):
        return None
    sequence = left if isinstance(left, Values) else right
    count = right if sequence is left else left
    if not isinstance(sequence, Values) or not isinstance(count, float) or count < 1:
        return None
    return replace(sequence, node=node)


def _combined(
    left: Values, right: Values, operation: Callable[[float, float], float], node: ast.AST
) -> Values | None:
    """Two arrays combined: real values as soon as one of them is (`x ** 2 + noise`)."""
    if TargetKind.CONTINUOUS not in (left.kind, right.kind):
        return None
    mapped = None
    known_ranges = left.value_range is not None and right.value_range is not None
    if known_ranges and operation in (operator.add, operator.sub, operator.mul):
        mapped = _interval(operation, left.value_range, right.value_range)  # type: ignore[arg-type]
    return Values(TargetKind.CONTINUOUS, LabelFormat.UNKNOWN, None, mapped, node)


def _returns_second_parameter(arguments: ast.arguments, returned: Iterable[ast.AST | None]) -> bool:
    parameters = [*arguments.posonlyargs, *arguments.args]
    if len(parameters) != 2:
        return False
    label = parameters[1].arg
    return all(
        isinstance(value, ast.Tuple)
        and len(value.elts) == 2
        and isinstance(value.elts[1], ast.Name)
        and value.elts[1].id == label
        for value in returned
    )


def _flat_numbers(value: object) -> tuple[list[float], int] | None:
    """A literal array's numbers and its row width (1 for a flat list or a column)."""
    if not isinstance(value, list | tuple) or not value:
        return None
    if all(isinstance(row, list | tuple) for row in value):
        widths = {len(row) for row in value}
        if len(widths) != 1:
            return None
        width = widths.pop()
        numbers = [item for row in value for item in row]
    else:
        width, numbers = 1, list(value)
    if not numbers or len(numbers) > _MAX_LITERAL_VALUES:
        return None
    if not all(isinstance(item, int | float) for item in numbers):
        return None  # strings, nested deeper, None...
    return [float(item) for item in numbers], width


def _literal_values(value: object, node: ast.AST) -> Values | None:
    """What an array literal holds: class indices, one-hot rows, or real values."""
    found = _flat_numbers(value)
    if found is None:
        return None
    numbers, width = found
    value_range = ValueRange(min(numbers), max(numbers))
    if any(number != int(number) for number in numbers):
        return Values(TargetKind.CONTINUOUS, LabelFormat.UNKNOWN, None, value_range, node)
    distinct = {int(number) for number in numbers}
    if width > 1:
        if distinct <= {0, 1}:
            rows = [numbers[start : start + width] for start in range(0, len(numbers), width)]
            if all(sum(row) == 1 for row in rows):
                return replace(_one_hot(width, node), sampled=True)
            return Values(TargetKind.CLASSES, LabelFormat.UNKNOWN, None, value_range, node)
        return None  # several integer outputs: not labels this module knows
    if distinct == {0, 1} and sum(numbers) == 1:
        # `[0, 1]`, `[0, 0, 1]`: class indices of a few samples, or one sample's one-hot row
        return Values(TargetKind.CLASSES, LabelFormat.UNKNOWN, None, value_range, node)
    if min(distinct) >= 0:
        # Every index from 0 up: as many distinct values as the largest plus one (not a set of
        # them all, which `[147589877]` would make 10^8 long).
        count = max(distinct) + 1 if len(distinct) == max(distinct) + 1 else None
        return replace(_class_indices(count, node), value_range=value_range, sampled=True)
    unknown = LabelFormat.UNKNOWN
    return Values(TargetKind.CLASSES, unknown, len(distinct), value_range, node, sampled=True)


def _is_method(func: ast.expr, name: str) -> bool:
    return isinstance(func, ast.Attribute) and func.attr == name
