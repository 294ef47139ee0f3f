"""What an `if` inside a counting loop decides on the loop's last time round.

A multilayer perceptron built in a loop appends a linear layer each time round and an
activation every time but the last:

    for i in range(len(dims) - 1):
        layers.append(nn.Linear(dims[i], dims[i + 1]))
        if i < len(dims) - 2:
            layers.append(nn.ReLU())

What the list ends with is what the last time round appends: the test compares the loop's
counter with its last value, written as the same expression plus or minus a constant. Counts
are compared as text (`len(dims)` with `len(dims)`), so two spellings of one number decide
nothing.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable

# A count: an expression (by its dump; None for a plain number) plus a constant.
Count = tuple[str | None, int]

_COMPARISONS: dict[type[ast.cmpop], Callable[[int, int], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_FLIPPED: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.Gt,
    ast.LtE: ast.GtE,
    ast.Gt: ast.Lt,
    ast.GtE: ast.LtE,
    ast.Eq: ast.Eq,
    ast.NotEq: ast.NotEq,
}


def may_count(test: ast.expr) -> bool:
    """Whether `test` may compare a loop's counter (`i < n - 1`, `not i == n - 1`): a cheap
    look before the loop around it is looked for."""
    while test.__class__ is ast.UnaryOp and test.op.__class__ is ast.Not:  # type: ignore[attr-defined]
        test = test.operand  # type: ignore[attr-defined]
    return (
        test.__class__ is ast.Compare
        and len(test.ops) == 1  # type: ignore[attr-defined]
        and test.ops[0].__class__ in _COMPARISONS  # type: ignore[attr-defined]
    )


def decided_on_last_iteration(test: ast.expr, loop: ast.For | ast.AsyncFor) -> bool | None:
    """Whether `test` holds when `loop` runs its body the last time; None when unclear."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = decided_on_last_iteration(test.operand, loop)
        return None if inner is None else not inner
    counter = _last_count(loop)
    if counter is None or not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return None
    name, last = counter
    left, op, right = test.left, type(test.ops[0]), test.comparators[0]
    if not _counts_with(left, name) and _counts_with(right, name):
        left, right, op = right, left, _FLIPPED.get(op, op)
    compare = _COMPARISONS.get(op)
    counted, other = _count(left, name), _count(right, name)
    if compare is None or counted is None or other is None or counted[0] != name:
        return None
    value = (last[0], last[1] + counted[1])  # the counter at its last value, plus its offset
    if value[0] != other[0]:
        return None
    return compare(value[1], other[1])


def _last_count(loop: ast.For | ast.AsyncFor) -> tuple[str, Count] | None:
    """The loop's counter and its last value: `i` and `len(dims) - 2` for `for i in
    range(len(dims) - 1)` or `for i, (a, b) in enumerate(zip(dims[:-1], dims[1:]))`."""
    target, iterated = loop.target, loop.iter
    if not isinstance(iterated, ast.Call) or not isinstance(iterated.func, ast.Name):
        return None
    function, arguments = iterated.func.id, iterated.args
    if iterated.keywords:
        return None
    if function == "range" and isinstance(target, ast.Name) and len(arguments) in (1, 2):
        stop = _count(arguments[-1], None)
        return (target.id, (stop[0], stop[1] - 1)) if stop is not None else None
    if function == "enumerate" and len(arguments) == 1 and isinstance(target, ast.Tuple):
        first = target.elts[0] if len(target.elts) == 2 else None
        length = _length(arguments[0])
        if not isinstance(first, ast.Name) or length is None:
            return None
        return first.id, (length[0], length[1] - 1)
    return None


def _length(iterated: ast.expr) -> Count | None:
    """How many items `iterated` gives: `len(x)`; one less for `zip(x[:-1], x[1:])` and
    `zip(x, x[1:])`, which pair neighbours."""
    if not (isinstance(iterated, ast.Call) and isinstance(iterated.func, ast.Name)):
        return (_length_of(iterated), 0)
    if iterated.func.id != "zip" or len(iterated.args) != 2 or iterated.keywords:
        return None
    first, second = iterated.args
    base = _sliced(second, lower=1)
    if base is None or not (ast.dump(first) == base or _sliced(first, upper=-1) == base):
        return None
    return (f"len {base}", -1)


def _sliced(node: ast.expr, *, lower: int | None = None, upper: int | None = None) -> str | None:
    """The dump of `x` for `x[lower:upper]` with exactly those bounds; None otherwise."""
    if not isinstance(node, ast.Subscript) or not isinstance(node.slice, ast.Slice):
        return None
    bounds = node.slice
    if bounds.step is not None or _number(bounds.lower) != lower or _number(bounds.upper) != upper:
        return None
    return ast.dump(node.value)


def _length_of(node: ast.expr) -> str:
    return f"len {ast.dump(node)}"


def _count(node: ast.expr, counter: str | None) -> Count | None:
    """`node` as an expression plus a constant: `len(dims) - 2`, `n_layers`, `i + 1`, `3`.
    The loop's `counter` is kept by its name."""
    number = _number(node)
    if number is not None:
        return (None, number)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
        offset = _number(node.right)
        inner = _count(node.left, counter) if offset is not None else None
        if inner is None or offset is None:
            return None
        return (inner[0], inner[1] + (offset if isinstance(node.op, ast.Add) else -offset))
    if isinstance(node, ast.Name) and node.id == counter:
        return (counter, 0)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len":
        return (_length_of(node.args[0]), 0) if len(node.args) == 1 else None
    if isinstance(node, ast.Name | ast.Attribute):
        return (ast.dump(node), 0)
    return None


def _counts_with(node: ast.expr, counter: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == counter for n in ast.walk(node))


def _number(node: ast.expr | None) -> int | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return -inner if inner is not None else None
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None
