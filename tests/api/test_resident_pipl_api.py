"""A resident's rights under PIPL through the real app, as the application role (docs/archive.md
§3): their copy, `GET /export/residents/{id}/personal-data.xlsx?reason=` — unmasked, every sheet,
audited `personal_data.exported` with the read — and `eraseResident`. Another company's resident,
or one of a project out of reach, is NOT_FOUND alike; a role without the permission is refused;
a refusal writes nothing."""

from __future__ import annotations

import io
import uuid

import openpyxl
import pytest
from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tests.conftest import add_unit, add_user

REGISTER = """mutation($p: ID!, $u: ID) { registerResident(input: {projectId: $p, name: "王建国", phone: "138 0013 8000",
  idNumber: "11010519491231002X", unitId: $u, role: OWNER, movedInOn: "2021-03-01", primaryContact: true, note: "独居"},
  idempotencyKey: "rr") { resident { id } errors { code message } } }"""
CASE = """mutation($p: ID!, $u: ID!, $r: ID!) { registerCase(input: {projectId: $p, kind: COMPLAINT, channel: PHONE,
  category: "noise", unitId: $u, reporterResidentId: $r, description: "王建国来电：楼上深夜噪音"}) { case { id number }
  errors { code message } } }"""
REVEAL = """mutation($r: ID!) { revealResidentData(residentId: $r, field: PHONE, reason: "回访联系") { value errors { code } } }"""
ERASE = """mutation($r: ID!, $why: String!, $k: String) { eraseResident(residentId: $r, reason: $why, idempotencyKey: $k) {
  resident { id name erased phoneMasked kind } errors { code field message } } }"""
SHEETS = ["基本信息", "房屋与入住", "联系方式", "车辆", "宠物", "工单", "查看记录"]


@pytest.fixture
async def world(gql, owner_engine, org, other_org, platform):
    unit, _ = await add_unit(owner_engine, org, "P1", "1502")
    p1 = to_global_id("Project", org.projects["P1"])
    admin = await gql.login(org)
    r = (await gql(REGISTER, {"p": p1, "u": to_global_id("Unit", unit)}, token=admin))["data"]["registerResident"]
    assert r["errors"] == [], r
    resident = r["resident"]["id"]
    rid = from_global_id(resident, "Resident")
    async with owner_engine.begin() as conn:
        params = {"o": org.org_id, "p": org.projects["P1"], "r": rid, "u": unit, "s": uuid.uuid4(),
                  "e": platform.cipher.encrypt("13700137000"), "h": platform.cipher.lookup_hash("13700137000")}
        await conn.execute(text("INSERT INTO resident_contacts (org_id, project_id, resident_id, kind, label, value_enc, "
                                "value_hash, value_masked) VALUES (:o, :p, :r, 'emergency', '紧急联系人·女儿', :e, :h, '137****7000')"),
                           params)
        await conn.execute(text("INSERT INTO parking_spaces (org_id, project_id, id, area, number, holder_id) "
                                "VALUES (:o, :p, :s, '地下B1', '018', :r)"), params)
        await conn.execute(text("INSERT INTO vehicles (org_id, project_id, resident_id, plate, brand, colour, space_id) "
                                "VALUES (:o, :p, :r, '京A12345', '大众', '白', :s)"), params)
        await conn.execute(text("INSERT INTO pets (org_id, project_id, resident_id, unit_id, name, species, breed) "
                                "VALUES (:o, :p, :r, :u, '豆豆', 'dog', '柯基')"), params)
    case = (await gql(CASE, {"p": p1, "u": to_global_id("Unit", unit), "r": resident}, token=admin))["data"]["registerCase"]
    assert case["errors"] == [], case
    for name, role, project in (("pm1", "project_manager", "P1"), ("sup1", "cs_supervisor", "P1"),
                                ("tech1", "technician", "P1"), ("pm2", "project_manager", "P2"), ("hq", "hq_supervisor", None)):
        await add_user(owner_engine, org, name, role, project)
    # A project manager of P2 who only dispatches in P1: personal_data:erase, but not on P1.
    mixed = await add_user(owner_engine, org, "mixed", "project_manager", "P2")
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO role_assignments (org_id, user_id, role, project_id) VALUES (:o, :u, 'dispatcher', :p)"),
                           {"o": org.org_id, "u": mixed, "p": org.projects["P1"]})
    tokens = {name: await gql.login(org, name) for name in ("pm1", "sup1", "tech1", "pm2", "hq", "mixed")}
    return {"resident": resident, "rid": rid, "case": case["case"], "admin": admin, "stranger": await gql.login(other_org),
            **tokens}


async def export(client, resident: str, token: str | None, reason: str | None = "本人申请查阅个人信息"):
    params = {"reason": reason} if reason is not None else {}
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return await client.get(f"/export/residents/{resident}/personal-data.xlsx", params=params, headers=headers)


def sheets(body: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return {ws.title: [tuple(c for c in row) for row in ws.iter_rows(min_row=2, values_only=True)] for ws in book.worksheets}


async def exported(owner_engine, org) -> list[tuple]:
    async with owner_engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(text(
            "SELECT actor, entity_id, data FROM audit_log WHERE org_id = :o AND action = 'personal_data.exported' ORDER BY id"),
            {"o": org.org_id})]


async def test_the_export_is_their_whole_record_unmasked_and_audited(client, gql, world, owner_engine, org):
    assert (await gql(REVEAL, {"r": world["resident"]}, token=world["sup1"]))["data"]["revealResidentData"]["value"] == "13800138000"
    r = await export(client, world["resident"], world["pm1"])
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats") and r.headers["cache-control"] == "no-store"
    got = sheets(r.content)
    assert list(got) == SHEETS
    basic = dict(got["基本信息"])
    assert (basic["姓名 Name"], basic["手机号 Phone"], basic["证件号码 ID number"]) == ("王建国", "13800138000", "11010519491231002X")
    assert (basic["证件类型 ID kind"], basic["备注 Note"], basic["项目 Project"]) == ("居民身份证", "独居", "项目1")
    (flat, role, primary, moved_in, moved_out, now), = got["房屋与入住"]
    assert (flat.endswith("1502"), role, primary, moved_in.date().isoformat(), moved_out, now) == (True, "业主", "是", "2021-03-01",
                                                                                                     None, "在住")
    assert got["联系方式"] == [("紧急联系人 Emergency", "紧急联系人·女儿", "13700137000")]
    assert got["车辆"] == [("京A12345", "小汽车 Car", "大众", "白", "地下B1 018", None)]
    assert got["宠物"] == [("豆豆", "犬 Dog", "柯基", None, None)]
    (number, _, kind, category, description, state), = got["工单"]
    assert (number, kind, category, description, state) == (world["case"]["number"], "投诉 Complaint", "噪音", "王建国来电：楼上深夜噪音",
                                                            "已受理 Received")
    (_, what, who, field, why, _), = got["查看记录"]
    assert (what, who, field, why) == ("查看完整号码 Revealed", "sup1", "手机号 Phone", "回访联系")
    assert await exported(owner_engine, org) == [(f"user:{(await _id(owner_engine, org, 'pm1'))}", world["rid"],
                                                  {"reason": "本人申请查阅个人信息"})]
    # The next copy lists the first one among who saw their data.
    again = sheets((await export(client, world["resident"], world["admin"], "再次申请")).content)
    assert [(v[1], v[2], v[4]) for v in again["查看记录"]] == [("查看完整号码 Revealed", "sup1", "回访联系"),
                                                              ("导出个人信息 Exported", "pm1", "本人申请查阅个人信息")]


async def _id(owner_engine, org, username: str) -> uuid.UUID:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT id FROM users WHERE org_id = :o AND username = :u"),
                                   {"o": org.org_id, "u": username})).scalar_one()


async def test_the_export_is_refused_alike_and_writes_nothing(client, world, owner_engine, org):
    missing = to_global_id("Resident", uuid.uuid4())
    for resident, token, status, code in (
        (world["resident"], world["pm1"], 400, "VALIDATION"),  # the reason below: none
        (world["resident"], None, 401, "UNAUTHENTICATED"),
        (world["resident"], world["tech1"], 403, "FORBIDDEN"),  # personal_data:read nowhere
        (world["resident"], world["hq"], 403, "FORBIDDEN"),
        (world["resident"], world["pm2"], 404, "NOT_FOUND"),  # another project of the company
        (world["resident"], world["stranger"], 404, "NOT_FOUND"),  # another company
        (missing, world["pm1"], 404, "NOT_FOUND"),
        ("not-an-id", world["pm1"], 400, "VALIDATION"),
    ):
        r = await export(client, resident, token, None if code == "VALIDATION" and resident == world["resident"] else "查阅")
        assert (r.status_code, r.json()["errors"][0]["extensions"]["code"]) == (status, code), (token, r.text)
    for reason in ("", "x", "长" * 201):
        r = await export(client, world["resident"], world["pm1"], reason)
        assert (r.status_code, r.json()["errors"][0]["extensions"]["code"]) == (400, "VALIDATION")
    assert await exported(owner_engine, org) == []
    # Another company's resident and a missing one answer the very same body.
    a = await export(client, world["resident"], world["stranger"], "查阅")
    b = await export(client, missing, world["stranger"], "查阅")
    assert a.json() == b.json()


async def test_erase_through_the_api(client, gql, world, owner_engine, org):
    resident = world["resident"]
    # No personal_data:erase anywhere: refused before the resolver. Erase elsewhere only: refused on P1.
    assert (await gql(ERASE, {"r": resident, "why": "本人要求"}, token=world["sup1"]))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = (await gql(ERASE, {"r": resident, "why": "本人要求"}, token=world["mixed"]))["data"]["eraseResident"]
    assert (body["resident"], body["errors"][0]["code"]) == (None, "FORBIDDEN")
    for token in (world["pm2"], world["stranger"]):
        body = (await gql(ERASE, {"r": resident, "why": "本人要求"}, token=token))["data"]["eraseResident"]
        assert (body["resident"], body["errors"][0]["code"], body["errors"][0]["field"]) == (None, "NOT_FOUND", "residentId")
    body = (await gql(ERASE, {"r": resident, "why": " "}, token=world["pm1"]))["data"]["eraseResident"]
    assert body["errors"][0]["code"] == "VALIDATION" and body["errors"][0]["field"] == "reason"
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT name FROM residents WHERE id = :r"), {"r": world["rid"]})).scalar() == "王建国"

    done = (await gql(ERASE, {"r": resident, "why": "本人来电要求删除", "k": "er-1"}, token=world["pm1"]))["data"]["eraseResident"]
    assert done == {"resident": {"id": resident, "name": "已删除住户", "erased": True, "phoneMasked": None, "kind": "PERSON"},
                    "errors": []}
    again = (await gql(ERASE, {"r": resident, "why": "又一次", "k": "er-2"}, token=world["admin"]))["data"]["eraseResident"]
    assert again == done

    # The case stays, and answers the anonymised resident.
    case = await gql('query($c: ID!) { node(id: $c) { ... on Case { number description resident { name erased } } } }',
                     {"c": world["case"]["id"]}, token=world["pm1"])
    assert case["data"]["node"] == {"number": world["case"]["number"], "description": "***来电：楼上深夜噪音",
                                    "resident": {"name": "已删除住户", "erased": True}}
    # Lookups by their phone, or their contact's, find nobody.
    p1 = to_global_id("Project", org.projects["P1"])
    for phone in ("13800138000", "13700137000"):
        found = await gql('query($ph: String) { callerLookup(phone: $ph) { residents { name } } }', {"ph": phone}, token=world["pm1"])
        assert found["data"]["callerLookup"]["residents"] == []
        listed = await gql('query($p: ID!, $f: ResidentFilter) { residents(projectId: $p, filter: $f) { totalCount } }',
                           {"p": p1, "f": {"phone": phone, "current": False}}, token=world["pm1"])
        assert listed["data"]["residents"]["totalCount"] == 0
    # Their copy now holds what is left: an anonymous id, its stay and its cases.
    got = sheets((await export(client, resident, world["pm1"])).content)
    basic = dict(got["基本信息"])
    assert (basic["姓名 Name"], basic["手机号 Phone"], basic["证件号码 ID number"]) == ("已删除住户", None, None)
    assert (got["联系方式"], got["车辆"], got["宠物"], len(got["房屋与入住"]), len(got["工单"])) == ([], [], [], 1, 1)
