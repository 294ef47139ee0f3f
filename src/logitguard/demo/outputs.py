"""The files a demo run writes: results.json, results.csv, report.md and report.html."""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path

from logitguard.demo.results import CheckOutcome
from logitguard.demo.summary import DemoRun, Row
from logitguard.demo.verdict import REPORTED_LOSS_TOLERANCE, WELL_TRAINED_SHARE

CURVES_DIR = "curves"
SOURCES_DIR = "sources"
OVERVIEW = "overview.png"

COLUMNS = (
    "#",
    "data set",
    "head",
    "loss",
    "metric",
    "train loss",
    "reported acc.",
    "true acc.",
    "test cross-entropy",
    "reported test loss",
    "verdict",
    "static",
    "runtime",
)


def curve_path(row: Row) -> str:
    return f"{CURVES_DIR}/{row.result.config.slug}.png"


def source_path(row: Row) -> str:
    return f"{SOURCES_DIR}/{row.result.config.slug}.py"


def cells(row: Row) -> tuple[str, ...]:
    config, result = row.result.config, row.result
    return (
        str(row.number),
        config.data_source,
        config.head_source,
        config.loss_source,
        config.metric_source,
        result.train_loss.format(),
        result.reported_accuracy.format(),
        result.true_accuracy.format(),
        result.true_log_loss.format(),
        result.reported_log_loss.format(),
        row.verdict.label,
        result.static.summary(),
        result.runtime.summary(),
    )


def settings_lines(run: DemoRun) -> list[str]:
    datasets = ", ".join(
        f"{data.benchmark.dataset} ({data.n_train} train / {data.benchmark.test_size} test, "
        f"{data.epochs} epochs, Dense({data.hidden_units}, relu) MLP)"
        for data in run.datasets
    )
    versions = ", ".join(f"{name} {version}" for name, version in run.versions.items())
    return [
        f"Data: {datasets}.",
        f"Optimizer {run.optimizer}, batch size {run.batch_size}, seeds "
        f"{', '.join(map(str, run.seeds))} (mean ± standard deviation over seeds).",
        f"Keras backend: {run.backend}. Device: {run.device}. Versions: {versions}. "
        f"Wall time: {run.wall_seconds:.0f} s.",
    ]


LEGEND = (
    "*true acc.*: test accuracy computed from the model's outputs with the decision rule of "
    "what its head really emits (argmax; for one unit, 0.5 on a sigmoid, 0 on logits). "
    "*reported acc.*: what the compiled metric says on the same test set (the call "
    "model.evaluate makes). *test cross-entropy*: of the probabilities the head implies "
    "(softmax or sigmoid of logits). *reported test loss*: what the compiled loss computes on "
    "the same outputs. *verdict*: a configuration trains well when it keeps at "
    f"least {WELL_TRAINED_SHARE:.0%} of the best configuration's gain over chance, in test "
    "accuracy and in test cross-entropy; it reports a wrong accuracy when the compiled metric "
    "differs from the true accuracy at any epoch, a wrong loss when the compiled loss is more "
    f"than {REPORTED_LOSS_TOLERANCE:.0%} off the test cross-entropy. *static*: codes from "
    "`logitguard check` on the equivalent Keras script; *runtime*: codes from "
    "`logitguard.inspect(model, x, y)` on the compiled model before training."
)


_MEASURES = (
    "train_loss",
    "reported_accuracy",
    "true_accuracy",
    "true_log_loss",
    "reported_log_loss",
)


def write_json(run: DemoRun, path: Path) -> None:
    path.write_text(json.dumps(run.to_dict(), indent=2, default=str) + "\n", encoding="utf-8")


def write_csv(run: DemoRun, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "number",
                "slug",
                "dataset",
                "labels",
                "head",
                "loss",
                "metric",
                *(f"{name}_{stat}" for name in _MEASURES for stat in ("mean", "std")),
                "verdict",
                "static_codes",
                "runtime_codes",
            ]
        )
        for row in run.rows:
            result = row.result
            writer.writerow(
                [
                    row.number,
                    result.config.slug,
                    result.config.dataset,
                    result.config.labels,
                    result.config.head_source,
                    result.config.loss_source,
                    result.config.metric_source,
                    *(
                        f"{value:.4f}"
                        for name in _MEASURES
                        for value in (getattr(result, name).mean, getattr(result, name).std)
                    ),
                    row.verdict.label,
                    _codes(result.static),
                    _codes(result.runtime),
                ]
            )


def _codes(outcome: CheckOutcome) -> str:
    return " ".join(outcome.codes()) if outcome.status == "ok" else outcome.status


def markdown_table(run: DemoRun) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += [
        "| " + " | ".join(_markdown_cell(cell) for cell in cells(row)) + " |" for row in run.rows
    ]
    return "\n".join(lines)


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|")


def write_markdown(run: DemoRun, path: Path) -> None:
    parts = ["# logitguard demo", "", *settings_lines(run), ""]
    parts += [f"> {note}" for note in run.notes]
    parts += ["", "## Results", "", markdown_table(run), "", LEGEND, ""]
    parts += [run.agreement("static"), "", run.agreement("runtime"), ""]
    parts += [f"![overview of all configurations]({OVERVIEW})", "", "## Configurations", ""]
    for row in run.rows:
        text = "<br><br>".join(_markdown_cell(paragraph) for paragraph in row.explanation)
        parts += [
            f"### #{row.number} {row.result.config.data_source}: {row.result.config.title}",
            "",
            "| why | training curves |",
            "|---|---|",
            f"| {text}<br><br>Script: [{source_path(row)}]({source_path(row)}) "
            f"| ![curves]({curve_path(row)}) |",
            "",
        ]
    path.write_text("\n".join(parts), encoding="utf-8")


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
tr.good td.verdict { color: #1a7f37; } tr.bad td.verdict { color: #c62828; font-weight: bold; }
section.config { display: flex; gap: 1.5em; align-items: flex-start; margin: 1.5em 0;
  border-top: 1px solid #ddd; padding-top: 1em; }
section.config div.text { flex: 1; min-width: 22em; font-size: 0.9em; }
section.config img { width: 55%; max-width: 810px; }
.note { background: #fff4e5; padding: 0.5em 1em; }
code { font-size: 0.9em; }
"""


def _html_table(run: DemoRun) -> str:
    header = "".join(f"<th>{html.escape(column)}</th>" for column in COLUMNS)
    body = []
    for row in run.rows:
        row_cells = cells(row)
        tds = [
            f'<td class="verdict">{html.escape(cell)}</td>'
            if column == "verdict"
            else f'<td><a href="#config-{row.number}">{html.escape(cell)}</a></td>'
            if column == "#"
            else f"<td>{html.escape(cell)}</td>"
            for column, cell in zip(COLUMNS, row_cells, strict=True)
        ]
        css = "good" if row.verdict.ok else "bad"
        body.append(f'<tr class="{css}">' + "".join(tds) + "</tr>")
    return f"<table><tr>{header}</tr>\n" + "\n".join(body) + "\n</table>"


def _html_section(row: Row) -> str:
    paragraphs = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in row.explanation)
    return (
        f'<section class="config" id="config-{row.number}"><div class="text">'
        f"<h3>#{row.number} {html.escape(row.result.config.data_source)}: "
        f"<code>{html.escape(row.result.config.title)}</code></h3>{paragraphs}"
        f'<p>Script: <a href="{source_path(row)}">{source_path(row)}</a></p></div>'
        f'<img src="{curve_path(row)}" alt="training curves of configuration {row.number}">'
        "</section>"
    )


def write_html(run: DemoRun, path: Path) -> None:
    notes = "".join(f'<p class="note">{html.escape(note)}</p>' for note in run.notes)
    settings = "".join(f"<p>{html.escape(line)}</p>" for line in settings_lines(run))
    legend = html.escape(LEGEND.replace("*", "").replace("`", ""))
    agreement = "".join(
        f"<p><strong>{html.escape(run.agreement(checker))}</strong></p>"
        for checker in ("static", "runtime")
    )
    sections = "\n".join(_html_section(row) for row in run.rows)
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>logitguard demo</title><style>{_STYLE}</style></head><body>"
        f"<h1>logitguard demo</h1>{settings}{notes}<h2>Results</h2>{_html_table(run)}"
        f"<p>{legend}</p>{agreement}"
        f'<img src="{OVERVIEW}" alt="overview of all configurations" style="max-width:100%">'
        f"<h2>Configurations</h2>\n{sections}\n</body></html>\n"
    )
    path.write_text(page, encoding="utf-8")
