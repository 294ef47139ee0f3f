"""`logitguard server`, started as a subprocess and driven over stdio by pygls' LSP client."""

from __future__ import annotations

import asyncio
import os
import sys
import textwrap
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="pygls comes with the test extras")

from lsprotocol import types
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parent.parent
WAIT_SECONDS = 60

BUGGY = textwrap.dedent(
    """\
    import keras

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy())
    """
)
FIXED = BUGGY.replace(
    "SparseCategoricalCrossentropy()", "SparseCategoricalCrossentropy(from_logits=True)"
)


class Session:
    """A client connected to a server subprocess, collecting published diagnostics."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.registrations: list[types.Registration] = []
        self.published: dict[str, list[list[types.Diagnostic]]] = defaultdict(list)
        self.arrived = asyncio.Condition()

    async def record(self, params: types.PublishDiagnosticsParams) -> None:
        async with self.arrived:
            self.published[params.uri].append(params.diagnostics)
            self.arrived.notify_all()

    async def wait_for(
        self, uri: str, count: int, check: Callable[[list[types.Diagnostic]], bool] = bool
    ) -> list[types.Diagnostic]:
        """The `count`-th publication for `uri` (1-based); it must satisfy `check`."""

        async def arrived() -> None:
            async with self.arrived:
                await self.arrived.wait_for(lambda: len(self.published[uri]) >= count)

        await asyncio.wait_for(arrived(), WAIT_SECONDS)
        diagnostics = self.published[uri][count - 1]
        assert check(diagnostics), diagnostics
        return diagnostics


@asynccontextmanager
async def server(root: Path) -> AsyncIterator[Session]:
    client = LanguageClient("logitguard-test", "1")
    session = Session(client)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    async def publish(params: types.PublishDiagnosticsParams) -> None:
        await session.record(params)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        session.registrations.extend(params.registrations)

    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    await client.start_io(sys.executable, "-m", "logitguard", "server", "--stdio", env=env)
    capabilities = types.ClientCapabilities(
        notebook_document=types.NotebookDocumentClientCapabilities(
            synchronization=types.NotebookDocumentSyncClientCapabilities()
        ),
        workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                dynamic_registration=True
            )
        ),
    )
    result = await asyncio.wait_for(
        client.initialize_async(
            types.InitializeParams(capabilities=capabilities, root_uri=root.as_uri())
        ),
        WAIT_SECONDS,
    )
    assert result.server_info is not None and result.server_info.name == "logitguard"
    assert result.capabilities.hover_provider
    assert result.capabilities.code_action_provider
    assert result.capabilities.notebook_document_sync is not None
    client.initialized(types.InitializedParams())
    try:
        yield session
    finally:
        await asyncio.wait_for(client.shutdown_async(None), WAIT_SECONDS)
        client.exit(None)
        await client.stop()


def open_document(client: LanguageClient, uri: str, text: str) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=1, text=text
            )
        )
    )


def replace_text(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def apply(text: str, edit: types.TextEdit) -> str:
    lines = text.splitlines(keepends=True)

    def offset(position: types.Position) -> int:
        return sum(len(line) for line in lines[: position.line]) + position.character

    return text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]


def codes(diagnostics: list[types.Diagnostic]) -> list[Any]:
    return [diagnostic.code for diagnostic in diagnostics]


def test_diagnostics_quick_fix_hover_and_clearing_over_stdio(tmp_path: Path) -> None:
    uri = (tmp_path / "train.py").as_uri()

    async def scenario() -> None:
        async with server(tmp_path) as session:
            client = session.client
            open_document(client, uri, BUGGY)
            [diagnostic] = await session.wait_for(uri, 1)
            assert diagnostic.code == "LG001" and diagnostic.source == "logitguard"
            assert diagnostic.severity == types.DiagnosticSeverity.Error
            assert diagnostic.message == (
                "SparseCategoricalCrossentropy() (from_logits=False by default) expects softmax "
                "probabilities but Dense(3) (no activation) emits raw logits: the model will "
                "barely learn"
            )
            assert diagnostic.range == types.Range(
                start=types.Position(line=3, character=37),
                end=types.Position(line=3, character=81),
            )

            hover = await client.text_document_hover_async(
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=types.Position(line=3, character=50),
                )
            )
            assert hover is not None
            assert hover.contents.value.startswith(
                "**LG001** `logits-into-probability-loss` (error)"
            )
            assert "**Why.**" in hover.contents.value

            actions = await client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=diagnostic.range,
                    context=types.CodeActionContext(diagnostics=[diagnostic]),
                )
            )
            quick_fixes = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
            assert [action.title for action in quick_fixes] == ["Fix LG001: set from_logits=True"]
            [edit] = quick_fixes[0].edit.changes[uri]
            assert edit.range.start == types.Position(line=3, character=0)
            assert edit.new_text == FIXED.splitlines(keepends=True)[3]
            assert apply(BUGGY, edit) == FIXED

            fix_all = await client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=types.Range(
                        start=types.Position(line=0, character=0),
                        end=types.Position(line=4, character=0),
                    ),
                    context=types.CodeActionContext(diagnostics=[], only=["source.fixAll"]),
                )
            )
            assert [action.kind for action in fix_all] == ["source.fixAll.logitguard"]
            assert apply(BUGGY, fix_all[0].edit.changes[uri][0]) == FIXED

            replace_text(client, uri, 2, FIXED)
            await session.wait_for(uri, 2, check=lambda diagnostics: len(diagnostics) == 0)

    asyncio.run(scenario())


def test_notebook_cells_and_other_documents_are_rechecked(tmp_path: Path) -> None:
    notebook_uri = (tmp_path / "explore.ipynb").as_uri()
    cell_uris = [f"{notebook_uri}#cell{index}" for index in range(3)]
    cells = [
        "%matplotlib inline\nimport keras",
        "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])",
        'model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")',
    ]
    other_uri = (tmp_path / "other.py").as_uri()

    async def scenario() -> None:
        async with server(tmp_path) as session:
            client = session.client
            client.notebook_document_did_open(
                types.DidOpenNotebookDocumentParams(
                    notebook_document=types.NotebookDocument(
                        uri=notebook_uri,
                        notebook_type="jupyter-notebook",
                        version=1,
                        cells=[
                            types.NotebookCell(kind=types.NotebookCellKind.Code, document=uri)
                            for uri in cell_uris
                        ],
                    ),
                    cell_text_documents=[
                        types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
                        for uri, text in zip(cell_uris, cells, strict=True)
                    ],
                )
            )
            [diagnostic] = await session.wait_for(cell_uris[2], 1)
            assert diagnostic.code == "LG001"
            assert diagnostic.range.start.line == 0
            assert not session.published[cell_uris[0]] and not session.published[cell_uris[1]]

            actions = await client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=cell_uris[2]),
                    range=diagnostic.range,
                    context=types.CodeActionContext(diagnostics=[diagnostic]),
                )
            )
            [edit] = actions[0].edit.changes[cell_uris[2]]
            assert apply(cells[2], edit) == cells[2].replace(
                '"sparse_categorical_crossentropy"',
                "keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
            )

            # A change to another file re-checks every open document.
            open_document(client, other_uri, FIXED)
            await session.wait_for(cell_uris[2], 2, check=lambda found: codes(found) == ["LG001"])

            # So does a change on disk, which the server asked the client to watch.
            [registration] = session.registrations
            assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
            globs = [w["globPattern"] for w in registration.register_options["watchers"]]
            assert globs == ["**/*.py", "**/*.ipynb", "**/pyproject.toml"]
            client.workspace_did_change_watched_files(
                types.DidChangeWatchedFilesParams(
                    changes=[
                        types.FileEvent(
                            uri=(tmp_path / "model.py").as_uri(), type=types.FileChangeType.Changed
                        )
                    ]
                )
            )
            await session.wait_for(cell_uris[2], 3, check=lambda found: codes(found) == ["LG001"])

    asyncio.run(scenario())


def test_findings_across_files_follow_the_other_file(tmp_path: Path) -> None:
    """The head in model.py (on disk, then open and edited), the loss in train.py."""
    logits_builder = textwrap.dedent(
        """\
        import keras

        def build():
            return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
        """
    )
    (tmp_path / "model.py").write_text(logits_builder, encoding="utf-8")
    train = textwrap.dedent(
        """\
        from model import build

        model = build()
        model.compile(loss="sparse_categorical_crossentropy")
        """
    )
    train_uri, model_uri = (tmp_path / "train.py").as_uri(), (tmp_path / "model.py").as_uri()

    async def scenario() -> None:
        async with server(tmp_path) as session:
            client = session.client
            open_document(client, train_uri, train)
            [diagnostic] = await session.wait_for(train_uri, 1)
            assert diagnostic.code == "LG001" and diagnostic.range.start.line == 3
            # The model file, opened and given a softmax in the editor (not saved), is what
            # the training script is judged against.
            open_document(client, model_uri, logits_builder)
            softmax = logits_builder.replace("Dense(3)", 'Dense(3, activation="softmax")')
            replace_text(client, model_uri, 2, softmax)
            await session.wait_for(train_uri, 3, check=lambda found: not found)

    asyncio.run(scenario())
