"""DET102 unseeded-generator: a random generator object created without a seed."""

from __future__ import annotations

from typing import Iterator

from detlint.analysis.calls import lacks_seed
from detlint.analysis.seeding import callee_text
from detlint.analysis.syntax import SyntaxIndex
from detlint.knowledge.seeds import GENERATORS, NON_DETERMINISTIC_GENERATORS
from detlint.rule import Report, RuleContext, rule


def _may_lack_generator_seed(index: SyntaxIndex) -> bool:
    if index.may_call(frozenset({"from_non_deterministic_state"})):
        return True
    return any(index.may_call_lacking((callee.rsplit(".", 1)[-1],), parameter.keyword, parameter.position)
               for callee, parameter in GENERATORS.items())


@rule(
    "DET102",
    "unseeded-generator",
    summary="Random generator object created without a seed",
    imports=("numpy", "random", "tensorflow", "keras", "tf_keras"),
    needs=_may_lack_generator_seed,
    words=("default_rng", "Random", "SeedSequence", "PCG64", "MT19937", "Philox", "SFC64",
           "from_non_deterministic_state", "SeedGenerator"),
)
def unseeded_generator(ctx: RuleContext) -> Iterator[Report]:
    for call in ctx.facts.calls:
        callee = call.callee
        if callee in NON_DETERMINISTIC_GENERATORS:
            yield Report(
                call.node,
                "`Generator.from_non_deterministic_state()` seeds the generator from the operating system, so "
                f"its numbers change on every run; use `tf.random.Generator.from_seed({ctx.seed_text()})`",
            )
            continue
        parameter = GENERATORS.get(callee or "")
        if parameter is None or not lacks_seed(call, parameter.keyword, parameter.position):
            continue
        if callee == "numpy.random.Philox" and call.passes("key") is not None:
            continue  # a Philox key seeds it as well as a seed does
        name = callee_text(ctx.facts, call.node.func)
        yield Report(
            call.node,
            f"`{name}()` without a seed takes fresh entropy from the operating system, so its numbers change "
            f"on every run; pass a fixed seed, e.g. `{name}({ctx.seed_text()})`",
        )
