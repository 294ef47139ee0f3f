"""One tensor used two ways that contradict each other:

- given to a loss as logits, and rounded, cut at 0.5 or sampled as if it held probabilities
  (LG009);
- given to a loss as probabilities, and put through a sigmoid (or a softmax) again (LG021).

Whatever made the tensor (a model imported from another package, a TF1 graph, a helper the
analysis cannot read), one of the two uses is wrong. So this needs no model, only that both
uses read the same value.

Two expressions read the same value when they come to the same binding of a name, through the
operations that keep a tensor's values (`squeeze`, `.float()`, `tf.squeeze`, slicing such as
`out[:, 1]`, `out.data`) and the same attributes or constant indices (`outputs.logits`,
`out[0]`); or when both are what one model of the project gives, called on its inputs alone
(`model(x)` trained with a logits loss, `model(x_test) > 0.5`): whatever its head is.
Anything else (a call, arithmetic, a name that may hold different values on different paths, a
name a comprehension or lambda rebinds) has no key and is never matched: silence when unsure.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from logitguard.core.facts import (
    Emits,
    Head,
    Location,
    LossUse,
    Prediction,
    PredictionMisuse,
    TrainingSetup,
)
from logitguard.static.engine.context import MAX_DEPTH
from logitguard.static.engine.index import UNCERTAIN, ModuleIndex

# The expression a call reads whose values it returns unchanged (`out.squeeze()` -> `out`),
# or None: framework knowledge, given by each front end.
KeepsValues = Callable[[ast.Call, ast.stmt | None], ast.expr | None]
# What a name read at a place holds: an identity for its value there, and the one expression
# (with its statement, where the front end reads by statement) that value comes from, to
# follow; None when that cannot be told. Each front end reads names with its own index.
NameOrigin = Callable[
    [ast.Name, ast.stmt | None], tuple[Hashable, ast.expr | None, ast.stmt | None] | None
]


@dataclass(frozen=True)
class ModelOutputKey:
    """What one model gives on any input: `name` shown, `identity` compared."""

    name: str
    identity: Hashable


# The key of what a call gives when it calls a model of the project, or None.
ModelOutput = Callable[[ast.Call], ModelOutputKey | None]
# The comprehension clause (`for k, s in scores.items()`) that binds a name read at a place.
ClauseOf = Callable[[ast.Name, ast.stmt | None], ast.comprehension | None]

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


@dataclass(frozen=True)
class LossInput:
    """A loss call that takes `operand` as what `use.expects`."""

    use: LossUse
    operand: ast.expr
    at: ast.stmt | None


@dataclass(frozen=True)
class Misuse:
    """`node` rounds, thresholds at 0.5 or samples from `operand` as probabilities."""

    misuse: PredictionMisuse
    node: ast.AST
    operand: ast.expr
    at: ast.stmt | None


@dataclass(frozen=True)
class Activation:
    """`node` applies a sigmoid or a softmax (over the last axis) to `operand`."""

    emits: Emits
    node: ast.AST
    operand: ast.expr
    at: ast.stmt | None


class TensorKeys:
    """Which expressions of one module read the same tensor."""

    def __init__(
        self,
        origin: NameOrigin,
        keeps_values: KeepsValues,
        mutated: frozenset[str],
        kept_attributes: frozenset[str] = frozenset(),
        model_output: ModelOutput | None = None,
        clause_of: ClauseOf | None = None,
    ) -> None:
        self.origin = origin
        self.clause_of = clause_of
        self.keeps_values = keeps_values
        self.mutated = mutated  # names a method changes in place: their value differs by line
        self.kept_attributes = kept_attributes  # `out.data`: the same values
        self.model_output = model_output

    def key(self, expr: ast.expr, at: ast.stmt | None, depth: int = 0) -> Hashable | None:
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, ast.Subscript):
            index = expr.slice
            base = self.key(expr.value, at, depth + 1)
            if base is None:
                return None
            if isinstance(index, ast.Slice | ast.Tuple):
                return base  # tensor slicing keeps the values (`out[:, 1]`, `out[1:]`)
            if isinstance(index, ast.Constant):
                return (base, "[]", repr(index.value))  # maybe a tuple's element: its own key
            return None  # `outputs[i]`: which element cannot be told
        if isinstance(expr, ast.Attribute):
            base = self.key(expr.value, at, depth + 1)
            if base is None or expr.attr in self.kept_attributes:
                return base
            return (base, ".", expr.attr)
        if isinstance(expr, ast.Call):
            inner = self.keeps_values(expr, at)
            if inner is not None:
                return self.key(inner, at, depth + 1)
            return self.model_output(expr) if self.model_output is not None else None
        if isinstance(expr, ast.Name) and expr.id not in self.mutated:
            clause = self.clause_of(expr, at) if self.clause_of is not None else None
            if clause is not None:
                return self._element_key(clause, expr.id, at, depth)
            found = self.origin(expr, at)
            if found is None:
                return None
            identity, value, value_at = found
            followed = self.key(value, value_at, depth + 1) if value is not None else None
            # `y = tf.squeeze(y)`, `a = out.float()`: still that tensor
            return followed if followed is not None else identity
        return None

    def _element_key(
        self, clause: ast.comprehension, name: str, at: ast.stmt | None, depth: int
    ) -> Hashable | None:
        """What `name` holds in turn in `for k, s in scores.items()` (each value of the dict),
        `for s in scores.values()` (the same), or `for s in outputs` (each element): two
        comprehensions over one dict's values read the same tensors."""
        target, source = clause.target, clause.iter
        position = _position_in(target, name)
        if position is None:
            return None
        if isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute):
            method, table = source.func.attr, source.func.value
            if source.args or source.keywords or method not in ("items", "values"):
                return None
            if position != ((1,) if method == "items" else ()):
                return None  # a key, or part of a value
            base = self.key(table, at, depth + 1)
            return None if base is None else (base, "values")
        base = self.key(source, at, depth + 1)
        return None if base is None or position != () else (base, "elements")


def _position_in(target: ast.expr, name: str) -> tuple[int, ...] | None:
    """Where a loop target binds `name`: () for the whole element, (1,) for `k, s`."""
    if isinstance(target, ast.Name):
        return () if target.id == name else None
    if isinstance(target, ast.Tuple):
        for index, element in enumerate(target.elts):
            if isinstance(element, ast.Name) and element.id == name:
                return (index,)
    return None


def clause_in_statement(name: ast.Name, at: ast.stmt | None) -> ast.comprehension | None:
    """The one-clause comprehension of the statement `at` that binds the name read there;
    None when none does, or several could (a name bound again by an inner comprehension)."""
    if at is None:
        return None
    found = []
    for node in ast.walk(at):
        if not isinstance(node, _COMPREHENSIONS) or len(node.generators) != 1:  # type: ignore[union-attr]
            continue
        clause = node.generators[0]  # type: ignore[union-attr]
        parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]  # type: ignore[union-attr]
        if _position_in(clause.target, name.id) is not None and any(
            inner is name for part in [*parts, *clause.ifs] for inner in ast.walk(part)
        ):
            found.append(clause)
    return found[0] if len(found) == 1 else None


def of_one_meaning(taken: list[tuple[LossUse, str]]) -> list[tuple[LossUse, str]]:
    """Of the loss calls a function gives one of its parameters (`(use, parameter)`), those
    of the parameters that every such call takes as one kind of values: a parameter given
    to a loss on logits and to one on probabilities says nothing."""
    expected: dict[str, set[Emits]] = {}
    for use, name in taken:
        expected.setdefault(name, set()).add(use.expects)
    return [(use, name) for use, name in taken if len(expected[name]) == 1]


def statement_origin(index: ModuleIndex) -> NameOrigin:
    """Names read through the statement-level index (`ModuleIndex`): a name's binding when the
    statement runs."""

    def origin(
        name: ast.Name, at: ast.stmt | None
    ) -> tuple[Hashable, ast.expr | None, ast.stmt | None] | None:
        if at is None or _rebound_inside(at, name.id):
            return None
        binding = index.lookup(name.id, at)
        if binding is None or binding is UNCERTAIN:
            return None
        whole = not binding.path and isinstance(binding.value, ast.expr)
        return binding, binding.value if whole else None, binding.statement  # type: ignore[return-value]

    return origin


def mutated_in_place(calls: Iterable[ast.Call]) -> frozenset[str]:
    """Names a method ending in `_` changes in place (`out.sigmoid_()`)."""
    return frozenset(
        call.func.value.id
        for call in calls
        if isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.attr.endswith("_")
        and not call.func.attr.startswith("_")
    )


@dataclass(frozen=True)
class TensorUses:
    """What one module does with its tensors, as a front end reads it."""

    framework: str
    keys: TensorKeys
    losses: list[LossInput]
    misuses: list[Misuse]
    activations: list[Activation]
    display: Callable[[ast.AST], str]
    locate: Callable[[ast.AST], Location]
    # Whether two nodes sit in opposite arms of tests on the same condition (`if logits:`
    # the loss on logits, else the one on probabilities): uses that never meet.
    exclusive: Callable[[ast.AST, ast.AST], bool] = lambda first, second: False

    def contradictions(self) -> list[TrainingSetup]:
        return self._logits_read_as_probabilities() + self._probabilities_activated_again()

    def _losses_by_key(
        self, expects: Callable[[Emits], bool]
    ) -> dict[Hashable, tuple[LossUse, ast.expr]]:
        by_key: dict[Hashable, tuple[LossUse, ast.expr]] = {}
        for loss in self.losses:
            key = self.keys.key(loss.operand, loss.at) if expects(loss.use.expects) else None
            if key is not None:
                by_key.setdefault(key, (loss.use, loss.operand))
        return by_key

    def _logits_read_as_probabilities(self) -> list[TrainingSetup]:
        by_key = self._losses_by_key(lambda expects: expects is Emits.LOGITS)
        setups = []
        for found in self.misuses if by_key else ():
            key = self.keys.key(found.operand, found.at)
            given = by_key.get(key)
            if given is None or self.exclusive(given[1], found.node):
                continue
            loss = given[0]
            model = _model_of(key)
            operand = self.display(found.operand)
            given = (
                f"{operand} is given to {loss.display} as logits"
                if model is None
                else f"{operand} is what {model.name} gives; {loss.display} takes it as logits"
            )
            shown = f"{self.display(found.node)} ({given})"
            prediction = Prediction(found.misuse, shown, self.locate(found.node))
            setups.append(TrainingSetup(self.framework, loss=loss, predictions=[prediction]))
        return setups

    def _probabilities_activated_again(self) -> list[TrainingSetup]:
        wanted = self.activations and self._losses_by_key(lambda expects: expects.is_probability)
        setups = []
        for found in self.activations if wanted else ():
            given = wanted.get(self.keys.key(found.operand, found.at))  # type: ignore[union-attr]
            if given is None or self.exclusive(given[1], found.node):
                continue
            loss = given[0]
            if not loss.expects.squashed_by(found.emits):
                continue
            given = f"{self.display(found.operand)} is given to {loss.display} as probabilities"
            where = self.locate(found.node)
            head = Head(
                found.emits,
                f"{self.display(found.node)} ({given})",
                where,
                activation_location=where,
                activated_twice=loss.expects,
            )
            setups.append(TrainingSetup(self.framework, head=head))
        return setups


def _model_of(key: Hashable) -> ModelOutputKey | None:
    """The model whose output a key reads (`(model output, ".", "logits")` too), if any."""
    while isinstance(key, tuple) and len(key) == 3 and key[1] in (".", "[]"):
        key = key[0]
    return key if isinstance(key, ModelOutputKey) else None


def _rebound_inside(statement: ast.stmt, name: str) -> bool:
    """Whether a lambda or comprehension in `statement` binds `name` (the statement-level
    lookup would see the name outside it)."""
    for node in ast.walk(statement):
        if isinstance(node, ast.Lambda):
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            if any(argument.arg == name for argument in every):
                return True
        elif isinstance(node, _COMPREHENSIONS):
            for generator in node.generators:  # type: ignore[union-attr]
                targets = ast.walk(generator.target)
                if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                    return True
    return False
