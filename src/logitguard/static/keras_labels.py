"""Labels given to `fit()`, as far as the file shows them.

Labels are known when they come from `to_categorical`/`one_hot` (one-hot) or from a data set
whose targets are class indices (scikit-learn's loaders, `keras.datasets`), possibly through
`train_test_split`, slicing or `.astype()`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from logitguard.core.facts import LabelFormat, Labels
from logitguard.static.ast_tools import argument, keyword
from logitguard.static.keras_bindings import UNCERTAIN
from logitguard.static.keras_context import MAX_DEPTH, KerasContext

SKLEARN_LOADER_CLASSES = {
    "load_digits": 10,
    "load_breast_cancer": 2,
    "load_wine": 3,
    "load_iris": 3,
}
SKLEARN_TWO_CLASS_GENERATORS = frozenset({"make_moons", "make_circles"})
KERAS_DATASET_CLASSES = {
    "mnist": 10,
    "fashion_mnist": 10,
    "cifar10": 10,
    "cifar100": 100,
    "imdb": 2,
    "reuters": 46,
}
_CIFAR100_COARSE_CLASSES = 20
_ONE_HOT_FUNCTIONS = {"tensorflow.one_hot": "depth", "keras.ops.one_hot": "num_classes"}
# Label transformations that keep the format (integer stays integer, one-hot stays one-hot).
_LABEL_KEEPING_METHODS = frozenset({"astype", "flatten", "ravel", "copy", "squeeze", "to_numpy"})
_LABEL_KEEPING_FUNCTIONS = frozenset(
    {
        "numpy.array",
        "numpy.asarray",
        "numpy.squeeze",
        "numpy.ravel",
        "tensorflow.convert_to_tensor",
        "tensorflow.cast",
        "tensorflow.constant",
    }
)
FIT_METHODS = frozenset({"fit", "evaluate", "train_on_batch", "test_on_batch"})


@dataclass(frozen=True)
class _Origin:
    format: LabelFormat
    node: ast.AST  # where the format was made: the to_categorical call, the loader call
    num_classes: int | None


class LabelReader:
    def __init__(self, ctx: KerasContext) -> None:
        self.ctx = ctx

    def of_fit(self, call: ast.Call, at: ast.stmt) -> Labels | None:
        """The labels of `model.fit(x, y)` / `fit(x=..., y=...)`, when the file shows them."""
        labels = argument(call, 1, "y")
        if labels is None:
            return None
        origin = self._origin(labels, at, (), 0)
        if origin is None:
            return None
        argument_text, origin_text = self.ctx.text(labels), self.ctx.text(origin.node)
        display = argument_text
        if argument_text != origin_text:
            display = f"{argument_text} (from {origin_text})"
        return Labels(origin.format, display, self.ctx.location(origin.node), origin.num_classes)

    def _origin(
        self, expr: ast.AST, at: ast.stmt, path: tuple[int, ...], depth: int
    ) -> _Origin | None:
        """Where `expr[path[0]][path[1]]...` comes from."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, ast.Name):
            binding = self.ctx.index.lookup(expr.id, at)
            if binding is None or binding is UNCERTAIN or binding.value is None:
                return None
            return self._origin(binding.value, binding.statement, binding.path + path, depth + 1)
        if isinstance(expr, ast.Tuple | ast.List) and path:
            if path[0] >= len(expr.elts) or isinstance(expr.elts[path[0]], ast.Starred):
                return None
            return self._origin(expr.elts[path[0]], at, path[1:], depth + 1)
        if isinstance(expr, ast.Call):
            if path:
                return self._loaded(expr, at, path, depth)
            return self._made(expr, at, depth)
        if path:
            return None
        if isinstance(expr, ast.Attribute):
            return self._attribute(expr, at, depth)
        if isinstance(expr, ast.Subscript):
            return self._subscript(expr, at, depth)
        return None

    def _made(self, call: ast.Call, at: ast.stmt, depth: int) -> _Origin | None:
        """Labels made by a call: one-hot encoding, or a conversion that keeps the format."""
        path = self.ctx.qualified(call.func, at) or ""
        if path.startswith("keras.") and path.endswith(".to_categorical"):
            return self._one_hot(call, at, argument(call, 1, "num_classes"))
        if path in _ONE_HOT_FUNCTIONS:
            return self._one_hot(call, at, argument(call, 1, _ONE_HOT_FUNCTIONS[path]))
        if path in _LABEL_KEEPING_FUNCTIONS and call.args:
            return self._origin(call.args[0], at, (), depth + 1)
        func = call.func
        if not path and isinstance(func, ast.Attribute) and func.attr in _LABEL_KEEPING_METHODS:
            return self._origin(func.value, at, (), depth + 1)
        return None

    def _one_hot(
        self,
        call: ast.Call,
        at: ast.stmt,
        classes_node: ast.AST | None,
        made: ast.AST | None = None,
    ) -> _Origin:
        classes = self.ctx.literal(classes_node, at)
        known = isinstance(classes, int) and not isinstance(classes, bool)
        return _Origin(LabelFormat.ONE_HOT, made or call, classes if known else None)  # type: ignore[arg-type]

    def _loaded(
        self, call: ast.Call, at: ast.stmt, path: tuple[int, ...], depth: int
    ) -> _Origin | None:
        """Labels unpacked from a data set loader, or passed through `train_test_split`."""
        qualified = self.ctx.qualified(call.func, at) or ""
        name = qualified.rsplit(".", 1)[-1]
        if qualified.startswith("sklearn."):
            return self._sklearn(call, at, name, path, depth)
        parts = qualified.split(".")
        if len(parts) == 4 and parts[:2] == ["keras", "datasets"] and parts[3] == "load_data":
            return self._keras_dataset(call, at, parts[2], path)
        return None

    def _sklearn(
        self, call: ast.Call, at: ast.stmt, name: str, path: tuple[int, ...], depth: int
    ) -> _Origin | None:
        if name == "train_test_split":
            arrays = call.args
            if any(isinstance(array, ast.Starred) for array in arrays):
                return None
            if path[0] // 2 >= len(arrays):
                return None
            return self._origin(arrays[path[0] // 2], at, path[1:], depth + 1)
        if path != (1,):
            return None
        if name in SKLEARN_LOADER_CLASSES:
            if self.ctx.literal(keyword(call, "return_X_y"), at) is not True:
                return None
            return _Origin(LabelFormat.INTEGER, call, SKLEARN_LOADER_CLASSES[name])
        if name in SKLEARN_TWO_CLASS_GENERATORS:
            return _Origin(LabelFormat.INTEGER, call, 2)
        if name == "make_classification":
            classes_node = keyword(call, "n_classes")
            classes = 2 if classes_node is None else self.ctx.literal(classes_node, at)
            return _Origin(LabelFormat.INTEGER, call, classes if isinstance(classes, int) else None)
        return None

    def _keras_dataset(
        self, call: ast.Call, at: ast.stmt, name: str, path: tuple[int, ...]
    ) -> _Origin | None:
        if name not in KERAS_DATASET_CLASSES or path not in ((0, 1), (1, 1)):
            return None
        classes: int | None = KERAS_DATASET_CLASSES[name]
        label_mode = keyword(call, "label_mode")
        if name == "cifar100" and label_mode is not None:
            mode = self.ctx.literal(label_mode, at)
            classes = {"fine": 100, "coarse": _CIFAR100_COARSE_CLASSES}.get(mode)  # type: ignore[arg-type]
        return _Origin(LabelFormat.INTEGER, call, classes)

    def _attribute(self, expr: ast.Attribute, at: ast.stmt, depth: int) -> _Origin | None:
        if expr.attr == "values":
            return self._origin(expr.value, at, (), depth + 1)
        if expr.attr == "target":
            return self._bunch_target(expr.value, at)
        return None

    def _subscript(self, expr: ast.Subscript, at: ast.stmt, depth: int) -> _Origin | None:
        """`np.eye(n)[y]` (one-hot), `y[:1000]` (same labels), `data["target"]`."""
        value, index = expr.value, expr.slice
        if isinstance(value, ast.Call) and self.ctx.qualified(value.func, at) == "numpy.eye":
            return self._one_hot(value, at, argument(value, 0, "N"), made=expr)
        if isinstance(index, ast.Slice):
            return self._origin(value, at, (), depth + 1)
        if isinstance(index, ast.Constant) and index.value == "target":
            return self._bunch_target(value, at)
        return None

    def _bunch_target(self, bunch: ast.AST, at: ast.stmt) -> _Origin | None:
        """`load_iris().target`, or `data.target` after `data = load_iris()`."""
        if isinstance(bunch, ast.Name):
            binding = self.ctx.value_binding(bunch.id, at)
            if binding is None:
                return None
            bunch, at = binding.value, binding.statement  # type: ignore[assignment]
        if not isinstance(bunch, ast.Call):
            return None
        qualified = self.ctx.qualified(bunch.func, at) or ""
        name = qualified.rsplit(".", 1)[-1]
        if not qualified.startswith("sklearn.") or name not in SKLEARN_LOADER_CLASSES:
            return None
        if self.ctx.literal(keyword(bunch, "return_X_y"), at) is True:
            return None
        return _Origin(LabelFormat.INTEGER, bunch, SKLEARN_LOADER_CLASSES[name])
