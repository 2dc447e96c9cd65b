"""Walking a validated selection set the way GraphQL execution does: fields grouped by response
key in document order (validation has already made fields that share a key mergeable)."""

from __future__ import annotations

from collections.abc import Iterable

from graphql import FieldNode


class Unsupported(Exception):
    """Something the compiled path does not cover: the document goes to strawberry instead."""


def merged_fields(selections: Iterable[object]) -> list[tuple[str, list[FieldNode]]]:
    groups: dict[str, list[FieldNode]] = {}
    for node in selections:
        if not isinstance(node, FieldNode):  # fragments are left to strawberry
            raise Unsupported(type(node).__name__)
        if node.directives:
            raise Unsupported("directives")
        key = node.alias.value if node.alias else node.name.value
        groups.setdefault(key, []).append(node)
    return list(groups.items())
