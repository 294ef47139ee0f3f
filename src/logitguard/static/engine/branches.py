"""Which arm of an `if` (or case of a `match`) runs when constants decide its test: a flag a
call passes (`get_loss("ce")`, `Net(head="softmax")`, `model(x, probabilities=True)`).

Framework-neutral: the caller says what constant a name or attribute holds (`UNDECIDED` when
it cannot tell), and what is decided here is only what Python itself would compute from them.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterable

# Returned for a value, or a test, that the constants in view do not decide.
UNDECIDED = object()


class _SomeObject:
    """An object the code surely made (a module, a function): not None, and true."""

    def __repr__(self) -> str:
        return "SOME_OBJECT"


# What a name holds when it is no constant but surely such an object: `self.activation` set
# to the `nn.Softmax()` a constructor is given decides `if self.activation is not None:`.
SOME_OBJECT = _SomeObject()

Constant = Callable[[ast.expr], object]
_COMPARISONS: dict[type, Callable[[object, object], object]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.In: lambda left, right: operator.contains(right, left),  # type: ignore[arg-type]
    ast.NotIn: lambda left, right: not operator.contains(right, left),  # type: ignore[arg-type]
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
# Singletons whose identity Python guarantees: `x is None` is decided by the value alone.
_IDENTITIES = (type(None), bool)


def outcome(test: ast.expr, constant: Constant) -> object:
    """The value of `test` from the constants its operands hold; UNDECIDED when unknown."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = outcome(test.operand, constant)
        return inner if inner is UNDECIDED else not inner
    if isinstance(test, ast.BoolOp):
        return _bool_op(isinstance(test.op, ast.And), [outcome(v, constant) for v in test.values])
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        compare = _COMPARISONS.get(type(test.ops[0]))
        left, right = constant(test.left), constant(test.comparators[0])
        if compare is None or left is UNDECIDED or right is UNDECIDED:
            return UNDECIDED
        if compare in (operator.is_, operator.is_not):
            if not _identity_known(left, right):
                return UNDECIDED
        elif SOME_OBJECT in (left, right):  # how an object compares is its class's to say
            return UNDECIDED
        try:
            return bool(compare(left, right))
        except TypeError:  # `"a" in 3`: the program would raise, not take an arm
            return UNDECIDED
    return constant(test)


def _identity_known(left: object, right: object) -> bool:
    """Whether `left is right` is known from the values alone: both singletons, or a made
    object and a singleton."""
    if left is SOME_OBJECT:
        return isinstance(right, _IDENTITIES)
    if right is SOME_OBJECT:
        return isinstance(left, _IDENTITIES)
    return isinstance(left, _IDENTITIES) and isinstance(right, _IDENTITIES)


def _bool_op(conjunction: bool, values: list[object]) -> object:
    known = [value for value in values if value is not UNDECIDED]
    if any(bool(value) is not conjunction for value in known):
        return not conjunction  # one false operand decides `and`, one true decides `or`
    return conjunction if len(known) == len(values) else UNDECIDED


def may_run(
    blocks: Iterable[tuple[ast.AST, str, ast.AST]], decided: Callable[[ast.expr], bool | None]
) -> bool:
    """Whether a node may run, given the blocks around it (innermost first: statement, field,
    the child in that field): not when it sits in the arm of an `if` its test rules out, or
    after an `if` whose decided arm always returns or raises."""
    for statement, field, child in blocks:
        if isinstance(statement, ast.If) and field in ("body", "orelse"):
            taken = decided(statement.test)
            if taken is not None and taken != (field == "body"):
                return False
        in_case = isinstance(statement, ast.Match) and field == "cases"
        if in_case and _case_taken(statement, child, decided) is False:  # type: ignore[arg-type]
            return False
        statements = getattr(statement, field, None)
        if isinstance(statements, list):
            for earlier in statements[: _position(statements, child)]:
                if _always_leaves(earlier, decided):
                    return False
    return True


def _case_taken(
    match: ast.Match, case: ast.match_case, decided: Callable[[ast.expr], bool | None]
) -> bool | None:
    """Whether `case` is the one the `match` takes: its pattern matches the subject and no
    earlier case's does; None when the constants do not tell."""
    for earlier in match.cases:
        matched = _matches(match.subject, earlier.pattern, decided)
        if earlier is case:
            if matched is True and case.guard is not None:
                return decided(case.guard)
            return matched
        if matched is None:  # an earlier case may take the subject: this one at most may
            return False if _matches(match.subject, case.pattern, decided) is False else None
        if matched and earlier.guard is None:
            return False
        if matched:  # a guard decides the earlier case
            guarded = decided(earlier.guard)  # type: ignore[arg-type]
            if guarded is not False:
                return False if guarded else None
    return None


def _matches(
    subject: ast.expr, pattern: ast.pattern, decided: Callable[[ast.expr], bool | None]
) -> bool | None:
    """Whether a literal pattern (`case "softmax":`, `case None:`, `case "a" | "b":`,
    `case _:`) matches the subject; None for any other pattern, or an unknown subject."""
    if isinstance(pattern, ast.MatchValue):
        return decided(ast.Compare(left=subject, ops=[ast.Eq()], comparators=[pattern.value]))
    if isinstance(pattern, ast.MatchSingleton):
        singleton = ast.Constant(value=pattern.value)
        return decided(ast.Compare(left=subject, ops=[ast.Is()], comparators=[singleton]))
    if isinstance(pattern, ast.MatchOr):
        found = [_matches(subject, alternative, decided) for alternative in pattern.patterns]
        return True if True in found else False if all(m is False for m in found) else None
    if isinstance(pattern, ast.MatchAs):  # `case _:` or `case name:` matches anything
        return True if pattern.pattern is None else _matches(subject, pattern.pattern, decided)
    return None


def _position(statements: list[ast.AST], child: ast.AST) -> int:
    return next(index for index, statement in enumerate(statements) if statement is child)


def _always_leaves(statement: ast.AST, decided: Callable[[ast.expr], bool | None]) -> bool:
    """Whether the code after `statement` cannot run: it returns or raises, or it is an `if`
    whose decided arm ends doing so."""
    if isinstance(statement, ast.Return | ast.Raise):
        return True
    if not isinstance(statement, ast.If):
        return False
    taken = decided(statement.test)
    if taken is None:
        return False
    arm = statement.body if taken else statement.orelse
    return bool(arm) and _always_leaves(arm[-1], decided)
