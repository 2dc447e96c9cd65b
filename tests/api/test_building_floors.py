"""updateBuilding's floors (docs/archive.md §5.2): lowered below the floor of a flat of the building,
it is refused as VALIDATION on `floors`, naming the highest such flat, and nothing changes (not
even a rename sent with it); down to that floor, or up, it is accepted. Flats below ground do not
count. Another company's building is NOT_FOUND and its flats never hold ours. Through the real
app, as the application role."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from api.graphql.types.node import to_global_id

UPDATE = """mutation($b: ID!, $f: Int, $n: String, $k: String!) { updateBuilding(buildingId: $b, input: {floors: $f, name: $n},
  idempotencyKey: $k) { building { name floors } errors { code field message } } }"""


async def _building(owner_engine, org, floors: int, flats: list[tuple[str, str, int]], name: str = "3号楼") -> str:
    b = uuid.uuid4()
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO buildings (org_id, project_id, id, name, floors) VALUES (:o, :p, :b, :n, :f)"),
                           {"o": org.org_id, "p": org.projects["P1"], "b": b, "n": name, "f": floors})
        for entrance, number, floor in flats:
            await conn.execute(text("INSERT INTO units (org_id, project_id, building_id, entrance, number, floor) "
                                    "VALUES (:o, :p, :b, :e, :n, :f)"),
                               {"o": org.org_id, "p": org.projects["P1"], "b": b, "e": entrance, "n": number, "f": floor})
    return to_global_id("Building", b)


async def test_floors_below_a_flat_are_refused_naming_the_flat(gql, owner_engine, org):
    b = await _building(owner_engine, org, 18, [("2", "1502", 15), ("1", "1201", 12), ("", "B101", -1)])
    admin = await gql.login(org)

    refused = (await gql(UPDATE, {"b": b, "f": 10, "n": "3栋", "k": "a"}, token=admin))["data"]["updateBuilding"]
    assert refused["building"] is None
    [err] = refused["errors"]
    assert (err["code"], err["field"]) == ("VALIDATION", "floors")
    assert err["message"].startswith("「3栋 2单元 1502」在 15 层，总层数不能少于 15")
    unchanged = await gql("query($b: ID!) { node(id: $b) { ... on Building { name floors } } }", {"b": b}, token=admin)
    assert unchanged["data"]["node"] == {"name": "3号楼", "floors": 18}

    down = await gql(UPDATE, {"b": b, "f": 15, "k": "b"}, token=admin)
    assert down["data"]["updateBuilding"] == {"building": {"name": "3号楼", "floors": 15}, "errors": []}
    up = await gql(UPDATE, {"b": b, "f": 30, "k": "c"}, token=admin)
    assert up["data"]["updateBuilding"] == {"building": {"name": "3号楼", "floors": 30}, "errors": []}
    # A building with flats below ground only may have one floor.
    cellar = await _building(owner_engine, org, 5, [("", "B1-01", -1)], "地库")
    cellar_body = (await gql(UPDATE, {"b": cellar, "f": 1, "n": "车库", "k": "d"}, token=admin))["data"]["updateBuilding"]
    assert cellar_body == {"building": {"name": "车库", "floors": 1}, "errors": []}


async def test_another_companys_building_is_not_found_and_its_flats_do_not_hold_ours(gql, owner_engine, org, other_org):
    mine = await _building(owner_engine, org, 18, [("", "301", 3)])
    theirs = await _building(owner_engine, other_org, 18, [("", "1801", 18)])
    admin = await gql.login(org)
    body = (await gql(UPDATE, {"b": theirs, "f": 2, "k": "x"}, token=admin))["data"]["updateBuilding"]
    assert (body["building"], [(e["code"], e["field"]) for e in body["errors"]]) == (None, [("NOT_FOUND", "buildingId")])
    ours = (await gql(UPDATE, {"b": mine, "f": 3, "k": "y"}, token=admin))["data"]["updateBuilding"]
    assert ours == {"building": {"name": "3号楼", "floors": 3}, "errors": []}
    async with owner_engine.connect() as conn:
        floors = (await conn.execute(text("SELECT floors FROM buildings WHERE org_id = :o"), {"o": other_org.org_id})).scalar_one()
    assert floors == 18
