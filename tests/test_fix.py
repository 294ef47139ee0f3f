"""--fix and --diff: libcst rewrites that change only what the edit names."""

from __future__ import annotations

import ast
import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from logitguard.cli import main
from logitguard.core.facts import Edit, Location
from logitguard.fixer import apply_edits, fix_file, fix_notebook
from logitguard.rules import ALL_RULES
from logitguard.rules.base import Example, Rule
from logitguard.static.checker import check_source


def node_location(source: str, match: Callable[[ast.AST], bool], path: str = "a.py") -> Location:
    """Where `ast` puts the first matching node: as front ends report targets."""
    for node in ast.walk(ast.parse(source)):
        if match(node):
            return Location(
                path, node.lineno, node.col_offset, node.end_lineno, node.end_col_offset
            )
    raise AssertionError("no such node")


def call_named(name: str) -> Callable[[ast.AST], bool]:
    def match(node: ast.AST) -> bool:
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        return (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) == name

    return match


def string(value: str) -> Callable[[ast.AST], bool]:
    return lambda node: isinstance(node, ast.Constant) and node.value == value


def set_from_logits(source: str, name: str = "BinaryCrossentropy") -> str:
    edit = Edit(node_location(source, call_named(name)), "True", "from_logits")
    outcome = apply_edits(source, [edit])
    assert not outcome.refused
    return outcome.source


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("loss = BinaryCrossentropy()\n", "loss = BinaryCrossentropy(from_logits=True)\n"),
        (
            "loss = BinaryCrossentropy(from_logits=False)  # keep  this comment\n",
            "loss = BinaryCrossentropy(from_logits=True)  # keep  this comment\n",
        ),
        (
            "loss = BinaryCrossentropy(reduction = 'sum')\n",
            "loss = BinaryCrossentropy(reduction = 'sum', from_logits=True)\n",
        ),
        (
            "loss = BinaryCrossentropy(\n    reduction='sum',\n    name='x',\n)\n",
            "loss = BinaryCrossentropy(\n    reduction='sum',\n    name='x',\n"
            "    from_logits=True,\n)\n",
        ),
        (
            "loss = BinaryCrossentropy(\n    reduction='sum'\n)\n",
            "loss = BinaryCrossentropy(\n    reduction='sum',\n    from_logits=True\n)\n",
        ),
        (
            "loss = BinaryCrossentropy(reduction='sum',\n                          name='x')\n",
            "loss = BinaryCrossentropy(reduction='sum',\n                          name='x',\n"
            "                          from_logits=True)\n",
        ),
    ],
)
def test_keyword_edit_adds_or_replaces_and_keeps_layout(before: str, after: str) -> None:
    assert set_from_logits(before) == after


def test_everything_else_is_kept_byte_for_byte() -> None:
    source = textwrap.dedent(
        """\
        import keras  # the framework


        def build():   # odd   spacing stays
            return keras.Sequential([keras.layers.Dense(1)])
        model = build()
        model.compile(
            optimizer = "adam",   # comment
            loss=keras.losses.BinaryCrossentropy(),
        )
        """
    )
    fixed = set_from_logits(source)
    assert fixed == source.replace("BinaryCrossentropy()", "BinaryCrossentropy(from_logits=True)")


def test_column_offsets_are_utf8_bytes_on_non_ascii_lines() -> None:
    source = 'label = "clé"; loss = BinaryCrossentropy(name="perte ñ")\n'
    location = node_location(source, call_named("BinaryCrossentropy"))
    assert location.col != source.index("BinaryCrossentropy")  # ast counts bytes
    assert set_from_logits(source) == (
        'label = "clé"; loss = BinaryCrossentropy(name="perte ñ", from_logits=True)\n'
    )


def test_replacing_an_expression_keeps_parentheses_and_the_rest() -> None:
    source = "m.compile(loss=('binary_crossentropy'), metrics=['accuracy'])  # ✓\n"
    edits = [
        Edit(node_location(source, string("binary_crossentropy")), "BCE(from_logits=True)"),
        Edit(node_location(source, string("accuracy")), "BinaryAccuracy(threshold=0.0)"),
    ]
    outcome = apply_edits(source, edits)
    assert not outcome.refused
    assert outcome.source == (
        "m.compile(loss=(BCE(from_logits=True)), metrics=[BinaryAccuracy(threshold=0.0)])  # ✓\n"
    )


def test_several_edits_on_several_lines_and_idempotence() -> None:
    source = "a = BinaryCrossentropy()\nb = BinaryCrossentropy(); c = BinaryAccuracy()\n"
    edits = [
        Edit(node_location(source, call_named("BinaryCrossentropy")), "True", "from_logits"),
        Edit(Location("a.py", 2, 4, 2, 24), "True", "from_logits"),
        Edit(node_location(source, call_named("BinaryAccuracy")), "0.0", "threshold"),
    ]
    first = apply_edits(source, edits)
    assert len(first.applied) == 3
    assert first.source == (
        "a = BinaryCrossentropy(from_logits=True)\n"
        "b = BinaryCrossentropy(from_logits=True); c = BinaryAccuracy(threshold=0.0)\n"
    )
    # The same keyword edits again: nothing changes.
    again = [
        Edit(node_location(first.source, call_named("BinaryCrossentropy")), "True", "from_logits")
    ]
    assert apply_edits(first.source, again).source == first.source


def test_refuses_an_edit_whose_result_would_not_parse() -> None:
    source = "x = 1\nloss = BinaryCrossentropy()\n"
    bad = Edit(Location("a.py", 1, 0, 1, 1), "f(x)")  # `f(x) = 1` is not Python
    good = Edit(node_location(source, call_named("BinaryCrossentropy")), "True", "from_logits")
    outcome = apply_edits(source, [bad, good])
    assert [edit for edit, _ in outcome.refused] == [bad]
    assert "would not parse" in outcome.refused[0][1]
    assert outcome.source == "x = 1\nloss = BinaryCrossentropy(from_logits=True)\n"


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (Edit(Location("a.py", 1, 4, 1, 5), "not an expression !"), "is not an expression"),
        (Edit(Location("a.py", 1, 2, 1, 3), "True", "from_logits"), "no call starts"),
        (Edit(Location("a.py", 9, 0), "True", "from_logits"), "line 9 is not in the file"),
        (Edit(Location("a.py", 1, 4, 1, 7), "True", "from logits"), "not a keyword name"),
    ],
)
def test_refusals_leave_the_source_unchanged(edit: Edit, reason: str) -> None:
    source = "x = f()\n"
    outcome = apply_edits(source, [edit])
    assert outcome.source == source
    assert reason in outcome.refused[0][1]


def test_fix_file_keeps_encoding_and_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    text = '# -*- coding: latin-1 -*-\r\nname = "é"\r\nloss = BinaryCrossentropy()\r\n'
    path.write_bytes(text.encode("latin-1"))
    edit = Edit(Location(str(path), 3, 7, 3, 27), "True", "from_logits")
    file_fix = fix_file(str(path), [edit])
    assert file_fix.applied == 1
    assert path.read_bytes() == text.encode("latin-1")  # planning writes nothing
    file_fix.write()
    assert path.read_bytes() == text.replace("()", "(from_logits=True)").encode("latin-1")


def notebook_with(*sources: str) -> nbformat.NotebookNode:
    cells = [new_markdown_cell("# Title")]
    for number, source in enumerate(sources, start=1):
        cells.append(
            new_code_cell(
                source,
                execution_count=number,
                outputs=[new_output("stream", name="stdout", text=f"output {number}\n")],
                metadata={"tags": [f"tag{number}"]},
            )
        )
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return notebook


def test_notebook_fix_rewrites_only_the_cell_and_keeps_magics_outputs_metadata(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nb.ipynb"
    nbformat.write(
        notebook_with(
            "%matplotlib inline\nimport keras",
            "!pip install keras\nloss = keras.losses.BinaryCrossentropy()\nfiles = !ls",
        ),
        path,
    )
    edit = Edit(Location(str(path), 2, 7, 2, 40, cell=2), "True", "from_logits")
    file_fix = fix_notebook(str(path), [edit])
    assert file_fix.applied == 1 and not file_fix.refused
    # The diff is a patch of the notebook's JSON: the changed line of the cell's source.
    diff = file_fix.diff
    assert '\n-    "loss = keras.losses.BinaryCrossentropy()\\n",\n' in diff
    assert '\n+    "loss = keras.losses.BinaryCrossentropy(from_logits=True)\\n",\n' in diff
    body = file_fix.diff.splitlines()[2:]
    assert sum(line.startswith(("-", "+")) for line in body) == 2
    before = path.read_text(encoding="utf-8")
    file_fix.write()
    assert path.read_text(encoding="utf-8") == before.replace(
        "BinaryCrossentropy()", "BinaryCrossentropy(from_logits=True)"
    )
    fixed = nbformat.read(path, as_version=4)
    code = [cell for cell in fixed.cells if cell.cell_type == "code"]
    assert code[0].source == "%matplotlib inline\nimport keras"
    assert code[1].source == (
        "!pip install keras\nloss = keras.losses.BinaryCrossentropy(from_logits=True)\nfiles = !ls"
    )
    assert [cell.outputs[0]["text"] for cell in code] == ["output 1\n", "output 2\n"]
    assert [cell.metadata["tags"] for cell in code] == [["tag1"], ["tag2"]]
    assert fixed.metadata["kernelspec"]["name"] == "python3"
    assert fixed.cells[0].source == "# Title"


# --- Through the command line, with the rules' own examples ------------------------------


def write_example(tmp_path: Path, example: Example, name: str = "example.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(example.source), encoding="utf-8")
    return path


def codes_in(path: Path) -> set[str]:
    return {f.code for f in check_source(path.read_text(encoding="utf-8"), str(path))}


AUTOFIX_EXAMPLES = [
    pytest.param(rule, example, id=f"{rule.code}-{index}")
    for rule in ALL_RULES
    if rule.autofix
    for index, example in enumerate(rule.examples)
    if example.invalid
]


@pytest.mark.parametrize(("rule", "example"), AUTOFIX_EXAMPLES)
def test_fix_removes_the_finding_and_a_second_fix_changes_nothing(
    rule: Rule, example: Example, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_example(tmp_path, example)
    original = path.read_text(encoding="utf-8")
    findings = [f for f in check_source(original, str(path)) if f.code == rule.code]
    assert findings
    exit_code = main(["check", "--fix", str(path)])
    fixed = path.read_text(encoding="utf-8")
    if all(f.edit is None for f in findings):
        # The front end saw no unambiguous rewrite here: --fix must leave the file alone, and
        # the finding it could not fix still fails the run.
        assert fixed == original
        assert rule.code in codes_in(path)
        assert exit_code == 1
    else:
        assert rule.code not in codes_in(path), fixed
        ast.parse(fixed)
    main(["check", "--fix", str(path)])
    assert path.read_text(encoding="utf-8") == fixed
    capsys.readouterr()


def first_invalid(code: str) -> Example:
    rule = next(rule for rule in ALL_RULES if rule.code == code)
    return next(example for example in rule.examples if example.invalid)


def test_diff_prints_the_change_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_example(tmp_path, first_invalid("LG001"))
    before = path.read_bytes()
    assert main(["check", "--diff", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- a/{path}\n+++ b/{path}\n")
    assert "+" in out and "from_logits=True" in out
    assert path.read_bytes() == before


def test_fix_exits_0_when_nothing_is_left_and_reports_the_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_example(tmp_path, first_invalid("LG001"))
    assert main(["check", "--fix", str(path)]) == 0
    assert "Fixed 1 finding" in capsys.readouterr().out


def test_fix_in_a_notebook_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = textwrap.dedent(first_invalid("LG001").source).strip("\n")
    head, _, compile_call = source.rpartition("\nmodel.compile(")
    path = tmp_path / "nb.ipynb"
    nbformat.write(notebook_with(head, "%time\nmodel.compile(" + compile_call), path)
    assert main(["check", "--fix", "--format", "json", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["fixed"] >= 1
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert code[0].source == head
    assert code[1].source.startswith("%time\nmodel.compile(")
    assert "from_logits=True" in code[1].source


def test_fix_of_one_output_s_loss_edits_that_entry_of_the_dict(tmp_path: Path) -> None:
    source = textwrap.dedent(
        """
        from tensorflow import keras
        inputs = keras.Input(shape=(20,))
        churn = keras.layers.Dense(1, name="churn")(inputs)
        segment = keras.layers.Dense(3, activation="softmax", name="segment")(inputs)
        model = keras.Model(inputs, [churn, segment])
        model.compile(loss={"churn": "binary_crossentropy", "segment": "categorical_crossentropy"})
        model.fit(x, {"churn": y_churn, "segment": y_segment})
        """
    )
    path = tmp_path / "train.py"
    path.write_text(source)
    assert main(["check", "--fix", "--no-cache", str(path)]) == 0
    fixed = path.read_text()
    assert '"churn": keras.losses.BinaryCrossentropy(from_logits=True)' in fixed
    assert '"segment": "categorical_crossentropy"' in fixed
    assert check_source(fixed, str(path)) == []
