"""Training curves: one PNG per configuration and an overview grid (matplotlib, no pyplot)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from logitguard.demo.summary import Row

TRUE_COLOUR = "tab:blue"
REPORTED_COLOUR = "tab:orange"
LOSS_COLOUR = "tab:purple"
VERDICT_COLOURS = {True: "tab:green", False: "tab:red"}
GRID_COLUMNS = 4


def _band(axes: Any, curves: list[list[float]], colour: str, label: str, style: str = "-") -> None:
    """Mean over seeds, with the range between the lowest and highest seed shaded."""
    values = np.asarray(curves, dtype=float)
    epochs = np.arange(1, values.shape[1] + 1)
    axes.plot(epochs, values.mean(axis=0), style, color=colour, label=label, linewidth=1.6)
    if len(values) > 1:
        axes.fill_between(epochs, values.min(axis=0), values.max(axis=0), color=colour, alpha=0.2)


def _accuracy_panel(axes: Any, row: Row, legend: bool) -> None:
    runs = row.result.runs
    _band(axes, [run.true_accuracy for run in runs], TRUE_COLOUR, "true accuracy")
    _band(
        axes,
        [run.reported_accuracy for run in runs],
        REPORTED_COLOUR,
        "accuracy Keras reports",
        style="--",
    )
    axes.axhline(row.benchmark.chance_accuracy, color="grey", linestyle=":", label="chance")
    axes.set_ylim(0, 1.02)
    axes.set_xlabel("epoch")
    if legend:
        axes.legend(loc="lower right", fontsize=8)


def _checker_line(row: Row) -> str:
    return f"static: {row.result.static.summary()}   runtime: {row.result.runtime.summary()}"


def plot_row(row: Row, path: Path) -> None:
    from matplotlib.figure import Figure

    # Fixed margins: a layout engine would double the time a figure takes.
    figure = Figure(figsize=(9, 3.6))
    figure.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.78, wspace=0.2)
    loss_axes, accuracy_axes = figure.subplots(1, 2)
    _band(loss_axes, [run.train_loss for run in row.result.runs], LOSS_COLOUR, "training loss")
    loss_axes.set_yscale("log")
    loss_axes.set_xlabel("epoch")
    loss_axes.set_title("training loss, as Keras reports it", fontsize=9)
    _accuracy_panel(accuracy_axes, row, legend=True)
    accuracy_axes.set_title("test accuracy", fontsize=9)
    figure.suptitle(
        f"#{row.number} {row.result.config.data_source}: {row.result.config.title}\n"
        f"{row.verdict.label}  |  {_checker_line(row)}",
        fontsize=9,
        color=VERDICT_COLOURS[row.verdict.ok],
    )
    figure.savefig(path, dpi=90)


def plot_overview(rows: list[Row], path: Path) -> None:
    from matplotlib.figure import Figure

    rows_needed = math.ceil(len(rows) / GRID_COLUMNS)
    figure = Figure(figsize=(4 * GRID_COLUMNS, 3.2 * rows_needed))
    figure.subplots_adjust(
        left=0.04, right=0.99, bottom=0.04, top=1 - 0.5 / rows_needed, hspace=0.75, wspace=0.18
    )
    grid = figure.subplots(rows_needed, GRID_COLUMNS, squeeze=False)
    for axes, row in zip(grid.flat, rows, strict=False):
        _accuracy_panel(axes, row, legend=row.number == 1)
        config = row.result.config
        axes.set_title(
            f"#{row.number} {config.data_source}: {config.head_source}\n"
            f"{config.loss_source}, {config.metric_source}\n"
            f"{row.verdict.label} | {row.result.static.summary()}",
            fontsize=7,
            color=VERDICT_COLOURS[row.verdict.ok],
        )
        for spine in axes.spines.values():
            spine.set_edgecolor(VERDICT_COLOURS[row.verdict.ok])
    for axes in list(grid.flat)[len(rows) :]:
        axes.set_visible(False)
    figure.suptitle(
        "True test accuracy (solid) and the accuracy Keras reports (dashed); green: trains "
        "well, red: trains badly or reports a wrong accuracy",
        fontsize=10,
    )
    figure.savefig(path, dpi=80)
