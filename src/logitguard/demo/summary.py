"""A whole demo run: every configuration with its verdict, and whether the checkers agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from logitguard.demo.results import CheckOutcome, ConfigResult
from logitguard.demo.verdict import Benchmark, Verdict, checker_agrees, explain


@dataclass
class Row:
    number: int
    result: ConfigResult
    verdict: Verdict
    benchmark: Benchmark

    @property
    def explanation(self) -> list[str]:
        return explain(self.result, self.verdict, self.benchmark)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            **self.result.to_dict(),
            "verdict": {
                "label": self.verdict.label,
                "trains_well": self.verdict.trains_well,
                "reports_correctly": self.verdict.reports_correctly,
                "accuracy_share_of_best_gain": self.verdict.accuracy_share,
                "log_loss_share_of_best_gain": self.verdict.log_loss_share,
                "largest_report_error": self.verdict.largest_report_error,
                "reports_loss_correctly": self.verdict.reports_loss_correctly,
                "largest_loss_error": self.verdict.largest_loss_error,
            },
            "static_agrees": checker_agrees(self.result.static, self.verdict),
            "runtime_agrees": checker_agrees(self.result.runtime, self.verdict),
            "explanation": self.explanation,
        }


@dataclass
class DatasetRun:
    benchmark: Benchmark
    epochs: int
    n_train: int
    num_classes: int
    hidden_units: int
    train_seconds: float


@dataclass
class DemoRun:
    rows: list[Row]
    datasets: list[DatasetRun]
    optimizer: str
    batch_size: int
    seeds: list[int]
    device: str
    versions: dict[str, str]
    notes: list[str] = field(default_factory=list)
    wall_seconds: float = 0.0
    backend: str = "tensorflow"  # Keras' backend

    def agreement(self, checker: str) -> str:
        """One sentence: did `checker` ("static" or "runtime") flag exactly the bad rows?"""
        outcomes: list[tuple[Row, CheckOutcome]] = [
            (row, getattr(row.result, checker)) for row in self.rows
        ]
        unavailable = [outcome for _, outcome in outcomes if outcome.status == "n/a"]
        if unavailable:
            return f"The {checker} checker did not run: {unavailable[0].note}."
        errors = [row.number for row, outcome in outcomes if outcome.status == "error"]
        missed = [
            row.number
            for row, outcome in outcomes
            if not row.verdict.ok and checker_agrees(outcome, row.verdict) is False
        ]
        false_alarms = [
            row.number
            for row, outcome in outcomes
            if row.verdict.ok and checker_agrees(outcome, row.verdict) is False
        ]
        bad = sum(not row.verdict.ok for row in self.rows)
        good = len(self.rows) - bad
        if not (errors or missed or false_alarms):
            return (
                f"The {checker} checker flags all {bad} configurations that train badly or "
                f"report a wrong accuracy or loss, and gives no error to the {good} that train "
                "well."
            )
        problems = []
        if missed:
            problems.append(f"misses bad configurations {_numbers(missed)}")
        if false_alarms:
            problems.append(f"gives an error to good configurations {_numbers(false_alarms)}")
        if errors:
            problems.append(f"failed on configurations {_numbers(errors)}")
        return f"The {checker} checker " + "; ".join(problems) + "."

    def to_dict(self) -> dict[str, Any]:
        return {
            "settings": {
                "optimizer": self.optimizer,
                "batch_size": self.batch_size,
                "seeds": self.seeds,
            },
            "device": self.device,
            "backend": self.backend,
            "versions": self.versions,
            "notes": self.notes,
            "wall_seconds": self.wall_seconds,
            "agreement": {"static": self.agreement("static"), "runtime": self.agreement("runtime")},
            "datasets": [
                {
                    "name": run.benchmark.dataset,
                    "epochs": run.epochs,
                    "n_train": run.n_train,
                    "n_test": run.benchmark.test_size,
                    "num_classes": run.num_classes,
                    "hidden_units": run.hidden_units,
                    "train_seconds": run.train_seconds,
                    "chance_accuracy": run.benchmark.chance_accuracy,
                    "best_accuracy": run.benchmark.best_accuracy,
                    "chance_log_loss": run.benchmark.chance_log_loss,
                    "best_log_loss": run.benchmark.best_log_loss,
                }
                for run in self.datasets
            ],
            "configs": [row.to_dict() for row in self.rows],
        }


def _numbers(numbers: list[int]) -> str:
    return ", ".join(f"#{number}" for number in numbers)
