"""Syntax newer than the running Python (3.12-3.14) is read, with the positions of the file.

The suite runs on Python 3.11 in CI; there every program below fails `ast.parse` and goes
through libcst and the respelling. On a newer Python the same assertions hold.
"""

from __future__ import annotations

import ast
import sys
import textwrap
from pathlib import Path

import pytest

from logitguard.cli import main
from logitguard.static import syntax
from logitguard.static.checker import check_source

# A Keras head without activation trained with a loss that expects probabilities: LG001,
# reported at the loss call.
HEAD = "keras.layers.Dense(10)"
LOSS = "keras.losses.SparseCategoricalCrossentropy()"

PROGRAMS = {
    "pep695-generic-function": f"""
        import keras

        def build[T: int = int, *Ts, **P](units: T) -> keras.Model:
            return keras.Sequential([{HEAD}])

        model = build(10)
        model.compile(optimizer="adam", loss={LOSS})
    """,
    "pep695-generic-class-and-alias": f"""
        import keras

        type Batch[T] = list[T]
        type Shape = tuple[int, ...]

        class Trainer[ModelT: keras.Model]:
            def run(self, model: ModelT) -> None:
                model.fit(x, y)

        model = keras.Sequential([{HEAD}])
        model.compile(optimizer="adam", loss={LOSS})
    """,
    "pep695-multiline-type-parameters": f"""
        import keras

        def build[
            T,  # the units
            U = str,
        ](units: T) -> keras.Model:
            return keras.Sequential([{HEAD}])

        model = build(10)
        model.compile(optimizer="adam", loss={LOSS})
    """,
    "pep701-fstrings": f"""
        import keras

        names = {{"head": "logits"}}
        print(f"{{names["head"]}} — {{"\\n".join(names)}}")
        print(f"{{len(names)  # a comment inside
                }} and {{f"{{names["head"]!r:>{{12}}}}"}}")
        model = keras.Sequential([{HEAD}])
        model.compile(optimizer="adam", loss={LOSS})
    """,
    "pep750-tstrings-and-pep758-except": f"""
        import keras

        model = keras.Sequential([{HEAD}])
        try:
            template = t"training {{model.name!r}} with {{ {{"a": 1}}["a"] }}"
        except ValueError, TypeError:
            pass
        model.compile(optimizer="adam", loss={LOSS})
    """,
}


def where(source: str, text: str) -> tuple[int, int]:
    """Line (1-based) and UTF-8 byte column of the first occurrence of `text`."""
    for number, line in enumerate(source.split("\n"), start=1):
        if text in line:
            return number, len(line[: line.index(text)].encode())
    raise AssertionError(f"{text!r} not in the program")


@pytest.mark.parametrize("name", PROGRAMS)
def test_newer_syntax_is_read_and_the_bug_in_it_found_at_its_place(name: str) -> None:
    source = textwrap.dedent(PROGRAMS[name]).lstrip("\n")
    findings = check_source(source, f"{name}.py")
    assert [finding.code for finding in findings] == ["LG001"], findings
    location = findings[0].location
    assert location is not None
    assert (location.line, location.col) == where(source, LOSS)


# The Python version that first reads each program.
FIRST_READ_BY = {
    "pep695-generic-function": (3, 13),  # type parameter defaults, PEP 696
    "pep695-generic-class-and-alias": (3, 12),
    "pep695-multiline-type-parameters": (3, 13),
    "pep701-fstrings": (3, 12),
    "pep750-tstrings-and-pep758-except": (3, 14),
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_the_running_python_alone_cannot_read_these(name: str) -> None:
    if sys.version_info >= FIRST_READ_BY[name]:
        pytest.skip("the running Python reads this program itself")
    with pytest.raises(SyntaxError):
        ast.parse(textwrap.dedent(PROGRAMS[name]))


def nodes(tree: ast.AST) -> set[tuple[str, int, int, int | None, int | None]]:
    return {
        (type(node).__name__, node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)
        for node in ast.walk(tree)
        if isinstance(node, ast.Name | ast.Call | ast.Subscript | ast.Attribute)
    }


def test_expressions_inside_respelled_strings_keep_their_byte_positions() -> None:
    # Non-ASCII text before the fields: columns are UTF-8 bytes, as in `ast`.
    source = 'x = 1\ny = f"é{d["a"]!r:>{w}}ü{x=}" "tail" + g(z)\n'
    tree = syntax.parse(source)
    line = source.split("\n")[1]

    def col(text: str) -> int:
        return len(line[: line.index(text)].encode())

    found = nodes(tree)
    assert ("Subscript", 2, col('d["a"]'), 2, col('d["a"]') + 6) in found
    assert ("Name", 2, col("w}"), 2, col("w}") + 1) in found
    assert ("Name", 2, col("x="), 2, col("x=") + 1) in found
    assert ("Call", 2, col("g(z)"), 2, col("g(z)") + 4) in found


def test_respelling_changes_only_the_newer_constructs() -> None:
    source = textwrap.dedent(
        """\
        def f[T](x: T) -> T:
            return x
        type Alias = dict[str, int]
        s = f"{a["k"]}"
        try:
            pass
        except KeyError, IndexError:
            pass
        """
    )
    respelled = syntax.respelled(source).split("\n")
    lines = source.split("\n")
    assert len(respelled) == len(lines)
    assert [len(line.encode()) for line in respelled] == [len(line.encode()) for line in lines]
    pairs = enumerate(zip(lines, respelled, strict=True), start=1)
    changed = [number for number, (before, after) in pairs if before != after]
    if sys.version_info < (3, 12):
        assert changed == [1, 3, 4, 7]
        assert respelled[0] == "def f   (x: T) -> T:"
        assert respelled[2] == "Alias      = dict[str, int]"


@pytest.mark.parametrize(
    ("source", "line"),
    [
        # A real error after valid newer syntax is reported where it is.
        ("def f[T](x: T) -> T:\n    return x\n\ndef g(:\n    pass\n", 4),
        # Python 2 is not a newer Python.
        ('print "hello"\nx = f"{d["a"]}"\n', 1),
        ("def f[T](x):\n    return x\nprint 'py2'\n", 3),
    ],
)
def test_real_syntax_errors_are_still_unreadable(source: str, line: int) -> None:
    [finding] = check_source(source, "broken.py")
    assert finding.code == "LG000"
    assert finding.location is not None
    # libcst, which reads the newer syntax, stops at the error or on the line after it.
    assert line <= finding.location.line <= line + 1
    assert "syntax error" in finding.message


def test_absurdly_nested_code_is_never_handed_to_libcst() -> None:
    # libcst's native parser overflows its stack on this (a crash, not an exception).
    source = "def f[T](x):\n    return x\ny = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
    [finding] = check_source(source, "deep.py")
    assert finding.code == "LG000"


def test_fix_edits_a_file_written_in_newer_syntax(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = textwrap.dedent(PROGRAMS["pep701-fstrings"]).lstrip("\n")
    path = tmp_path / "train.py"
    path.write_text(source, encoding="utf-8")
    assert main(["check", "--fix", str(path)]) == 0
    fixed = path.read_text(encoding="utf-8")
    assert fixed == source.replace(LOSS, LOSS.replace("()", "(from_logits=True)"))
    assert "Fixed 1 finding" in capsys.readouterr().out
