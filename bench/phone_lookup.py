"""来电识别 at scale (docs/archive.md §9): one company, 300 projects, 1,000,000 residents — canonical
mobiles, encrypted and hashed as tenants/personal_data.py does, each in a flat of their project
(buildings, units, an open stay), one in ten with a second number as a contact — loaded by COPY
into a database of its own (fc_bench_lookup, reused while it holds that many residents). Then
`callerLookup` by phone, sequentially:

- through the domain read (domain/archive/lookup.py) as the application role, each call its own
  tenant transaction with row-level security, as a request's;
- through /graphql on a real server (`firstcall serve`), as the company's admin;

p50 / p99 of each, and the partial-flat lookup (`1502`, `3-2-1502`) on the largest project.

    .venv/bin/python bench/phone_lookup.py [--residents 1000000] [--calls 10000] [--database fc_bench_lookup]   (make bench-lookup)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy import URL
from sqlalchemy.ext.asyncio import create_async_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._database import PASSWORD, dsn, ensure_loaded  # noqa: E402
from bench._results import Figure, record, results_dir  # noqa: E402
from bench._servers import bearer, serve  # noqa: E402
from domain.archive import lookup  # noqa: E402
from domain.archive.flat_query import required_flat_query  # noqa: E402
from domain.archive.values import canonical_phone  # noqa: E402
from domain.reads import ConnectionReader  # noqa: E402
from tenants.context import TenantScope  # noqa: E402
from tenants.db import tenant_transaction  # noqa: E402
from tenants.personal_data import PersonalDataCipher, mask_phone  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = results_dir() / "phone_lookup.json"
DB = "fc_bench_lookup"
SLUG = "bench-lookup"
PORT = 8743
PROJECTS = 300
LARGEST_SHARE = 0.03  # the largest project: 30,000 residents of 1,000,000, in about 19,000 flats
RESIDENTS_PER_FLAT = 1.6
FLOORS, ENTRANCES, PER_FLOOR = 18, 2, 4  # a building: 2 单元 × 18 floors × 4 flats = 144 flats
CONTACT_EVERY = 10
# The server and this process hash with the same keys.
KEYS = {"SECRET_KEY": "bench-lookup-secret-key-0123456789abcdef", "DATA_ENCRYPTION_KEY": "bench-lookup-data-key-0123456789abcdef",
        "LOOKUP_HASH_KEY": "bench-lookup-hash-key-0123456789abcdef"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚"
CALLER_LOOKUP = ("query($phone: String) { callerLookup(phone: $phone) { residents { name phoneMasked } units { label } } }")
FLAT_LOOKUP = ("query($flat: String, $p: ID) { callerLookup(flat: $flat, projectId: $p) { residents { name } units { label } } }")


def cipher() -> PersonalDataCipher:
    return PersonalDataCipher(KEYS["DATA_ENCRYPTION_KEY"].encode(), KEYS["LOOKUP_HASH_KEY"].encode())


def phone_of(i: int) -> str:
    """Resident i's own number, canonical and unique; contact numbers start past the residents'."""
    return canonical_phone(f"1{3 + i % 7}{i:09d}")


def project_sizes(residents: int) -> list[int]:
    largest = int(residents * LARGEST_SHARE)
    rest, extra = divmod(residents - largest, PROJECTS - 1)
    return [largest] + [rest + (1 if i < extra else 0) for i in range(PROJECTS - 1)]


async def ensure(residents: int, database: str) -> URL:
    return await ensure_loaded(database, "residents", residents, slug=SLUG, name="来电基准物业",
                               load=lambda conn, org: _load(conn, org, residents))


async def _load(conn: asyncpg.Connection, org: uuid.UUID, residents: int) -> None:
    rng = random.Random(20261207)
    c = cipher()
    projects = [uuid.uuid4() for _ in range(PROJECTS)]
    await conn.copy_records_to_table("projects", columns=["org_id", "id", "code", "name", "property_type", "households"], records=[
        (org, p, f"L{i:03d}", f"来电项目{i:03d}", "residential", 800) for i, p in enumerate(projects)])
    flat_of_building = [(e, f, n) for e in range(1, ENTRANCES + 1) for f in range(1, FLOORS + 1) for n in range(1, PER_FLOOR + 1)]
    person = 0
    for p_index, (project, size) in enumerate(zip(projects, project_sizes(residents), strict=True)):
        flats = max(1, round(size / RESIDENTS_PER_FLAT))
        n_buildings = -(-flats // len(flat_of_building))
        buildings = [(org, project, uuid.uuid4(), f"{b + 1}号楼", FLOORS) for b in range(n_buildings)]
        units = []
        for k in range(flats):
            e, f, n = flat_of_building[k % len(flat_of_building)]
            units.append((org, project, uuid.uuid4(), buildings[k // len(flat_of_building)][2], str(e), f"{f}{n:02d}", f))
        people, stays, contacts = [], [], []
        for k in range(size):
            rid, phone = uuid.uuid4(), phone_of(person)
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
            people.append((org, project, rid, name, c.encrypt(phone), c.lookup_hash(phone), mask_phone(phone)))
            # The first of a flat owns it; the rest are family or tenants.
            stays.append((org, project, units[k % flats][2], rid, "owner" if k < flats else rng.choice(("family", "tenant")),
                          k < flats))
            if person % CONTACT_EVERY == 0:
                other = phone_of(residents + person)
                contacts.append((org, project, rid, "mobile", "家人", c.encrypt(other), c.lookup_hash(other), mask_phone(other)))
            person += 1
        await conn.copy_records_to_table("buildings", columns=["org_id", "project_id", "id", "name", "floors"], records=buildings)
        await conn.copy_records_to_table("units", columns=["org_id", "project_id", "id", "building_id", "entrance", "number", "floor"],
                                         records=units)
        await conn.copy_records_to_table("residents", columns=["org_id", "project_id", "id", "name", "phone_enc", "phone_hash",
                                                               "phone_masked"], records=people)
        await conn.copy_records_to_table("occupancies", columns=["org_id", "project_id", "unit_id", "resident_id", "role",
                                                                 "primary_contact"], records=stays)
        await conn.copy_records_to_table("resident_contacts", columns=["org_id", "project_id", "resident_id", "kind", "label",
                                                                       "value_enc", "value_hash", "value_masked"], records=contacts)
        if p_index % 30 == 0:
            print(f"  project {p_index + 1}/{PROJECTS}: {person:,} residents", flush=True)


def summary(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {"calls": len(timings), "p50_ms": round(statistics.median(timings), 2),
            "p99_ms": round(timings[max(0, int(len(timings) * 0.99) - 1)], 2), "max_ms": round(timings[-1], 2)}


def sample_phones(residents: int, calls: int) -> list[str]:
    """Nine in ten a resident's own number, one in ten a contact's (the EXISTS branch)."""
    rng = random.Random(7)
    phones = []
    for i in range(calls):
        if i % 10 == 9:
            phones.append(phone_of(residents + rng.randrange(0, residents, CONTACT_EVERY)))
        else:
            phones.append(phone_of(rng.randrange(residents)))
    return phones


def flat_queries(calls: int) -> list[str]:
    rng = random.Random(11)
    typed = []
    for i in range(calls):
        number = f"{rng.randint(1, FLOORS)}{rng.randint(1, PER_FLOOR):02d}"
        typed.append(number if i % 2 == 0 else f"{rng.randint(1, 60)}-{rng.randint(1, ENTRANCES)}-{number}")
    return typed


async def domain_reads(url: URL, residents: int, calls: int) -> dict:
    """As a request does it: the application role, a tenant transaction per call, the lookup's two statements."""
    app = url.set(drivername="postgresql+asyncpg", username="firstcall_app", password="firstcall_app")
    engine = create_async_engine(app, isolation_level="AUTOCOMMIT", pool_size=2)
    owner = await asyncpg.connect(dsn(url))
    org = await owner.fetchval("SELECT org_id FROM organizations WHERE slug = $1", SLUG)
    largest = await owner.fetchval("SELECT project_id FROM residents GROUP BY project_id ORDER BY count(*) DESC LIMIT 1")
    await owner.close()
    scope = TenantScope(org_id=org, projects=None, actor="system")
    c = cipher()

    async def by_phone(phone: str) -> int:
        async with tenant_transaction(engine, scope) as conn:
            db = ConnectionReader(conn)
            people = await lookup.residents_by_phone(db, c.lookup_hash(canonical_phone(phone)), None, None)
            await lookup.current_units_of(db, people)
            return len(people)

    async def by_flat(typed: str) -> int:
        async with tenant_transaction(engine, scope) as conn:
            db = ConnectionReader(conn)
            places = await lookup.units_by_flat(db, largest, required_flat_query(typed, "flat"))
            await lookup.current_occupants_of(db, places)
            return len(places)

    try:
        phones, flats = sample_phones(residents, calls), flat_queries(max(1, calls // 10))
        for phone in phones[:50]:  # warm-up: plans, caches, the pool
            await by_phone(phone)
        timings, found = [], 0
        for phone in phones:
            started = time.perf_counter()
            found += await by_phone(phone) > 0
            timings.append((time.perf_counter() - started) * 1000)
        assert found == len(phones), f"only {found} of {len(phones)} numbers found"
        flat_timings = []
        for typed in flats:
            started = time.perf_counter()
            await by_flat(typed)
            flat_timings.append((time.perf_counter() - started) * 1000)
        return {"by_phone": summary(timings), "by_flat_largest_project": summary(flat_timings)}
    finally:
        await engine.dispose()


def graphql(url: URL, residents: int, calls: int) -> dict:
    with serve(dsn(url), PORT, KEYS) as base:
        headers = bearer(base, SLUG, "admin", PASSWORD)
        largest = asyncio.run(_largest_project_id(url))
        phones, flats = sample_phones(residents, calls), flat_queries(max(1, calls // 10))
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            def call(document: str, variables: dict) -> tuple[float, dict]:
                started = time.perf_counter()
                r = client.post("/graphql", json={"query": document, "variables": variables})
                elapsed = (time.perf_counter() - started) * 1000
                body = r.json()
                assert "errors" not in body, r.text[:300]
                return elapsed, body["data"]["callerLookup"]

            for phone in phones[:50]:
                call(CALLER_LOOKUP, {"phone": phone})
            timings = []
            for phone in phones:
                elapsed, found = call(CALLER_LOOKUP, {"phone": phone})
                assert found["residents"], phone
                timings.append(elapsed)
            flat_timings = [call(FLAT_LOOKUP, {"flat": typed, "p": largest})[0] for typed in flats]
        return {"by_phone": summary(timings), "by_flat_largest_project": summary(flat_timings)}


async def _largest_project_id(url: URL) -> str:
    from api.graphql.types.node import to_global_id

    conn = await asyncpg.connect(dsn(url))
    try:
        project = await conn.fetchval("SELECT project_id FROM residents GROUP BY project_id ORDER BY count(*) DESC LIMIT 1")
    finally:
        await conn.close()
    return to_global_id("Project", project)


async def shape(url: URL) -> dict:
    conn = await asyncpg.connect(dsn(url))
    try:
        row = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM residents) AS residents, (SELECT count(*) FROM units) AS units, "
            "(SELECT count(*) FROM resident_contacts) AS contacts, (SELECT count(*) FROM projects) AS projects, "
            "(SELECT max(n) FROM (SELECT count(*) AS n FROM units GROUP BY project_id) x) AS largest_project_units")
        return dict(row)
    finally:
        await conn.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--residents", type=int, default=1_000_000)
    ap.add_argument("--calls", type=int, default=10_000)
    ap.add_argument("--database", default=DB, help="a smaller trial run names a database of its own")
    args = ap.parse_args()
    url = asyncio.run(ensure(args.residents, args.database))
    results = {**asyncio.run(shape(url)), "calls": args.calls}
    results["domain_read"] = asyncio.run(domain_reads(url, args.residents, args.calls))
    print("domain read:", json.dumps(results["domain_read"]), flush=True)
    results["graphql"] = graphql(url, args.residents, args.calls)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    domain, api = results["domain_read"], results["graphql"]
    record("phone_lookup", args=args, parser=ap, figures=[
        Figure("by phone, /graphql p50", api["by_phone"]["p50_ms"], "ms"), Figure("p99", api["by_phone"]["p99_ms"], "ms"),
        Figure("domain read p50", domain["by_phone"]["p50_ms"], "ms"),
        Figure("by flat, /graphql p99", api["by_flat_largest_project"]["p99_ms"], "ms")])


if __name__ == "__main__":
    main()
