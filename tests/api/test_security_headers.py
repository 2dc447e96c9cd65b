"""Security headers on what the server answers: JSON never sniffed, authenticated answers never
cached, HTML pages locked to our own scripts and never framed."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from api.security_headers import CONTENT_SECURITY_POLICY, SecurityHeaders

HTML_HEADERS = {"content-security-policy": CONTENT_SECURITY_POLICY, "x-frame-options": "DENY", "referrer-policy": "no-referrer"}


async def test_graphql_answers_are_not_sniffed_and_authenticated_ones_not_stored(client, gql, org):
    anonymous = await client.post("/graphql", json={"query": "{ __typename }"})
    token = await gql.login(org)
    mine = await client.post("/graphql", json={"query": "{ viewer { kind } }"}, headers={"authorization": f"Bearer {token}"})
    refused = await client.post("/graphql", content=b"{not json", headers={"content-type": "application/json", "x-api-key": "fc_x"})
    for r in (anonymous, mine, refused):
        assert r.headers["x-content-type-options"] == "nosniff", r.headers
        assert "content-security-policy" not in r.headers  # JSON, not a page
    assert "cache-control" not in anonymous.headers
    assert mine.headers["cache-control"] == "no-store" and refused.headers["cache-control"] == "no-store"


async def test_the_graphql_page_gets_a_content_security_policy_and_no_framing(client):
    page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert {k: page.headers.get(k) for k in HTML_HEADERS} == HTML_HEADERS
    assert page.headers["x-content-type-options"] == "nosniff"


async def test_headers_an_answer_sets_itself_are_kept():
    """A static file server (the console at /) sets its own caching; a print page its own policy."""
    async def console(_):
        return HTMLResponse("<!doctype html><title>控制台</title>", headers={"cache-control": "public, max-age=3600"})

    async def printed(_):
        return HTMLResponse("<p>打印</p>", headers={"content-security-policy": "default-src 'none'"})

    app = SecurityHeaders(Starlette(routes=[Route("/", console), Route("/print", printed)]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        page = await c.get("/", headers={"authorization": "Bearer t"})
        printout = await c.get("/print")
    assert page.headers["cache-control"] == "public, max-age=3600"
    assert {k: page.headers.get(k) for k in HTML_HEADERS} == HTML_HEADERS
    assert printout.headers["content-security-policy"] == "default-src 'none'"
    assert printout.headers["x-frame-options"] == "DENY" and printout.headers["x-content-type-options"] == "nosniff"
