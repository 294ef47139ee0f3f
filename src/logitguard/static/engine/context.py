"""What every analysis asks of a module: names, values, literals, text and places.

Framework-neutral: a front end extends it with its own knowledge (`KerasContext`).
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import functools
import re
from collections.abc import Callable, Iterator
from typing import Self

from logitguard.core.facts import Location
from logitguard.static.engine import ast_tools
from logitguard.static.engine.branches import UNDECIDED, outcome
from logitguard.static.engine.imports import canonical
from logitguard.static.engine.index import UNCERTAIN, Binding, is_self_attribute, start
from logitguard.static.engine.module import ParsedModule
from logitguard.static.engine.project import Definition, Project
from logitguard.static.engine.scopes import argument_at

MAX_DEPTH = 40  # how far a value is followed through names before giving up
# Names whose bindings are decided from `if` tests at once, one test reading the next name.
_MAX_DECIDING = 8
Arguments = dict[tuple[ast.AST, str], tuple["ModuleContext", ast.expr, ast.stmt]]


class ModuleContext:
    """Names, values, text and places of one module, through its index and imports."""

    def __init__(self, module: ParsedModule, project: Project | None = None) -> None:
        self.module = module
        self.project = project
        self.resolver = module.resolver
        self.index = module.index
        self._resolved: dict[ast.AST, str | None] = {}
        self._qualified: dict[tuple[ast.AST, ast.stmt], str | None] = {}
        # What analyses of this module keep when there is no project to keep it in.
        self.analyses: dict[str, object] = {}
        # While one call of a function is read: (function, parameter) -> what the call
        # passes, as (the caller's context, the expression, its statement).
        self.arguments: Arguments = {}
        # Per scope, the names whose containers it changes (`cfg["loss"] = ...`).
        self._changed_names: dict[ast.AST, set[str]] = {}
        # The (name, statement) pairs whose binding is being decided from `if` tests.
        self._deciding: set[tuple[str, ast.stmt]] = set()
        # Answers kept for the life of this context, by a key naming the question.
        self._memo: dict[tuple[object, ...], bool] = {}

    @contextlib.contextmanager
    def bound(self, arguments: Arguments) -> Iterator[None]:
        """Read the module with the parameters of a function bound to one call's arguments."""
        outer, self.arguments = self.arguments, {**self.arguments, **arguments}
        try:
            yield
        finally:
            self.arguments = outer

    def passed_argument(
        self, name: str, at: ast.stmt
    ) -> tuple[ModuleContext, ast.expr, ast.stmt] | None:
        """What the call being read passes for the parameter `name` reads at `at`; outside
        such a call, the parameter's default when no call in this file can pass another
        value (a library's `MLPClassifier(activation="sigmoid", loss=...)`: what its users
        get by default)."""
        binding = self.index.lookup(name, at)
        if binding is None or binding is UNCERTAIN or binding.value is not None:
            return None
        function = binding.statement
        found = self.arguments.get((function, name))
        if found is not None or any(key[0] is function for key in self.arguments):
            return found
        return self._default_never_overridden(function, name)

    def _default_never_overridden(
        self, function: ast.stmt, name: str
    ) -> tuple[ModuleContext, ast.expr, ast.stmt] | None:
        """(this context, the default, the function) of a parameter that every reference of
        the file to its function (or, for `__init__`, to its class) leaves at its default: the
        references are all calls that pass nothing (a call that passes something is read on
        its own, its parameters bound). What other files pass is read where they call it; but
        a default that a file near this one overrides (`build(shape, channels=2)` in the
        factory beside `def build(shape, channels=1, activation="softmax")`) may never hold,
        so it is not taken."""
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return None
        default = ast_tools.parameter_defaults(function).get(name)
        if default is None or not self._only_called_bare(function):
            return None
        if self._passed_beside(function, name):
            return None  # a script near this file passes another value: the default may not hold
        return self, default, function

    def _passed_beside(self, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
        """Whether a file of the project near this one passes `function` a value for `name`."""
        if self.project is None:
            return False
        owner = self.index.scope_of(function).node
        owner = owner if isinstance(owner, ast.ClassDef) else None
        return self.project.passed_beside(self.module, function, owner, name)

    def _only_called_bare(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """Whether this file names `function` (or, for `__init__`, its class) only where it
        defines it and in calls that pass nothing."""
        key = ("only called bare", function)
        if key not in self._memo:
            self._memo[key] = self._names_only_in_bare_calls(function)
        return self._memo[key]

    def _names_only_in_bare_calls(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        owner = self.index.scope_of(function).node
        if isinstance(owner, ast.ClassDef):
            if function.name != "__init__" or owner.decorator_list:
                return False  # `call`, `forward`: run by the framework; a dataclass's fields
            called = owner.name
        else:
            called = function.name
        if function.decorator_list:
            return False  # registered, wrapped: called out of sight
        calls = [
            call
            for call, _ in self.index.calls_by_name.get(called, ())
            if ast_tools.last_name(call.func) == called
        ]
        word, source = re.escape(called), self.module.source
        definitions = len(re.findall(rf"\b(?:def|class)\s+{word}\b", source))
        mentions = len(re.findall(rf"\b{word}\b", source))
        if mentions != definitions + len(calls):
            return False  # handed on, subclassed, registered: it may be called out of sight
        # A call that passes arguments is read on its own, with its defaults bound.
        return not any(call.args or call.keywords for call in calls)

    def value_binding(self, name: str, at: ast.stmt) -> Binding | None:
        """The binding of `name` at `at` when it has a known, whole value."""
        binding = self.binding(name, at)
        if binding is None or binding is UNCERTAIN or binding.value is None or binding.path:
            return None
        return binding

    def binding(self, name: str, at: ast.stmt) -> Binding | None:
        """The index's binding of `name` at `at` (None: unbound, UNCERTAIN: unclear), with
        one made in the arms of `if`s read as `_binding_through_ifs` tells."""
        binding = self.index.lookup(name, at)
        if binding is not UNCERTAIN or (name, at) in self._deciding:
            return binding
        if len(self._deciding) >= _MAX_DECIDING:
            return binding
        self._deciding.add((name, at))  # a test reading the name itself decides nothing
        try:
            return self._binding_through_ifs(name, at) or UNCERTAIN
        finally:
            self._deciding.discard((name, at))

    def _binding_through_ifs(self, name: str, at: ast.stmt) -> Binding | None:
        """The binding that reaches `at` from the arms of `if`s: the latest one that may run,
        when it surely runs because constants decide its `if`s (`if loss_type == "softmax":`
        with `loss_type = "softmax"`), or when it is the only one that may run, in the arms
        of `if`s only: every other path leaves the name unbound (`else: raise`)."""
        scope = self.index.scope_of(at)
        here, around = start(at), set(self.index.conditions_of(at))
        bindings = [b for b in scope.bindings.get(name, []) if b.effective <= here]
        runnable = []
        for binding in bindings:
            arms = [c for c in binding.conditions if c not in around]
            if not all(isinstance(arm, tuple) and isinstance(arm[0], ast.If) for arm in arms):
                return None  # in a loop, a `try`: not followed
            taken = [self._arm_taken(arm, at) for arm in arms]
            if False not in taken:
                runnable.append((binding, all(taken)))
        if not runnable:
            return None
        latest, surely = runnable[-1]
        if surely or (len(runnable) == 1 and not self._bound_outside(name, scope)):
            return latest
        return None

    def runs(self, statement: ast.stmt) -> bool | None:
        """Whether `statement` runs when its function does, as the constants in view (the
        call being read binds its parameters) decide the `if`s around it: True surely,
        False never, None when they do not tell or other blocks (a loop, a `try`) hold it."""
        arms = self.index.conditions_of(statement)
        if not all(isinstance(arm, tuple) and isinstance(arm[0], ast.If) for arm in arms):
            return None
        taken = [self._arm_taken(arm, statement) for arm in arms]
        return False if False in taken else True if all(taken) else None

    def _arm_taken(self, arm: tuple[ast.If, str], at: ast.stmt) -> bool | None:
        """Whether constants say the arm of an `if` runs (None: they do not tell)."""
        statement, field = arm

        def constant(node: ast.expr) -> object:
            if isinstance(node, ast.Constant):
                return node.value
            value = self.literal(node, at)
            return UNDECIDED if value is None else value

        test = outcome(statement.test, constant)
        return None if test is UNDECIDED else bool(test) == (field == "body")

    def _bound_outside(self, name: str, scope: object) -> bool:
        """Whether `name` has a meaning beyond `scope`'s own bindings: an import, a builtin
        name, a binding of an enclosing scope."""
        if name in self.resolver.aliases or hasattr(builtins, name):
            return True
        outer = scope.parent  # type: ignore[attr-defined]
        while outer is not None:
            if outer.bindings.get(name):
                return True
            outer = outer.parent
        return False

    def parameter_read(
        self,
        expr: ast.AST,
        at: ast.stmt,
        through: Callable[[ast.AST, ast.stmt], ast.AST | None] | None = None,
    ) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, str] | None:
        """The function and the name of the parameter `expr` reads: through names, and through
        what `through` sees into (indexing, value-keeping calls) when given."""
        for _ in range(MAX_DEPTH):
            if not isinstance(expr, ast.Name):
                inner = through(expr, at) if through is not None else None
                if inner is None:
                    return None
                expr = inner
                continue
            binding = self.index.lookup(expr.id, at)
            if binding is None or binding is UNCERTAIN or binding.path:
                return None
            if binding.value is None:
                function = binding.statement
                is_function = isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
                return (function, expr.id) if is_function else None  # type: ignore[return-value]
            expr, at = binding.value, binding.statement  # type: ignore[assignment]
        return None

    def through_names(self, expr: ast.AST, at: ast.stmt) -> tuple[ast.AST, ast.stmt] | None:
        """`expr`, or what the names it reads are bound to, followed to an expression that is
        no name (and the statement binding it); None when a name's value is not known."""
        for _ in range(MAX_DEPTH):
            if not isinstance(expr, ast.Name):
                return expr, at
            binding = self.value_binding(expr.id, at)
            if binding is None:
                return None
            expr, at = binding.value, binding.statement  # type: ignore[assignment]
        return None

    def left_to_the_default(self, expr: ast.BoolOp, at: ast.stmt) -> ast.expr | None:
        """What `given or Dense(...)` holds when every operand but the last is surely None (a
        parameter no call here passes, left at its default None); None when that is unknown."""
        if not isinstance(expr.op, ast.Or):
            return None
        *tried, last = expr.values
        return last if all(self.surely_none(value, at) for value in tried) else None

    def surely_none(self, expr: ast.AST, at: ast.stmt, depth: int = 0) -> bool:
        """Whether `expr` is None: the literal, or a name bound to it or passed it."""
        if isinstance(expr, ast.Constant):
            return expr.value is None
        if isinstance(expr, ast.Attribute) and depth <= MAX_DEPTH and not is_self_attribute(expr):
            constant = self._imported_constant(expr, at)  # `cfg.FINAL_ACTIVATION`
            return constant is not None and constant[0].surely_none(
                constant[1], constant[2], depth + 1
            )
        if not isinstance(expr, ast.Name) or depth > MAX_DEPTH:
            return False
        binding = self.value_binding(expr.id, at)
        if binding is not None:
            return self.surely_none(binding.value, binding.statement, depth + 1)
        constant = self._imported_constant(expr, at) if self._may_import(expr.id) else None
        if constant is not None:  # `from config import FINAL_ACTIVATION`
            return constant[0].surely_none(constant[1], constant[2], depth + 1)
        passed = self.passed_argument(expr.id, at)
        return passed is not None and passed[0].surely_none(passed[1], passed[2], depth + 1)

    def qualified(self, expr: ast.AST, at: ast.stmt) -> str | None:
        """The canonical dotted path of `expr`, through imports and `alias = module.attr`."""
        key = (expr, at)
        if key not in self._qualified:
            self._qualified[key] = self._path_of(expr, at, 0)
        return self._qualified[key]

    def _path_of(self, expr: ast.AST, at: ast.stmt, depth: int) -> str | None:
        if expr not in self._resolved:
            self._resolved[expr] = self.resolver.resolve(expr)
        path = self._resolved[expr]
        if path is not None or depth > MAX_DEPTH:
            return path
        attributes: list[str] = []
        node = expr
        while isinstance(node, ast.Attribute):
            attributes.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id in self.resolver.aliases or node.id == "self":
            return None  # `self` is a parameter: nothing to follow
        binding = self.value_binding(node.id, at)
        if binding is None or not isinstance(binding.value, ast.Name | ast.Attribute):
            return None
        base = self._path_of(binding.value, binding.statement, depth + 1)
        if base is None:
            return None
        return canonical(".".join([base, *reversed(attributes)]))

    def self_attribute(self, expr: ast.AST, at: ast.stmt) -> Binding | None:
        """The one assignment of `self.attr` in the class whose method holds `at`."""
        owner = self._class_of_method(expr, at)
        return self.class_attribute(owner, expr.attr) if owner else None  # type: ignore[attr-defined]

    def _class_of_method(self, expr: ast.AST, at: ast.stmt) -> ast.ClassDef | None:
        """For `self.attr`, the class whose method holds `at`."""
        if not is_self_attribute(expr):
            return None
        scope = self.index.scope_of(at)
        owner = scope.parent.node if scope.parent is not None else None
        return owner if isinstance(owner, ast.ClassDef) else None

    def self_attribute_at(self, expr: ast.AST, at: ast.stmt) -> Binding | None:
        """The assignment of `self.attr` that holds when `at` runs: the class's only one, or,
        when all of them are in the method holding `at` (no other method, called in between,
        may change it), the latest before `at` that surely ran there (`self.y =
        tf.placeholder(...)` then `self.y = tf.one_hot(self.y, 10)`)."""
        found = self.self_attribute(expr, at)
        owner = self._class_of_method(expr, at) if found is None else None
        if owner is None:
            return found
        scope = self.index.scope_of(at)
        bindings = self.class_attribute_bindings(owner, expr.attr)  # type: ignore[attr-defined]
        if not bindings or any(self.index.scope_of(b.statement) is not scope for b in bindings):
            return None
        latest = self.index.latest(bindings, at)
        return None if latest is UNCERTAIN or latest.value is None or latest.path else latest

    def self_attribute_set(self, expr: ast.AST, at: ast.stmt) -> Binding | None:
        """The one assignment of `self.attr` in the class that is no `None` (`self.model =
        None` in `__init__`, then `self.model = Model(...)` in `build`): for what is read as an
        object, which `None` never is."""
        found = self.self_attribute(expr, at)
        owner = self._class_of_method(expr, at) if found is None else None
        if owner is None:
            return found
        bindings = [
            binding
            for binding in self.class_attribute_bindings(owner, expr.attr)  # type: ignore[attr-defined]
            if not ast_tools.is_none(binding.value)
        ]
        if len(bindings) != 1 or bindings[0].value is None or bindings[0].path:
            return None
        return bindings[0]

    def class_attribute(self, cls: ast.ClassDef, attribute: str) -> Binding | None:
        """The one assignment of `self.attribute` in `cls` (or a base of this file), when
        there is one and it assigns a whole value."""
        bindings = self.class_attribute_bindings(cls, attribute)
        if len(bindings) != 1 or bindings[0].value is None or bindings[0].path:
            return None
        return bindings[0]

    def method_of(
        self, cls: ast.ClassDef, name: str, depth: int = 0
    ) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The method `name` of `cls`: its own, or that of the first of its bases (classes of
        this file) that has one."""
        own = [
            node
            for node in cls.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name
        ]
        if own or depth >= MAX_DEPTH:
            return own[-1] if own else None
        for base in cls.bases:
            binding = self.index.lookup(base.id, cls) if isinstance(base, ast.Name) else None
            if binding is not None and isinstance(binding.value, ast.ClassDef):
                found = self.method_of(binding.value, name, depth + 1)
                if found is not None:
                    return found
        return None

    def class_attribute_bindings(
        self, cls: ast.ClassDef, attribute: str, depth: int = 0
    ) -> list[Binding]:
        """The assignments of `self.attribute` in the methods of `cls` and of the classes of
        this file it derives from (a base's `__init__` sets what a subclass reads)."""
        found = list(self.index.class_attributes.get(cls, {}).get(attribute, []))
        if depth >= MAX_DEPTH:
            return found
        for base in cls.bases:
            binding = self.index.lookup(base.id, cls) if isinstance(base, ast.Name) else None
            if binding is not None and isinstance(binding.value, ast.ClassDef):
                found += self.class_attribute_bindings(binding.value, attribute, depth + 1)
        return found

    def attribute_set_by_a_base_elsewhere(
        self, expr: ast.AST, at: ast.stmt
    ) -> tuple[Self, ast.ClassDef, Binding] | None:
        """For `self.attr` in a method of a class whose own file sets no such attribute: the
        context of a base class of another project file, that class, and its one assignment
        of the attribute (`self.model = model` in a trainer base's `__init__`)."""
        owner = self._class_of_method(expr, at)
        if owner is None or self.class_attribute_bindings(owner, expr.attr):  # type: ignore[attr-defined]
            return None
        for base in owner.bases:
            path = self.qualified(base, owner)
            imported = self.imported(path) if path is not None else None
            if imported is None or not isinstance(imported[1], ast.ClassDef):
                continue
            other, base_class, _ = imported
            found = other.class_attribute(base_class, expr.attr)  # type: ignore[attr-defined]
            if found is not None:
                return other, base_class, found
        return None

    def imported(self, path: str) -> tuple[Self, ast.AST, ast.stmt] | None:
        """(context of its file, node, binding statement) of a name another project file
        defines: a class, a function, or the value of a module-level assignment."""
        if self.project is None:
            return None
        return self._in_context(self.project.lookup(self.module, path))

    def star_imported(self, name: str) -> tuple[Self, ast.AST, ast.stmt] | None:
        """As `imported`, for a name that no statement here binds but a star import of a
        project module may (`from config import *`)."""
        if self.project is None or not self.resolver.star_modules:
            return None
        return self._in_context(self.project.binding(self.module, name))

    def _in_context(self, definition: Definition | None) -> tuple[Self, ast.AST, ast.stmt] | None:
        if self.project is None or definition is None or definition.statement is None:
            return None
        key = (definition.module.path, type(self).__name__)
        other = self.project.analyses.get(key)
        if not isinstance(other, type(self)) or other.module is not definition.module:
            other = type(self)(definition.module, self.project)
            self.project.analyses[key] = other
        return other, definition.node, definition.statement

    def literal(self, expr: ast.AST | None, at: ast.stmt, depth: int = 0) -> object | None:
        """The value of a literal, or of a name bound to one, or of an item of a literal
        config (`cfg["units"]`); None when it cannot be known."""
        if isinstance(expr, ast.Name) and depth <= MAX_DEPTH:
            binding = self.value_binding(expr.id, at)
            if binding is None and self._may_import(expr.id):
                constant = self._imported_constant(expr, at)  # `from config import LOSS`
                return (
                    constant[0].literal(constant[1], constant[2], depth + 1) if constant else None
                )
            if binding is None:
                passed = self.passed_argument(expr.id, at)  # `Dense(classes)` in `build(classes)`
                return passed[0].literal(passed[1], passed[2], depth + 1) if passed else None
            return self.literal(binding.value, binding.statement, depth + 1)
        if isinstance(expr, ast.Attribute) and depth <= MAX_DEPTH and not is_self_attribute(expr):
            constant = self._imported_constant(expr, at)  # `cfg.LOSS` of `import config as cfg`
            if constant is None:
                constant = self.class_constant(expr, at)  # `Config.LOSS`
            if constant is not None:
                return constant[0].literal(constant[1], constant[2], depth + 1)
        attribute = self.self_attribute(expr, at) if depth <= MAX_DEPTH else None
        if attribute is not None:  # `self.n_classes`, stored once by a method
            return self.literal(attribute.value, attribute.statement, depth + 1)
        if isinstance(expr, ast.Subscript) and depth <= MAX_DEPTH:
            container = self.literal(expr.value, at, depth + 1)
            key = self.literal(expr.slice, at, depth + 1)
            try:
                return container[key] if isinstance(container, dict | list | tuple) else None  # type: ignore[index]
            except (KeyError, IndexError, TypeError):
                return None
        return ast_tools.literal(expr)

    def _imported_constant(
        self, expr: ast.Name | ast.Attribute, at: ast.stmt
    ) -> tuple[Self, ast.AST, ast.stmt] | None:
        """(its file's context, value, statement) of a project module's constant that `expr`
        names (`NUM_CLASSES = 1` in `config.py`), unless this module assigns an attribute of
        that name (`config.NUM_CLASSES = len(names)`) or the defining module binds it more
        than once."""
        path = self.qualified(expr, at)
        if path is not None:
            found, name = self.imported(path), path.rsplit(".", 1)[-1]
        elif isinstance(expr, ast.Name):
            found, name = self.star_imported(expr.id), expr.id
        else:
            return None
        if found is None or isinstance(found[1], ast.FunctionDef | ast.ClassDef):
            return None
        if len(found[0].index.module_scope.bindings.get(name, [])) != 1:
            return None
        return None if self._assigns_module_attribute(name) else found

    def definition(self, name: ast.expr, at: ast.stmt) -> tuple[Self, ast.AST] | None:
        """What a name or a dotted path means in this file or another project file: a
        function, a class, a value."""
        if isinstance(name, ast.Name):
            binding = self.value_binding(name.id, at)
            if binding is not None:
                return self, binding.value  # type: ignore[return-value]
        if self.project is None:
            return None  # no other file to find it in
        path = self.qualified(name, at)
        imported = self.imported(path) if path is not None else None
        return (imported[0], imported[1]) if imported is not None else None

    def class_constant(
        self, expr: ast.Attribute, at: ast.stmt
    ) -> tuple[ModuleContext, ast.AST, ast.stmt] | None:
        """(its file's context, value, statement) of a class attribute read through the class,
        `Config.LOSS` (of this file or imported): the one assignment of the class body, unless
        either file assigns an attribute of that name (`Config.LOSS = ...`)."""
        holder = self.definition(expr.value, at) if isinstance(expr.value, ast.Name) else None
        if holder is None or not isinstance(holder[1], ast.ClassDef):
            return None
        context, cls = holder
        assigned = [
            statement
            for statement in cls.body
            if isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == expr.attr for t in statement.targets)
        ]
        if len(assigned) != 1 or len(assigned[0].targets) != 1:
            return None
        if self._assigns_module_attribute(expr.attr) or context._assigns_module_attribute(
            expr.attr
        ):
            return None
        return context, assigned[0].value, assigned[0]

    def _may_import(self, name: str) -> bool:
        """Whether an import may bind `name`: it names it, or imports a module's every name."""
        return name in self.resolver.aliases or bool(self.resolver.star_modules)

    def _assigns_module_attribute(self, name: str) -> bool:
        """Whether this module assigns `something.name` (`cfg.LOSS = ...`)."""
        return name in self._attributes_assigned

    @functools.cached_property
    def _attributes_assigned(self) -> frozenset[str]:
        """The attributes this module assigns on anything but `self`: walked once, when a
        project constant is read."""
        return frozenset(
            target.attr
            for node in ast.walk(self.module.tree)
            if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign)
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Attribute) and not is_self_attribute(target)
        )

    def keyword_argument(self, call: ast.Call, name: str, at: ast.stmt) -> ast.expr | None:
        """A keyword argument given in a literal dict unpacked into the call (`**cfg`)."""
        for keyword in call.keywords:
            if keyword.arg is None:
                entries = ast_tools.literal_keywords(self._through_name(keyword.value, at))
                if entries is not None and name in entries:
                    return entries[name]
        return None

    def unpacks_unknown_keywords(self, call: ast.Call, at: ast.stmt) -> bool:
        """`f(**kwargs)` with kwargs not a literal dict: any keyword may be in it."""
        return any(
            keyword.arg is None
            and ast_tools.literal_keywords(self._through_name(keyword.value, at)) is None
            for keyword in call.keywords
        )

    def _through_name(self, expr: ast.expr, at: ast.stmt) -> ast.AST | None:
        if not isinstance(expr, ast.Name):
            return expr
        binding = self.value_binding(expr.id, at)
        if binding is None or self._changed(expr.id, binding.statement):
            return None
        return binding.value

    def methods_called_on(self, name: str, scope: ast.AST) -> list[tuple[ast.Call, ast.stmt]]:
        """The calls of methods of `name` in the body of `scope` (`layers.append(...)`), in
        source order."""
        return [
            (call, statement)
            for call, statement in self.index.calls_in(scope)
            if isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == name
        ]

    def _changed(self, name: str, made_at: ast.stmt) -> bool:
        """Whether the scope that makes the container `name` changes it (see
        `ast_tools.containers_changed`)."""
        return self._changed_in(self.index.scope_of(made_at).node, name)

    def changed_in_module(self, name: str) -> bool:
        """Whether any scope of the module changes the container `name` (a registry, a
        config dict): the module walked once, when asked."""
        return self._changed_in(self.module.tree, name)

    def _changed_in(self, scope: ast.AST, name: str) -> bool:
        if scope not in self._changed_names:
            self._changed_names[scope] = ast_tools.containers_changed(ast.walk(scope))
        return name in self._changed_names[scope]

    def text(self, node: ast.AST, limit: int = 60) -> str:
        """The source of `node` on one line, shortened to `limit` characters."""
        return self.module.text.segment(node, limit)

    def location(self, node: ast.AST) -> Location:
        return ast_tools.location(self.module.path, node)


def bound_to_call(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    call: ast.Call,
    caller: ModuleContext,
    at: ast.stmt,
    *,
    method: bool = False,
    unpacked: Callable[[ast.expr], dict[str, ast.expr] | None] = lambda value: None,
    defaults: ModuleContext | None = None,
) -> Arguments:
    """The parameters of `function` bound for one call of it: to what `call` passes, read in
    `caller` at `at` (`method`: `self` is not passed; `unpacked`: the entries of a `**config`
    it unpacks); given `defaults`, the function's own context, the others to their defaults."""
    positional = [arg.arg for arg in (*function.args.posonlyargs, *function.args.args)]
    own_defaults = ast_tools.parameter_defaults(function) if defaults is not None else {}
    bound: Arguments = {}
    for name in positional + [arg.arg for arg in function.args.kwonlyargs]:
        index = positional.index(name) - method if name in positional else None
        given = argument_at(call, index, name, unpacked)
        if isinstance(given, ast.expr):
            bound[(function, name)] = (caller, given, at)
        elif given is None and name in own_defaults:
            bound[(function, name)] = (defaults, own_defaults[name], function)  # type: ignore[assignment]
    return bound
