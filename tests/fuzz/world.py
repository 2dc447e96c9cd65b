"""The fuzzing tests' world: two seeded companies, the real app served by uvicorn on a free port in
a thread of its own, callers that sign in over HTTP, and the checks every answer must pass."""

from __future__ import annotations

import base64
import binascii
import json
import os
import random
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import create_app
from domain.directory.provisioning import create_organization
from firstcall.demo_fees import add_fees
from firstcall.demo_history import add_duty_roster, add_history
from firstcall.demo_seed import _seed_project
from tenants.auth.passwords import hash_password
from tenants.db import DatabaseUrls
from tenants.personal_data import PersonalDataCipher
from tenants.platform import Platform
from tenants.settings import Settings
from tests.conftest import PASSWORD

# Examples per generated operation; `make proof` raises it (FUZZ_EXAMPLES=…).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1"))
# Two small projects, seeded as the demo seeds its projects: buildings, units, residents, staff,
# outside bodies, a login in every project role; then a few days of cases, the duty roster, a fee.
PROJECT_SPECS = [("P1", "翠湖花园", "residential", "杭州", "西湖区翠湖路88号", 1, 3),
                 ("P2", "中心大厦", "office", "上海", "黄浦区中山东一路6号", 1, 2)]


@dataclass
class Company:
    org_id: uuid.UUID
    slug: str
    projects: dict[str, uuid.UUID]


async def seed_company(owner_engine: AsyncEngine, settings: Settings) -> Company:
    slug = f"fz-{uuid.uuid4().hex[:10]}"
    org_id, _ = await create_organization(owner_engine, slug=slug, name=f"模糊测试物业 {slug}", admin_username="admin",
                                          admin_password=PASSWORD)
    cipher = PersonalDataCipher(settings.secret("data_key"), settings.secret("lookup_key"))
    rng, pw_hash = random.Random(19), hash_password(PASSWORD)
    logins: list[dict[str, str]] = []
    for spec in PROJECT_SPECS:
        async with owner_engine.begin() as conn:
            await _seed_project(conn, org_id, spec, rng, cipher, pw_hash, logins)
    await add_history(owner_engine, org_id, days=3)
    await add_duty_roster(owner_engine, org_id, days=3)
    await add_fees(owner_engine, org_id)
    async with owner_engine.connect() as conn:
        projects = {r.code: r.id for r in await conn.execute(text("SELECT code, id FROM projects WHERE org_id = :o"), {"o": org_id})}
    return Company(org_id, slug, projects)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """The application as `firstcall serve` runs it (uvicorn, its own event loop and pools), in a
    thread of the test process, on a free port of loopback."""

    def __init__(self, settings: Settings, urls: DatabaseUrls) -> None:
        self.settings, self.urls = settings, urls
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: uvicorn.Server | None = None
        self.thread = threading.Thread(target=self._run, name="fuzz-server", daemon=True)

    def _run(self) -> None:
        platform = Platform.create(self.settings, self.urls)
        app = create_app(platform, None, instrument=False)
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                   lifespan="on", loop="asyncio", ws="websockets-sansio"))
        self.server.run()

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not (self.server is not None and self.server.started):
            assert time.monotonic() < deadline and self.thread.is_alive(), "the server did not start"
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
        self.thread.join(timeout=30)


@dataclass
class Caller:
    """One caller of the running server. A generated operation may end its own session (logout,
    a revoked key): the caller then signs in again before its next request."""

    name: str
    url: str
    sign_in: Any  # () -> dict of headers
    headers: dict[str, str] = field(default_factory=dict)
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=60))

    def __post_init__(self) -> None:
        self.headers = self.sign_in()

    def post(self, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        r = self.http.post(f"{self.url}/graphql", json={"query": query, "variables": variables or {}}, headers=self.headers)
        self.note(r)
        return r

    def note(self, response: Any) -> None:
        if any((e.get("extensions") or {}).get("code") == "UNAUTHENTICATED" for e in errors_of(response)):
            self.headers = self.sign_in()


def errors_of(response: Any) -> list[dict[str, Any]]:
    try:
        body = response.json()
    except ValueError:
        return []
    items = body if isinstance(body, list) else [body]
    return [e for item in items if isinstance(item, dict) for e in (item.get("errors") or []) if isinstance(e, dict)]


def login(url: str, slug: str, username: str) -> dict[str, str]:
    body = httpx.post(f"{url}/graphql", timeout=30, json={
        "query": "mutation($i: LoginInput!) { login(input: $i) { accessToken errors { code } } }",
        "variables": {"i": {"organization": slug, "username": username, "password": PASSWORD}}}).json()
    assert body["data"]["login"]["errors"] == [], body
    return {"authorization": f"Bearer {body['data']['login']['accessToken']}"}


def api_key(url: str, admin: dict[str, str], project_ids: list[str]) -> dict[str, str]:
    body = httpx.post(f"{url}/graphql", headers=admin, timeout=30, json={
        "query": "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret errors { code } } }",
        "variables": {"i": {"name": f"模糊测试 fuzz {uuid.uuid4().hex[:6]}", "access": "READ_WRITE", "projectIds": project_ids}}}).json()
    assert body["data"]["createApiKey"]["errors"] == [], body
    return {"x-api-key": body["data"]["createApiKey"]["secret"]}


def defects(response: Any) -> list[str]:
    """What an answer must never hold: a 5xx, or an error without a stable code or coded INTERNAL."""
    found = []
    if response.status_code >= 500:
        found.append(f"status {response.status_code}: {response.text[:300]}")
    for error in errors_of(response):
        code = (error.get("extensions") or {}).get("code")
        if not code or code == "INTERNAL":
            found.append(f"error code {code!r} at {error.get('path')}: {error.get('message')}")
    return found


# -- the other company's rows --------------------------------------------------------------------

TENANT_TABLES = text(
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped "
    "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1")
COLUMNS = text("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = :t")


async def tenant_tables(owner_engine: AsyncEngine) -> dict[str, dict[str, str]]:
    """Every tenant table with its columns and their types."""
    async with owner_engine.connect() as conn:
        names = [r[0] for r in await conn.execute(TENANT_TABLES)]
        return {t: {c: d for c, d in await conn.execute(COLUMNS, {"t": t})} for t in names}


async def checksum(owner_engine: AsyncEngine, tables: dict[str, dict[str, str]], org_id: uuid.UUID,
                   project_id: uuid.UUID | None = None) -> dict[str, str]:
    """A digest of each tenant table's rows of one company (or of one of its projects)."""
    sums = {}
    async with owner_engine.connect() as conn:
        for table, columns in tables.items():
            where = "org_id = :o" + (" AND project_id = :p" if project_id is not None and "project_id" in columns else "")
            if project_id is not None and "project_id" not in columns:
                continue
            sums[table] = (await conn.execute(text(
                f"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {table} t WHERE {where}"),
                {"o": org_id, "p": project_id})).scalar_one()
    return sums


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(t for t in before if before[t] != after.get(t))


def decode(value: str) -> str | None:
    try:
        return base64.b64decode((value + "=" * (-len(value) % 4)).encode(), altchars=b"-_", validate=True).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def strings(value: Any) -> list[str]:
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def foreign_hits(response: httpx.Response, forbidden: set[str], sent: str) -> list[str]:
    """The other side's row ids an answer holds, raw, as global ids or inside cursors; a value the
    request itself sent (an error that names the refused input) is not a row of theirs."""
    try:
        body = response.json()
    except ValueError:
        return []
    hits = []
    for s in strings(body):
        if s in sent:
            continue
        candidates = [s, decode(s) or ""]
        if any(u in forbidden for c in candidates for u in _uuids_in(c)):
            hits.append(s)
    return hits


def _uuids_in(value: str) -> list[str]:
    out = []
    for i in range(len(value) - 35):
        piece = value[i:i + 36]
        if piece.count("-") == 4 and piece[8] == "-" and piece[13] == "-":
            out.append(piece.lower())
    return out


def request_text(query: str, variables: dict[str, Any] | None) -> str:
    return query + json.dumps(variables or {}, ensure_ascii=False)
