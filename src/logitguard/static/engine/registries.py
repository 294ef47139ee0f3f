"""Registries that decorators fill: what `MODELS["mlp"]` holds when `MODELS = {}` is filled
by `@register_model("mlp")` on a class, or by `@register` keyed by the class's name.

Only the shapes where every change to the registry is understood are read; a registry also
changed in any other way (`MODELS.update(...)`, a store keyed by something else) is not.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from logitguard.static.engine.ast_tools import containers_changed
from logitguard.static.engine.scopes import argument_at

# A function's returned expressions (None when it can return nothing): the index's `returns`.
Returns = Callable[[ast.FunctionDef], list[ast.expr] | None]

# Methods of a dict that read it: they leave what a registry holds as it was.
_READING_METHODS = frozenset({"get", "keys", "values", "items", "copy", "__contains__"})


@dataclass(frozen=True)
class Registering:
    """A module-level function whose use as a decorator stores what it decorates in the
    registry and hands it back unchanged: a factory, `@register_model("mlp")`, keyed by its
    parameter `key_parameter`; or a plain decorator, `@register`, keyed by the name of what it
    decorates. `named_by_default`: the factory's key falls back to that name (`name or
    cls.__name__`)."""

    function: ast.FunctionDef
    key_parameter: str | None
    named_by_default: bool = False

    def key(self, decorator: ast.expr, decorated: ast.ClassDef | ast.FunctionDef) -> object:
        """The key `decorator` (this function, or a call of it) stores `decorated` under;
        None when the code does not show it."""
        if self.key_parameter is None:
            return decorated.name if not isinstance(decorator, ast.Call) else None
        if not isinstance(decorator, ast.Call):
            return None
        if any(isinstance(given, ast.Starred) for given in decorator.args):
            return None  # `@register(*names)`: which argument is the key is not shown
        positional = [a.arg for a in (*self.function.args.posonlyargs, *self.function.args.args)]
        index = positional.index(self.key_parameter) if self.key_parameter in positional else None
        given = argument_at(decorator, index, self.key_parameter)
        if given is None:
            return decorated.name if self.named_by_default else None
        if isinstance(given, ast.Constant) and isinstance(given.value, str | int):
            return given.value
        return None


@dataclass(frozen=True)
class Registry:
    """How a module's dict is filled: the decorators that store in it, and the stores of the
    module's top level with a constant key (`MODELS["mlp"] = MLP`)."""

    decorators: tuple[Registering, ...]
    stored: tuple[tuple[object, ast.expr], ...]


def filled_registry(tree: ast.Module, name: str, returns: Returns) -> Registry | None:
    """How the module dict `name` is filled, when every change to it is one of the shapes
    read; None otherwise."""
    decorators, understood = [], set()
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef):
            found = _registering(statement, name, returns)
            if found is not None:
                registering, store = found
                decorators.append(registering)
                understood.add(id(store))
    stored = []
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            key = _stored_key(target, name)
            if isinstance(key, ast.Constant) and isinstance(key.value, str | int):
                stored.append((key.value, statement.value))
                understood.add(id(target))
    if not _only_understood_changes(tree, name, understood):
        return None
    return Registry(tuple(decorators), tuple(stored))


def _only_understood_changes(tree: ast.Module, name: str, understood: set[int]) -> bool:
    for node in ast.walk(tree):
        if id(node) in understood or name not in containers_changed([node]):
            continue
        reads = (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _READING_METHODS
        )
        if not reads:
            return False
    return True


def _registering(
    function: ast.FunctionDef, name: str, returns: Returns
) -> tuple[Registering, ast.expr] | None:
    """`function` as a decorator storing in `name`, and the store's target."""
    plain = _storing(function, name, returns)
    if plain is not None:
        target, key = plain
        stored = function.args.args[0].arg
        return (Registering(function, None), target) if _is_name_of(key, stored) else None
    inner = [s for s in function.body if isinstance(s, ast.FunctionDef)]
    if len(inner) != 1 or not _returns_only(returns(function), inner[0].name):
        return None
    found = _storing(inner[0], name, returns)
    if found is None:
        return None
    target, key = found
    stored = inner[0].args.args[0].arg
    parameters = {arg.arg for arg in (*function.args.posonlyargs, *function.args.args)}
    parameters |= {arg.arg for arg in function.args.kwonlyargs}
    if isinstance(key, ast.Name) and key.id in parameters:
        return Registering(function, key.id), target
    if (  # `name or cls.__name__`
        isinstance(key, ast.BoolOp)
        and isinstance(key.op, ast.Or)
        and len(key.values) == 2
        and isinstance(key.values[0], ast.Name)
        and key.values[0].id in parameters
        and _is_name_of(key.values[1], stored)
    ):
        return Registering(function, key.values[0].id, named_by_default=True), target
    return None


def _storing(
    function: ast.FunctionDef, name: str, returns: Returns
) -> tuple[ast.expr, ast.expr] | None:
    """The one store `name[key] = param` of a one-parameter `function` that returns `param`
    as it came: the store's target and key."""
    arguments = function.args
    if len(arguments.args) != 1 or arguments.posonlyargs or arguments.vararg:
        return None
    stored = arguments.args[0].arg
    stores = [
        (target, key)
        for node in ast.walk(function)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Name)
        and node.value.id == stored
        for target in node.targets
        if (key := _stored_key(target, name)) is not None
    ]
    return stores[0] if len(stores) == 1 and _returns_only(returns(function), stored) else None


def _stored_key(target: ast.expr, name: str) -> ast.expr | None:
    if (
        isinstance(target, ast.Subscript)
        and isinstance(target.value, ast.Name)
        and target.value.id == name
    ):
        return target.slice
    return None


def _returns_only(returned: list[ast.expr] | None, name: str) -> bool:
    """Whether a function's returns (see `Returns`) all hand back `name`, and there is one."""
    return bool(returned) and all(isinstance(r, ast.Name) and r.id == name for r in returned)


def _is_name_of(node: ast.expr, stored: str) -> bool:
    """`cls.__name__` for the parameter `cls`."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "__name__"
        and isinstance(node.value, ast.Name)
        and node.value.id == stored
    )
