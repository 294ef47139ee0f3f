"""A loss or metric object shared by models that need different settings is never auto-fixed."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from logitguard.cli import main
from logitguard.static.checker import check_source

SHARED_LOSS = textwrap.dedent(
    """\
    import keras

    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits={from_logits})
    logits_model = keras.Sequential([keras.layers.Dense(16, activation="relu"),
                                     keras.layers.Dense(10)])
    softmax_model = keras.Sequential([keras.layers.Dense(16, activation="relu"),
                                      keras.layers.Dense(10, activation="softmax")])
    logits_model.compile(optimizer="adam", loss=loss_fn)
    softmax_model.compile(optimizer="adam", loss=loss_fn)
    """
)


@pytest.mark.parametrize(
    ("from_logits", "code", "other"),
    [
        (False, "LG001", 'Dense(10, activation="softmax") (line 7), which emits softmax'),
        (True, "LG002", "Dense(10) (no activation) (line 5), which emits raw logits"),
    ],
)
def test_a_loss_shared_by_a_logits_and_a_softmax_model_is_not_fixed(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    from_logits: bool,
    code: str,
    other: str,
) -> None:
    source = SHARED_LOSS.format(from_logits=from_logits)
    [finding] = check_source(source, "shared.py")
    assert finding.code == code
    assert finding.edit is None
    assert "Not fixed automatically: this loss object (line 3) is also used by " + other in (
        finding.fix
    )
    path = tmp_path / "shared.py"
    path.write_text(source, encoding="utf-8")
    for _ in range(2):  # no flip-flop from one --fix to the next
        assert main(["check", "--fix", str(path)]) == 1
        assert path.read_text(encoding="utf-8") == source
    capsys.readouterr()


def test_a_loss_shared_by_two_torch_models_is_not_fixed() -> None:
    source = textwrap.dedent(
        """\
        from torch import nn

        a = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
        b = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
        criterion = nn.BCELoss()
        for x, y in loader:
            loss_a = criterion(a(x), y)
            loss_b = criterion(b(x), y)
        """
    )
    [finding] = check_source(source, "shared.py")
    assert (finding.code, finding.edit) == ("LG001", None)
    assert "this loss object (line 5) is also used by nn.Linear(16, 1) -> nn.Sigmoid()" in (
        finding.fix
    )


def test_a_loss_given_one_models_outputs_raw_and_through_a_sigmoid_is_not_fixed() -> None:
    source = textwrap.dedent(
        """\
        import torch
        from torch import nn

        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
        criterion = nn.BCELoss()
        for x, y in loader:
            right = criterion(torch.sigmoid(model(x)), y)
            wrong = criterion(model(x), y)
        """
    )
    [finding] = check_source(source, "shared.py")
    assert (finding.code, finding.edit) == ("LG001", None)
    assert "this loss object (line 5) is also used by nn.Linear(16, 1) -> torch.sigmoid" in (
        finding.fix
    )
    [alone] = check_source(source.replace("right = ", "# "), "shared.py")
    assert alone.edit is not None


def test_a_loss_shared_by_models_that_agree_is_fixed_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = SHARED_LOSS.format(from_logits=False).replace(
        'keras.layers.Dense(10, activation="softmax")', "keras.layers.Dense(10)"
    )
    findings = check_source(source, "shared.py")
    assert [f.code for f in findings] == ["LG001"] and findings[0].edit is not None
    path = tmp_path / "shared.py"
    path.write_text(source, encoding="utf-8")
    assert main(["check", "--fix", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == source.replace(
        "from_logits=False", "from_logits=True"
    )
    capsys.readouterr()


def test_a_metric_shared_by_a_logits_and_a_sigmoid_model_is_not_fixed() -> None:
    source = textwrap.dedent(
        """\
        import keras

        accuracy = keras.metrics.BinaryAccuracy()
        logits_model = keras.Sequential([keras.layers.Dense(1)])
        sigmoid_model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
        logits_model.compile(
            optimizer="adam",
            loss=keras.losses.BinaryCrossentropy(from_logits=True),
            metrics=[accuracy],
        )
        sigmoid_model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[accuracy])
        """
    )
    [finding] = check_source(source, "shared.py")
    assert (finding.code, finding.edit) == ("LG003", None)
    assert "this metric object (line 3) is also used by " in finding.fix
