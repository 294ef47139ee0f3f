"""How much slower is `logitguard check` than Python merely parsing the same files?

    python benchmarks/lint_speed.py [PATH ...] [--repeat N] [--profile]

Reads every .py file under the PATHs into memory, then times, best of N runs, (a) bare
`ast.parse` of each source and (b) logitguard's `check_source` of each source (parse, front
ends, rules, suppressions), with Python's cyclic garbage collector on as for `ast.parse`, and
once more as the command runs each file, with the collector paused. Prints files, files/second
and the ratios check / ast.parse; the goal is at most 1.5, judged on the first ratio. Beside
them, the floor: `ast.parse` followed by one `ast.walk` that does nothing with the nodes, the
least any analysis written in Python that looks at each node once can cost. The
files that import a deep-learning framework (the only ones the front ends read) are also timed
on their own, since most code in a big folder is not.

Without PATH it builds a corpus in memory that runs anywhere: the bundled examples and the
rules' own examples (repeated, so that framework code weighs in) and the standard library's
own modules. `--profile` runs the check once
under cProfile and prints where the time goes.

`--project N` instead generates a project of N files with imports between them (model
modules, a shared training loop, loss definitions, training scripts that wire them, and plain
utility modules) and times, side by side, bare `ast.parse`, checking each file on its own, and
checking the folder as one project (what `logitguard check DIR` does); `--as-project PATH ...`
times the same three for the PATHs given (a real project's folder).
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import pstats
import sysconfig
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from logitguard.rules import ALL_RULES
from logitguard.static.checker import (
    Unparsable,
    check_paths,
    check_source,
    collector_paused,
    read_source,
)
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


def parse_and_walk_all(sources: Sequence[Source]) -> None:
    """The floor for any analysis written in Python: parse, then visit each node once."""
    for source in sources:
        for _ in ast.walk(ast.parse(source.text, filename=source.path)):
            pass


def check_all(sources: Sequence[Source]) -> int:
    return sum(len(check_source(source.text, source.path)) for source in sources)


def check_all_as_run(sources: Sequence[Source]) -> int:
    """As `logitguard check` checks each file: with Python's cyclic collector paused."""
    found = 0
    for source in sources:
        with collector_paused():
            found += len(check_source(source.text, source.path))
    return found


def report(label: str, sources: Sequence[Source], repeat: int) -> float | None:
    if not sources:
        print(f"{label}: no files")
        return None
    parse_seconds, check_seconds, as_run_seconds, walk_seconds = best_times(
        [
            lambda: parse_all(sources),
            lambda: check_all(sources),
            lambda: check_all_as_run(sources),
            lambda: parse_and_walk_all(sources),
        ],
        repeat,
    )
    ratio = check_seconds / parse_seconds
    print(
        f"{label}: {len(sources)} files, {sum(len(s.text) for s in sources) / 1e6:.1f} MB | "
        f"ast.parse {parse_seconds:.3f} s ({len(sources) / parse_seconds:,.0f} files/s) | "
        f"check {check_seconds:.3f} s ({len(sources) / check_seconds:,.0f} files/s) | "
        f"ratio check/ast.parse {ratio:.2f}x (collector paused per file, as the command "
        f"runs: {as_run_seconds / parse_seconds:.2f}x) | floor, ast.parse then one bare "
        f"ast.walk: {walk_seconds / parse_seconds:.2f}x"
    )
    return ratio


_MODEL = """
import torch.nn as nn


class Net{i}(nn.Module):
    def __init__(self, features=32, hidden={hidden}, classes={classes}):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(features, hidden), nn.ReLU())
        self.head = nn.Linear(hidden, classes)
{activation_init}
    def forward(self, x):
        return {output}
"""
_TRAIN = """
import torch
from engine import train_one_epoch
from losses import {loss}
from models.net_{i} import Net{i}
from utils.util_{u} import helper_{u}


def main(loader):
    model = Net{i}()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(helper_{u}(3)):
        train_one_epoch(model, {loss}, loader, optimizer)
"""
_ENGINE = """
def train_one_epoch(model, criterion, loader, optimizer):
    for inputs, targets in loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)
        loss.backward()
        optimizer.step()
"""
_LOSSES = "import torch.nn as nn\n\nCE = nn.CrossEntropyLoss()\nNLL = nn.NLLLoss()\n"
_UTIL = """
from utils.util_{previous} import helper_{previous}


def helper_{u}(value):
    total = 0
    for step in range(value):
        total += helper_{previous}(step) if step % 2 else step
    return {{"total": total, "steps": value}}["steps"]
"""


def generate_project(root: Path, files: int) -> None:
    """A project of `files` files: 30 % model modules (some ending in a softmax), 30 %
    training scripts importing a model, the shared loop and a loss, 40 % plain utilities."""
    models, scripts = files * 3 // 10, files * 3 // 10
    utilities = max(files - models - scripts - 5, 1)
    for folder in ("models", "utils"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "engine.py").write_text(_ENGINE)
    (root / "losses.py").write_text(_LOSSES)
    for i in range(models):
        softmax = i % 4 == 0
        (root / "models" / f"net_{i}.py").write_text(
            _MODEL.format(
                i=i,
                hidden=16 + i % 7,
                classes=2 + i % 9,
                activation_init="        self.softmax = nn.Softmax(dim=1)\n" if softmax else "",
                output="self.softmax(self.head(self.body(x)))"
                if softmax
                else "self.head(self.body(x))",
            )
        )
    for u in range(utilities):
        (root / "utils" / f"util_{u}.py").write_text(_UTIL.format(u=u, previous=max(u - 1, 0)))
    for j in range(scripts):
        (root / f"train_{j}.py").write_text(
            _TRAIN.format(i=j % models, loss="CE" if j % 3 else "NLL", u=j % utilities)
        )


def report_project(files: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        generate_project(Path(folder), files)
        report_as_project([folder], "generated project", repeat)


def report_as_project(paths: Sequence[str], label: str, repeat: int) -> None:
    """Bare `ast.parse`, each file checked alone, and the paths checked as one project (their
    imports of one another followed), side by side."""
    sources = load_sources(paths)
    found = check_paths(list(paths))
    print(f"{label}: {len(sources)} files in {', '.join(paths)}, {len(found)} findings")
    parse_seconds, alone_seconds, project_seconds = best_times(
        [
            lambda: parse_all(sources),
            lambda: check_all(sources),
            lambda: check_paths(list(paths)),
        ],
        repeat,
    )
    print(
        f"ast.parse {parse_seconds:.3f} s | each file alone {alone_seconds:.3f} s "
        f"({alone_seconds / parse_seconds:.2f}x) | as one project {project_seconds:.3f} s "
        f"({project_seconds / parse_seconds:.2f}x ast.parse, "
        f"{len(sources) / project_seconds:,.0f} files/s)"
    )


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
    parser.add_argument(
        "--project", type=int, metavar="N", help="time a generated project of N files instead"
    )
    parser.add_argument(
        "--as-project", action="store_true", help="time the PATHs checked as one project"
    )
    args = parser.parse_args(argv)
    if args.project:
        report_project(args.project, args.repeat)
        return 0
    if args.as_project and args.paths:
        report_as_project(args.paths, "project", args.repeat)
        return 0
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
