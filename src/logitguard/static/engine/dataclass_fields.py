"""What a field of a frozen dataclass object holds: the argument its constructing call passes
for the field, else the field's default (`cfg = TrainConfig()` then `cfg.num_classes`)."""

from __future__ import annotations

import ast
from collections.abc import Callable

from logitguard.static.engine.ast_tools import keyword, unpacks_arguments

_DATACLASS = "dataclasses.dataclass"


def is_dataclass(definition: ast.ClassDef, path_of: Callable[[ast.expr], str | None]) -> bool:
    """`@dataclass`, `@dataclass(frozen=True)` or `@dataclasses.dataclass`."""
    return _dataclass_decorator(definition, path_of) is not None


def is_frozen(definition: ast.ClassDef, path_of: Callable[[ast.expr], str | None]) -> bool:
    """`@dataclass(frozen=True)` on a class of no base class (a base's fields come first, and
    may be another's): its objects' fields are what they were made with. Those of a dataclass
    that is not frozen may be set anywhere the object is handed (`cfg.num_classes =
    len(classes)` in a helper): not known."""
    decorator = _dataclass_decorator(definition, path_of)
    if not isinstance(decorator, ast.Call) or definition.bases or definition.keywords:
        return False
    frozen = keyword(decorator, "frozen")
    return isinstance(frozen, ast.Constant) and frozen.value is True


def _dataclass_decorator(
    definition: ast.ClassDef, path_of: Callable[[ast.expr], str | None]
) -> ast.expr | None:
    for decorator in definition.decorator_list:
        called = decorator.func if isinstance(decorator, ast.Call) else decorator
        if path_of(called) == _DATACLASS:
            return decorator
    return None


def field_expression(
    definition: ast.ClassDef, call: ast.Call, name: str
) -> tuple[ast.expr, bool] | None:
    """What the field `name` holds in the object `call` makes, and whether the call passes it:
    the argument passed for it (by position, in the fields' order, or by keyword), else its
    default; None when that is not known (arguments unpacked, no such field, a default
    factory)."""
    if unpacks_arguments(call):
        return None
    fields = _fields(definition)
    if name not in fields:
        return None
    passed = keyword(call, name)
    position = list(fields).index(name)
    if passed is None and position < len(call.args):
        passed = call.args[position]
    if passed is not None:
        return passed, True
    default = fields[name]
    return (default, False) if default is not None else None


def _fields(definition: ast.ClassDef) -> dict[str, ast.expr | None]:
    """Each field's name and default, in order: the class body's annotated names."""
    found: dict[str, ast.expr | None] = {}
    for statement in definition.body:
        if not isinstance(statement, ast.AnnAssign) or not isinstance(statement.target, ast.Name):
            continue
        if "ClassVar" in ast.unparse(statement.annotation):
            continue
        found[statement.target.id] = _default(statement.value)
    return found


def _default(value: ast.expr | None) -> ast.expr | None:
    """`= 10` gives 10, `= field(default=10)` too; `field(default_factory=list)` nothing."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name | ast.Attribute):
        called = value.func.id if isinstance(value.func, ast.Name) else value.func.attr
        if called == "field":
            return keyword(value, "default")
    return value
