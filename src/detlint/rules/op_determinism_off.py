"""DET201 op-determinism-off: a seeded TF/Keras training run without deterministic ops (opt-in)."""

from __future__ import annotations

from typing import Iterator

from detlint.analysis import ml
from detlint.analysis.facts import FileFacts
from detlint.analysis.origins import Local, parse_local
from detlint.analysis.project import ModuleSummary, ProjectIndex
from detlint.knowledge import determinism
from detlint.rule import Report, RuleContext, rule


def _summary_enables(project: ProjectIndex, summary: ModuleSummary, function: str,
                     seen: set[tuple[str, str]]) -> bool:
    """Whether a project function calls ``enable_op_determinism``, directly or through other project functions."""
    key = (summary.name, function)
    if key in seen or function not in summary.functions:
        return False
    seen.add(key)
    for callee in summary.functions[function][1]:
        if callee == determinism.ENABLE_OP_DETERMINISM:
            return True
        local = parse_local(callee)
        if local is not None and local.kind is Local.FUNCTION:
            if _summary_enables(project, summary, local.text.split("(", 1)[0], seen):
                return True
        elif "(" not in callee:
            target = project.resolve(summary.name, callee)
            if target is not None and _summary_enables(project, target[0], target[1], set(seen)):
                return True
    return False


def enables_op_determinism(facts: FileFacts, project: ProjectIndex) -> bool:
    """``enable_op_determinism()`` called in this module or through a project helper, or
    ``TF_DETERMINISTIC_OPS`` set in it."""
    if ml.enables_op_determinism(facts):
        return True
    for call in facts.calls:
        callee = call.callee
        if callee is None or "(" in callee:
            continue
        local = parse_local(callee)
        if local is not None and local.kind is Local.FUNCTION:
            summary = project.modules.get(facts.module_name or "")
            if summary is not None and _summary_enables(project, summary, local.text, set()):
                return True
            continue
        target = project.resolve(facts.module_name, callee)
        if target is not None and _summary_enables(project, target[0], target[1], set()):
            return True
    return False


@rule(
    "DET201",
    "op-determinism-off",
    summary="Seeded TF/Keras training without enable_op_determinism()",
    severity="warning",
    default=False,
    fix="never",
    imports=("tensorflow", "keras", "tf_keras", "autokeras", "keras_tuner", "kerastuner"),
    words=("fit", "train_on_batch", "search"),
    needs=lambda index: index.may_call(ml.TRAINING_CALL_NAMES),
    project_imports=True,  # a project model trained in a module importing only NumPy
)
def op_determinism_off(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    first = next((c for c in facts.calls if ml.is_training_call(facts, c, ctx.project)), None)
    if first is None or "tf" not in ml.module_seed_kinds(facts, ctx.project):
        return
    if enables_op_determinism(facts, ctx.project):
        return
    yield Report(
        first.node,
        "model is trained with a TensorFlow seed but without deterministic ops, so on GPUs reductions, "
        "scatter/segment sums and some cuDNN convolutions still vary between runs; call "
        "`tf.config.experimental.enable_op_determinism()` after seeding",
    )
