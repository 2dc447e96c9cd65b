"""`Building.units` under a list of buildings (docs/archive.md §5): each building's own page of flats,
its count and cursor, read for the whole list in one statement — the statements a page of
buildings costs do not grow with the buildings. Another company's building is not reachable, and
its flats never join a page. Through the real app, as the application role."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api.conftest import statements_of

PAGE = """query($p: ID!, $f: UnitFilter) { buildings(projectId: $p) { edges { node { name
  units(first: 2, filter: $f) { totalCount pageInfo { hasNextPage endCursor } edges { node { number floor } } } } } } }"""
TWO = """query($a: ID!, $b: ID!, $after: String) {
  a: node(id: $a) { ... on Building { units(first: 1, after: $after) { edges { node { number } } } } }
  b: node(id: $b) { ... on Building { units(first: 1) { edges { node { number } } } } } }"""


async def _building(owner_engine, org, project: str, name: str, flats: list[tuple[str, int]]) -> str:
    b = uuid.uuid4()
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO buildings (org_id, project_id, id, name, floors) VALUES (:o, :p, :b, :n, 30)"),
                           {"o": org.org_id, "p": org.projects[project], "b": b, "n": name})
        for number, floor in flats:
            await conn.execute(text("INSERT INTO units (org_id, project_id, building_id, number, floor) VALUES (:o, :p, :b, :n, :f)"),
                               {"o": org.org_id, "p": org.projects[project], "b": b, "n": number, "f": floor})
    return to_global_id("Building", b)


def _pages(body) -> dict:
    assert "errors" not in body, body
    return {e["node"]["name"]: e["node"]["units"] for e in body["data"]["buildings"]["edges"]}


async def test_each_building_has_its_own_page_count_and_cursor(gql, owner_engine, org, other_org):
    one = await _building(owner_engine, org, "P1", "1号楼", [("101", 1), ("102", 1), ("201", 2)])
    two = await _building(owner_engine, org, "P1", "2号楼", [("301", 3)])
    await _building(owner_engine, org, "P1", "3号楼", [])
    await _building(owner_engine, other_org, "P1", "1号楼", [("101", 1), ("999", 9)])
    admin, p1 = await gql.login(org), to_global_id("Project", org.projects["P1"])

    pages = _pages(await gql(PAGE, {"p": p1}, token=admin))
    assert {k: (v["totalCount"], v["pageInfo"]["hasNextPage"], [e["node"]["number"] for e in v["edges"]])
            for k, v in pages.items()} == {"1号楼": (3, True, ["101", "102"]), "2号楼": (1, False, ["301"]),
                                           "3号楼": (0, False, [])}
    # A filter applies within each building.
    upstairs = _pages(await gql(PAGE, {"p": p1, "f": {"floor": 2}}, token=admin))
    assert {k: [e["node"]["number"] for e in v["edges"]] for k, v in upstairs.items()} == {
        "1号楼": ["201"], "2号楼": [], "3号楼": []}
    # Two buildings in one request, one of them after a cursor: each reads its own page.
    both = await gql(TWO, {"a": one, "b": two, "after": pages["1号楼"]["pageInfo"]["endCursor"]}, token=admin)
    assert both["data"] == {"a": {"units": {"edges": [{"node": {"number": "201"}}]}},
                            "b": {"units": {"edges": [{"node": {"number": "301"}}]}}}


async def test_another_companys_building_and_flats_stay_out(gql, owner_engine, org, other_org):
    mine = await _building(owner_engine, org, "P1", "1号楼", [("101", 1)])
    theirs = await _building(owner_engine, other_org, "P1", "1号楼", [("101", 1), ("999", 9)])
    admin = await gql.login(org)
    body = await gql(TWO, {"a": mine, "b": theirs}, token=admin)
    assert body["data"] == {"a": {"units": {"edges": [{"node": {"number": "101"}}]}}, "b": None}
    refused = await gql(PAGE, {"p": to_global_id("Project", other_org.projects["P1"])}, token=admin)
    assert refused["data"] is None and refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # A filter naming their building inside ours reads ours all the same.
    named = _pages(await gql(PAGE, {"p": to_global_id("Project", org.projects["P1"]), "f": {"buildingId": theirs}}, token=admin))
    assert [e["node"]["number"] for e in named["1号楼"]["edges"]] == ["101"]


async def test_a_page_of_buildings_costs_the_same_statements_for_one_building_or_many(owner_engine, platform, org):
    await _building(owner_engine, org, "P1", "1号楼", [("101", 1), ("102", 1)])
    query = PAGE.replace("query($p: ID!, $f: UnitFilter) {", "{").replace("projectId: $p", 'projectId: "%s"' % to_global_id(
        "Project", org.projects["P1"])).replace(", filter: $f", "")
    alone = await statements_of(platform, org, query)
    for n in range(2, 7):
        await _building(owner_engine, org, "P1", f"{n}号楼", [("101", 1), ("201", 2), ("301", 3)])
    assert await statements_of(platform, org, query) == alone
