"""archiveAccuracy and the overview's column, asked the odd things (docs/archive.md §7): a day far
in the past or future, a malformed one, ids of the wrong type, another company's project, a
company of many projects. Every answer is data or a coded error, never INTERNAL."""

from __future__ import annotations

import time

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from domain.archive.accuracy import beijing_today
from tests.api.test_archive_accuracy_api import ACCURACY, OVERVIEW
from tests.integration.test_archive_accuracy import computed


def _codes(body) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


async def test_odd_days_and_ids_are_coded(gql, org, other_org, owner_engine):
    admin = await gql.login(org)
    p1 = to_global_id("Project", org.projects["P1"])
    for day in ("0001-01-01", "1999-12-31", "2100-01-02", "9999-12-31"):
        body = await gql(ACCURACY, {"p": p1, "d": day}, token=admin)
        assert _codes(body) == ["VALIDATION"], (day, body)
    for day in ("2024-02-30", "yesterday", "", "2024-1-1T00:00", "10000-01-01", 20240101):
        body = await gql(ACCURACY, {"p": p1, "d": day}, token=admin)
        assert _codes(body) and "INTERNAL" not in _codes(body), (day, body)
    for bad in ("garbage", to_global_id("Case", org.projects["P1"]), to_global_id("Project", other_org.projects["P1"]),
                to_global_id("ArchiveImport", org.projects["P1"]), "x" * 5000):
        body = await gql(ACCURACY, {"p": bad}, token=admin)
        assert _codes(body)[:1] in (["VALIDATION"], ["NOT_FOUND"]), (bad, body)
    empty = await gql(ACCURACY, {"p": p1, "d": "2000-01-01"}, token=admin)
    assert [(r["day"], r["accuracy"], r["recordsChecked"]) for r in empty["data"]["archiveAccuracy"]] == [(None, None, 0)]


async def test_a_company_of_many_projects(gql, org, owner_engine, platform):
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO projects (org_id, code, name, property_type) "
                                "SELECT :o, 'M' || lpad(i::text, 4, '0'), '项目' || i, 'residential' FROM generate_series(1, 600) i"),
                           {"o": org.org_id})
    await computed(platform, org, beijing_today())
    admin = await gql.login(org)
    started = time.monotonic()
    rows = (await gql(ACCURACY, token=admin))["data"]["archiveAccuracy"]
    took = time.monotonic() - started
    assert len(rows) == 602 and all(r["day"] == beijing_today().isoformat() for r in rows)
    overview = await gql(OVERVIEW, token=admin)
    assert overview.get("errors") is None and len(overview["data"]["orgOverview"]["projects"]) == 602
    assert took < 10  # a busy machine; one statement, not one per project
