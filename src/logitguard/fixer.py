"""Apply the `Edit`s of autofixable findings to source code with libcst, keeping all else as is.

An edit either sets a keyword argument on the call that starts at its target (adding it, or
replacing its value), or replaces the expression that spans its target. Targets come from
Python's `ast`: 1-based lines, 0-based columns counted in UTF-8 bytes; libcst counts characters,
so columns are converted line by line. Edits are applied bottom-up, one at a time, so earlier
positions stay valid; a result that does not parse is refused and nothing is written.
"""

from __future__ import annotations

import ast
import difflib
import io
import re
import tokenize
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from logitguard.core.facts import Edit
from logitguard.core.findings import Finding
from logitguard.static import syntax
from logitguard.static.discovery import FileKind, kind_of

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class EditRefused(Exception):
    """This edit cannot be applied safely; the message says why."""


@dataclass
class FixOutcome:
    source: str
    applied: list[Edit] = field(default_factory=list)
    refused: list[tuple[Edit, str]] = field(default_factory=list)


def apply_edits(source: str, edits: Iterable[Edit]) -> FixOutcome:
    """`source` with every applicable edit made; the others are listed with the reason."""
    outcome = FixOutcome(source)
    ordered = sorted(set(edits), key=_position, reverse=True)
    for edit in ordered:
        try:
            outcome.source = apply_edit(outcome.source, edit)
        except EditRefused as refusal:
            outcome.refused.append((edit, str(refusal)))
        else:
            outcome.applied.append(edit)
    return outcome


def _position(edit: Edit) -> tuple[int, int]:
    return (edit.target.line, edit.target.col)


def apply_edit(source: str, edit: Edit) -> str:
    try:
        wrapper = MetadataWrapper(cst.parse_module(source))
    except cst.ParserSyntaxError as error:
        raise EditRefused(f"libcst cannot parse the file ({error.message})") from error
    positions = wrapper.resolve(PositionProvider)
    lines = _LINE_BREAK.split(source)
    start = (edit.target.line, _char_column(lines, edit.target.line, edit.target.col))
    end = None
    if edit.target.end_line is not None and edit.target.end_col is not None:
        end = (edit.target.end_line, _char_column(lines, edit.target.end_line, edit.target.end_col))
    wanted = cst.Call if edit.keyword is not None else cst.BaseExpression
    node = _node_at(positions, wanted, start, end)
    replacement = _parse_replacement(edit.replacement)
    if edit.keyword is not None:
        assert isinstance(node, cst.Call)
        new_node: cst.CSTNode = set_keyword(node, edit.keyword, replacement)
    else:
        new_node = _keep_parentheses(node, replacement)
    result = wrapper.module.deep_replace(node, new_node)
    assert isinstance(result, cst.Module)
    code = result.code
    _ensure_parses(code)
    return code


def _char_column(lines: Sequence[str], line: int, byte_col: int) -> int:
    if not 1 <= line <= len(lines):
        raise EditRefused(f"line {line} is not in the file")
    encoded = lines[line - 1].encode("utf-8")
    return len(encoded[:byte_col].decode("utf-8", errors="ignore"))


def _node_at(
    positions: dict[cst.CSTNode, CodeRange],
    wanted: type[cst.CSTNode],
    start: tuple[int, int],
    end: tuple[int, int] | None,
) -> cst.CSTNode:
    candidates = [
        (node, code_range)
        for node, code_range in positions.items()
        if isinstance(node, wanted) and (code_range.start.line, code_range.start.column) == start
    ]
    exact = [
        node
        for node, code_range in candidates
        if end is not None and (code_range.end.line, code_range.end.column) == end
    ]
    if len(exact) == 1:
        return exact[0]
    if len(candidates) == 1 and wanted is cst.Call:
        return candidates[0][0]  # the call's arguments may have been edited already
    what = "call" if wanted is cst.Call else "expression"
    if not candidates:
        raise EditRefused(f"no {what} starts at line {start[0]}, column {start[1] + 1}")
    raise EditRefused(f"the {what} at line {start[0]}, column {start[1] + 1} is ambiguous")


def _parse_replacement(replacement: str) -> cst.BaseExpression:
    try:
        return cst.parse_expression(replacement)
    except cst.ParserSyntaxError as error:
        raise EditRefused(f"the replacement {replacement!r} is not an expression") from error


def _keep_parentheses(old: cst.CSTNode, new: cst.BaseExpression) -> cst.BaseExpression:
    lpar, rpar = getattr(old, "lpar", ()), getattr(old, "rpar", ())
    if lpar and not new.lpar:
        return new.with_changes(lpar=lpar, rpar=rpar)
    return new


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


def _ensure_parses(code: str) -> None:
    try:
        # Top-level `await` is allowed: notebook cells use it.
        syntax.parse(code, flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except (SyntaxError, ValueError) as error:
        raise EditRefused(f"the rewritten code would not parse ({error})") from error


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

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def write(self) -> None:
        # newline="" writes the text's own line endings back unchanged.
        with open(self.path, "w", encoding=self.encoding, newline="") as handle:
            handle.write(self.fixed)


def edits_by_file(findings: Iterable[Finding]) -> dict[str, list[Edit]]:
    grouped: dict[str, list[Edit]] = {}
    for finding in findings:
        if finding.edit is not None:
            grouped.setdefault(finding.edit.target.path, []).append(finding.edit)
    return grouped


def plan_fixes(findings: Iterable[Finding]) -> list[FileFix]:
    return [_plan_file(path, edits) for path, edits in sorted(edits_by_file(findings).items())]


def _plan_file(path: str, edits: Sequence[Edit]) -> FileFix:
    from logitguard.static.notebooks import NotebookError

    try:
        return fix_file(path, edits)
    except (OSError, UnicodeDecodeError, SyntaxError, NotebookError) as error:
        # Changed or removed since it was checked: leave it alone and say so.
        return FileFix(path, "", "", refused=[f"{path}: not fixed: cannot read it ({error})"])


def fix_file(path: str, edits: Sequence[Edit]) -> FileFix:
    if kind_of(path) is FileKind.NOTEBOOK:
        return fix_notebook(path, edits)
    data = Path(path).read_bytes()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    original = data.decode(encoding)
    outcome = apply_edits(original, edits)
    return FileFix(
        path=path,
        original=original,
        fixed=outcome.source,
        applied=len(outcome.applied),
        refused=[_refusal(path, edit, reason) for edit, reason in outcome.refused],
        diff=unified_diff(original, outcome.source, path),
        encoding=encoding,
    )


def _refusal(path: str, edit: Edit, reason: str) -> str:
    where = f"{path}:{edit.target.line}:{edit.target.col + 1}"
    if edit.target.cell is not None:
        where = f"{path}:cell {edit.target.cell}:line {edit.target.line}"
    return f"{where}: not fixed: {reason}"


def unified_diff(before: str, after: str, path: str, label: str = "") -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}{label}",
            tofile=f"b/{path}{label}",
        )
    )


def fix_notebook(path: str, edits: Sequence[Edit]) -> FileFix:
    """Fix code cells one by one; outputs, metadata and the other cells are left as they are."""
    import nbformat

    from logitguard.static import notebooks

    original = Path(path).read_text(encoding="utf-8")
    notebook = notebooks.parse_notebook(original, as_version=nbformat.NO_CONVERT)
    result = FileFix(path=path, original=original, fixed=original)
    if notebook.get("nbformat") != 4:
        result.refused = [f"{path}: not fixed: only nbformat 4 notebooks are rewritten"]
        return result
    by_cell: dict[int, list[Edit]] = {}
    for edit in edits:
        by_cell.setdefault(edit.target.cell or 0, []).append(edit)
    cells = [cell for cell in notebook.cells if cell.get("cell_type") == "code"]
    diffs: list[str] = []
    for number, cell_edits in sorted(by_cell.items()):
        if not 1 <= number <= len(cells):
            result.refused += [_refusal(path, e, "no such code cell") for e in cell_edits]
            continue
        cell = cells[number - 1]
        fixed_source = _fix_cell(cell.source, cell_edits, path, result)
        if fixed_source != cell.source:
            diffs.append(unified_diff(cell.source, fixed_source, path, f":cell {number}"))
            cell.source = fixed_source
    if result.applied:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # schema nits the notebook already had
            result.fixed = nbformat.writes(notebook, version=nbformat.NO_CONVERT)
        result.diff = "".join(diff if diff.endswith("\n") else diff + "\n" for diff in diffs)
    return result


def _fix_cell(source: str, edits: Sequence[Edit], path: str, result: FileFix) -> str:
    """The cell with the edits made on its code as IPython runs it, then written back."""
    fixed, applied, refused = cell_fix(source, edits)
    result.refused += [_refusal(path, edit, reason) for edit, reason in refused]
    result.applied += applied
    return fixed


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
