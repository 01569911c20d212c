"""The language server, driven over stdio by a real LSP client (pytest-lsp, built on pygls)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")  # part of the test extra; CI installs it
from lsprotocol import types as lsp  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

pytestmark = pytest.mark.asyncio
SRC = str(Path(__file__).resolve().parents[1] / "src")
SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "detlint", "server"],
    server_env={**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")},
)
PITFALL = """\
import pandas as pd
from sklearn.model_selection import train_test_split

df = pd.read_csv("data.csv")
train, test = train_test_split(df, test_size=0.2)
"""
SEEDED = PITFALL.replace("test_size=0.2)", "test_size=0.2, random_state=42)")


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=tmp_path.as_uri()))
    lsp_client.project = tmp_path  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, name: str, text: str, version: int = 1) -> str:
    uri = (client.project / name).as_uri()  # type: ignore[attr-defined]
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=uri, language_id="python", version=version, text=text)))
    await _diagnostics_for(client, uri)
    return uri


async def _diagnostics_for(client: LanguageClient, uri: str, timeout: float = 60) -> list[lsp.Diagnostic]:
    async def wait() -> None:
        while uri not in client.diagnostics:
            await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    await asyncio.wait_for(wait(), timeout)
    return list(client.diagnostics[uri])


def _apply(text: str, edits: list[lsp.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 positions) to a text, last first."""
    lines = text.splitlines(keepends=True) + [""]

    def offset(position: lsp.Position) -> int:
        before = sum(len(line) for line in lines[:position.line])
        line = lines[position.line]
        units, chars = 0, 0
        while units < position.character and chars < len(line):
            units += len(line[chars].encode("utf-16-le")) // 2
            chars += 1
        return before + chars

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


async def test_open_reports_the_pitfall_with_its_exact_range(client: LanguageClient) -> None:
    uri = await _open(client, "train.py", PITFALL)
    [diagnostic] = client.diagnostics[uri]
    assert diagnostic.code == "DET101"
    assert diagnostic.source == "detlint"
    assert diagnostic.severity == lsp.DiagnosticSeverity.Error
    assert diagnostic.code_description is not None and diagnostic.code_description.href.endswith("DET101.md")
    assert (diagnostic.range.start.line, diagnostic.range.start.character) == (4, 14)
    assert (diagnostic.range.end.line, diagnostic.range.end.character) == (4, 49)


async def test_columns_are_utf16_code_units(client: LanguageClient) -> None:
    # An emoji before the call is one character but two UTF-16 code units.
    text = PITFALL.replace("train, test = ", "train, test = ('😀', ")[:-1] + ")[1]\n"
    uri = await _open(client, "emoji.py", text)
    [diagnostic] = client.diagnostics[uri]
    assert diagnostic.range.start.character == len("train, test = ('😀', ".encode("utf-16-le")) // 2


async def test_quick_fix_and_change_clear_the_diagnostic(client: LanguageClient) -> None:
    uri = await _open(client, "train.py", PITFALL)
    [diagnostic] = client.diagnostics[uri]
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=lsp.CodeActionContext(diagnostics=[diagnostic])))
    titles = [a.title for a in actions]
    fix = next(a for a in actions if a.kind == lsp.CodeActionKind.QuickFix and a.is_preferred)
    assert "DET101" in fix.title and "unsafe" not in fix.title
    assert "Suppress DET101 on this line" in titles
    fixed = _apply(PITFALL, fix.edit.changes[uri])
    assert fixed == SEEDED
    del client.diagnostics[uri]
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=fixed)]))
    assert await _diagnostics_for(client, uri) == []


async def test_suppress_action_adds_noqa(client: LanguageClient) -> None:
    text = PITFALL.replace("test_size=0.2)", "test_size=0.2)  # noqa: DET999")
    uri = await _open(client, "train.py", text)
    [diagnostic] = client.diagnostics[uri]
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=lsp.CodeActionContext(diagnostics=[diagnostic])))
    suppress = next(a for a in actions if a.title == "Suppress DET101 on this line")
    assert _apply(text, suppress.edit.changes[uri]).splitlines()[4] == \
        "train, test = train_test_split(df, test_size=0.2)  # noqa: DET999, DET101"


async def test_fix_all_source_action(client: LanguageClient) -> None:
    uri = await _open(client, "train.py", PITFALL + "a, b = train_test_split(df)\n")
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
        context=lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.SourceFixAll])))
    [fix_all] = actions
    assert fix_all.title == "Fix all safe detlint findings"
    assert _apply(PITFALL + "a, b = train_test_split(df)\n", fix_all.edit.changes[uri]) == \
        SEEDED + "a, b = train_test_split(df, random_state=42)\n"


async def test_hover_shows_the_rule_summary(client: LanguageClient) -> None:
    uri = await _open(client, "train.py", PITFALL)
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=4, character=20)))
    assert hover is not None
    assert "DET101 unseeded-split" in hover.contents.value
    assert "detlint explain DET101" in hover.contents.value
    nothing = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=0, character=0)))
    assert nothing is None


async def test_configuration_from_the_nearest_pyproject(client: LanguageClient) -> None:
    sub = client.project / "sub"  # type: ignore[attr-defined]
    sub.mkdir()
    (sub / "pyproject.toml").write_text("[tool.detlint]\nignore = ['DET101']\n")
    uri = await _open(client, "sub/train.py", PITFALL)
    assert list(client.diagnostics[uri]) == []


async def test_cross_module_rule_sees_other_files_on_disk(client: LanguageClient) -> None:
    project = client.project  # type: ignore[attr-defined]
    (project / "layers.py").write_text(
        "import keras\n\nclass Scale(keras.layers.Layer):\n    def call(self, x):\n        return x * 2\n")
    (project / "train.py").write_text(
        "import keras\nfrom layers import Scale\n\nmodel = keras.Sequential([Scale()])\n"
        "model.save('model.keras')\n")
    uri = await _open(client, "serve.py", "import keras\n\nmodel = keras.models.load_model('model.keras')\n")
    assert [(d.code, d.range.start.line, d.range.start.character) for d in client.diagnostics[uri]] == \
        [("DET302", 2, 8)]


async def test_notebook_cells_get_their_own_diagnostics(client: LanguageClient) -> None:
    project = client.project  # type: ignore[attr-defined]
    notebook_uri = (project / "explore.ipynb").as_uri()
    cells = ["import pandas as pd\nfrom sklearn.model_selection import train_test_split",
             "# Split", "df = pd.read_csv('d.csv')\ntrain, test = train_test_split(df)"]
    kinds = [lsp.NotebookCellKind.Code, lsp.NotebookCellKind.Markup, lsp.NotebookCellKind.Code]
    cell_uris = [f"vscode-notebook-cell:{project / 'explore.ipynb'}#cell{i}" for i in range(3)]
    client.notebook_document_did_open(lsp.DidOpenNotebookDocumentParams(
        notebook_document=lsp.NotebookDocument(uri=notebook_uri, notebook_type="jupyter-notebook", version=1,
                                               cells=[lsp.NotebookCell(kind=k, document=u)
                                                      for k, u in zip(kinds, cell_uris)]),
        cell_text_documents=[lsp.TextDocumentItem(uri=u, language_id="python" if k == 2 else "markdown",
                                                  version=1, text=t)
                             for u, k, t in zip(cell_uris, kinds, cells)]))
    diagnostics = await _diagnostics_for(client, cell_uris[2])
    assert [(d.code, d.range.start.line, d.range.start.character) for d in diagnostics] == [("DET101", 1, 14)]
    assert await _diagnostics_for(client, cell_uris[0]) == []


async def test_unparsable_file_and_bad_request_do_not_kill_the_server(client: LanguageClient) -> None:
    uri = await _open(client, "broken.py", "def f(:\n")
    [diagnostic] = client.diagnostics[uri]
    assert diagnostic.code == "DET000"
    for body in (b"{not json", b'{"jsonrpc": "2.0", "id": 991, "method": "textDocument/hover", "params": {"x": 5}}',
                 b'{"jsonrpc": "2.0", "id": 992, "method": "textDocument/codeAction", "params": null}'):
        client.protocol.writer.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    await asyncio.sleep(1)
    assert client.error is None
    uri = await _open(client, "train.py", PITFALL)
    assert [d.code for d in client.diagnostics[uri]] == ["DET101"]


async def test_configuration_change_is_picked_up(client: LanguageClient) -> None:
    uri = await _open(client, "train.py", PITFALL)
    assert [d.code for d in client.diagnostics[uri]] == ["DET101"]
    pyproject = client.project / "pyproject.toml"  # type: ignore[attr-defined]
    pyproject.write_text("[project]\nname = 'demo'\n\n[tool.detlint]\nignore = ['DET101']\n")
    del client.diagnostics[uri]
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
        lsp.FileEvent(uri=pyproject.as_uri(), type=lsp.FileChangeType.Changed)]))
    assert await _diagnostics_for(client, uri) == []


async def test_cross_module_rule_sees_unsaved_buffers(client: LanguageClient) -> None:
    project = client.project  # type: ignore[attr-defined]
    registered = ("import keras\n\n@keras.saving.register_keras_serializable()\nclass Scale(keras.layers.Layer):\n"
                  "    def call(self, x):\n        return x * 2\n")
    (project / "layers.py").write_text(registered)
    (project / "train.py").write_text(
        "import keras\nfrom layers import Scale\n\nmodel = keras.Sequential([Scale()])\n"
        "model.save('model.keras')\n")
    serve = "import keras\n\nmodel = keras.models.load_model('model.keras')\n"
    uri = await _open(client, "serve.py", serve)
    assert list(client.diagnostics[uri]) == []  # the layer is registered on disk
    # the editor removes the registration without saving: the open buffer is what counts
    await _open(client, "layers.py", registered.replace("@keras.saving.register_keras_serializable()\n", ""))
    del client.diagnostics[uri]
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=serve)]))
    assert [(d.code, d.range.start.line) for d in await _diagnostics_for(client, uri)] == [("DET302", 2)]
