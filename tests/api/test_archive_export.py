"""The archive's Excel downloads (docs/archive.md §6.2): the import template, and each list of a
project as the template's sheet — phones and ID numbers masked, read back by the import's reader
without a problem, each export audited — with another company's project, one out of reach and a
caller without the permission refused. Through the real app, as the application role; the rows
are written as the owner (vehicles, pets and spaces have no mutations yet)."""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import date

import openpyxl
import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from domain.archive.export import header
from domain.archive.sheets import SHEETS
from domain.archive.workbook import read_workbook
from tests.conftest import add_user

TEMPLATE = "/export/archive/template.xlsx"
KINDS = [s.key for s in SHEETS]
# The clear values are stored where the ciphertext belongs: had a column of them been selected,
# the digits would show up in the file.
PHONE, ID_NUMBER, STAFF_PHONE = "13800138000", "11010519491231002X", "13700137000"


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def export(kind: str) -> str:
    return f"/export/archive/{kind}.xlsx"


def read(data: bytes) -> dict[str, list[tuple]]:
    """Sheet name → rows, read as the import reads: openpyxl, read-only."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return {ws.title: [tuple(c for c in row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    finally:
        book.close()


def xml(data: bytes) -> str:
    z = zipfile.ZipFile(io.BytesIO(data))
    return "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))


@pytest.fixture
async def people(gql, owner_engine, org, other_org):
    await add_user(owner_engine, org, "disp1", "dispatcher", "P1")
    await add_user(owner_engine, org, "tech1", "technician", "P1")
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    # A technician of P1 who manages P2: sees P1, holds archive:read, but not on P1.
    mixed = await add_user(owner_engine, org, "mixed", "project_manager", "P2")
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO role_assignments (org_id, user_id, role, project_id) VALUES (:o, :u, 'technician', :p)"),
                           {"o": org.org_id, "u": mixed, "p": org.projects["P1"]})
    return {"admin": await gql.login(org), "disp": await gql.login(org, "disp1"), "tech": await gql.login(org, "tech1"),
            "pm2": await gql.login(org, "pm2"), "mixed": await gql.login(org, "mixed"), "stranger": await gql.login(other_org),
            "p1": to_global_id("Project", org.projects["P1"])}


async def archive_of(owner_engine, org, project: str = "P1", extra_units: int = 0) -> None:
    """One of everything, plus a moved-out stay, an erased resident and an inactive staff member
    (none of which is listed), and `extra_units` more flats in building 9号楼."""
    o, p = org.org_id, org.projects[project]
    b, b9, u1, u2, r1, r2, r3, space, dept = (uuid.uuid4() for _ in range(9))

    async def run(sql: str, **params) -> None:
        await conn.execute(text(sql), {"o": o, "p": p, **params})

    async with owner_engine.begin() as conn:
        await run("INSERT INTO buildings (org_id, project_id, id, name, floors) "
                  "VALUES (:o, :p, :b, '3号楼', 18), (:o, :p, :b9, '9号楼', 6)", b=b, b9=b9)
        await run("INSERT INTO units (org_id, project_id, id, building_id, entrance, number, floor, area_m2, use, vacant) VALUES "
                  "(:o, :p, :u1, :b, '2', '1502', 15, 96.5, 'residential', false), (:o, :p, :u2, :b, '', '0101', 1, NULL, 'shop', true)",
                  u1=u1, u2=u2, b=b)
        if extra_units:
            await run("INSERT INTO units (org_id, project_id, building_id, number, floor) "
                      "SELECT :o, :p, :b9, lpad(n::text, 5, '0'), 1 FROM generate_series(1, :n) n", b9=b9, n=extra_units)
        for rid, name, phone, id_number, erased in ((r1, "王建国", PHONE, ID_NUMBER, False), (r2, "李四", "13900139000", None, False),
                                                    (r3, "赵六", "13600136000", None, True)):
            await run("INSERT INTO residents (org_id, project_id, id, name, kind, phone_enc, phone_hash, phone_masked, id_kind, "
                      "id_number_enc, id_number_hash, id_number_masked, note, erased_at) VALUES (:o, :p, :r, :n, 'person', :pe, :ph, :pm, "
                      ":k, :ie, :ih, :im, :note, CASE WHEN :erased THEN now() END)",
                      r=rid, n=name, pe=phone.encode(), ph=uuid.uuid4().bytes, pm=phone[:3] + "****" + phone[-4:],
                      k="id_card" if id_number else None, ie=id_number.encode() if id_number else None,
                      ih=uuid.uuid4().bytes if id_number else None, im=id_number[:4] + "*" * 10 + id_number[-4:] if id_number else None,
                      note="独居老人" if rid == r1 else "", erased=erased)
        await run("INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, primary_contact, moved_in_on, moved_out_on) "
                  "VALUES (:o, :p, :u1, :r1, 'owner', true, '2021-03-01', NULL), (:o, :p, :u1, :r2, 'tenant', false, NULL, NULL), "
                  "(:o, :p, :u2, :r2, 'tenant', false, '2019-01-01', '2020-06-30'), (:o, :p, :u2, :r3, 'owner', false, NULL, NULL)",
                  u1=u1, u2=u2, r1=r1, r2=r2, r3=r3)
        await run("INSERT INTO parking_spaces (org_id, project_id, id, area, number, tenure, unit_id, holder_id, lease_until) "
                  "VALUES (:o, :p, :s, '地下B1', 'A-012', 'leased', :u1, :r1, '2026-12-31')", s=space, u1=u1, r1=r1)
        await run("INSERT INTO vehicles (org_id, project_id, resident_id, plate, kind, brand, colour, space_id, valid_until) "
                  "VALUES (:o, :p, :r1, '粤BD12345', 'new_energy', '比亚迪', '白', :s, '2027-01-31')", r1=r1, s=space)
        await run("INSERT INTO pets (org_id, project_id, resident_id, unit_id, name, species, breed, licence_no, vaccinated_on) "
                  "VALUES (:o, :p, :r1, :u1, '旺财', 'dog', '柴犬', 'QZ-0001', '2025-03-01')", r1=r1, u1=u1)
        await run("INSERT INTO departments (org_id, project_id, id, kind, name) VALUES (:o, :p, :d, 'admin', '档案测试部')", d=dept)
        for name, phone, active in (("王五", STAFF_PHONE, True), ("钱七", "13500135000", False)):
            await run("INSERT INTO staff (org_id, project_id, department_id, name, title, phone_enc, phone_hash, phone_masked, active) "
                      "VALUES (:o, :p, :d, :n, '客服', :pe, :ph, :pm, :a)",
                      d=dept, n=name, pe=phone.encode(), ph=uuid.uuid4().bytes, pm=phone[:3] + "****" + phone[-4:], a=active)


async def test_the_template_has_every_sheet_and_reads_back_without_a_problem(client, people):
    r = await client.get(TEMPLATE, headers=auth(people["disp"]))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert r.headers["content-disposition"].startswith('attachment; filename="archive-template.xlsx"; filename*=UTF-8\'\'')
    assert r.headers["cache-control"] == "no-store"
    sheets = read(r.content)
    assert list(sheets) == ["说明", "楼栋", "房屋", "住户", "车位", "车辆", "宠物", "员工"]
    for sheet in SHEETS:
        assert sheets[sheet.name] == [tuple(header(c) for c in sheet.columns)], sheet.name
    assert sheets["住户"][0][:5] == ("楼栋名称*", "单元", "房号*", "姓名*", "身份*")
    guide = "\n".join(str(c) for row in sheets["说明"] for c in row if c)
    for rule in ("掩码", "不会删除", "迁出日期", "住户：每行是一个人在一套房屋的入住"):
        assert rule in guide, rule

    parsed = read_workbook(r.content)
    assert parsed.report.problems == [] and parsed.rows == {s.key: [] for s in SHEETS}

    book = openpyxl.load_workbook(io.BytesIO(r.content))  # formats and lists need the full reader
    residents = book["住户"]
    assert residents.freeze_panes == "A2" and residents["A1"].font.b
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in residents.data_validations.dataValidation}
    assert lists["E2"] == '"业主,租户,家属"' and lists["F2"] == '"个人,单位"' and lists["L2"] == '"是,否"'
    assert residents.column_dimensions["G"].number_format == "@" and residents.column_dimensions["I"].number_format == "@"
    assert residents.column_dimensions["J"].number_format == "yyyy-mm-dd"
    assert {str(v.sqref).split(":")[0]: v.formula1 for v in book["车位"].data_validations.dataValidation}["C2"] == '"产权,租赁,公共"'
    assert {str(v.sqref).split(":")[0]: v.formula1 for v in book["宠物"].data_validations.dataValidation}["B2"] == '"犬,猫,其他"'


async def test_the_template_needs_a_reader_of_the_archive(client, people):
    assert (await client.get(TEMPLATE)).status_code == 401
    r = await client.get(TEMPLATE, headers=auth(people["tech"]))
    assert r.status_code == 403 and r.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_each_list_exports_as_its_sheet_masked_and_reads_back(client, people, owner_engine, org):
    await archive_of(owner_engine, org)
    expected = {
        "buildings": [("3号楼", 18, "P1"), ("9号楼", 6, "P1")],
        "units": [("3号楼", None, "0101", 1, None, "商铺", "是", "P1"), ("3号楼", "2", "1502", 15, 96.5, "住宅", "否", "P1")],
        "residents": [("3号楼", "2", "1502", "王建国", "业主", "个人", "138****8000", "居民身份证", "1101**********002X",
                       "2021-03-01", None, "是", "独居老人", "P1"),
                      ("3号楼", "2", "1502", "李四", "租户", "个人", "139****9000", None, None, None, None, "否", None, "P1")],
        "parking": [("地下B1", "A-012", "租赁", "3号楼", "2", "1502", "138****8000", "2026-12-31", "P1")],
        "vehicles": [("粤BD12345", "新能源", "比亚迪", "白", "138****8000", "地下B1", "A-012", "2027-01-31", "P1")],
        "pets": [("旺财", "犬", "柴犬", "QZ-0001", "2025-03-01", "138****8000", "3号楼", "2", "1502", "P1")],
        "staff": [("王五", "档案测试部", "客服", "137****7000", "P1")],
    }
    for sheet in SHEETS:
        r = await client.get(export(sheet.key), params={"project": people["p1"]}, headers=auth(people["admin"]))
        assert r.status_code == 200, (sheet.key, r.text)
        assert r.headers["content-disposition"].startswith(f'attachment; filename="archive-{sheet.key}-P1.xlsx"')
        sheets = read(r.content)
        assert list(sheets) == [sheet.name, "说明"]
        rows = sheets[sheet.name]
        assert rows[0] == tuple(header(c) for c in sheet.columns), sheet.key  # the template's headers
        shown = [tuple(v.date().isoformat() if hasattr(v, "date") else v for v in row) for row in rows[1:]]
        assert shown == expected[sheet.key], sheet.key
        body = xml(r.content)
        for clear in (PHONE, ID_NUMBER, STAFF_PHONE, "13900139000", "赵六", "钱七", "2019-01-01"):
            assert clear not in body, (sheet.key, clear)  # never a clear number, an erased, moved-out or former person
        assert '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' in body
        parsed = read_workbook(r.content, project_code="P1")  # export → import reads it as it was
        assert parsed.report.problems == [], (sheet.key, parsed.report.problems)
        assert len(parsed.rows[sheet.key]) == len(expected[sheet.key])
    again = await client.get(export("residents"), params={"project": people["p1"]}, headers=auth(people["disp"]))
    first = read_workbook(again.content, project_code="P1").rows["residents"][0].values
    assert (first["phone"], first["id_number"], first["moved_in_on"]) == ("138****8000", "1101**********002X", date(2021, 3, 1))

    async with owner_engine.connect() as conn:
        audit = (await conn.execute(text("SELECT actor, entity_id, project_id, data FROM audit_log WHERE org_id = :o "
                                         "AND action = 'archive.exported' ORDER BY id"), {"o": org.org_id})).all()
    assert [(a.data["kind"], a.data["rows"]) for a in audit] == [(k, len(expected[k])) for k in KINDS] + [("residents", 2)]
    assert {a.project_id for a in audit} == {org.projects["P1"]} == {a.entity_id for a in audit}


async def test_a_long_list_is_read_in_chunks_and_written_whole(client, people, owner_engine, org):
    await archive_of(owner_engine, org, extra_units=4_500)  # more than two of the reader's chunks
    r = await client.get(export("units"), params={"project": people["p1"]}, headers=auth(people["disp"]))
    assert r.status_code == 200
    rows = read(r.content)["房屋"]
    assert len(rows) == 1 + 2 + 4_500
    assert rows[3] == ("9号楼", None, "00001", 1, None, "住宅", "否", "P1") and rows[-1][2] == "04500"
    assert read_workbook(r.content, project_code="P1").report.problems == []


async def test_another_company_and_projects_out_of_reach_find_nothing(client, people, owner_engine, org, other_org):
    await archive_of(owner_engine, org)
    missing = to_global_id("Project", uuid.uuid4())
    nothing = await client.get(export("residents"), params={"project": missing}, headers=auth(people["admin"]))
    assert nothing.status_code == 404 and nothing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    for who in ("stranger", "pm2"):  # another company's admin; the manager of another project of the company
        for kind in KINDS:
            r = await client.get(export(kind), params={"project": people["p1"]}, headers=auth(people[who]))
            assert (r.status_code, r.json()) == (404, nothing.json()), (who, kind)
    # Seen but not readable: P1 is the mixed user's as a technician; archive:read is theirs on P2 only.
    for kind in KINDS:
        r = await client.get(export(kind), params={"project": people["p1"]}, headers=auth(people["mixed"]))
        assert r.status_code == 403 and r.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN", kind
    # Without the permission anywhere: refused before the project is looked at.
    for kind in ("residents", "staff"):
        r = await client.get(export(kind), params={"project": people["p1"]}, headers=auth(people["tech"]))
        assert r.status_code == 403 and r.json()["errors"][0]["message"].startswith("您需要权限"), kind
    # The other company's own P1 is empty: its admin exports its own, not ours.
    theirs = await client.get(export("residents"), params={"project": to_global_id("Project", other_org.projects["P1"])},
                              headers=auth(people["stranger"]))
    assert theirs.status_code == 200 and read(theirs.content)["住户"][1:] == []
    async with owner_engine.connect() as conn:
        audited = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE org_id = :o AND action = 'archive.exported'"),
                                      {"o": org.org_id})).scalar()
    assert audited == 0, "a refusal records nothing"


async def test_bad_requests_are_coded(client, people):
    token = auth(people["admin"])
    r = await client.get(export("flats"), params={"project": people["p1"]}, headers=token)
    assert r.status_code == 404 and r.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    for params in ({}, {"project": "not-an-id"}, {"project": to_global_id("User", uuid.uuid4())}):
        r = await client.get(export("residents"), params=params, headers=token)
        assert r.status_code == 400 and r.json()["errors"][0]["extensions"]["code"] == "VALIDATION", (params, r.text)
    assert (await client.get(export("residents"), params={"project": people["p1"]})).status_code == 401
