"""Answers about a parsed document, kept by the document's identity. The parser cache
(api/graphql/extensions.py `parsed`) hands back the same document object for the same text, and a
graphql-core document hashes by walking its whole tree — a few hundred calls for a small mutation,
each time a cache keyed by the document itself is asked. An entry holds its document, so its id
is not reused while the entry is kept; the most recently used entries are kept."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from graphql.language import DocumentNode

T = TypeVar("T")


class ByDocument(Generic[T]):
    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[tuple[int, Hashable], tuple[DocumentNode, T]] = OrderedDict()
        self.hits = 0

    def get(self, document: DocumentNode, extra: Hashable = None) -> T | None:
        key = (id(document), extra)
        entry = self.entries.get(key)
        if entry is None or entry[0] is not document:
            return None
        self.entries.move_to_end(key)
        self.hits += 1
        return entry[1]

    def put(self, document: DocumentNode, value: T, extra: Hashable = None) -> None:
        self.entries[(id(document), extra)] = (document, value)
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)


def by_document(size: int) -> Callable[[Callable[[DocumentNode], T]], Callable[[DocumentNode], T]]:
    """`functools.lru_cache` for a function of one document, by the document's identity."""

    def wrap(compute: Callable[[DocumentNode], T]) -> Callable[[DocumentNode], T]:
        kept: ByDocument[tuple[T]] = ByDocument(size)

        def answer(document: DocumentNode) -> T:
            found = kept.get(document)
            if found is None:
                found = (compute(document),)
                kept.put(document, found)
            return found[0]

        answer.cache = kept  # type: ignore[attr-defined]  # for tests
        return answer

    return wrap
