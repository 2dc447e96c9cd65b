"""The archive's new parts (residents' belongings, PIPL erasure and export) tried as an attacker
would, through the real app as the application role: the SECURITY DEFINER `erase_copies` called
directly with another company's or project's ids, a resident whose name or contact looks like the
JSON it is erased from, one number typed in full-width or with a zero-width space, two requests
racing for one natural key, ids of the wrong type, and keys and roles without the permission."""

from __future__ import annotations

import asyncio
import io
import uuid

import openpyxl

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.graphql.types.node import from_global_id, to_global_id
from tenants.context import TenantScope
from tests.conftest import add_unit, add_user
from tests.integration.test_resident_erase import holding, someone

REGISTER = """mutation($p: ID!, $u: ID, $n: String!, $ph: String) { registerResident(input: {projectId: $p, name: $n,
  phone: $ph, unitId: $u, role: OWNER}) { resident { id } errors { code field message } } }"""
CASE = """mutation($p: ID!, $u: ID!, $r: ID!, $d: String!) { registerCase(input: {projectId: $p, kind: COMPLAINT,
  channel: PHONE, category: "noise", unitId: $u, reporterResidentId: $r, description: $d}) { case { id number }
  errors { code message } } }"""
ERASE = """mutation($r: ID!) { eraseResident(residentId: $r, reason: "本人要求删除") { resident { name erased }
  errors { code field message } } }"""
CONTACT = """mutation($r: ID!, $k: ContactKind!, $v: String!) { addResidentContact(residentId: $r, kind: $k, value: $v) {
  contact { id valueMasked } errors { code reason field message } } }"""
VEHICLE = """mutation($r: ID!, $plate: String!) { registerVehicle(input: {residentId: $r, plate: $plate}) {
  vehicle { id plate } errors { code reason field message existingId } } }"""
SPACE = """mutation($p: ID!, $n: String!) { createParkingSpace(input: {projectId: $p, area: "B1", number: $n}) {
  parkingSpace { id } errors { code reason field } } }"""
PET = """mutation($r: ID!, $n: String!) { registerPet(input: {residentId: $r, name: $n, species: DOG}) {
  pet { id } errors { code reason field } } }"""
ADD_CHANNEL = ("mutation($i: DeliveryChannelInput!) { addDeliveryChannel(input: $i) { channel { id } "
               "errors { code field message } } }")
LOOKUP = "query($ph: String) { callerLookup(phone: $ph) { residents { name } } }"


async def _resident(gql, token, project: str, unit: uuid.UUID, name: str, phone: str | None = None) -> str:
    body = await gql(REGISTER, {"p": project, "u": to_global_id("Unit", unit), "n": name, "ph": phone}, token=token)
    assert body["data"]["registerResident"]["errors"] == [], body
    return body["data"]["registerResident"]["resident"]["id"]


async def _case(gql, token, project: str, unit: uuid.UUID, resident: str, description: str) -> str:
    body = await gql(CASE, {"p": project, "u": to_global_id("Unit", unit), "r": resident, "d": description}, token=token)
    assert body["data"]["registerCase"]["errors"] == [], body
    return body["data"]["registerCase"]["case"]["id"]


@pytest.fixture
async def two(gql, owner_engine, org, other_org):
    """A resident with a case in each company, and one in the first company's other project."""
    out = {}
    for key, company, project in (("a", org, "P1"), ("a2", org, "P2"), ("b", other_org, "P1")):
        unit, _ = await add_unit(owner_engine, company, project, "1502")
        token = await gql.login(company)
        p = to_global_id("Project", company.projects[project])
        resident = await _resident(gql, token, p, unit, "王建国", "13800138000")
        case = await _case(gql, token, p, unit, resident, "王建国来电：楼上深夜噪音 13800138000")
        out[key] = {"org": company, "project": company.projects[project], "p": p, "unit": unit, "token": token,
                    "resident": resident, "case": from_global_id(case, "Case")}
    return out


async def _copies(owner_engine, org_id, but: uuid.UUID | None = None) -> list:
    """Every text erase_copies may rewrite for one company (but the rows of entity `but`)."""
    async with owner_engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(text(
            "SELECT 'audit', id::text, coalesce(note, '') || CAST(data AS text) FROM audit_log WHERE org_id = :o "
            "AND entity_id IS DISTINCT FROM :but "
            "UNION ALL SELECT 'outbox', id::text, CAST(payload AS text) FROM outbox WHERE org_id = :o ORDER BY 1, 2"),
            {"o": org_id, "but": but})]


async def test_erase_copies_called_directly_rewrites_nothing_but_an_erased_residents_own(gql, platform, owner_engine, two):
    a, a2, b = two["a"], two["a2"], two["b"]
    # An erased resident of the first company, with no case: the only name the function accepts.
    gone = await _resident(gql, a["token"], a["p"], a["unit"], "赵六", "13500135000")
    assert (await gql(ERASE, {"r": gone}, token=a["token"]))["data"]["eraseResident"]["errors"] == []
    gone = from_global_id(gone, "Resident")
    not_erased = from_global_id(a["resident"], "Resident")
    before_b, before_a = await _copies(owner_engine, b["org"].org_id), await _copies(owner_engine, a["org"].org_id, gone)
    assert before_b and before_a  # there is something the pattern "." would rewrite
    call = text("SELECT erase_copies(:p, :r, CAST(:cases AS uuid[]), CAST(:alerts AS uuid[]), :pat, :mask)")
    everything = {"cases": [a["case"], b["case"], a2["case"]], "alerts": [], "pat": ".", "mask": "***"}
    everyone = TenantScope(org_id=a["org"].org_id, actor="user:x")
    for scope, project, resident in (
        (everyone, b["project"], from_global_id(b["resident"], "Resident")),  # another company's project and resident
        (everyone, b["project"], gone),
        (TenantScope(org_id=a["org"].org_id, projects=frozenset({a["project"]}), actor="user:x"), a2["project"], gone),
        (everyone, a["project"], not_erased),  # a resident not erased: their case's audit trail is append-only
        (everyone, a["project"], from_global_id(b["resident"], "Resident")),
        (None, a["project"], gone),  # no tenant at all
    ):
        with pytest.raises(DBAPIError, match="erase_copies: "):
            async with platform.transaction(scope) as conn:
                await conn.execute(call, {"p": project, "r": resident, **everything})
    # A mask of the caller's choosing would write its text into the audit trail: refused.
    with pytest.raises(DBAPIError, match="erase_copies: "):
        async with platform.transaction(everyone) as conn:
            await conn.execute(call, {"p": a["project"], "r": gone, **everything, "mask": "已核实无误"})
    # The erased resident named, other residents' and companies' cases listed: none of them rewritten.
    async with platform.transaction(everyone) as conn:
        await conn.execute(call, {"p": a["project"], "r": gone, **everything})
    assert await _copies(owner_engine, b["org"].org_id) == before_b
    assert await _copies(owner_engine, a["org"].org_id, gone) == before_a


async def _payloads(owner_engine, org_id, case_id) -> list:
    async with owner_engine.connect() as conn:
        return [r.payload for r in await conn.execute(text(
            "SELECT payload FROM outbox WHERE org_id = :o AND payload ->> 'case_id' = :c ORDER BY id"),
            {"o": org_id, "c": str(case_id)})]


@pytest.mark.parametrize(("name", "wechat"), [('": "', "wx_li_2024"), ("李秀英", "case_id")])
async def test_erasure_rewrites_values_never_the_json_around_them(gql, owner_engine, two, name, wechat):
    """A name or contact that spells JSON punctuation or one of the payloads' keys: erasing it must
    neither fail on the JSON it would break nor rename the keys the outbox is read by."""
    a = two["a"]
    resident = await _resident(gql, a["token"], a["p"], a["unit"], name, "13600136000")
    added = await gql(CONTACT, {"r": resident, "k": "WECHAT", "v": wechat}, token=a["token"])
    assert added["data"]["addResidentContact"]["errors"] == [], added
    case = from_global_id(await _case(gql, a["token"], a["p"], a["unit"], resident, f"{name} 来电，微信 {wechat}"), "Case")
    keys_before = [sorted(p) for p in await _payloads(owner_engine, a["org"].org_id, case)]
    assert keys_before
    done = await gql(ERASE, {"r": resident}, token=a["token"])
    assert done["data"]["eraseResident"]["errors"] == [], done
    assert [sorted(p) for p in await _payloads(owner_engine, a["org"].org_id, case)] == keys_before
    async with owner_engine.connect() as conn:
        description = (await conn.execute(text("SELECT description FROM cases WHERE id = :c"), {"c": case})).scalar_one()
    assert wechat not in description and name not in description


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


async def test_reasons_typed_about_the_resident_are_erased_with_them(gql, client, owner_engine, org, two):
    """A reason is free text: staff write the name or number into a reveal's, an export's or the
    erasure's own reason. Those audit rows are the resident's, not a case's; none may keep them."""
    a = two["a"]
    who = someone()
    resident = await _resident(gql, a["token"], a["p"], a["unit"], who["name"], who["typed"])
    reveal = ('mutation($r: ID!, $why: String!) { revealResidentData(residentId: $r, field: PHONE, reason: $why) '
              '{ value errors { code } } }')
    shown = await gql(reveal, {"r": resident, "why": f"回访{who['name']}，核对 {who['dashed']}"}, token=a["token"])
    assert shown["data"]["revealResidentData"]["errors"] == [], shown
    r = await client.get(f"/export/residents/{resident}/personal-data.xlsx", params={"reason": f"{who['name']}本人申请查阅"},
                         headers={"authorization": f"Bearer {a['token']}"})
    assert r.status_code == 200, r.text
    needles = [who["name"], who["phone"], who["dashed"]]
    assert {("audit_log", "data")} <= {(t, c) for t, c, _ in await holding(owner_engine, needles)}
    erase = 'mutation($r: ID!, $why: String!) { eraseResident(residentId: $r, reason: $why) { errors { code } } }'
    done = await gql(erase, {"r": resident, "why": f"{who['name']}本人来电（{who['phone']}）要求删除"}, token=a["token"])
    assert done["data"]["eraseResident"]["errors"] == [], done
    assert await holding(owner_engine, needles) == set()
    async with owner_engine.connect() as conn:
        reasons = (await conn.execute(text(
            "SELECT action, data ->> 'reason' FROM audit_log WHERE entity_id = :r AND data ? 'reason' ORDER BY id"),
            {"r": from_global_id(resident, "Resident")})).all()
    assert [tuple(x) for x in reasons] == [("personal_data.revealed", "回访***，核对 ***"),
                                           ("personal_data.exported", "***本人申请查阅"), ("resident.erased", "***本人来电（***）要求删除")]


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


async def test_three_erasures_of_one_resident_at_once_erase_once(gql, owner_engine, two):
    a = two["a"]
    bodies = await asyncio.gather(*(gql(ERASE, {"r": a["resident"]}, token=a["token"]) for _ in range(3)))
    assert all(b["data"]["eraseResident"]["errors"] == [] for b in bodies), bodies
    async with owner_engine.connect() as conn:
        rows = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE entity_id = :r AND action = 'resident.erased'"),
                                   {"r": from_global_id(a["resident"], "Resident")})).scalar()
    assert rows == 1


async def test_a_receivers_answer_quoting_them_is_erased_from_the_delivery_log(gql, owner_engine, two):
    """A webhook receiver that refuses an event often quotes it back; the sender keeps the first
    200 characters of the answer on the delivery and on each attempt."""
    a = two["a"]
    who = someone()
    resident = await _resident(gql, a["token"], a["p"], a["unit"], who["name"], who["phone"])
    case = from_global_id(await _case(gql, a["token"], a["p"], a["unit"], resident, f"{who['name']}反映漏水"), "Case")
    hook = {"kind": "WEBHOOK", "name": "业主App", "target": "https://hooks.example.com/in", "secret": "whsec-0123456789abcdef",
            "topics": ["case.declined"]}
    added = (await gql(ADD_CHANNEL, {"i": hook}, token=a["token"]))["data"]["addDeliveryChannel"]
    assert added["errors"] == [], added
    answer = f'HTTP 422: {{"error": "unknown resident {who["name"]} ({who["phone"]})"}}'
    async with owner_engine.begin() as conn:
        event = (await conn.execute(text("SELECT id FROM outbox WHERE org_id = :o AND payload ->> 'case_id' = :c LIMIT 1"),
                                    {"o": a["org"].org_id, "c": str(case)})).scalar_one()
        delivery = (await conn.execute(text(
            "INSERT INTO deliveries (org_id, channel_id, project_id, event_id, topic, title, body, data, attempts, last_error) "
            "VALUES (:o, :ch, :p, :e, 'case.registered', '新工单', '漏水', '{}', 1, :err) RETURNING id"),
            {"o": a["org"].org_id, "ch": from_global_id(added["channel"]["id"], "DeliveryChannel"), "p": a["project"],
             "e": event, "err": answer})).scalar_one()
        await conn.execute(text("INSERT INTO delivery_attempts (org_id, delivery_id, ok, status_code, error, duration_ms) "
                                "VALUES (:o, :d, false, 422, :err, 12)"), {"o": a["org"].org_id, "d": delivery, "err": answer})
    needles = [who["name"], who["phone"]]
    assert {("deliveries", "last_error"), ("delivery_attempts", "error")} <= {(t, c) for t, c, _ in
                                                                              await holding(owner_engine, needles)}
    done = await gql(ERASE, {"r": resident}, token=a["token"])
    assert done["data"]["eraseResident"]["errors"] == [], done
    assert await holding(owner_engine, needles) == set()


async def test_the_personal_data_export_is_no_way_round_the_hourly_reveal_limit(gql, client, owner_engine, org, two):
    """An agent may see 30 full numbers an hour; each copy of a resident's record opens all of
    theirs, so it counts as one of the 30, and past them it is refused like a reveal."""
    a = two["a"]
    actor = f"user:{await add_user(owner_engine, org, 'agent7', 'cs_agent', 'P1')}"
    agent = await gql.login(org, "agent7")
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO audit_log (org_id, project_id, actor, action, entity, entity_id, data) "
                                "SELECT :o, :p, :a, 'personal_data.revealed', 'resident', :r, '{\"field\": \"phone\"}' "
                                "FROM generate_series(1, 29)"),
                           {"o": org.org_id, "p": a["project"], "a": actor, "r": from_global_id(a["resident"], "Resident")})

    def export():
        return client.get(f"/export/residents/{a['resident']}/personal-data.xlsx", params={"reason": "本人申请查阅"},
                          headers={"authorization": f"Bearer {agent}"})

    assert (await export()).status_code == 200  # the 30th
    refused = await export()
    assert (refused.status_code, refused.json()["errors"][0]["extensions"]["code"]) == (429, "RATE_LIMITED")
    reveal = await gql('mutation($r: ID!) { revealResidentData(residentId: $r, field: PHONE, reason: "回访") '
                       '{ value errors { code } } }', {"r": a["resident"]}, token=agent)
    assert reveal["data"]["revealResidentData"] == {"value": None, "errors": [{"code": "RATE_LIMITED"}]}
    async with owner_engine.connect() as conn:
        exported = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE actor = :a AND action = 'personal_data.exported'"),
                                       {"a": actor})).scalar()
    assert exported == 1


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


async def test_a_two_character_name_in_a_text_at_its_length_limit_is_erased(gql, owner_engine, two):
    """*** is longer than 王芳: masking must not push a full description past its limit and so
    make the erasure fail, for good."""
    a = two["a"]
    resident = await _resident(gql, a["token"], a["p"], a["unit"], "王芳", "13500135001")
    full = "王芳" + "楼上噪音" * 1249 + "王王"  # 5,000 characters, the most a description holds
    assert len(full) == 5000
    case = from_global_id(await _case(gql, a["token"], a["p"], a["unit"], resident, full), "Case")
    done = await gql(ERASE, {"r": resident}, token=a["token"])
    assert done["data"]["eraseResident"]["errors"] == [], done
    async with owner_engine.connect() as conn:
        description = (await conn.execute(text("SELECT description FROM cases WHERE id = :c"), {"c": case})).scalar_one()
    assert "王芳" not in description and description.endswith("楼上噪音王王") and len(description) <= 5000
