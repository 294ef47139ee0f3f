"""Compiles that train nothing real: a GAN's generator compiled with a stand-in loss before
it is stacked under the discriminator, a model compiled only to load weights and predict, and
the model of a test file fit only on ones, zeros, random numbers or a literal array.

Old Keras wanted every model compiled before use, so such code names a loss it never trains
with; a mismatch there trains nothing. Only a model its own scope builds counts, one that the
scope never trains or scores, never returns, stores or aliases, and hands to no call after
the compile (a helper may fit it); at module level, only in a file that trains other models
(a snippet that stops at `compile` is judged as it stands). A test of a callback or a logger
fitting `np.ones((4, 8))` tests the plumbing, whatever loss it names; a question's snippet
fitting random data, being no test file, is judged.
"""

from __future__ import annotations

import ast
from pathlib import PurePath

from logitguard.static.engine.ast_tools import argument, returns_name
from logitguard.static.engine.context import MAX_DEPTH
from logitguard.static.engine.index import UNCERTAIN, Scope, end, start
from logitguard.static.frameworks.keras.compile import CompileFacts
from logitguard.static.frameworks.keras.context import KerasContext
from logitguard.static.frameworks.keras.labels import TRAINING_METHODS, trained_name

# What makes data of no meaning: ones, zeros, random numbers.
_MEANINGLESS_DATA = (
    "numpy.ones",
    "numpy.zeros",
    "numpy.random.",
    "tensorflow.ones",
    "tensorflow.zeros",
    "tensorflow.random.",
    "keras.ops.ones",
    "keras.ops.zeros",
    "keras.random.",
)
_TEST_FOLDERS = frozenset({"test", "tests"})


def compiled_for_nothing(ctx: KerasContext, compiled: CompileFacts) -> bool:
    """Whether no fit can read the compile of a model its scope builds (see above)."""
    name, scope = _compiled_name(compiled), ctx.index.scope_of(compiled.at)
    # Most compiled models are fit or returned by their own scope: the index says so
    # without a walk.
    returned = returns_name(ctx.index.returns(scope.node), name) if name else False
    if name is None or _fit_within(ctx, scope.node, name) or returned:
        return False
    if not _built_here(scope, name) or (isinstance(scope.node, ast.Module) and not _fits(ctx)):
        return False
    uses = _Uses(name, compiled.at.lineno)
    uses.read(scope.node)
    if uses.trained or not uses.only_harmless:
        return False
    return uses.trains_others or not isinstance(scope.node, ast.Module)


def a_test_fitting_made_up_data(ctx: KerasContext, compiled: CompileFacts) -> bool:
    """Whether a test file's compiled model is fit, in the compile's scope, on ones, zeros or
    random numbers only (`model.fit(np.ones((4, 8)), y)`)."""
    name, scope = _compiled_name(compiled), ctx.index.scope_of(compiled.at).node
    if name is None or not _is_test_file(ctx.module.path):
        return False
    fits = [(call, at) for call, at in ctx.index.calls_in(scope) if trained_name(call) == name]
    return bool(fits) and all(_made_up(argument(call, 0, "x"), at, ctx) for call, at in fits)


def _compiled_name(compiled: CompileFacts) -> str | None:
    """`model` of `model.compile(...)`."""
    func = compiled.call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id
    return None


def _is_test_file(path: str) -> bool:
    parts = PurePath(path).parts
    name = parts[-1] if parts else ""
    in_tests = any(part in _TEST_FOLDERS for part in parts[:-1])
    return in_tests or name.startswith("test_") or name.endswith(("_test.py", "_test.ipynb"))


def _made_up(expr: ast.AST | None, at: ast.stmt, ctx: KerasContext, depth: int = 0) -> bool:
    """`np.ones((4, 8))`, `np.random.rand(4, 8)`, `np.array([[1]])`, a name bound to one
    (`x, y = np.ones(...), np.ones(...)` too), or a dict or a list of them."""
    if isinstance(expr, ast.Name) and depth < MAX_DEPTH:
        binding = ctx.binding(expr.id, at)
        if binding is None or binding is UNCERTAIN or binding.value is None:
            return False
        value = binding.value
        for index in binding.path:
            if not isinstance(value, ast.Tuple | ast.List) or index >= len(value.elts):
                return False
            value = value.elts[index]
        return _made_up(value, binding.statement, ctx, depth + 1)
    if isinstance(expr, ast.Dict | ast.List | ast.Tuple):  # a model's several inputs
        parts = expr.values if isinstance(expr, ast.Dict) else expr.elts
        return bool(parts) and all(_made_up(part, at, ctx, depth) for part in parts)
    if not isinstance(expr, ast.Call):
        return False
    path = ctx.qualified(expr.func, at) or ""
    if path == "numpy.array" and expr.args:
        return _is_literal(expr.args[0])
    return path.startswith(_MEANINGLESS_DATA)


def _is_literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def _fit_within(ctx: KerasContext, scope: ast.AST, name: str) -> bool:
    """Whether `scope` (or a body it defines) trains `name`: `name.fit(...)`."""
    first, last = start(scope), end(scope)
    return any(
        trained_name(call) == name
        and (isinstance(scope, ast.Module) or first <= start(call) <= last)
        for method in TRAINING_METHODS
        for call, _ in ctx.index.calls_by_name.get(method, ())
    )


def _fits(ctx: KerasContext) -> bool:
    """Whether the module trains any model."""
    return any(ctx.index.calls_by_name.get(method) for method in TRAINING_METHODS)


def _built_here(scope: Scope, name: str) -> bool:
    """Whether `name` is a local of `scope`, assigned there, and no parameter of it."""
    node = scope.node
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        arguments = node.args
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        if any(argument.arg == name for argument in every):
            return False
    elif not isinstance(node, ast.Module):
        return False
    return name in scope.bindings


class _Uses:
    """How the scope reads `name`: each read of it is harmless (its own methods but the
    training ones, a call of it as a layer, a part of an argument before the compile:
    `Sequential([g, d])`) or not."""

    def __init__(self, name: str, compiled_line: int) -> None:
        self.name, self.compiled_line = name, compiled_line
        self.trained = self.trains_others = False
        self.harmless: set[ast.Name] = set()
        self.loaded: list[ast.Name] = []

    @property
    def only_harmless(self) -> bool:
        return all(node in self.harmless for node in self.loaded)

    def read(self, scope: ast.AST) -> None:
        for node in ast.walk(scope):
            if isinstance(node, ast.Call):
                self._read_call(node)
            elif self._is_name(node) and isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
                self.loaded.append(node)  # type: ignore[arg-type]

    def _read_call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in TRAINING_METHODS:
            if self._is_name(func.value):
                self.trained = True
            else:
                self.trains_others = True
        elif isinstance(func, ast.Attribute) and self._is_name(func.value):
            self.harmless.add(func.value)  # type: ignore[arg-type]  # `g.predict(z)`
        elif self._is_name(func):
            self.harmless.add(func)  # type: ignore[arg-type]  # `g(z)`: a layer of another model
        elif isinstance(func, ast.Attribute) and func.attr == "set_model":
            # `tensorboard.set_model(g)`: a callback that logs it, which trains nothing.
            self.harmless.update(arg for arg in node.args if self._is_name(arg))  # type: ignore[misc]
        if node.lineno < self.compiled_line:
            for given in [*node.args, *(keyword.value for keyword in node.keywords)]:
                self.harmless.update(n for n in ast.walk(given) if self._is_name(n))  # type: ignore[misc]

    def _is_name(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id == self.name
