"""Change code cells' sources in a notebook's JSON text and keep every other byte as it was.

Writing a notebook back through nbformat re-serialises all of it: key order, indentation,
line endings, escapes, the final newline, cell ids. Here the JSON text is scanned (with the
`json` module's own decoder) for the span of each code cell's `"source"` value, and only the
spans of the changed cells are replaced; in a source stored as a list of lines (as Jupyter saves
it), only the changed lines are. The result is parsed again and must equal the original JSON
but for those sources (the fixer also reads it back with nbformat).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from json.decoder import WHITESPACE, scanstring
from typing import Any

from logitguard import patch
from logitguard.patch import Replacement

_DECODER = json.JSONDecoder()


class NotebookEditError(Exception):
    """The notebook's JSON cannot be edited in place; says why."""


@dataclass(frozen=True)
class SourceSpan:
    """Where one code cell's `"source"` value sits in the JSON text."""

    start: int
    end: int
    # For a source stored as a list of strings: each item's (start, end).
    items: tuple[tuple[int, int], ...] | None


def code_source_spans(text: str) -> list[SourceSpan | None]:
    """One entry per code cell (in order): its source span, None when it has no `"source"`."""
    scanner = _Scanner(text)
    spans: list[SourceSpan | None] = []
    for key, start in scanner.members(scanner.skip(0)):
        if key != "cells":
            continue
        spans = []  # like json.loads, the last of duplicate keys wins
        if scanner.char(start) == "[":
            for cell_start in scanner.elements(start):
                if scanner.char(cell_start) == "{":
                    cell = _cell_fields(scanner, cell_start)
                    if cell.get("cell_type") == "code":
                        spans.append(cell.get("source_span"))
    return spans


def _cell_fields(scanner: _Scanner, start: int) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, value_start in scanner.members(start):
        if key == "cell_type":
            fields["cell_type"] = scanner.value(value_start)[0]
        elif key == "source":
            fields["source_span"] = scanner.source_span(value_start)
    return fields


class _Scanner:
    """Walks JSON text by position; values it does not need are skipped with json's decoder."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.end_of_last_value = 0

    def char(self, index: int) -> str:
        return self.text[index : index + 1]

    def skip(self, index: int) -> int:
        return WHITESPACE.match(self.text, index).end()

    def expect(self, index: int, char: str) -> int:
        index = self.skip(index)
        if self.char(index) != char:
            raise NotebookEditError(f"unexpected JSON at offset {index} (wanted {char!r})")
        return index + 1

    def value(self, index: int) -> tuple[Any, int]:
        try:
            return _DECODER.raw_decode(self.text, self.skip(index))
        except ValueError as error:
            raise NotebookEditError(f"not valid JSON ({error})") from error

    def members(self, index: int) -> Iterator[tuple[str, int]]:
        """(key, start of its value) for each member of the object at `index`."""
        index = self.expect(index, "{")
        if self.char(self.skip(index)) == "}":
            self.end_of_last_value = self.skip(index) + 1
            return
        while True:
            index = self.expect(index, '"')
            key, index = scanstring(self.text, index)
            value_start = self.skip(self.expect(index, ":"))
            self.end_of_last_value = -1
            yield key, value_start
            index = self._end_of(value_start)
            index = self.skip(index)
            if self.char(index) == "}":
                self.end_of_last_value = index + 1
                return
            index = self.expect(index, ",")

    def elements(self, index: int) -> Iterator[int]:
        """The start of each element of the array at `index`."""
        index = self.expect(index, "[")
        if self.char(self.skip(index)) == "]":
            self.end_of_last_value = self.skip(index) + 1
            return
        while True:
            element_start = self.skip(index)
            self.end_of_last_value = -1
            yield element_start
            index = self.skip(self._end_of(element_start))
            if self.char(index) == "]":
                self.end_of_last_value = index + 1
                return
            index = self.expect(index, ",")

    def _end_of(self, value_start: int) -> int:
        """End of the value at `value_start`: where a nested walk stopped, or decoded now."""
        if self.end_of_last_value > value_start:
            return self.end_of_last_value
        return self.value(value_start)[1]

    def source_span(self, start: int) -> SourceSpan:
        if self.char(start) != "[":
            end = self.value(start)[1]
            self.end_of_last_value = end
            return SourceSpan(start, end, None)
        items = []
        for item_start in self.elements(start):
            items.append((item_start, self.value(item_start)[1]))
        end = self.end_of_last_value
        return SourceSpan(start, end, tuple(items))


def source_replacements(text: str, new_sources: Mapping[int, str]) -> list[Replacement]:
    """The replacements in `text` that give code cells `new_sources` (1-based among code cells).

    Raises NotebookEditError when a cell cannot be found or the result would not read back as
    the same notebook with only those sources changed.
    """
    spans = code_source_spans(text)
    pieces: list[Replacement] = []
    for number, source in sorted(new_sources.items()):
        span = spans[number - 1] if 1 <= number <= len(spans) else None
        if span is None:
            raise NotebookEditError(f"code cell {number} has no source to edit")
        pieces.append((span.start, span.end, _render(text, span, source)))
    _verify(text, patch.apply(text, pieces), new_sources)
    return pieces


def _render(text: str, span: SourceSpan, source: str) -> str:
    """The new JSON value, written as the old one was: a string, or a list of lines."""
    old_text = text[span.start : span.end]
    escape_non_ascii = old_text.isascii() and "\\u" in old_text
    if span.items is None or not span.items:
        return _string(source, escape_non_ascii)
    old_values = [json.loads(text[start:end]) for start, end in span.items]
    new_values = patch.patch_lines(source)
    items: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_values, new_values, autojunk=False)
    for tag, old_from, old_to, new_from, new_to in matcher.get_opcodes():
        if tag == "equal":
            items += [text[start:end] for start, end in span.items[old_from:old_to]]
        else:
            items += [_string(line, escape_non_ascii) for line in new_values[new_from:new_to]]
    first_start, last_end = span.items[0][0], span.items[-1][1]
    return (
        text[span.start : first_start]
        + _separator(text, span).join(items)
        + text[last_end : span.end]
    )


def _string(value: str, escape_non_ascii: bool) -> str:
    return json.dumps(value, ensure_ascii=escape_non_ascii)


def _separator(text: str, span: SourceSpan) -> str:
    """What stands between two items of the list: `",\\n    "` as Jupyter writes it."""
    assert span.items
    if len(span.items) > 1:
        return text[span.items[0][1] : span.items[1][0]]
    return "," + text[span.start + 1 : span.items[0][0]]


def _verify(before: str, after: str, new_sources: Mapping[int, str]) -> None:
    """The edited text reads back as the same JSON but for the intended sources."""
    try:
        expected, actual = json.loads(before), json.loads(after)
    except ValueError as error:
        raise NotebookEditError(f"the edited notebook is not valid JSON ({error})") from error
    code = [cell for cell in expected["cells"] if _is_code(cell)]
    for number, source in new_sources.items():
        code[number - 1]["source"] = source
    for cell in (c for data in (expected, actual) for c in data["cells"] if _is_code(c)):
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    if actual != expected:
        raise NotebookEditError("the edited notebook would differ in more than the fixed cells")


def _is_code(cell: object) -> bool:
    return isinstance(cell, dict) and cell.get("cell_type") == "code"
