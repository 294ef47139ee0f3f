"""A module as the Keras front end reads it: a `ModuleContext` plus what Keras needs."""

from __future__ import annotations

import ast

from logitguard.static.engine.context import ModuleContext
from logitguard.static.engine.imports import canonical
from logitguard.static.engine.module import ParsedModule
from logitguard.static.engine.project import Project
from logitguard.static.frameworks.keras.backend import declared_backend

# TF1-style graph mode, in which tf.keras resolves 'accuracy' by the loss.
_GRAPH_MODE_SWITCHES = frozenset(
    {"tensorflow.disable_eager_execution", "tensorflow.disable_v2_behavior"}
)
_GRAPH_MODE_NAMES = tuple(path.rsplit(".", 1)[1] for path in _GRAPH_MODE_SWITCHES)
# What TF1's graph API names at `tensorflow.` itself: TF 2 moved them to `tf.compat.v1`.
_TF1_GRAPH_NAMES = ("placeholder", "Session", "InteractiveSession", "initialize_all_variables")
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class KerasContext(ModuleContext):
    """A module as the Keras front end reads it: how it names keras, which backend it declares,
    whether it runs in TF1 graph mode."""

    def __init__(self, module: ParsedModule, project: Project | None = None) -> None:
        super().__init__(module, project)
        self.keras_prefix = _keras_prefix(module)
        self.backend = declared_backend(module)
        switches = self.index.calls_by_name
        self.graph_mode = any(
            self.resolver.resolve(call.func) in _GRAPH_MODE_SWITCHES
            for name in _GRAPH_MODE_NAMES
            for call, _ in switches.get(name, ())
        )
        self.tensorflow_before_2 = any(
            _at_tensorflow_itself(call.func, module)
            for name in _TF1_GRAPH_NAMES
            for call, _ in switches.get(name, ())
        )

    def calls_of_functions(
        self,
    ) -> list[tuple[ast.Call, ast.stmt, KerasContext, ast.FunctionDef | ast.AsyncFunctionDef]]:
        """The calls of the file that hand a function of the project something, with the
        function and its file: found once per file."""
        found = self.analyses.get("calls of project functions")
        if not isinstance(found, list):
            found = self.analyses["calls of project functions"] = [
                (call, at, *target)
                for call, at in self.index.calls
                if (call.args or call.keywords)
                and (target := self.called_function(call, at)) is not None
            ]
        return found

    def called_function(
        self, call: ast.Call, at: ast.stmt
    ) -> tuple[KerasContext, ast.FunctionDef | ast.AsyncFunctionDef] | None:
        """The function of this file or of another project file that `call` runs: a
        function, or a static method called through its class (`Backend.get_grads(...)`)."""
        found = self.definition(call.func, at)
        if found is None and _through_a_class(call.func):
            owner = self.definition(call.func.value, at)  # type: ignore[attr-defined]
            if owner is not None and isinstance(owner[1], ast.ClassDef):
                found = owner[0], _static_method(owner[1], call.func.attr)  # type: ignore[attr-defined,assignment]
        if found is None or not isinstance(found[1], _FUNCTIONS):
            return None
        return found[0], found[1]


def _through_a_class(func: ast.expr) -> bool:
    """`Backend.grads`: an attribute of a name spelt as classes are (most calls are methods
    of objects, `model.fit`, or library functions, `keras.layers.Dense`: not worth a lookup)."""
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id.lstrip("_")[:1].isupper()
    )


def _static_method(class_def: ast.ClassDef, name: str) -> ast.AST | None:
    """A method of the class's own body that takes no `self` or `cls`: called through the
    class, it is handed every argument."""
    for node in class_def.body:
        if isinstance(node, _FUNCTIONS) and node.name == name:
            static = any(
                isinstance(decorator, ast.Name) and decorator.id == "staticmethod"
                for decorator in node.decorator_list
            )
            return node if static else None
    return None


def _at_tensorflow_itself(func: ast.expr, module: ParsedModule) -> bool:
    """`tf.placeholder` with `import tensorflow as tf`, not `tf.compat.v1.placeholder`."""
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and module.resolver.aliases.get(func.value.id) == "tensorflow"
    )


def _keras_prefix(module: ParsedModule) -> str | None:
    """How this file can name the keras package in a rewrite: `keras`, `tf.keras` or None."""
    aliases = module.resolver.aliases
    keras_names = sorted(name for name, path in aliases.items() if canonical(path) == "keras")
    tensorflow_names = sorted(name for name, path in aliases.items() if path == "tensorflow")
    if tensorflow_names and (not keras_names or _uses_tf_keras(module, tensorflow_names)):
        return f"{tensorflow_names[0]}.keras"
    return keras_names[0] if keras_names else None


def _uses_tf_keras(module: ParsedModule, tensorflow_names: list[str]) -> bool:
    return any(f"{name}.keras." in module.source for name in tensorflow_names)
