"""Apply the `Edit`s of autofixable findings to source code, changing only the edited spans.

An edit either sets a keyword argument on the call that spans its target (adding it, or
replacing its value), or replaces the expression that spans its target. Targets come from
Python's `ast`: 1-based lines, 0-based columns counted in UTF-8 bytes. Each target is checked
against the file's own `ast` (it must be an expression there, a call for a keyword edit); the
text of a call is rewritten with libcst, so its layout and comments are kept; the new text is
spliced in place of the old span. Every byte outside the edited spans stays as it was, and all
edits of a file are made in one pass, so the time grows linearly with the file and the edits.
Edits that contradict each other (two values for one keyword, an edit inside an expression
that another edit replaces) are refused, and so is any edit whose result does not parse.

Nothing is written while fixes are planned. A file is written only if it still has the bytes
that were checked, through a temporary file renamed over it (`atomic_write`).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import libcst as cst

from logitguard import patch
from logitguard.atomic_write import StaleFile, fingerprint, replace_contents
from logitguard.core.facts import Edit
from logitguard.core.findings import Finding
from logitguard.patch import Replacement
from logitguard.static import syntax
from logitguard.static.checker import collector_paused
from logitguard.static.discovery import FileKind, kind_of

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PARSE_FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT  # notebook cells may await
# Replacements that bind as tightly as any expression they replace; others get parentheses.
_ATOMIC = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant, ast.List, ast.Dict)
STALE_REASON = "it changed after it was checked; run logitguard again"


class EditRefused(Exception):
    """This edit cannot be applied safely; the message says why."""


@dataclass
class FixOutcome:
    source: str
    applied: list[Edit] = field(default_factory=list)
    refused: list[tuple[Edit, str]] = field(default_factory=list)
    # What replaced which characters of the original source: for the diff.
    replacements: list[Replacement] = field(default_factory=list)


@dataclass
class _Span:
    """The characters [start, end) of one target in the source, and the edits made to it."""

    start: int
    end: int
    edits: list[Edit]
    inner: list[_Span] = field(default_factory=list)  # spans of edits inside this one

    @property
    def replaced(self) -> bool:
        return any(edit.keyword is None for edit in self.edits)


def apply_edits(source: str, edits: Iterable[Edit]) -> FixOutcome:
    """`source` with every applicable edit made; the others are listed with the reason."""
    outcome = FixOutcome(source)
    ordered = sorted(set(edits), key=_position)
    index = _SourceIndex(source, ordered)
    spans: dict[tuple[int, int], _Span] = {}
    for edit in ordered:
        try:
            start, end = index.span_of(edit)
        except EditRefused as refusal:
            outcome.refused.append((edit, str(refusal)))
            continue
        spans.setdefault((start, end), _Span(start, end, [])).edits.append(edit)
    roots = _nested(_without_conflicts(list(spans.values()), outcome))
    code, pieces, applied, problem = _rewrite(source, roots, index.newline, outcome)
    if problem is not None:
        # Rare: keep the edits (with those nested in them) whose result parses on its own.
        roots = [root for root in roots if _parses_with(source, root, index.newline, outcome)]
        code, pieces, applied, problem = _rewrite(source, roots, index.newline, outcome)
        if problem is not None:
            outcome.refused += [(edit, problem) for edit in applied]
            code, pieces, applied = source, [], []
    outcome.source, outcome.replacements, outcome.applied = code, pieces, applied
    outcome.refused = list(dict.fromkeys(outcome.refused))  # a retry may refuse one twice
    return outcome


def _position(edit: Edit) -> tuple[int, int, int, int, str, str]:
    target = edit.target
    end = (target.end_line or 0, target.end_col or 0)
    return (target.line, target.col, *end, edit.keyword or "", edit.replacement)


_Key = tuple[int, int, int | None, int | None]  # line, col, end line, end col (ast's)


def _key(edit: Edit) -> _Key:
    target = edit.target
    return (target.line, target.col, target.end_line, target.end_col)


class _SourceIndex:
    """Lines, their offsets, and the targets `ast` finds, to turn targets into spans."""

    def __init__(self, source: str, edits: Iterable[Edit]) -> None:
        self.source = source
        breaks = list(_LINE_BREAK.finditer(source))
        self.newline = breaks[0].group() if breaks else "\n"
        self.line_starts = [0, *(match.end() for match in breaks)]
        self._wanted = {_key(edit) for edit in edits}
        self._expressions: dict[_Key, bool] | None = None

    def expressions(self) -> dict[_Key, bool]:
        """The edits' targets that are expressions in the source -> whether each is a call."""
        if self._expressions is None:
            try:
                tree = syntax.parse(self.source, "<fix>", flags=_PARSE_FLAGS)
            except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
                raise EditRefused(f"the code does not parse ({error})") from error
            self._expressions = {}
            for node in ast.walk(tree):
                if isinstance(node, ast.expr):
                    key = (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)
                    if key in self._wanted:
                        self._expressions[key] = isinstance(node, ast.Call)
        return self._expressions

    def span_of(self, edit: Edit) -> tuple[int, int]:
        target = edit.target
        start = self._offset(target.line, target.col)
        if target.end_line is None or target.end_col is None:
            raise EditRefused("the edit does not say where its target ends")
        end = self._offset(target.end_line, target.end_col)
        if edit.keyword is not None and not edit.keyword.isidentifier():
            raise EditRefused(f"{edit.keyword!r} is not a keyword name")
        _parse_replacement(edit.replacement)
        is_call = self.expressions().get(_key(edit))
        if is_call is None or (edit.keyword is not None and not is_call):
            what = "call" if edit.keyword is not None else "expression"
            column = start - self.line_starts[target.line - 1] + 1
            raise EditRefused(f"no {what} starts at line {target.line}, column {column}")
        return start, end

    def _offset(self, line: int, byte_col: int) -> int:
        if not 1 <= line <= len(self.line_starts):
            raise EditRefused(f"line {line} is not in the file")
        line_start = self.line_starts[line - 1]
        line_end = self.line_starts[line] if line < len(self.line_starts) else len(self.source)
        encoded = self.source[line_start:line_end].encode("utf-8")
        return line_start + len(encoded[:byte_col].decode("utf-8", errors="ignore"))


def _parse_replacement(replacement: str) -> ast.expr:
    try:
        return ast.parse(replacement.strip(), mode="eval").body
    except (SyntaxError, ValueError) as error:
        raise EditRefused(f"the replacement {replacement!r} is not an expression") from error


def _without_conflicts(spans: list[_Span], outcome: FixOutcome) -> list[_Span]:
    """The spans whose edits contradict no other edit; the others' edits are refused."""
    refused: dict[int, str] = {}  # id of a span -> why its edits are refused
    for span in spans:
        if span.replaced and len(span.edits) > 1:
            refused[id(span)] = "another edit changes the same expression differently"
        _refuse_disagreeing_keywords(span, outcome)
    open_spans: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        while open_spans and open_spans[-1].end <= span.start:
            open_spans.pop()
        outer = open_spans[-1] if open_spans else None
        if outer is not None and (outer.replaced or span.end > outer.end):
            # Inside an expression another edit replaces, or crossing another span: both lost.
            refused[id(span)] = refused[id(outer)] = "it overlaps another edit"
        open_spans.append(span)
    for span in spans:
        if id(span) in refused:
            outcome.refused += [(edit, refused[id(span)]) for edit in span.edits]
    return [span for span in spans if id(span) not in refused and span.edits]


def _refuse_disagreeing_keywords(span: _Span, outcome: FixOutcome) -> None:
    values: dict[str, set[str]] = {}
    for edit in span.edits:
        if edit.keyword is not None:
            values.setdefault(edit.keyword, set()).add(edit.replacement.strip())
    kept = []
    for edit in span.edits:
        disagreeing = values.get(edit.keyword or "", set())
        if len(disagreeing) > 1:
            reason = f"edits disagree on {edit.keyword}= ({' vs '.join(sorted(disagreeing))})"
            outcome.refused.append((edit, reason))
        else:
            kept.append(edit)
    span.edits = kept


def _nested(spans: list[_Span]) -> list[_Span]:
    """The outermost spans, each holding the spans inside it."""
    roots: list[_Span] = []
    open_spans: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        span.inner = []
        while open_spans and open_spans[-1].end <= span.start:
            open_spans.pop()
        (open_spans[-1].inner if open_spans else roots).append(span)
        open_spans.append(span)
    return roots


def _rewrite(
    source: str, roots: list[_Span], newline: str, outcome: FixOutcome
) -> tuple[str, list[Replacement], list[Edit], str | None]:
    """The source with the spans rewritten, the replacements, the edits made, and why the
    result does not parse (None when it does)."""
    pieces: list[Replacement] = []
    applied: list[Edit] = []
    for root in roots:
        text, made = _render(source, root, newline, outcome)
        if made:
            pieces.append((root.start, root.end, text))
            applied += made
    if not applied:
        return source, [], [], None
    code = patch.apply(source, pieces)
    try:
        syntax.parse(code, "<fix>", flags=_PARSE_FLAGS)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        return code, pieces, applied, f"the rewritten code would not parse ({error})"
    return code, pieces, applied, None


def _parses_with(source: str, root: _Span, newline: str, outcome: FixOutcome) -> bool:
    scratch = FixOutcome(source)
    _, _, applied, problem = _rewrite(source, [root], newline, scratch)
    if problem is not None:
        outcome.refused += [(edit, problem) for edit in applied]
    return problem is None


def _render(source: str, span: _Span, newline: str, outcome: FixOutcome) -> tuple[str, list[Edit]]:
    """The text of `span` with its edits, and those of the spans inside it, made."""
    inner_pieces: list[Replacement] = []
    applied: list[Edit] = []
    for inner in span.inner:
        text, made = _render(source, inner, newline, outcome)
        applied += made
        inner_pieces.append((inner.start - span.start, inner.end - span.start, text))
    text = patch.apply(source[span.start : span.end], inner_pieces)
    try:
        text = _edited(text, span.edits, newline)
    except EditRefused as refusal:
        outcome.refused += [(edit, str(refusal)) for edit in span.edits]
    else:
        applied += span.edits
    return text, applied


def _edited(text: str, edits: list[Edit], newline: str) -> str:
    """The text of one target with its edits made (one replacement, or keyword edits)."""
    if edits[0].keyword is None:
        replacement = edits[0].replacement.strip()
        atomic = isinstance(_parse_replacement(replacement), _ATOMIC)
        return replacement if atomic else f"({replacement})"
    try:
        call = cst.parse_expression(text)
    except cst.ParserSyntaxError as error:
        raise EditRefused(f"libcst cannot parse the call ({error.message})") from error
    if not isinstance(call, cst.Call):
        raise EditRefused("the target is not a call")
    for edit in edits:
        assert edit.keyword is not None
        call = set_keyword(call, edit.keyword, cst.parse_expression(edit.replacement.strip()))
    return cst.Module(body=[], default_newline=newline).code_for_node(call)


def set_keyword(call: cst.Call, keyword: str, value: cst.BaseExpression) -> cst.Call:
    """`call` with `keyword=value`: the existing argument's value replaced, or one appended."""
    if not keyword.isidentifier():
        raise EditRefused(f"{keyword!r} is not a keyword name")
    args = list(call.args)
    for index, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == keyword:
            if not arg.value.deep_equals(value):
                args[index] = arg.with_changes(value=value)
            return call.with_changes(args=args)
    new_arg = cst.Arg(
        value=value,
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
    if not args:
        return call.with_changes(args=[new_arg])
    # Separate the new argument as the existing ones are (", " or ",\n    "); whatever
    # followed the last argument (a trailing comma, the line break before ")") follows it now.
    last = args[-1]
    separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if len(args) > 1 and isinstance(args[-2].comma, cst.Comma):
        separator = args[-2].comma
    elif isinstance(call.whitespace_before_args, cst.ParenthesizedWhitespace):
        separator = cst.Comma(whitespace_after=call.whitespace_before_args)
    new_arg = new_arg.with_changes(comma=last.comma, whitespace_after_arg=last.whitespace_after_arg)
    args[-1] = last.with_changes(comma=separator, whitespace_after_arg=cst.SimpleWhitespace(""))
    return call.with_changes(args=[*args, new_arg])


# --- Files ---------------------------------------------------------------------------------


@dataclass
class FileFix:
    """The edits for one file, worked out without writing anything."""

    path: str
    original: str
    fixed: str
    applied: int = 0
    refused: list[str] = field(default_factory=list)  # one line per refused edit
    diff: str = ""
    encoding: str = "utf-8"
    # Of the bytes the fix was computed from: the file is written only if it still has them.
    fingerprint: str = ""

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def write(self) -> None:
        """Replace the file atomically; raises StaleFile if it changed since it was read."""
        replace_contents(self.path, self.fixed.encode(self.encoding), self.fingerprint)


def edits_by_file(findings: Iterable[Finding]) -> dict[str, list[Edit]]:
    grouped: dict[str, list[Edit]] = {}
    for finding in findings:
        if finding.edit is not None:
            grouped.setdefault(finding.edit.target.path, []).append(finding.edit)
    return grouped


def plan_fixes(
    findings: Iterable[Finding], fingerprints: dict[str, str] | None = None
) -> list[FileFix]:
    """The fixes of each file. With `fingerprints` (path -> fingerprint of the bytes checked),
    a file that changed since it was checked is refused, not fixed."""
    fingerprints = fingerprints or {}
    return [
        _plan_file(path, edits, fingerprints.get(path))
        for path, edits in sorted(edits_by_file(findings).items())
    ]


def _plan_file(path: str, edits: Sequence[Edit], expected: str | None) -> FileFix:
    from logitguard.notebook_edit import NotebookEditError
    from logitguard.static.notebooks import NotebookError

    def refused(reason: str) -> FileFix:
        return FileFix(path, "", "", refused=[f"{path}: not fixed: {reason}"])

    try:
        with collector_paused():
            return fix_file(path, edits, expected)
    except StaleFile:
        return refused(STALE_REASON)
    except (OSError, UnicodeDecodeError, SyntaxError) as error:
        return refused(f"cannot read it ({error})")
    except (NotebookError, NotebookEditError) as error:
        return refused(str(error))
    except (RecursionError, MemoryError):
        return refused("the code is nested too deeply to rewrite")
    except Exception as error:  # a bug of ours must not stop the other files
        return refused(f"internal error ({type(error).__name__}: {error}); please report it")


def fix_file(path: str, edits: Sequence[Edit], expected: str | None = None) -> FileFix:
    """The fix of one file; raises StaleFile if its bytes no longer have fingerprint `expected`."""
    data = Path(path).read_bytes()
    if expected is not None and fingerprint(data) != expected:
        raise StaleFile(f"{path} changed after it was checked")
    if kind_of(path) is FileKind.NOTEBOOK:
        return _fix_notebook_data(path, data, edits)
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    original = data.decode(encoding)
    outcome = apply_edits(original, edits)
    return FileFix(
        path=path,
        original=original,
        fixed=outcome.source,
        applied=len(outcome.applied),
        refused=[_refusal(path, edit, reason) for edit, reason in outcome.refused],
        diff=patch.unified_diff(original, outcome.replacements, path),
        encoding=encoding,
        fingerprint=fingerprint(data),
    )


def _refusal(path: str, edit: Edit, reason: str) -> str:
    where = f"{path}:{edit.target.line}:{edit.target.col + 1}"
    if edit.target.cell is not None:
        where = f"{path}:cell {edit.target.cell}:line {edit.target.line}"
    return f"{where}: not fixed: {reason}"


def fix_notebook(path: str, edits: Sequence[Edit], expected: str | None = None) -> FileFix:
    """Fix code cells; every byte of the notebook outside the changed cells' sources is kept."""
    data = Path(path).read_bytes()
    if expected is not None and fingerprint(data) != expected:
        raise StaleFile(f"{path} changed after it was checked")
    return _fix_notebook_data(path, data, edits)


def _fix_notebook_data(path: str, data: bytes, edits: Sequence[Edit]) -> FileFix:
    import nbformat

    from logitguard.notebook_edit import NotebookEditError, source_replacements
    from logitguard.static import notebooks

    original = notebooks.decode_notebook(data)
    notebook = notebooks.parse_notebook(original, as_version=nbformat.NO_CONVERT)
    result = FileFix(path=path, original=original, fixed=original, fingerprint=fingerprint(data))
    if notebook.get("nbformat") != 4:
        result.refused = [f"{path}: not fixed: only nbformat 4 notebooks are rewritten"]
        return result
    by_cell: dict[int, list[Edit]] = {}
    for edit in edits:
        by_cell.setdefault(edit.target.cell or 0, []).append(edit)
    cells = notebooks.code_cells(notebook)
    new_sources: dict[int, str] = {}
    applied = 0
    for number, cell_edits in sorted(by_cell.items()):
        if not 1 <= number <= len(cells):
            result.refused += [_refusal(path, e, "no such code cell") for e in cell_edits]
            continue
        source = cells[number - 1].source
        fixed_source, count = _fix_cell(source, cell_edits, path, result)
        if fixed_source != source:
            new_sources[number] = fixed_source
            applied += count
    if new_sources:
        pieces = source_replacements(original, new_sources)
        fixed = patch.apply(original, pieces)
        # Read back as Jupyter will: nbformat must see exactly the fixed cells' new sources.
        reread = notebooks.code_cells(notebooks.parse_notebook(fixed, nbformat.NO_CONVERT))
        if any(reread[number - 1].source != new for number, new in new_sources.items()):
            raise NotebookEditError("nbformat does not read the edited cells back as written")
        result.fixed, result.applied = fixed, applied
        result.diff = patch.unified_diff(original, pieces, path)
    return result


def _fix_cell(source: str, edits: Sequence[Edit], path: str, result: FileFix) -> tuple[str, int]:
    """The cell's fixed source and how many edits it took."""
    fixed, applied, refused = cell_fix(source, edits)
    result.refused += [_refusal(path, edit, reason) for edit, reason in refused]
    return fixed, applied


def fix_cell(source: str, edits: Sequence[Edit]) -> str | None:
    """A notebook cell with the edits applied; None when none applies."""
    fixed, applied, _ = cell_fix(source, edits)
    return fixed if applied else None


def cell_fix(source: str, edits: Sequence[Edit]) -> tuple[str, int, list[tuple[Edit, str]]]:
    """(the cell's new source, edits applied, (edit, why) refused): the edits are made on the
    cell's code as IPython runs it, then written back into the cell."""
    from logitguard.static.ipython_cells import transform_cell

    cell = transform_cell(source)
    code_edits = []
    refused: list[tuple[Edit, str]] = []
    for edit in edits:
        target = edit.target
        col = cell.code_column(target.line, target.col)
        end_col = target.end_col
        if end_col is not None and target.end_line is not None:
            end_col = cell.code_column(target.end_line, end_col)
        if col is None or (target.end_col is not None and end_col is None):
            refused.append((edit, "it is on a line IPython rewrites"))
            continue
        code_edits.append(replace(edit, target=replace(target, col=col, end_col=end_col)))
    outcome = apply_edits(cell.code, code_edits)
    refused += outcome.refused
    if not outcome.applied:
        return source, 0, refused
    restored = cell.restore(outcome.source)
    if restored is None:
        reason = "the fix changes the cell's line count next to IPython lines"
        return source, 0, refused + [(edit, reason) for edit in outcome.applied]
    return restored, len(outcome.applied), refused
