"""删除个人信息 and the flats (docs/archive.md §3): an erased resident lives nowhere any more. The
erasure closes their open stays on the day (Beijing) — a stay entered ahead closes on its own first
day — and keeps the rows as the flats' history of an anonymous id; the flat's current occupants,
the caller lookup by flat and the residents of a flat leave them out; nobody else's stay moves,
in their flat or in another company. Another company cannot erase them. Through the real app, as
the application role."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tests.conftest import add_unit

REGISTER = """mutation($p: ID!, $u: ID!, $n: String!, $ph: String!, $role: OccupantRole!, $k: String!) {
  registerResident(input: {projectId: $p, name: $n, phone: $ph, unitId: $u, role: $role, movedInOn: "2021-03-01"},
  idempotencyKey: $k) { resident { id } errors { code message } } }"""
MOVE_IN = """mutation($u: ID!, $r: ID!, $on: Date!) { moveInResident(input: {unitId: $u, residentId: $r, role: OWNER,
  movedInOn: $on}, idempotencyKey: "mi") { occupancyId errors { code message } } }"""
ERASE = """mutation($r: ID!) { eraseResident(residentId: $r, reason: "本人要求删除") { resident { id } errors { code } } }"""
OCCUPANTS = """query($u: ID!, $c: Boolean!) { node(id: $u) { ... on Unit { occupants(current: $c) {
  current movedInOn movedOutOn role resident { id name erased phoneMasked } } } } }"""
BY_FLAT = "query($f: String, $p: ID) { callerLookup(flat: $f, projectId: $p) { residents { id name } } }"
IN_FLAT = """query($p: ID!, $u: ID!) { residents(projectId: $p, filter: {unitId: $u}) { totalCount
  edges { node { id name } } } }"""


def _beijing_today():
    return (datetime.now(UTC) + timedelta(hours=8)).date()


async def _register(gql, token, project: str, unit, name: str, phone: str, role: str = "OWNER") -> str:
    body = await gql(REGISTER, {"p": project, "u": to_global_id("Unit", unit), "n": name, "ph": phone, "role": role,
                                "k": f"{name}-{phone}"}, token=token)
    assert body["data"]["registerResident"]["errors"] == [], body
    return body["data"]["registerResident"]["resident"]["id"]


@pytest.fixture
async def flats(gql, owner_engine, org, other_org):
    home, _ = await add_unit(owner_engine, org, "P1", "1502")
    let, _ = await add_unit(owner_engine, org, "P1", "803")
    theirs, _ = await add_unit(owner_engine, other_org, "P1", "1502")
    admin, stranger = await gql.login(org), await gql.login(other_org)
    p1 = to_global_id("Project", org.projects["P1"])
    him = await _register(gql, admin, p1, home, "王建国", "13800138000")
    wife = await _register(gql, admin, p1, home, "李秀英", "13900139000", "FAMILY")
    ahead = (_beijing_today() + timedelta(days=10)).isoformat()  # bought 803, moving in in ten days
    moved = await gql(MOVE_IN, {"u": to_global_id("Unit", let), "r": him, "on": ahead}, token=admin)
    assert moved["data"]["moveInResident"]["errors"] == [], moved
    # Another company's resident of the same name and number, in their own 1502.
    namesake = await _register(gql, stranger, to_global_id("Project", other_org.projects["P1"]), theirs, "王建国", "13800138000")
    return {"admin": admin, "stranger": stranger, "p1": p1, "him": him, "wife": wife, "ahead": ahead, "namesake": namesake,
            "home": to_global_id("Unit", home), "let": to_global_id("Unit", let), "theirs": to_global_id("Unit", theirs)}


async def _occupants(gql, token, unit: str, current: bool) -> list[dict]:
    body = await gql(OCCUPANTS, {"u": unit, "c": current}, token=token)
    assert "errors" not in body, body
    return body["data"]["node"]["occupants"]


async def test_an_erased_resident_leaves_their_flats_and_the_history_stays_anonymous(gql, flats, owner_engine):
    admin = flats["admin"]
    assert (await gql(ERASE, {"r": flats["him"]}, token=admin))["data"]["eraseResident"]["errors"] == []

    now = await _occupants(gql, admin, flats["home"], True)
    assert [o["resident"]["id"] for o in now] == [flats["wife"]]
    history = {o["resident"]["id"]: o for o in await _occupants(gql, admin, flats["home"], False)}
    assert set(history) == {flats["him"], flats["wife"]}
    assert history[flats["him"]] == {"current": False, "movedInOn": "2021-03-01", "movedOutOn": _beijing_today().isoformat(),
                                     "role": "OWNER", "resident": {"id": flats["him"], "name": "已删除住户", "erased": True,
                                                                   "phoneMasked": None}}
    assert history[flats["wife"]]["current"] is True and history[flats["wife"]]["movedOutOn"] is None
    # The flat they were to move into: the stay ends on the day it was to begin.
    assert await _occupants(gql, admin, flats["let"], True) == []
    [planned] = await _occupants(gql, admin, flats["let"], False)
    assert (planned["movedInOn"], planned["movedOutOn"]) == (flats["ahead"], flats["ahead"])

    # Nor do the lookups by flat and the residents of the flat name them.
    found = await gql(BY_FLAT, {"f": "1502", "p": flats["p1"]}, token=admin)
    assert "errors" not in found, found
    assert [r["id"] for r in found["data"]["callerLookup"]["residents"]] == [flats["wife"]]
    listed = await gql(IN_FLAT, {"p": flats["p1"], "u": flats["home"]}, token=admin)
    assert listed["data"]["residents"]["totalCount"] == 1
    assert [e["node"]["id"] for e in listed["data"]["residents"]["edges"]] == [flats["wife"]]
    assert "王建国" not in json.dumps([now, history, found, listed], ensure_ascii=False)
    async with owner_engine.connect() as conn:
        # This project's only: another test's company may hold an erased resident with a stay left open on purpose.
        stays = (await conn.execute(text("SELECT count(*) FROM occupancies o JOIN residents r ON r.org_id = o.org_id "
                                         "AND r.id = o.resident_id WHERE r.erased_at IS NOT NULL AND o.moved_out_on IS NULL "
                                         "AND o.project_id = :p"), {"p": from_global_id(flats["p1"], "Project")})
                 ).scalar_one()
    assert stays == 0  # no erased resident of the project lives anywhere

    # Erasures from before this rule left stays open (migration 0036 closes them): even then, the
    # lists leave an erased resident out.
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE occupancies SET moved_out_on = NULL WHERE resident_id = :r AND moved_in_on = '2021-03-01'"),
                           {"r": from_global_id(flats["him"], "Resident")})
    assert [o["resident"]["id"] for o in await _occupants(gql, admin, flats["home"], True)] == [flats["wife"]]
    listed = await gql(IN_FLAT, {"p": flats["p1"], "u": flats["home"]}, token=admin)
    assert [e["node"]["id"] for e in listed["data"]["residents"]["edges"]] == [flats["wife"]]


async def test_another_company_can_neither_erase_them_nor_is_touched_by_their_erasure(gql, flats):
    refused = (await gql(ERASE, {"r": flats["him"]}, token=flats["stranger"]))["data"]["eraseResident"]
    assert (refused["resident"], refused["errors"]) == (None, [{"code": "NOT_FOUND"}])
    assert {o["resident"]["id"] for o in await _occupants(gql, flats["admin"], flats["home"], True)} == {flats["him"], flats["wife"]}
    # Our flat is not theirs to read, before or after.
    assert (await gql(OCCUPANTS, {"u": flats["home"], "c": False}, token=flats["stranger"]))["data"]["node"] is None

    assert (await gql(ERASE, {"r": flats["him"]}, token=flats["admin"]))["data"]["eraseResident"]["errors"] == []
    [namesake] = await _occupants(gql, flats["stranger"], flats["theirs"], True)
    assert namesake["resident"] == {"id": flats["namesake"], "name": "王建国", "erased": False, "phoneMasked": "138****8000"}
    assert namesake["movedOutOn"] is None
