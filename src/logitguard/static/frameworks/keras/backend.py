"""Which Keras backend a module declares: the one thing rules need to know about the backend.

Keras 3 reads `KERAS_BACKEND` once, when `keras` is first imported, so an assignment counts only
before that import: `os.environ["KERAS_BACKEND"] = "jax"` or
`os.environ.setdefault("KERAS_BACKEND", "jax")`. `keras.config.set_backend("jax")` switches it
wherever it is called. A module that reaches Keras only through TensorFlow (`tf.keras`,
`tf_keras`) runs on TensorFlow. Anything else, and conflicting declarations, give None: the
backend is then whatever the machine is configured with.
"""

from __future__ import annotations

import ast
import math

from logitguard.static.engine.ast_tools import literal
from logitguard.static.engine.imports import ImportResolver
from logitguard.static.engine.module import ParsedModule

VARIABLE = "KERAS_BACKEND"
BACKENDS = frozenset({"tensorflow", "jax", "torch", "numpy", "openvino"})
_ENVIRON = "os.environ"
_ENVIRON_SETTERS = frozenset({"os.environ.setdefault", "os.putenv"})
_SET_BACKEND = "keras.config.set_backend"
_TENSORFLOW_KERAS_ROOTS = frozenset({"tensorflow", "tf_keras"})


def declared_backend(module: ParsedModule) -> str | None:
    resolver = module.resolver
    declared = _declarations(module) if _may_declare(module.source) else set()
    if declared:
        backend = declared.pop() if len(declared) == 1 else None
        return backend if isinstance(backend, str) and backend in BACKENDS else None
    raw_roots = {path.split(".")[0] for path in resolver.aliases.values()}
    if "keras" not in raw_roots and raw_roots & _TENSORFLOW_KERAS_ROOTS:
        return "tensorflow"
    return None


def _may_declare(source: str) -> bool:
    """Without these words no statement can set the backend: the tree need not be walked."""
    return VARIABLE in source or "set_backend" in source


def _declarations(module: ParsedModule) -> set[object]:
    """The backend values the module's assignments and calls declare."""
    resolver = module.resolver
    keras_imported_at = _first_keras_import(module.tree)
    declared: set[object] = set()
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Assign) and node.lineno < keras_imported_at:
            if any(_is_backend_variable(target, resolver) for target in node.targets):
                declared.add(literal(node.value, module.constants))
        elif isinstance(node, ast.Call) and node.args:
            path = resolver.resolve(node.func)
            if path == _SET_BACKEND:
                declared.add(literal(node.args[0], module.constants))
            elif (
                path in _ENVIRON_SETTERS
                and node.lineno < keras_imported_at
                and len(node.args) == 2
                and literal(node.args[0]) == VARIABLE
            ):
                declared.add(literal(node.args[1], module.constants))
    return declared


def _is_backend_variable(target: ast.expr, resolver: ImportResolver) -> bool:
    """`os.environ["KERAS_BACKEND"]`, however os or environ were imported."""
    return (
        isinstance(target, ast.Subscript)
        and resolver.resolve(target.value) == _ENVIRON
        and literal(target.slice) == VARIABLE
    )


def _first_keras_import(tree: ast.Module) -> float:
    lines = [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Import) and any(_is_keras(a.name) for a in node.names))
        or (isinstance(node, ast.ImportFrom) and node.level == 0 and _is_keras(node.module or ""))
    ]
    return min(lines, default=math.inf)


def _is_keras(module_name: str) -> bool:
    return module_name.split(".")[0] == "keras"
