"""Order flow: does the order in which an expression yields its items reach something ordered (a
list, an index, a position, a pairing by position)?

:class:`OrderUse` answers it by looking at the expression's parents, following names it is assigned
to, and treating lazy wrappers (``map``, generator expressions, ``iter``) as transparent. Used by
the rules on sets (DET204) and directory listings (DET205).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, Literal

import libcst as cst

from detlint.analysis.facts import FileFacts, Scope
from detlint.analysis.origins import Local, is_local, parse_local
from detlint.knowledge import data, keras, ordering, seeds

if TYPE_CHECKING:
    from detlint.analysis.project import ProjectIndex

Kind = Literal["set", "listing"]
# A function's parameters whose order reaches something ordered inside it: (position among the
# positional parameters or None, name, how the order is used).
OrderedParameter = tuple["int | None", str, str]

_MAX_DEPTH = 8
_PASSED_BACK = frozenset({"returned", "yielded"})

_SCOPE_NODES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


def _short(callee: str) -> str:
    """``sklearn.model_selection.train_test_split`` → ``train_test_split``; the class ``Gen`` of this
    module → ``Gen``."""
    local = parse_local(callee)
    text = local.text if local is not None else callee
    return text.rsplit(".", 1)[-1].replace("()", "")


def _positional_index(call: cst.Call, arg: cst.Arg) -> int | None:
    index = 0
    for candidate in call.args:
        if candidate.keyword is not None or candidate.star:
            if candidate is arg:
                return None
            continue
        if candidate is arg:
            return index
        index += 1
    return None


class OrderUse:
    """Answers whether (and how) the iteration order of an expression reaches something ordered."""

    def __init__(self, facts: FileFacts, project: "ProjectIndex | None" = None) -> None:
        self.facts = facts
        self.project = project  # for listings passed to functions of other project modules
        self._builder_loops: set[int] | None = None
        self._sorted_attributes: set[str] | None = None
        self._names: dict[str, list[cst.Name]] | None = None
        self._scope_names: dict[int, dict[str, list[cst.Name]]] | None = None
        # (parameter, kind, depth) -> its use: a function called from many places is looked into once
        self._parameter_uses: dict[tuple[int, str, int], str | None] = {}

    # -- the question ----------------------------------------------------------
    def use(self, node: cst.CSTNode, kind: Kind, depth: int = 0) -> str | None:
        """How the order of ``node``'s items is used, as a phrase for a message; None when it is
        discarded, fixed by sorting, or not known to matter."""
        facts = self.facts
        parent = facts.parent(node)
        if parent is None or depth > _MAX_DEPTH:
            return None
        if isinstance(parent, cst.IfExp) and node is not parent.test:
            return self.use(parent, kind, depth + 1)
        if isinstance(parent, cst.BooleanOperation):
            return self.use(parent, kind, depth + 1)
        if kind == "listing" and isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Add):
            return self.use(parent, kind, depth + 1)  # two listings concatenated
        if isinstance(parent, cst.Arg):
            call = facts.parent(parent)
            if isinstance(call, cst.Call) and parent.value is node and not parent.star:
                return self._argument_use(call, parent, kind, depth)
            return None
        if isinstance(parent, cst.StarredElement):
            container = facts.parent(parent)
            if isinstance(container, (cst.List, cst.Tuple)) and not self.kept_unordered(container):
                return "unpacked into a list"
            return None
        if isinstance(parent, cst.Subscript) and parent.value is node and kind == "listing":
            return "indexed"
        if isinstance(parent, cst.For) and parent.iter is node:
            return "iterated by a loop that builds an ordered result" if self.builds_ordered(parent) else None
        if isinstance(parent, cst.CompFor) and parent.iter is node:
            return self._comprehension_use(parent, kind, depth)
        if kind == "listing":
            if isinstance(parent, cst.Return) and parent.value is node:
                return "returned"
            if isinstance(parent, cst.Yield) and parent.value is node:
                return "yielded"
            if isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value in ("index", "pop"):
                return f"searched by position with `.{parent.attr.value}()`"
        if isinstance(parent, (cst.Assign, cst.AnnAssign)) and parent.value is node:
            return self._assigned_use(parent, kind, depth)
        if isinstance(parent, cst.WithItem) and parent.item is node and parent.asname is not None:
            target = parent.asname.name
            return self.name_use(target, kind, depth + 1) if isinstance(target, cst.Name) else None
        return None

    def _argument_use(self, call: cst.Call, arg: cst.Arg, kind: Kind, depth: int) -> str | None:
        facts = self.facts
        callee = facts.origin(call.func) or ""
        method = call.func.attr.value if isinstance(call.func, cst.Attribute) else None
        if callee in ordering.ORDER_FREE or method in ordering.ORDER_FREE_METHODS:
            return None
        container = ordering.MATERIALISERS.get(callee) or (
            ordering.LISTING_MATERIALISERS.get(callee) if kind == "listing" else None)
        if container is not None:
            return None if self.kept_unordered(call) else f"turned into {container}"
        if callee in ordering.POSITIONAL:
            return f"passed to `{_short(callee)}`"
        if callee in ordering.TRANSPARENT:
            return self.use(call, kind, depth + 1)
        if callee == "builtins.next":
            return "reduced to its first item by `next`"
        if callee == "itertools.islice":
            return "sliced by `islice`"
        if method == "join" and not callee.startswith(data.PATH_MODULE_PREFIXES) and _positional_index(call, arg) == 0:
            return "joined into a string"
        if kind != "listing":
            return None
        if callee in seeds.RANDOM_PICKERS or callee.startswith("sklearn.model_selection."):
            return f"passed to `{_short(callee)}`"
        receiver = facts.origin(call.func.value) if isinstance(call.func, cst.Attribute) else None
        if receiver and method in seeds.RNG_METHODS and receiver.startswith(("numpy.random.", "random.Random(")):
            return f"passed to `{method}`"
        if receiver and method == "split" and receiver.startswith("sklearn.model_selection."):
            return "passed to a split"
        if self._is_data_generator(callee):
            return f"passed to the data generator `{_short(callee)}`"
        return self._project_function_use(callee, call, arg, kind, depth)

    def _project_function_use(self, callee: str, call: cst.Call, arg: cst.Arg, kind: Kind, depth: int) -> str | None:
        """The ordered use of a listing passed to a function of this module, inside that function."""
        local = parse_local(callee)
        if local is None:
            return self._other_module_use(callee, call, arg)
        if local.kind is not Local.FUNCTION or local.rest:
            return None
        function = next((f for f in self.facts.nodes(cst.FunctionDef) if f.name.value == local.name), None)
        if function is None:
            return None
        parameters = list(function.params.posonly_params) + list(function.params.params)
        if arg.keyword is not None:
            parameter = next((p for p in parameters + list(function.params.kwonly_params)
                              if p.name.value == arg.keyword.value), None)
        else:
            index = _positional_index(call, arg)
            parameter = parameters[index] if index is not None and index < len(parameters) else None
        if parameter is None:
            return None
        found = self._parameter_use(function, parameter, kind, depth + 1)
        return None if found is None else f"passed to `{local.name}`, where it is {found}"

    def _other_module_use(self, callee: str, call: cst.Call, arg: cst.Arg) -> str | None:
        """The ordered use of a listing passed to a function of another module of the project."""
        if self.project is None or not callee or "(" in callee or "[" in callee:
            return None
        target = self.project.resolve(self.facts.module_name, callee)
        if target is None or target[0].name == self.facts.module_name:
            return None
        summary, function = target
        position = _positional_index(call, arg) if arg.keyword is None else None
        for index, name, found in summary.ordered_parameters.get(function, ()):
            if (arg.keyword is not None and arg.keyword.value == name) or (position is not None and position == index):
                return f"passed to `{function.rsplit('.', 1)[-1]}`, where it is {found}"
        return None

    def ordered_parameters(self) -> dict[str, tuple[OrderedParameter, ...]]:
        """For each module-level function, the parameters whose order a listing passed there would
        reach something ordered with (what other modules need to know, see ``ModuleSummary``)."""
        found: dict[str, tuple[OrderedParameter, ...]] = {}
        for info in self.facts.functions:
            if info.class_name is not None or info.scope.parent is not self.facts.module_scope:
                continue
            params = info.node.params
            positional = list(params.posonly_params) + list(params.params)
            ordered: list[OrderedParameter] = []
            for parameter in positional + list(params.kwonly_params):
                index = positional.index(parameter) if parameter in positional else None
                use = self._parameter_use(info.node, parameter, "listing", 1)
                # handed straight back: the caller's own use decides, which the summary cannot see
                if use is not None and use not in _PASSED_BACK:
                    ordered.append((index, parameter.name.value, use))
            if ordered:
                found[info.name] = tuple(ordered)
        return found

    def _parameter_use(self, function: cst.FunctionDef, parameter: cst.Param, kind: Kind, depth: int) -> str | None:
        """How a function uses the order of what is passed as ``parameter``."""
        key = (id(parameter), kind, depth)
        if key not in self._parameter_uses:
            self._parameter_uses[key] = self._find_parameter_use(function, parameter, kind, depth)
        return self._parameter_uses[key]

    def _find_parameter_use(self, function: cst.FunctionDef, parameter: cst.Param, kind: Kind, depth: int) -> str | None:
        facts = self.facts
        info = facts.function_info(function)
        if info is None:
            return None
        for used in self._names_within(info.scope).get(parameter.name.value, ()):
            binding = facts.binding_of(used)
            if binding is None or binding.node is not parameter:
                continue
            found = self.use(used, kind, depth)
            if found is not None:
                return found
        return None

    def _comprehension_use(self, comp_for: cst.CompFor, kind: Kind, depth: int) -> str | None:
        comprehension: cst.CSTNode | None = comp_for
        while isinstance(comprehension, cst.CompFor):
            comprehension = self.facts.parent(comprehension)
        if isinstance(comprehension, cst.ListComp):
            return None if self.kept_unordered(comprehension) else "iterated by a list comprehension"
        if isinstance(comprehension, cst.GeneratorExp):
            return self.use(comprehension, kind, depth + 1)
        return None  # set and dict comprehensions: a dict keyed by the item does not depend on order

    def _assigned_use(self, assign: cst.Assign | cst.AnnAssign, kind: Kind, depth: int) -> str | None:
        targets = [t.target for t in assign.targets] if isinstance(assign, cst.Assign) else [assign.target]
        for target in targets:
            if isinstance(target, cst.Name):
                found = self.name_use(target, kind, depth + 1)
            elif kind != "listing":
                found = None
            elif isinstance(target, cst.Attribute):
                found = None if self.attribute_sorted(target) else self._attribute_use(target, kind, depth)
            elif isinstance(target, (cst.Tuple, cst.List)):
                found = "unpacked by position"
            elif isinstance(target, cst.Subscript) and self._is_frame(target.value):
                found = "stored into a DataFrame column"
            else:
                found = None
            if found is not None:
                return found
        return None

    def _is_frame(self, node: cst.BaseExpression) -> bool:
        """Whether ``node`` is known to be a pandas DataFrame (a column store keeps row order)."""
        origin = self.facts.origin(node) or ""
        return origin.startswith("pandas.")

    def _attribute_use(self, target: cst.Attribute, kind: Kind, depth: int) -> str | None:
        """The ordered use of a value stored in an attribute (``self.files``), wherever the same
        attribute is read in the module."""
        facts = self.facts
        code = facts.module.code_for_node(target).strip()
        for attribute in facts.nodes(cst.Attribute):
            if attribute is target or attribute.attr.value != target.attr.value:
                continue
            if isinstance(facts.parent(attribute), cst.AssignTarget):
                continue
            if facts.module.code_for_node(attribute).strip() != code:
                continue
            found = self.use(attribute, kind, depth + 1)
            if found is not None:
                return f"stored in `{code}`, which is {found}"
        return None

    def name_use(self, target: cst.Name, kind: Kind, depth: int = 0) -> str | None:
        """How the value bound to ``target`` is used in order, up to a later ``.sort()`` of it."""
        uses = self.uses_of(target)
        sorted_at = min((self.facts.order(u) for u in uses if self.is_sort_receiver(u)), default=None)
        for used in uses:
            if sorted_at is not None and self.facts.order(used) >= sorted_at:
                continue
            found = self.use(used, kind, depth + 1)
            if found is not None:
                return found
        return None

    # -- exemptions ---------------------------------------------------------------
    def kept_unordered(self, node: cst.CSTNode) -> bool:
        """Whether a built container's order is discarded (``len``, ``set``, ``in``...) or fixed
        (``sorted(...)``, a later ``.sort()`` on the name it is bound to)."""
        facts = self.facts
        parent = facts.parent(node)
        if isinstance(parent, cst.Arg):
            call = facts.parent(parent)
            if not isinstance(call, cst.Call):
                return False
            if isinstance(call.func, cst.Attribute) and call.func.attr.value in ordering.ORDER_FREE_METHODS:
                return True
            callee = facts.origin(call.func)
            if callee in ordering.MATERIALISERS or callee in ordering.TRANSPARENT:
                # list(...), map(...) around it: the outermost call decides (``sorted(list(map(str, ...))))``)
                return not parent.star and parent.keyword is None and self.kept_unordered(call)
            return callee in ordering.ORDER_FREE
        if isinstance(parent, cst.ComparisonTarget) and isinstance(parent.operator, (cst.In, cst.NotIn)):
            return True
        if isinstance(parent, (cst.Assign, cst.AnnAssign)) and parent.value is node:
            targets = [t.target for t in parent.targets] if isinstance(parent, cst.Assign) else [parent.target]
            if len(targets) == 1:
                target = targets[0]
                if isinstance(target, cst.Name):
                    return any(self.is_sort_receiver(u) for u in self.uses_of(target))
                if isinstance(target, cst.Attribute):
                    return self.attribute_sorted(target)
        return False

    def is_sort_receiver(self, name: cst.CSTNode) -> bool:
        attribute = self.facts.parent(name)
        return (isinstance(attribute, cst.Attribute) and attribute.value is name and attribute.attr.value == "sort"
                and self.facts.is_called(attribute))

    def attribute_sorted(self, target: cst.BaseExpression) -> bool:
        """``self.files.sort()`` somewhere in the module, for a value stored in ``self.files``."""
        if self._sorted_attributes is None:
            code = self.facts.module.code_for_node
            self._sorted_attributes = {
                code(c.receiver).strip() for c in self.facts.calls
                if c.method == "sort" and isinstance(c.receiver, (cst.Attribute, cst.Subscript))
            }
        return self.facts.module.code_for_node(target).strip() in self._sorted_attributes

    # -- names ---------------------------------------------------------------------
    def names(self, value: str) -> list[cst.Name]:
        """Every ``Name`` node spelled ``value``, in source order."""
        if self._names is None:
            self._names = {}
            for name in self.facts.nodes(cst.Name):
                self._names.setdefault(name.value, []).append(name)
        return self._names.get(value, [])

    def _names_within(self, scope: Scope) -> dict[str, list[cst.Name]]:
        """The names occurring in a function's scope or the scopes nested in it, by spelling."""
        if self._scope_names is None:
            self._scope_names = {}
            for name in self.facts.nodes(cst.Name):
                current = self.facts.scope_of(name)
                while current is not None and current.kind != "module":
                    self._scope_names.setdefault(id(current), {}).setdefault(name.value, []).append(name)
                    current = current.parent
        return self._scope_names.get(id(scope), {})

    def uses_of(self, target: cst.Name) -> list[cst.Name]:
        """The names that read the binding made by ``target``, in source order."""
        facts = self.facts
        found = []
        for name in self.names(target.value):
            if name is target:
                continue
            parent = facts.parent(name)
            if isinstance(parent, cst.Attribute) and parent.attr is name:
                continue
            if isinstance(parent, cst.Arg) and parent.keyword is name:
                continue
            binding = facts.binding_of(name)
            if binding is not None and binding.node is target:
                found.append(name)
        return found

    # -- loops -----------------------------------------------------------------------
    def builds_ordered(self, loop: cst.For) -> bool:
        """Whether the loop body appends to a list, yields, concatenates arrays or counts positions
        (per-item side effects such as copying or printing do not count)."""
        if self._builder_loops is None:
            self._builder_loops = self._find_builder_loops()
        return id(loop) in self._builder_loops

    def _find_builder_loops(self) -> set[int]:
        facts = self.facts
        builders: list[cst.CSTNode] = []
        sorted_bindings = {
            id(b) for c in facts.calls
            if c.method == "sort" and (b := c.receiver_binding) is not None
        }
        for call in facts.calls:
            if call.method in ordering.APPEND_METHODS:
                binding = call.receiver_binding
                if binding is not None and id(binding) in sorted_bindings:
                    continue  # the collected list is sorted afterwards
                if isinstance(call.receiver, cst.Attribute) and self.attribute_sorted(call.receiver):
                    continue
                builders.append(call.node)
            elif call.callee in ordering.ORDERED_BUILDERS:
                builders.append(call.node)
        builders.extend(facts.nodes(cst.Yield))
        loops: set[int] = set()
        for augmented in facts.nodes(cst.AugAssign):
            if not isinstance(augmented.operator, cst.AddAssign):
                continue
            if isinstance(augmented.value, (cst.List, cst.Tuple, cst.ListComp)):
                builders.append(augmented)
            elif isinstance(augmented.value, cst.Integer) and isinstance(augmented.target, cst.Name):
                # a position counter: it builds a mapping from positions when the loop also reads it
                for loop in self._loops_around(augmented):
                    if self._reads_in(loop.body, augmented.target):
                        loops.add(id(loop))
        for node in builders:
            loops.update(id(loop) for loop in self._loops_around(node))
        return loops

    def _loops_around(self, node: cst.CSTNode) -> Iterator[cst.For]:
        """The ``for`` loops whose body (in the same function) contains ``node``."""
        previous = node
        for ancestor in self.facts.ancestors(node):
            if isinstance(ancestor, _SCOPE_NODES):
                return
            if isinstance(ancestor, cst.For) and previous is ancestor.body:
                yield ancestor
            previous = ancestor

    def _reads_in(self, block: cst.CSTNode, counter: cst.Name) -> bool:
        facts = self.facts
        for name in self.names(counter.value):
            if name is counter:
                continue
            parent = facts.parent(name)
            if isinstance(parent, cst.Attribute) and parent.attr is name:
                continue
            if self._is_store(name):
                continue  # reset or incremented, not read
            if any(a is block for a in facts.ancestors(name)):
                return True
        return False

    def _is_store(self, name: cst.Name) -> bool:
        """Whether a name is written (``x = ...``, ``a, x = ...``, ``x += 1``), not read."""
        node: cst.CSTNode = name
        parent = self.facts.parent(node)
        while isinstance(parent, (cst.Element, cst.StarredElement, cst.Tuple, cst.List)):
            node, parent = parent, self.facts.parent(parent)
        if isinstance(parent, cst.AugAssign):
            return parent.target is node
        return isinstance(parent, (cst.AssignTarget, cst.For, cst.CompFor)) and getattr(parent, "target", None) is node

    def _is_data_generator(self, callee: str) -> bool:
        if not callee:
            return False
        name = _short(callee)
        if is_local(callee, Local.CLASS):
            info = next((c for c in self.facts.classes if c.name == name), None)
            if info is not None:
                bases = {self.facts.origin(b) for b in info.bases}
                if bases & keras.GENERATOR_BASES:
                    return True
        return name.endswith(keras.GENERATOR_SUFFIXES) and name[:1].isupper()
