"""The results table and the progress bar in the terminal (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from logitguard.demo.matrix import SIGNED_LABELS
from logitguard.demo.results import Spread
from logitguard.demo.summary import DemoRun, Row

COLUMNS = (
    "#",
    "head",
    "loss",
    "from_logits",
    "metric",
    "train loss",
    "reported",
    "true acc.",
    "test CE",
    "Keras loss",
    "verdict",
    "static",
    "runtime",
)
NUMERIC = {"#", "train loss", "reported", "true acc.", "test CE", "Keras loss"}
LOSS_ABBREVIATIONS = {
    "SparseCategoricalCrossentropy": "SCCE",
    "CategoricalCrossentropy": "CCE",
    "BinaryCrossentropy": "BCE",
}
SHORT_PROBLEMS = {
    "trains badly": "bad",
    "reports a wrong accuracy": "wrong acc.",
    "reports a wrong loss": "wrong loss",
}
# Wide enough for the table when the output goes to a file or a pipe.
PIPE_WIDTH = 180


def make_console() -> Console:
    plain = Console()
    return plain if plain.is_terminal else Console(width=PIPE_WIDTH)


def progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )


def _number(spread: Spread) -> str:
    return f"{spread.mean:.3f}" if spread.std == 0 else f"{spread.mean:.3f}±{spread.std:.2f}"


def _cells(row: Row) -> tuple[str, ...]:
    config, result = row.result.config, row.result
    return (
        str(row.number),
        f"{config.activation or 'logits'}({config.units})"
        + (f" on {SIGNED_LABELS}" if config.signed_labels else ""),
        LOSS_ABBREVIATIONS[config.loss_class],
        str(config.from_logits),
        "accuracy" if config.threshold is None else f"BinAcc({config.threshold})",
        _number(result.train_loss),
        _number(result.reported_accuracy),
        _number(result.true_accuracy),
        _number(result.true_log_loss),
        _number(result.reported_log_loss),
        _short_verdict(row),
        result.static.summary(short=True),
        result.runtime.summary(short=True),
    )


def _short_verdict(row: Row) -> str:
    problems = row.verdict.problems
    if not problems:
        return "ok"
    if problems == ["trains badly"]:
        return "trains badly"
    return " + ".join(SHORT_PROBLEMS[problem] for problem in problems)


def results_tables(run: DemoRun) -> list[Table]:
    """One table per data set."""
    tables = []
    for data in run.datasets:
        benchmark = data.benchmark
        table = Table(
            title=f"{benchmark.dataset}: best true accuracy {benchmark.best_accuracy:.3f}, "
            f"chance {benchmark.chance_accuracy:.3f} ({data.epochs} epochs, "
            f"{len(run.seeds)} seed(s))",
            title_justify="left",
        )
        for column in COLUMNS:
            table.add_column(column, justify="right" if column in NUMERIC else "left")
        for row in run.rows:
            if row.result.config.dataset != benchmark.dataset:
                continue
            verdict_style = "green" if row.verdict.ok else "bold red"
            table.add_row(
                *(
                    Text(cell, style=verdict_style if column == "verdict" else "")
                    for column, cell in zip(COLUMNS, _cells(row), strict=True)
                )
            )
        tables.append(table)
    return tables


def print_results(console: Console, run: DemoRun) -> None:
    for table in results_tables(run):
        console.print(table)
    for checker in ("static", "runtime"):
        console.print(run.agreement(checker), markup=False)
