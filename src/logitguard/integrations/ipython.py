"""`%load_ext logitguard`: check a live IPython/Jupyter session cell by cell.

After each executed cell, the cells executed so far (in execution order, from the shell's
input history) are checked as one program, as `logitguard check` checks a notebook, and the
findings not shown before appear under that cell: as HTML in Jupyter, as text in a terminal.
While cells run, `autocheck` checks each Keras compile/fit and each PyTorch loss module's first
call on the live objects and shows what it finds at once. `%logitguard off|on|status`;
`%unload_ext logitguard` removes everything.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from logitguard.core.findings import UNREADABLE_CODE, Finding, Severity
from logitguard.integrations.autocheck import AutoCheck, autocheck
from logitguard.static.checker import load_module, project_roots
from logitguard.static.engine.project import Project
from logitguard.static.notebooks import CodeCell, check_cells

SESSION_PATH = "<ipython>"
MAGIC_NAME = "logitguard"
_COLOURS = {Severity.ERROR: "#c62828", Severity.WARNING: "#ef6c00", Severity.INFO: "#1565c0"}


def _finding_key(finding: Finding) -> tuple[Any, ...]:
    location = finding.location
    where = (location.cell, location.line) if location else (None, None)
    return (finding.code, finding.message, *where)


@dataclass
class SessionChecker:
    """The extension's state for one shell."""

    shell: Any
    enabled: bool = True
    shown: set[tuple[Any, ...]] = field(default_factory=set)
    # Codes the runtime check showed while the current cell ran: the static check of the same
    # cell does not repeat them.
    runtime_codes: set[str] = field(default_factory=set)
    runtime: AutoCheck | None = None

    def start(self) -> None:
        self.enabled = True
        self.runtime = autocheck("warn", reporter=self.show_runtime)

    def stop(self) -> None:
        self.enabled = False
        if self.runtime is not None:
            self.runtime.undo()
            self.runtime = None

    # -- IPython events -------------------------------------------------------------------

    def pre_run_cell(self, _info: Any) -> None:
        self.runtime_codes.clear()

    def post_run_cell(self, _result: Any) -> None:
        if not self.enabled:
            return
        try:
            findings = self.new_static_findings()
        except Exception as error:  # a bug of ours must not disturb the session
            print(f"logitguard: could not check the session ({type(error).__name__}: {error})")
            return
        if findings:
            _display(findings, source="static")

    def new_static_findings(self) -> list[Finding]:
        """Findings in the cells executed so far that were not shown yet; now marked shown."""
        cells = self.executed_cells()
        current = cells[-1].number if cells else None
        # The session's working folder is where its own modules are imported from.
        project = Project(load_module, project_roots([os.getcwd()]))
        found = check_cells(cells, SESSION_PATH, project)
        new = []
        for finding in found:
            key = _finding_key(finding)
            if finding.code == UNREADABLE_CODE or key in self.shown:
                continue  # IPython reports cells that do not parse itself
            self.shown.add(key)
            location = finding.location
            in_this_cell = location is not None and location.cell == current
            if in_this_cell and finding.code in self.runtime_codes:
                continue  # the live check just showed it
            new.append(finding)
        return new

    def executed_cells(self) -> list[CodeCell]:
        """The inputs so far; numbered as `In[n]` (its first entry is an empty placeholder)."""
        history = self.shell.history_manager.input_hist_raw
        return [CodeCell(number, source) for number, source in enumerate(history) if number]

    def show_runtime(self, findings: list[Finding], subject: str) -> None:
        self.runtime_codes.update(finding.code for finding in findings)
        _display(findings, source=f"live check of {subject}")

    # -- %logitguard ----------------------------------------------------------------------

    def magic(self, line: str) -> None:
        """%logitguard on|off|status: turn logitguard's checks of this session on or off."""
        command = line.strip().lower() or "status"
        if command == "on":
            self.start()
        elif command == "off":
            self.stop()
        elif command != "status":
            print("usage: %logitguard on|off|status")
            return
        print(self.status())

    def status(self) -> str:
        if not self.enabled:
            return "logitguard is off for this session (%logitguard on turns it back on)"
        return (
            f"logitguard is on: each cell is checked with the {len(self.executed_cells())} "
            f"executed so far ({len(self.shown)} finding(s) shown); Keras compile/fit and "
            "PyTorch losses are checked live"
        )


# -- Display ------------------------------------------------------------------------------


def _where(finding: Finding) -> str:
    location = finding.location
    if location is None or location.cell is None:
        return ""
    return f"In [{location.cell}], line {location.line}: "


def as_text(findings: Sequence[Finding], source: str) -> str:
    lines = [f"logitguard ({source}):"]
    for finding in findings:
        lines.append(
            f"  {_where(finding)}{finding.code} [{finding.severity.value}] {finding.message}"
        )
        lines.append(f"    fix: {finding.fix}")
    return "\n".join(lines)


def as_html(findings: Sequence[Finding], source: str) -> str:
    items = []
    for finding in findings:
        colour = _COLOURS[finding.severity]
        items.append(
            f'<div style="border-left:4px solid {colour};padding:2px 8px;margin:4px 0">'
            f'<span style="color:{colour};font-weight:bold">{finding.code}</span> '
            f"[{finding.severity.value}] {html.escape(_where(finding))}"
            f"{html.escape(finding.message)}"
            f"<details><summary>why, and how to fix it</summary>"
            f"<p>{html.escape(finding.why)}</p><p><b>Fix:</b> {html.escape(finding.fix)}</p>"
            f"</details></div>"
        )
    title = f"<b>logitguard</b> ({html.escape(source)})"
    return f'<div class="logitguard">{title}{"".join(items)}</div>'


def _display(findings: Sequence[Finding], source: str) -> None:
    from IPython.display import display

    bundle = {"text/plain": as_text(findings, source), "text/html": as_html(findings, source)}
    display(bundle, raw=True)


# -- Loading ------------------------------------------------------------------------------

_checkers: dict[int, SessionChecker] = {}


def load(shell: Any) -> None:
    if id(shell) in _checkers:
        return
    checker = SessionChecker(shell)
    _checkers[id(shell)] = checker
    shell.events.register("pre_run_cell", checker.pre_run_cell)
    shell.events.register("post_run_cell", checker.post_run_cell)
    shell.register_magic_function(checker.magic, magic_kind="line", magic_name=MAGIC_NAME)
    checker.start()


def unload(shell: Any) -> None:
    checker = _checkers.pop(id(shell), None)
    if checker is None:
        return
    checker.stop()
    shell.events.unregister("pre_run_cell", checker.pre_run_cell)
    shell.events.unregister("post_run_cell", checker.post_run_cell)
    shell.magics_manager.magics["line"].pop(MAGIC_NAME, None)
