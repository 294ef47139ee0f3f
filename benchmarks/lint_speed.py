"""How much slower is `logitguard check` than Python merely parsing the same files?

    python benchmarks/lint_speed.py [PATH ...] [--repeat N] [--profile]

Reads every .py file under the PATHs into memory, then times, best of N runs, (a) bare
`ast.parse` of each source and (b) logitguard's `check_source` of each source (parse, front
ends, rules, suppressions). Prints files, files/second and the ratio check / ast.parse; the
goal is a ratio of at most 1.5. The files that import a deep-learning framework (the only ones
the front ends read) are also timed on their own, since most code in a big folder is not.

Without PATH it builds a corpus in memory that runs anywhere: the bundled examples and the
rules' own examples (repeated, so that framework code weighs in) and the standard library's
own modules. `--profile` runs the check once
under cProfile and prints where the time goes.
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import pstats
import sysconfig
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from logitguard.rules import ALL_RULES
from logitguard.static.checker import Unparsable, check_source, read_source
from logitguard.static.discovery import FileKind, discover
from logitguard.static.frontends import FRONTENDS

REPO = Path(__file__).resolve().parent.parent
# Each example file counted this many times in the default corpus.
EXAMPLE_COPIES = 20
STDLIB_FILES = 600
GOAL = 1.5


@dataclass(frozen=True)
class Source:
    path: str
    text: str


def load_sources(paths: Sequence[str]) -> list[Source]:
    sources = []
    for found in discover(paths).files:
        if found.kind is not FileKind.PYTHON:
            continue
        try:
            text = read_source(found.path)
            ast.parse(text)
        except (Unparsable, SyntaxError, ValueError, RecursionError):
            continue  # both sides should time the same, parsable, files
        sources.append(Source(found.path, text))
    return sources


def rule_examples() -> list[Source]:
    return [
        Source(f"<{rule.code} example {index}>", textwrap.dedent(example.source))
        for rule in ALL_RULES
        for index, example in enumerate(rule.examples)
    ]


def default_corpus() -> tuple[list[Source], str]:
    framework_code = load_sources([str(REPO / "examples")]) + rule_examples()
    stdlib_root = sysconfig.get_paths()["stdlib"]
    stdlib_paths = sorted(
        str(path)
        for path in Path(stdlib_root).rglob("*.py")
        if "site-packages" not in path.parts and "test" not in path.parts
    )[:STDLIB_FILES]
    stdlib = load_sources(stdlib_paths)
    corpus = [
        Source(f"{source.path}#{copy}", source.text)
        for copy in range(EXAMPLE_COPIES)
        for source in framework_code
    ] + stdlib
    description = (
        f"{len(framework_code)} bundled examples and rule examples x {EXAMPLE_COPIES} + "
        f"{len(stdlib)} standard library modules from {stdlib_root}"
    )
    return corpus, description


def uses_a_framework(source: Source) -> bool:
    return any(root in source.text for frontend in FRONTENDS for root in frontend.roots)


def best_times(
    runs: Sequence[Callable[[], object]],
    repeat: int,
    clock: Callable[[], float] = time.perf_counter,
) -> list[float]:
    """Best time of each run (wall time, or `clock`'s: time.process_time for CPU time); the
    runs alternate so that machine load hits them alike."""
    best = [float("inf")] * len(runs)
    for _ in range(repeat):
        for index, run in enumerate(runs):
            start = clock()
            run()
            best[index] = min(best[index], clock() - start)
    return best


def parse_all(sources: Sequence[Source]) -> None:
    for source in sources:
        ast.parse(source.text, filename=source.path)


def check_all(sources: Sequence[Source]) -> int:
    return sum(len(check_source(source.text, source.path)) for source in sources)


def report(label: str, sources: Sequence[Source], repeat: int) -> float | None:
    if not sources:
        print(f"{label}: no files")
        return None
    parse_seconds, check_seconds = best_times(
        [lambda: parse_all(sources), lambda: check_all(sources)], repeat
    )
    ratio = check_seconds / parse_seconds
    print(
        f"{label}: {len(sources)} files, {sum(len(s.text) for s in sources) / 1e6:.1f} MB | "
        f"ast.parse {parse_seconds:.3f} s ({len(sources) / parse_seconds:,.0f} files/s) | "
        f"check {check_seconds:.3f} s ({len(sources) / check_seconds:,.0f} files/s) | "
        f"ratio check/ast.parse {ratio:.2f}x"
    )
    return ratio


def profile(sources: Sequence[Source], top: int = 25) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    check_all(sources)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", metavar="PATH")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best is kept)")
    parser.add_argument("--profile", action="store_true", help="cProfile one check run")
    args = parser.parse_args(argv)
    if args.paths:
        sources, description = load_sources(args.paths), ", ".join(args.paths)
    else:
        sources, description = default_corpus()
    print(f"corpus: {description}")
    findings = check_all(sources)
    print(f"findings in the corpus: {findings}")
    ratio = report("all files", sources, args.repeat)
    report("files that use a framework", [s for s in sources if uses_a_framework(s)], args.repeat)
    if ratio is not None:
        verdict = "within" if ratio <= GOAL else "ABOVE"
        print(f"overall ratio {ratio:.2f}x: {verdict} the {GOAL}x goal")
    if args.profile:
        profile([s for s in sources if uses_a_framework(s)] or sources)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
