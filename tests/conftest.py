"""Test fixtures against real services: PostgreSQL on 127.0.0.1:5432 (the embedded server where
none runs), migrated once into a template database that each test session clones."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import URL, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from api.app import create_app
from migrations.runner import upgrade
from tenants.db import DatabaseUrls
from tenants.platform import Platform
from domain.directory.provisioning import ProjectInput, create_organization, create_project
from tenants.settings import APP_ROLE, Settings

pytest_plugins = ["tests.statement_log"]  # statements of the application role must name org_id
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery"


def _cheap_password_hashing() -> None:
    """argon2id at its cheapest cost in the test processes. The production cost (64 MiB, 3 passes)
    is half a second a hash or check on two busy cores, and nearly every test makes companies,
    users and sign-ins: that cost alone was most of the suite's time while adding no coverage
    (the algorithm, the salt and the checks are the same). Processes the tests start
    (`firstcall serve`, worker, demo) hash at the real cost."""
    from argon2 import PasswordHasher

    from tenants.auth import passwords

    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    passwords._DUMMY_HASH = passwords._hasher.hash("firstcall-no-such-user")


_cheap_password_hashing()


def _server_url() -> URL:
    """A superuser URL of the server the tests use."""
    if os.environ.get("TEST_DATABASE_URL"):
        return make_url(os.environ["TEST_DATABASE_URL"]).set(drivername="postgresql+asyncpg")
    url = make_url("postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")

    async def probe() -> bool:
        try:
            conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres", timeout=3)
            await conn.close()
            return True
        except Exception:
            return False

    if asyncio.run(probe()):
        return url
    import pgserver  # no local server: the embedded one

    pg_dir = ROOT / ".firstcall" / "test-pg"
    pg_dir.mkdir(parents=True, exist_ok=True)
    pgserver.get_server(pg_dir, cleanup_mode="stop")
    return make_url(f"postgresql+asyncpg://postgres@/postgres?host={pg_dir}")


def _dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin(server: URL, *sql: str) -> None:
    conn = await asyncpg.connect(_dsn(server))
    try:
        for s in sql:
            await conn.execute(s)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def server_url() -> URL:
    return _server_url()


TEMPLATE_ENV = "FC_TEST_TEMPLATE"  # a test-run variable, not a setting of the product


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist the controller migrates one template before it starts the workers, which
    inherit its name and clone it: the migration is not repeated in every worker."""
    if getattr(config, "workerinput", None) is None and getattr(config.option, "numprocesses", None):
        server, name = _server_url(), f"fc_tpl_{os.getpid()}"
        asyncio.run(_admin(server, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"))
        upgrade(server.set(database=name), "firstcall_app")
        os.environ[TEMPLATE_ENV] = name
        config.stash[_shared_template] = (server, name)


_shared_template = pytest.StashKey[tuple[URL, str]]()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _shared_template in config.stash:
        server, name = config.stash[_shared_template]
        asyncio.run(_admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(scope="session")
def template_db(server_url: URL) -> str:
    """Migrated once per session (or once per xdist run, by the controller); tests get clones of it."""
    if os.environ.get(TEMPLATE_ENV):
        yield os.environ[TEMPLATE_ENV]
        return
    name = f"fc_tpl_{os.getpid()}"
    asyncio.run(_admin(server_url, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"))
    upgrade(server_url.set(database=name), "firstcall_app")
    yield name
    asyncio.run(_admin(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


def clone_database(server_url: URL, template: str) -> tuple[str, DatabaseUrls]:
    name = f"fc_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(server_url, f"CREATE DATABASE {name} TEMPLATE {template}"))
    owner = server_url.set(database=name)
    return name, DatabaseUrls(owner=owner, app=owner.set(username=APP_ROLE, password="firstcall_app"))


def drop_database(server_url: URL, name: str) -> None:
    asyncio.run(_admin(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(scope="session")
def db_urls(server_url: URL, template_db: str) -> DatabaseUrls:
    name, urls = clone_database(server_url, template_db)
    yield urls
    drop_database(server_url, name)


@pytest.fixture
def own_db(server_url: URL, template_db: str) -> DatabaseUrls:
    """A database of the test's own, for tests that run the real relay, worker and scanner: the
    session's database holds every earlier test's unpublished events, which a relay would publish
    and a worker handle before the test's own."""
    name, urls = clone_database(server_url, template_db)
    yield urls
    drop_database(server_url, name)


@pytest.fixture(scope="session")
def settings(db_urls: DatabaseUrls) -> Settings:
    # Receivers of webhooks, outside bodies' and 12345 bridges' messages run on loopback in these
    # tests; the tests of the rule itself (tests/workers/test_outbound_addresses.py) turn it off.
    return Settings(DATABASE_URL=db_urls.owner.render_as_string(hide_password=False), FIRSTCALL_MODE="development",
                    FIRSTCALL_ALLOW_LOOPBACK_DELIVERIES=True)


@pytest.fixture(scope="session")
async def platform(settings: Settings, db_urls: DatabaseUrls) -> AsyncIterator[Platform]:
    p = Platform.create(settings, db_urls)
    yield p
    await p.close()


@pytest.fixture(scope="session")
async def owner_engine(db_urls: DatabaseUrls) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(db_urls.owner)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def client(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(platform, None, instrument=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        yield c


@dataclass
class Org:
    org_id: uuid.UUID
    slug: str
    admin_id: uuid.UUID
    projects: dict[str, uuid.UUID]


async def make_org(owner_engine: AsyncEngine, n_projects: int = 2) -> Org:
    slug = f"t-{uuid.uuid4().hex[:10]}"
    org_id, admin_id = await create_organization(
        owner_engine, slug=slug, name=f"测试物业 {slug}", admin_username="admin", admin_password=PASSWORD
    )
    projects = {}
    async with owner_engine.begin() as conn:
        for i in range(n_projects):
            code = f"P{i + 1}"
            projects[code] = await create_project(conn, org_id, "system:test", ProjectInput(code, f"项目{i + 1}", "residential"))
    return Org(org_id, slug, admin_id, projects)


@pytest.fixture
async def org(owner_engine: AsyncEngine) -> Org:
    return await make_org(owner_engine)


@pytest.fixture
async def other_org(owner_engine: AsyncEngine) -> Org:
    return await make_org(owner_engine)


class Gql:
    """Posts GraphQL through the real ASGI app and keeps the raw response for assertions."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def __call__(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None,
                       api_key: str | None = None, expect_status: int = 200) -> dict[str, Any]:
        headers = {}
        if token:
            headers["authorization"] = f"Bearer {token}"
        if api_key:
            headers["x-api-key"] = api_key
        r = await self.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
        assert r.status_code == expect_status, r.text
        return r.json()

    async def login(self, org: Org | str, username: str = "admin", password: str = PASSWORD) -> str:
        slug = org if isinstance(org, str) else org.slug
        body = await self(
            "mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken errors { code message } } }",
            {"i": {"organization": slug, "username": username, "password": password}},
        )
        assert body["data"]["login"]["errors"] == [], body
        return body["data"]["login"]["accessToken"]


@pytest.fixture
def gql(client: httpx.AsyncClient) -> Gql:
    return Gql(client)


async def add_user(owner_engine: AsyncEngine, org: Org, username: str, role: str, project: str | None) -> uuid.UUID:
    """A user with one role, straight into the database (the API path has its own tests)."""
    from tenants.auth.passwords import hash_password

    user_id = uuid.uuid4()
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO users (org_id, id, username, display_name, password_hash) VALUES (:o, :id, :u, :u, :h)"),
                           {"o": org.org_id, "id": user_id, "u": username, "h": hash_password(PASSWORD)})
        await conn.execute(text("INSERT INTO role_assignments (org_id, user_id, role, project_id) VALUES (:o, :u, :r, :p)"),
                           {"o": org.org_id, "u": user_id, "r": role, "p": org.projects[project] if project else None})
    return user_id


async def add_unit(owner_engine: AsyncEngine, org: Org, project: str, number: str = "304") -> tuple[uuid.UUID, uuid.UUID]:
    """A building with one unit in a project; returns (unit_id, building_id)."""
    building, unit = uuid.uuid4(), uuid.uuid4()
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO buildings (org_id, project_id, id, name) VALUES (:o, :p, :b, :n)"),
                           {"o": org.org_id, "p": org.projects[project], "b": building, "n": f"楼-{building.hex[:6]}"})
        await conn.execute(text("INSERT INTO units (org_id, project_id, id, building_id, number, floor) VALUES (:o, :p, :u, :b, :n, 3)"),
                           {"o": org.org_id, "p": org.projects[project], "u": unit, "b": building, "n": number})
    return unit, building


@pytest.fixture(autouse=True)
def earlier_events_settled(request: pytest.FixtureRequest) -> None:
    """A test that relays the outbox (it runs `stub_worker`, or is marked `relays`) relays only its
    own events: an earlier test in the session's database may have left events unrelayed, such as a
    delivery to a host that does not resolve, whose retries would outlast the test's join or fail
    it. They are marked published before the test's own fixtures make anything (autouse fixtures
    come first), so the test's companies and projects keep theirs."""
    if "stub_worker" in request.fixturenames or request.node.get_closest_marker("relays"):
        urls: DatabaseUrls = request.getfixturevalue("db_urls")
        asyncio.run(_admin(urls.owner, "UPDATE outbox SET published_at = now() WHERE published_at IS NULL"))


@pytest.fixture
def stub_worker(settings, db_urls):
    """Dramatiq workers on the in-process stub broker, consuming this test's database."""
    import dramatiq

    from workers import actors, runtime
    from workers.broker import make_broker

    broker = make_broker(None)
    actors.declare(broker)
    runtime.configure(settings, db_urls)
    worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=50)
    worker.start()
    yield broker
    worker.stop()
