"""The static checker learns the Keras backend where the code sets it, and LG002's severity and
message follow it (only the TensorFlow backend undoes a double activation)."""

from __future__ import annotations

import textwrap

import pytest

from logitguard.core.findings import Severity
from logitguard.static.checker import check_source

MODEL = """
model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
"""


def lg002(source: str):
    findings = [f for f in check_source(textwrap.dedent(source), "train.py") if f.code == "LG002"]
    assert len(findings) == 1, findings
    return findings[0]


@pytest.mark.parametrize(
    ("preamble", "backend"),
    [
        ('import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport keras\n', "jax"),
        ('import os\nos.environ.setdefault("KERAS_BACKEND", "torch")\nimport keras\n', "torch"),
        ('from os import environ\nenviron["KERAS_BACKEND"] = "torch"\nimport keras\n', "torch"),
        (
            'import os\nBACKEND = "jax"\nos.environ["KERAS_BACKEND"] = BACKEND\nimport keras\n',
            "jax",
        ),
        ('import keras\nkeras.config.set_backend("jax")\n', "jax"),
    ],
)
def test_a_declared_jax_or_torch_backend_makes_double_activation_an_error(preamble, backend):
    finding = lg002(preamble + MODEL)
    assert finding.severity is Severity.ERROR
    assert f"Keras' {backend} backend does not undo it" in finding.message


def test_the_tensorflow_backend_keeps_it_a_warning_and_says_why():
    finding = lg002('import os\nos.environ["KERAS_BACKEND"] = "tensorflow"\nimport keras\n' + MODEL)
    assert finding.severity is Severity.WARNING
    assert "tensorflow backend uses the logits beneath" in finding.message


def test_tf_keras_runs_on_tensorflow():
    source = MODEL.replace("keras.", "tf.keras.")
    finding = lg002("import tensorflow as tf\n" + source)
    assert finding.severity is Severity.WARNING
    assert "tensorflow backend uses the logits" in finding.message


@pytest.mark.parametrize(
    "preamble",
    [
        "import keras\n",
        # Set after the import: Keras has already chosen its backend.
        'import keras\nimport os\nos.environ["KERAS_BACKEND"] = "jax"\n',
        # Two different answers, or one that is not known in advance.
        'import keras\nkeras.config.set_backend("jax")\nkeras.config.set_backend("torch")\n',
        'import os, sys\nos.environ["KERAS_BACKEND"] = sys.argv[1]\nimport keras\n',
    ],
)
def test_an_unknown_backend_assumes_tensorflow_and_says_so(preamble):
    finding = lg002(preamble + MODEL)
    assert finding.severity is Severity.WARNING
    assert "assuming the TensorFlow backend" in finding.message


def test_the_backend_does_not_change_other_rules_or_frameworks():
    logits = MODEL.replace(', activation="softmax"', "").replace("from_logits=True", "")
    jax = 'import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport keras\n'
    assert [f.code for f in check_source(jax + logits, "a.py")] == ["LG001"]
    torch_source = textwrap.dedent(
        """
        import os
        os.environ["KERAS_BACKEND"] = "jax"
        from torch import nn
        model = nn.Sequential(nn.Linear(30, 1), nn.Sigmoid())
        loss_fn = nn.BCEWithLogitsLoss()
        for x, y in loader:
            loss = loss_fn(model(x), y)
        """
    )
    assert lg002(torch_source).severity is Severity.WARNING
