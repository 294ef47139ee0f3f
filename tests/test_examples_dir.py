"""The bundled examples: every `buggy_*` program is flagged, no `correct_*` one is.

Covers every framework folder under examples/ (keras, torch, jax, notebooks...), .py files and
notebooks alike, so examples added later are checked without touching this file.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from logitguard.core.findings import Finding, Severity
from logitguard.static.checker import check_paths, check_source

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SUFFIXES = (".py", ".ipynb")
FLAGGING = (Severity.ERROR, Severity.WARNING)


def _examples(prefix: str) -> list[Path]:
    return sorted(
        path
        for path in EXAMPLES.rglob(f"{prefix}_*")
        if path.suffix in SUFFIXES and ".ipynb_checkpoints" not in path.parts
    )


def _check(path: Path) -> list[Finding]:
    if path.suffix == ".ipynb":
        notebooks = _notebook_reader()
        return notebooks.check_notebook(str(path))
    return check_source(path.read_text(encoding="utf-8"), str(path))


def _notebook_reader():
    try:
        notebooks = importlib.import_module("logitguard.static.notebooks")
    except ImportError:
        pytest.skip("the notebook reader (logitguard.static.notebooks) is not there yet")
    if not hasattr(notebooks, "check_notebook"):
        pytest.skip("logitguard.static.notebooks has no check_notebook yet")
    return notebooks


def _describe(findings: list[Finding]) -> str:
    return "\n".join(
        f"{f.code} {f.severity.value} line {f.location.line if f.location else '?'}: {f.message}"
        for f in findings
    )


def _relative(path: Path) -> str:
    return str(path.relative_to(EXAMPLES))


@pytest.mark.parametrize("path", _examples("buggy"), ids=_relative)
def test_buggy_example_is_flagged(path: Path) -> None:
    findings = _check(path)
    assert "LG000" not in {finding.code for finding in findings}, _describe(findings)
    assert any(finding.severity in FLAGGING for finding in findings), _describe(findings)


@pytest.mark.parametrize("path", _examples("correct"), ids=_relative)
def test_correct_example_is_not_flagged(path: Path) -> None:
    findings = _check(path)
    flagged = [finding for finding in findings if finding.severity in FLAGGING]
    assert flagged == [], _describe(flagged)


def test_keras_examples_include_the_seed_configurations() -> None:
    names = {path.stem for path in (EXAMPLES / "keras").glob("*.py")}
    for seed in (
        "mobilenetv2_head",
        "cats_vs_dogs_dense1",
        "fashion_mnist_mlp",
        "dense1_logits_binary_accuracy",
    ):
        assert any(name.startswith("buggy_" + seed) for name in names), seed
        assert any(name.startswith("correct_" + seed) for name in names), seed


def _projects(prefix: str) -> list[Path]:
    return sorted((EXAMPLES / "project").glob(f"{prefix}_*"))


@pytest.mark.parametrize("folder", _projects("buggy"), ids=_relative)
def test_buggy_project_is_flagged_across_its_files(folder: Path) -> None:
    findings = check_paths([str(folder)])
    flagged = [finding for finding in findings if finding.severity in FLAGGING]
    assert flagged, _describe(findings)
    # The loss is in the training script, the head in a module it imports: both are named.
    for finding in flagged:
        assert finding.related, _describe(flagged)
        assert finding.related[0].path != finding.location.path


@pytest.mark.parametrize("folder", _projects("correct"), ids=_relative)
def test_correct_project_is_not_flagged(folder: Path) -> None:
    findings = check_paths([str(folder)])
    assert [f for f in findings if f.severity in FLAGGING] == [], _describe(findings)


def test_each_file_of_a_buggy_project_alone_shows_nothing() -> None:
    """Only the project view finds these bugs: the head and the loss are in different files."""
    for folder in _projects("buggy"):
        for path in folder.rglob("*.py"):
            assert _check(path) == [], path
