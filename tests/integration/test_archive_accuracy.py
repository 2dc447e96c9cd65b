"""档案准确率 (docs/archive.md §7) against the real database, as the application role inside each
company's wall: every check counted on records built for it (and the records beside it that just
pass), the formula, one row per project and Beijing day replaced by a second run, the nightly step
over every company with an archive (one company's failure leaves the other's rows), and the
`archive.imported` consumer recomputing the imported project when the event arrives."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

from sqlalchemy import text

from domain.archive.accuracy import Problem, beijing_today, compute
from domain.archive.accuracy_reads import accuracy_rows
from domain.events import Event
from domain.reads import ConnectionReader
from domain.sla.calendar import beijing_midnight
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from tests.conftest import make_org
from workers import accuracy_sweep, nightly
from workers.broker import EVENTS_QUEUE
from workers.relay import relay_all

DAY = date(2026, 12, 7)
YEAR = timedelta(days=365)
COLUMNS = tuple(p.column for p in Problem)


class Archive:
    """Rows straight into one project's archive, as the owner (the editing paths have their own tests)."""

    def __init__(self, owner_engine, org, project: str) -> None:
        self.engine, self.org, self.project = owner_engine, org.org_id, org.projects[project]
        self.building: uuid.UUID | None = None

    async def sql(self, sql: str, **values) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(text(sql), {"o": self.org, "p": self.project, **values})

    async def unit(self, number: str, *, area: float | None = 90.0, vacant: bool = False) -> uuid.UUID:
        if self.building is None:
            self.building = uuid.uuid4()
            await self.sql("INSERT INTO buildings (org_id, project_id, id, name) VALUES (:o, :p, :b, :n)",
                           b=self.building, n=f"楼-{self.building.hex[:6]}")
        unit = uuid.uuid4()
        await self.sql("INSERT INTO units (org_id, project_id, id, building_id, number, floor, area_m2, vacant) "
                       "VALUES (:o, :p, :u, :b, :n, 1, :a, :v)", u=unit, b=self.building, n=number, a=area, v=vacant)
        return unit

    async def resident(self, name: str, unit: uuid.UUID | None, *, role: str = "owner", phone: bool = True,
                       id_number: bool = True, kind: str = "person", moved_in: date | None = date(2020, 1, 1),
                       moved_out: date | None = None, verified_at=None, erased: bool = False) -> uuid.UUID:
        resident = uuid.uuid4()
        await self.sql(
            "INSERT INTO residents (org_id, project_id, id, name, kind, phone_hash, phone_masked, id_number_hash, verified_at, "
            "erased_at) VALUES (:o, :p, :r, :n, :k, :ph, :pm, :ih, :va, CASE WHEN :er THEN now() END)",
            r=resident, n=name, k=kind, ph=uuid.uuid4().bytes if phone else None, pm="138****0000" if phone else None,
            ih=uuid.uuid4().bytes if id_number else None, va=verified_at, er=erased)
        if unit is not None:
            await self.sql("INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, moved_in_on, moved_out_on) "
                           "VALUES (:o, :p, :u, :r, :role, :i, :out)", u=unit, r=resident, role=role, i=moved_in, out=moved_out)
        return resident

    async def contact(self, resident: uuid.UUID, kind: str) -> None:
        await self.sql("INSERT INTO resident_contacts (org_id, project_id, resident_id, kind, value_enc, value_hash, value_masked) "
                       "VALUES (:o, :p, :r, :k, :e, :h, 'x')", r=resident, k=kind, e=b"sealed", h=uuid.uuid4().bytes)

    async def pet(self, owner: uuid.UUID, name: str, species: str, vaccinated: date | None) -> None:
        await self.sql("INSERT INTO pets (org_id, project_id, resident_id, name, species, vaccinated_on) "
                       "VALUES (:o, :p, :r, :n, :s, :v)", r=owner, n=name, s=species, v=vaccinated)

    async def vehicle(self, owner: uuid.UUID, plate: str, valid_until: date | None) -> None:
        await self.sql("INSERT INTO vehicles (org_id, project_id, resident_id, plate, valid_until) VALUES (:o, :p, :r, :pl, :v)",
                       r=owner, pl=plate, v=valid_until)


async def built(owner_engine, org, day: date = DAY) -> Archive:
    """P1: 15 records, 8 of them with a problem on `day`; P2: one flat without its area."""
    a = Archive(owner_engine, org, "P1")
    lived, vacant_no_area, left, shared = (await a.unit("101"), await a.unit("102", area=None, vacant=True),
                                           await a.unit("103"), await a.unit("104"))
    midnight = beijing_midnight(day - YEAR)
    # Clean: verified at the first instant that is within the year.
    clean = await a.resident("甲", lived, verified_at=midnight)
    # An owner without an ID number; a mobile contact stands in for the missing phone.
    no_id = await a.resident("乙", lived, phone=False, id_number=False, verified_at=midnight + timedelta(hours=1))
    await a.contact(no_id, "mobile")
    # No phone (an e-mail is no phone), no move-in date, never verified; a tenant needs no ID number.
    worst = await a.resident("丙", shared, role="tenant", phone=False, id_number=False, moved_in=None)
    await a.contact(worst, "email")
    # A company owning a flat needs no ID number; verified a second too long ago.
    stale = await a.resident("丁", shared, kind="company", id_number=False, verified_at=midnight - timedelta(seconds=1))
    # Not current: moved out of 103 (which is then unaccounted for), or erased — neither is checked.
    await a.resident("戊", left, phone=False, id_number=False, moved_out=date(2025, 6, 1))
    await a.resident("己", lived, phone=False, erased=True)
    await a.resident("庚", None, phone=False)  # on file, living nowhere
    await a.pet(clean, "旺财", "dog", day - timedelta(days=10))
    await a.pet(clean, "咪咪", "cat", None)
    await a.pet(stale, "大黄", "dog", day - YEAR - timedelta(days=1))
    await a.pet(stale, "龟", "other", None)  # only dogs and cats need the vaccine
    await a.vehicle(clean, "京A12345", day - timedelta(days=1))
    await a.vehicle(stale, "京B12345", day)  # valid through its last day
    await a.vehicle(worst, "京C12345", None)
    assert vacant_no_area
    b = Archive(owner_engine, org, "P2")
    await b.unit("201", area=None, vacant=True)
    return a


async def stored(owner_engine, org_id) -> dict[tuple[uuid.UUID, date], dict]:
    async with owner_engine.connect() as conn:
        rows = await conn.execute(text("SELECT * FROM archive_accuracy WHERE org_id = :o"), {"o": org_id})
        return {(r.project_id, r.day): dict(r._mapping) for r in rows}


async def live(owner_engine, org_id) -> dict[uuid.UUID, tuple]:
    async with owner_engine.connect() as conn:
        rows = await conn.execute(text("SELECT project_id, day, records_checked, records_with_problems FROM archive_accuracy_live "
                                       "WHERE org_id = :o"), {"o": org_id})
        return {r.project_id: tuple(r)[1:] for r in rows}


async def computed(platform, org, day: date = DAY, project: uuid.UUID | None = None) -> int:
    async with platform.transaction(TenantScope(org.org_id, None, "system:test")) as conn:
        return await compute(conn, org.org_id, day, project)


async def test_each_check_counts_its_records_and_accuracy_follows_the_formula(platform, owner_engine, org, other_org):
    await built(owner_engine, org)
    assert await computed(platform, org) == 2  # both projects, one statement
    rows = await stored(owner_engine, org.org_id)
    p1 = rows[(org.projects["P1"], DAY)]
    assert {c: p1[c] for c in COLUMNS} == {
        "no_phone": 1, "owner_no_id": 1, "no_move_in": 1, "unit_unaccounted": 1, "unit_no_area": 1, "not_verified": 2,
        "vaccination_due": 2, "vehicle_expired": 1}
    # 4 current residents + 4 flats + 4 pets + 3 vehicles; 乙, 丙, 丁, 102, 103, 咪咪, 大黄, 京A.
    assert (p1["records_checked"], p1["records_with_problems"]) == (15, 8)
    p2 = rows[(org.projects["P2"], DAY)]
    assert (p2["records_checked"], p2["records_with_problems"], p2["unit_no_area"]) == (1, 1, 1)
    async with platform.transaction(TenantScope(org.org_id, None, "system:test")) as conn:
        read = await accuracy_rows(ConnectionReader(conn, org.org_id), None, None, None)
    assert [(r.code, r.accuracy) for r in read] == [("P1", 1 - 8 / 15), ("P2", 0.0)]
    assert await stored(owner_engine, other_org.org_id) == {}  # the other company's wall was never crossed


async def test_a_day_is_replaced_by_its_second_run_and_each_day_keeps_its_row(platform, owner_engine, org):
    a = await built(owner_engine, org)
    await computed(platform, org)
    first = await stored(owner_engine, org.org_id)
    await a.sql("UPDATE units SET area_m2 = 50 WHERE project_id = :p AND number = '102'")
    await a.sql("UPDATE vehicles SET valid_until = NULL WHERE project_id = :p")
    assert await computed(platform, org, project=org.projects["P1"]) == 1  # one project only
    again = await stored(owner_engine, org.org_id)
    p1 = again[(org.projects["P1"], DAY)]
    assert (p1["unit_no_area"], p1["vehicle_expired"], p1["records_with_problems"]) == (0, 0, 6)
    assert p1["computed_at"] > first[(org.projects["P1"], DAY)]["computed_at"]
    assert again[(org.projects["P2"], DAY)] == first[(org.projects["P2"], DAY)]  # untouched
    # The next day is a row of its own; a year on, every verification and vaccination is stale.
    await computed(platform, org, DAY + YEAR)
    rows = await stored(owner_engine, org.org_id)
    assert len(rows) == 4 and rows[(org.projects["P1"], DAY)] == p1
    later = rows[(org.projects["P1"], DAY + YEAR)]
    assert (later["not_verified"], later["vaccination_due"]) == (4, 3)
    # The overview's row is each project's latest day, which an earlier day computed again leaves.
    latest = {org.projects["P1"]: (DAY + YEAR, 15, later["records_with_problems"]), org.projects["P2"]: (DAY + YEAR, 1, 1)}
    assert await live(owner_engine, org.org_id) == latest
    await computed(platform, org)
    assert await live(owner_engine, org.org_id) == latest


async def test_the_nightly_step_covers_every_company_and_one_failure_leaves_the_others(platform, owner_engine, org,
                                                                                       other_org, caplog):
    await built(owner_engine, org)
    await Archive(owner_engine, other_org, "P1").unit("1", area=None)
    empty = await make_org(owner_engine)
    async with platform.transaction(None) as conn:
        found = set((await conn.execute(text("SELECT orgs_with_archive()"))).scalars())
    assert {org.org_id, other_org.org_id} <= found and empty.org_id not in found

    seen = []

    async def work(conn, org_id):
        n = await compute(conn, org_id, DAY)
        seen.append(org_id)
        if org_id == org.org_id:
            raise RuntimeError("the first company breaks after computing")
        return n

    assert await accuracy_sweep.SWEEP.each(platform, [org.org_id, other_org.org_id], work) == 2
    assert seen == [org.org_id, other_org.org_id]
    assert await stored(owner_engine, org.org_id) == {}  # rolled back
    theirs = await stored(owner_engine, other_org.org_id)
    assert sorted(((r["records_checked"], r["unit_no_area"], r["unit_unaccounted"]) for r in theirs.values()), reverse=True) \
        == [(1, 1, 1), (0, 0, 0)]

    # The step itself, as the nightly runner calls it: every company with an archive, once a day.
    done: dict[str, date] = {}
    await nightly.run_steps(platform, DAY, done)
    assert done == {"archive-accuracy": DAY}
    ours = await stored(owner_engine, org.org_id)
    assert ours[(org.projects["P1"], DAY)]["records_with_problems"] == 8
    await nightly.run_steps(platform, DAY, done)  # already done today: not run again
    assert await stored(owner_engine, org.org_id) == ours
    assert await stored(owner_engine, empty.org_id) == {}


async def test_an_imported_archive_is_recomputed_when_its_event_arrives(platform, owner_engine, org, stub_worker):
    await built(owner_engine, org, beijing_today())
    p1 = org.projects["P1"]
    async with UnitOfWork(platform, org_id=org.org_id, actor="system:test", scope=TenantScope(org.org_id, None, "system:test")) as uow:
        uow.record(Event(topic="archive.imported", org_id=org.org_id, project_id=p1,
                         payload={"project_id": str(p1), "import_id": str(uuid.uuid4())}))
        await uow.commit()
    assert await relay_all(platform, stub_worker) >= 1
    await asyncio.to_thread(stub_worker.join, EVENTS_QUEUE, fail_fast=True, timeout=30_000)
    rows = await stored(owner_engine, org.org_id)
    today = beijing_today()
    assert list(rows) == [(p1, today)]  # the imported project only
    assert (rows[(p1, today)]["records_checked"], rows[(p1, today)]["records_with_problems"]) == (15, 8)
    async with owner_engine.connect() as conn:
        marks = (await conn.execute(text("SELECT count(*) FROM processed_events WHERE org_id = :o AND consumer = 'archive_accuracy'"),
                                    {"o": org.org_id})).scalar_one()
    assert marks == 1
