"""What the result cache costs on a real project: time and disk, next to a run without it.

    python benchmarks/cache_cost.py PATH [PATH ...] [--repeat 2] [--jobs 1]

For each folder, times side by side, as commands (`python -m logitguard check PATH`, each in a
fresh process, as a user runs it): a run without the cache, a run with a cold cache (a fresh
folder each time), and a warm run with nothing changed. Prints the ratios cold / no cache (the
cost of keeping the results; goal: at most 1.25x) and warm / cold, and the size of the cache
folder, in all and per checked file. The files an import looks for and does not find (every
import of an outside package, in every search root) are what made a cold cache slow and big.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLD_GOAL = 1.25


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def measure(path: str, repeat: int, jobs: int) -> None:
    check = [sys.executable, "-m", "logitguard", "check", "--jobs", str(jobs), path]
    plain, cold, warm = float("inf"), float("inf"), float("inf")
    size = files = 0
    for _ in range(repeat):
        plain = min(plain, timed([*check, "--no-cache"]))
        folder = Path(tempfile.mkdtemp(prefix="logitguard-cache-"))
        try:
            cold = min(cold, timed([*check, "--cache-dir", str(folder)]))
            warm = min(warm, timed([*check, "--cache-dir", str(folder)]))
            size = folder_bytes(folder)
            files = sum(1 for _ in (folder / "files").iterdir())
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    verdict = "within" if cold / plain <= COLD_GOAL else "ABOVE"
    print(
        f"{path}: {files} files kept | no cache {plain:.2f} s | cold cache {cold:.2f} s "
        f"({cold / plain:.2f}x, {verdict} the {COLD_GOAL}x goal) | warm {warm:.2f} s "
        f"({warm / cold:.1%} of cold) | cache {size / 1e6:.1f} MB, "
        f"{size / max(files, 1) / 1e3:.1f} kB per file"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=1)
    arguments = parser.parse_args()
    for path in arguments.paths:
        measure(path, arguments.repeat, arguments.jobs)


if __name__ == "__main__":
    main()
