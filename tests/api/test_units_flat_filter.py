"""`units(filter.number)` reads part of a flat number as callerLookup does (docs/archive.md §5.1):
the same typed text finds the same flats through either; text with nothing to look for is
VALIDATION on `number`; another company's or an ungranted project's flats are never listed."""

from __future__ import annotations

import pytest

from api.graphql.types.node import to_global_id
from tests.api.test_archive_api import _archive
from tests.conftest import add_user

UNITS = """query($p: ID!, $n: String) { units(projectId: $p, filter: {number: $n}) { totalCount
  edges { node { id label } } } }"""
BUILDING_UNITS = """query($b: ID!, $n: String) { node(id: $b) { ... on Building { units(filter: {number: $n}) {
  edges { node { label } } } } } }"""
LOOKUP = "query($f: String, $p: ID) { callerLookup(flat: $f, projectId: $p) { units { id label } } }"


@pytest.fixture
async def world(gql, owner_engine, settings, org, other_org):
    mine = await _archive(owner_engine, settings, org, "P1", "13800138000")
    ungranted = await _archive(owner_engine, settings, org, "P2", "13900139000")
    foreign = await _archive(owner_engine, settings, other_org, "P1", "13800138000")
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    return {"mine": mine, "ungranted": ungranted, "foreign": foreign, "pm": await gql.login(org, "pm1"),
            "p1": to_global_id("Project", org.projects["P1"]), "p2": to_global_id("Project", org.projects["P2"]),
            "other_p1": to_global_id("Project", other_org.projects["P1"]), "other_admin": await gql.login(other_org)}


@pytest.mark.parametrize(("typed", "labels"), [
    ("3-2-1502", ["3号楼 2单元 1502"]),
    ("3栋2单元1502", ["3号楼 2单元 1502"]),
    ("３－２－１５０２", ["3号楼 2单元 1502"]),  # full-width, as a Chinese IME types
    ("1502", ["3号楼 2单元 1502"]),
    ("50", ["3号楼 2单元 1502"]),
    ("0", ["3号楼 803", "3号楼 2单元 1502"]),
    ("3#803", ["3号楼 803"]),
    ("3-150", []),  # after a building the number is whole, not a part
    ("3-1-1502", []),
    ("4-2-1502", []),
    ("%", None),  # no digit: nothing to look for
])
async def test_the_number_filter_finds_what_caller_lookup_finds(gql, world, typed, labels):
    listed = await gql(UNITS, {"p": world["p1"], "n": typed}, token=world["pm"])
    looked_up = await gql(LOOKUP, {"f": typed, "p": world["p1"]}, token=world["pm"])
    if labels is None:
        for body in (listed, looked_up):
            assert body["errors"][0]["extensions"]["code"] == "VALIDATION", body
        return
    assert "errors" not in listed, listed
    edges = listed["data"]["units"]["edges"]
    assert [e["node"]["label"] for e in edges] == labels and listed["data"]["units"]["totalCount"] == len(labels)
    assert [e["node"] for e in edges] == looked_up["data"]["callerLookup"]["units"]
    within = await gql(BUILDING_UNITS, {"b": world["mine"]["b"], "n": typed}, token=world["pm"])
    assert [e["node"]["label"] for e in within["data"]["node"]["units"]["edges"]] == labels, within


@pytest.mark.parametrize("typed", ["1-2-3-4", "东区", "A座", "", "  "])
async def test_nothing_to_look_for_is_a_validation_error_on_the_field(gql, world, typed):
    for document, variables in ((UNITS, {"p": world["p1"], "n": typed}), (BUILDING_UNITS, {"b": world["mine"]["b"], "n": typed})):
        body = await gql(document, variables, token=world["pm"])
        assert body["errors"][0]["extensions"]["code"] == "VALIDATION", body
        assert body["errors"][0]["extensions"].get("field") == "number", body


async def test_another_company_or_an_ungranted_project_lists_none_of_ours(gql, world):
    ours = {e["node"]["id"] for e in (await gql(UNITS, {"p": world["p1"], "n": "3-2-1502"}, token=world["pm"]))
            ["data"]["units"]["edges"]}
    assert ours == {world["mine"]["u1"]}
    for project, token in ((world["p1"], world["other_admin"]), (world["p2"], world["pm"]), (world["other_p1"], world["pm"])):
        body = await gql(UNITS, {"p": project, "n": "3-2-1502"}, token=token)
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND", (project, body)
    theirs = await gql(UNITS, {"p": world["other_p1"], "n": "3-2-1502"}, token=world["other_admin"])
    assert [e["node"]["id"] for e in theirs["data"]["units"]["edges"]] == [world["foreign"]["u1"]]
    # Another company's building by id holds no flats for us, whatever is typed.
    foreign = await gql(BUILDING_UNITS, {"b": world["foreign"]["b"], "n": "1502"}, token=world["pm"])
    assert foreign["data"]["node"] is None, foreign
