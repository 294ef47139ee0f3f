"""`logitguard demo --backend ...`: the same matrix on each Keras backend, and where they differ.

Keras reads KERAS_BACKEND once, when it is first imported, so each backend runs in its own
interpreter (`python -m logitguard.demo` with KERAS_BACKEND set), writing its usual report to
OUT/<backend>/. With several backends, OUT/backends.md then lists the configurations whose
verdict or findings differ between them, with the numbers behind the difference.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

BACKENDS = ("tensorflow", "jax", "torch")
REPORT = "backends.md"
COLUMNS = (
    "#",
    "data set",
    "head",
    "loss",
    "metric",
    "backend",
    "train loss",
    "test cross-entropy",
    "reported test loss",
    "true acc.",
    "verdict",
    "static",
    "runtime",
)


def child_command(args: argparse.Namespace, out: Path) -> list[str]:
    """The demo command line for one backend: the same options, its own output folder."""
    command = [sys.executable, "-m", "logitguard.demo", "--out", str(out)]
    command += ["--optimizer", args.optimizer, "--seed", str(args.seed)]
    command += ["--batch-size", str(args.batch_size)]
    for dataset in args.datasets or []:
        command += ["--dataset", dataset]
    if args.epochs:
        command += ["--epochs", str(args.epochs)]
    if args.seeds:
        command += ["--seeds", str(args.seeds)]
    if args.quick:
        command.append("--quick")
    return command


def run(args: argparse.Namespace, console: Console) -> int:
    backends = list(dict.fromkeys(args.backends))
    for backend in backends:
        console.print(f"Keras backend: {backend} (results in {args.out / backend}/)", markup=False)
        completed = subprocess.run(
            child_command(args, args.out / backend),
            env={**os.environ, "KERAS_BACKEND": backend},
            check=False,
        )
        if completed.returncode != 0:
            console.print(f"the demo on the {backend} backend failed", markup=False)
            return completed.returncode
    if len(backends) < 2:
        return 0
    results = {
        backend: json.loads((args.out / backend / "results.json").read_text(encoding="utf-8"))
        for backend in backends
    }
    comparison = Comparison.of(results)
    console.print(comparison.table())
    console.print(comparison.summary(), markup=False)
    (args.out / REPORT).write_text(comparison.markdown(), encoding="utf-8")
    console.print(f"Wrote {args.out / REPORT}.", markup=False)
    return 0


def findings_summary(outcome: dict[str, Any]) -> str:
    """Codes, with the severity of those that are not errors: "LG002 (warning), LG013"."""
    if outcome["status"] != "ok":
        return outcome["status"]
    severities = {finding["code"]: finding["severity"] for finding in outcome["findings"]}
    return (
        ", ".join(
            code if severities[code] == "error" else f"{code} ({severities[code]})"
            for code in sorted(severities)
        )
        or "-"
    )


def _mean(config: dict[str, Any], measure: str) -> str:
    value = config["summary"][measure]["mean"]
    return "-" if value != value else f"{value:.3f}"  # NaN: not measured


@dataclass(frozen=True)
class Outcome:
    """One configuration on one backend, as its report gives it."""

    backend: str
    config: dict[str, Any]

    @property
    def signature(self) -> tuple[str, str, str]:
        """What must agree between backends: the verdict and both checkers' findings."""
        return (
            self.config["verdict"]["label"],
            findings_summary(self.config["static"]),
            findings_summary(self.config["runtime"]),
        )

    def cells(self) -> tuple[str, ...]:
        config = self.config
        return (
            str(config["number"]),
            config["config"]["dataset"],
            config["head"],
            config["loss"],
            config["metric"],
            self.backend,
            _mean(config, "train_loss"),
            _mean(config, "true_log_loss"),
            _mean(config, "reported_log_loss"),
            _mean(config, "true_accuracy"),
            *self.signature,
        )


@dataclass(frozen=True)
class Comparison:
    backends: tuple[str, ...]
    versions: dict[str, str]
    differing: list[list[Outcome]]  # per configuration that differs, one outcome per backend
    total: int

    @classmethod
    def of(cls, results: dict[str, dict[str, Any]]) -> Comparison:
        backends = tuple(results)
        by_slug = {
            backend: {config["slug"]: config for config in result["configs"]}
            for backend, result in results.items()
        }
        first = results[backends[0]]["configs"]
        differing = []
        for config in first:
            outcomes = [Outcome(b, by_slug[b][config["slug"]]) for b in backends]
            if len({outcome.signature for outcome in outcomes}) > 1:
                differing.append(outcomes)
        versions: dict[str, str] = {}
        for result in results.values():
            versions.update(result["versions"])
        return cls(backends, versions, differing, len(first))

    def summary(self) -> str:
        same = self.total - len(self.differing)
        return (
            f"{same} of {self.total} configurations get the same verdict and findings on "
            f"{', '.join(self.backends)}; {len(self.differing)} differ."
        )

    def table(self) -> Table:
        table = Table(title="Where the Keras backends differ", title_justify="left")
        for column in COLUMNS:
            table.add_column(column)
        for outcomes in self.differing:
            for outcome in outcomes:
                table.add_row(*outcome.cells())
        return table

    def markdown(self) -> str:
        versions = ", ".join(f"{name} {version}" for name, version in self.versions.items())
        lines = [
            "# logitguard demo: the same matrix on each Keras backend",
            "",
            f"Backends: {', '.join(self.backends)} ({versions}). Each backend's full report "
            "is in its own folder.",
            "",
            self.summary(),
            "",
            "| " + " | ".join(COLUMNS) + " |",
            "|" + "---|" * len(COLUMNS),
        ]
        for outcomes in self.differing:
            for outcome in outcomes:
                cells = (cell.replace("|", "\\|") for cell in outcome.cells())
                lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"
