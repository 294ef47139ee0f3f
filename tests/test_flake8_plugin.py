"""The flake8 plugin, run through the real `flake8` command."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

pytest.importorskip("flake8", reason="flake8 comes with the test extras")

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
ENTRY_POINT = "logitguard.integrations.flake8_plugin:LogitguardChecker"


@pytest.fixture(scope="module", autouse=True)
def _plugin_registered() -> None:
    registered = {ep.name: ep.value for ep in metadata.entry_points(group="flake8.extension")}
    if registered.get("LG") != ENTRY_POINT:
        pytest.fail("the LG flake8 entry point is not installed: pip install -e '.[test]'")


def flake8(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "LG", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_flake8_reports_lg001_on_the_buggy_example() -> None:
    path = "examples/keras/buggy_fashion_mnist_mlp_from_logits_false.py"
    result = flake8(path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        f"{path}:18:10: LG001 [error] SparseCategoricalCrossentropy(from_logits=False) expects "
        "softmax probabilities but Dense(10) (no activation) emits raw logits: the model will "
        "barely learn"
    ]


def test_flake8_is_silent_on_the_correct_twin() -> None:
    result = flake8("examples/keras/correct_fashion_mnist_mlp_from_logits_true.py")
    assert (result.returncode, result.stdout) == (0, ""), result.stderr


def test_flake8_reports_other_codes_and_honours_noqa_and_logitguard_ignore(
    tmp_path: Path,
) -> None:
    program = textwrap.dedent(
        """\
        import torch
        from torch import nn

        model = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))
        criterion = nn.CrossEntropyLoss()
        loss = criterion(model(torch.randn(8, 4)), torch.randint(0, 3, (8,)))
        """
    )
    (tmp_path / "double.py").write_text(program, encoding="utf-8")
    (tmp_path / "noqa.py").write_text(
        program.replace("CrossEntropyLoss()", "CrossEntropyLoss()  # noqa: LG002"),
        encoding="utf-8",
    )
    (tmp_path / "ignored.py").write_text(
        program.replace("CrossEntropyLoss()", "CrossEntropyLoss()  # logitguard: ignore[LG002]"),
        encoding="utf-8",
    )
    result = flake8(".", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout + result.stderr
    assert lines[0].startswith("./double.py:") and " LG002 [warning] " in lines[0]


def test_flake8_follows_the_import_of_a_model_from_another_file() -> None:
    """examples/project: the loss in train.py, the head in model.py beside it."""
    folder = "examples/project/buggy_keras_builder"
    result = flake8(f"{folder}/train.py", f"{folder}/model.py")
    assert f"{folder}/train.py:9:" in result.stdout and "LG001" in result.stdout, result
    assert "model.py" not in result.stdout
    clean = flake8("examples/project/correct_keras_builder/train.py")
    assert clean.returncode == 0 and clean.stdout == "", clean
