"""Does `--fix` take time in proportion to the edits in a file?

    python benchmarks/fix_scaling.py [--models 25 50 100 200 ...] [--repeat N]

Writes one file per size with that many Keras models, each with a fixable LG001 (a logits head
and `SparseCategoricalCrossentropy()`), then times, best of N runs and side by side, the check
of the file and the fix of all its findings (`plan_fixes`: read, one pass over every edit,
the diff; then the atomic write). Prints each size's times, the time per model, and how much
the fix time grew against the previous size: linear growth doubles it when the models double
(before the one-pass fixer it quadrupled: 3.9/14/55/222 s for 25/50/100/200 models).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from logitguard.fixer import plan_fixes
from logitguard.static.checker import CheckLog, check_files
from logitguard.static.discovery import FileKind, SourceFile

MODEL = """
model_{index} = keras.Sequential([
    keras.layers.Dense(32, activation="relu"),
    keras.layers.Dense(10),
])
model_{index}.compile(
    optimizer="adam",
    loss=keras.losses.SparseCategoricalCrossentropy(),
    metrics=["accuracy"],
)
"""


def program(models: int) -> str:
    return "import keras\n" + "".join(MODEL.format(index=index) for index in range(models))


def best_of(repeat: int, run: Callable[[], float]) -> float:
    """The least of `repeat` times that `run` reports."""
    return min(run() for _ in range(repeat))


def measure(folder: Path, models: int, repeat: int) -> tuple[float, float]:
    path = folder / f"models_{models}.py"
    source = program(models)
    files = [SourceFile(str(path), FileKind.PYTHON)]

    def check() -> float:
        path.write_text(source, encoding="utf-8")
        started = time.perf_counter()
        check_files(files)
        return time.perf_counter() - started

    def fix() -> float:
        path.write_text(source, encoding="utf-8")
        log = CheckLog()
        findings = check_files(files, log=log)
        started = time.perf_counter()
        [file_fix] = plan_fixes(findings, log.fingerprints)
        file_fix.write()
        elapsed = time.perf_counter() - started
        assert file_fix.applied == models, file_fix.refused
        return elapsed

    return best_of(repeat, check), best_of(repeat, fix)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, nargs="+", default=[25, 50, 100, 200, 400])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'models':>7} {'check s':>9} {'fix s':>9} {'fix ms/model':>13} {'fix growth':>11}")
    previous: tuple[int, float] | None = None
    with tempfile.TemporaryDirectory() as folder:
        for models in args.models:
            check_time, fix_time = measure(Path(folder), models, args.repeat)
            growth = ""
            if previous is not None:
                size_ratio = models / previous[0]
                growth = f"{fix_time / previous[1]:.2f}x / {size_ratio:.0f}x"
            print(
                f"{models:>7} {check_time:>9.3f} {fix_time:>9.3f} "
                f"{1000 * fix_time / models:>13.2f} {growth:>11}"
            )
            previous = (models, fix_time)


if __name__ == "__main__":
    main()
