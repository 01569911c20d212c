"""The engine: parse once, analyse once, run the enabled rules, turn reports into findings.

No printing, no file system walking: that is the API's and the CLI's job.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass, field, replace
from typing import Mapping

import libcst as cst
from libcst.metadata import CodeRange

from detlint.analysis.facts import FileFacts
from detlint.analysis.positions import node_positions
from detlint.analysis.project import ModuleSummary, ProjectIndex, summarize
from detlint.cst_parse import parse_module
from detlint.datatables import blank_data
from detlint.deep import on_big_stack
from detlint.edits import InsertAfter, InsertAfterImports, Replace, insert_lines
from detlint.finding import Edit, Finding, Fix
from detlint.newer_syntax import parse_newer_syntax
from detlint.isolate import ChildCrashed, can_fork, run_in_child
from detlint.limits import DEFAULT_MAX_FILE_SIZE, ISOLATE_ABOVE, too_large_message
from detlint.prefilter import candidate_rules, rules_needed
from detlint.rule import Report, Rule, RuleContext
from detlint.rules import all_rules
from detlint.source import Source, SourceError, decode, lines
from detlint.suppression import UNUSED_SUPPRESSION, skip_file, suppression_comments, unused_suppressions
from detlint.suppression import apply as apply_suppressions

PARSE_ERROR = "DET000"
# Codes the engine reports itself, not a rule's check: they never make a file worth parsing.
ENGINE_CODES = frozenset({PARSE_ERROR, UNUSED_SUPPRESSION})


@dataclass(frozen=True)
class Selection:
    """The effective rule configuration for one file."""

    enabled: frozenset[str]
    severities: Mapping[str, str] = field(default_factory=dict)
    seed_name: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE  # larger files are not parsed (see detlint.limits)

    def severity(self, rule: Rule) -> str:
        return self.severities.get(rule.code, rule.meta.severity)


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # internal errors: rule crashed on this file
    summary: ModuleSummary | None = None
    skipped: bool = False  # skip-file or pre-filtered


def parse_error_finding(path: str, selection: Selection, message: str, line: int = 1, column: int = 1) -> Finding:
    rule = all_rules()[PARSE_ERROR]
    return Finding(path, line, column, line, column, PARSE_ERROR, rule.meta.name, selection.severity(rule), message)


def parse(text: str) -> cst.Module:
    """Parse with LibCST; raises SourceError with a position on failure."""
    try:
        return parse_module(text)
    except cst.ParserSyntaxError as error:
        raise _python_syntax_error(text) or SourceError(
            f"syntax error: {error.message}", error.raw_line, error.raw_column + 1) from None
    except RecursionError:
        raise SourceError("code is nested too deeply to analyse") from None
    except (ValueError, TypeError, MemoryError) as error:
        raise SourceError(f"cannot parse: {error}") from None


def check_parses(text: str) -> None:
    """Raise SourceError unless LibCST parses ``text`` (a large text is parsed in a child process)."""
    if len(text) <= ISOLATE_ABOVE or not can_fork():
        parse(text)
        return
    try:
        run_in_child(_parses, text)
    except ChildCrashed as crash:
        raise SourceError(f"the parser crashed ({crash})") from None


def _parses(text: str) -> None:
    on_big_stack(parse, text)  # the module itself stays in the child: only success or the error comes back


def _python_syntax_error(text: str, nested_is_error: bool = False) -> SourceError | None:
    """The interpreter's own message and position for a syntax error: clearer than the parser's."""
    result = _stdlib_parse(text, nested_is_error)
    return result if isinstance(result, SourceError) else None


def _stdlib_parse(text: str, nested_is_error: bool) -> ast.Module | SourceError | None:
    """The stdlib tree, or the syntax error (None: too deep for the stdlib but not an error here)."""
    try:
        with warnings.catch_warnings():  # the linted code's own warnings (invalid escapes...) are not ours to print
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except SyntaxError as error:
        line = error.lineno or 1
        column = error.offset or 1
        limit = any(phrase in str(error.msg) for phrase in _NESTING_LIMITS)
        kind = SourceError if limit else _RejectedSyntax
        return kind(f"SyntaxError: {error.msg}", line, max(column, 1))
    except (RecursionError, MemoryError):
        return SourceError("code is nested too deeply to analyse") if nested_is_error else None
    except ValueError as error:
        return SourceError(f"cannot parse: {error}")


# The interpreter's nesting guards ("too many nested parentheses", "too many levels of indentation"):
# code it refuses for these is never handed to LibCST (see newer_syntax.py).
_NESTING_LIMITS = ("too many", "too deep")


class _RejectedSyntax(SourceError):
    """A plain syntax error from the stdlib parser: perhaps syntax newer than this interpreter's."""


def lint_bytes(data: bytes, path: str, selection: Selection, project: ProjectIndex | None = None,
               module_name: str | None = None, *, prefilter: bool = True) -> FileResult:
    try:
        source = decode(data)
    except SourceError as error:
        return FileResult(path, [parse_error_finding(path, selection, error.message, error.line, error.column)])
    return lint_source(source, path, selection, project, module_name, prefilter=prefilter)


def lint_source(source: Source, path: str, selection: Selection, project: ProjectIndex | None = None,
                module_name: str | None = None, *, prefilter: bool = True, large: bool = False) -> FileResult:
    """Lint one file. ``prefilter=False`` runs every enabled rule whose words occur in the text even
    when the ``ast`` stage says it cannot match (the tests use it to prove that stage sound).
    ``large``: a large file, already sized up by ``_lint_large`` (and in a child process where one forks)."""
    text = source.text
    result = FileResult(path)
    if skip_file(text):
        result.skipped = True
        return result
    rules = candidate_rules(
        text, [r for code, r in all_rules().items() if code in selection.enabled and code not in ENGINE_CODES])
    if len(text) > ISOLATE_ABOVE and not large:
        return _lint_large(source, path, selection, project, module_name, bool(rules), prefilter)
    # The stdlib parser first: a tenth of LibCST's cost, the interpreter's own messages, and it
    # refuses nesting that would overflow LibCST's native parser.
    tree = _stdlib_parse(text, nested_is_error=True)  # never None: too deep is an error here
    module = None
    if not isinstance(tree, ast.Module):
        # Syntax newer than this interpreter's (PEP 695, PEP 701 on 3.11) is LibCST's to parse.
        module = parse_newer_syntax(text) if isinstance(tree, _RejectedSyntax) else None
        if module is None:
            if PARSE_ERROR in selection.enabled:
                result.findings.append(parse_error_finding(path, selection, tree.message, tree.line, tree.column))
            return result
        tree = None  # no stdlib tree: no second pre-filter stage, positions from LibCST alone
    if rules and prefilter and tree is not None:
        if project is not None:
            project.ensure_begun(module_name or path)  # the pre-filter may ask which modules are the project's
        rules = rules_needed(tree, rules, project)
    if not rules:
        result.skipped = True  # no rule can match: no need for LibCST at all
        return _suppress(result, text, selection)
    analyse = _analyse_blanked if large else _analyse
    try:
        result = on_big_stack(analyse, text, path, selection, project, module_name, rules, result, tree, module)
    except RecursionError:
        result.findings = [parse_error_finding(path, selection, "code is nested too deeply to analyse")]
        return result
    return _suppress(result, text, selection)


def _suppress(result: FileResult, text: str, selection: Selection) -> FileResult:
    """Drop the findings that comments suppress; then, with DET001 on, report the suppressions that
    suppressed nothing (themselves suppressible with ``# noqa: DET001``)."""
    if any(finding.code == PARSE_ERROR for finding in result.findings) or (
            not result.findings and UNUSED_SUPPRESSION not in selection.enabled):
        return result
    comments, exact = suppression_comments(text)
    if not comments:
        return result
    findings, used = apply_suppressions(result.findings, comments)
    # A rule that crashed reported nothing: its suppressions cannot be judged; nor can comments guessed
    # without the tokenizer.
    if UNUSED_SUPPRESSION in selection.enabled and exact and not result.errors:
        rule = all_rules()[UNUSED_SUPPRESSION]
        for problem in unused_suppressions(comments, used, selection.enabled, all_rules(), lines(text)):
            fix = Fix("Remove what does not apply from the comment", problem.edits) if problem.edits else None
            finding = Finding(
                path=result.path, line=problem.line, column=problem.column + 1, end_line=problem.line,
                end_column=problem.end_column + 1, code=UNUSED_SUPPRESSION, name=rule.meta.name,
                severity=selection.severity(rule), message=problem.message, fix=fix,
            )
            findings.extend(apply_suppressions([finding], comments)[0])
    findings.sort(key=Finding.sort_key)
    result.findings = findings
    return result


def _analyse(text: str, path: str, selection: Selection, project: ProjectIndex | None, module_name: str | None,
             rules: list[Rule], result: FileResult, tree: ast.Module | None,
             module: cst.Module | None = None) -> FileResult:
    if module is None and project is not None:
        module = project.parsed(text)  # parsed already for this module's summary
    if module is None:
        try:
            module = parse(text)
        except SourceError as error:
            if PARSE_ERROR in selection.enabled:
                result.findings.append(parse_error_finding(path, selection, error.message, error.line, error.column))
            return result
    facts = FileFacts(module, path, module_name)
    index = project if project is not None else ProjectIndex()
    facts.module_name = facts.module_name or path
    index.ensure_begun(facts.module_name)
    index.add_linted(summarize(facts), text)  # this file as it is now, not as a loader may have read it
    context = RuleContext(facts, index, selection.seed_name)
    reports: list[tuple[Rule, Report]] = []
    for rule in rules:
        try:
            reports.extend((rule, report) for report in rule.check(context))
        except RecursionError:
            result.errors.append(f"{path}: {rule.code} gave up: code is nested too deeply")
        except Exception as error:  # noqa: BLE001 - one rule must never abort the run
            result.errors.append(f"{path}: internal error in {rule.code} ({rule.meta.name}): "
                                 f"{type(error).__name__}: {error}")
    if reports:
        result.findings = _to_findings(path, text, module, facts, reports, selection, tree)
    return result


def _analyse_blanked(text: str, path: str, selection: Selection, project: ProjectIndex | None,
                     module_name: str | None, rules: list[Rule], result: FileResult, tree: ast.Module | None,
                     module: cst.Module | None = None) -> FileResult:
    """``_analyse`` with the file's large constant tables blanked (see ``detlint.datatables``); a fix
    that would rewrite blanked lines is dropped, as it would write the blanked text."""
    if tree is None or module is not None:  # newer syntax, already parsed by LibCST: nothing to blank
        return _analyse(text, path, selection, project, module_name, rules, result, tree, module)
    blanked = blank_data(text, tree)
    if blanked is None:
        return _analyse(text, path, selection, project, module_name, rules, result, tree)
    found = _analyse(blanked.text, path, selection, project, module_name, rules, result, blanked.tree)
    found.findings = [replace(f, fix=None) if f.fix is not None and any(
        blanked.touches(edit.start_line, edit.end_line) for edit in f.fix.edits) else f for f in found.findings]
    return found


def _to_findings(path: str, text: str, module: cst.Module, facts: FileFacts,
                 reports: list[tuple[Rule, Report]], selection: Selection, tree: ast.Module | None) -> list[Finding]:
    wanted: list[cst.CSTNode] = [report.node for _, report in reports]
    for _, report in reports:
        for edit in report.edits:
            if isinstance(edit, (Replace, InsertAfter)):
                wanted.append(edit.node)
            elif isinstance(edit, InsertAfterImports):
                wanted.extend(module.body)
    positions = node_positions(module, facts, wanted, text, tree)
    findings: list[Finding] = []
    seen: set[tuple[str, int, int]] = set()
    for rule, report in reports:
        where: CodeRange = positions[report.node]
        line, column = where.start.line, where.start.column + 1
        if (rule.code, line, column) in seen:
            continue
        seen.add((rule.code, line, column))
        fix = _build_fix(report, module, facts, positions, text) if report.edits else None
        findings.append(Finding(
            path=path, line=line, column=column, end_line=where.end.line, end_column=where.end.column + 1,
            code=rule.code, name=rule.meta.name, severity=selection.severity(rule), message=report.message,
            fix=fix, data=report.data,
        ))
    findings.sort(key=Finding.sort_key)
    return findings


def _build_fix(report: Report, module: cst.Module, facts: FileFacts, positions: Mapping[cst.CSTNode, CodeRange],
               text: str) -> Fix | None:
    edits: list[Edit] = []
    for edit in report.edits:
        if isinstance(edit, Replace):
            where = positions[edit.node]
            new = edit.new if isinstance(edit.new, str) else module.code_for_node(edit.new)
            edits.append(Edit(where.start.line, where.start.column, where.end.line, where.end.column, new))
        elif isinstance(edit, InsertAfter):
            end = positions[edit.node].end
            edits.append(Edit(end.line, end.column, end.line, end.column, edit.text))
        elif isinstance(edit, InsertAfterImports):
            built = insert_lines(edit, report.node, module, facts, positions, text)
            if built is None:
                return None
            edits.append(built)
    return Fix(report.fix_title or "Apply fix", tuple(edits), safe=report.fix_safe)


def _lint_large(source: Source, path: str, selection: Selection, project: ProjectIndex | None,
                module_name: str | None, candidates: bool, prefilter: bool) -> FileResult:
    """A file above ``ISOLATE_ABOVE``: too large to parse (one DET000 if a rule could match it, else
    skipped), or analysed in a child process so that a parser crash or its memory stays there."""
    result = FileResult(path)
    size = len(source.text)
    if size > selection.max_file_size:
        if candidates and PARSE_ERROR in selection.enabled:
            message = too_large_message(size, selection.max_file_size)
            result.findings.append(parse_error_finding(path, selection, message))
        else:
            result.skipped = True
        return result
    if not can_fork():
        return lint_source(source, path, selection, project, module_name, prefilter=prefilter, large=True)
    try:
        found, summary, consulted = run_in_child(_lint_in_child, source, path, selection, project, module_name,
                                                 prefilter)
    except ChildCrashed as crash:
        result.findings.append(parse_error_finding(
            path, selection, f"the analysis of this file crashed ({crash}); it was not analysed"))
        return result
    if project is not None:  # what the child learnt: this module and the ones it consulted
        for learnt in (*consulted.values(), *([summary] if summary is not None else [])):
            project.add(learnt)
        project.consulted |= set(consulted)
    return found


def _lint_in_child(source: Source, path: str, selection: Selection, project: ProjectIndex | None,
                   module_name: str | None, prefilter: bool
                   ) -> tuple[FileResult, ModuleSummary | None, dict[str, ModuleSummary]]:
    found = lint_source(source, path, selection, project, module_name, prefilter=prefilter, large=True)
    if project is None:
        return found, None, {}
    consulted = {name: project.modules[name] for name in project.consulted if name in project.modules}
    return found, project.modules.get(module_name or path), consulted
