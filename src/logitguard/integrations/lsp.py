"""`logitguard server`: a Language Server on stdio (pygls), for any editor with an LSP client.

- Diagnostics for open `.py` documents and notebook documents (`notebookDocument/*` sync: the
  code cells are checked as one program, each finding is published on its cell), on open,
  change, save and close. Every open document is checked again whenever any document or
  watched file (`.py`, `.ipynb`, `pyproject.toml`, registered with clients that allow it)
  changes, so findings that depend on other files stay current.
- Code actions: the safe fix of a finding as a quick fix (computed with the libcst fixer on the
  document's current text), and "fix all" for a file.
- Hover over a finding: the rule's explanation and fix.

Codes are filtered by the `[tool.logitguard]` table of the document's pyproject.toml.
LG000 (a document that does not parse, which happens at every other keystroke) is not shown.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition

from logitguard import __version__
from logitguard.config import Config, ConfigError, load_config
from logitguard.core.facts import Edit, Location
from logitguard.core.findings import UNREADABLE_CODE, Finding, Severity
from logitguard.fixer import apply_edits, fix_cell
from logitguard.rules import get_rule
from logitguard.static.checker import (
    Unparsable,
    check_source,
    load_module,
    parse,
    project_roots,
)
from logitguard.static.engine.module import ParsedModule
from logitguard.static.engine.project import Project
from logitguard.static.ipython_cells import TransformedCell, transform_cell
from logitguard.static.notebooks import CodeCell, check_cells

SOURCE = "logitguard"
FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.logitguard"
# Files whose changes on disk can change the findings of open documents.
WATCHED_FILES = ("**/*.py", "**/*.ipynb", "**/pyproject.toml")
_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


@dataclass(frozen=True)
class Reported:
    """A finding as published in one text document (a file, or a notebook cell)."""

    finding: Finding
    diagnostic: types.Diagnostic
    source: str  # the document's text when it was checked
    # For a notebook cell: its code as IPython runs it, which edits apply to.
    cell: TransformedCell | None = None

    def fixed_source(self, edits: Iterable[Edit | None] | None = None) -> str | None:
        """The text with this finding's edit (or `edits`) applied; None when none applies."""
        wanted = [self.finding.edit] if edits is None else list(edits)
        if self.cell is not None:
            return fix_cell(self.source, [edit for edit in wanted if edit is not None])
        outcome = apply_edits(self.source, [edit for edit in wanted if edit is not None])
        return outcome.source if outcome.applied else None


class LogitguardServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            SOURCE,
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            notebook_document_sync=types.NotebookDocumentSyncOptions(
                notebook_selector=[
                    types.NotebookDocumentFilterWithCells(
                        cells=[types.NotebookCellLanguage(language="python")], notebook="*"
                    )
                ],
                save=True,
            ),
        )
        # Text document URI -> what is published there.
        self.reported: dict[str, list[Reported]] = {}

    # -- Checking -------------------------------------------------------------------------

    def check_open_documents(self) -> None:
        """Check every open file and notebook as one project, with the files they import as
        the editor has them; publish (and clear what no longer applies). A finding goes to
        the file it points at: a loss defined in a file that is not open gets its diagnostic
        there."""
        workspace = self.workspace
        project = self._project()
        published: dict[str, list[Reported]] = {}
        seen: set[Finding] = set()
        for uri, document in list(workspace.text_documents.items()):
            if workspace.get_notebook_document(cell_uri=uri) is None and _is_python(
                uri, document.language_id
            ):
                published.setdefault(uri, [])
                path = _path(uri)
                for finding in _reportable(check_source(document.source, path, project), path):
                    if finding not in seen:
                        seen.add(finding)
                        self._publish_at(finding, uri, path, document.source, published)
        for notebook_uri, notebook in list(workspace.notebook_documents.items()):
            published.update(self._check_notebook(notebook_uri, notebook, project))
        for uri in self.reported.keys() - published.keys():
            published.setdefault(uri, [])
        for uri, reported in published.items():
            if reported or self.reported.get(uri):
                self.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(
                        uri=uri, diagnostics=[item.diagnostic for item in reported]
                    )
                )
        self.reported = {uri: reported for uri, reported in published.items() if reported}

    def _project(self) -> Project:
        """The workspace's files, read from the editor where they are open, else from disk."""
        open_texts = {
            _path(uri): document.source
            for uri, document in list(self.workspace.text_documents.items())
            if _is_python(uri, document.language_id)
        }

        def load(path: str) -> ParsedModule | None:
            source = open_texts.get(path)
            if source is None:
                return load_module(path)
            try:
                return ParsedModule(source=source, path=path, tree=parse(source, path))
            except (Unparsable, RecursionError, MemoryError):
                return None

        root = self.workspace.root_path
        return Project(load, project_roots([root] if root else []))

    def _publish_at(
        self,
        finding: Finding,
        uri: str,
        path: str,
        source: str,
        published: dict[str, list[Reported]],
    ) -> None:
        """Add a finding to the diagnostics of the file it points at (this one, or another)."""
        target = finding.location.path if finding.location else path
        if target != path:
            uri, source = from_fs_path(target) or target, self._text_of(target)
            if source is None:
                return
        published.setdefault(uri, []).append(_reported(finding, source, self._codec()))

    def _text_of(self, path: str) -> str | None:
        uri = from_fs_path(path)
        document = self.workspace.text_documents.get(uri) if uri else None
        if document is not None:
            return document.source
        try:
            return Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def _check_notebook(
        self, notebook_uri: str, notebook: types.NotebookDocument, project: Project
    ) -> dict[str, list[Reported]]:
        cell_uris = [
            cell.document for cell in notebook.cells if cell.kind == types.NotebookCellKind.Code
        ]
        sources = [self.workspace.get_text_document(uri).source for uri in cell_uris]
        cells = [CodeCell(number, source) for number, source in enumerate(sources, start=1)]
        path = _path(notebook_uri)
        published: dict[str, list[Reported]] = {uri: [] for uri in cell_uris}
        for finding in _reportable(check_cells(cells, path, project), path):
            location = finding.location
            if location is None or location.cell is None:
                continue
            index = location.cell - 1
            source = sources[index]
            published[cell_uris[index]].append(
                _reported(finding, source, self._codec(), transform_cell(source))
            )
        return published

    def _codec(self) -> PositionCodec:
        return self.workspace.position_codec

    # -- Requests -------------------------------------------------------------------------

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        reported = self.reported.get(uri, [])
        only = params.context.only
        actions = []
        for item in reported if _wants(only, types.CodeActionKind.QuickFix) else []:
            if item.finding.edit is None or not _overlaps(item.diagnostic.range, params.range):
                continue
            fixed = item.fixed_source()
            if fixed is None:
                continue
            actions.append(
                types.CodeAction(
                    title=f"Fix {item.finding.code}: {_fix_title(item.finding)}",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[item.diagnostic],
                    is_preferred=True,
                    edit=_workspace_edit(uri, item.source, fixed, self._codec()),
                )
            )
        fixable = [item for item in reported if item.finding.edit is not None]
        if fixable and _wants(only, FIX_ALL_KIND):
            fixed = fixable[0].fixed_source(item.finding.edit for item in fixable)
            if fixed is not None and fixed != fixable[0].source:
                actions.append(
                    types.CodeAction(
                        title="Fix all logitguard findings with a safe fix",
                        kind=FIX_ALL_KIND,
                        edit=_workspace_edit(uri, fixable[0].source, fixed, self._codec()),
                    )
                )
        return actions

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        position = params.position
        for item in self.reported.get(params.text_document.uri, []):
            if _contains(item.diagnostic.range, position):
                return types.Hover(
                    contents=types.MarkupContent(
                        kind=types.MarkupKind.Markdown, value=explanation(item.finding)
                    ),
                    range=item.diagnostic.range,
                )
        return None


def explanation(finding: Finding) -> str:
    rule = get_rule(finding.code)
    name = rule.name if rule else finding.name
    return "\n\n".join(
        [
            f"**{finding.code}** `{name}` ({finding.severity.value})",
            finding.message,
            f"**Why.** {finding.why}",
            f"**Fix.** {finding.fix}",
            f"`logitguard explain {finding.code}` shows a flagged and a clean example.",
        ]
    )


def _fix_title(finding: Finding) -> str:
    edit = finding.edit
    assert edit is not None
    if edit.keyword is not None:
        return f"set {edit.keyword}={edit.replacement}"
    return f"use {edit.replacement}"


# -- Positions ----------------------------------------------------------------------------


def _lines(source: str) -> list[str]:
    return source.splitlines(keepends=True) or [""]


def _client_position(
    lines: Sequence[str], codec: PositionCodec, line: int, byte_col: int
) -> types.Position:
    """An `ast` position (1-based line, UTF-8 byte column) in the client's units."""
    index = min(max(line - 1, 0), len(lines) - 1)
    text = lines[index].rstrip("\r\n")
    characters = len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))
    return codec.position_to_client_units(lines, ServerTextPosition(index, characters))


def _diagnostic_range(source: str, location: Location, codec: PositionCodec) -> types.Range:
    lines = _lines(source)
    start = _client_position(lines, codec, location.line, location.col)
    if location.end_line is not None and location.end_col is not None:
        end = _client_position(lines, codec, location.end_line, location.end_col)
    else:  # to the end of the line
        end = _client_position(lines, codec, location.line, sys.maxsize)
    return types.Range(start=start, end=end)


def _offset_position(source: str, offset: int, codec: PositionCodec) -> types.Position:
    line = source.count("\n", 0, offset)
    line_start = source.rfind("\n", 0, offset) + 1
    return codec.position_to_client_units(
        _lines(source), ServerTextPosition(line, offset - line_start)
    )


def _workspace_edit(uri: str, before: str, after: str, codec: PositionCodec) -> types.WorkspaceEdit:
    """One text edit replacing only the lines that differ between `before` and `after`."""
    old_lines, new_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    same_start = _common_prefix(old_lines, new_lines)
    same_end = _common_prefix(old_lines[same_start:][::-1], new_lines[same_start:][::-1])
    start = sum(len(line) for line in old_lines[:same_start])
    end = len(before) - sum(len(line) for line in old_lines[len(old_lines) - same_end :])
    edit = types.TextEdit(
        range=types.Range(
            start=_offset_position(before, start, codec),
            end=_offset_position(before, end, codec),
        ),
        new_text="".join(new_lines[same_start : len(new_lines) - same_end]),
    )
    return types.WorkspaceEdit(changes={uri: [edit]})


def _common_prefix(a: Sequence[str], b: Sequence[str]) -> int:
    pairs = zip(a, b, strict=False)  # up to the shorter one
    return next((i for i, (x, y) in enumerate(pairs) if x != y), min(len(a), len(b)))


def _key(position: types.Position) -> tuple[int, int]:
    return (position.line, position.character)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    return _key(a.start) <= _key(b.end) and _key(b.start) <= _key(a.end)


def _contains(span: types.Range, position: types.Position) -> bool:
    return _key(span.start) <= _key(position) <= _key(span.end)


# -- Documents ----------------------------------------------------------------------------


def _path(uri: str) -> str:
    return to_fs_path(uri) or uri


def _is_python(uri: str, language_id: str | None) -> bool:
    return language_id == "python" or uri.endswith((".py", ".pyi"))


def _config_for(path: str) -> Config:
    try:
        return load_config([path]) if Path(path).is_absolute() else Config()
    except ConfigError:
        return Config()


def _reportable(findings: Iterable[Finding], path: str) -> list[Finding]:
    config = _config_for(path)
    return [f for f in findings if f.code != UNREADABLE_CODE and config.reports(f.code)]


def _reported(
    finding: Finding, source: str, codec: PositionCodec, cell: TransformedCell | None = None
) -> Reported:
    location = finding.location or Location(path="", line=1)
    diagnostic = types.Diagnostic(
        range=_diagnostic_range(source, location, codec),
        message=finding.message,
        severity=_SEVERITIES[finding.severity],
        code=finding.code,
        source=SOURCE,
    )
    return Reported(finding, diagnostic, source, cell)


def _wants(only: Sequence[str] | None, kind: str) -> bool:
    """Whether the client asked for actions of `kind` (all kinds when it names none)."""
    return only is None or any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)


# -- The server ---------------------------------------------------------------------------


def create_server() -> LogitguardServer:
    server = LogitguardServer()

    def recheck(ls: LogitguardServer, _params: object) -> None:
        ls.check_open_documents()

    for method in (
        types.TEXT_DOCUMENT_DID_OPEN,
        types.TEXT_DOCUMENT_DID_CHANGE,
        types.TEXT_DOCUMENT_DID_SAVE,
        types.TEXT_DOCUMENT_DID_CLOSE,
        types.NOTEBOOK_DOCUMENT_DID_OPEN,
        types.NOTEBOOK_DOCUMENT_DID_CHANGE,
        types.NOTEBOOK_DOCUMENT_DID_SAVE,
        types.NOTEBOOK_DOCUMENT_DID_CLOSE,
        types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
    ):
        server.feature(method)(recheck)

    @server.feature(types.INITIALIZED)
    def watch_files(ls: LogitguardServer, _params: types.InitializedParams) -> None:
        # Only a client that accepts dynamic registration sends didChangeWatchedFiles.
        dynamic = "workspace.did_change_watched_files.dynamic_registration"
        if get_capability(ls.client_capabilities, dynamic, False):
            watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED_FILES]
            registration = types.Registration(
                id="logitguard-watched-files",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers),
            )
            ls.client_register_capability(types.RegistrationParams([registration]))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    def code_action(ls: LogitguardServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: LogitguardServer, params: types.HoverParams) -> types.Hover | None:
        return ls.hover(params)

    return server


def serve() -> None:
    """Run the server on stdin/stdout until the client exits."""
    create_server().start_io()
