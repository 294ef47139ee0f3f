"""Cells read as IPython runs them: IPython's transformer, our fallback, and the line map."""

from __future__ import annotations

import ast
import inspect
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from IPython.core import magics
from IPython.core.alias import default_aliases
from IPython.core.inputtransformer2 import TransformerManager
from nbformat.v4 import new_code_cell, new_notebook

from logitguard.fixer import fix_notebook
from logitguard.static.ipython_cells import (
    AUTOMAGICS,
    PYTHON_BODY_CELL_MAGICS,
    TransformedCell,
    is_automagic,
    transform_cell,
)
from logitguard.static.notebooks import check_notebook

# Cells IPython's transformer rewrites; each is read exactly as `transform_cell` reads it.
IPYTHON_SYNTAX = [
    "%matplotlib inline\nimport keras",
    "%load_ext autoreload\n%autoreload 2\nx = 1",
    "%time history = model.fit(x, y)",
    "files = !ls data\nn = len(files)",
    "files, = %sx ls",
    "out = !!ls",
    "!pip install keras",
    "!pip install keras \\\n    torch\nimport torch",
    "for i in range(3):\n    %time step(i)\n    !echo $i\nz = 1",
    "?np",
    "??np.mean",
    "model.fit?",
    "np.mean??",
    "np.*load*?",
    "a[0]?",
    "x?\ny = 1",
    "%%time?",
    "%%bash\necho $HOME\nls -l",
    "%%writefile train.py\nimport keras\n",
    "\n\n%%html\n<b>hi</b>",
    ",f a b",
    ";f a b",
    "/f a b",
    "  x = 1\n  y = x + 1",  # indented: IPython dedents the cell
    "\t\tmodel = f()\n\t\t!ls",
    "\n\n   \n    %matplotlib inline\n    import os\n\n    os.getcwd()",
    "x = 1\r\n!ls\r\ny = 2\r\n",
    '!echo "unbalanced\ny = 1',
    "x = 1  # what?\ny = 2",
]
# Python that only looks like IPython syntax: left as it is.
PLAIN_PYTHON = [
    "y = (a\n     % b)",
    'text = """\n%not a magic\n!nor this\n"""',
    "ok = a != b",
    "x %= 3",
    "x = a // b",
    "d = {'k': 1}\nq = d['k']",
    "print(x)  # is this a question?",
    "# %matplotlib inline in a comment",
    "f(\n    %x)",  # inside brackets: the modulo operator (and invalid Python)
    "ls = []\nls.append(1)",
    "time.sleep(1)",
    "history = model.fit(x)",
    "run(config)",
    "cat = pd.Categorical(x)",
    "",
    "\n",
    "x = 1\n\n",
]
# Automagics and Python-bodied cell magics, read beyond what the transformer does.
SHELL_READINGS = [
    "ls -la",
    "cd ..",
    "cd /content/drive",
    "pwd",
    "pip install -q keras",
    "timeit x = 1",
    "if x:\n    ls -la\n",
    "%%time\nhistory = model.fit(x, y)",
    "\n%%capture out\n  x = 1\n  !ls\n",
    "%%timeit -n 1\nmodel.predict(x)\n",
]
BATTERY = IPYTHON_SYNTAX + PLAIN_PYTHON + SHELL_READINGS


def tree_of(code: str) -> str:
    """The parsed code, or its non-blank lines where it is not valid Python."""
    try:
        return ast.dump(ast.parse(code))
    except SyntaxError:
        return "\n".join(line for line in code.splitlines() if line.strip())


@pytest.mark.parametrize("cell", IPYTHON_SYNTAX + PLAIN_PYTHON)
def test_cells_read_exactly_as_ipython_transforms_them(cell: str) -> None:
    transformed = transform_cell(cell)
    assert tree_of(transformed.code) == tree_of(TransformerManager().transform_cell(cell))


@pytest.mark.parametrize(
    ("cell", "as_ipython_runs_it"),
    [
        ("ls -la", "%ls -la"),
        ("cd ..", "%cd .."),
        ("cd /content/drive", "%cd /content/drive"),
        ("pwd", "%pwd"),
        ("pip install -q keras", "%pip install -q keras"),
        ("timeit x = 1", "%timeit x = 1"),
        ("if x:\n    ls -la\n", "if x:\n    %ls -la\n"),
        # %%time, %%timeit and %%capture run their body as a cell of its own.
        ("%%time\nhistory = model.fit(x, y)", "history = model.fit(x, y)"),
        ("\n%%capture out\n  x = 1\n  !ls\n", "  x = 1\n  !ls\n"),
        ("%%timeit -n 1\nmodel.predict(x)\n", "model.predict(x)\n"),
    ],
)
def test_automagics_and_python_cell_magics_are_read_as_the_shell_runs_them(
    cell: str, as_ipython_runs_it: str
) -> None:
    expected = TransformerManager().transform_cell(as_ipython_runs_it)
    assert tree_of(transform_cell(cell).code) == tree_of(expected)


@pytest.mark.parametrize("cell", BATTERY)
def test_code_is_laid_out_line_for_line_over_the_cell(cell: str) -> None:
    transformed = transform_cell(cell)
    cell_lines = cell.splitlines()
    code_lines = transformed.code.splitlines()
    assert len(transformed.code.split("\n")) == len(cell.split("\n"))
    assert len(transformed.shifts) == len(cell.replace("\r\n", "\n").split("\n"))
    for number, shift in enumerate(transformed.shifts):
        if shift is not None and number < len(cell_lines):
            assert cell_lines[number][shift:] == code_lines[number]
    assert transformed.restore(transformed.code) == cell


def without_ipython(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "IPython.core.inputtransformer2", None)


@pytest.mark.parametrize("cell", BATTERY)
def test_our_fallback_reads_every_cell_as_ipython_does(
    cell: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_ipython = transform_cell(cell)
    without_ipython(monkeypatch)
    assert transform_cell(cell) == with_ipython


def test_the_fallback_is_really_used_without_ipython(monkeypatch: pytest.MonkeyPatch) -> None:
    # Prompts are the one thing only IPython's transformer strips.
    cell = ">>> x = 1\n>>> y = 2"
    assert transform_cell(cell).code == "x = 1\ny = 2"
    without_ipython(monkeypatch)
    assert transform_cell(cell).code == cell


@pytest.mark.parametrize(
    ("line", "magic"),
    [
        ("ls", True),
        ("ls -la", True),
        ("  cd ..", True),
        ("cd ~/data", True),
        ("ls ./data  # the inputs", True),
        ("pip install keras", True),
        ("timeit x = 1", True),
        ("time model.fit(x)", True),
        ("history", True),
        ("ls = []", False),
        ("ls.append(1)", False),
        ("time.sleep(1)", False),
        ("run(x)", False),
        ("history = model.fit(x)", False),
        ("time - start", False),
        ("model -la", False),  # not a magic's name
        ("cd == x", False),
        ("env = # your code here", False),  # Python, if broken: IPython runs it as such
        ("env , = # your code", False),
    ],
)
def test_automagic_lines(line: str, magic: bool) -> None:
    assert is_automagic(line) is magic


def test_every_line_magic_and_alias_of_ipython_is_known() -> None:
    line_magics = set()
    for _, cls in inspect.getmembers(magics, inspect.isclass):
        table = getattr(cls, "magics", None)
        if isinstance(table, dict):
            line_magics |= set(table.get("line", ()))
    line_magics |= {name for name, _ in default_aliases()}
    assert line_magics <= AUTOMAGICS, line_magics - AUTOMAGICS
    cell_magics = set()
    for _, cls in inspect.getmembers(magics, inspect.isclass):
        table = getattr(cls, "magics", None)
        if isinstance(table, dict):
            cell_magics |= set(table.get("cell", ()))
    assert cell_magics >= PYTHON_BODY_CELL_MAGICS


@pytest.mark.parametrize("fallback", [False, True])
def test_cell_indented_past_a_later_line_is_read_as_ipython_before_9_1_ran_it(
    monkeypatch: pytest.MonkeyPatch, fallback: bool
) -> None:
    """IPython 7 to 9.0 removed the first line's indentation from the lines that start with
    it; 9.1's dedent leaves such a cell starting indented, and it no longer runs."""
    cell = "    model.add(layer)\n    \nmodel.summary()\n"
    if fallback:
        without_ipython(monkeypatch)
    transformed = transform_cell(cell)
    assert transformed.code.splitlines()[:3] == ["model.add(layer)", "", "model.summary()"]
    assert transformed.shifts[:3] == (4, 4, 0)
    ast.parse(transformed.code)


def test_shell_continuation_with_windows_line_breaks() -> None:
    """A notebook saved with `\r\n` breaks: its editor reads them as line ends, so the
    backslash continues the shell command as it does with `\n`."""
    cell = "!convert --input raw \\\r\n    --output data\r\n\r\nn = 3"
    transformed = transform_cell(cell)
    ast.parse(transformed.code)
    assert transformed.code.endswith("\r\nn = 3")
    assert transformed.restore(transformed.code.replace("n = 3", "n = 4")) == cell.replace(
        "n = 3", "n = 4"
    )


def test_cell_magic_after_a_space_is_the_magic() -> None:
    transformed = transform_cell(" %%time\nhistory = model.fit(x)\n")
    assert transformed.code.splitlines()[1] == "history = model.fit(x)"


def test_columns_map_back_through_dedenting() -> None:
    transformed = transform_cell("    x = f(a)\n    !ls\n    y = 2")
    assert transformed.code == "x = f(a)\nget_ipython().system('ls')\ny = 2"
    assert transformed.shifts == (4, None, 4)
    assert transformed.cell_column(1, 4) == 8
    assert transformed.code_column(1, 8) == 4
    assert transformed.code_column(2, 4) is None
    assert transformed.restore("x = f(b)\nget_ipython().system('ls')\ny = 2") == (
        "    x = f(b)\n    !ls\n    y = 2"
    )
    assert transformed.restore("x = f(b)\nget_ipython().system('rm')\ny = 2") is None
    assert transformed.restore("x = f(\nb)\nget_ipython().system('ls')\ny = 2") is None


# A Keras head without activation and a loss that expects probabilities: LG001 at the loss.
BUG = textwrap.dedent(
    """\
    model = keras.Sequential([keras.layers.Dense(10)])
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy())"""
)
LOSS = "keras.losses.SparseCategoricalCrossentropy()"


def write_notebook(path: Path, *sources: str) -> str:
    nbformat.write(new_notebook(cells=[new_code_cell(source) for source in sources]), path)
    return str(path)


def lg001_at(findings: list) -> list[tuple[int | None, int, int]]:
    return [
        (f.location.cell, f.location.line, f.location.col)
        for f in findings
        if f.code == "LG001" and f.location is not None
    ]


@pytest.mark.parametrize("fallback", [False, True], ids=["ipython", "fallback"])
def test_findings_keep_their_cell_line_and_column_through_ipython_syntax(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fallback: bool
) -> None:
    if fallback:
        without_ipython(monkeypatch)
    indented = textwrap.indent(BUG, "    ")
    cells = [
        "%matplotlib inline\nimport keras\nls -la",
        # An indented cell after lines IPython folds into one: the bug keeps its place.
        "\n    !pip install keras \\\n        torch\n    %%time?\n" + indented,
        "%%time\ncd ..\n" + BUG,
    ]
    path = write_notebook(tmp_path / "nb.ipynb", *cells)
    findings = check_notebook(path)
    assert [f.code for f in findings] == ["LG001", "LG001"]
    line_in_second = 5 + 1
    line_in_third = 3 + 1
    col = indented.split("\n")[1].index(LOSS)
    assert lg001_at(findings) == [
        (2, line_in_second, col),
        (3, line_in_third, BUG.split("\n")[1].index(LOSS)),
    ]
    assert cells[1].split("\n")[line_in_second - 1].index(LOSS) == col


def test_fix_in_an_indented_cell_after_magics_keeps_the_cell_as_written(tmp_path: Path) -> None:
    indented = textwrap.indent(BUG, "  ")
    source = "  !pip install keras \\\n      torch\n" + indented + "\n  ls -la"
    path = write_notebook(tmp_path / "nb.ipynb", "import keras", source)
    findings = check_notebook(path)
    [edit] = [f.edit for f in findings if f.edit is not None]
    result = fix_notebook(path, [edit])
    assert result.applied == 1, result.refused
    fixed = nbformat.reads(result.fixed, as_version=4).cells[1].source
    assert fixed == source.replace(LOSS, LOSS.replace("()", "(from_logits=True)"))


def test_transformed_cell_is_a_value() -> None:
    assert transform_cell("x = 1") == TransformedCell("x = 1", "x = 1", (0,))
