"""Finding the caller and revealing their data (docs/archive.md §3, §5, slice 4): `callerLookup` by
phone through the keyed hash or by part of a flat number, masked; `revealResidentData` with a
reason, the assignee's case rule and the hourly limit, each reveal an audit row; and
`personalDataReveals`. Nothing of another company, nor of a project outside the caller's grants."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tenants.personal_data import PersonalDataCipher
from tests.api.test_archive_api import _archive
from tests.conftest import add_user

LOOKUP = """query($phone: String, $flat: String, $p: ID) { callerLookup(phone: $phone, flat: $flat, projectId: $p) {
  residents { name phoneMasked occupancies { unit { label } } openCases { number } } units { label } } }"""
REVEAL = """mutation($r: ID!, $f: PersonalDataField!, $why: String!, $c: ID, $k: String) {
  revealResidentData(residentId: $r, field: $f, reason: $why, caseId: $c, idempotencyKey: $k) {
    value replayed errors { code message field retryAfter } } }"""
REVEALS = """query($p: ID!, $r: ID) { personalDataReveals(projectId: $p, residentId: $r) { totalCount
  edges { node { actor actorName field reason caseId resident { name } } } } }"""


async def _seal(owner_engine, settings, resident: str, phone: str) -> None:
    """The fixture's residents carry a placeholder ciphertext; a reveal needs the real one."""
    cipher = PersonalDataCipher(settings.secret("data_key"), settings.secret("lookup_key"))
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE residents SET phone_enc = :e, id_number_enc = :i WHERE id = :id"),
                           {"e": cipher.encrypt(phone), "i": cipher.encrypt("11010519491231002X"),
                            "id": from_global_id(resident, "Resident")})


@pytest.fixture
async def world(gql, owner_engine, settings, org, other_org):
    mine = await _archive(owner_engine, settings, org, "P1", "13800138000")
    ungranted = await _archive(owner_engine, settings, org, "P2", "13900139000")
    foreign = await _archive(owner_engine, settings, other_org, "P1", "13800138000")
    for who, phone in ((mine, "13800138000"), (ungranted, "13900139000"), (foreign, "13800138000")):
        await _seal(owner_engine, settings, who["r"], phone)
    admin = await gql.login(org)
    p1 = to_global_id("Project", org.projects["P1"])
    case = await gql('mutation($p: ID!, $u: ID!, $r: ID!) { registerCase(input: {projectId: $p, kind: REPAIR, channel: PHONE, '
                     'category: "water_power", unitId: $u, reporterResidentId: $r, description: "厨房漏水"}) '
                     '{ case { id number } errors { code message } } }', {"p": p1, "u": mine["u1"], "r": mine["r"]}, token=admin)
    assert case["data"]["registerCase"]["errors"] == [], case
    users = {name: await add_user(owner_engine, org, name, role, "P1")
             for name, role in (("pm1", "project_manager"), ("tech1", "technician"), ("tech2", "technician"))}
    return {"mine": mine, "ungranted": ungranted, "foreign": foreign, "admin": admin, "p1": p1, "users": users,
            "p2": to_global_id("Project", org.projects["P2"]), "other_p1": to_global_id("Project", other_org.projects["P1"]),
            "case": case["data"]["registerCase"]["case"], "other_admin": await gql.login(other_org),
            **{name: await gql.login(org, name) for name in users}}


async def test_by_phone_finds_the_caller_their_flats_and_open_cases(gql, world):
    body = await gql(LOOKUP, {"phone": "+86 138-0013-8000"}, token=world["pm1"])
    assert "errors" not in body, body
    assert body["data"]["callerLookup"] == {
        "residents": [{"name": "王建国", "phoneMasked": "138****8000", "occupancies": [{"unit": {"label": "3号楼 2单元 1502"}}],
                       "openCases": [{"number": world["case"]["number"]}]}],
        "units": [{"label": "3号楼 2单元 1502"}]}  # 803 was left in 2021: not offered
    # Every project in reach: the company-wide admin finds P2's caller, P1's manager does not.
    wide = await gql(LOOKUP, {"phone": "13900139000"}, token=world["admin"])
    assert [r["name"] for r in wide["data"]["callerLookup"]["residents"]] == ["王建国"]
    scoped = await gql(LOOKUP, {"phone": "13900139000"}, token=world["pm1"])
    assert scoped["data"]["callerLookup"] == {"residents": [], "units": []}
    outside = await gql(LOOKUP, {"phone": "13900139000", "p": world["p2"]}, token=world["pm1"])
    assert outside["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_by_part_of_a_flat_number(gql, world):
    for flat, units, people in (("3-2-1502", ["3号楼 2单元 1502"], ["李秀英", "王建国"]),
                                ("3栋2单元1502", ["3号楼 2单元 1502"], ["李秀英", "王建国"]),
                                ("50", ["3号楼 2单元 1502"], ["李秀英", "王建国"]),
                                ("3#803", ["3号楼 803"], []),  # nobody lives there now
                                ("4-2-1502", [], []), ("3-1-1502", [], [])):
        body = await gql(LOOKUP, {"flat": flat, "p": world["p1"]}, token=world["pm1"])
        got = body["data"]["callerLookup"]
        assert ([u["label"] for u in got["units"]], [r["name"] for r in got["residents"]]) == (units, people), (flat, body)
    for variables, field in (({"flat": "1502"}, "projectId"), ({"phone": "13800138000", "flat": "1502"}, "phone"),
                             ({"phone": "12345"}, "phone"), ({"flat": "东区", "p": world["p1"]}, "flat")):
        bad = await gql(LOOKUP, variables, token=world["pm1"])
        assert bad["errors"][0]["extensions"]["code"] == "VALIDATION", (variables, bad)
        assert bad["errors"][0]["extensions"].get("field") == field, (variables, bad)


async def test_another_company_finds_none_of_ours(gql, world):
    theirs = await gql(LOOKUP, {"phone": "13800138000"}, token=world["other_admin"])
    residents = theirs["data"]["callerLookup"]["residents"]
    assert len(residents) == 1 and residents[0]["openCases"] == []  # their own 王建国, not ours with our case
    ours = await gql(LOOKUP, {"flat": "1502", "p": world["p1"]}, token=world["other_admin"])
    assert ours["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    denied = await gql(LOOKUP, {"phone": "13800138000"}, token=world["tech1"])
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # no archive:read


async def test_a_reveal_needs_a_reason_and_leaves_an_audit_row(gql, world, owner_engine):
    r = world["mine"]["r"]
    short = await gql(REVEAL, {"r": r, "f": "PHONE", "why": " 回 "}, token=world["pm1"])
    assert short["data"]["revealResidentData"]["errors"][0]["field"] == "reason"
    shown = await gql(REVEAL, {"r": r, "f": "PHONE", "why": "回访联系", "k": "reveal-1"}, token=world["pm1"])
    assert shown["data"]["revealResidentData"] == {"value": "13800138000", "replayed": False, "errors": []}
    again = await gql(REVEAL, {"r": r, "f": "PHONE", "why": "回访联系", "k": "reveal-1"}, token=world["pm1"])
    assert again["data"]["revealResidentData"] == {"value": None, "replayed": True, "errors": []}  # shown once
    card = await gql(REVEAL, {"r": r, "f": "ID_NUMBER", "why": "核实身份"}, token=world["pm1"])
    assert card["data"]["revealResidentData"]["value"] == "11010519491231002X"
    async with owner_engine.connect() as conn:
        rows = (await conn.execute(text("SELECT actor, data FROM audit_log WHERE action = 'personal_data.revealed' "
                                        "AND entity_id = :r ORDER BY id"), {"r": from_global_id(r, "Resident")})).all()
        kept = (await conn.execute(text("SELECT response::text FROM idempotency_keys WHERE key = 'reveal-1'"))).scalar_one()
    assert [row.data for row in rows] == [{"field": "phone", "reason": "回访联系"}, {"field": "id_number", "reason": "核实身份"}]
    assert rows[0].actor == f"user:{world['users']['pm1']}"
    assert "13800138000" not in kept and "8000" not in json.dumps(rows[0].data)

    seen = await gql(REVEALS, {"p": world["p1"], "r": r}, token=world["pm1"])
    assert seen["data"]["personalDataReveals"]["totalCount"] == 2
    assert seen["data"]["personalDataReveals"]["edges"][0]["node"] == {
        "actor": f"user:{world['users']['pm1']}", "actorName": "pm1", "field": "ID_NUMBER", "reason": "核实身份",
        "caseId": None, "resident": {"name": "王建国"}}
    assert (await gql(REVEALS, {"p": world["p1"]}, token=world["tech1"]))["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_nobody_outside_reveals_or_reads_the_reveals(gql, world):
    for token, resident in ((world["other_admin"], world["mine"]["r"]), (world["pm1"], world["ungranted"]["r"]),
                            (world["admin"], world["foreign"]["r"])):
        body = await gql(REVEAL, {"r": resident, "f": "PHONE", "why": "回访联系"}, token=token)
        assert body["data"]["revealResidentData"]["errors"][0]["code"] == "NOT_FOUND", body
        assert body["data"]["revealResidentData"]["value"] is None
    for token, project in ((world["other_admin"], world["p1"]), (world["pm1"], world["p2"])):
        body = await gql(REVEALS, {"p": project}, token=token)
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_the_assignee_of_an_open_case_may_see_the_phone(gql, world, owner_engine):
    r, case = world["mine"]["r"], world["case"]["id"]
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE cases SET assignee_id = :t WHERE id = :c"),
                           {"t": world["users"]["tech1"], "c": from_global_id(case, "Case")})
    for token, field, case_id in ((world["tech1"], "PHONE", None), (world["tech1"], "ID_NUMBER", case),
                                  (world["tech2"], "PHONE", case)):
        refused = await gql(REVEAL, {"r": r, "f": field, "why": "上门联系", "c": case_id}, token=token)
        assert refused["data"]["revealResidentData"]["errors"][0]["code"] == "FORBIDDEN", (field, refused)
    other = await gql(REVEAL, {"r": world["mine"]["r2"], "f": "PHONE", "why": "上门联系", "c": case}, token=world["tech1"])
    assert other["data"]["revealResidentData"]["errors"][0]["code"] == "FORBIDDEN"  # not the case's reporter
    shown = await gql(REVEAL, {"r": r, "f": "PHONE", "why": "上门联系", "c": case}, token=world["tech1"])
    assert shown["data"]["revealResidentData"]["value"] == "13800138000"
    seen = await gql(REVEALS, {"p": world["p1"]}, token=world["pm1"])
    assert seen["data"]["personalDataReveals"]["edges"][0]["node"]["caseId"] == case


async def test_at_most_thirty_reveals_an_hour(gql, world, owner_engine, org):
    async with owner_engine.begin() as conn:
        await conn.execute(text(
            "INSERT INTO audit_log (org_id, project_id, actor, action, entity, entity_id, data, at) "
            "SELECT :o, :p, :a, 'personal_data.revealed', 'resident', :r, '{}', now() - make_interval(mins => g) "
            "FROM generate_series(1, 30) g"),
            {"o": org.org_id, "p": org.projects["P1"], "a": f"user:{world['users']['pm1']}",
             "r": from_global_id(world["mine"]["r"], "Resident")})
    body = await gql(REVEAL, {"r": world["mine"]["r"], "f": "PHONE", "why": "回访联系"}, token=world["pm1"])
    error = body["data"]["revealResidentData"]["errors"][0]
    assert error["code"] == "RATE_LIMITED" and 0 < error["retryAfter"] <= 3600 - 29 * 60, error
    assert body["data"]["revealResidentData"]["value"] is None
    # The limit is the person's: another may still reveal.
    assert (await gql(REVEAL, {"r": world["mine"]["r"], "f": "PHONE", "why": "回访联系"},
                      token=world["admin"]))["data"]["revealResidentData"]["value"] == "13800138000"


async def test_a_cursor_that_is_not_ours_is_a_validation_error(gql, world):
    from api.graphql.types.node import encode_cursor

    page = "query($p: ID!, $a: String) { personalDataReveals(projectId: $p, after: $a) { totalCount } }"
    for raw in ("²", "9" * 30, "x1"):  # a non-ASCII digit, past a bigint, not a number
        bad = await gql(page, {"p": world["p1"], "a": encode_cursor(raw)}, token=world["pm1"])
        assert bad["errors"][0]["extensions"]["code"] == "VALIDATION", (raw, bad)
        assert bad["errors"][0]["extensions"].get("field") == "after", (raw, bad)


async def test_a_reveal_names_only_a_case_of_that_resident(gql, world, owner_engine):
    # The admin may read personal data; the case it names is recorded with the reveal, so it must
    # be one the revealed resident reported — here it is P1's caller's, not P2's.
    body = await gql(REVEAL, {"r": world["ungranted"]["r"], "f": "PHONE", "why": "回访核对",
                              "c": world["case"]["id"]}, token=world["admin"])
    errors = body["data"]["revealResidentData"]["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [("VALIDATION", "caseId")], body
    assert body["data"]["revealResidentData"]["value"] is None
    async with owner_engine.connect() as conn:
        reveals = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE action = 'personal_data.revealed' "
                                           "AND entity_id = :r"),
                                      {"r": from_global_id(world["ungranted"]["r"], "Resident")})).scalar_one()
    assert reveals == 0
