"""One demo run: load the data, train the matrix, judge it, write and print the results."""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from logitguard.demo import data, outputs, plots, terminal, training
from logitguard.demo.matrix import matrix
from logitguard.demo.summary import DatasetRun, DemoRun, Row
from logitguard.demo.verdict import Benchmark, judge

DEFAULT_DATASETS = data.EMBEDDED


@dataclass(frozen=True)
class Experiment:
    datasets: tuple[str, ...]
    epochs: int | None  # None: each data set's own number
    quick: bool
    optimizer: str
    batch_size: int
    seeds: tuple[int, ...]
    out: Path

    @classmethod
    def from_args(
        cls, args: argparse.Namespace, *, quick_seeds: int, default_seeds: int
    ) -> Experiment:
        count = args.seeds or (quick_seeds if args.quick else default_seeds)
        return cls(
            datasets=tuple(dict.fromkeys(args.datasets or DEFAULT_DATASETS)),
            epochs=args.epochs,
            quick=args.quick,
            optimizer=args.optimizer,
            batch_size=args.batch_size,
            seeds=tuple(range(args.seed, args.seed + count)),
            out=args.out,
        )

    def settings(self, dataset: data.Dataset) -> training.Settings:
        recipe = dataset.recipe
        epochs = self.epochs or (recipe.quick_epochs if self.quick else recipe.epochs)
        return training.Settings(epochs, self.optimizer, self.batch_size, self.seeds)

    def load(self, console: Console) -> tuple[list[data.Dataset], list[str]]:
        loaded: dict[str, data.Dataset] = {}
        notes = []
        for name in self.datasets:
            with console.status(f"loading {name}"):
                dataset, note = data.load(name, self.seeds[0])
            if note:
                console.print(note, style="yellow", markup=False)
                notes.append(note)
            loaded.setdefault(dataset.name, dataset)
        return list(loaded.values()), notes

    def run(self, console: Console, device: str) -> int:
        started = time.perf_counter()
        self.out.mkdir(parents=True, exist_ok=True)  # fail before training, not after
        datasets, notes = self.load(console)
        plan = [(dataset, matrix(dataset.name, dataset.num_classes)) for dataset in datasets]
        console.print(
            f"Training {sum(len(configs) for _, configs in plan)} configurations x "
            f"{len(self.seeds)} seed(s) on {device}",
            markup=False,
        )
        rows: list[Row] = []
        dataset_runs: list[DatasetRun] = []
        with terminal.progress_bar(console) as progress:
            total = sum(len(configs) for _, configs in plan) * len(self.seeds)
            task = progress.add_task("training", total=total)
            for dataset, configs in plan:
                dataset_started = time.perf_counter()
                settings = self.settings(dataset)
                results = []
                for config in configs:
                    progress.update(task, description=config.slug)
                    results.append(
                        training.run_config(
                            config, dataset, settings, lambda: progress.advance(task)
                        )
                    )
                benchmark = Benchmark.of(dataset, results)
                rows += [
                    Row(len(rows) + index + 1, result, judge(result, benchmark), benchmark)
                    for index, result in enumerate(results)
                ]
                dataset_runs.append(
                    DatasetRun(
                        benchmark=benchmark,
                        epochs=settings.epochs,
                        n_train=len(dataset.y_train),
                        num_classes=dataset.num_classes,
                        hidden_units=dataset.recipe.hidden_units,
                        train_seconds=time.perf_counter() - dataset_started,
                    )
                )
        demo_run = DemoRun(
            rows=rows,
            datasets=dataset_runs,
            optimizer=self.optimizer,
            batch_size=self.batch_size,
            seeds=list(self.seeds),
            device=device,
            versions=training.versions(),
            notes=[*notes, *_checker_notes(rows)],
            wall_seconds=time.perf_counter() - started,
            backend=training.backend_name(),
        )
        terminal.print_results(console, demo_run)
        with console.status("writing the report"):
            self.write(demo_run)
        console.print(
            f"Wrote {self.out}/report.html, report.md, results.json, results.csv and "
            f"{len(rows) + 1} plots in {time.perf_counter() - started:.0f} s "
            f"(training and checks: {demo_run.wall_seconds:.0f} s).",
            markup=False,
        )
        return 0

    def write(self, demo_run: DemoRun) -> None:
        for folder in (outputs.CURVES_DIR, outputs.SOURCES_DIR):
            (self.out / folder).mkdir(parents=True, exist_ok=True)
        for row in demo_run.rows:
            plots.plot_row(row, self.out / outputs.curve_path(row))
            (self.out / outputs.source_path(row)).write_text(row.result.source, encoding="utf-8")
        plots.plot_overview(demo_run.rows, self.out / outputs.OVERVIEW)
        outputs.write_json(demo_run, self.out / "results.json")
        outputs.write_csv(demo_run, self.out / "results.csv")
        outputs.write_markdown(demo_run, self.out / "report.md")
        outputs.write_html(demo_run, self.out / "report.html")


def _checker_notes(rows: list[Row]) -> list[str]:
    """Why a checker column says n/a or error, once per distinct reason."""
    notes = {
        f"{checker} checker: {outcome.note}"
        for row in rows
        for checker, outcome in (("static", row.result.static), ("runtime", row.result.runtime))
        if outcome.status != "ok" and outcome.note
    }
    return sorted(notes)
