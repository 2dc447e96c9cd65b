"""Answers kept by a parsed document's identity (api/graphql/by_document.py): the same document
object answers from the entry; an equal document parsed again is a document of its own; an entry
holds its document, so a recycled id never finds another document's answer."""

from __future__ import annotations

import gc

from graphql import parse

from api.graphql.by_document import ByDocument, by_document

TEXT = "mutation($k: String) { registerCase(input: {}, idempotencyKey: $k) { errors { code } } }"


def test_the_same_document_is_answered_from_its_entry_and_an_equal_one_is_not():
    computed = []

    @by_document(4)
    def fields(document) -> int:
        computed.append(document)
        return len(document.definitions)

    first, again = parse(TEXT), parse(TEXT)
    assert first == again and first is not again  # equal, and two objects
    assert [fields(first), fields(first), fields(again)] == [1, 1, 1]
    assert computed == [first, again]
    assert fields.cache.hits == 1  # type: ignore[attr-defined]


def test_the_extra_key_keeps_answers_apart_and_the_oldest_entry_goes_first():
    kept: ByDocument[str] = ByDocument(2)
    a, b = parse(TEXT), parse("{ __typename }")
    kept.put(a, "rules 1", "r1")
    kept.put(a, "rules 2", "r2")
    assert (kept.get(a, "r1"), kept.get(a, "r2"), kept.get(a)) == ("rules 1", "rules 2", None)
    kept.put(b, "b")  # a's r1 was used least recently
    assert (kept.get(a, "r1"), kept.get(a, "r2"), kept.get(b)) == (None, "rules 2", "b")


def test_an_entry_answers_only_for_its_own_document_even_if_an_id_comes_back():
    kept: ByDocument[str] = ByDocument(8)
    document = parse(TEXT)
    kept.put(document, "answer")
    (key,) = kept.entries
    stranger = parse("{ __typename }")
    # As if the id were recycled: an entry under the stranger's id still holds the first document.
    kept.entries[(id(stranger), None)] = kept.entries.pop(key)
    assert kept.get(stranger) is None
    del document
    gc.collect()
    assert len(kept.entries) == 1  # the entry keeps its document alive
