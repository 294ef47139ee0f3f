"""Which `compile()` a `fit()` trains with: the latest one before it, on the same model instance.

A model is an instance, not the place it is built at: each call of a factory function builds a
new one. An instance is followed as a chain of links from the name `fit` or `compile` is called
on, through the factory calls that made it, down to its construction: `model = make()` in the
module, then `m = keras.Sequential(...)` inside `make`. A compile applies to a fit when its chain
is a tail of the fit's: a compile inside `make` applies to every model `make` returns, a compile
on one `model = make()` to that one alone. The fit trains with the latest applicable compile
before it, at the innermost level that has one (a factory's compile runs before its caller's).
When a branch, a loop or another function may change which compile that is, the fit is paired
with none: its labels are then checked against no loss rather than against a guess.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass

from logitguard.static.engine.context import MAX_DEPTH
from logitguard.static.engine.index import UNCERTAIN, Binding, Position, start
from logitguard.static.frameworks.keras.compile import CompileFacts
from logitguard.static.frameworks.keras.context import KerasContext

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)


@dataclass(frozen=True)
class Link:
    """One level of an instance: what it is, and where it is used at this level."""

    instance: object  # a Binding, an unnamed model-building Call, or ("unbound", name)
    use: ast.stmt  # the statement with the fit/compile, or the factory's `return`
    position: Position  # where in `use`: the call itself, or the start of the `return`


Chain = tuple[Link, ...]


class _Ambiguous:
    """More than one compile may be the one in force."""


AMBIGUOUS = _Ambiguous()


class InstanceChains:
    def __init__(self, ctx: KerasContext) -> None:
        self.ctx = ctx
        self._returned: dict[ast.AST, Chain] = {}

    def of(self, receiver: ast.AST, call: ast.Call, at: ast.stmt) -> Chain | None:
        """The instance `receiver.<method>(...)` (the call `call` in `at`) acts on."""
        return self._chain(receiver, at, start(call), 0)

    def returned(self, statement: ast.Return) -> Chain | None:
        """The instance a factory's `return` hands back, as a fit would see it there."""
        if statement.value is None:
            return None
        return self._chain(statement.value, statement, start(statement), 0)

    def _chain(self, expr: ast.AST, at: ast.stmt, position: Position, depth: int) -> Chain | None:
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, ast.Call):
            return (Link(expr, at, position), *self._made_by(expr, at, depth))
        if not isinstance(expr, ast.Name) or expr.id in self.ctx.resolver.aliases:
            return None
        binding = self.ctx.index.lookup(expr.id, at)
        if binding is None:
            return (Link(("unbound", expr.id), at, position),)
        if binding is UNCERTAIN or isinstance(binding.value, _DEFINITIONS):
            return None
        value, here = binding.value, Link(binding, at, position)
        if isinstance(value, ast.Name) and not binding.path:  # another name for the same model
            aliased = self._chain(value, binding.statement, start(value), depth + 1)
            if aliased is None:
                return None
            return (Link(aliased[0].instance, at, position), *aliased[1:])
        if isinstance(value, ast.Call) and not binding.path:
            return (here, *self._made_by(value, binding.statement, depth))
        return (here,)

    def _made_by(self, call: ast.Call, at: ast.stmt, depth: int) -> Chain:
        """The instance a local factory function returns, as its own chain; () otherwise."""
        if not isinstance(call.func, ast.Name):
            return ()
        binding = self.ctx.index.lookup(call.func.id, at)
        if binding is None or binding is UNCERTAIN:
            return ()
        function = binding.value
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return ()
        if function not in self._returned:
            self._returned[function] = ()  # a recursive factory ends the chain
            returns = self.ctx.index.returns(function)
            if len(returns) == 1 and returns[0].value is not None:
                value, statement = returns[0].value, returns[0]
                chain = self._chain(value, statement, start(statement), depth + 1)
                self._returned[function] = chain or ()
        return self._returned[function]


class CompilePairing:
    def __init__(self, ctx: KerasContext) -> None:
        self.index = ctx.index
        self._compiles: list[tuple[CompileFacts, tuple[object, ...]]] = []

    def add(self, compiled: CompileFacts, chain: Chain | None) -> None:
        if chain is not None:
            self._compiles.append((compiled, _instances(chain)))

    def compile_of(self, chain: Chain | None) -> CompileFacts | None:
        """The compile a fit on `chain` trains with; None when none, or not one for sure."""
        if chain is None:
            return None
        for level in range(len(chain)):
            instances = _instances(chain[level:])
            candidates = [compiled for compiled, of in self._compiles if of == instances]
            found = self._latest_before(candidates, chain[level])
            if found is AMBIGUOUS:
                return None
            if found is not None:
                return found  # type: ignore[return-value]
        return None

    def _latest_before(
        self, candidates: Sequence[CompileFacts], use: Link
    ) -> CompileFacts | _Ambiguous | None:
        before: list[tuple[Position, CompileFacts, ast.stmt]] = []
        for compiled in candidates:
            anchor = self._anchor(use.use, compiled.at)
            if anchor is None:
                return AMBIGUOUS  # compiled in a function that may run at any time
            use_position = use.position if anchor is use.use else start(anchor)
            if start(compiled.call) < use_position:
                before.append((start(compiled.call), compiled, anchor))
            elif anchor is not use.use or self._loop_reuses(use, compiled.at):
                return AMBIGUOUS  # after the def of the function using it, or next time round
        if not before:
            return None
        _, latest, anchor = max(before, key=lambda found: found[0])
        if self.index.conditional_relative_to(latest.at, anchor):
            return AMBIGUOUS
        return latest

    def _anchor(self, use: ast.stmt, compile_statement: ast.stmt) -> ast.stmt | None:
        """The statement in the compile's scope that runs `use`: itself, or a def around it."""
        target = self.index.scope_of(compile_statement)
        anchor = use
        scope = self.index.scope_of(anchor)
        while scope is not target:
            if scope.parent is None:
                return None
            anchor = scope.node  # type: ignore[assignment]
            scope = self.index.scope_of(anchor)
        return anchor

    def _loop_reuses(self, use: Link, later: ast.stmt) -> bool:
        """Whether a loop runs `later` and then `use` again on the same instance."""
        loops = self._loops(use.use) & self._loops(later)
        if isinstance(use.instance, Binding):
            loops -= self._loops(use.instance.statement)  # a new model each time round
        return bool(loops)

    def _loops(self, statement: ast.stmt) -> set[object]:
        return {
            condition
            for condition in self.index.conditions_of(statement)
            if isinstance(condition, tuple) and isinstance(condition[0], _LOOPS)
        }


def _instances(chain: Chain) -> tuple[object, ...]:
    return tuple(link.instance for link in chain)
