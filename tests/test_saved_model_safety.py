"""Checking a saved model loads it with Keras: always in safe mode, and quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("keras")

REPO = Path(__file__).resolve().parent.parent

# Saves a plain model, and one whose Lambda layer writes a marker file when its code runs;
# then checks the latter in a process that has turned Keras' safe mode off.
UNSAFE_PROCESS = """
import json, pathlib, sys
import keras
plain = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
plain.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
plain.save(sys.argv[3])
marker = pathlib.Path(sys.argv[2])
function = eval(
    "lambda x: (__import__('pathlib').Path(%r).write_text('ran'), x)[1]" % str(marker)
)
model = keras.Sequential(
    [keras.Input((4,)), keras.layers.Lambda(function), keras.layers.Dense(3)]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.save(sys.argv[1])
marker.unlink()  # building the model ran it once; only loading may run it again
keras.config.enable_unsafe_deserialization()

from keras.src.saving.serialization_lib import in_safe_mode
from logitguard.static.checker import check_saved_model

findings = check_saved_model(sys.argv[1])
print(json.dumps({
    "findings": [[f.code, f.message] for f in findings],
    "code_ran": marker.exists(),
    "unsafe_setting_kept": in_safe_mode() is False,
}))
"""


def run_python(args: list[str], keep_tf_logs: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    if keep_tf_logs:
        env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # as a user's shell has it
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def unsafe_process(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    """The report of UNSAFE_PROCESS, and the plain model it saved."""
    folder = tmp_path_factory.mktemp("saved")
    model, marker, plain = folder / "lambda.keras", folder / "ran.txt", folder / "plain.keras"
    result = run_python(["-c", UNSAFE_PROCESS, str(model), str(marker), str(plain)])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), plain


@pytest.mark.slow
def test_a_saved_model_is_loaded_in_safe_mode_even_when_the_process_disabled_it(
    unsafe_process: tuple[dict, Path],
) -> None:
    report, _ = unsafe_process
    assert report["code_ran"] is False
    [[code, message]] = report["findings"]
    assert code == "LG000"
    assert "Keras could not load it" in message and "Lambda" in message
    assert report["unsafe_setting_kept"] is True  # the process's own setting is given back


@pytest.mark.slow
def test_checking_a_saved_model_prints_nothing_on_stderr(
    unsafe_process: tuple[dict, Path],
) -> None:
    _, plain = unsafe_process
    result = run_python(["-m", "logitguard", "check", str(plain)], keep_tf_logs=True)
    assert result.returncode == 1
    assert ": LG001 [error] " in result.stdout
    assert result.stderr == ""
