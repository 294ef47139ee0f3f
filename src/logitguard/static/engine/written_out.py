"""Softmax and sigmoid written out by hand.

`exp(z) / exp(z).sum(1, keepdim=True)`, also with each row's maximum taken from z first for
stability, computes what `softmax(z, dim=1)` does; `1 / (1 + exp(-z))` and `exp(z) / (1 +
exp(z))` compute `sigmoid(z)`. From-scratch tutorials and hand-rolled layers spell them so,
often over names (`z_exp = torch.exp(z)`, `partition = z_exp.sum(1, keepdim=True)`), and
their outputs are probabilities like the library's.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from logitguard.core.facts import Emits
from logitguard.static.engine.ast_tools import reduced_over

# Steps around a row sum that only put its axis back (`s[:, None]`, `s.unsqueeze(1)`).
_AXIS_RESTORING_METHODS = frozenset({"unsqueeze", "view", "reshape", "expand_as"})
# Names followed to what they were bound to, at most this many in a row.
_MAX_HOPS = 4


@dataclass(frozen=True)
class Spelling:
    """How one file writes the steps: its framework's names for them, and how to read it."""

    exponentials: frozenset[str]  # torch.exp, jax.numpy.exp
    sums: frozenset[str]  # function paths (torch.sum) and method names (sum)
    path_of: Callable[[ast.expr], str | None]
    # What a name read here was bound to, when that is one expression; else None.
    bound_to: Callable[[ast.Name], ast.expr | None]


@dataclass(frozen=True)
class WrittenOut:
    emits: Emits  # SOFTMAX or SIGMOID
    scores: ast.expr  # what the activation is applied to: z
    axis: ast.expr | None  # the axis a softmax's sum is given; None when it sums everything

    def described(self, source: str) -> str:
        """How a finding shows the division, given its source text."""
        kind = "softmax" if self.emits is Emits.SOFTMAX else "sigmoid"
        return f"{source} (a {kind} written out)"


def written_out_activation(node: ast.BinOp, spelling: Spelling) -> WrittenOut | None:
    """The activation the division `node` computes by hand, if it is one."""
    if not isinstance(node.op, ast.Div):
        return None
    return _softmax(node, spelling) or _sigmoid(node, spelling)


def _softmax(node: ast.BinOp, spelling: Spelling) -> WrittenOut | None:
    exponent = _exponent(node.left, spelling)
    summed = _row_sum(node.right, spelling)
    if exponent is None or summed is None:
        return None
    operand, axis = summed
    if not _same(_exponent(operand, spelling), exponent):
        return None
    return WrittenOut(Emits.SOFTMAX, _unshifted(exponent), axis)


def _sigmoid(node: ast.BinOp, spelling: Spelling) -> WrittenOut | None:
    """`1 / (1 + exp(-z))`, `1 / (exp(-z) + 1)`, and `exp(z) / (1 + exp(z))`."""
    denominator = node.right
    if not isinstance(denominator, ast.BinOp) or not isinstance(denominator.op, ast.Add):
        return None
    sides = (denominator.left, denominator.right)
    if not any(_is_one(side) for side in sides):
        return None
    exponents = [found for side in sides if (found := _exponent(side, spelling)) is not None]
    if len(exponents) != 1:
        return None
    exponent = exponents[0]
    if _is_one(node.left):
        negated = isinstance(exponent, ast.UnaryOp) and isinstance(exponent.op, ast.USub)
        return WrittenOut(Emits.SIGMOID, exponent.operand, None) if negated else None  # type: ignore[attr-defined]
    if _same(_exponent(node.left, spelling), exponent):
        return WrittenOut(Emits.SIGMOID, exponent, None)
    return None


def _exponent(node: ast.expr, spelling: Spelling) -> ast.expr | None:
    """z, when `node` is `torch.exp(z)` or `z.exp()` (or a name bound to one)."""
    node = _followed(node, spelling)
    if not isinstance(node, ast.Call) or node.keywords:
        return None
    func = node.func
    if len(node.args) == 1 and spelling.path_of(func) in spelling.exponentials:
        return node.args[0]
    if not node.args and isinstance(func, ast.Attribute) and func.attr == "exp":
        return func.value
    return None


def _row_sum(node: ast.expr, spelling: Spelling) -> tuple[ast.expr, ast.expr | None] | None:
    """(what is summed, the axis given) when `node` sums a tensor, its axis perhaps put back."""
    node = _followed(node, spelling)
    if isinstance(node, ast.Subscript):
        return _row_sum(node.value, spelling)  # `s[:, None]`
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in _AXIS_RESTORING_METHODS:
        return _row_sum(func.value, spelling)
    path = spelling.path_of(func)
    by_path = path is not None and "." in path and path in spelling.sums
    as_method = isinstance(func, ast.Attribute) and func.attr in spelling.sums
    if not by_path and not (as_method and path is None):
        return None
    return reduced_over(node, by_path, ("dim", "axis"))


def _followed(node: ast.expr, spelling: Spelling) -> ast.expr:
    for _ in range(_MAX_HOPS):
        if not isinstance(node, ast.Name):
            break
        bound = spelling.bound_to(node)
        if bound is None:
            break
        node = bound
    return node


def _unshifted(exponent: ast.expr) -> ast.expr:
    """z of `exp(z - z.max(1, keepdim=True))`: a shift per row leaves the softmax as it is."""
    if isinstance(exponent, ast.BinOp) and isinstance(exponent.op, ast.Sub):
        return exponent.left
    return exponent


def _same(first: ast.expr | None, second: ast.expr) -> bool:
    return first is not None and (first is second or ast.dump(first) == ast.dump(second))


def _is_one(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Constant)
        and not isinstance(node.value, bool)
        and isinstance(node.value, int | float)
        and node.value == 1
    )
