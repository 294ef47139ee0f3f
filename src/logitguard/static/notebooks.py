"""Jupyter notebooks: check their code cells as one program, report by cell and line.

IPython syntax (`%matplotlib inline`, `!pip install x`, `x = !ls`, `obj?`, `%%time` cells) is
replaced by `pass` lines of the same count before parsing, so line numbers stay put and every
finding maps back to (code cell, line in that cell). Cells are numbered among code cells only,
from 1. A cell that does not parse is reported on its own and left out; the others are checked.
"""

from __future__ import annotations

import bisect
import json
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from logitguard.core.facts import Edit, Location
from logitguard.core.findings import Finding, unreadable
from logitguard.static import checker

if TYPE_CHECKING:
    from nbformat import NotebookNode

# Cell magics whose body is Python run in the notebook's namespace: the body is kept.
_PYTHON_BODY_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
# `x = !ls`, `files, = %sx ls`: an assignment from a shell command or a magic.
_ASSIGNED_MAGIC = re.compile(r"^[\w.,\s\[\]()*]*[\w\])]\s*=\s*[!%]")
# `obj?`, `obj.attr??`, `np.*load*?`: IPython help.
_TRAILING_HELP = re.compile(r"^[\w.*\[\]]+\?{1,2}$")


@dataclass(frozen=True)
class NeutralisedCell:
    """A cell's code with IPython-only lines replaced; same number of lines as the original."""

    code: str
    # 0-based line index -> the original line it replaces.
    replaced: dict[int, str]

    def restore(self, code: str) -> str | None:
        """`code` (this cell's code, edited in place) with the original IPython lines back.

        None when the edit changed the number of lines, so lines cannot be matched up.
        """
        lines = code.split("\n")
        if len(lines) != len(self.code.split("\n")):
            return None
        for index, original in self.replaced.items():
            lines[index] = original
        return "\n".join(lines)


def neutralise(source: str) -> NeutralisedCell:
    lines = source.replace("\r\n", "\n").split("\n")
    replaced: dict[int, str] = {}
    # The first line of each IPython statement becomes `pass` (valid in any block); its
    # continuation lines, and the body of a cell magic that is not Python, become blank.
    starts: set[int] = set()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        magic = lines[first].lstrip()[2:].split(maxsplit=1)
        body_is_python = bool(magic) and magic[0] in _PYTHON_BODY_CELL_MAGICS
        hidden = [first] if body_is_python else range(first, len(lines))
        replaced.update((index, lines[index]) for index in hidden)
        starts.add(first)
    starts |= _replace_line_magics(lines, replaced)
    code_lines = list(lines)
    for index, original in replaced.items():
        indent = original[: len(original) - len(original.lstrip())]
        code_lines[index] = f"{indent}pass" if index in starts else ""
    return NeutralisedCell(code="\n".join(code_lines), replaced=replaced)


def _is_ipython_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return False
    return (
        stripped[0] in "%!?"
        or _ASSIGNED_MAGIC.match(stripped) is not None
        or _TRAILING_HELP.match(stripped) is not None
    )


def _replace_line_magics(lines: list[str], replaced: dict[int, str]) -> set[int]:
    """Mark IPython lines that start a logical line (not inside brackets or strings).

    Returns the indices of the lines that start an IPython statement.
    """
    scanner = _LogicalLineScanner()
    starts: set[int] = set()
    continues_magic = False
    for index, line in enumerate(lines):
        if index in replaced:
            continue
        if continues_magic or (scanner.at_line_start and _is_ipython_line(line)):
            if not continues_magic:
                starts.add(index)
            replaced[index] = line
            continues_magic = line.endswith("\\")
            continue
        scanner.feed(line)
    return starts


class _LogicalLineScanner:
    """Just enough of Python's tokenizer to know whether the next line starts a statement."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote: str | None = None  # the open string's delimiter
        self.continued = False

    @property
    def at_line_start(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.continued

    def feed(self, line: str) -> None:
        self.continued = False
        index = 0
        while index < len(line):
            char = line[index]
            if self.quote is not None:
                if char == "\\":
                    index += 2
                    continue
                if line.startswith(self.quote, index):
                    index += len(self.quote)
                    self.quote = None
                    continue
                index += 1
                continue
            if char == "#":
                return
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            elif char in "'\"":
                triple = line[index : index + 3]
                self.quote = triple if triple in ('"""', "'''") else char
                index += len(self.quote)
                continue
            index += 1
        self.continued = line.endswith("\\")
        if self.quote is not None and len(self.quote) == 1 and not self.continued:
            self.quote = None  # an unterminated one-line string ends with its line


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
    """The language the notebook's kernel runs, when its metadata says."""
    metadata = notebook.get("metadata")
    if not isinstance(metadata, dict):
        return None
    for key, field_name in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(key)
        if isinstance(section, dict) and isinstance(section.get(field_name), str):
            return section[field_name]
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
    """Lines of the concatenated code <-> (cell, line in cell)."""

    def __init__(self, cells: Sequence[CodeCell], line_counts: Sequence[int]) -> None:
        self.cells = list(cells)
        self.starts: list[int] = []
        line = 1
        for count in line_counts:
            self.starts.append(line)
            line += count

    def cell_index_of(self, line: int) -> int:
        return max(bisect.bisect_right(self.starts, line) - 1, 0)

    def to_cell(self, location: Location) -> Location:
        index = self.cell_index_of(location.line)
        start = self.starts[index]
        end_line = location.end_line
        if end_line is not None:
            end_line = end_line - start + 1
        return replace(
            location,
            line=location.line - start + 1,
            end_line=end_line,
            cell=self.cells[index].number,
        )

    def finding_to_cell(self, finding: Finding) -> Finding:
        location = self.to_cell(finding.location) if finding.location else None
        edit = finding.edit
        if edit is not None:
            edit = Edit(self.to_cell(edit.target), edit.replacement, edit.keyword)
        return replace(finding, location=location, edit=edit)


def check_notebook(path: str) -> list[Finding]:
    """The findings of a notebook file; none for a notebook in another language."""
    try:
        with open(path, "rb") as handle:
            return check_notebook_data(handle.read(), path)
    except OSError as error:
        return [unreadable(path, str(error))]
    except checker.Skipped:
        return []


def check_notebook_data(data: bytes, path: str) -> list[Finding]:
    """Check a notebook's bytes; raises checker.Skipped for a notebook in another language."""
    try:
        notebook = parse_notebook(decode_notebook(data))
        cells = code_cells(notebook)
    except NotebookError as error:
        return [unreadable(path, str(error))]
    language = kernel_language(notebook)
    if not is_python_language(language):
        raise checker.Skipped(f"a notebook for the {language} language (logitguard reads Python)")
    return check_cells(cells, path)


def check_cells(cells: Sequence[CodeCell], path: str) -> list[Finding]:
    if not cells:
        return []
    codes = [neutralise(cell.source).code for cell in cells]
    cell_map = CellMap(cells, [len(code.split("\n")) for code in codes])
    broken: list[Finding] = []
    while True:
        source = "\n".join(codes)
        try:
            tree = checker.parse(source, path, allow_top_level_await=True)
            break
        except checker.Unparsable as error:
            index = cell_map.cell_index_of(error.line)
            broken.append(_broken_cell(cell_map.finding_to_cell(error.finding), error.reason))
            if not codes[index].strip():
                return broken  # the error is not in any one cell's own code
            codes[index] = "\n" * codes[index].count("\n")
    findings = [cell_map.finding_to_cell(f) for f in checker.check_tree(source, path, tree)]
    return checker.sort_findings(broken + findings)


def _broken_cell(finding: Finding, reason: str) -> Finding:
    cell = finding.location.cell if finding.location else None
    return replace(
        finding,
        message=f"could not analyse code cell {cell} ({reason}); the other cells were checked",
    )
