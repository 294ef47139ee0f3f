"""logitguard on a big code base: one process vs ast.parse, --jobs, the cache, ruff and pylint.

    python benchmarks/scale.py [--files 10000] [--seed 0] [--repeat 2] [--pylint-files 300]
                               [--steps 1,2,3,4,5]

Generates the synthetic corpus of benchmarks/corpus.py in a temporary folder, then measures,
side by side in this one run (each timing the best of --repeat, the contenders alternating so
that load on the machine hits them alike):

1. in one process, over the same files read from disk: `ast.parse` of each file vs logitguard's
   check without cache, and with a cold cache (goal: at most 1.5x `ast.parse`);
2. `logitguard check --no-cache --jobs 2` vs `--jobs 1`, as commands (goal: 1.8x faster);
3. `logitguard check` with a cold cache, then warm with nothing changed (goal: at most 5 % of
   the cold time), then after editing one file;
4. `ruff check` (its default rules, its cache on, cold and warm) on the same folder;
5. `pylint` (one process; it keeps no results between runs) on the first --pylint-files files'
   projects, next to logitguard on those same projects.

Step 1 times CPU time (this process's), which load from other programs barely changes. The
commands' wall times are printed with the CPU time of all their processes (worker processes
included: this script adopts and reaps them, on Linux), so that a busy machine shows as wall
time far above CPU time, and the cost of parallelism as CPU time above that of --jobs 1.
"""

from __future__ import annotations

import argparse
import ast
import ctypes
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus import generate
from lint_speed import best_times

from logitguard.config import Config
from logitguard.static import runner
from logitguard.static.cache import Cache
from logitguard.static.discovery import discover

REPO = Path(__file__).resolve().parent.parent
PARSE_GOAL, JOBS_GOAL, WARM_GOAL = 1.5, 1.8, 0.05
PR_SET_CHILD_SUBREAPER = 36


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # user + system time of the command's waited-for processes

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (cpu {self.cpu:.2f} s)"


def adopt_orphans() -> bool:
    """Become the parent of our commands' orphaned processes (a fork server and its workers
    outlive the command by a moment), so that their CPU time is counted once reaped."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):  # not Linux
        return False


def reap_orphans() -> None:
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def run_command(command: Sequence[str], cwd: Path) -> Timing:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


def best_of(commands: Sequence[Callable[[], Timing]], repeat: int) -> list[Timing]:
    """Best wall time of each command over `repeat` alternating rounds."""
    best: list[Timing | None] = [None] * len(commands)
    for _ in range(repeat):
        for index, command in enumerate(commands):
            timing = command()
            current = best[index]
            if current is None or timing.wall < current.wall:
                best[index] = timing
    return [timing for timing in best if timing is not None]


def logitguard(*args: str) -> list[str]:
    return [sys.executable, "-m", "logitguard", "check", "--exit-zero", *args]


def tool(name: str) -> str | None:
    """`name` from this interpreter's environment, else from PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def in_process(root: Path, repeat: int) -> None:
    files = discover([str(root)]).files

    def parse_all() -> None:
        for source_file in files:
            ast.parse(Path(source_file.path).read_bytes(), filename=source_file.path)

    def check_cold_cache() -> None:
        with tempfile.TemporaryDirectory() as folder:
            runner.check_files(files, jobs=1, cache=Cache(Path(folder), Config()))

    parse, check, cached = best_times(
        [parse_all, lambda: runner.check_files(files, jobs=1), check_cold_cache],
        repeat,
        clock=time.process_time,
    )
    print(f"1. one process, {len(files)} files read from disk (CPU time, best of {repeat}):")
    print(f"   ast.parse {parse:.2f} s ({len(files) / parse:,.0f} files/s)")
    print(f"   check, no cache {check:.2f} s ({len(files) / check:,.0f} files/s)")
    print(f"   check, cold cache {cached:.2f} s (writing {len(files)} entries)")
    verdict = "within" if check / parse <= PARSE_GOAL else "ABOVE"
    print(
        f"   ratio check/ast.parse {check / parse:.2f}x ({verdict} the {PARSE_GOAL}x goal); "
        f"with a cold cache {cached / parse:.2f}x"
    )


def parallel(root: Path, repeat: int) -> None:
    one, two = best_of(
        [
            lambda: run_command(logitguard("--no-cache", "--jobs", "1", "."), root),
            lambda: run_command(logitguard("--no-cache", "--jobs", "2", "."), root),
        ],
        repeat,
    )
    speedup = one.wall / two.wall
    verdict = "meets" if speedup >= JOBS_GOAL else "BELOW"
    print(f"2. commands, no cache: --jobs 1 {one} | --jobs 2 {two}")
    print(f"   speed-up --jobs 2 vs --jobs 1: {speedup:.2f}x ({verdict} the {JOBS_GOAL}x goal)")
    print(
        f"   CPU time --jobs 2 / --jobs 1: {two.cpu / one.cpu:.2f} (what the workers add: near 1, "
        "the speed-up is the share of a second core the machine leaves free)"
    )


def cached_runs(root: Path, edited: Path) -> tuple[Timing, Timing]:
    cache = root / ".logitguard_cache"
    shutil.rmtree(cache, ignore_errors=True)
    cold = run_command(logitguard("."), root)
    warm = min((run_command(logitguard("."), root) for _ in range(3)), key=lambda t: t.wall)
    original = edited.read_text(encoding="utf-8")
    edited.write_text(original + "\n# edited\n", encoding="utf-8")
    after_edit = run_command(logitguard("."), root)
    edited.write_text(original, encoding="utf-8")
    ratio = warm.wall / cold.wall
    verdict = "within" if ratio <= WARM_GOAL else "ABOVE"
    print(f"3. commands, cache on (--jobs {runner.default_jobs()}): cold {cold} | warm {warm}")
    print(f"   warm / cold: {ratio:.1%} ({verdict} the {WARM_GOAL:.0%} goal)")
    print(f"   after editing one file: {after_edit} = {after_edit.wall / cold.wall:.1%} of cold")
    return cold, warm


def against_ruff(root: Path, logitguard_runs: tuple[Timing, Timing] | None) -> None:
    ruff = tool("ruff")
    if ruff is None:
        print("4. ruff: not installed")
        return
    with tempfile.TemporaryDirectory() as cache:
        # --isolated: ruff's default rules, whatever configuration files are around.
        command = [ruff, "check", "--isolated", "--output-format", "concise", "--exit-zero"]
        command += ["--quiet", "--cache-dir", cache, "."]
        ruff_cold = run_command(command, root)
        ruff_warm = min((run_command(command, root) for _ in range(3)), key=lambda t: t.wall)
    print(f"4. ruff check (its default rules, cache on): cold {ruff_cold} | warm {ruff_warm}")
    if logitguard_runs is not None:
        cold, warm = logitguard_runs
        print(
            f"   logitguard / ruff: cold {cold.wall / ruff_cold.wall:.1f}x, "
            f"warm {warm.wall / ruff_warm.wall:.2f}x"
        )


def against_pylint(root: Path, files: int) -> None:
    pylint = tool("pylint")
    if pylint is None:
        print("5. pylint: not installed")
        return
    projects = sorted(path.name for path in root.iterdir() if path.is_dir())
    chosen, count = [], 0
    for project in projects:
        if count >= files:
            break
        chosen.append(project)
        count += sum(1 for _ in (root / project).rglob("*.py"))
    lint = [pylint, "--recursive=y", "--jobs", "1", "--exit-zero", "--persistent=y", *chosen]
    # Once each: pylint takes long enough for the machine's noise not to matter.
    pylint_time = run_command(lint, root)
    check = run_command(logitguard("--no-cache", "--jobs", "1", *chosen), root)
    warm = run_command(logitguard("--jobs", "1", *chosen), root)  # the cache of step 3
    print(f"5. {count} files, one process: pylint {pylint_time} | logitguard no cache {check}")
    print(
        f"   pylint / logitguard: {pylint_time.wall / check.wall:.1f}x; logitguard warm "
        f"{warm} = pylint / {pylint_time.wall / warm.wall:.0f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=2, help="rounds per comparison")
    parser.add_argument("--pylint-files", type=int, default=300)
    parser.add_argument(
        "--steps", default="1,2,3,4,5", help="which measurements to run (4 compares with 3)"
    )
    args = parser.parse_args(argv)
    steps = {int(step) for step in args.steps.split(",")}
    if not adopt_orphans():
        print("(CPU times of --jobs 2 runs count only the main process here)")
    with tempfile.TemporaryDirectory(prefix="logitguard-corpus-") as folder:
        corpus = generate(Path(folder), args.files, args.seed)
        print(
            f"corpus: {corpus.files} files, {corpus.framework_files} using a framework, "
            f"{corpus.mismatches} with a mismatch; {os.cpu_count()} CPUs, "
            f"{runner.default_jobs()} usable, load average {os.getloadavg()[0]:.1f}"
        )
        root = corpus.root
        if 1 in steps:
            in_process(root, args.repeat)
        if 2 in steps:
            parallel(root, args.repeat)
        logitguard_runs = cached_runs(root, next(root.rglob("builder0.py"))) if 3 in steps else None
        if 4 in steps:
            against_ruff(root, logitguard_runs)
        if 5 in steps:
            against_pylint(root, args.pylint_files)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
