"""``detlint server``: a Language Server Protocol server over stdio (needs ``detlint[lsp]``).

Diagnostics for open Python files and notebooks (on open, debounced change and save), quick
fixes, "fix all", "suppress on this line" and hover. Every lint goes through the same API as
the command line (configuration from the document's nearest ``pyproject.toml``, other project
modules from disk), so the editor shows exactly what ``detlint check`` reports.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from detlint import __version__
from detlint.api import FixMode, run
from detlint.config import ConfigError, Options
from detlint.docs import doc_url, load_doc
from detlint.finding import Finding
from detlint.noqa import add_noqa

DEBOUNCE_SECONDS = 0.3
SOURCE = "detlint"
FIX_ALL_KIND = lsp.CodeActionKind.SourceFixAll + ".detlint"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Linted:
    """The findings of one document version, kept for code actions and hover."""

    version: int | None
    text: str
    findings: tuple[Finding, ...]


def path_of(uri: str) -> Path | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


def lint_document(text: str, path: Path, *, fix: FixMode = FixMode(),
                  unsaved: dict[str, str] | None = None) -> tuple[list[Finding], str | None]:
    """Findings for a buffer as if it were saved at ``path``; with ``fix``, also the fixed text.
    ``unsaved``: other open buffers (path -> text), read instead of their files by cross-module rules."""
    result = run([], Options(), fix=fix, stdin=text.encode("utf-8"), stdin_filename=str(path), use_cache=False,
                 jobs=1, unsaved=unsaved)
    if result.errors:
        _log.warning("detlint: %s", "; ".join(result.errors))
    fixed = result.fixed_stdin.decode("utf-8", errors="replace") if fix.active and result.fixed_stdin else None
    return result.findings, fixed


# -- positions: detlint counts characters, LSP counts UTF-16 code units ------------------------------


def utf16_column(line_text: str, characters: int) -> int:
    prefix = line_text[:max(0, characters)]
    return len(prefix.encode("utf-16-le")) // 2


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 1 <= number <= len(lines) else ""


def finding_range(finding: Finding, lines: list[str]) -> lsp.Range:
    start_text, end_text = _line(lines, finding.line), _line(lines, finding.end_line)
    return lsp.Range(
        start=lsp.Position(line=finding.line - 1, character=utf16_column(start_text, finding.column - 1)),
        end=lsp.Position(line=finding.end_line - 1, character=utf16_column(end_text, finding.end_column - 1)),
    )


def to_diagnostic(finding: Finding, lines: list[str]) -> lsp.Diagnostic:
    severity = lsp.DiagnosticSeverity.Error if finding.severity == "error" else lsp.DiagnosticSeverity.Warning
    return lsp.Diagnostic(
        range=finding_range(finding, lines),
        message=finding.message,
        severity=severity,
        code=finding.code,
        code_description=lsp.CodeDescription(href=doc_url(finding.code)),
        source=SOURCE,
    )


def _edit_range(text_lines: list[str], line: int, column: int) -> lsp.Position:
    return lsp.Position(line=line - 1, character=utf16_column(_line(text_lines, line), column))


# -- the server ---------------------------------------------------------------------------------------


class DetlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "detlint", __version__,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            notebook_document_sync=lsp.NotebookDocumentSyncOptions(notebook_selector=[
                lsp.NotebookDocumentFilterWithCells(
                    notebook="jupyter-notebook", cells=[lsp.NotebookCellLanguage(language="python")]),
            ]),
        )
        self.linted: dict[str, Linted] = {}
        self._pending: dict[str, asyncio.Task[None]] = {}

    # documents

    def lint_text_document(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        if notebook is not None:
            self.lint_notebook(notebook.uri)
            return
        path = path_of(uri)
        if path is None or path.suffix not in (".py", ".pyi"):
            return
        text = document.source
        try:
            findings, _ = lint_document(text, path, unsaved=self.unsaved_buffers(uri))
        except ConfigError as error:
            self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=f"detlint: {error}"))
            findings = []
        self.linted[uri] = Linted(document.version, text, tuple(findings))
        lines = text.splitlines()
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, version=document.version, diagnostics=[to_diagnostic(f, lines) for f in findings]))

    def unsaved_buffers(self, except_uri: str) -> dict[str, str]:
        """The other open Python buffers, by path: cross-module rules read their current text."""
        buffers = {}
        for uri, document in self.workspace.text_documents.items():
            path = path_of(uri)
            if uri != except_uri and path is not None and path.suffix == ".py":
                buffers[str(path)] = document.source
        return buffers

    def lint_notebook(self, notebook_uri: str) -> None:
        notebook = self.workspace.get_notebook_document(notebook_uri=notebook_uri)
        path = path_of(notebook_uri)
        if notebook is None or path is None:
            return
        cells = []
        for cell in notebook.cells:
            code = cell.kind == lsp.NotebookCellKind.Code
            text = self.workspace.get_text_document(cell.document).source
            cells.append((cell.document, code, text))
        content = {
            "cells": [{"cell_type": "code" if code else "markdown", "metadata": {}, "source": text,
                       **({"outputs": [], "execution_count": None} if code else {})} for _, code, text in cells],
            "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5,
        }
        try:
            findings, _ = lint_document(json.dumps(content), path.with_suffix(".ipynb"))
        except ConfigError as error:
            self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=f"detlint: {error}"))
            findings = []
        by_cell: dict[int, list[Finding]] = {}
        for finding in findings:
            by_cell.setdefault(finding.cell or 1, []).append(finding)
        for index, (cell_uri, _, text) in enumerate(cells, start=1):
            found = by_cell.get(index, [])
            # Fixes are computed on the cells joined together: offer them only through "fix all" on files.
            self.linted[cell_uri] = Linted(None, text, tuple(_without_fix(f) for f in found))
            lines = text.splitlines()
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                uri=cell_uri, diagnostics=[to_diagnostic(f, lines) for f in found]))

    def forget(self, uri: str) -> None:
        self.linted.pop(uri, None)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def lint_later(self, uri: str) -> None:
        """Debounce: typing restarts the wait; the lint runs once the buffer is quiet."""
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()

        async def wait_then_lint() -> None:
            await asyncio.sleep(DEBOUNCE_SECONDS)
            self._pending.pop(uri, None)
            self._safely(self.lint_text_document, uri)

        self._pending[uri] = asyncio.get_running_loop().create_task(wait_then_lint())

    def relint_all(self) -> None:
        for uri in list(self.linted):
            if uri in self.workspace.text_documents:
                self._safely(self.lint_text_document, uri)

    def _safely(self, action, uri: str) -> None:  # type: ignore[no-untyped-def]
        """One document that cannot be linted must never take the server down."""
        try:
            action(uri)
        except Exception as error:  # noqa: BLE001 - reported to the client, the server goes on
            _log.exception("detlint failed on %s", uri)
            self.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Error,
                                                         message=f"detlint: internal error on {uri}: {error}"))

    # code actions and hover

    def code_actions(self, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        linted = self.linted.get(uri)
        if linted is None:
            return []
        document = self.workspace.get_text_document(uri)
        if document.source != linted.text:
            return []  # the buffer changed since it was linted; new diagnostics are on their way
        lines = linted.text.splitlines()
        wanted = params.context.only
        actions: list[lsp.CodeAction] = []
        for finding in linted.findings:
            if not _overlaps(finding_range(finding, lines), params.range):
                continue
            diagnostic = to_diagnostic(finding, lines)
            if finding.fix is not None and _kind_wanted(lsp.CodeActionKind.QuickFix, wanted):
                title = f"{finding.fix.title} ({finding.code})" if finding.fix.safe else \
                    f"{finding.fix.title} ({finding.code}, unsafe: may change behaviour)"
                edits = [lsp.TextEdit(range=lsp.Range(start=_edit_range(lines, e.start_line, e.start_column),
                                                      end=_edit_range(lines, e.end_line, e.end_column)),
                                      new_text=e.text) for e in finding.fix.edits]
                actions.append(lsp.CodeAction(title=title, kind=lsp.CodeActionKind.QuickFix,
                                              diagnostics=[diagnostic], is_preferred=finding.fix.safe,
                                              edit=lsp.WorkspaceEdit(changes={uri: edits})))
            suppressed = add_noqa(linted.text, finding.line, [finding.code])
            if suppressed is not None and suppressed != linted.text and _kind_wanted(lsp.CodeActionKind.QuickFix,
                                                                                      wanted):
                actions.append(lsp.CodeAction(
                    title=f"Suppress {finding.code} on this line", kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic], edit=lsp.WorkspaceEdit(changes={uri: [_replace_line(
                        linted.text, suppressed, finding.line)]})))
        fix_all = self._fix_all(uri, linted) if _kind_wanted(FIX_ALL_KIND, wanted) else None
        if fix_all is not None:
            actions.append(fix_all)
        return actions

    def _fix_all(self, uri: str, linted: Linted) -> lsp.CodeAction | None:
        path = path_of(uri)
        if path is None or path.suffix not in (".py", ".pyi") or not any(
                f.fix is not None and f.fix.safe for f in linted.findings):
            return None
        _, fixed = lint_document(linted.text, path, fix=FixMode(apply=True))
        if fixed is None or fixed == linted.text:
            return None
        lines = linted.text.splitlines(keepends=True)
        end = lsp.Position(line=len(lines), character=0)
        return lsp.CodeAction(
            title="Fix all safe detlint findings", kind=FIX_ALL_KIND,
            edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(
                range=lsp.Range(start=lsp.Position(line=0, character=0), end=end), new_text=fixed)]}))

    def hover(self, params: lsp.HoverParams) -> lsp.Hover | None:
        linted = self.linted.get(params.text_document.uri)
        if linted is None:
            return None
        lines = linted.text.splitlines()
        here = lsp.Range(start=params.position, end=params.position)
        parts = []
        for finding in linted.findings:
            if _overlaps(finding_range(finding, lines), here):
                doc = load_doc(finding.code)
                summary = doc.summary if doc is not None else finding.message
                parts.append(f"**{finding.code} {finding.name}**: {summary}\n\n"
                             f"Run `detlint explain {finding.code}` or see [{finding.code}]({doc_url(finding.code)}).")
        if not parts:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))


def _without_fix(finding: Finding) -> Finding:
    return replace(finding, fix=None)


def _kind_wanted(kind: str, only: list[str] | None) -> bool:
    return not only or any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    """Ranges that share a position (touching counts: a cursor at a diagnostic's end is on it)."""
    def key(position: lsp.Position) -> tuple[int, int]:
        return position.line, position.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _replace_line(old: str, new: str, line: int) -> lsp.TextEdit:
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    old_line, new_line = old_lines[line - 1], new_lines[line - 1]
    old_content = old_line.rstrip("\r\n")
    new_content = new_line.rstrip("\r\n")
    return lsp.TextEdit(range=lsp.Range(start=lsp.Position(line=line - 1, character=0),
                                        end=lsp.Position(line=line - 1, character=utf16_column(old_content,
                                                                                              len(old_content)))),
                        new_text=new_content)


def build_server() -> DetlintServer:
    server = DetlintServer()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DetlintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls._safely(ls.lint_text_document, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DetlintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.lint_later(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DetlintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        # A saved module (or configuration file) can change what the open documents' cross-module rules see.
        ls.relint_all()

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DetlintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_open(ls: DetlintServer, params: lsp.DidOpenNotebookDocumentParams) -> None:
        ls._safely(ls.lint_notebook, params.notebook_document.uri)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_change(ls: DetlintServer, params: lsp.DidChangeNotebookDocumentParams) -> None:
        ls._safely(ls.lint_notebook, params.notebook_document.uri)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_close(ls: DetlintServer, params: lsp.DidCloseNotebookDocumentParams) -> None:
        for cell in params.cell_text_documents:
            ls.forget(cell.uri)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: DetlintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        ls.relint_all()  # a configuration file or another module changed: cross-module results may too

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND]))
    def code_action(ls: DetlintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return ls.code_actions(params)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: DetlintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return ls.hover(params)

    return server


def serve() -> None:
    build_server().start_io()
