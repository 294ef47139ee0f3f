"""Small helpers over Python's `ast` shared by the front ends."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Iterator

from logitguard.core.facts import Location


def location(path: str, node: ast.AST) -> Location:
    return Location(
        path=path,
        line=getattr(node, "lineno", 1),
        col=getattr(node, "col_offset", 0),
        end_line=getattr(node, "end_lineno", None),
        end_col=getattr(node, "end_col_offset", None),
    )


def literal_keywords(node: ast.AST | None) -> dict[str, ast.expr] | None:
    """The entries of a dict written out with string keys (`{"loss": ..., "metrics": ...}`)
    or as Python's `dict(loss=..., metrics=...)`; None for any other dict."""
    if isinstance(node, ast.Dict):
        keys = [key.value if isinstance(key, ast.Constant) else None for key in node.keys]
        if not all(isinstance(key, str) for key in keys):
            return None
        return dict(zip(keys, node.values, strict=True))  # type: ignore[arg-type]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "dict"
        and not node.args
        and all(keyword.arg is not None for keyword in node.keywords)
    ):
        return {keyword.arg: keyword.value for keyword in node.keywords}  # type: ignore[misc]
    return None


def called_name(call: ast.Call) -> str | None:
    """The last name of what is called: `Dense` in `keras.layers.Dense(...)`."""
    return last_name(call.func)


def calls_super_init(node: ast.expr) -> bool:
    """`super().__init__(...)` (or `super(Net, self).__init__(...)`)."""
    func = node.func if isinstance(node, ast.Call) else None
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "__init__"
        and isinstance(func.value, ast.Call)
        and called_name(func.value) == "super"
    )


def super_init_statement(function: ast.AST) -> ast.Expr | None:
    """The one unconditional `super().__init__(...)` statement in the body of `function` (a
    subclass's `__init__`); None when there is none, or several."""
    found = [
        statement
        for statement in getattr(function, "body", [])
        if isinstance(statement, ast.Expr) and calls_super_init(statement.value)
    ]
    return found[0] if len(found) == 1 else None


def last_name(func: ast.expr) -> str | None:
    """`Dense` of `keras.layers.Dense` or of `Dense`."""
    kind = func.__class__
    if kind is ast.Attribute:
        return func.attr  # type: ignore[attr-defined]
    return func.id if kind is ast.Name else None  # type: ignore[attr-defined]


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    """An argument given by keyword `name` or at `position`."""
    found = keyword(call, name)
    if found is not None:
        return found
    if position < len(call.args) and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return None


def unpacks_arguments(call: ast.Call) -> bool:
    """Whether `call` passes `*args` or `**kwargs`: any argument it does not spell out may be
    among them (`Loss(**loss_args)` may set from_logits)."""
    return any(keyword.arg is None for keyword in call.keywords) or any(
        isinstance(argument, ast.Starred) for argument in call.args
    )


def rounds_to_decimals(call: ast.Call, position: int = 1) -> bool:
    """Whether a rounding call keeps decimals (`np.round(p, 3)`, `torch.round(p, decimals=2)`,
    `p.round(2)`): a value shown, not a class decided. `position`: where the count goes."""
    count = argument(call, position, "decimals") or keyword(call, "ndigits")
    return count is not None and not (isinstance(count, ast.Constant) and count.value == 0)


def passed_arguments(
    function: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call, *, method: bool = False
) -> dict[str, ast.expr]:
    """The function's parameters that `call` gives a value, by name (positional arguments up
    to a `*args`, and keywords); a `method`'s first parameter, `self`, is not passed."""
    parameters = [*function.args.posonlyargs, *function.args.args][1 if method else 0 :]
    passed: dict[str, ast.expr] = {}
    for parameter, value in zip(parameters, call.args, strict=False):
        if isinstance(value, ast.Starred):
            break
        passed[parameter.arg] = value
    names = {p.arg for p in [*parameters, *function.args.kwonlyargs]}
    passed.update({k.arg: k.value for k in call.keywords if k.arg in names})  # type: ignore[misc]
    return passed


def parameter_defaults(function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, ast.expr]:
    """The function's parameters that have a default, with it."""
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    with_defaults = positional[len(positional) - len(arguments.defaults) :]
    found = dict(zip((p.arg for p in with_defaults), arguments.defaults, strict=True))
    for parameter, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
        if default is not None:
            found[parameter.arg] = default
    return found


def iter_statements(body: list[ast.stmt], *, definitions: bool = True) -> Iterator[ast.stmt]:
    """Every statement, nested ones included, in source order, without visiting expressions
    (cheap); without `definitions`, not those in the bodies of functions and classes."""
    stack = body[::-1]
    while stack:
        statement = stack.pop()
        yield statement
        kind = statement.__class__
        if kind not in _COMPOUND or (not definitions and kind in _DEFINITION_KINDS):
            continue
        nested: list[ast.stmt] = []
        for name in _COMPOUND[kind]:
            if name in ("handlers", "cases"):
                for part in getattr(statement, name):
                    nested.extend(part.body)
            else:
                nested.extend(getattr(statement, name))
        stack.extend(reversed(nested))


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_DEFINITION_KINDS = frozenset(_DEFINITIONS)
# The statements that hold others, and their fields that do, in source order.
_COMPOUND: dict[type, tuple[str, ...]] = {
    kind: tuple(
        name
        for name in ("body", "orelse", "finalbody", "handlers", "cases")
        if name in kind._fields
    )
    for kind in vars(ast).values()
    if isinstance(kind, type)
    and issubclass(kind, ast.stmt)
    and any(name in kind._fields for name in ("body", "orelse", "handlers", "cases"))
}


def module_constants(tree: ast.Module) -> dict[str, object]:
    """Names assigned exactly once, at module level, to a literal: `NUM_CLASSES = 10`."""
    seen: dict[str, int] = {}
    values: dict[str, object] = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name):
                seen[target.id] = seen.get(target.id, 0) + 1
                value = literal(node.value)
                if value is None:
                    values.pop(target.id, None)
                else:
                    values[target.id] = value
    return {name: value for name, value in values.items() if seen[name] == 1}


def literal(node: ast.AST | None, constants: dict[str, object] | None = None) -> object | None:
    """The value of a literal or of a known constant name; None when it cannot be known."""
    if node is None:
        return None
    if isinstance(node, ast.Name) and constants is not None:
        return constants.get(node.id)
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class SourceText:
    """A module's lines as UTF-8 bytes (ast columns are byte offsets), split once.

    `ast.get_source_segment` splits the whole source again on every call: too slow for a
    checker that names many nodes in its messages.
    """

    def __init__(self, source: str) -> None:
        # Lines without their breaks (str.split is C; most files have only "\n" breaks);
        # each line is encoded when a node on it is first named.
        if "\r" not in source:
            self._lines, self._breaks = source.split("\n"), None
        else:
            self._lines, self._breaks = _LINE_BREAK.split(source), _LINE_BREAK.findall(source)
        self._encoded: dict[int, bytes] = {}

    def _line(self, number: int) -> bytes:
        found = self._encoded.get(number)
        if found is None:
            found = self._encoded[number] = self._lines[number - 1].encode()
        return found

    def _break(self, number: int) -> bytes:
        return b"\n" if self._breaks is None else self._breaks[number - 1].encode()

    def exact(self, node: ast.AST) -> str | None:
        """The source of `node` as written, or None when positions are missing."""
        first, last = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        start, end = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
        if first is None or last is None or start is None or end is None:
            return None
        if first < 1 or last > len(self._lines):
            return None
        if first == last:
            return self._line(first)[start:end].decode(errors="replace")
        parts = [self._line(first)[start:], self._break(first)]
        for number in range(first + 1, last):
            parts += [self._line(number), self._break(number)]
        parts.append(self._line(last)[:end])
        return b"".join(parts).decode(errors="replace")

    def segment(self, node: ast.AST, limit: int = 60) -> str:
        """The source of `node` on one line, shortened to `limit` characters."""
        text = " ".join((self.exact(node) or ast.unparse(node)).split())
        return text if len(text) <= limit else text[: limit - 3] + "..."


def returns_name(returns: Iterable[ast.Return], name: str) -> bool:
    """Whether one of `returns` gives `name` as it is: `return model`, `return model, history`."""
    for returned in returns:
        value = returned.value
        parts = value.elts if isinstance(value, ast.Tuple | ast.List) else [value]
        if any(isinstance(part, ast.Name) and part.id == name for part in parts):
            return True
    return False


def is_none(node: ast.AST | None) -> bool:
    """Whether `node` is the literal `None`."""
    return isinstance(node, ast.Constant) and node.value is None


def containers_changed(nodes: Iterable[ast.AST]) -> set[str]:
    """The names whose containers `nodes` change: a method called on one (`cfg.update(...)`,
    `cfg.get(...)` too), an item stored or deleted (`cfg["loss"] = ...`), an augmented
    assignment (`cfg |= extra`)."""
    found = set()
    for node in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            changed = node.func.value
        elif isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load):
            changed = node.value
        elif isinstance(node, ast.AugAssign):
            changed = node.target
        else:
            continue
        if isinstance(changed, ast.Name):
            found.add(changed.id)
    return found


# Make a tensor of ones: times a constant (`tf.ones_like(p) * 0.5`), a tensor of it.
_ONES = frozenset({"ones", "ones_like"})


def _filled_with(node: ast.expr) -> ast.expr:
    """The constant a tensor of ones is scaled by (`tf.ones_like(p) * 0.5`), else `node`."""
    if not isinstance(node, ast.BinOp) or not isinstance(node.op, ast.Mult):
        return node
    for ones, scale in ((node.left, node.right), (node.right, node.left)):
        if isinstance(ones, ast.Call) and called_name(ones) in _ONES:
            return scale
    return node


def cut_at(
    compare: ast.Compare, constant: Callable[[ast.expr], object], threshold: float
) -> ast.expr | None:
    """The side of `x > 0.5` (`0.5 <= x`, `x < t` with `t = 0.5`...) that an ordering compares
    with `threshold`, as `constant` reads the other side."""
    if len(compare.ops) != 1 or not isinstance(compare.ops[0], ast.Gt | ast.GtE | ast.Lt | ast.LtE):
        return None
    left, right = compare.left, compare.comparators[0]
    for side, other in ((left, right), (right, left)):
        value = constant(_filled_with(other))
        if isinstance(value, float) and value == threshold:
            return side
    return None


# The ordering functions of array libraries: `tf.greater(p, 0.5)`, `torch.ge(p, 0.5)`.
ORDERING_FUNCTIONS = frozenset(
    {"greater", "greater_equal", "less", "less_equal", "gt", "ge", "lt", "le"}
)
_ARRAY_LIBRARIES = frozenset({"tensorflow", "keras", "numpy", "torch", "jax"})


def cut_by_function(
    call: ast.Call, path: str | None, constant: Callable[[ast.expr], object], threshold: float
) -> ast.expr | None:
    """The argument of `tf.greater(p, 0.5)` (`np.less(0.5, p)`, `torch.ge(p, t)` with
    `t = 0.5`...) that an array library's ordering function compares with `threshold`; `path`
    is what `call` calls, resolved."""
    if path is None or len(call.args) != 2 or any(k.arg != "name" for k in call.keywords):
        return None
    root, _, name = path.rpartition(".")
    if name not in ORDERING_FUNCTIONS or root.split(".")[0] not in _ARRAY_LIBRARIES:
        return None
    first, second = call.args
    for side, other in ((first, second), (second, first)):
        value = constant(_filled_with(other))
        if isinstance(value, float) and value == threshold:
            return side
    return None


def subtracted_from_one(node: ast.expr) -> ast.expr | None:
    """`p` of `1 - p` (`1. - p`)."""
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub)):
        return None
    one = node.left
    if not isinstance(one, ast.Constant) or isinstance(one.value, bool) or one.value != 1:
        return None
    return node.right


def is_complement(expr: ast.expr | None) -> bool:
    """`1 - p`: what the binary form of a cross-entropy takes the log of too."""
    return isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Sub)


def unclipped(
    node: ast.expr, path_of: Callable[[ast.expr], str | None], clips: frozenset[str]
) -> tuple[ast.expr, bool]:
    """What a clip into a log's domain clips, and whether `node` is one:
    `tf.clip_by_value(p, 1e-7, 1.0)`, `torch.clamp(s, 1e-7, 1)`, `s.clamp(min=1e-7)` (a
    method, when `clips` names it). Clipped, raw scores are still no probabilities."""
    if not isinstance(node, ast.Call):
        return node, False
    path = path_of(node.func)
    if path in clips and node.args:
        return node.args[0], True
    func = node.func
    if path is None and isinstance(func, ast.Attribute) and func.attr in clips:
        return func.value, True
    return node, False


def reduced_over(
    call: ast.Call, by_path: bool, axis_keywords: tuple[str, ...]
) -> tuple[ast.expr, ast.expr | None] | None:
    """What a reduction over an axis (an argmax) takes, and the axis it is given: called by
    its path, `np.argmax(p, axis=1)`, or as the tensor's method, `p.argmax(1)`."""
    if by_path:
        if not call.args:
            return None
        operand, position = call.args[0], 1
    elif isinstance(call.func, ast.Attribute):
        operand, position = call.func.value, 0
    else:
        return None
    given = (argument(call, position, name) for name in axis_keywords)
    return operand, next((axis for axis in given if axis is not None), None)
