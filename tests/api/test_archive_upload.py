"""The archive's upload and import through the API (docs/archive.md §6.4): POST /uploads/archive
stores the workbook encrypted; importArchive queues a dry run or the real import; archiveImport(s)
follow it; another company's project, upload or import is NOT_FOUND (or null) alike, nothing
changed. Through the real app, as the application role."""

from __future__ import annotations

import hashlib
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.archive_books import flats, settle
from tests.conftest import add_user

IMPORT = """mutation($u: ID!, $d: Boolean, $k: String) { importArchive(uploadId: $u, dryRun: $d, idempotencyKey: $k) {
  import { id state stateLabel dryRun fileName progress uploadId project { code } createdBy { displayName } }
  errors { code reason field message } } }"""
IMPORTS = "query($p: ID!) { archiveImports(projectId: $p) { id state dryRun fileName } }"
ONE = """query($id: ID!) { archiveImport(id: $id) { id state rowsDone rowsTotal progress problemCount error
  counts { sheet created updated unchanged } problems { sheet row column value problem code } } }"""


async def upload(client, token: str | None, project: str | None, body: bytes, name: str = "档案.xlsx", api_key: str | None = None):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    if api_key:
        headers["x-api-key"] = api_key
    params = {"name": name} if project is None else {"project": project, "name": name}
    return await client.post("/uploads/archive", params=params, content=body, headers=headers)


@pytest.fixture
async def desk(gql, owner_engine, org, other_org):
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    await add_user(owner_engine, org, "agent1", "cs_agent", "P1")  # archive:manage, not archive:import
    return {"admin": await gql.login(org), "pm": await gql.login(org, "pm1"), "agent": await gql.login(org, "agent1"),
            "stranger": await gql.login(other_org), "p1": to_global_id("Project", org.projects["P1"]),
            "p2": to_global_id("Project", org.projects["P2"]),
            "other_p1": to_global_id("Project", other_org.projects["P1"])}


async def _count(owner_engine, table: str, *orgs) -> int:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text(f"SELECT count(*) FROM {table} WHERE org_id = ANY(:o)"),
                                   {"o": [o.org_id for o in orgs]})).scalar_one()


async def test_an_upload_is_stored_encrypted_and_queued_for_import(client, gql, desk, owner_engine, org):
    book = flats()
    r = await upload(client, desk["pm"], desk["p1"], book)
    assert r.status_code == 201, r.text
    answer = r.json()
    assert answer["size"] == len(book) and answer["sha256"] == hashlib.sha256(book).hexdigest()
    assert answer["fileName"] == "档案.xlsx"
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT file_enc, expires_at - created_at AS kept, project_id, created_by FROM archive_uploads "
                                       "WHERE org_id = :o"), {"o": org.org_id})).one()
    assert book[:64] not in row.file_enc and row.kept.total_seconds() == 24 * 3600  # ciphertext, kept a day
    assert row.project_id == org.projects["P1"] and row.created_by.startswith("user:")

    q = await gql(IMPORT, {"u": answer["uploadId"], "k": "dry-1"}, token=desk["pm"])
    assert q["data"]["importArchive"]["errors"] == [], q
    job = q["data"]["importArchive"]["import"]
    assert (job["state"], job["stateLabel"], job["dryRun"], job["fileName"]) == ("QUEUED", "排队中", True, "档案.xlsx")
    assert job["progress"] == 0.0
    assert job["uploadId"] == answer["uploadId"] and job["project"]["code"] == "P1"
    replay = await gql(IMPORT, {"u": answer["uploadId"], "k": "dry-1"}, token=desk["pm"])
    assert replay["data"]["importArchive"]["import"]["id"] == job["id"]  # the same key: the same import

    # While it waits, the project takes no second import.
    busy = await gql(IMPORT, {"u": answer["uploadId"], "d": False, "k": "real-1"}, token=desk["pm"])
    err = busy["data"]["importArchive"]["errors"][0]
    assert (err["code"], err["reason"]) == ("CONFLICT", "IMPORT_RUNNING") and err["message"].startswith("该项目正在导入")
    listed = await gql(IMPORTS, {"p": desk["p1"]}, token=desk["pm"])
    assert [i["id"] for i in listed["data"]["archiveImports"]] == [job["id"]]
    async with owner_engine.connect() as conn:
        events = (await conn.execute(text("SELECT payload FROM outbox WHERE org_id = :o AND topic = 'archive.import_requested'"),
                                     {"o": org.org_id})).scalars().all()
        audit = (await conn.execute(text("SELECT action FROM audit_log WHERE org_id = :o AND action LIKE 'archive.%' ORDER BY at"),
                                    {"o": org.org_id})).scalars().all()
    assert len(events) == 1 and events[0]["dry_run"] is True
    assert audit == ["archive.uploaded", "archive.import_requested"]


async def test_the_body_is_capped_at_20_mb_and_an_empty_one_refused(client, desk, owner_engine, org):
    big = await upload(client, desk["pm"], desk["p1"], b"PK\x03\x04" + b"\0" * (20 * 1024 * 1024))
    assert big.status_code == 413
    assert big.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert big.json()["errors"][0]["message"].startswith("文件过大")

    async def chunks():  # no declared length: the stream itself is cut off at the cap
        for _ in range(21):
            yield b"\0" * (1024 * 1024)

    streamed = await client.post("/uploads/archive", params={"project": desk["p1"]}, content=chunks(),
                                 headers={"authorization": f"Bearer {desk['pm']}"})
    assert streamed.status_code == 413 and streamed.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    exactly = await upload(client, desk["pm"], desk["p1"], b"x" * (20 * 1024 * 1024))
    assert exactly.status_code == 201  # at the cap is within it; what it holds is the import's business
    empty = await upload(client, desk["pm"], desk["p1"], b"")
    assert empty.status_code == 400 and empty.json()["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert await _count(owner_engine, "archive_uploads", org) == 1


async def test_who_may_upload_and_import(client, gql, desk, owner_engine, org):
    assert (await upload(client, None, desk["p1"], flats())).status_code == 401
    agent = await upload(client, desk["agent"], desk["p1"], flats())
    assert agent.status_code == 403 and agent.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # A project manager of P1 names P2: out of reach, as if it did not exist.
    p2 = await upload(client, desk["pm"], desk["p2"], flats())
    assert p2.status_code == 404 and p2.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await upload(client, desk["pm"], None, flats())).status_code == 400
    # An integrator's key is a credential here as on /graphql; no key kind holds archive:import.
    key = (await gql('mutation { createApiKey(input: {name: "集成", access: READ_WRITE}) { secret } }',
                     token=desk["admin"]))["data"]["createApiKey"]["secret"]
    by_key = await upload(client, None, desk["p1"], flats(), api_key=key)
    assert by_key.status_code == 403 and by_key.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    bad_key = await upload(client, None, desk["p1"], flats(), api_key="fc_nope.nope")
    assert bad_key.status_code == 401
    wrong = await upload(client, desk["pm"], to_global_id("Case", org.projects["P1"]), flats())
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert await _count(owner_engine, "archive_uploads", org) == 0

    mine = (await upload(client, desk["pm"], desk["p1"], flats())).json()["uploadId"]
    refused = await gql(IMPORT, {"u": mine}, token=desk["agent"])
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # no archive:import anywhere
    assert (await gql(IMPORTS, {"p": desk["p1"]}, token=desk["agent"]))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await _count(owner_engine, "archive_imports", org) == 0


async def test_another_companys_project_upload_and_imports_are_not_found(client, gql, desk, owner_engine, org, other_org):
    theirs = await upload(client, desk["stranger"], desk["p1"], flats())
    assert theirs.status_code == 404 and theirs.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    mine = await upload(client, desk["admin"], desk["other_p1"], flats())
    assert mine.status_code == 404
    assert await _count(owner_engine, "archive_uploads", org, other_org) == 0

    upload_id = (await upload(client, desk["pm"], desk["p1"], flats())).json()["uploadId"]
    job = (await gql(IMPORT, {"u": upload_id}, token=desk["pm"]))["data"]["importArchive"]["import"]
    other = await gql(IMPORT, {"u": upload_id, "k": "x"}, token=desk["stranger"])
    err = other["data"]["importArchive"]["errors"][0]
    assert (err["code"], err["field"]) == ("NOT_FOUND", "uploadId")
    assert (await gql(ONE, {"id": job["id"]}, token=desk["stranger"]))["data"]["archiveImport"] is None
    listed = await gql(IMPORTS, {"p": desk["p1"]}, token=desk["stranger"])
    assert listed["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    node = await gql("query($id: ID!) { node(id: $id) { id } }", {"id": job["id"]}, token=desk["stranger"])
    assert node["data"]["node"] is None
    assert await _count(owner_engine, "archive_imports", org, other_org) == 1  # only the company's own


async def test_upload_dry_run_report_fix_and_apply(client, gql, desk, owner_engine, org, platform, stub_worker):
    async def flats_of(o) -> int:
        async with owner_engine.connect() as conn:
            return (await conn.execute(text("SELECT count(*) FROM units WHERE org_id = :o"), {"o": o.org_id})).scalar_one()

    bad = (await upload(client, desk["pm"], desk["p1"], flats(bad_floor_at=3), name="楼栋房屋.xlsx")).json()["uploadId"]
    dry = (await gql(IMPORT, {"u": bad, "k": "d1"}, token=desk["pm"]))["data"]["importArchive"]["import"]
    await settle(platform, stub_worker)
    report = (await gql(ONE, {"id": dry["id"]}, token=desk["pm"]))["data"]["archiveImport"]
    assert (report["state"], report["problemCount"], report["progress"]) == ("REJECTED", 1, 1.0)
    assert report["problems"] == [{"sheet": "房屋", "row": 4, "column": "D 楼层", "value": "abc", "problem": "应为数字",
                                   "code": "BAD_NUMBER"}]
    assert await flats_of(org) == 0

    # The report as a workbook: the same row, where Excel shows it.
    got = await client.get(f"/export/archive-imports/{dry['id']}/report.xlsx", headers={"authorization": f"Bearer {desk['pm']}"})
    assert got.status_code == 200 and got.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(got.content), read_only=True)["问题"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:5] == ["工作表 Sheet", "行 Row", "列 Column", "内容 Value", "问题 Problem"]
    assert rows[1][:6] == ["房屋", 4, "D 楼层", "abc", "应为数字", "BAD_NUMBER"]
    for token in (desk["stranger"], desk["agent"]):
        refused = await client.get(f"/export/archive-imports/{dry['id']}/report.xlsx", headers={"authorization": f"Bearer {token}"})
        assert refused.status_code in (403, 404)
    stranger = await client.get(f"/export/archive-imports/{dry['id']}/report.xlsx",
                                headers={"authorization": f"Bearer {desk['stranger']}"})
    assert stranger.status_code == 404 and stranger.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    # Fixed, uploaded again: the dry run counts what applying will do and writes nothing …
    good = (await upload(client, desk["pm"], desk["p1"], flats(), name="楼栋房屋.xlsx")).json()["uploadId"]
    dry = (await gql(IMPORT, {"u": good, "k": "d2"}, token=desk["pm"]))["data"]["importArchive"]["import"]
    await settle(platform, stub_worker)
    checked = (await gql(ONE, {"id": dry["id"]}, token=desk["pm"]))["data"]["archiveImport"]
    assert checked["state"] == "SUCCEEDED" and checked["problems"] == []
    counts = {c["sheet"]: (c["created"], c["updated"], c["unchanged"]) for c in checked["counts"]}
    assert counts == {"楼栋": (2, 0, 0), "房屋": (4, 0, 0)}
    assert await flats_of(org) == 0
    # … and applying the same upload writes it.
    real = (await gql(IMPORT, {"u": good, "d": False, "k": "a1"}, token=desk["pm"]))["data"]["importArchive"]["import"]
    await settle(platform, stub_worker)
    done = (await gql(ONE, {"id": real["id"]}, token=desk["pm"]))["data"]["archiveImport"]
    assert done["state"] == "SUCCEEDED" and {c["sheet"]: c["created"] for c in done["counts"]} == {"楼栋": 2, "房屋": 4}
    assert await flats_of(org) == 4
    listed = (await gql(IMPORTS, {"p": desk["p1"]}, token=desk["pm"]))["data"]["archiveImports"]
    assert [(i["state"], i["dryRun"]) for i in listed[:3]] == [("SUCCEEDED", False), ("SUCCEEDED", True), ("REJECTED", True)]


async def test_a_file_that_is_not_a_workbook_is_a_report(client, gql, desk, platform, stub_worker):
    upload_id = (await upload(client, desk["pm"], desk["p1"], b"this is not a workbook", name="档案.xls")).json()["uploadId"]
    job = (await gql(IMPORT, {"u": upload_id, "k": "n1"}, token=desk["pm"]))["data"]["importArchive"]["import"]
    await settle(platform, stub_worker)
    report = (await gql(ONE, {"id": job["id"]}, token=desk["pm"]))["data"]["archiveImport"]
    assert report["state"] == "REJECTED"
    assert [(p["sheet"], p["row"], p["code"], p["problem"]) for p in report["problems"]] == [
        ("", 0, "NOT_A_WORKBOOK", "文件不是 Excel 工作簿（.xlsx）")]


async def test_a_project_manager_of_one_project_sees_nothing_of_anothers_imports(client, gql, desk, owner_engine, org):
    theirs = (await upload(client, desk["admin"], desk["p2"], flats())).json()["uploadId"]
    job = (await gql(IMPORT, {"u": theirs, "k": "p2"}, token=desk["admin"]))["data"]["importArchive"]["import"]
    refused = await gql(IMPORT, {"u": theirs, "d": False, "k": "pm"}, token=desk["pm"])
    assert refused["data"]["importArchive"]["errors"][0]["code"] == "NOT_FOUND"
    assert (await gql(ONE, {"id": job["id"]}, token=desk["pm"]))["data"]["archiveImport"] is None
    listed = await gql(IMPORTS, {"p": desk["p2"]}, token=desk["pm"])
    assert listed["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    report = await client.get(f"/export/archive-imports/{job['id']}/report.xlsx", headers={"authorization": f"Bearer {desk['pm']}"})
    assert report.status_code == 404
    assert await _count(owner_engine, "archive_imports", org) == 1


async def test_seeing_a_project_is_not_importing_into_it(client, gql, desk, owner_engine, org):
    """A project manager of P2 who only dispatches in P1: archive:import, but not on P1."""
    mixed = await add_user(owner_engine, org, "mixed", "project_manager", "P2")
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO role_assignments (org_id, user_id, role, project_id) VALUES (:o, :u, 'dispatcher', :p)"),
                           {"o": org.org_id, "u": mixed, "p": org.projects["P1"]})
    token = await gql.login(org, "mixed")
    refused = await upload(client, token, desk["p1"], flats())
    assert refused.status_code == 403 and refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    p1_upload = (await upload(client, desk["pm"], desk["p1"], flats())).json()["uploadId"]
    err = (await gql(IMPORT, {"u": p1_upload, "k": "m"}, token=token))["data"]["importArchive"]["errors"][0]
    assert err["code"] == "FORBIDDEN"
    assert (await gql(IMPORTS, {"p": desk["p1"]}, token=token))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await upload(client, token, desk["p2"], flats())).status_code == 201  # its own project
    assert await _count(owner_engine, "archive_imports", org) == 0
