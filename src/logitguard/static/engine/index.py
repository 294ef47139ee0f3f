"""Where a name's value comes from at a given statement: scopes, bindings and conditions.

One pass over the module records every binding (assignment, parameter, loop target, def) per
scope, every statement's scope and the conditional blocks around it, and every call and
comparison the Keras front end looks at. A lookup returns the latest binding before the use;
when that binding sits in a branch or loop the use is not inside, the value is uncertain and the
front end stays silent rather than guess.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from logitguard.static.engine.ast_tools import last_name

Position = tuple[int, int]
# Definitions: each binds its name and has a body that is a scope of its own.
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_STATEMENT_LISTS = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})


@dataclass(eq=False)
class Scope:
    node: ast.AST
    parent: Scope | None
    bindings: dict[str, list[Binding]] = field(default_factory=dict)


@dataclass(eq=False, slots=True)
class Binding:
    """`name` holds `value` (an expression, or a def/class node), or something unknowable (None).

    `path` indexes into a tuple-unpacked value: in `(a, b), c = f()`, b has path (0, 1).
    """

    name: str
    value: ast.AST | None
    path: tuple[int, ...]
    statement: ast.stmt
    effective: Position
    conditions: tuple[object, ...]


# Returned when the latest binding may or may not have run (it is in a branch or a loop).
UNCERTAIN = Binding("", None, (), ast.Pass(), (0, 0), ())


def start(node: ast.AST) -> Position:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def end(node: ast.AST) -> Position:
    return (getattr(node, "end_lineno", 0) or 0, getattr(node, "end_col_offset", 0) or 0)


# Where a statement runs: its scope and the conditional blocks around it there.
_Place = tuple[Scope, tuple[object, ...]]
_BINDING_STATEMENTS = frozenset(
    {ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith}
    | set(_DEFINITIONS)
)
_COMPOUND_STATEMENTS = frozenset(
    {ast.If, ast.While, ast.For, ast.AsyncFor, ast.Try, ast.TryStar, ast.Match, ast.With}
    | {ast.AsyncWith}
    | set(_DEFINITIONS)
)


class ModuleIndex:
    """Scopes, bindings, and the calls and comparisons of one module, from a single pass."""

    def __init__(self, tree: ast.Module) -> None:
        self.module_scope = Scope(tree, None)
        self._places: dict[ast.AST, _Place] = {tree: (self.module_scope, ())}
        self._scope_of_definition: dict[ast.AST, Scope] = {}
        # (node, the statement it is in), in source order.
        self.calls: list[tuple[ast.Call, ast.stmt]] = []
        # The same calls by the last name of what is called: `Dense` in `layers.Dense(4)`.
        self.calls_by_name: dict[str, list[tuple[ast.Call, ast.stmt]]] = {}
        self._calls_by_scope: dict[ast.AST, list[tuple[ast.Call, ast.stmt]]] | None = None
        self.comparisons: list[tuple[ast.Compare, ast.stmt]] = []
        self.class_attributes: dict[ast.ClassDef, dict[str, list[Binding]]] = {}
        self._returns: dict[ast.AST, list[ast.Return]] = {}
        self._walk(tree.body, self.module_scope, ())
        self.calls.sort(key=lambda found: start(found[0]))
        for found in self.calls:
            name = last_name(found[0].func)
            if name is not None:
                self.calls_by_name.setdefault(name, []).append(found)
        self.comparisons.sort(key=lambda found: start(found[0]))
        scopes = [self.module_scope, *self._scope_of_definition.values()]
        tables = [scope.bindings for scope in scopes] + list(self.class_attributes.values())
        for table in tables:
            for bindings in table.values():
                bindings.sort(key=lambda binding: binding.effective)

    # -- queries ---------------------------------------------------------------------------

    def scope_of(self, statement: ast.AST) -> Scope:
        return self._places[statement][0]

    def conditions_of(self, statement: ast.AST) -> tuple[object, ...]:
        return self._places[statement][1]

    def latest(self, bindings: list[Binding], at: ast.stmt) -> Binding:
        """Of `bindings` (sorted, in the scope of `at`), the one that holds when `at` runs;
        UNCERTAIN when it may not have run (in a branch or a loop `at` is not in)."""
        return _latest(bindings, start(at), self._places[at][1], True)

    def lookup(self, name: str, at: ast.stmt) -> Binding | None:
        """The binding `name` has when `at` runs; None when unbound, UNCERTAIN when unclear."""
        place = self._places[at]
        (scope, conditions), position, innermost = place, start(at), True
        while scope is not None:
            if isinstance(scope.node, ast.ClassDef) and not innermost:
                scope = scope.parent
                continue
            bindings = scope.bindings.get(name)
            if bindings:
                return _latest(bindings, position, conditions, innermost)
            owner = scope.node
            if scope.parent is not None:
                position, conditions = start(owner), self._places[owner][1]
            scope, innermost = scope.parent, False
        return None

    def conditional_relative_to(self, statement: ast.stmt, anchor: ast.stmt) -> bool:
        """Whether `statement` may not run when `anchor` does (another scope, branch or loop)."""
        if self.scope_of(statement) is not self.scope_of(anchor):
            return True
        around_anchor = set(self.conditions_of(anchor))
        return any(c not in around_anchor for c in self.conditions_of(statement))

    def calls_named(self, accepts: Callable[[str], bool]) -> list[tuple[ast.Call, ast.stmt]]:
        """The calls whose called name (`Dense` in `layers.Dense(4)`) `accepts`, in source
        order: a front end looks at these instead of at every call."""
        found = [
            call for name, calls in self.calls_by_name.items() if accepts(name) for call in calls
        ]
        found.sort(key=lambda item: start(item[0]))
        return found

    def calls_in(self, scope_node: ast.AST) -> list[tuple[ast.Call, ast.stmt]]:
        """The calls in the body of a function (or class, or the module), not in the bodies
        it defines, in source order."""
        if self._calls_by_scope is None:
            self._calls_by_scope = {}
            for found in self.calls:
                node = self._places[found[1]][0].node
                self._calls_by_scope.setdefault(node, []).append(found)
        return self._calls_by_scope.get(scope_node, [])

    def returns(self, function: ast.AST) -> list[ast.Return]:
        return self._returns.get(function, [])

    # -- the single pass ---------------------------------------------------------------------

    def _walk(self, statements: list[ast.stmt], scope: Scope, conditions: tuple) -> None:
        places, place = self._places, (scope, conditions)
        for statement in statements:
            places[statement] = place
            kind = statement.__class__
            if kind in _BINDING_STATEMENTS:
                self._bind_statement(statement, scope, conditions)
            elif kind is ast.Return:
                self._returns.setdefault(scope.node, []).append(statement)
            fields = _EXPRESSION_FIELDS.get(kind)
            if fields is None:
                fields = _EXPRESSION_FIELDS[kind] = tuple(
                    name for name in child_fields(kind) if name not in _STATEMENT_LISTS
                )
            expressions = [
                child for name in fields if (child := getattr(statement, name)) is not None
            ]
            if expressions:
                self._scan(expressions, statement, scope, conditions)
            if kind in _COMPOUND_STATEMENTS:
                self._walk_nested(statement, scope, conditions)

    def _walk_nested(self, statement: ast.stmt, scope: Scope, conditions: tuple) -> None:
        if isinstance(statement, _DEFINITIONS):
            self._walk(statement.body, self._body_scope(statement), ())
        elif isinstance(statement, ast.If | ast.While | ast.For | ast.AsyncFor):
            self._walk(statement.body, scope, (*conditions, (statement, "body")))
            self._walk(statement.orelse, scope, (*conditions, (statement, "orelse")))
        elif isinstance(statement, ast.Try | ast.TryStar):
            self._walk(statement.body, scope, conditions)
            for handler in statement.handlers:
                self._scan(handler.type, statement, scope, conditions)
                if handler.name:
                    self._bind(scope, handler.name, None, (), statement, start(handler), ())
                self._walk(handler.body, scope, (*conditions, handler))
            self._walk(statement.orelse, scope, conditions)
            self._walk(statement.finalbody, scope, conditions)
        elif isinstance(statement, ast.Match):
            for case in statement.cases:
                self._scan(case.guard, statement, scope, conditions)
                self._walk(case.body, scope, (*conditions, case))
        elif isinstance(statement, ast.With | ast.AsyncWith):
            self._walk(statement.body, scope, conditions)

    def _scan(self, value: object, statement: ast.stmt, scope: Scope, conditions: tuple) -> None:
        """Record the calls, comparisons and `:=` bindings in the expressions of a statement."""
        stack = value if value.__class__ is list else [value]
        calls, comparisons = self.calls, self.comparisons
        while stack:
            node = stack.pop()
            kind = node.__class__
            if kind is list:
                stack.extend(node)
                continue
            fields = CHILD_FIELDS.get(kind)
            if fields is None:
                if kind is ast.Name or kind is ast.Constant or not isinstance(node, ast.AST):
                    continue
                fields = CHILD_FIELDS[kind] = child_fields(kind)
            if kind is ast.Call:
                calls.append((node, statement))
            elif kind is ast.Compare:
                comparisons.append((node, statement))
            elif kind is ast.NamedExpr and node.target.__class__ is ast.Name:
                self._bind(scope, node.target.id, node.value, (), statement, end(node), conditions)
            for name in fields:
                child = getattr(node, name)
                if child is not None:
                    stack.append(child)

    def _bind_statement(self, node: ast.stmt, scope: Scope, conditions: tuple) -> None:
        done = end(node)
        if isinstance(node, ast.Assign):
            for target in node.targets:
                self._bind_target(scope, target, node.value, (), node, done, conditions)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            self._bind_target(scope, node.target, node.value, (), node, done, conditions)
        elif isinstance(node, ast.AugAssign):
            self._bind_target(scope, node.target, None, (), node, done, conditions)
        elif isinstance(node, ast.For | ast.AsyncFor):
            inside = (*conditions, (node, "body"))
            self._bind_target(scope, node.target, None, (), node, end(node.target), inside)
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                if item.optional_vars is not None:
                    here = end(item.optional_vars)
                    self._bind_target(scope, item.optional_vars, None, (), node, here, conditions)
        elif isinstance(node, _DEFINITIONS):
            self._bind(scope, node.name, node, (), node, done, conditions)
            self._bind_definition_contents(node)

    def _bind_definition_contents(self, node: ast.stmt) -> None:
        if isinstance(node, ast.ClassDef):
            self.class_attributes[node] = {}
            return
        # Parameters: bound, to values this module cannot know, when the body starts.
        arguments = node.args  # type: ignore[attr-defined]
        names = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        names += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        inner = self._body_scope(node)
        for argument in names:
            binding = Binding(argument.arg, None, (), node, start(node), ())
            inner.bindings.setdefault(argument.arg, []).append(binding)

    def _body_scope(self, node: ast.AST) -> Scope:
        scope = self._scope_of_definition.get(node)
        if scope is None:
            scope = Scope(node, self._places[node][0])
            self._scope_of_definition[node] = scope
        return scope

    def _bind_target(
        self,
        scope: Scope,
        target: ast.AST,
        value: ast.AST | None,
        path: tuple[int, ...],
        statement: ast.stmt,
        effective: Position,
        conditions: tuple,
    ) -> None:
        if isinstance(target, ast.Name):
            self._bind(scope, target.id, value, path, statement, effective, conditions)
        elif isinstance(target, ast.Tuple | ast.List):
            for index, element in enumerate(target.elts):
                if isinstance(element, ast.Starred):
                    self._bind_target(
                        scope, element.value, None, (), statement, effective, conditions
                    )
                else:
                    inner = (*path, index)
                    self._bind_target(
                        scope, element, value, inner, statement, effective, conditions
                    )
        elif is_self_attribute(target):
            self._bind_self_attribute(target, value, path, statement, effective, conditions)

    def _bind_self_attribute(self, target, value, path, statement, effective, conditions) -> None:
        method_scope = self.scope_of(statement)
        method, owner = method_scope.node, method_scope.parent
        if owner is None or not isinstance(owner.node, ast.ClassDef):
            return
        if isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
            attributes = self.class_attributes.setdefault(owner.node, {})
            binding = Binding(target.attr, value, path, statement, effective, conditions)
            attributes.setdefault(target.attr, []).append(binding)

    def _bind(self, scope, name, value, path, statement, effective, conditions) -> None:
        binding = Binding(name, value, path, statement, effective, conditions)
        scope.bindings.setdefault(name, []).append(binding)


# Fields that never hold a node: names, operators (childless singletons), contexts, flags.
_LEAF_FIELDS = frozenset(
    {
        "ctx",
        "op",
        "ops",
        "id",
        "attr",
        "arg",
        "name",
        "names",
        "module",
        "level",
        "kind",
        "conversion",
        "type_comment",
        "is_async",
        "simple",
        "value_kind",
    }
)
# The fields of each AST class that may hold nodes, filled in as classes are met; shared by
# every pass over a tree.
CHILD_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: (), ast.Name: ()}
_EXPRESSION_FIELDS: dict[type, tuple[str, ...]] = {}


def child_fields(kind: type) -> tuple[str, ...]:
    """The fields of an AST class that may hold nodes, looked up once per class."""
    return tuple(name for name in kind._fields if name not in _LEAF_FIELDS)  # type: ignore[attr-defined]


def is_self_attribute(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    )


def _latest(
    bindings: list[Binding], position: Position, conditions: tuple, innermost: bool
) -> Binding:
    # Bisection: `bindings` are sorted by `effective`; a scan per use would be quadratic.
    count = bisect.bisect_right(bindings, position, key=lambda binding: binding.effective)
    if not count:
        # A global read in a function body defined above its assignment: it runs later.
        if innermost:
            return UNCERTAIN
        count = len(bindings)
    binding = bindings[count - 1]
    around_use = set(conditions)
    if any(condition not in around_use for condition in binding.conditions):
        return UNCERTAIN
    return binding
