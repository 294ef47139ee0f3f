"""Where a name's value comes from, without running the code.

`ScopeIndex` maps a use of a name to the expressions that may have bound it: the latest
assignment before the use in the same function (or module), a module-level assignment when a
function reads a global, the arguments passed at the function's call sites for a parameter, and
the `self.attr = ...` assignments of a class for an attribute. It answers None whenever the
binding cannot be known (tuple unpacking, loop targets, assignments in one branch of an `if`),
so that callers stay silent rather than guess.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from logitguard.static.engine.ast_tools import calls_super_init, containers_changed
from logitguard.static.engine.index import child_fields
from logitguard.static.engine.index import end as end_of_node
from logitguard.static.engine.last_iteration import decided_on_last_iteration, may_count

# An expression (or a def/class node) a name may hold, and where in it: `()` for the whole
# value, `(1,)` for `b` in `a, b = value`, `(0, 1)` for `y` in `(x, y), z = value`.
Source = tuple[ast.AST, tuple[int, ...]]

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
# Which arm of an `if` runs, from its test: True the body, False the else, None either.
Decided = Callable[[ast.expr], bool | None]
_SCOPE_NODES = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)
_BINDING_KINDS = frozenset(
    {
        ast.Assign,
        ast.AnnAssign,
        ast.NamedExpr,
        ast.AugAssign,
        ast.For,
        ast.AsyncFor,
        ast.With,
        ast.AsyncWith,
        ast.ExceptHandler,
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.Global,
        ast.Nonlocal,
        ast.MatchAs,
        ast.MatchStar,
    }
)
_REVERSED_FIELDS: dict[type, tuple[str, ...]] = {}
# The same without a function's body, which is another scope.
_OWN_REVERSED_FIELDS: dict[type, tuple[str, ...]] = {}
# Every class of syntax node (what a list field may hold besides name strings and None).
_NODE_CLASSES = frozenset(
    kind for kind in vars(ast).values() if isinstance(kind, type) and issubclass(kind, ast.AST)
)
_FUNCTION_KINDS = frozenset(_FUNCTIONS)
_ASSIGNMENT_KINDS = frozenset({ast.Assign, ast.AnnAssign, ast.AugAssign})
# Code inside these may or may not run (a Try's body is taken to run; its handlers may not).
_BRANCHING_KINDS = frozenset({ast.If, ast.IfExp, ast.BoolOp, ast.match_case, ast.ExceptHandler})
# Call sites followed per parameter; more means the function is generic, not one training loop.
_MAX_CALL_SITES = 8


@dataclass(frozen=True)
class Binding:
    value: ast.AST | None  # None: bound, but not to one expression we can follow
    end: tuple[int, int]  # where the binding takes effect
    branches: frozenset[tuple[int, str]]  # conditional branches (If body/orelse...) it sits in
    path: tuple[int, ...] = ()  # the part of `value` bound, when a tuple is unpacked


@dataclass(eq=False)
class Scope:
    node: ast.Module | ast.FunctionDef | ast.AsyncFunctionDef
    parent: Scope | None
    owner: ast.ClassDef | None  # the class this function is a method of
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    # name -> (positional index or None, default) of each parameter; read on first use.
    _parameters: dict[str, tuple[int | None, ast.expr | None]] | None = None

    @property
    def is_module(self) -> bool:
        return isinstance(self.node, ast.Module)

    def parameter(self, name: str) -> tuple[int | None, ast.expr | None] | None:
        """(positional index or None for keyword-only, default) of parameter `name`."""
        if self._parameters is None:
            self._parameters = _parameters_of(self.node)
        return self._parameters.get(name)


def _parameters_of(
    node: ast.Module | ast.FunctionDef | ast.AsyncFunctionDef,
) -> dict[str, tuple[int | None, ast.expr | None]]:
    if isinstance(node, ast.Module):
        return {}
    args = node.args
    found: dict[str, tuple[int | None, ast.expr | None]] = {}
    # The first of two parameters of one name (a syntax error Python reports) is the one kept.
    for arg in (args.kwarg, args.vararg):
        if arg is not None:
            found[arg.arg] = (None, None)
    for arg, default in reversed(list(zip(args.kwonlyargs, args.kw_defaults, strict=True))):
        found[arg.arg] = (None, default)
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults
    for index in reversed(range(len(positional))):
        found[positional[index].arg] = (index, defaults[index])
    return found


class ScopeIndex:
    def __init__(
        self,
        tree: ast.Module,
        is_function_transform: Callable[[ast.expr], bool] = lambda func: False,
        may_be_imported: Callable[[str], bool] = lambda name: False,
    ) -> None:
        """`is_function_transform(func)`: whether `func(f)` returns f with the same parameters
        (`jax.jit`, `jax.value_and_grad`), so that calls of the result are calls of f.
        `may_be_imported(name)`: whether an import (a star import too) may bind `name`."""
        self.tree = tree
        self._may_be_imported = may_be_imported
        # id(node) -> (its parent, the parent's field holding it, the scope it is evaluated in)
        self._parents: dict[int, tuple[ast.AST, str, Scope]] = {}
        self._scope_nodes: dict[int, list[ast.AST]] = {}  # walked on first use
        self._updates: dict[int, dict[str, list[ast.AugAssign]]] = {}  # the same
        self._list_events: dict[int, dict[str, list[ListEvent]]] = {}  # the same
        self._changed_containers: dict[int, set[str]] = {}  # the same
        self._mutations: dict[tuple[str, str], set[int]] | None = None  # (name, method)
        # name -> (where it is done, its scope's id) for each change of its values in place.
        self._in_place: dict[str, list[tuple[tuple[int, int], int]]] | None = None
        # The `continue` and `break` statements, in the single pass; by the loop they leave
        # (its id; not an inner loop's), once asked.
        self._loop_exits: list[ast.Continue | ast.Break] = []
        self._has_continue = False  # whether any exit is a `continue` (most modules have none)
        self._exits_by_loop: dict[int, list[ast.Continue | ast.Break]] | None = None
        # By class (its id): (parameter, attribute) -> values; built once, when first asked.
        self._parameter_attributes: dict[int, dict[tuple[str, str], list[ast.expr]]] | None = None
        self._branches_of: dict[int, frozenset[tuple[int, str]]] = {}
        self._if_statements: dict[int, ast.If] = {}  # by id: the `if`s that branches name
        self._test_dumps: dict[int, str | None] = {}  # see `tests_around`
        self._changed_anywhere: set[str] | None = None
        # Names that a lambda or a comprehension binds somewhere: only their uses may be shadowed.
        self._locally_bound: set[str] = set()
        self._scopes: dict[int, Scope] = {}
        # (scope id, name) -> the ends of its bindings, sorted, and the bindings in that order.
        self._bindings_by_end: dict[tuple[int, str], tuple[list[tuple[int, int]], list[Binding]]]
        self._bindings_by_end = {}
        self.module_scope = self._new_scope(tree, None, None)
        self.classes: dict[str, list[ast.ClassDef]] = {}
        self.functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
        self.calls: list[ast.Call] = []
        # Classes, calls and comparisons in source order: all a front end's scan looks at.
        self.anchors: list[ast.AST] = []
        self.assignments: list[ast.Assign | ast.AnnAssign | ast.AugAssign] = []
        self._calls_by_name: dict[str, list[ast.Call]] = {}
        self._traverse()
        self._add_transformed_calls(is_function_transform)
        self._add_base_initialisations()
        self._attribute_sources = self._collect_self_attributes()
        self.externally_assigned_attributes = self._collect_external_attribute_writes()

    def _new_scope(self, node: ast.AST, parent: Scope | None, owner: ast.ClassDef | None) -> Scope:
        scope = Scope(node=node, parent=parent, owner=owner)  # type: ignore[arg-type]
        self._scopes[id(node)] = scope
        return scope

    def _traverse(self) -> None:
        """One pass, in source order: parents, the scope each node is evaluated in, every
        scope's bindings, and the classes, functions, calls and assignments.

        A function's body is its own scope; its decorators and defaults belong to the enclosing
        one. A class body is no scope of ours: its statements bind class attributes, which
        `sources_of_attribute` reads, not names.
        """
        parents, anchors = self._parents, self.anchors
        # (node, scope, whether its bindings are names of that scope)
        stack: list[tuple[ast.AST, Scope, bool]] = [(self.tree, self.module_scope, True)]
        while stack:
            node, scope, binds = stack.pop()
            kind = node.__class__
            if binds and kind in _BINDING_KINDS:
                self._record_bindings(scope, node)
            if kind is ast.Call:
                self.calls.append(node)  # type: ignore[arg-type]
                anchors.append(node)
                if node.func.__class__ is ast.Name:  # type: ignore[attr-defined]
                    self._calls_by_name.setdefault(node.func.id, []).append(node)  # type: ignore[attr-defined]
            elif kind is ast.Compare:
                anchors.append(node)
            elif kind in _ASSIGNMENT_KINDS:
                self.assignments.append(node)  # type: ignore[arg-type]
            elif kind is ast.ClassDef:
                self.classes.setdefault(node.name, []).append(node)  # type: ignore[attr-defined]
                anchors.append(node)
            elif kind in _FUNCTION_KINDS:
                self.functions.setdefault(node.name, []).append(node)  # type: ignore[attr-defined]
            elif kind is ast.Lambda:
                self._locally_bound.update(_parameter_names(node.args))  # type: ignore[attr-defined]
            elif kind is ast.comprehension:
                self._locally_bound.update(name for name, _ in _target_names(node.target))  # type: ignore[attr-defined]
            elif kind is ast.Continue or kind is ast.Break:
                self._loop_exits.append(node)  # type: ignore[arg-type]
                self._has_continue = self._has_continue or kind is ast.Continue
            fields = _REVERSED_FIELDS.get(kind)
            if fields is None:
                fields = _REVERSED_FIELDS[kind] = child_fields(kind)[::-1]
            # Children pushed last field first, last element first: popped in source order.
            for name in fields:
                value = getattr(node, name)
                if value is None:
                    continue
                child_scope, child_binds = scope, binds
                if name == "body" and kind in _FUNCTION_KINDS:
                    parent = parents[id(node)][0]
                    owner = parent if parent.__class__ is ast.ClassDef else None
                    child_scope, child_binds = self._new_scope(node, scope, owner), True  # type: ignore[arg-type]
                elif name == "body" and kind is ast.ClassDef:
                    child_binds = False
                place = (node, name, child_scope)
                for child in reversed(value) if value.__class__ is list else (value,):
                    child_kind = child.__class__
                    if child_kind is ast.Name or child_kind is ast.Constant:
                        parents[id(child)] = place  # leaves, half of all nodes: not stacked
                    elif child_kind in _NODE_CLASSES:  # not a name string, not None
                        parents[id(child)] = place
                        stack.append((child, child_scope, child_binds))

    def node_ids(self) -> Iterator[int]:
        """The ids of every node of the module."""
        yield id(self.tree)
        yield from self._parents

    def _add_transformed_calls(self, is_function_transform: Callable[[ast.expr], bool]) -> None:
        """`g = jax.jit(f); g(x)` and `jax.grad(f)(x)` call f."""
        for node in self.calls:
            if not node.args or not isinstance(node.args[0], ast.Name):
                continue
            if not is_function_transform(node.func):
                continue
            function_name = node.args[0].id
            parent = self.parent(node)
            if isinstance(parent, ast.Call) and parent.func is node:
                self._calls_by_name.setdefault(function_name, []).append(parent)
            elif isinstance(parent, ast.Assign) and len(parent.targets) == 1:
                target = parent.targets[0]
                if isinstance(target, ast.Name) and target.id != function_name:
                    calls = self._calls_by_name.get(target.id, [])
                    self._calls_by_name.setdefault(function_name, []).extend(calls)

    def _add_base_initialisations(self) -> None:
        """`super().__init__(...)` in a subclass of one base of this file runs the base's
        `__init__`: it binds its parameters as a call of the base class does."""
        for node in self.calls:
            if not calls_super_init(node):
                continue
            owner = self.scope_of(node).owner
            if owner is None or len(owner.bases) != 1 or not isinstance(owner.bases[0], ast.Name):
                continue
            base = owner.bases[0].id
            if base in self.classes:
                self._calls_by_name.setdefault(base, []).append(node)

    # --- structure -------------------------------------------------------------------------

    def parent(self, node: ast.AST) -> ast.AST | None:
        found = self._parents.get(id(node))
        return found[0] if found else None

    def owns(self, node: ast.AST) -> bool:
        """Whether `node` belongs to this module's tree."""
        return node is self.tree or id(node) in self._parents

    def blocks_around(self, node: ast.AST) -> Iterator[tuple[ast.AST, str, ast.AST]]:
        """(node, field, child) from `node` up to its scope: `child` sits in `node.field`."""
        current = node
        while (above := self._parents.get(id(current))) is not None:
            parent, field, _ = above
            yield parent, field, current
            if isinstance(parent, _SCOPE_NODES):
                return
            current = parent

    def scope_of(self, node: ast.AST) -> Scope:
        """The innermost function (or the module) whose body contains `node`."""
        found = self._parents.get(id(node))
        return found[2] if found else self.module_scope

    def enclosing_class(self, node: ast.AST) -> ast.ClassDef | None:
        return self.scope_of(node).owner

    def body_nodes(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
        """Every node evaluated in `function`'s body, not in the bodies of nested functions."""
        return self.walk_scope(self._scopes[id(function)])

    def walk_scope(self, scope: Scope) -> list[ast.AST]:
        """Every node evaluated in `scope`, not in the bodies of nested functions."""
        found = self._scope_nodes.get(id(scope.node))
        if found is None:
            found = self._scope_nodes[id(scope.node)] = _own_nodes(scope.node)
        return found

    def updates(self, scope: Scope, name: str) -> list[ast.AugAssign]:
        """The `name += value` (and other augmented) assignments of `scope`, in order."""
        found = self._updates.get(id(scope.node))
        if found is None:
            found = self._updates[id(scope.node)] = {}
            for node in self.walk_scope(scope):
                if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                    found.setdefault(node.target.id, []).append(node)
        return found.get(name, [])

    def list_events(self, scope: Scope, name: str) -> list[ListEvent]:
        """(position, kind, value) for each change of the list `name` in `scope`; kind is
        "assign", "append", "extend", or "unknown" for a change that cannot be read."""
        found = self._list_events.get(id(scope.node))
        if found is None:
            found = self._list_events[id(scope.node)] = {}
            for node in self.walk_scope(scope):
                if node.__class__ in _LIST_CHANGING_KINDS:
                    for name_changed, event in _list_events(node):
                        found.setdefault(name_changed, []).append(event)
        return found.get(name, [])

    def changed(self, use: ast.Name) -> bool:
        """Whether the scope of `use` changes the container its name holds (see
        `ast_tools.containers_changed`); read once per scope."""
        scope = self.scope_of(use)
        found = self._changed_containers.get(id(scope.node))
        if found is None:
            found = self._changed_containers[id(scope.node)] = containers_changed(
                self.walk_scope(scope)
            )
        return use.id in found

    def changed_anywhere(self, name: str) -> bool:
        """Whether any scope of the module changes a container named `name` (a registry
        filled by a decorator, `MODELS["mlp"] = Net`); the module walked once, when asked."""
        if self._changed_anywhere is None:
            self._changed_anywhere = containers_changed(ast.walk(self.tree))
        return name in self._changed_anywhere

    def mutated_in(self, name: str, methods: tuple[str, ...]) -> set[int]:
        """The scopes (ids of their nodes) that call `name.method(...)` for one of `methods`."""
        if self._mutations is None:
            self._mutations = {}
            for call in self.calls:
                func = call.func
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                    key = (func.value.id, func.attr)
                    self._mutations.setdefault(key, set()).add(id(self.scope_of(call).node))  # type: ignore[arg-type]
        return set().union(*(self._mutations.get((name, method), set()) for method in methods))

    def changed_in_place(self, use: ast.Name, since: tuple[int, int]) -> bool:
        """Whether the scope of `use`, after `since` and before `use`, changes the values of
        the tensor its name holds in place: `out.sigmoid_()`, `out[..., 1:] = torch.sigmoid(
        ...)` (a part written over). Shape-only and clamping methods keep them."""
        found = self._changes_in_place().get(use.id)
        if not found:
            return False
        scope, position = id(self.scope_of(use).node), (use.lineno, use.col_offset)
        return any(where == scope and since < done <= position for done, where in found)

    def may_change_in_place(self, name: str) -> bool:
        """Whether any scope changes the values of a tensor named `name` in place."""
        return name in (self._in_place if self._in_place is not None else self._changes_in_place())

    def names_changed_in_place(self) -> frozenset[str]:
        """The names whose tensors some scope changes in place (see `changed_in_place`)."""
        return frozenset(self._changes_in_place())

    def _changes_in_place(self) -> dict[str, list[tuple[tuple[int, int], int]]]:
        if self._in_place is None:
            self._in_place = {}
            for name, node in _changes_in_place(self.calls, self.assignments):
                done = (node.end_lineno or 0, node.end_col_offset or 0)
                self._in_place.setdefault(name, []).append((done, id(self.scope_of(node).node)))
        return self._in_place

    def set_on_parameters(self, class_def: ast.ClassDef) -> dict[tuple[str, str], list[ast.expr]]:
        """What the class's methods assign to attributes of their parameters, by (parameter,
        attribute): `module.probe = Head()` in `def on_fit_start(self, trainer, module)`.
        Read once per module, from the assignments the single pass collected: attribute reads
        on parameters are many."""
        if self._parameter_attributes is None:
            self._parameter_attributes = {}
            for statement in self.assignments:
                if statement.__class__ is not ast.Assign:
                    continue
                method = self._method_around(statement)
                if method is None:
                    continue
                parameters = {argument.arg for argument in method.node.args.args[1:]}  # type: ignore[union-attr]
                for target in statement.targets:  # type: ignore[union-attr]
                    if (
                        isinstance(target, ast.Attribute)
                        and isinstance(target.value, ast.Name)
                        and target.value.id in parameters
                    ):
                        table = self._parameter_attributes.setdefault(id(method.owner), {})
                        key = (target.value.id, target.attr)
                        table.setdefault(key, []).append(statement.value)
        return self._parameter_attributes.get(id(class_def), {})

    def _method_around(self, node: ast.AST) -> Scope | None:
        """The method of a class whose body holds `node`, in functions nested in it too."""
        scope: Scope | None = self.scope_of(node)
        while scope is not None and scope.owner is None:
            scope = scope.parent
        return scope

    # --- bindings --------------------------------------------------------------------------

    def _record_bindings(self, scope: Scope, node: ast.AST) -> None:
        def bind(
            name: str, value: ast.AST | None, end_of: ast.AST, path: tuple[int, ...] | None = ()
        ) -> None:
            end = (getattr(end_of, "end_lineno", 0) or 0, getattr(end_of, "end_col_offset", 0) or 0)
            binding = Binding(
                value=value if path is not None else None,
                end=end,
                branches=self._branches(node, scope),
                path=path or (),
            )
            scope.bindings.setdefault(name, []).append(binding)

        if isinstance(node, ast.Assign):
            for target in node.targets:
                for name, path in _target_names(target):
                    bind(name, node.value, node, path)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            for name, path in _target_names(node.target):
                bind(name, node.value, node, path)
        elif isinstance(node, ast.NamedExpr):
            bind(node.target.id, node.value, node)
        elif isinstance(node, ast.AugAssign):
            for name, _ in _target_names(node.target):
                bind(name, None, node)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            # The loop itself stands for the element it binds: what iterating `iter` gives.
            for name, path in _target_names(node.target):
                bind(name, node, node.target, path)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    for name, _ in _target_names(item.optional_vars):
                        bind(name, None, item.optional_vars)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bind(node.name, None, node)
        elif isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
            bind(node.name, node, node)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                bind(name, None, node)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            bind(node.name, None, node)

    def branches(self, node: ast.AST) -> frozenset[tuple[int, str]]:
        """The conditional branches (if/else, except, match cases) around `node` in its scope."""
        return self._branches(node, self.scope_of(node))

    def _branches(self, node: ast.AST, scope: Scope) -> frozenset[tuple[int, str]]:
        """The conditional branches between `node` and its scope's body (`scope` is the one
        `node` is evaluated in), each node's found once from its parent's."""
        known, parents = self._branches_of, self._parents
        climbed: list[tuple[ast.AST, ast.AST, str]] = []  # (node, its parent, field)
        current, branches = node, frozenset()
        while True:
            found = known.get(id(current))
            if found is not None:
                branches = found
                break
            above = parents.get(id(current))
            if above is None or above[0] is scope.node:
                known[id(current)] = branches
                break
            climbed.append((current, above[0], above[1]))
            current = above[0]
        for child, parent, name in reversed(climbed):
            kind = parent.__class__
            if kind in _BRANCHING_KINDS or (kind is ast.Try and name != "body"):
                branches = branches | {(id(parent), name)}
                if kind is ast.If:
                    self._if_statements[id(parent)] = parent  # type: ignore[assignment]
            known[id(child)] = branches
        return branches

    def sources_of_name(
        self, use: ast.Name, decided: Decided | None = None, entry: bool = False
    ) -> list[Source] | None:
        """What the name read at `use` may hold; None when it cannot be known. `decided` tells
        which arm of an `if` runs, when its test is known (None: either may). With `entry`,
        a parameter of the function holding `use`, left as it came on some path, is a source
        of its own: its `ast.arg` (for a reader that knows what a call passes)."""
        if self._shadowed_locally(use):
            return None
        scope = self.scope_of(use)
        position = (use.lineno, use.col_offset)
        branches = self._branches(use, scope)
        return self._lookup(use.id, scope, position, branches, decided, entry)

    def _lookup(
        self,
        name: str,
        scope: Scope,
        position: tuple[int, int] | None,
        branches: frozenset[tuple[int, str]],
        decided: Decided | None = None,
        entry: bool = False,
    ) -> list[Source] | None:
        bindings = scope.bindings.get(name)
        if bindings:
            if position is None:
                # Read from a function that runs later: any binding in the module may be live.
                if any(binding.value is None for binding in bindings):
                    return None
                return [(binding.value, binding.path) for binding in bindings]  # type: ignore[misc]
            latest = self._latest_before(scope, name, bindings, position)
            if latest is not None:
                if latest.value is None:
                    return None
                if not latest.branches <= branches:
                    return self._joined(name, scope, position, branches, latest, decided, entry)
                if latest.value.__class__ is ast.IfExp and not latest.path:  # cheap: every lookup
                    return [(self._arm_left_by_a_loop(latest, scope, position), ())]
                if self._has_continue:
                    skipping = self.continue_before(latest.value, position)
                    if skipping is not False:
                        return self._past_a_continue(name, scope, skipping, decided, entry)
                return [(latest.value, latest.path)]
            if not scope.is_module and scope.parameter(name) is None:
                return None  # bound later in this function: a local, unbound here
        parameter = scope.parameter(name)
        if parameter is not None and entry and position is not None:
            return [(_argument_named(scope.node, name), ())]  # type: ignore[arg-type]
        if parameter is not None:
            return self._parameter_sources(scope, name, *parameter)
        if scope.parent is None:
            return None
        return self._lookup(name, scope.parent, None, frozenset())

    def _joined(
        self,
        name: str,
        scope: Scope,
        position: tuple[int, int],
        branches: frozenset[tuple[int, str]],
        latest: Binding,
        decided: Decided | None,
        entry: bool = False,
    ) -> list[Source] | None:
        """What a name bound inside an `if` holds after it: the value each arm leaves (the
        one from before the `if` for an arm that does not bind it). None when the binding
        is in another kind of branch, or the `if` holds the use."""
        around = [self._if_statements.get(branch) for branch, _ in latest.branches - branches]
        if not around or any(statement is None for statement in around):
            return None
        statement = min(around, key=lambda node: (node.lineno, node.col_offset))  # type: ignore[union-attr]
        assert statement is not None
        if any(branch == id(statement) for branch, _ in branches):
            return self._past_other_arm(name, scope, position, branches, statement, decided, entry)
        sources: list[Source] = []
        taken = decided(statement.test) if decided is not None else None
        if taken is None:
            taken = self._decided_last_time_round(statement, name, scope, position)
        for arm in ("body", "orelse"):
            if taken is not None and taken != (arm == "body"):
                continue  # the test rules this arm out
            inside = branches | {(id(statement), arm)}
            in_arm = [
                binding
                for binding in scope.bindings[name]
                if (id(statement), arm) in binding.branches and binding.end <= position
            ]
            if not in_arm:
                if self._bound_only_in(statement, name, scope) or _stops(_arm_body(statement, arm)):
                    continue  # that path never reaches the use (a NameError, a raise, an exit)
                start = (statement.lineno, statement.col_offset)
                before = self._lookup(name, scope, start, branches, decided, entry)
                if before is None:
                    return None
                sources += before
                continue
            last = max(in_arm, key=lambda binding: binding.end)
            if last.value is None:
                return None
            if not last.branches <= inside:  # bound in an `if` of this arm: `elif`s
                nested = self._joined(name, scope, position, inside, last, decided, entry)
                if nested is None:
                    return None
                sources += nested
                continue
            sources.append((last.value, last.path))
        return sources

    def _past_other_arm(
        self,
        name: str,
        scope: Scope,
        position: tuple[int, int],
        branches: frozenset[tuple[int, str]],
        statement: ast.If,
        decided: Decided | None,
        entry: bool = False,
    ) -> list[Source] | None:
        """What a name read in one arm of `statement` holds when its latest binding sits in the
        other arm, which does not run on the way (`if regression: p = squeeze(p) elif
        multi_label: use(p)`): the binding before. None inside a loop, whose earlier turns may
        have taken the other arm."""
        if self._in_loop(statement, scope):
            return None
        # The arms that do not run on the way to the use, of every `if` outside a loop that
        # holds it: so the binding found below is never in one, and `_joined` ends.
        skipped = {
            (branch, "orelse" if arm == "body" else "body")
            for branch, arm in branches
            if branch in self._if_statements
            and not self._in_loop(self._if_statements[branch], scope)
        }
        earlier = [
            binding
            for binding in scope.bindings[name]
            if not binding.branches & skipped and binding.end <= position
        ]
        if not earlier:
            return None
        latest = max(earlier, key=lambda binding: binding.end)
        if latest.value is None:
            return None
        if not latest.branches <= branches:
            holding = {branch for branch, _ in branches}
            if any(branch in holding for branch, _ in latest.branches - branches):
                return None  # bound in another part of an `if` holding the use (its test)
            return self._joined(name, scope, position, branches, latest, decided, entry)
        return [(latest.value, latest.path)]

    def _decided_last_time_round(
        self, statement: ast.If, name: str, scope: Scope, position: tuple[int, int]
    ) -> bool | None:
        """For `name` read after the counting loop that holds `statement` (`for i, layer in
        enumerate(self.layers): x = layer(x)`, then `if i < len(self.layers) - 1: x =
        F.relu(x)`): which arm the loop's last time round takes, which leaves the name's
        value. None when the loop may stop early (`break`), the test does not tell, or the
        round binds nothing before the `if` (an arm it skips would leave an earlier round's
        value, not the one bound before the loop)."""
        decision = self.last_round_decision(statement.test, statement)
        if decision is None or position < end_of_node(decision[0]):
            return None
        loop, taken = decision
        each_round = self._branches(loop, scope)
        body, test = (loop.body[0].lineno, loop.body[0].col_offset), end_of_node(statement.test)
        if not any(
            body <= binding.end <= test and binding.branches == each_round
            for binding in scope.bindings.get(name, [])
        ):
            return None
        return taken

    def _arm_left_by_a_loop(
        self, binding: Binding, scope: Scope, position: tuple[int, int]
    ) -> ast.AST:
        """`x = F.relu(layer(x)) if i < len(self.layers) - 1 else layer(x)`, bound every time
        round a counting loop, read after it: the arm its last time round takes (else the
        whole `a if test else b`)."""
        value = binding.value
        assert isinstance(value, ast.IfExp)
        decision = self.last_round_decision(value.test, value)
        if decision is None or position < end_of_node(decision[0]):
            return value
        if binding.branches != self._branches(decision[0], scope):
            return value
        return value.body if decision[1] else value.orelse

    def last_round_decision(
        self, test: ast.expr, node: ast.AST
    ) -> tuple[ast.For | ast.AsyncFor, bool] | None:
        """The counting loop holding `node`, and what `test` gives its last time round; None
        when the loop may stop early (a `break`, an `else:`) or the test does not tell."""
        if not may_count(test):
            return None
        loop = self.innermost_loop(node)
        if not isinstance(loop, ast.For | ast.AsyncFor) or loop.orelse:
            return None
        taken = decided_on_last_iteration(test, loop)
        if taken is None or self._breaks(loop):
            return None
        return loop, taken

    def continue_before(
        self, node: ast.AST, read_at: tuple[int, int] | None = None
    ) -> ast.Continue | bool:
        """For `node` in a loop's body after a `continue` of that loop (read after the loop,
        when `read_at` is given): the `continue` its last time round takes, which skips `node`
        (`if i == len(self.layers) - 1: continue`, then `x = F.relu(x)`); False when none may
        skip it; True when one may and its test does not tell."""
        loop = self.innermost_loop(node) if self._has_continue else None
        if loop is None or (read_at is not None and read_at < end_of_node(loop)):
            return False
        here = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
        taken: ast.Continue | bool = False
        for found in self._exits_of(loop):
            if found.__class__ is ast.Break or (found.lineno, found.col_offset) >= here:
                continue
            decision = self._taken_last_time_round(found, loop)
            if decision is None:
                return True
            if decision:
                taken = found
        return taken

    def _past_a_continue(
        self,
        name: str,
        scope: Scope,
        skipping: ast.Continue | bool,
        decided: Decided | None,
        entry: bool,
    ) -> list[Source] | None:
        """What `name` holds after a loop whose last time round a `continue` ends before the
        latest binding: what it holds at that `continue` (None when which one is unknown)."""
        if not isinstance(skipping, ast.Continue):
            return None
        at = (skipping.lineno, skipping.col_offset)
        return self._lookup(name, scope, at, self._branches(skipping, scope), decided, entry)

    def _exits_of(self, loop: ast.AST) -> list[ast.Continue | ast.Break]:
        """The `continue` and `break` statements of `loop` itself (not an inner loop's, nor a
        nested function's)."""
        if self._exits_by_loop is None:
            self._exits_by_loop = {}
            for found in self._loop_exits:
                holder = self.innermost_loop(found)
                if holder is not None:
                    self._exits_by_loop.setdefault(id(holder), []).append(found)
        return self._exits_by_loop.get(id(loop), [])

    def _taken_last_time_round(self, found: ast.Continue, loop: ast.AST) -> bool | None:
        """Whether the loop's last time round takes `found`: each `if` around it in the loop
        must take the arm holding it, as the loop's counter at its last value decides."""
        if not isinstance(loop, ast.For | ast.AsyncFor):
            return None
        current: ast.AST = found
        while (above := self._parents.get(id(current))) is not None and above[0] is not loop:
            holder, field = above[0], above[1]
            if isinstance(holder, ast.If) and field in ("body", "orelse"):
                test = decided_on_last_iteration(holder.test, loop)
                if test is None:
                    return None
                if test != (field == "body"):
                    return False
            elif not isinstance(holder, ast.With | ast.AsyncWith | ast.Try):
                return None
            current = holder
        return True

    def _breaks(self, loop: ast.For | ast.AsyncFor) -> bool:
        """Whether a `break` may end `loop` before its last time round."""
        return any(found.__class__ is ast.Break for found in self._exits_of(loop))

    def innermost_loop(self, node: ast.AST) -> ast.AST | None:
        """The loop of `node`'s scope whose body holds `node` most closely; None if none."""
        scope, current = self.scope_of(node), node
        while (above := self._parents.get(id(current))) is not None and above[0] is not scope.node:
            if isinstance(above[0], _LOOPS) and above[1] == "body":
                return above[0]
            current = above[0]
        return None

    def _in_loop(self, node: ast.AST, scope: Scope) -> bool:
        current: ast.AST = node
        while (above := self._parents.get(id(current))) is not None and above[0] is not scope.node:
            if isinstance(above[0], _LOOPS) and above[1] == "body":
                return True
            current = above[0]
        return False

    def _bound_only_in(self, statement: ast.If, name: str, scope: Scope) -> bool:
        """Whether `statement`'s arms are all that bind `name`: nothing else in the scope
        (before or after it, as a loop would run), no parameter, import or (for a function)
        module-level name."""
        inside = id(statement)
        if any(
            all(branch != inside for branch, _ in binding.branches)
            for binding in scope.bindings.get(name, [])
        ):
            return False
        if scope.parameter(name) is not None or self._may_be_imported(name):
            return False
        return scope.is_module or name not in self.module_scope.bindings

    def _latest_before(
        self, scope: Scope, name: str, bindings: list[Binding], position: tuple[int, int]
    ) -> Binding | None:
        """The binding of `name` that ends last before `position` (the first of equals).

        By bisection over the bindings sorted once by end: a name rebound in every block of a
        long file (`x`, `loss`) would otherwise cost a scan per use, quadratic in the file.
        """
        key = (id(scope), name)
        if key not in self._bindings_by_end:
            ordered = sorted(bindings, key=lambda binding: binding.end)  # stable for equals
            self._bindings_by_end[key] = ([binding.end for binding in ordered], ordered)
        ends, ordered = self._bindings_by_end[key]
        count = bisect.bisect_right(ends, position)
        if not count:
            return None
        return ordered[bisect.bisect_left(ends, ends[count - 1], 0, count)]

    def called_in_file(self, scope: Scope) -> bool:
        """Whether a call in this file runs the function (or constructs the class whose
        `__init__`) `scope` is: else its parameters hold their defaults only as far as this
        file tells."""
        if scope.is_module:
            return False
        name = scope.owner.name if scope.owner is not None else scope.node.name  # type: ignore[union-attr]
        return bool(self._calls_by_name.get(name))

    def _parameter_sources(
        self, scope: Scope, name: str, index: int | None, default: ast.expr | None
    ) -> list[Source] | None:
        function = scope.node
        assert isinstance(function, _FUNCTIONS)
        if scope.owner is not None:
            if function.name != "__init__" or index is None:
                return None
            calls = self._calls_by_name.get(scope.owner.name, [])
            index -= 1  # `self` is not passed at the call site
            if len(self.classes.get(scope.owner.name, [])) != 1:
                return None
        else:
            calls = self._calls_by_name.get(function.name, [])
            if len(self.functions.get(function.name, [])) != 1:
                return None
        if not calls and default is not None:
            return [(default, ())]  # called from elsewhere, if at all: as it stands, the default
        if not calls or len(calls) > _MAX_CALL_SITES:
            return None
        sources: list[Source] = []
        for call in calls:
            argument = argument_at(call, index, name)
            if argument is UNKNOWN_ARGUMENT:
                return None
            if argument is None:
                if default is None:
                    return None
                sources.append((default, ()))
            else:
                sources.append((argument, ()))  # type: ignore[arg-type]
        return sources

    def applied_in_turn(self, use: ast.Name) -> ast.For | None:
        """The loop `for layer in layers: x = layer(x)` when its assignment is the binding
        of `x` that `use` reads after it: the loop applies each element to `x` in turn."""
        scope = self.scope_of(use)
        bindings = scope.bindings.get(use.id)
        position = (use.lineno, use.col_offset)
        latest = self._latest_before(scope, use.id, bindings, position) if bindings else None
        assignment = self.parent(latest.value) if latest and latest.value is not None else None
        loop = self.parent(assignment) if isinstance(assignment, ast.Assign) else None
        if not isinstance(loop, ast.For) or loop.orelse or position < end_of_node(loop):
            return None  # read inside the loop, or a loop with an `else:`
        applied, step = latest.value, loop.target  # type: ignore[union-attr]
        if not (
            isinstance(step, ast.Name)
            and loop.body == [assignment]  # no `break`, nothing else
            and [_target_names_of(target) for target in assignment.targets] == [[use.id]]  # type: ignore[union-attr]
            and isinstance(applied, ast.Call)
            and isinstance(applied.func, ast.Name)
            and applied.func.id == step.id
            and [_name_of(argument) for argument in applied.args] == [use.id]
            and not applied.keywords
        ):
            return None
        return loop

    def _shadowed_locally(self, use: ast.Name) -> bool:
        """True when a lambda parameter or comprehension target binds the name."""
        return self.local_binder(use) is not None

    def local_binder(self, use: ast.Name) -> ast.Lambda | ast.comprehension | None:
        """The lambda or the comprehension clause (`for m in models`) that binds the name read
        at `use`, if one does."""
        if use.id not in self._locally_bound:
            return None
        current: ast.AST = use
        # A clause's `in` expression runs before its target is bound (the first clause's, in
        # the enclosing scope): `[m(x) for m in m]`.
        read_by_clause: ast.comprehension | None = None
        while (above := self._parents.get(id(current))) is not None:
            parent, field, _ = above
            if isinstance(parent, _SCOPE_NODES):
                return None
            if isinstance(parent, ast.Lambda) and use.id in _parameter_names(parent.args):
                return parent
            if isinstance(parent, ast.comprehension) and field == "iter":
                read_by_clause = parent
            if isinstance(parent, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
                for generator in reversed(_clauses_before(parent.generators, read_by_clause)):
                    if any(name == use.id for name, _ in _target_names(generator.target)):
                        return generator
                read_by_clause = None
            current = parent
        return None

    # --- attributes ------------------------------------------------------------------------

    def _collect_self_attributes(self) -> dict[tuple[int, str], list[Source]]:
        """(id of a class, attribute) -> the values its class body and its methods assign."""
        found: dict[tuple[int, str], list[Source]] = {}
        for node in self.assignments:
            parent, _, scope = self._parents[id(node)]
            if parent.__class__ is ast.ClassDef:  # a class attribute: `loss = nn.NLLLoss()`
                if isinstance(node, ast.AugAssign) or node.value is None:
                    continue
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        found.setdefault((id(parent), target.id), []).append((node.value, ()))
            elif scope.owner is not None:  # in a method's own body
                for target, value in _attribute_assignments(node):
                    if isinstance(target.value, ast.Name) and target.value.id == "self":
                        found.setdefault((id(scope.owner), target.attr), []).append((value, ()))
        return found

    def _collect_external_attribute_writes(self) -> set[str]:
        """Attributes assigned on something other than `self`: `model.fc = nn.Linear(...)`."""
        names: set[str] = set()
        for node in self.assignments:
            for target, _ in _attribute_assignments(node):
                if not (isinstance(target.value, ast.Name) and target.value.id == "self"):
                    names.add(target.attr)
        return names

    def _iter_classes(self) -> Iterator[ast.ClassDef]:
        for class_defs in self.classes.values():
            yield from class_defs

    def sources_of_attribute(self, class_def: ast.ClassDef, attr: str) -> list[Source] | None:
        """What `self.attr` holds in `class_def`: its assignments there (or in a base class)."""
        if attr in self.externally_assigned_attributes:
            return None
        sources = self._attribute_sources.get((id(class_def), attr))
        if sources is not None:
            return sources
        for base in self.local_bases(class_def):
            found = self.sources_of_attribute(base, attr)
            if found is not None:
                return found
        return None

    def if_statement(self, branch: int) -> ast.If | None:
        """The `if` a branch that `branches` names belongs to (None: a `try`, a `match`)."""
        return self._if_statements.get(branch)

    def tests_around(self, node: ast.AST) -> dict[str, str]:
        """The `if` tests (and `a if test else b`) around `node` in its function, each as its
        source dump with the arm (`body` or `orelse`) `node` is in; only tests without calls,
        whose value a second reading gives again (`if self.discrete:`, `if mode == "train":`)."""
        found: dict[str, str] = {}
        current = node
        while (above := self._parents.get(id(current))) is not None:
            parent, field, _ = above
            if isinstance(parent, _SCOPE_NODES):
                break
            if isinstance(parent, ast.If | ast.IfExp) and field in ("body", "orelse"):
                dumped = self._test_dump(parent.test)
                if dumped is not None:
                    found.setdefault(dumped, field)
            current = parent
        return found

    def _test_dump(self, test: ast.expr) -> str | None:
        """The source dump of a test without calls (None for one with calls); once per test."""
        key = id(test)
        if key not in self._test_dumps:
            calls = any(isinstance(part, ast.Call) for part in ast.walk(test))
            self._test_dumps[key] = None if calls else ast.dump(test)
        return self._test_dumps[key]

    def local_bases(self, class_def: ast.ClassDef) -> list[ast.ClassDef]:
        """Base classes defined in this module (once, unambiguously)."""
        bases = []
        for base in class_def.bases:
            if isinstance(base, ast.Name) and len(self.classes.get(base.id, [])) == 1:
                candidate = self.classes[base.id][0]
                if candidate is not class_def:
                    bases.append(candidate)
        return bases

    def method(
        self, class_def: ast.ClassDef, name: str, _seen: frozenset[int] = frozenset()
    ) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for item in class_def.body:
            if isinstance(item, _FUNCTIONS) and item.name == name:
                return item
        for base in self.local_bases(class_def):
            if id(base) not in _seen:
                found = self.method(base, name, _seen | {id(class_def)})
                if found is not None:
                    return found
        return None

    def returns(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr] | None:
        """The returned expressions of a function; None if it can return None or yield."""
        scope = self._scopes[id(function)]
        values = []
        for node in self.walk_scope(scope):
            if isinstance(node, (ast.Yield, ast.YieldFrom)):
                return None
            if isinstance(node, ast.Return):
                if node.value is None:
                    return None
                values.append(node.value)
        return values or None


UNKNOWN_ARGUMENT = object()


def argument_at(
    call: ast.Call,
    index: int | None,
    name: str,
    unpacked: Callable[[ast.expr], dict[str, ast.expr] | None] = lambda value: None,
) -> ast.expr | object | None:
    """The argument for a parameter at a call site: None if not passed, UNKNOWN_ARGUMENT if
    unclear. `unpacked` tells the entries of a dict given as `**config`, when known."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    for position, argument in enumerate(call.args if index is not None else ()):
        if isinstance(argument, ast.Starred):
            return UNKNOWN_ARGUMENT
        if position == index:
            return argument  # given by position, no `**config` may give it again
    for keyword in call.keywords:
        if keyword.arg is None:
            entries = unpacked(keyword.value)
            if entries is None:
                return UNKNOWN_ARGUMENT
            if name in entries:
                return entries[name]
    return None


def _target_names_of(target: ast.AST) -> list[str]:
    return [name for name, _ in _target_names(target)]


def _name_of(node: ast.AST) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


ListEvent = tuple[tuple[int, int], str, ast.expr]
# The nodes that may change a list (`_list_events`).
_LIST_CHANGING_KINDS = frozenset({ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Call})


def _list_events(node: ast.AST) -> list[tuple[str, ListEvent]]:
    """The names a node changes as lists, and how (see `ScopeIndex.list_events`)."""
    position = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
    if isinstance(node, ast.Assign):
        names = [target.id for target in node.targets if isinstance(target, ast.Name)]
        return [(name, (position, "assign", node.value)) for name in names]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
        return [(node.target.id, (position, "assign", node.value))]
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        kind = "extend" if isinstance(node.op, ast.Add) else "unknown"
        return [(node.target.id, (position, kind, node.value))]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
    ):
        method = node.func.attr
        kind = method if method in ("append", "extend") else "unknown"
        return [(node.func.value.id, (position, kind, node.args[0] if node.args else node))]
    return []


def _clauses_before(
    clauses: list[ast.comprehension], clause: ast.comprehension | None
) -> list[ast.comprehension]:
    """The clauses whose targets are bound where `clause`'s `in` expression runs (all of them
    when the name is read elsewhere in the comprehension)."""
    return clauses if clause is None else clauses[: clauses.index(clause)]


def _target_names(
    target: ast.AST, path: tuple[int, ...] | None = ()
) -> Iterator[tuple[str, tuple[int, ...] | None]]:
    """(name, path) for every name an assignment target binds: the path indexes into the
    assigned value (`()` for all of it); None where no index can tell (a starred name, and
    what follows it)."""
    if isinstance(target, ast.Name):
        yield target.id, path
    elif isinstance(target, (ast.Tuple, ast.List)):
        known = path
        for index, element in enumerate(target.elts):
            if isinstance(element, ast.Starred):
                known = None
                yield from _target_names(element.value, None)
            else:
                yield from _target_names(element, None if known is None else (*known, index))
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value, None)


def _parameter_names(arguments: ast.arguments) -> set[str]:
    return {arg.arg for arg in ast.walk(arguments) if isinstance(arg, ast.arg)}


def _own_nodes(scope_node: ast.AST) -> list[ast.AST]:
    """The nodes evaluated in a scope, in source order: a module's, or a function body's,
    without the bodies of the functions defined in it."""
    stack: list[ast.AST] = (
        [scope_node] if isinstance(scope_node, ast.Module) else list(reversed(scope_node.body))  # type: ignore[attr-defined]
    )
    found: list[ast.AST] = []
    while stack:
        node = stack.pop()
        found.append(node)
        kind = node.__class__
        fields = _OWN_REVERSED_FIELDS.get(kind)
        if fields is None:
            fields = _OWN_REVERSED_FIELDS[kind] = tuple(
                name
                for name in reversed(child_fields(kind))
                if not (name == "body" and kind in _FUNCTION_KINDS)  # another scope
            )
        # Children pushed last field first, last element first: popped in source order.
        for name in fields:
            value = getattr(node, name)
            if value.__class__ is list:
                stack.extend(child for child in reversed(value) if child.__class__ in _NODE_CLASSES)
            elif value.__class__ in _NODE_CLASSES:
                stack.append(value)
    return found


def _attribute_assignments(node: ast.AST) -> Iterator[tuple[ast.Attribute, ast.expr | None]]:
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Attribute):
                yield target, node.value
            elif isinstance(target, (ast.Tuple, ast.List)):
                for element in target.elts:
                    if isinstance(element, ast.Attribute):
                        yield element, None
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Attribute):
        if node.value is not None:
            yield node.target, node.value
    elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Attribute):
        yield node.target, None


# Calls after which a path goes no further.
_EXITS = frozenset({"exit", "quit", "sys.exit", "os._exit"})


def _argument_named(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> ast.arg:
    """The parameter `name` of `function` (which has one)."""
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    every += [found for found in (arguments.vararg, arguments.kwarg) if found is not None]
    return next(argument for argument in every if argument.arg == name)


def _arm_body(statement: ast.If, arm: str) -> list[ast.stmt]:
    return statement.body if arm == "body" else statement.orelse


def _stops(body: list[ast.stmt]) -> bool:
    """Whether a block surely ends its path: its last statement raises, returns or exits."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, ast.Raise | ast.Return):
        return True
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        return ast.unparse(last.value.func) in _EXITS
    return False


# In-place methods that keep what kind of values a tensor holds (shape, clamping, autograd).
_KEEPING_IN_PLACE = frozenset(
    {"clamp_", "clip_", "requires_grad_", "detach_", "squeeze_", "unsqueeze_", "transpose_"}
    | {"t_", "resize_", "share_memory_", "retain_grad_"}
)


def _changes_in_place(
    calls: list[ast.Call], assignments: list[ast.Assign | ast.AnnAssign | ast.AugAssign]
) -> Iterator[tuple[str, ast.AST]]:
    """(name, node) for each `name.method_(...)` that changes a tensor's values in place and
    each `name[a:b] = v` or `name[..., i] += v` that writes over a part of it (an index of
    slices: a tensor's, not a dict's key)."""
    for call in calls:  # class identity, not isinstance: this runs for every call
        func = call.func
        if func.__class__ is not ast.Attribute:
            continue
        method = func.attr  # type: ignore[attr-defined]
        if method[-1] != "_" or method[0] == "_" or method in _KEEPING_IN_PLACE:
            continue
        if func.value.__class__ is ast.Name:  # type: ignore[attr-defined]
            yield func.value.id, call  # type: ignore[attr-defined]
    for node in assignments:
        for target in node.targets if node.__class__ is ast.Assign else [node.target]:  # type: ignore[union-attr]
            if (
                target.__class__ is ast.Subscript
                and target.value.__class__ is ast.Name  # type: ignore[attr-defined]
                and target.slice.__class__ in (ast.Slice, ast.Tuple)  # type: ignore[attr-defined]
            ):
                yield target.value.id, node  # type: ignore[attr-defined]
