"""The periodic-sweep helper: each company in its own transaction inside its own wall; the first
company's failure rolls back only its own writes, is logged with the company, and the second
company is still swept."""

from __future__ import annotations

import logging
from uuid import UUID

from sqlalchemy import text

from domain.outbox import write_records
from workers.sweeps import CompanySweep

LOG = logging.getLogger("firstcall.test_sweep")
SWEEP = CompanySweep("test", "system:test-sweep", text("SELECT unnest(CAST(:orgs AS uuid[]))"), LOG)


async def _audits(owner_engine, org_id: UUID) -> int:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM audit_log WHERE org_id = :o AND action = 'test.swept'"),
                                   {"o": org_id})).scalar_one()


async def test_the_first_company_failing_does_not_stop_the_second(platform, owner_engine, org, other_org, caplog):
    seen: list[tuple[UUID, list[UUID]]] = []

    async def work(conn, org_id: UUID) -> int:
        walls = (await conn.execute(text("SELECT DISTINCT org_id FROM projects"))).scalars().all()
        seen.append((org_id, list(walls)))
        await write_records(conn, org_id=org_id, events=[], audit=[
            {"project_id": None, "actor": "system", "action": "test.swept", "entity": "org", "entity_id": org_id}])
        if len(seen) == 1:
            raise RuntimeError("the first company's work breaks after writing")
        return 3

    with caplog.at_level(logging.ERROR, logger=LOG.name):
        done = await SWEEP(platform, {"orgs": [str(org.org_id), str(other_org.org_id)]}, work)

    # Both were swept, each seeing only its own company's rows.
    assert seen == [(org.org_id, [org.org_id]), (other_org.org_id, [other_org.org_id])]
    assert done == 3  # only the company that committed counts
    assert await _audits(owner_engine, org.org_id) == 0  # its transaction rolled back
    assert await _audits(owner_engine, other_org.org_id) == 1
    failed = [r for r in caplog.records if r.name == LOG.name]
    assert len(failed) == 1 and str(org.org_id) in failed[0].getMessage() and failed[0].exc_info is not None
