"""The archive upload and import, tried as an attacker and a careless user would (docs/archive.md
§6.4): malformed and foreign ids in every argument and URL, an idempotency key replayed with
another upload, expired and purged uploads, two imports asked for at once. Each answer is a coded
error, never INTERNAL/500, and nothing of another company's changes."""

from __future__ import annotations

import asyncio
import base64
from datetime import UTC, datetime

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from domain.archive.upload_purge import purge_expired_uploads
from tests.api import test_archive_upload as base
from tests.api.test_archive_upload import IMPORT, IMPORTS, ONE, upload
from tests.archive_books import flats

desk = base.desk  # the fixture: two companies' people and projects

_RAW = base64.urlsafe_b64encode(b"ArchiveUpload:not-a-uuid").decode().rstrip("=")
BAD_IDS = ["", "garbage", "!!!", "%00", _RAW, "QXJjaGl2ZVVwbG9hZDo=", "x" * 5000]


def _code(answer) -> str:
    return answer["errors"][0]["extensions"]["code"]


async def test_malformed_and_foreign_typed_ids_are_coded(client, gql, desk, org, owner_engine):
    mine = (await upload(client, desk["pm"], desk["p1"], flats())).json()["uploadId"]
    job = (await gql(IMPORT, {"u": mine, "k": "a"}, token=desk["pm"]))["data"]["importArchive"]["import"]
    other_types = [to_global_id("Project", org.projects["P1"]), job["id"], mine, to_global_id("Case", org.projects["P1"])]
    for bad in BAD_IDS + other_types:
        got = await gql(IMPORT, {"u": bad}, token=desk["pm"])
        errors = (got.get("data") or {}).get("importArchive", {}) or {}
        codes = [e["code"] for e in errors.get("errors", [])] or [e["extensions"]["code"] for e in got.get("errors", [])]
        assert codes and "INTERNAL" not in codes, (bad, got)
        one = await gql(ONE, {"id": bad}, token=desk["pm"])
        assert one.get("errors") is None or _code(one) != "INTERNAL", (bad, one)
        if bad == other_types[0]:
            continue  # a project's id is right where a project is asked for
        listed = await gql(IMPORTS, {"p": bad}, token=desk["pm"])
        assert listed.get("errors") and _code(listed) != "INTERNAL", (bad, listed)
        up = await upload(client, desk["pm"], bad, flats())
        assert up.status_code in (400, 404) and up.json()["errors"][0]["extensions"]["code"] != "INTERNAL", (bad, up.text)
    for bad in ["garbage", "!!!", _RAW, mine, to_global_id("ArchiveImport", org.projects["P1"]), "x" * 5000]:
        got = await client.get(f"/export/archive-imports/{bad}/report.xlsx", headers={"authorization": f"Bearer {desk['pm']}"})
        assert got.status_code in (400, 404), (bad, got.status_code, got.text)
        assert got.json()["errors"][0]["extensions"]["code"] in ("VALIDATION", "NOT_FOUND"), got.text


async def test_a_key_replayed_with_another_upload_is_refused(client, gql, desk, owner_engine, org):
    first = (await upload(client, desk["pm"], desk["p1"], flats())).json()["uploadId"]
    second = (await upload(client, desk["pm"], desk["p1"], flats(n=2))).json()["uploadId"]
    done = await gql(IMPORT, {"u": first, "k": "same"}, token=desk["pm"])
    assert done["data"]["importArchive"]["errors"] == []
    replay = await gql(IMPORT, {"u": second, "k": "same"}, token=desk["pm"])
    errs = replay["data"]["importArchive"]["errors"] if replay.get("data") and replay["data"]["importArchive"] else replay["errors"]
    code = errs[0].get("code") or errs[0]["extensions"]["code"]
    assert code not in ("INTERNAL",), replay
    assert code in ("VALIDATION", "CONFLICT", "BAD_REQUEST"), replay
    dry = await gql(IMPORT, {"u": first, "d": False, "k": "same"}, token=desk["pm"])  # same upload, other dryRun
    errs = dry["data"]["importArchive"]["errors"] if dry.get("data") and dry["data"]["importArchive"] else dry["errors"]
    assert errs and (errs[0].get("code") or errs[0]["extensions"]["code"]) != "INTERNAL", dry


async def test_an_expired_upload_and_a_purged_one(client, gql, desk, owner_engine, org, platform):
    stale = (await upload(client, desk["pm"], desk["p1"], flats())).json()["uploadId"]
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE archive_uploads SET expires_at = now() - interval '1 second' WHERE org_id = :o"),
                           {"o": org.org_id})
    err = (await gql(IMPORT, {"u": stale, "k": "e"}, token=desk["pm"]))["data"]["importArchive"]["errors"][0]
    assert (err["code"], err["field"]) == ("INVALID_STATE", "uploadId")
    from tenants.context import TenantScope
    async with platform.transaction(TenantScope(org.org_id, None, "system:purge")) as conn:
        assert await purge_expired_uploads(conn, org.org_id, datetime.now(UTC)) == 1
    err = (await gql(IMPORT, {"u": stale, "k": "p"}, token=desk["pm"]))["data"]["importArchive"]["errors"][0]
    assert (err["code"], err["field"]) == ("NOT_FOUND", "uploadId")


async def test_two_imports_asked_at_once_one_conflict(client, gql, desk, owner_engine, org):
    a = (await upload(client, desk["pm"], desk["p1"], flats())).json()["uploadId"]
    b = (await upload(client, desk["pm"], desk["p1"], flats(n=3))).json()["uploadId"]
    got = await asyncio.gather(*(gql(IMPORT, {"u": u, "k": f"c{i}"}, token=desk["pm"]) for i, u in enumerate([a, b, a, b])))
    codes = sorted((g["data"]["importArchive"]["errors"] or [{"code": "OK"}])[0]["code"] for g in got)
    assert codes == ["CONFLICT", "CONFLICT", "CONFLICT", "OK"], got
    async with owner_engine.connect() as conn:
        n = (await conn.execute(text("SELECT count(*) FROM archive_imports WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
    assert n == 1


async def test_odd_bodies_and_names(client, gql, desk, owner_engine, org):
    headers = {"authorization": f"Bearer {desk['pm']}"}
    for name in ["../../etc/passwd", "a\x00b.xlsx", "\u202etxt.xlsx", "名" * 1000, "C:\\x\\y.xlsx"]:
        r = await client.post("/uploads/archive", params={"project": desk["p1"], "name": name}, content=flats(), headers=headers)
        assert r.status_code == 201, (name, r.text)
        assert "/" not in r.json()["fileName"] and "\\" not in r.json()["fileName"] and "\x00" not in r.json()["fileName"]
        assert len(r.json()["fileName"]) <= 255
    r = await client.post("/uploads/archive", params={"project": desk["p1"]}, content=b"", headers={**headers})
    assert r.status_code == 400
    r = await client.post("/uploads/archive", params={"project": desk["p1"]}, content=flats(),
                          headers={**headers, "content-length": "-1"})
    assert r.status_code != 500, r.text


async def test_node_and_list_arguments_at_their_edges(client, gql, desk, org):
    mine = (await upload(client, desk["pm"], desk["p1"], flats())).json()["uploadId"]
    for gid in (mine, to_global_id("ArchiveImport", org.projects["P1"]), "garbage"):
        body = await gql("query($id: ID!) { node(id: $id) { id } }", {"id": gid}, token=desk["pm"])
        assert (body.get("data") or {}).get("node") is None, body
        assert "INTERNAL" not in [e["extensions"]["code"] for e in body.get("errors") or []], body
    for first in (-5, 0, 10**6, 2**31):
        body = await gql("query($p: ID!, $f: Int) { archiveImports(projectId: $p, first: $f) { id } }",
                         {"p": desk["p1"], "f": first}, token=desk["pm"])
        assert "INTERNAL" not in [e["extensions"]["code"] for e in body.get("errors") or []], (first, body)


async def test_a_null_for_an_argument_with_a_default_is_the_clients_error(client, gql, desk, owner_engine, org):
    """`$d: Boolean` may stand where `dryRun: Boolean! = true` is asked; its null is refused while
    the field runs — the client's document, not our failure."""
    mine = (await upload(client, desk["pm"], desk["p1"], flats())).json()["uploadId"]
    body = await gql(IMPORT, {"u": mine, "d": None, "k": "n"}, token=desk["pm"])
    assert [e["extensions"]["code"] for e in body["errors"]] == ["GRAPHQL_VALIDATION_FAILED"], body
    assert "dryRun" in body["errors"][0]["message"]
    async with owner_engine.connect() as conn:
        n = (await conn.execute(text("SELECT count(*) FROM archive_imports WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
    assert n == 0


async def test_one_key_sent_three_times_at_once_queues_one_import(client, gql, desk, owner_engine, org):
    mine = (await upload(client, desk["pm"], desk["p1"], flats())).json()["uploadId"]
    got = await asyncio.gather(*(gql(IMPORT, {"u": mine, "k": "once"}, token=desk["pm"]) for _ in range(3)))
    answers = [g["data"]["importArchive"] for g in got]
    assert all(a["errors"] == [] for a in answers), got
    assert len({a["import"]["id"] for a in answers}) == 1
    async with owner_engine.connect() as conn:
        n = (await conn.execute(text("SELECT count(*) FROM archive_imports WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
    assert n == 1


async def test_a_project_out_of_reach_is_refused_before_the_body_is_read(client, desk):
    """A project manager of P1 streaming a file at P2: NOT_FOUND, not 20 MB held in memory first."""
    async def chunks():
        for _ in range(21):
            yield b"\0" * (1024 * 1024)

    r = await client.post("/uploads/archive", params={"project": desk["p2"]}, content=chunks(),
                          headers={"authorization": f"Bearer {desk['pm']}"})
    assert r.status_code == 404 and r.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND", r.text
