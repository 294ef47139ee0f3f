"""Time and peak memory of `logitguard check` on one big generated file, against `ast.parse`.

    python benchmarks/big_file.py [--megabytes 10] [--shape keras|torch|data ...]

Generates a file of about the given size for each shape: `keras` (one Sequential model and its
compile per block, as a generator of test programs writes them), `torch` (a module class, its
loss and a training loop per block, reusing `x`, `y` and `loss`), `data` (a big literal list, as
in a generated data module). Each measurement runs in a fresh Python process, which reports its
own peak resident memory (ru_maxrss) and time: (a) `ast.parse` of the text alone, as Python
runs it (cyclic garbage collector on), (b) the whole check of the file (read, parse, front
ends, rules, text output; the check pauses the collector during a file). Prints both side by
side and their ratios; the goal for memory is at most 3x `ast.parse`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

MEMORY_GOAL = 3.0
CHILD = """
import ast, io, json, resource, sys, time
path, mode = sys.argv[1], sys.argv[2]
if mode == "check":
    from logitguard.output import Summary, render
    from logitguard.static.checker import check_files
    from logitguard.static.discovery import discover
started = time.perf_counter()
if mode == "parse":
    with open(path, encoding="utf-8") as handle:
        ast.parse(handle.read())
    findings = 0
else:
    files = discover([path]).files
    found = check_files(files)
    render("text", Summary(len(files), found), io.StringIO())
    findings = len(found)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "findings": findings}))
"""


def keras_block(index: int) -> str:
    return (
        f"\nmodel_{index} = keras.Sequential([\n"
        f'    keras.layers.Dense({16 + index % 48}, activation="relu"),\n'
        f"    keras.layers.Dense({2 + index % 9}),\n])\n"
        f'model_{index}.compile(optimizer="adam", loss="sparse_categorical_crossentropy",\n'
        f'                      metrics=["accuracy"])\n'
    )


def torch_block(index: int) -> str:
    return (
        f"\nclass Net{index}(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        f"        self.fc = nn.Linear(16, {2 + index % 7})\n\n"
        "    def forward(self, x):\n"
        "        return torch.softmax(self.fc(x), dim=1)\n\n"
        f"model{index} = Net{index}()\n"
        f"criterion{index} = nn.CrossEntropyLoss()\n"
        "for x, y in loader:\n"
        f"    loss = criterion{index}(model{index}(x), y)\n"
    )


def data_block(index: int) -> str:
    numbers = ", ".join(f"{random.random():.6f}" for _ in range(12))
    return f"    [{numbers}],  # row {index}\n"


SHAPES: dict[str, tuple[str, Callable[[int], str], str]] = {
    "keras": ("import keras\n", keras_block, ""),
    "torch": ("import torch\nfrom torch import nn\n", torch_block, ""),
    "data": ("import keras\nDATA = [\n", data_block, "]\n"),
}


def generate(path: Path, shape: str, size: int) -> None:
    head, block, tail = SHAPES[shape]
    parts, written, index = [head], len(head), 0
    while written < size:
        parts.append(block(index))
        written += len(parts[-1])
        index += 1
    parts.append(tail)
    path.write_text("".join(parts), encoding="utf-8")


def measure(path: Path, mode: str) -> dict[str, float]:
    source = Path(__file__).resolve().parent.parent / "src"
    env = {**os.environ, "PYTHONPATH": f"{source}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), mode],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=10.0)
    parser.add_argument("--shape", choices=sorted(SHAPES), nargs="+", default=sorted(SHAPES))
    args = parser.parse_args()
    random.seed(0)
    print(
        f"{'shape':>6} {'MB':>5} {'findings':>8} {'parse s':>8} {'check s':>8} {'time x':>7} "
        f"{'parse MB':>9} {'check MB':>9} {'memory x':>9}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for shape in args.shape:
            path = Path(folder) / f"{shape}.py"
            generate(path, shape, int(args.megabytes * 1_000_000))
            parse, check = measure(path, "parse"), measure(path, "check")
            memory_ratio = check["peak"] / parse["peak"]
            print(
                f"{shape:>6} {path.stat().st_size / 1e6:>5.1f} {check['findings']:>8.0f} "
                f"{parse['seconds']:>8.1f} {check['seconds']:>8.1f} "
                f"{check['seconds'] / parse['seconds']:>7.2f} {parse['peak'] / 1e6:>9.0f} "
                f"{check['peak'] / 1e6:>9.0f} {memory_ratio:>9.2f}"
                + ("" if memory_ratio <= MEMORY_GOAL else "  (over the goal)")
            )


if __name__ == "__main__":
    main()
