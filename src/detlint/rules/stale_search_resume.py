"""DET107 stale-search-resume: an AutoKeras/KerasTuner search that silently resumes an old search from disk."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from detlint.analysis.automl import automl_constructions, automl_name, deliberate_reload
from detlint.analysis.calls import subexpressions
from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.origins import Local, parse_local
from detlint.analysis.values import is_false
from detlint.knowledge import data
from detlint.rule import Report, RuleContext, rule
from detlint.edits import add_keyword, replace_value

def _fresh_directory(facts: FileFacts, call: Call) -> bool:
    directory = call.keyword_value("directory")
    if directory is None:
        return False
    for node in subexpressions(directory):
        origin = facts.origin(node) if isinstance(node, (cst.Name, cst.Call, cst.Attribute)) else None
        if origin and origin.startswith(data.FRESH_DIRECTORY_CALLS):
            return True
        local = parse_local(origin)
        if (local is not None and local.kind is Local.PARAMETER
                and local.text.startswith(data.TEMPORARY_DIRECTORY_FIXTURES)):
            return True
    return False


@rule(
    "DET107",
    "stale-search-resume",
    summary="AutoKeras/KerasTuner search that silently resumes an old search from disk",
    severity="error",
    fix="always",
    fix_safe=False,  # overwrite=True deletes the previous search in that directory on the next run
    imports=("autokeras", "keras_tuner", "kerastuner"),
    words=("Classifier", "Regressor", "Forecaster", "AutoModel", "Search", "Optimization", "Hyperband", "Tuner"),
)
def stale_search_resume(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    for call in automl_constructions(facts, include_grid=True):
        overwrite = call.passes("overwrite")
        if overwrite is not None and not isinstance(overwrite, cst.Arg):
            continue  # hidden in **kwargs
        if isinstance(overwrite, cst.Arg) and not is_false(overwrite.value, facts):
            continue  # True, or a value the user controls
        if deliberate_reload(facts, call) or _fresh_directory(facts, call):
            continue
        edits = replace_value(overwrite, "True") if isinstance(overwrite, cst.Arg) else add_keyword(call, "overwrite", "True")
        yield Report(
            call.node,
            f"`{automl_name(call)}` without `overwrite=True` reloads and continues the previous search in its "
            "project directory, so a rerun can return a stale model; pass `overwrite=True`",
            fix_title="Set `overwrite=True`",
            edits=edits,
            fix_safe=False,
        )
