"""Jupyter notebooks: check their code cells as one program, report by cell and line.

Each code cell is read as IPython runs it (`ipython_cells.transform_cell`: magics, shell and
help lines, indented cells, automagics). The cells are joined in notebook order and parsed as
one module, so a model built in one cell and compiled in another is followed, and every finding
maps back to (code cell, line in that cell, column). Cells are numbered among code cells only,
from 1. When the joined code does not parse, each cell is parsed on its own, as IPython compiles
it: the cells that do not parse are left out, the others checked, and the notebook gets one
LG000, at the first cell that failed.
"""

from __future__ import annotations

import ast
import bisect
import json
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from logitguard.core.facts import Edit, Location
from logitguard.core.findings import Finding, unreadable
from logitguard.static import sources
from logitguard.static.engine.project import Project
from logitguard.static.ipython_cells import TransformedCell, transform_cell

if TYPE_CHECKING:
    from nbformat import NotebookNode

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A line a syntax error's message names (`...after function definition on line 70`).
_NAMED_LINE = re.compile(r"\bon line (\d+)")


@dataclass(frozen=True)
class CodeCell:
    number: int  # 1-based, among code cells
    source: str


class NotebookError(Exception):
    """The file is not a readable notebook."""


def read_notebook(path: str) -> NotebookNode:
    """The notebook as nbformat version 4 (converted from older versions)."""
    with open(path, "rb") as handle:
        return parse_notebook(decode_notebook(handle.read()))


def decode_notebook(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotebookError(f"not UTF-8 text ({error.reason} at byte {error.start})") from error


def parse_notebook(text: str, as_version: int = 4) -> NotebookNode:
    # Imported here: nbformat (and jsonschema) cost more start-up time than all .py checks.
    import nbformat

    text = _with_format_version(text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # schema nits (missing cell ids) do not matter here
            notebook = nbformat.reads(text, as_version=as_version, capture_validation_error={})
    except nbformat.reader.NotJSONError as error:
        raise NotebookError("not valid notebook JSON") from error
    except Exception as error:  # nbformat raises many kinds on malformed notebooks
        raise NotebookError(f"not a valid notebook ({type(error).__name__}: {error})") from error
    code_cells(notebook)  # fail now on cells that cannot be read
    return notebook


def _with_format_version(text: str) -> str:
    """A notebook without an `nbformat` key but with a list of cells, read as version 4.

    nbformat would take it for version 1 and find no cells in it, so it would pass unread.
    """
    if '"nbformat"' in text:  # cheap: the key is there (nbformat reads it)
        return text
    try:
        data = json.loads(text)
    except ValueError:
        return text  # nbformat reports it
    if not isinstance(data, dict) or "nbformat" in data or not isinstance(data.get("cells"), list):
        return text
    return json.dumps({**data, "nbformat": 4, "nbformat_minor": data.get("nbformat_minor", 4)})


def kernel_language(notebook: NotebookNode) -> str | None:
    """The language the notebook's kernel runs, when its metadata says (an empty field says
    nothing: a custom kernel's spec may leave it blank while `language_info` names Python)."""
    metadata = notebook.get("metadata")
    if not isinstance(metadata, dict):
        return None
    for key, field_name in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(key)
        value = section.get(field_name) if isinstance(section, dict) else None
        if isinstance(value, str) and value.strip():
            return value
    return None


def is_python_language(language: str | None) -> bool:
    return language is None or language.strip().lower().startswith(("python", "ipython"))


def code_cells(notebook: NotebookNode) -> list[CodeCell]:
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        raise NotebookError("not a valid notebook: it has no list of cells")
    found: list[CodeCell] = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        if not isinstance(source, str):
            raise NotebookError(f"not a valid notebook: code cell {len(found) + 1} has no text")
        found.append(CodeCell(number=len(found) + 1, source=source))
    return found


class CellMap:
    """Positions in the joined code of the cells <-> (cell, line in cell, column in cell)."""

    def __init__(self, cells: Sequence[CodeCell], transformed: Sequence[TransformedCell]) -> None:
        self.cells = list(cells)
        self.transformed = list(transformed)
        self.starts: list[int] = []
        line = 1
        for cell in transformed:
            self.starts.append(line)
            line += len(_LINE_BREAK.findall(cell.code)) + 1

    def cell_index_of(self, line: int) -> int:
        return max(bisect.bisect_right(self.starts, line) - 1, 0)

    def to_cell(self, location: Location) -> Location:
        index = self.cell_index_of(location.line)
        start = self.starts[index]
        cell = self.transformed[index]
        line = location.line - start + 1
        end_line, end_col = location.end_line, location.end_col
        if end_line is not None:
            end_line = end_line - start + 1
            if end_col is not None:
                end_col = cell.cell_column(end_line, end_col)
        return replace(
            location,
            line=line,
            col=cell.cell_column(line, location.col),
            end_line=end_line,
            end_col=end_col,
            cell=self.cells[index].number,
        )

    def finding_to_cell(self, finding: Finding) -> Finding:
        location = self.to_cell(finding.location) if finding.location else None
        edit = finding.edit
        if edit is not None:
            edit = Edit(self.to_cell(edit.target), edit.replacement, edit.keyword)
        return replace(finding, location=location, edit=edit)


def _in_cell_lines(reason: str, cell_map: CellMap) -> str:
    """`reason` with the lines it names counted in their cell, as the finding's own are
    (Python counts them in the notebook's code joined)."""

    def in_cell(match: re.Match[str]) -> str:
        line = int(match.group(1))
        index = cell_map.cell_index_of(line)
        number = cell_map.cells[index].number
        return f"on line {line - cell_map.starts[index] + 1} of cell {number}"

    return _NAMED_LINE.sub(in_cell, reason)


def check_notebook(path: str, project: Project | None = None) -> list[Finding]:
    """The findings of a notebook file; none for a notebook in another language."""
    try:
        with open(path, "rb") as handle:
            return check_notebook_data(handle.read(), path, project)
    except OSError as error:
        return [unreadable(path, str(error))]
    except sources.Skipped:
        return []


def check_notebook_data(data: bytes, path: str, project: Project | None = None) -> list[Finding]:
    """Check a notebook's bytes; raises sources.Skipped for a notebook in another language."""
    try:
        notebook = parse_notebook(decode_notebook(data))
        cells = code_cells(notebook)
    except NotebookError as error:
        return [unreadable(path, str(error))]
    language = kernel_language(notebook)
    if not is_python_language(language):
        raise sources.Skipped(f"a notebook for the {language} language (logitguard reads Python)")
    return check_cells(cells, path, project)


def check_cells(
    cells: Sequence[CodeCell], path: str, project: Project | None = None
) -> list[Finding]:
    if not cells:
        return []
    transformed = [transform_cell(cell.source) for cell in cells]
    cell_map = CellMap(cells, transformed)
    source = "\n".join(cell.code for cell in transformed)
    broken: list[tuple[int, sources.Unparsable]] = []
    try:  # the common case: one parse for all the cells
        tree = sources.parse(source, path, allow_top_level_await=True)
    except sources.Unparsable:
        source, tree, broken = _readable_cells(transformed, cell_map, path)
    findings = [
        cell_map.finding_to_cell(f) if f.location and f.location.path == path else f
        for f in sources.check_tree(source, path, tree, project)
    ]
    if broken:
        findings.append(_unreadable_cells(broken, cell_map))
    return sources.sort_findings(findings)


def _readable_cells(
    transformed: Sequence[TransformedCell], cell_map: CellMap, path: str
) -> tuple[str, ast.Module, list[tuple[int, sources.Unparsable]]]:
    """The joined code and tree of the cells that parse on their own; those that do not."""
    body: list[ast.stmt] = []
    broken: list[tuple[int, sources.Unparsable]] = []
    codes: list[str] = []
    for index, (cell, start) in enumerate(zip(transformed, cell_map.starts, strict=True)):
        placed = "\n" * (start - 1) + cell.code  # at its lines in the joined code
        try:
            tree = sources.parse(placed, path, allow_top_level_await=True)
        except sources.Unparsable as error:
            broken.append((index, error))
            codes.append("".join(_LINE_BREAK.findall(cell.code)))  # its lines, blank
            continue
        body += tree.body
        codes.append(cell.code)
    return "\n".join(codes), ast.Module(body=body, type_ignores=[]), broken


def _unreadable_cells(
    broken: Sequence[tuple[int, sources.Unparsable]], cell_map: CellMap
) -> Finding:
    """One LG000 for the notebook, at the first cell that could not be read."""
    index, error = broken[0]
    number = cell_map.cells[index].number
    location = error.finding.location
    assert location is not None  # an Unparsable's finding is always placed
    line = max(location.line - cell_map.starts[index] + 1, 1)
    column = cell_map.transformed[index].cell_column(line, location.col)
    message = f"could not analyse code cell {number} ({_in_cell_lines(error.reason, cell_map)})"
    others = [str(cell_map.cells[other].number) for other, _ in broken[1:]]
    if others:
        message += f"; nor cell{'s' if len(others) > 1 else ''} {', '.join(others)}"
    if len(broken) < len(cell_map.cells):
        message += "; the other cells were checked"
    return replace(
        error.finding,
        message=message,
        location=replace(location, line=line, col=column, cell=number),
    )
