"""Parse Python of any version up to the newest release, whatever Python runs the checker.

`parse` tries the running interpreter's parser first. When that fails on a line that may hold
syntax newer than the interpreter (PEP 695 type parameters and `type` aliases, PEP 696
defaults, PEP 701 f-strings, PEP 750 t-strings, PEP 758 `except A, B:`), libcst, whose parser
knows every version, reads the file; if it accepts it, the newer constructs are respelled in
syntax the interpreter knows and the result is parsed again. A respelling changes the text of
the constructs only: every other token keeps its line and its column in UTF-8 bytes, so the
positions in the tree are those of the original file, which is what findings point at and what
`--fix` edits.

- type parameters `[T: int = str, *Ts]` become blanks, continued with `\\` across lines;
- `type X[T] = v` becomes `X = v`, padded so `v` keeps its place;
- an f-string or t-string the interpreter cannot read becomes a tuple of its replacement
  fields, `f"{d["k"]:>{w}}"` -> `(  d["k"],  w  )`: the expressions inside stay where they were;
- `except A, B:` becomes `except A| B:`.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

# A syntax error on a line like these may be newer syntax rather than an error.
_MAY_BE_NEWER = re.compile(
    r"\b(?:def|class)\s+\w+\s*\["  # PEP 695 type parameters
    r"|^\s*type\s+\w"  # PEP 695 type alias statement
    r"|(?<![\w.])(?:[rR]?[fFtT]|[fFtT][rR])['\"]"  # PEP 701 f-strings, PEP 750 t-strings
    r"|^\s*except\b"  # PEP 758
)
# libcst's native parser overflows its stack on absurdly nested code (CPython refuses more
# than 200 open brackets in any version); such a file is never handed to it.
_MAX_BRACKET_DEPTH = 200
_LONG_PREFIX_CHAIN = re.compile(r"(?:(?:[-+~]|\bnot\b|\blambda\b[^:]*:|\bawait\b)\s*){200}")
_BRACKET_STEP = {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}
_BRACKETS = re.compile(r"[][(){}]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ERROR_AT = re.compile(r"error at (\d+):(\d+)")

_HAS_TYPE_PARAMETER_DEFAULTS = sys.version_info >= (3, 13)
_HAS_BARE_EXCEPT_TUPLES = sys.version_info >= (3, 14)


def parse(source: str, filename: str = "<unknown>", *, flags: int = 0) -> ast.Module:
    """The module's tree, with positions of `source`; SyntaxError if no Python version reads it.

    `flags` are `compile` flags (`ast.PyCF_ALLOW_TOP_LEVEL_AWAIT`); ValueError (null bytes on
    Python 3.11) and RecursionError propagate as from `compile`.
    """
    flags |= ast.PyCF_ONLY_AST
    try:
        return compile(source, filename, "exec", flags=flags, dont_inherit=True)
    except SyntaxError as error:
        if not _may_be_newer_syntax(source, error):
            raise
        try:
            older = respelled(source, filename)
        except SyntaxError:
            raise
        except Exception:  # libcst's own checks have gaps (`t"a" t"b"` fails one of them)
            raise error from None
        try:
            return compile(older, filename, "exec", flags=flags, dont_inherit=True)
        except SyntaxError:
            raise error from None


def _may_be_newer_syntax(source: str, error: SyntaxError) -> bool:
    if error.msg.startswith("f-string"):
        return True
    lines = _LINE_BREAK.split(source)
    line = error.lineno or 0
    if not 1 <= line <= len(lines) or not _MAY_BE_NEWER.search(lines[line - 1]):
        return False
    return not _too_deep_for_libcst(source)


def _too_deep_for_libcst(source: str) -> bool:
    depth = deepest = 0
    for bracket in _BRACKETS.findall(source):
        depth += _BRACKET_STEP[bracket]
        deepest = max(deepest, depth)
    return deepest > _MAX_BRACKET_DEPTH or _LONG_PREFIX_CHAIN.search(source) is not None


def respelled(source: str, filename: str = "<unknown>") -> str:
    """`source` with the constructs newer than the running Python respelled, positions kept.

    Raises SyntaxError, at libcst's position, when libcst cannot parse it either.
    """
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        # libcst stops at, or one line after, the error; its message says where it looked.
        where = _ERROR_AT.search(error.message)
        line, column = (int(where[1]), int(where[2])) if where else (error.raw_line, 0)
        lines = _LINE_BREAK.split(source)
        text = lines[line - 1] if 1 <= line <= len(lines) else None
        raise SyntaxError("invalid syntax", (filename, line, column + 1, text)) from None
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    finder = _NewerSyntaxFinder()
    wrapper.visit(finder)
    return _apply(source, finder.edits)


@dataclass(frozen=True)
class _Edit:
    """Replace the text in `span` by what `respell` makes of it (same line breaks and bytes)."""

    span: CodeRange
    kind: str  # "blank", "blank-continued", "fields", "alias-name", "bar"
    kept: tuple[CodeRange, ...] = ()  # "fields": the replacement fields, kept as they are
    name: str = ""  # "alias-name": the alias's name


class _NewerSyntaxFinder(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self) -> None:
        super().__init__()
        self.edits: list[_Edit] = []

    def _range(self, node: cst.CSTNode) -> CodeRange:
        return self.get_metadata(PositionProvider, node)

    def _with_parentheses(self, node: cst.BaseExpression) -> CodeRange:
        span = self._range(node)
        if node.lpar:
            span = CodeRange(self._range(node.lpar[0]).start, span.end)
        if node.rpar:
            span = CodeRange(span.start, self._range(node.rpar[-1]).end)
        return span

    def _type_parameters(self, parameters: cst.TypeParameters | None) -> None:
        if parameters is not None and not _HAS_TYPE_PARAMETER_DEFAULTS:
            self.edits.append(_Edit(self._range(parameters), "blank-continued"))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._type_parameters(node.type_parameters)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._type_parameters(node.type_parameters)

    def visit_TypeAlias(self, node: cst.TypeAlias) -> None:
        if _HAS_TYPE_PARAMETER_DEFAULTS:
            return
        span = CodeRange(self._range(node).start, self._range(node.name).end)
        self.edits.append(_Edit(span, "alias-name", name=node.name.value))
        self._type_parameters(node.type_parameters)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        self._bare_tuple(node.type)

    def visit_ExceptStarHandler(self, node: cst.ExceptStarHandler) -> None:
        self._bare_tuple(node.type)

    def _bare_tuple(self, types: cst.BaseExpression | None) -> None:
        if _HAS_BARE_EXCEPT_TUPLES or not isinstance(types, cst.Tuple) or types.lpar:
            return
        for element in types.elements:
            if isinstance(element.comma, cst.Comma):
                self.edits.append(_Edit(self._range(element.comma), "bar"))

    def visit_SimpleString(self, node: cst.SimpleString) -> bool:
        return False

    def visit_FormattedString(self, node: cst.FormattedString) -> bool:
        return self._string(node)

    def visit_TemplatedString(self, node: cst.TemplatedString) -> bool:
        return self._string(node)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        return self._string(node)

    def _string(self, node: cst.BaseExpression) -> bool:
        if _readable_here(node):
            return False  # nothing inside needs respelling either
        fields = list(_replacement_fields(node))
        kept = tuple(self._with_parentheses(field) for field in fields)
        self.edits.append(_Edit(self._range(node), "fields", kept=kept))
        for field in fields:
            field.visit(self)  # a field may hold newer syntax of its own
        return False


def _readable_here(node: cst.BaseExpression) -> bool:
    """Whether the running Python parses this string expression as it is."""
    code = cst.Module(body=[]).code_for_node(node.with_changes(lpar=(), rpar=()))
    try:
        compile(f"({code})", "<string>", "eval", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError:
        return False
    return True


def _replacement_fields(node: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    if isinstance(node, cst.ConcatenatedString):
        yield from _replacement_fields(node.left)
        yield from _replacement_fields(node.right)
    elif isinstance(node, cst.FormattedString | cst.TemplatedString):
        yield from _fields_of_parts(node.parts)


def _fields_of_parts(parts: Sequence[cst.CSTNode]) -> Iterator[cst.BaseExpression]:
    for part in parts:
        if isinstance(part, cst.FormattedStringExpression | cst.TemplatedStringExpression):
            yield part.expression
            if part.format_spec:
                yield from _fields_of_parts(part.format_spec)


class _Text:
    """The source as characters, addressed by libcst positions (1-based lines, 0-based columns)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.line_starts = [0] + [match.end() for match in _LINE_BREAK.finditer(source)]

    def offset(self, line: int, column: int) -> int:
        return self.line_starts[line - 1] + column


def _apply(source: str, edits: Sequence[_Edit]) -> str:
    text = _Text(source)
    pieces: list[str] = []
    done = 0
    for start, end, replacement in sorted(_replacements(text, edits)):
        if start < done:
            continue  # overlapping edits cannot both be made; the result will not parse
        pieces += [source[done:start], replacement]
        done = end
    pieces.append(source[done:])
    return "".join(pieces)


def _replacements(text: _Text, edits: Sequence[_Edit]) -> Iterator[tuple[int, int, str]]:
    for edit in edits:
        start = text.offset(edit.span.start.line, edit.span.start.column)
        end = text.offset(edit.span.end.line, edit.span.end.column)
        old = text.source[start:end]
        if edit.kind == "bar":
            yield start, end, "|"
        elif edit.kind == "alias-name":
            yield start, end, _padded(edit.name, old)
        elif edit.kind == "blank-continued":
            yield start, end, _blank(old, continued=True)
        else:
            yield from _fields(text, start, end, edit.kept)


def _padded(name: str, old: str) -> str:
    if _LINE_BREAK.search(old):
        return old  # `type` and its name on different lines: left alone, and refused later
    return name + " " * (len(old.encode()) - len(name.encode()))


def _blank(text: str, *, continued: bool = False) -> str:
    """Spaces for every character (as many as its UTF-8 bytes), line breaks kept.

    `continued`: each line break is preceded by a backslash, to join the lines as the
    brackets that are blanked did.
    """
    out: list[str] = []
    for piece in re.split(r"(\r\n|\r|\n)", text):
        if _LINE_BREAK.fullmatch(piece):
            if continued and out and out[-1]:
                out[-1] = out[-1][:-1] + "\\"
            elif continued:
                out.append("\\")
            out.append(piece)
        else:
            out.append(" " * len(piece.encode()))
    return "".join(out)


def _fields(
    text: _Text, start: int, end: int, kept: Sequence[CodeRange]
) -> Iterator[tuple[int, int, str]]:
    """A string expression as a parenthesised tuple of its replacement fields."""
    bounds = [start]
    for field in kept:
        bounds += [
            text.offset(field.start.line, field.start.column),
            text.offset(field.end.line, field.end.column),
        ]
    bounds.append(end)
    gaps = list(zip(bounds[::2], bounds[1::2], strict=True))
    for index, (gap_start, gap_end) in enumerate(gaps):
        blanked = _blank(text.source[gap_start:gap_end])
        if index > 0 and text.source[gap_start - 1] != ",":  # `{a, b,}` has its comma
            blanked = _put(blanked, ",", first=True)
        if index == 0:
            blanked = _put(blanked, "(", first=True)
        if index == len(gaps) - 1:
            blanked = _put(blanked, ")", first=False)
        yield gap_start, gap_end, blanked


def _put(blanked: str, char: str, *, first: bool) -> str:
    """`blanked` with its first (or last) space that is not a line break replaced by `char`."""
    index = blanked.find(" ") if first else blanked.rfind(" ")
    if index < 0:
        return blanked  # no room: the result will not parse, and is refused
    return blanked[:index] + char + blanked[index + 1 :]
