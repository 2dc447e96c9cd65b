"""Random GraphQL documents over the case lists, to run through the compiled path and through
strawberry and compare: aliases (some colliding), repeated and nested selections, named and
inline fragments, directives, `__typename`, literals and variables of every argument (odd
strings included), several operations with or without `operationName`. Most are valid; some are
not on purpose, since both paths must then give the same errors."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

# Per type: its fields, each a leaf or the type of its selection set.
TYPES: dict[str, dict[str, str | None]] = {
    "CaseConnection": {"totalCount": None, "pageInfo": "PageInfo", "edges": "CaseEdge"},
    "CaseEdge": {"cursor": None, "node": "Case"},
    "PageInfo": {"hasNextPage": None, "endCursor": None},
    "Case": {**dict.fromkeys(
        "id number kind severity channel state stateLabel description photos publicArea receivedAt commitmentDue overdue "
        "waitingOnResident reopenCount reworkLevel brokenPromises satisfaction visitScore autoConfirmed resolvedAt "
        "confirmedAt".split()), "category": "CaseCategory", "project": "Project", "assignee": "User"},
    "CaseCategory": dict.fromkeys(["code", "name"]),
    "Project": dict.fromkeys("id code name city address households propertyType createdAt propertyTypeLabel".split()),
    "User": dict.fromkeys("id username displayName active".split()),
}
ALIASES = ("a", "b", "id", "number", "node", "x1", "x2", "x3")
STRINGS = ("漏水", "瓷砖", "a", "ab", "  ab  ", "%", "%_\\", "a\x00b", "\x00", "a" * 101, "🙂🙂", "'; select 1; --",
           '"引号"', "\n\t", "\u2028\u2029", "第0件", "0", "", "\ufeffab")
STATES = ("RECEIVED", "COMMITTED", "CONFIRMED", "DISPATCHED", "ACCEPTED", "IN_PROGRESS", "RESOLVED", "CLOSED", "CANCELLED")
KINDS = ("REPAIR", "COMPLAINT", "REQUEST", "INQUIRY")


def literal(rng: random.Random, value: object) -> str:
    """A GraphQL literal for a JSON-like value, strings written in one of the spec's forms."""
    if isinstance(value, EnumValue):
        return str(value)
    if isinstance(value, str):
        if rng.random() < 0.1 and '"""' not in value and "\\" not in value and "\r" not in value:
            return f'"""{value}"""'
        return json.dumps(value, ensure_ascii=rng.random() < 0.5)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(literal(rng, v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {literal(rng, v)}" for k, v in value.items()) + "}"
    return str(value)


@dataclass
class Operation:
    """What building one operation collected: its variables and the fragments it spreads."""

    variables: dict[str, tuple[str, object]] = field(default_factory=dict)  # name: (type, value or ...)
    fragments: dict[str, str] = field(default_factory=dict)


class Documents:
    def __init__(self, seed: int, ids: dict[str, str]) -> None:
        self.rng = random.Random(seed)
        self.ids = ids  # project, case, user: global ids; cursor: a real cursor
        self.count, self.wide = 0, False

    def argument(self, op: Operation, graphql_type: str, value: object) -> str:
        """The value as a literal, or as a variable (sometimes left out, to use its default)."""
        rng = self.rng
        if rng.random() < 0.5:
            return literal(rng, value)
        self.count += 1
        name = f"v{self.count}"
        if rng.random() < 0.1:
            op.variables[name] = (f"{graphql_type} = {literal(rng, value)}", ...)
        else:  # an enum value travels as its name, a JSON string
            op.variables[name] = (graphql_type, value if rng.random() < 0.9 else ...)
        return f"${name}"

    def filter_value(self, op: Operation) -> object:
        rng, ids = self.rng, self.ids
        choices = {
            "projectId": lambda: rng.choice([ids["project"], ids["project"], ids["case"], "bad", ""]),
            "states": lambda: [EnumValue(s) for s in rng.sample(STATES, rng.randint(0, 3))],
            "kind": lambda: EnumValue(rng.choice(KINDS)),
            "severity": lambda: EnumValue(rng.choice(["GENERAL", "EMERGENCY", "MAJOR"])),
            "category": lambda: rng.choice(["public_area", "nope", "", "x" * 50]),
            "assigneeId": lambda: rng.choice([ids["user"], ids["user"], "bad"]),
            "overdue": lambda: rng.choice([True, False, None]),
            "text": lambda: rng.choice(STRINGS),
        }
        chosen = {k: make() for k, make in choices.items() if rng.random() < 0.25}
        if rng.random() < 0.5:  # each field a literal or a variable of its own
            types = {"projectId": "ID", "states": "[CaseState!]", "kind": "CaseKind", "severity": "Severity",
                     "category": "String", "assigneeId": "ID", "overdue": "Boolean", "text": "String"}
            return Raw("{" + ", ".join(f"{k}: {self.argument(op, types[k], v)}" for k, v in chosen.items()) + "}")
        return chosen

    def arguments(self, op: Operation, root: str) -> str:
        rng, args = self.rng, []
        if rng.random() < 0.6:
            args.append(f"first: {self.argument(op, 'Int', rng.choice([0, 1, 2, 3, 20, 100, 101, -1, None]))}")
        if rng.random() < 0.3:
            after = rng.choice([self.ids["cursor"], self.ids["cursor"], "", "x", "bm90IGEgY3Vyc29y", "YzE6", "c1:\x00", "é"])
            args.append(f"after: {self.argument(op, 'String', after)}")
        if root == "cases" and rng.random() < 0.6:
            value = self.filter_value(op)
            args.append(f"filter: {value}" if isinstance(value, Raw) else f"filter: {self.argument(op, 'CaseFilter', value)}")
        if rng.random() < 0.2:  # another order: strawberry sorts it, the answers must still agree
            order = rng.choice(["TIME_LEFT", "NUMBER", "RECEIVED_NEWEST"])
            args.append(f"orderBy: {self.argument(op, 'CaseOrder', EnumValue(order))}")
        rng.shuffle(args)
        return f"({', '.join(args)})" if args else ""

    def selections(self, op: Operation, type_name: str) -> str:
        rng, fields = self.rng, TYPES[type_name]
        wide = type_name == "Case" and self.wide
        names = list(fields) if wide else rng.sample(list(fields), rng.randint(1, min(4, len(fields))))
        if wide or rng.random() < 0.25:
            names.append("__typename")
        if rng.random() < 0.2:
            names.append(rng.choice(names))  # the same field again, maybe with another selection
        parts = []
        for name in names:
            alias = f"{rng.choice(ALIASES)}: " if not self.wide and rng.random() < 0.2 else ""
            sub = fields.get(name)
            parts.append(self.directive(op, alias + name) + (f" {{ {self.selections(op, sub)} }}" if sub else ""))
        if wide:
            parts += [f"w{i}: {rng.choice([f for f, sub in fields.items() if not sub])}" for i in range(25)]
        rng.shuffle(parts)
        if not self.wide and rng.random() < 0.06:
            cut = rng.randint(0, len(parts))
            parts[cut:] = [self.fragment(op, type_name, " ".join(parts[cut:]) or "__typename")]
        return " ".join(parts)

    def fragment(self, op: Operation, type_name: str, body: str) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.4:
            self.count += 1
            name = f"F{self.count}"
            op.fragments[name] = f"fragment {name} on {type_name} {{ {body} }}"
            return f"...{name}"
        return f"... on {type_name} {{ {body} }}" if kind < 0.7 else f"... {{ {body} }}"

    def directive(self, op: Operation, text: str) -> str:
        if self.wide or self.rng.random() > 0.02:
            return text
        which = self.rng.choice(["include", "skip"])
        return f"{text} @{which}(if: {self.argument(op, 'Boolean!', self.rng.random() < 0.5)})"

    def operation(self, name: str | None) -> tuple[str, Operation]:
        rng, op = self.rng, Operation()
        roots = []
        for i in range(1 if self.wide else rng.randint(1, 3)):
            root = rng.choices(["cases", "myQueue", "__typename", "viewer"], weights=[16, 5, 3, 1])[0]
            # Mostly a key of its own (the same key twice must ask for the same thing).
            alias = f"{rng.choice([f'r{i}', f'r{i}', 'cases', 'myQueue'])}: " if i or rng.random() < 0.3 and not self.wide else ""
            if root == "__typename":
                roots.append(alias + root)
            elif root == "viewer":
                roots.append(alias + "viewer { kind }")
            else:
                roots.append(f"{alias}{root}{self.arguments(op, root)} {{ {self.selections(op, 'CaseConnection')} }}")
        header = ""
        if name or op.variables or rng.random() < 0.3:
            declared = ", ".join(f"${k}: {t}" for k, (t, _) in op.variables.items())
            header = f"query {name or ''}{f'({declared})' if declared else ''} "
        return header + "{ " + " ".join(roots) + " }", op

    def document(self) -> tuple[str, dict, str | None]:
        """A query text, its variables and the operationName to send."""
        rng = self.rng
        self.count = 0  # numbers variables and fragments, unique across the document's operations
        # Now and then every field of a case and 25 aliases (the most the alias limit leaves room
        # for): 51 keys, past json_build_object's 100 arguments.
        self.wide = rng.random() < 0.08
        several = rng.random() < 0.15
        names = ["One", "Two"] if several else [rng.choice([None, None, "One"])]
        texts, variables, fragments = [], {}, {}
        for name in names:
            text, op = self.operation(name)
            texts.append(text)
            variables.update({k: v for k, (_, v) in op.variables.items() if v is not ...})
            fragments.update(op.fragments)
        if several:
            operation_name = rng.choice(["One", "Two", None, "Three"])
        else:
            operation_name = rng.choices([names[0], None, "Other"], weights=[6, 3, 1])[0]
        return " ".join([*texts, *fragments.values()]), variables, operation_name


class EnumValue(str):
    """An enum value: unquoted as a literal, its name as a variable's value."""


class Raw(str):
    """Argument text already written (an input object with variables inside)."""
