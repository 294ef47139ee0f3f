"""--fix changes only the fixed spans, byte for byte; --diff output is a patch git applies."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from logitguard.cli import main

LOSS = "keras.losses.SparseCategoricalCrossentropy()"
FIXED_LOSS = "keras.losses.SparseCategoricalCrossentropy(from_logits=True)"
MODEL = [
    "import keras\n",
    "model = keras.Sequential([keras.layers.Dense(32, activation='relu'),\n",
    "                          keras.layers.Dense(10)])\n",
]
COMPILE = f"model.compile(optimizer='adam', loss={LOSS})"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def odd_notebook(newline: str = "\r\n") -> str:
    """Not as Jupyter writes it: CRLF, its own key order and indentation, escaped non-ASCII,
    no cell ids, no final newline."""
    cells = [
        {"source": "# Titr\u00e9", "metadata": {}, "cell_type": "markdown"},
        {
            "source": [*MODEL, "print('d\u00e9j\u00e0 vu')"],
            "outputs": [],
            "metadata": {"z": 1, "a": 2},
            "execution_count": 1,
            "cell_type": "code",
        },
        {
            "source": ["# the last line of the cell has no newline\n", COMPILE],
            "cell_type": "code",
            "execution_count": None,
            "outputs": [],
            "metadata": {},
        },
    ]
    notebook = {
        "nbformat_minor": 2,
        "cells": cells,
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4,
    }
    return json.dumps(notebook, indent=2, ensure_ascii=True).replace("\n", newline)


def test_notebook_fix_changes_only_the_fixed_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "odd.ipynb"
    original = odd_notebook()
    path.write_bytes(original.encode("utf-8"))
    code, out, _ = run(capsys, "check", "--fix", str(path))
    assert (code, out.splitlines()[-1]) == (0, "All clear: no findings in 1 file. Fixed 1 finding.")
    assert path.read_bytes() == original.replace(LOSS, FIXED_LOSS).encode("utf-8")
    assert "\\u00e9" in path.read_text(encoding="utf-8")  # escapes kept as they were
    fixed = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    assert fixed.cells[2].source.endswith(FIXED_LOSS + ")")


def test_notebook_source_as_one_string_and_jupyter_layout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("".join(MODEL) + COMPILE)])
    path = tmp_path / "nb.ipynb"
    nbformat.write(notebook, path)
    as_list = path.read_text(encoding="utf-8")
    one_string = json.dumps(json.loads(as_list), indent=1)  # "source": "import keras\n..."
    for text in (as_list, one_string):
        path.write_text(text, encoding="utf-8")
        assert run(capsys, "check", "--fix", str(path))[0] == 0
        assert path.read_text(encoding="utf-8") == text.replace(LOSS, FIXED_LOSS)
    assert as_list.endswith("\n")  # nbformat's final newline, kept


def test_a_cell_without_cell_type_is_skipped_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {"metadata": {}, "source": "no cell_type here"},
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": [*MODEL, COMPILE],
            },
        ],
    }
    path = tmp_path / "nb.ipynb"
    text = json.dumps(notebook, indent=1)
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "check", "--diff", str(path))
    assert code == 1
    assert "Traceback" not in err and "internal error" not in err
    assert f"+    \"model.compile(optimizer='adam', loss={FIXED_LOSS})\"" in out
    assert run(capsys, "check", "--fix", str(path))[0] == 0
    assert path.read_text(encoding="utf-8") == text.replace(LOSS, FIXED_LOSS)


def test_a_notebook_without_nbformat_key_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nb.ipynb"
    cell = {"cell_type": "code", "metadata": {}, "source": [*MODEL, COMPILE]}
    path.write_text(json.dumps({"metadata": {}, "cells": [cell]}), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    assert f"{path}:cell 1:line 4:col " in out and ": LG001 [error] " in out


@pytest.mark.parametrize(("language", "key"), [("R", "kernelspec"), ("julia", "language_info")])
def test_notebooks_in_other_languages_are_skipped_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str, key: str
) -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("library(keras)\nx <- 1")])
    field = "language" if key == "kernelspec" else "name"
    notebook.metadata[key] = {field: language, "name": language}
    path = tmp_path / "nb.ipynb"
    nbformat.write(notebook, path)
    code, out, err = run(capsys, "check", str(path))
    assert code == 0
    assert "LG000" not in out
    assert f"logitguard: note: {path}: not checked: a notebook for the {language} language" in err


# --- --diff output applies with git apply ----------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git_apply(folder: Path, patch: str) -> None:
    subprocess.run(
        ["git", "apply", "--check", "-"],
        input=patch,
        text=True,
        cwd=folder,
        check=True,
        capture_output=True,
    )
    subprocess.run(["git", "apply", "-"], input=patch, text=True, cwd=folder, check=True)


@needs_git
@pytest.mark.parametrize("ending", ["", "\n", "\r\n"])
def test_diff_of_a_python_file_applies_with_git(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    ending: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    source = "".join(MODEL) + COMPILE + ending  # the fixed line is the last one
    if ending == "\r\n":
        source = source.replace("\n", "\r\n")
    Path("train.py").write_bytes(source.encode("utf-8"))
    code, patch, _ = run(capsys, "check", "--diff", "train.py")
    assert code == 1
    assert ("\\ No newline at end of file" in patch) is (ending == "")
    git_apply(tmp_path, patch)
    assert Path("train.py").read_bytes() == source.replace(LOSS, FIXED_LOSS).encode("utf-8")


@needs_git
def test_diff_of_a_notebook_applies_with_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    original = odd_notebook(newline="\n")  # no final newline; the fixed line ends a cell
    Path("nb.ipynb").write_text(original, encoding="utf-8")
    _, patch, _ = run(capsys, "check", "--diff", "nb.ipynb")
    git_apply(tmp_path, patch)
    assert Path("nb.ipynb").read_text(encoding="utf-8") == original.replace(LOSS, FIXED_LOSS)


@needs_git
def test_diff_when_the_fixed_line_is_the_last_of_a_notebook_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "source": "".join(MODEL) + COMPILE}
    # The whole notebook on one line without a newline: the fixed line is the file's last.
    original = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    Path("flat.ipynb").write_text(original, encoding="utf-8")
    _, patch, _ = run(capsys, "check", "--diff", "flat.ipynb")
    assert "\\ No newline at end of file" in patch
    git_apply(tmp_path, patch)
    assert Path("flat.ipynb").read_text(encoding="utf-8") == original.replace(LOSS, FIXED_LOSS)
