"""`logitguard.autocheck()` on real Keras compiles/fits and real PyTorch losses, and its undo."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Iterator
from pathlib import Path

import keras
import numpy as np
import pytest
import torch
from torch import nn

import logitguard
from logitguard.errors import LogitMismatchError, LogitMismatchWarning
from logitguard.integrations.autocheck import active_autocheck

REPO = Path(__file__).resolve().parent.parent
LOSS_BASE = nn.modules.loss._Loss


@pytest.fixture(autouse=True)
def _no_autocheck_left() -> Iterator[None]:
    yield
    logitguard.autocheck(False)
    assert "__call__" not in vars(LOSS_BASE)
    assert "compile" not in vars(keras.Model) and "fit" not in vars(keras.Model)


@pytest.fixture
def digits_like() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(96, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0).astype("int64") * 2  # 4 classes
    return x, y


def keras_model(activation: str | None) -> keras.Model:
    keras.utils.set_random_seed(0)
    layers = [keras.layers.Dense(16, activation="relu"), keras.layers.Dense(4, activation)]
    return keras.Sequential([keras.Input((8,)), *layers])


def test_keras_fit_of_a_logits_head_with_the_default_loss_raises(digits_like) -> None:
    x, y = digits_like
    model = keras_model(None)
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy())
    logitguard.autocheck(mode="raise")  # after the compile: the first fit checks it
    with pytest.raises(LogitMismatchError) as raised:
        model.fit(x, y, epochs=1, verbose=0)
    assert [finding.code for finding in raised.value.findings] == ["LG001"]
    assert not model.optimizer.iterations.numpy()  # stopped before the first step


def test_keras_compile_of_a_mismatch_raises_at_once() -> None:
    logitguard.autocheck(mode="raise")
    model = keras_model(None)
    with pytest.raises(LogitMismatchError, match="LG001"):
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")


def test_keras_correct_twin_is_silent_and_trains_exactly_as_without(digits_like) -> None:
    x, y = digits_like

    def train() -> list[float]:
        model = keras_model(None)
        model.compile(
            optimizer="adam",
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
        return model.fit(x, y, epochs=3, batch_size=32, verbose=0).history["loss"]

    plain = train()
    with warnings.catch_warnings():
        warnings.simplefilter("error", LogitMismatchWarning)
        with logitguard.autocheck(mode="raise"):
            checked = train()
    assert checked == plain


def test_keras_warn_mode_warns_once_at_the_users_line(digits_like) -> None:
    x, y = digits_like
    logitguard.autocheck()
    model = keras_model(None)
    with pytest.warns(LogitMismatchWarning, match="LG001") as caught:
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x, y, epochs=1, verbose=0)  # the same finding is not repeated
    assert len(caught) == 1
    assert caught[0].filename == __file__


def torch_step(head: nn.Module, criterion: nn.Module) -> float:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4), head)
    x, y = torch.randn(32, 8), torch.randint(0, 4, (32,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for _ in range(3):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses)


def test_torch_double_softmax_raises_on_the_first_loss_call() -> None:
    logitguard.autocheck(mode="raise")
    with pytest.raises(LogitMismatchError) as raised:
        torch_step(nn.Softmax(dim=1), nn.CrossEntropyLoss())
    assert [finding.code for finding in raised.value.findings] == ["LG002"]
    assert "the loss input (linear -> softmax)" in str(raised.value)


def test_torch_correct_twin_is_silent_and_computes_the_same_losses() -> None:
    plain = torch_step(nn.Identity(), nn.CrossEntropyLoss())
    with warnings.catch_warnings():
        warnings.simplefilter("error", LogitMismatchWarning)
        with logitguard.autocheck(mode="raise") as check:
            assert "__call__" in vars(LOSS_BASE)
            checked = torch_step(nn.Identity(), nn.CrossEntropyLoss())
    assert not check.active
    assert checked == plain


def test_torch_each_loss_object_is_checked_once() -> None:
    logitguard.autocheck()
    with pytest.warns(LogitMismatchWarning, match="LG002") as caught:
        torch_step(nn.Softmax(dim=1), nn.CrossEntropyLoss())  # three calls, one warning
    assert len(caught) == 1
    with pytest.warns(LogitMismatchWarning):
        torch_step(nn.Softmax(dim=1), nn.CrossEntropyLoss())  # a new loss object


def test_undo_restores_the_original_methods() -> None:
    originals = (keras.Model.compile, keras.Model.fit, LOSS_BASE.__call__)
    check = logitguard.autocheck(mode="raise")
    assert active_autocheck() is check
    assert (keras.Model.compile, keras.Model.fit, LOSS_BASE.__call__) != originals
    check.undo()
    assert (keras.Model.compile, keras.Model.fit, LOSS_BASE.__call__) == originals
    assert active_autocheck() is None
    torch_step(nn.Softmax(dim=1), nn.CrossEntropyLoss())  # unchecked again: no error


def test_a_bad_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="on_mismatch must be one of"):
        logitguard.autocheck(mode="loud")


def test_import_logitguard_auto_checks_frameworks_imported_after_it(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(
        textwrap.dedent(
            """\
            import logitguard.auto  # before torch is imported
            import torch
            from torch import nn

            model = nn.Sequential(nn.Linear(8, 4), nn.Softmax(dim=1))
            criterion = nn.CrossEntropyLoss()
            loss = criterion(model(torch.randn(16, 8)), torch.randint(0, 4, (16,)))
            print("trained on", round(float(loss), 1) > 0)
            """
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "trained on True\n"
    assert f"{script}:7: LogitMismatchWarning" in result.stderr
    assert "LG002 [warning] nn.CrossEntropyLoss() expects raw logits" in result.stderr
