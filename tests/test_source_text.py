"""`SourceText` names nodes as they are written, whatever the line breaks and characters."""

from __future__ import annotations

import ast

import pytest

from logitguard.static.engine.ast_tools import SourceText

SOURCES = {
    "unix": 'model.compile(loss="mse",\n    metrics=["accuracy"])\nx = f(a)\n',
    "windows": 'model.compile(loss="mse",\r\n    metrics=["accuracy"])\r\nx = f(a)\r\n',
    "old mac": 'model.compile(loss="mse",\r    metrics=["accuracy"])\rx = f(a)',
    "mixed": 'y = g(1,\r\n  2,\n  3,\r  4)\nz = "é" + h("ü",\n "ß")\n',
    "no final break": "total = sum(\n    values\n)",
}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_node_reads_as_ast_get_source_segment_gives_it(name: str) -> None:
    source = SOURCES[name]
    text = SourceText(source)
    nodes = [node for node in ast.walk(ast.parse(source)) if hasattr(node, "end_col_offset")]
    assert len(nodes) >= 5
    for node in nodes:
        assert text.exact(node) == ast.get_source_segment(source, node)


def test_a_node_without_positions_is_unparsed_and_a_long_one_shortened() -> None:
    source = "result = compute(first_argument, second_argument, third_argument)\n"
    call = ast.parse(source).body[0].value  # type: ignore[attr-defined]
    text = SourceText(source)
    assert text.segment(call, limit=20) == "compute(first_arg..."
    assert text.segment(ast.Name("made_up"), limit=20) == "made_up"
