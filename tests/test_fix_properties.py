"""Properties of --fix on generated programs, and of the diffs it prints (hypothesis)."""

from __future__ import annotations

import ast
import contextlib
import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logitguard.cli import MAX_FIX_PASSES, main
from logitguard.core.facts import Edit
from logitguard.fixer import apply_edits
from logitguard.patch import apply, unified_diff
from logitguard.static.checker import check_source

HEADS = [
    "keras.layers.Dense({units})",
    'keras.layers.Dense({units}, activation="softmax")',
    'keras.layers.Dense({units}, activation="sigmoid")',
    "keras.layers.Dense(\n        {units},\n    )",
]
LOSSES = [
    '"sparse_categorical_crossentropy"',
    '"binary_crossentropy"',
    '"categorical_crossentropy"',
    "keras.losses.SparseCategoricalCrossentropy()",
    "keras.losses.SparseCategoricalCrossentropy(from_logits={flag})",
    "keras.losses.BinaryCrossentropy(\n        from_logits={flag},\n    )",
    'keras.losses.CategoricalCrossentropy(reduction="sum")',
    "keras.losses.BinaryCrossentropy(\n        label_smoothing=0.1\n    )",
]
METRICS = ["", ', metrics=["accuracy"]', ", metrics=[keras.metrics.BinaryAccuracy()]"]
NOISE = [
    "",
    "# plain comment\n",
    "# déjà vu ✓\n",
    "print('naïve')  # ünïcode\n",
    "\n\n",
    "x = 1; y = 2\n",
]


@st.composite
def model_block(draw: st.DrawFn, index: int) -> str:
    head = draw(st.sampled_from(HEADS)).format(units=draw(st.sampled_from([1, 3, 10])))
    loss = draw(st.sampled_from(LOSSES)).format(flag=draw(st.booleans()))
    metrics = draw(st.sampled_from(METRICS))
    noise = draw(st.sampled_from(NOISE))
    functional = draw(st.booleans())
    if functional:
        model = (
            f"inputs_{index} = keras.Input(shape=(8,))\n"
            f"outputs_{index} = {head}(inputs_{index})\n"
            f"model_{index} = keras.Model(inputs_{index}, outputs_{index})\n"
        )
    else:
        model = (
            f"model_{index} = keras.Sequential([\n"
            f'    keras.layers.Dense(16, activation="relu"),\n'
            f"    {head},\n])\n"
        )
    shared = draw(st.booleans()) and index > 0
    loss_argument = "loss_fn" if shared else loss
    defined = f"loss_fn = {loss}\n" if shared else ""
    compile_call = f'model_{index}.compile(optimizer="adam", loss={loss_argument}{metrics})\n'
    return noise + defined + model + compile_call


@st.composite
def programs(draw: st.DrawFn) -> str:
    count = draw(st.integers(min_value=1, max_value=4))
    blocks = [draw(model_block(index)) for index in range(count)]
    source = "import keras\n" + "\n".join(blocks)
    if draw(st.booleans()):
        source = source.rstrip("\n")  # the last line without a newline
    if draw(st.booleans()):
        source = source.replace("\n", "\r\n")
    return source


def char_spans(text: str, edits: list[Edit]) -> list[tuple[int, int]]:
    """Where the edits' targets are in `text`, in characters, computed here independently."""
    starts = [0, *(match.end() for match in re.finditer(r"\r\n|\r|\n", text))]

    def offset(line: int, byte_col: int) -> int:
        line_text = text[starts[line - 1] :]
        return starts[line - 1] + len(line_text.encode("utf-8")[:byte_col].decode("utf-8"))

    spans = []
    for edit in edits:
        target = edit.target
        assert target.end_line is not None and target.end_col is not None
        spans.append((offset(target.line, target.col), offset(target.end_line, target.end_col)))
    return sorted(spans)


def changed_only_inside(before: str, after: str, spans: list[tuple[int, int]]) -> bool:
    """Whether `after` is `before` with only the text inside `spans` replaced."""
    gaps, position = [], 0
    for start, end in spans:
        if start >= position:
            gaps.append(before[position:start])
            position = end
        else:
            position = max(position, end)  # nested in the previous span
    gaps.append(before[position:])
    if len(gaps) == 1:
        return after == before
    if not (after.startswith(gaps[0]) and after.endswith(gaps[-1])):
        return False
    cursor, limit = len(gaps[0]), len(after) - len(gaps[-1])
    for gap in gaps[1:-1]:
        found = after.find(gap, cursor, limit)
        if found < 0:
            return False
        cursor = found + len(gap)
    return cursor <= limit


def run_fix(path: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(["check", "--fix", str(path)])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(programs())
def test_fix_touches_only_the_edited_spans_and_a_second_fix_changes_nothing(source: str) -> None:
    # The passes --fix makes, through the fixer itself: each changes only its edits' spans.
    expected = source
    for _ in range(MAX_FIX_PASSES):
        edits = [f.edit for f in check_source(expected, "generated.py") if f.edit is not None]
        outcome = apply_edits(expected, edits)
        assert changed_only_inside(expected, outcome.source, char_spans(expected, edits))
        if not outcome.applied:
            break
        expected = outcome.source
    ast.parse(expected)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.py"
        path.write_bytes(source.encode("utf-8"))
        run_fix(path)
        fixed = path.read_bytes()
        assert fixed == expected.encode("utf-8")
        run_fix(path)
        assert path.read_bytes() == fixed


LINES = st.sampled_from(["a\n", "b\n", "model.fit(x)\n", "\n", "    x = 1\n", "é\n"])


@st.composite
def texts_and_replacements(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    text = "".join(draw(st.lists(LINES, min_size=1, max_size=30)))
    if draw(st.booleans()):
        text = text.rstrip("\n") or "a"
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8, unique=True)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    new_texts = st.sampled_from(["", "X", "Y\n", "(from_logits=True)", "z\nw"])
    return text, [(start, end, draw(new_texts)) for start, end in pairs]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@settings(max_examples=60, deadline=None)
@given(texts_and_replacements())
def test_the_diff_of_any_replacements_applies_with_git(
    case: tuple[str, list[tuple[int, int, str]]],
) -> None:
    text, replacements = case
    patch = unified_diff(text, replacements, "file.txt")
    after = apply(text, replacements)
    if after == text:
        assert patch == ""
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.txt"
        path.write_bytes(text.encode("utf-8"))
        subprocess.run(
            ["git", "apply", "-"],
            input=patch.encode("utf-8"),
            cwd=folder,
            check=True,
            capture_output=True,
        )
        assert path.read_bytes() == after.encode("utf-8")
