"""Editing the archive through the API (docs/archive.md §5.2): buildings, flats, residents, move in
and out, 核实 — `archive:manage` on the record's project, the resident's numbers answered masked
only, another company's records NOT_FOUND alike, and a case cannot be registered for an erased
resident. Through the real app, as the application role."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from api.graphql.types.node import parse_global_id, to_global_id
from tests.conftest import add_user

CREATE_BUILDING = """mutation($p: ID!, $n: String!, $k: String) { createBuilding(input: {projectId: $p, name: $n, floors: 18},
  idempotencyKey: $k) { building { id name floors } errors { code reason field message existingId } } }"""
UPDATE_BUILDING = """mutation($b: ID!, $n: String) { updateBuilding(buildingId: $b, input: {name: $n}, idempotencyKey: "ub")
  { building { name } errors { code message } } }"""
CREATE_UNIT = """mutation($b: ID!, $n: String!) { createUnit(input: {buildingId: $b, number: $n, floor: 15, entrance: "2",
  areaM2: 96.5}, idempotencyKey: "cu") { unit { id label areaM2 } errors { code reason message } } }"""
UPDATE_UNIT = """mutation($u: ID!) { updateUnit(unitId: $u, input: {areaM2: null, vacant: true}, idempotencyKey: "uu")
  { unit { areaM2 vacant } errors { code message } } }"""
REGISTER = """mutation($p: ID!, $u: ID) { registerResident(input: {projectId: $p, name: "王建国", phone: "138 0013 8000",
  idNumber: "11010519491231002X", unitId: $u, role: OWNER, movedInOn: "2021-03-01", primaryContact: true},
  idempotencyKey: "rr") { resident { id name phoneMasked idNumberMasked verifiedAt occupancies { id role unit { label } } }
  errors { code reason field message existingId } } }"""
UPDATE_RESIDENT = """mutation($r: ID!) { updateResident(residentId: $r, input: {note: "独居老人"}, idempotencyKey: "ur")
  { resident { note verifiedAt } errors { code message } } }"""
CONFIRM = """mutation($r: ID!) { confirmResident(residentId: $r, idempotencyKey: "cr") { resident { verifiedAt }
  errors { code reason message } } }"""
MOVE_IN = """mutation($u: ID!, $r: ID!) { moveInResident(input: {unitId: $u, residentId: $r, role: TENANT}, idempotencyKey: "mi")
  { occupancyId resident { occupancies { role } } errors { code reason message } } }"""
MOVE_OUT = """mutation($o: ID!) { moveOutResident(occupancyId: $o, movedOutOn: "2026-01-01", idempotencyKey: "mo")
  { occupancyId unit { label } resident { occupancies(current: false) { role movedOutOn } } errors { code reason message } } }"""


@pytest.fixture
async def desk(gql, owner_engine, org, other_org):
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    await add_user(owner_engine, org, "disp1", "dispatcher", "P1")
    # A project manager of P2 who only dispatches in P1: archive:manage, but not on P1.
    mixed = await add_user(owner_engine, org, "mixed", "project_manager", "P2")
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO role_assignments (org_id, user_id, role, project_id) VALUES (:o, :u, 'dispatcher', :p)"),
                           {"o": org.org_id, "u": mixed, "p": org.projects["P1"]})
    return {"admin": await gql.login(org), "pm": await gql.login(org, "pm1"), "disp": await gql.login(org, "disp1"),
            "mixed": await gql.login(org, "mixed"), "stranger": await gql.login(other_org),
            "p1": to_global_id("Project", org.projects["P1"])}


async def test_a_project_manager_builds_the_archive_of_a_flat(gql, desk, owner_engine, org):
    pm = desk["pm"]
    b = await gql(CREATE_BUILDING, {"p": desk["p1"], "n": "3号楼", "k": "cb"}, token=pm)
    assert b["data"]["createBuilding"]["errors"] == [], b
    building = b["data"]["createBuilding"]["building"]
    assert (building["name"], building["floors"]) == ("3号楼", 18)
    again = await gql(CREATE_BUILDING, {"p": desk["p1"], "n": "3号楼", "k": "cb"}, token=pm)  # replayed
    assert again["data"]["createBuilding"]["building"]["id"] == building["id"]
    dup = await gql(CREATE_BUILDING, {"p": desk["p1"], "n": "3号楼", "k": "cb2"}, token=pm)
    assert dup["data"]["createBuilding"]["errors"][0]["code"] == "CONFLICT"
    assert dup["data"]["createBuilding"]["errors"][0]["reason"] == "BUILDING_EXISTS"
    assert dup["data"]["createBuilding"]["errors"][0]["message"].startswith("本项目已有楼栋")
    assert dup["data"]["createBuilding"]["errors"][0]["existingId"] == building["id"]  # the console opens it

    u = await gql(CREATE_UNIT, {"b": building["id"], "n": "1502"}, token=pm)
    unit = u["data"]["createUnit"]["unit"]
    assert (unit["label"], unit["areaM2"]) == ("3号楼 2单元 1502", 96.5)
    assert (await gql(UPDATE_UNIT, {"u": unit["id"]}, token=pm))["data"]["updateUnit"]["unit"] == {"areaM2": None, "vacant": True}
    renamed = await gql(UPDATE_BUILDING, {"b": building["id"], "n": "3栋"}, token=pm)
    assert renamed["data"]["updateBuilding"]["building"] == {"name": "3栋"}

    r = await gql(REGISTER, {"p": desk["p1"], "u": unit["id"]}, token=pm)
    assert r["data"]["registerResident"]["errors"] == [], r
    resident = r["data"]["registerResident"]["resident"]
    assert (resident["phoneMasked"], resident["idNumberMasked"]) == ("138****8000", "1101**********002X")
    assert "13800138000" not in str(r)  # masked only, always
    assert [(o["role"], o["unit"]["label"]) for o in resident["occupancies"]] == [("OWNER", "3栋 2单元 1502")]
    dup = await gql(REGISTER.replace('"rr"', '"rr2"'), {"p": desk["p1"], "u": None}, token=pm)
    assert dup["data"]["registerResident"]["errors"][0]["reason"] == "RESIDENT_EXISTS"
    assert dup["data"]["registerResident"]["errors"][0]["existingId"] == resident["id"]

    updated = await gql(UPDATE_RESIDENT, {"r": resident["id"]}, token=pm)
    assert updated["data"]["updateResident"]["resident"]["note"] == "独居老人"
    assert updated["data"]["updateResident"]["resident"]["verifiedAt"] is not None
    assert (await gql(CONFIRM, {"r": resident["id"]}, token=pm))["data"]["confirmResident"]["errors"] == []

    second = await gql(CREATE_UNIT.replace('"cu"', '"cu2"'), {"b": building["id"], "n": "803"}, token=pm)
    moved = await gql(MOVE_IN, {"u": second["data"]["createUnit"]["unit"]["id"], "r": resident["id"]}, token=pm)
    assert moved["data"]["moveInResident"]["errors"] == [], moved
    assert sorted(o["role"] for o in moved["data"]["moveInResident"]["resident"]["occupancies"]) == ["OWNER", "TENANT"]
    out = await gql(MOVE_OUT, {"o": moved["data"]["moveInResident"]["occupancyId"]}, token=pm)
    assert out["data"]["moveOutResident"]["unit"] == {"label": "3栋 2单元 803"}
    twice = await gql(MOVE_OUT.replace('"mo"', '"mo2"'), {"o": moved["data"]["moveInResident"]["occupancyId"]}, token=pm)
    assert twice["data"]["moveOutResident"]["errors"][0]["reason"] == "ALREADY_MOVED_OUT"

    # Erased on request (slice 8 writes it): intake refuses it as a case's reporter.
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE residents SET erased_at = now() WHERE id = :r"), {"r": parse_global_id(resident["id"])[1]})
    case = await gql('mutation($p: ID!, $r: ID!) { registerCase(input: {projectId: $p, kind: REPAIR, channel: PHONE, '
                     'category: "water_power", reporterResidentId: $r, description: "厨房漏水"}) { case { id } errors { code reason } } }',
                     {"p": desk["p1"], "r": resident["id"]}, token=desk["admin"])
    assert case["data"]["registerCase"]["errors"] == [{"code": "INVALID_STATE", "reason": "RESIDENT_ERASED"}]


async def test_only_archive_managers_of_the_project_edit_and_another_company_finds_nothing(gql, desk):
    b = await gql(CREATE_BUILDING, {"p": desk["p1"], "n": "1号楼", "k": None}, token=desk["admin"])
    building = b["data"]["createBuilding"]["building"]["id"]
    unit = (await gql(CREATE_UNIT, {"b": building, "n": "101"}, token=desk["admin"]))["data"]["createUnit"]["unit"]["id"]
    resident = (await gql(REGISTER, {"p": desk["p1"], "u": unit}, token=desk["admin"]))["data"]["registerResident"]["resident"]
    stay = resident["occupancies"][0]["id"]

    # No archive:manage anywhere: refused before it runs.
    body = await gql(CREATE_BUILDING, {"p": desk["p1"], "n": "2号楼", "k": None}, token=desk["disp"])
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    attempts = ((CREATE_BUILDING, {"p": desk["p1"], "n": "2号楼", "k": None}, "createBuilding"),
                (UPDATE_BUILDING, {"b": building, "n": "X"}, "updateBuilding"),
                (CREATE_UNIT, {"b": building, "n": "102"}, "createUnit"),
                (UPDATE_UNIT, {"u": unit}, "updateUnit"),
                (REGISTER, {"p": desk["p1"], "u": None}, "registerResident"),
                (UPDATE_RESIDENT, {"r": resident["id"]}, "updateResident"),
                (CONFIRM, {"r": resident["id"]}, "confirmResident"),
                (MOVE_IN, {"u": unit, "r": resident["id"]}, "moveInResident"),
                (MOVE_OUT, {"o": stay}, "moveOutResident"))
    for document, variables, name in attempts:
        # archive:manage on P2 only: P1's records are seen (as a dispatcher) but not edited.
        mixed = await gql(document, variables, token=desk["mixed"])
        assert mixed["data"][name]["errors"][0]["code"] == "FORBIDDEN", (name, mixed)
        assert mixed["data"][name]["errors"][0]["message"].startswith("您需要权限"), name
        # Another company: not found, whatever the record.
        foreign = await gql(document, variables, token=desk["stranger"])
        assert foreign["data"][name]["errors"][0]["code"] == "NOT_FOUND", (name, foreign)
    after = await gql('query($p: ID!) { buildings(projectId: $p) { edges { node { name } } } }', {"p": desk["p1"]},
                      token=desk["admin"])
    assert [e["node"]["name"] for e in after["data"]["buildings"]["edges"]] == ["1号楼"]


async def test_a_flats_floor_is_checked_against_its_buildings_floors(gql, desk):
    pm = desk["pm"]
    building = (await gql(CREATE_BUILDING, {"p": desk["p1"], "n": "3号楼", "k": None}, token=pm))["data"]["createBuilding"]
    b = building["building"]["id"]  # 18 floors
    create = ('mutation($b: ID!, $f: Int!) { createUnit(input: {buildingId: $b, number: "x", floor: $f}) '
              '{ unit { id } errors { code field message } } }')
    for floor in (19, 0, -11):
        refused = (await gql(create, {"b": b, "f": floor}, token=pm))["data"]["createUnit"]
        assert refused["unit"] is None and [(e["code"], e["field"]) for e in refused["errors"]] == [("VALIDATION", "floor")]
        assert refused["errors"][0]["message"].startswith("「楼层」应在 1 到 18"), refused
    unit = (await gql(create, {"b": b, "f": -1}, token=pm))["data"]["createUnit"]["unit"]["id"]  # a basement store
    update = 'mutation($u: ID!, $f: Int) { updateUnit(unitId: $u, input: {floor: $f}) { unit { floor } errors { code field } } }'
    assert (await gql(update, {"u": unit, "f": 19}, token=pm))["data"]["updateUnit"] == {
        "unit": None, "errors": [{"code": "VALIDATION", "field": "floor"}]}
    assert (await gql(update, {"u": unit, "f": 18}, token=pm))["data"]["updateUnit"] == {"unit": {"floor": 18}, "errors": []}


async def test_a_field_a_record_cannot_be_without_given_as_null_is_refused_with_its_name(gql, desk):
    """Left out, a field keeps its value; given as null it could mean 'clear', which a name cannot be."""
    pm = desk["pm"]
    b = (await gql(CREATE_BUILDING, {"p": desk["p1"], "n": "3号楼", "k": None}, token=pm))["data"]["createBuilding"]["building"]["id"]
    u = (await gql(CREATE_UNIT, {"b": b, "n": "1502"}, token=pm))["data"]["createUnit"]["unit"]["id"]
    r = (await gql(REGISTER, {"p": desk["p1"], "u": u}, token=pm))["data"]["registerResident"]["resident"]["id"]
    attempts = [("updateBuilding", "buildingId", b, f) for f in ("name", "floors")]
    attempts += [("updateUnit", "unitId", u, f) for f in ("entrance", "number", "floor", "use", "vacant")]
    attempts += [("updateResident", "residentId", r, f) for f in ("name", "kind", "note")]
    for mutation, arg, target, field in attempts:
        body = await gql(f'mutation($x: ID!) {{ {mutation}({arg}: $x, input: {{{field}: null}}) {{ errors {{ code field message }} }} }}',
                         {"x": target}, token=pm)
        errors = body["data"][mutation]["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [("VALIDATION", field)], (mutation, field, body)
        assert errors[0]["message"].startswith(f"「{field}」不能为空")
    after = await gql('query($r: ID!) { node(id: $r) { ... on Resident { name kind note } } }', {"r": r}, token=pm)
    assert after["data"]["node"] == {"name": "王建国", "kind": "PERSON", "note": ""}
    # Left out, the same fields keep their values, as before.
    kept = await gql('mutation($x: ID!) { updateResident(residentId: $x, input: {note: "独居老人"}) '
                     '{ resident { name } errors { code } } }', {"x": r}, token=pm)
    assert kept["data"]["updateResident"] == {"resident": {"name": "王建国"}, "errors": []}
