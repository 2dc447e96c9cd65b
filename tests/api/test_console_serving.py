"""The web console served by the API's own app: hashed assets cached for a year, index.html
revalidated, client routes answered with index.html, API paths never swallowed; a hint page where
the console is not built; GraphiQL from the build, not from a CDN."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import orjson
import pytest

from api.app import create_app
from tests.conftest import Gql

VIEWER = "query Viewer { viewer { kind permissions } }"


def fake_build(dist: Path) -> None:
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text('<!doctype html><script type="module" src="/assets/index-abc123.js"></script>')
    (dist / "graphiql.html").write_text(
        '<!doctype html><title>GraphiQL</title><script type="module" src="/assets/graphiql-def456.js"></script>')
    (dist / "assets" / "index-abc123.js").write_text("console.log(1)")
    (dist / "persisted-documents.json").write_bytes(orjson.dumps({hashlib.sha256(VIEWER.encode()).hexdigest(): VIEWER}))


@pytest.fixture
async def app_with(platform, tmp_path):
    async def make(built: bool) -> httpx.AsyncClient:
        if built:
            fake_build(tmp_path)
        app = create_app(platform, None, instrument=False, console=tmp_path)
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
    return make


async def test_console_pages_assets_and_client_routes(app_with):
    async with await app_with(True) as c:
        index = await c.get("/")
        assert index.status_code == 200 and "/assets/index-abc123.js" in index.text
        assert index.headers["cache-control"] == "no-cache"
        asset = await c.get("/assets/index-abc123.js")
        assert asset.status_code == 200 and asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert "javascript" in asset.headers["content-type"]
        deep = await c.get("/hq/board?month=2026-11")
        assert deep.status_code == 200 and deep.text == index.text and deep.headers["cache-control"] == "no-cache"
        for path in ("/assets/missing.js", "/assets/%2e%2e/index.html", "/print/nothing", "/export/nothing", "/inbound/x",
                     "/healthz/extra", "/graphql/extra"):
            r = await c.get(path)
            assert r.status_code == 404, (path, r.status_code, r.text[:80])
        assert (await c.get("/healthz")).json() == {"status": "ok"}


async def test_assets_are_gzipped_for_browsers_that_take_it(app_with, tmp_path):
    async with await app_with(True) as c:
        script = "const label = '总部看板';\n" * 200
        (tmp_path / "assets" / "board-123abc.js").write_text(script)
        (tmp_path / "assets" / "font-1.woff2").write_bytes(b"wOF2" + bytes(300))
        zipped = await c.get("/assets/board-123abc.js", headers={"Accept-Encoding": "gzip, br"})
        assert zipped.headers["content-encoding"] == "gzip" and zipped.headers["vary"] == "Accept-Encoding"
        assert int(zipped.headers["content-length"]) < len(script.encode()) / 5
        assert zipped.text == script and "javascript" in zipped.headers["content-type"]
        assert zipped.headers["cache-control"] == "public, max-age=31536000, immutable"
        plain = await c.get("/assets/board-123abc.js", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and plain.text == script
        font = await c.get("/assets/font-1.woff2", headers={"Accept-Encoding": "gzip"})
        assert "content-encoding" not in font.headers and font.content.startswith(b"wOF2")
        head = await c.head("/assets/board-123abc.js", headers={"Accept-Encoding": "gzip"})
        assert head.status_code == 200 and head.headers["content-length"] == zipped.headers["content-length"]


async def test_unbuilt_console_answers_how_to_build_it(app_with):
    async with await app_with(False) as c:
        for path in ("/", "/hq"):
            r = await c.get(path)
            assert r.status_code == 200 and "make console" in r.text
        ide = await c.get("/graphql", headers={"accept": "text/html"})
        assert ide.status_code == 200 and "make console" in ide.text


async def test_graphiql_is_the_self_hosted_build(app_with):
    async with await app_with(True) as c:
        r = await c.get("/graphql", headers={"accept": "text/html"})
        assert r.status_code == 200 and "/assets/graphiql-def456.js" in r.text
        assert "cdn" not in r.text.lower() and "unpkg" not in r.text.lower() and "https://" not in r.text


async def test_trusted_documents_run_by_hash_and_unknown_hashes_are_coded(app_with, org):
    sha = hashlib.sha256(VIEWER.encode()).hexdigest()
    async with await app_with(True) as c:
        token = await Gql(c).login(org)
        auth = {"authorization": f"Bearer {token}"}
        by_extension = await c.post("/graphql", headers=auth, json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha}}})
        by_id = await c.post("/graphql", headers=auth, json={"documentId": f"sha256:{sha}", "operationName": "Viewer"})
        extensions = orjson.dumps({"persistedQuery": {"sha256Hash": sha}}).decode()
        by_get = await c.get("/graphql", headers=auth, params={"extensions": extensions})
        batch = await c.post("/graphql", headers=auth, json=[{"documentId": sha}, {"query": "{ viewer { kind } }"}])
        for r in (by_extension, by_id, by_get):
            assert r.status_code == 200 and r.json()["data"]["viewer"]["kind"] == "USER", r.text
        assert [item["data"]["viewer"]["kind"] for item in batch.json()] == ["USER", "USER"], batch.text
        unknown = await c.post("/graphql", headers=auth, json={"extensions": {"persistedQuery": {"sha256Hash": "0" * 64}}})
        assert unknown.status_code == 400
        assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        text = await c.post("/graphql", headers=auth, json={"query": "{ viewer { allProjects } }"})
        assert text.json()["data"]["viewer"]["allProjects"] is True
        anonymous = await c.post("/graphql", json={"documentId": sha})
        assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
