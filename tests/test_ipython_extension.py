"""`%load_ext logitguard` in a real Jupyter kernel (ipykernel), executed by nbclient."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

nbclient = pytest.importorskip("nbclient", reason="nbclient comes with the test extras")
pytest.importorskip("ipykernel", reason="ipykernel comes with the test extras")

REPO = Path(__file__).resolve().parent.parent
KERNEL_NAME = "logitguard-test"

CELLS = [
    "%load_ext logitguard",
    "import keras\nimport numpy as np\n\nmodel = keras.Sequential([keras.Input((4,)), "
    "keras.layers.Dense(3)])",
    'model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")',
    "labels = np.round(model.predict(np.zeros((2, 4)), verbose=0))",
    'good = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])\n'
    'good.compile(optimizer="adam", loss="sparse_categorical_crossentropy")',
    'print("a later cell")',
    "%logitguard status",
    "%unload_ext logitguard",
    'model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")',
]


def logitguard_outputs(cell: Any) -> list[dict[str, str]]:
    return [
        output["data"]
        for output in cell.outputs
        if output["output_type"] == "display_data"
        and output["data"].get("text/plain", "").startswith("logitguard (")
    ]


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """The notebook above, run by a kernel on this Python with the source under test."""
    root = tmp_path_factory.mktemp("kernel")
    spec = root / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": KERNEL_NAME, "language": "python"})
    )
    notebook = new_notebook(cells=[new_code_cell(source) for source in CELLS])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
        "JUPYTER_PATH": str(root),
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    saved = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(root)  # where nbclient looks up the kernel spec
    try:
        client = nbclient.NotebookClient(
            notebook, timeout=180, kernel_name=KERNEL_NAME, resources={"metadata": {"path": root}}
        )
        client.execute(env=env)
    finally:
        if saved is None:
            os.environ.pop("JUPYTER_PATH")
        else:
            os.environ["JUPYTER_PATH"] = saved
    nbformat.validate(notebook)
    return notebook.cells


def test_the_compile_cell_shows_the_mismatch_as_html_and_text(executed: list[Any]) -> None:
    shown = logitguard_outputs(executed[2])
    assert len(shown) == 1
    assert shown[0]["text/plain"].splitlines()[:2] == [
        "logitguard (live check of keras.Sequential 'sequential'):",
        "  LG001 [error] 'sparse_categorical_crossentropy' expects softmax probabilities but "
        "Dense(3) emits raw logits: the model will barely learn",
    ]
    html = shown[0]["text/html"]
    assert '<div class="logitguard">' in html and ">LG001</span>" in html
    assert "&#x27;sparse_categorical_crossentropy&#x27; expects softmax probabilities" in html


def test_a_static_finding_shows_under_the_cell_that_caused_it(executed: list[Any]) -> None:
    shown = logitguard_outputs(executed[3])
    assert len(shown) == 1
    text = shown[0]["text/plain"]
    assert text.startswith("logitguard (static):\n  In [4], line 1: LG009 [error] np.round(")


def test_findings_are_not_repeated_and_correct_cells_stay_quiet(executed: list[Any]) -> None:
    quiet = [0, 1, 4, 5]  # the correct twin (cell 5) included
    assert [logitguard_outputs(executed[index]) for index in quiet] == [[]] * len(quiet)
    assert executed[5].outputs[0]["text"] == "a later cell\n"


def test_status_magic_and_unload(executed: list[Any]) -> None:
    status = "".join(output.get("text", "") for output in executed[6].outputs)
    assert status.startswith("logitguard is on: each cell is checked with the 7 executed so far")
    assert "(2 finding(s) shown)" in status
    # Unloaded: the same mismatch compiled again shows nothing.
    assert logitguard_outputs(executed[8]) == []
    assert not [output for output in executed[8].outputs if output["output_type"] == "error"]
