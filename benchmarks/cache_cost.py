"""What the result cache costs on a real project: time and disk, next to a run without it.

    python benchmarks/cache_cost.py PATH [PATH ...] [--repeat 2]

For each folder, in this one process (the project as `logitguard check PATH --jobs 1` sees it),
times side by side: a run without the cache, a run with a cold cache (a fresh folder each
time), and a warm run with nothing changed. Prints the ratios cold / no cache (the cost of
keeping the results; goal: at most 1.25x) and warm / cold, and the size of the cache folder,
in all and per checked file. The files an import looks for and does not find (every import of
an outside package, in every search root) are what made a cold cache slow and big.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from logitguard.config import load_config
from logitguard.static import runner
from logitguard.static.cache import Cache
from logitguard.static.discovery import ExcludeGlobs, discover, project_roots

COLD_GOAL = 1.25


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def measure(path: str, repeat: int) -> None:
    config = load_config([path])
    files = discover([path], ExcludeGlobs(config.exclude, config.root)).files
    roots = project_roots([path])

    def run(cache_folder: Path | None) -> float:
        cache = None if cache_folder is None else Cache(cache_folder, config, search_roots=roots)
        start = time.perf_counter()
        runner.check_files(files, config, cache=cache, paths=[path])
        return time.perf_counter() - start

    plain, cold, warm = float("inf"), float("inf"), float("inf")
    size = 0
    for _ in range(repeat):
        plain = min(plain, run(None))
        folder = Path(tempfile.mkdtemp(prefix="logitguard-cache-"))
        try:
            cold = min(cold, run(folder))
            warm = min(warm, run(folder))
            size = folder_bytes(folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    verdict = "within" if cold / plain <= COLD_GOAL else "ABOVE"
    print(
        f"{path}: {len(files)} files | no cache {plain:.2f} s | cold cache {cold:.2f} s "
        f"({cold / plain:.2f}x, {verdict} the {COLD_GOAL}x goal) | warm {warm:.2f} s "
        f"({warm / cold:.1%} of cold) | cache {size / 1e6:.1f} MB, "
        f"{size / max(len(files), 1) / 1e3:.1f} kB per file"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--repeat", type=int, default=2)
    arguments = parser.parse_args()
    for path in arguments.paths:
        measure(path, arguments.repeat)


if __name__ == "__main__":
    main()
