"""Notebooks: cells read as IPython runs them, findings mapped to (code cell, line, column)."""

from __future__ import annotations

import ast
import json
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from logitguard.rules import ALL_RULES
from logitguard.rules.base import Example, Rule
from logitguard.static.checker import check_source
from logitguard.static.notebooks import CodeCell, check_cells, check_notebook

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples" / "notebooks"


def two_cells(source: str) -> tuple[list[str], int]:
    """Split a program into two cells at a top-level statement near its middle.

    Returns the cells and the line of the program where the second cell starts.
    """
    statements = ast.parse(source).body
    split = statements[max(1, len(statements) // 2)].lineno
    lines = source.split("\n")
    return ["\n".join(lines[: split - 1]), "\n".join(lines[split - 1 :])], split


def first_invalid(rule: Rule) -> Example | None:
    return next((example for example in rule.examples if example.invalid), None)


RULES_WITH_EXAMPLES = [rule for rule in ALL_RULES if first_invalid(rule) is not None]


@pytest.mark.parametrize("rule", RULES_WITH_EXAMPLES, ids=lambda rule: rule.code)
def test_first_invalid_example_as_two_cell_notebook_is_flagged_in_the_right_cell(
    rule: Rule,
) -> None:
    example = first_invalid(rule)
    assert example is not None
    source = textwrap.dedent(example.source).strip("\n")
    expected = {
        (f.location.line, f.location.col)
        for f in check_source(source, "ex.py")
        if f.code == rule.code and f.location is not None
    }
    assert expected, "the example itself must be flagged"
    (first, second), split = two_cells(source)
    # A magic line at the top of the second cell shifts its lines by one.
    cells = [CodeCell(1, first), CodeCell(2, "%matplotlib inline\n" + second)]
    found = {
        (f.location.cell, f.location.line, f.location.col)
        for f in check_cells(cells, "ex.ipynb")
        if f.code == rule.code and f.location is not None
    }
    assert found == {
        (1, line, col) if line < split else (2, line - split + 2, col) for line, col in expected
    }


def write_notebook(path: Path, *sources: str) -> str:
    cells = [new_markdown_cell("# notes")]
    cells += [new_code_cell(source) for source in sources]
    nbformat.write(new_notebook(cells=cells), path)
    return str(path)


def test_a_broken_cell_is_reported_and_the_others_still_checked(tmp_path: Path) -> None:
    rule = next(rule for rule in ALL_RULES if rule.code == "LG001")
    example = first_invalid(rule)
    assert example is not None
    good = textwrap.dedent(example.source).strip("\n")
    path = write_notebook(tmp_path / "nb.ipynb", "x = (\n", good)
    findings = check_notebook(path)
    broken = [f for f in findings if f.code == "LG000"]
    assert len(broken) == 1
    assert broken[0].location is not None and broken[0].location.cell == 1
    assert "could not analyse code cell 1 (syntax error" in broken[0].message
    assert "the other cells were checked" in broken[0].message
    assert any(f.code == "LG001" and f.location and f.location.cell == 2 for f in findings)


def test_syntax_error_location_is_given_in_cell_coordinates(tmp_path: Path) -> None:
    path = write_notebook(tmp_path / "nb.ipynb", "import os\nx = 1", "y = 2\n\nz = )")
    [finding] = check_notebook(path)
    assert finding.code == "LG000"
    assert finding.location is not None
    assert (finding.location.cell, finding.location.line) == (2, 3)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "not valid notebook JSON"),
        ("{ not json", "not valid notebook JSON"),
        ("[1, 2]", "not a valid notebook"),
        ('{"cells": 5, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "not a valid"),
        ('{"metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "not a valid notebook"),
    ],
)
def test_unreadable_notebooks_give_one_lg000(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_text(content, encoding="utf-8")
    [finding] = check_notebook(str(path))
    assert finding.code == "LG000"
    assert reason in finding.message
    assert finding.location is not None and finding.location.path == str(path)


def test_non_utf8_notebook_gives_lg000(tmp_path: Path) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_bytes(b'{"cells": [], "note": "\xff"}')
    [finding] = check_notebook(str(path))
    assert finding.code == "LG000"
    assert "not UTF-8" in finding.message


def test_old_nbformat_3_notebook_is_read(tmp_path: Path) -> None:
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {"name": "old"},
        "worksheets": [
            {
                "cells": [
                    {"cell_type": "markdown", "source": "notes"},
                    {"cell_type": "code", "input": "x = (", "language": "python", "outputs": []},
                ]
            }
        ],
    }
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps(v3), encoding="utf-8")
    [finding] = check_notebook(str(path))
    # The only code cell was read (and is broken): the v3 layout was understood.
    assert finding.code == "LG000"
    assert finding.location is not None and finding.location.cell == 1


def test_notebook_without_code_cells_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "notes.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("only prose")]), path)
    assert check_notebook(str(path)) == []


def test_bundled_buggy_notebook_is_flagged_at_the_loss_cell() -> None:
    findings = check_notebook(str(EXAMPLES_DIR / "buggy_fashion_mnist.ipynb"))
    lg001 = [f for f in findings if f.code == "LG001"]
    assert lg001, findings
    assert lg001[0].location is not None
    assert (lg001[0].location.cell, lg001[0].location.line) == (4, 3)


def test_bundled_correct_notebook_is_clean() -> None:
    assert check_notebook(str(EXAMPLES_DIR / "correct_fashion_mnist.ipynb")) == []


def test_a_notebook_with_several_broken_cells_gets_one_lg000_at_the_first(
    tmp_path: Path,
) -> None:
    rule = next(rule for rule in ALL_RULES if rule.code == "LG001")
    example = first_invalid(rule)
    assert example is not None
    good = textwrap.dedent(example.source).strip("\n")
    # Cell 1 ends inside an open bracket: reported there, not at cell 2 where parsing stops.
    path = write_notebook(
        tmp_path / "nb.ipynb", "import os\nx = (", good, "print 'python 2'", "def f(:\n  pass"
    )
    findings = check_notebook(path)
    [broken] = [f for f in findings if f.code == "LG000"]
    assert broken.location is not None
    assert (broken.location.cell, broken.location.line) == (1, 2)
    assert broken.message.startswith("could not analyse code cell 1 (syntax error: ")
    assert "; nor cells 3, 4; the other cells were checked" in broken.message
    assert any(f.code == "LG001" and f.location and f.location.cell == 2 for f in findings)


def test_a_notebook_whose_every_cell_is_broken_says_so_once(tmp_path: Path) -> None:
    path = write_notebook(tmp_path / "nb.ipynb", "print 'a'", "print 'b'")
    [finding] = check_notebook(path)
    assert finding.message.startswith("could not analyse code cell 1 (")
    assert finding.message.endswith("; nor cell 2")


def test_newer_python_syntax_in_a_cell_is_read(tmp_path: Path) -> None:
    rule = next(rule for rule in ALL_RULES if rule.code == "LG001")
    example = first_invalid(rule)
    assert example is not None
    good = textwrap.dedent(example.source).strip("\n")
    generic = 'def first[T](items: list[T]) -> T:\n    return items[0]\nprint(f"{first(["a"])}")'
    path = write_notebook(tmp_path / "nb.ipynb", generic, good)
    codes = [f.code for f in check_notebook(path)]
    assert "LG000" not in codes
    assert "LG001" in codes


@pytest.mark.parametrize(
    ("kernelspec", "language_info", "checked"),
    [
        ({"name": "custom", "display_name": "Custom", "language": ""}, {"name": "python"}, True),
        ({"name": "custom", "display_name": "Custom", "language": " "}, None, True),
        ({"name": "ir", "display_name": "R", "language": "R"}, {"name": "R"}, False),
        ({"name": "custom", "display_name": "Custom", "language": ""}, {"name": "R"}, False),
    ],
)
def test_an_empty_kernel_language_says_nothing(
    tmp_path: Path, kernelspec: dict, language_info: dict | None, checked: bool
) -> None:
    """A custom kernel's spec may leave its language blank: `language_info` decides, and a
    notebook that names no language at all is read as Python."""
    notebook = new_notebook(
        cells=[
            new_code_cell(
                "import torch.nn as nn\n"
                "model = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
                "loss = nn.CrossEntropyLoss()(model(x), y)\n"
            )
        ]
    )
    notebook.metadata["kernelspec"] = kernelspec
    if language_info is not None:
        notebook.metadata["language_info"] = language_info
    path = tmp_path / "custom.ipynb"
    nbformat.write(notebook, str(path))
    assert [f.code for f in check_notebook(str(path))] == (["LG002"] if checked else [])


def test_a_syntax_errors_own_line_number_is_given_in_cell_coordinates(tmp_path: Path) -> None:
    """Python names the line of the `def` a body is missing for: of the cell, not of the
    notebook's code joined."""
    path = write_notebook(tmp_path / "nb.ipynb", "a = 1\nb = 2\nc = 3", "x = 1\ndef f():\n")
    [finding] = check_notebook(path)
    assert finding.location is not None and finding.location.cell == 2
    assert "after function definition on line 2 of cell 2)" in finding.message
