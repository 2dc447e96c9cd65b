"""The archive's new parts (residents' belongings, their lists and nodes) tried as an attacker
would, through the real app as the application role: one number typed in full-width or with a
zero-width space, two requests racing for one natural key, ids of the wrong type or company,
keys and roles without the permission, hostile input, a masked value sent back, and a failed
statement's log line. Erasure's are in test_erasure_attacks.py."""

from __future__ import annotations

import asyncio
import io

import openpyxl
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.graphql.types.node import from_global_id, to_global_id
from tenants.context import TenantScope
from tests.api.archive_world import CONTACT, ERASE, LOOKUP, PET, REGISTER, SPACE, VEHICLE, _resident, two
from tests.conftest import add_user

__all__ = ["two"]  # the fixture, shared


async def test_one_number_in_full_width_or_with_a_zero_width_space_is_the_same_number(gql, two):
    a = two["a"]
    resident = a["resident"]
    first = await gql(CONTACT, {"r": resident, "k": "MOBILE", "v": "13900139000"}, token=a["token"])
    assert first["data"]["addResidentContact"]["errors"] == []
    for typed in ("１３９００１３９０００", "139\u200b0013\u200b9000", "\ufeff13900139000"):
        again = (await gql(CONTACT, {"r": resident, "k": "MOBILE", "v": typed}, token=a["token"]))["data"]["addResidentContact"]
        assert [(e["code"], e["reason"]) for e in again["errors"]] == [("CONFLICT", "CONTACT_EXISTS")], (typed, again)
    # Digits of another script are no mainland number at all.
    other = (await gql(CONTACT, {"r": resident, "k": "MOBILE", "v": "١٣٩٠٠١٣٩٠٠١"}, token=a["token"]))["data"]["addResidentContact"]
    assert [(e["code"], e["field"]) for e in other["errors"]] == [("VALIDATION", "value")]

    car = (await gql(VEHICLE, {"r": resident, "plate": "京A12345"}, token=a["token"]))["data"]["registerVehicle"]
    assert car["errors"] == []
    for typed in ("京Ａ１２３４５", "京A\u200b12345", "京Ａ·１２３４５"):
        again = (await gql(VEHICLE, {"r": resident, "plate": typed}, token=a["token"]))["data"]["registerVehicle"]
        assert [(e["code"], e["reason"], e["existingId"]) for e in again["errors"]] == [("CONFLICT", "PLATE_EXISTS", car["vehicle"]["id"])]

    # A resident registered with a full-width phone is found by the phone as a caller gives it.
    full = await _resident(gql, a["token"], a["p"], a["unit"], "张伟", "１３７００１３７０００")
    found = (await gql(LOOKUP, {"ph": "13700137000"}, token=a["token"]))["data"]["callerLookup"]["residents"]
    assert {"name": "张伟"} in found, full


async def test_two_requests_racing_for_one_natural_key_get_one_conflict_never_a_500(gql, two):
    a = two["a"]
    token, resident = a["token"], a["resident"]
    for query, variables, name in (
        (VEHICLE, {"r": resident, "plate": "粤B88888"}, "registerVehicle"),
        (CONTACT, {"r": resident, "k": "EMAIL", "v": "wang@example.com"}, "addResidentContact"),
        (SPACE, {"p": a["p"], "n": "A-001"}, "createParkingSpace"),
        (PET, {"r": resident, "n": "旺财"}, "registerPet"),
    ):
        bodies = await asyncio.gather(*(gql(query, variables, token=token) for _ in range(4)))
        assert all("errors" not in body for body in bodies), bodies
        codes = sorted(e["code"] for body in bodies for e in body["data"][name]["errors"])
        assert codes == ["CONFLICT"] * 3, (name, bodies)


async def test_ids_of_another_type_or_tenant_are_refused_with_a_code(gql, owner_engine, two):
    a, b = two["a"], two["b"]
    token = a["token"]
    car = (await gql(VEHICLE, {"r": a["resident"], "plate": "京B11111"}, token=token))["data"]["registerVehicle"]["vehicle"]["id"]
    car_uuid = from_global_id(car, "Vehicle")
    b_car = (await gql(VEHICLE, {"r": b["resident"], "plate": "京B22222"}, token=b["token"]))["data"]["registerVehicle"]
    b_car_uuid = from_global_id(b_car["vehicle"]["id"], "Vehicle")
    cases = [
        ("mutation($i: ID!) { removePet(petId: $i) { removedId errors { code field } } }", car, "removePet", "VALIDATION"),
        ("mutation($i: ID!) { removePet(petId: $i) { removedId errors { code field } } }", to_global_id("Pet", car_uuid),
         "removePet", "NOT_FOUND"),
        ("mutation($i: ID!) { removeVehicle(vehicleId: $i) { removedId errors { code field } } }",
         to_global_id("Vehicle", b_car_uuid), "removeVehicle", "NOT_FOUND"),
        ("mutation($i: ID!) { registerPet(input: {residentId: $i, name: \"x\", species: CAT}) { pet { id } errors { code field } } }",
         to_global_id("Unit", a["unit"]), "registerPet", "VALIDATION"),
        ("mutation($i: ID!) { eraseResident(residentId: $i, reason: \"本人要求\") { resident { id } errors { code field } } }",
         car, "eraseResident", "VALIDATION"),
        ("mutation($i: ID!) { eraseResident(residentId: $i, reason: \"本人要求\") { resident { id } errors { code field } } }",
         to_global_id("Resident", car_uuid), "eraseResident", "NOT_FOUND"),
        ("mutation($i: ID!) { eraseResident(residentId: $i, reason: \"本人要求\") { resident { id } errors { code field } } }",
         b["resident"], "eraseResident", "NOT_FOUND"),
    ]
    for query, gid, name, code in cases:
        body = await gql(query, {"i": gid}, token=token)
        assert "errors" not in body, body
        assert [e["code"] for e in body["data"][name]["errors"]] == [code], (name, gid, body)
    # node() of a type's name over another type's row, or another company's row: null.
    for gid in (to_global_id("Pet", car_uuid), to_global_id("ParkingSpace", car_uuid), to_global_id("Vehicle", b_car_uuid),
                to_global_id("ResidentContact", car_uuid)):
        body = await gql("query($i: ID!) { node(id: $i) { id } }", {"i": gid}, token=token)
        assert body.get("data", {}).get("node") is None and all(e["extensions"]["code"] != "INTERNAL"
                                                                for e in body.get("errors", [])), body
    # A list filtered by another company's resident, or by a unit's id: empty or refused, never theirs.
    listed = await gql("query($p: ID!, $r: ID) { vehicles(projectId: $p, residentId: $r) { totalCount } }",
                       {"p": a["p"], "r": b["resident"]}, token=token)
    assert listed["data"]["vehicles"]["totalCount"] == 0
    wrong = await gql("query($p: ID!, $r: ID) { vehicles(projectId: $p, residentId: $r) { totalCount } }",
                      {"p": a["p"], "r": to_global_id("Unit", a["unit"])}, token=token)
    assert wrong["errors"][0]["extensions"]["code"] == "VALIDATION"
    theirs = await gql("query($p: ID!) { vehicles(projectId: $p) { totalCount } }", {"p": b["p"]}, token=token)
    assert theirs.get("data") is None or theirs["data"]["vehicles"]["totalCount"] == 0, theirs
    assert theirs.get("data") is None or theirs["errors"][0]["extensions"]["code"] in ("NOT_FOUND", "FORBIDDEN")


async def test_an_api_key_neither_erases_nor_exports_and_edits_only_when_granted(gql, client, owner_engine, org, two):
    a = two["a"]
    admin = a["token"]
    create = ("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret errors { code field } } }")
    read = (await gql(create, {"i": {"name": "只读", "access": "READ"}}, token=admin))["data"]["createApiKey"]["secret"]
    plain = (await gql(create, {"i": {"name": "业主App", "access": "READ_WRITE"}}, token=admin))["data"]["createApiKey"]["secret"]
    granted = (await gql(create, {"i": {"name": "车场", "access": "READ_WRITE", "permissions": ["ARCHIVE_MANAGE"]}},
                         token=admin))["data"]["createApiKey"]["secret"]
    erase_grant = await gql(create, {"i": {"name": "删除", "access": "READ_WRITE", "permissions": ["PERSONAL_DATA_ERASE"]}},
                            token=admin)
    assert erase_grant["data"]["createApiKey"]["errors"][0]["code"] == "VALIDATION"
    for key in (read, plain, granted):
        body = await gql(ERASE, {"r": a["resident"]}, api_key=key)
        assert body.get("data") is None or body["data"]["eraseResident"]["resident"] is None, body
        r = await client.get(f"/export/residents/{a['resident']}/personal-data.xlsx", params={"reason": "查阅"},
                             headers={"x-api-key": key})
        assert (r.status_code, r.json()["errors"][0]["extensions"]["code"]) == (403, "FORBIDDEN")
        # The list a key may read through GraphQL it may export, masked as it reads it.
        r = await client.get("/export/archive/residents.xlsx", params={"project": a["p"]}, headers={"x-api-key": key})
        assert r.status_code == 200, r.text
        cells = [c for row in openpyxl.load_workbook(io.BytesIO(r.content), read_only=True).active.iter_rows(values_only=True)
                 for c in row if c]
        assert "王建国" in cells and not any("13800138000" in str(c) for c in cells)
    for key in (read, plain):
        body = await gql(VEHICLE, {"r": a["resident"], "plate": "京C33333"}, api_key=key)
        refused = body["errors"][0]["extensions"]["code"] if "errors" in body else body["data"]["registerVehicle"]["errors"][0]["code"]
        assert refused == "FORBIDDEN"
    elsewhere = (await gql(create, {"i": {"name": "二期车场", "access": "READ_WRITE", "permissions": ["ARCHIVE_MANAGE"],
                                         "projectIds": [two["a2"]["p"]]}}, token=admin))["data"]["createApiKey"]["secret"]
    refused = (await gql(VEHICLE, {"r": a["resident"], "plate": "京C33333"}, api_key=elsewhere))["data"]["registerVehicle"]
    assert [e["code"] for e in refused["errors"]] == ["NOT_FOUND"]  # a key of P2: the resident of P1 is out of its reach
    ok = await gql(VEHICLE, {"r": a["resident"], "plate": "京C33333"}, api_key=granted)
    assert ok["data"]["registerVehicle"]["errors"] == [], ok
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM residents WHERE org_id = :o AND erased_at IS NOT NULL"),
                                   {"o": org.org_id})).scalar() == 0


async def test_roles_without_the_permission_neither_edit_nor_erase(gql, owner_engine, org, two):
    a = two["a"]
    await add_user(owner_engine, org, "tech", "technician", "P1")
    await add_user(owner_engine, org, "disp", "dispatcher", "P1")
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    for user in ("tech", "disp"):
        token = await gql.login(org, user)
        for query, variables, name in ((VEHICLE, {"r": a["resident"], "plate": "京D44444"}, "registerVehicle"),
                                       (PET, {"r": a["resident"], "n": "咪咪"}, "registerPet"),
                                       (SPACE, {"p": a["p"], "n": "Z-9"}, "createParkingSpace"),
                                       (ERASE, {"r": a["resident"]}, "eraseResident")):
            body = await gql(query, variables, token=token)
            codes = [e["extensions"]["code"] for e in body.get("errors", [])] or \
                [e["code"] for e in body["data"][name]["errors"]]
            assert codes and set(codes) <= {"FORBIDDEN", "NOT_FOUND"}, (user, name, body)
    agent = await gql.login(org, "agent")  # archive:manage, not personal_data:erase
    body = await gql(ERASE, {"r": a["resident"]}, token=agent)
    assert body.get("data") is None or body["data"]["eraseResident"]["resident"] is None
    async with owner_engine.connect() as conn:
        counts = (await conn.execute(text(
            "SELECT (SELECT count(*) FROM vehicles WHERE org_id = :o), (SELECT count(*) FROM pets WHERE org_id = :o), "
            "(SELECT count(*) FROM parking_spaces WHERE org_id = :o), "
            "(SELECT count(*) FROM residents WHERE org_id = :o AND erased_at IS NOT NULL)"), {"o": org.org_id})).one()
    assert tuple(counts) == (0, 0, 0, 0)


async def test_hostile_input_to_the_belongings_gets_a_code_never_internal(gql, two):
    a = two["a"]
    token, r, p = a["token"], a["resident"], a["p"]
    car = (await gql(VEHICLE, {"r": r, "plate": "京E55555"}, token=token))["data"]["registerVehicle"]["vehicle"]["id"]
    dog = (await gql(PET, {"r": r, "n": "阿黄"}, token=token))["data"]["registerPet"]["pet"]["id"]
    huge = "长" * 100_000
    probes = [
        (VEHICLE, {"r": r, "plate": huge}), (VEHICLE, {"r": r, "plate": "京A1234\u202e5"}), (VEHICLE, {"r": r, "plate": ""}),
        (VEHICLE, {"r": r, "plate": None}), (PET, {"r": r, "n": huge}), (PET, {"r": r, "n": "\u200b"}), (PET, {"r": r, "n": " "}),
        (SPACE, {"p": p, "n": huge}), (SPACE, {"p": p, "n": "\u3000"}),
        (CONTACT, {"r": r, "k": "EMAIL", "v": huge}), (CONTACT, {"r": r, "k": "WECHAT", "v": "a" * 10_000}),
        (CONTACT, {"r": r, "k": "MOBILE", "v": "1" * 5000}), (CONTACT, {"r": r, "k": "LANDLINE", "v": "010-" + "9" * 300}),
        ("mutation($v: ID!, $d: Date) { updateVehicle(vehicleId: $v, input: {validUntil: $d}) { errors { code } } }",
         {"v": car, "d": "9999-12-31"}),
        ("mutation($v: ID!, $d: Date) { updateVehicle(vehicleId: $v, input: {validUntil: $d}) { errors { code } } }",
         {"v": car, "d": "0001-01-01"}),
        ("mutation($v: ID!, $d: Date) { updateVehicle(vehicleId: $v, input: {validUntil: $d}) { errors { code } } }",
         {"v": car, "d": "10000-01-01"}),
        ("mutation($p: ID!, $d: Date) { updatePet(petId: $p, input: {vaccinatedOn: $d}) { errors { code } } }",
         {"p": dog, "d": "0001-01-01"}),
        ("mutation($p: ID!, $d: Date) { updatePet(petId: $p, input: {vaccinatedOn: $d}) { errors { code } } }",
         {"p": dog, "d": "9999-12-31"}),
        ("mutation($p: ID!, $n: String) { updatePet(petId: $p, input: {name: $n}) { errors { code } } }", {"p": dog, "n": None}),
        ("mutation($s: ID!) { updateParkingSpace(spaceId: $s, input: {leaseUntil: \"9999-12-31\", tenure: LEASED}) "
         "{ errors { code } } }", {"s": car}),
        ("query($p: ID!, $f: Int, $a: String) { vehicles(projectId: $p, first: $f, after: $a) { totalCount } }",
         {"p": p, "f": -1, "a": None}),
        ("query($p: ID!, $f: Int, $a: String) { vehicles(projectId: $p, first: $f, after: $a) { totalCount } }",
         {"p": p, "f": 2_000_000_000, "a": None}),
        ("query($p: ID!, $f: Int, $a: String) { pets(projectId: $p, first: $f, after: $a) { totalCount } }",
         {"p": p, "f": 5, "a": "YzE6OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"}),
        ("query($p: ID!, $f: Int, $a: String) { parkingSpaces(projectId: $p, first: $f, after: $a) { totalCount } }",
         {"p": p, "f": 5, "a": "not a cursor"}),
        ("query($p: ID!, $plate: String) { vehicles(projectId: $p, plate: $plate) { totalCount } }", {"p": p, "plate": huge}),
        ("query($p: ID!, $plate: String) { vehicles(projectId: $p, plate: $plate) { totalCount } }", {"p": p, "plate": "%_\\"}),
        ("mutation($r: ID!, $why: String!) { eraseResident(residentId: $r, reason: $why) { errors { code } } }",
         {"r": r, "why": huge}),
    ]
    for query, variables in probes:
        body = await gql(query, variables, token=token)
        codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
        for payload in (body.get("data") or {}).values():
            codes += [e["code"] for e in (payload or {}).get("errors", [])] if isinstance(payload, dict) else []
        assert None not in codes and "INTERNAL" not in codes, (query, {k: str(v)[:40] for k, v in variables.items()}, body)
    listed = await gql("query($p: ID!, $plate: String) { vehicles(projectId: $p, plate: $plate) { totalCount } }",
                       {"p": p, "plate": "%"}, token=token)
    assert listed["data"]["vehicles"]["totalCount"] == 0  # a LIKE wildcard is a character, not "any"


async def test_a_failed_statement_is_logged_without_its_parameters(platform, org):
    """An unexpected database failure (a deadlock, a serialization failure) is logged with its
    traceback, whose text is the exception's: the parameters a resident's statements carry —
    name, note, erasure's pattern of their phone — must not be in it."""
    with pytest.raises(DBAPIError) as failed:
        async with platform.transaction(TenantScope(org_id=org.org_id, actor="user:x")) as conn:
            await conn.execute(text("SELECT 1 / 0 WHERE CAST(:pat AS text) <> ''"), {"pat": "(王建国)|(1[ .-]?3[ .-]?8)"})
    assert "王建国" not in str(failed.value) and "division by zero" in str(failed.value)


async def test_node_of_each_new_type_for_a_technician_staff_and_a_read_key(gql, owner_engine, org, two):
    a = two["a"]
    token, r = a["token"], a["resident"]
    car = (await gql(VEHICLE, {"r": r, "plate": "京F66666"}, token=token))["data"]["registerVehicle"]["vehicle"]["id"]
    dog = (await gql(PET, {"r": r, "n": "来福"}, token=token))["data"]["registerPet"]["pet"]["id"]
    space = (await gql(SPACE, {"p": a["p"], "n": "F-1"}, token=token))["data"]["createParkingSpace"]["parkingSpace"]["id"]
    contact = (await gql(CONTACT, {"r": r, "k": "MOBILE", "v": "13300133000"}, token=token))["data"]["addResidentContact"]
    assert contact["errors"] == []
    await add_user(owner_engine, org, "tech9", "technician", "P1")
    await add_user(owner_engine, org, "staff9", "staff", "P1")
    key = (await gql("mutation { createApiKey(input: {name: \"读\", access: READ}) { secret } }", token=token))["data"]
    fields = ("... on Vehicle { plate owner { name phoneMasked } } ... on Pet { name owner { name } } "
              "... on ParkingSpace { number holder { name } } "
              "... on Resident { name project { name } contacts { valueMasked } vehicles { plate } }")
    for who in ({"token": await gql.login(org, "tech9")}, {"token": await gql.login(org, "staff9")}):
        for gid in (car, dog, space, r):
            body = await gql(f"query($i: ID!) {{ node(id: $i) {{ id {fields} }} }}", {"i": gid}, **who)
            codes = {e["extensions"]["code"] for e in body.get("errors", [])}
            node = (body.get("data") or {}).get("node")
            # Nothing of the family's archive beyond what a case shows: no plate, pet, space, contact or project.
            assert codes <= {"FORBIDDEN", "NOT_FOUND"}, body
            assert not node or not any(node.get(f) for f in ("plate", "number", "valueMasked", "project", "contacts",
                                                             "vehicles")), (gid, body)
            assert "13300133000" not in str(body)
    read = await gql("query($i: ID!) { node(id: $i) { ... on Resident { contacts { valueMasked } } } }", {"i": r},
                     api_key=key["createApiKey"]["secret"])
    assert read["data"]["node"] == {"contacts": [{"valueMasked": "133****3000"}]}, read


async def test_an_invisible_character_makes_no_new_name(gql, two):
    a = two["a"]
    token, r = a["token"], a["resident"]
    assert (await gql(PET, {"r": r, "n": "旺财"}, token=token))["data"]["registerPet"]["errors"] == []
    assert (await gql(SPACE, {"p": a["p"], "n": "A-001"}, token=token))["data"]["createParkingSpace"]["errors"] == []
    for query, variables, name, reason in (
        (PET, {"r": r, "n": "旺\u200b财"}, "registerPet", "PET_EXISTS"),
        (PET, {"r": r, "n": "\u202e旺财"}, "registerPet", "PET_EXISTS"),
        (SPACE, {"p": a["p"], "n": "A-\u200b001\ufeff"}, "createParkingSpace", "SPACE_EXISTS"),
        (PET, {"r": r, "n": "\u200b\u200d"}, "registerPet", None),
        (REGISTER, {"p": a["p"], "u": to_global_id("Unit", a["unit"]), "n": "\u200b\u2060", "ph": None}, "registerResident", None),
    ):
        errors = (await gql(query, variables, token=token))["data"][name]["errors"]
        expected = [("CONFLICT", reason)] if reason else [("VALIDATION", None)]
        assert [(e["code"], e.get("reason")) for e in errors] == expected, (variables, errors)


async def test_a_masked_number_is_never_taken_for_a_number(gql, two):
    """What the API answers (139****9000) sent back as a value: refused, never stored as a number."""
    a = two["a"]
    for kind, value in (("MOBILE", "139****9000"), ("EMERGENCY", "139****9000"), ("WECHAT", "wx***01"),
                        ("EMAIL", "w***@example.com")):
        errors = (await gql(CONTACT, {"r": a["resident"], "k": kind, "v": value}, token=a["token"]))["data"]["addResidentContact"]["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [("VALIDATION", "value")], (kind, value, errors)
    body = await gql(REGISTER, {"p": a["p"], "u": to_global_id("Unit", a["unit"]), "n": "赵六", "ph": "138****8000"}, token=a["token"])
    assert [(e["code"], e["field"]) for e in body["data"]["registerResident"]["errors"]] == [("VALIDATION", "phone")]
    found = await gql(LOOKUP, {"ph": "138****8000"}, token=a["token"])
    assert found.get("data", {}) is None or not (found["data"]["callerLookup"] or {}).get("residents"), found
