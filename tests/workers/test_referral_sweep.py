"""A body that never answers: the sweep (called with `now` moved on; the referral's times are first
moved into the past, as the finder judges what is due by the database's clock) reminds it at the due time and
a day later — the loopback receiver gets each reminder, signed, once — then the case escalates
L1, L2 and L3 (reason referral_overdue), each exactly once however often or concurrently the
sweep runs. An answered referral and another company's are left alone."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from sqlalchemy import text

from domain.notifications.signing import verify_webhook
from tests.api.conftest import desk  # noqa: F401 — fixture
from tests.api.test_referrals import FEEDBACK, referred
from tests.workers.test_delivery import pump, receiver  # noqa: F401 — fixtures
from workers.referral_sweep import sweep


async def _in_the_past(owner_engine, org, days: int = 90) -> None:
    """The referral sent `days` ago: every later `now` of a test is still before the database's clock."""
    async with owner_engine.begin() as conn:
        shift = {"o": org.org_id, "d": days}
        await conn.execute(text("UPDATE referrals SET created_at = created_at - make_interval(days => :d), "
                                "due_at = due_at - make_interval(days => :d), "
                                "next_check_at = next_check_at - make_interval(days => :d) WHERE org_id = :o"), shift)
        await conn.execute(text("UPDATE referral_updates SET at = at - make_interval(days => :d) WHERE org_id = :o"), shift)


async def facts(owner_engine, org) -> dict:
    async with owner_engine.connect() as conn:
        r = (await conn.execute(text("SELECT id, due_at, next_check_at, reminders_sent, escalated_level FROM referrals "
                                     "WHERE org_id = :o ORDER BY created_at LIMIT 1"), {"o": org.org_id})).one()
        levels = (await conn.execute(text("SELECT level FROM escalations WHERE org_id = :o AND reason = 'referral_overdue' "
                                          "ORDER BY fired_at, level"), {"o": org.org_id})).scalars().all()
        updates = (await conn.execute(text("SELECT kind FROM referral_updates WHERE referral_id = :r ORDER BY at, id"),
                                      {"r": r.id})).scalars().all()
        reminders = (await conn.execute(text("SELECT count(*) FROM deliveries WHERE ref_id = :r AND topic = 'referral.reminded'"),
                                        {"r": r.id})).scalar_one()
    return {"row": r, "levels": list(levels), "updates": list(updates), "reminders": reminders}


async def test_a_silent_body_is_reminded_twice_then_the_case_climbs_once_per_level(
        gql, desk, org, owner_engine, platform, stub_worker, receiver):  # noqa: F811
    _, body, _ = await referred(gql, desk, kind="POLICE_STATION", name="新华路派出所", delivery="WEBHOOK",
                                webhookUrl=f"{receiver.url}/police", address=None)
    await _in_the_past(owner_engine, org)
    due = (await facts(owner_engine, org))["row"].due_at
    assert (await facts(owner_engine, org))["row"].next_check_at == due

    async def hooks(n: int):
        async def enough() -> bool:
            return len(receiver.at("/police")) >= n
        await pump(platform, stub_worker, owner_engine, enough)

    await sweep(platform, now=due - timedelta(seconds=1))
    await hooks(1)  # the referral itself
    assert (await facts(owner_engine, org))["reminders"] == 0

    await sweep(platform, now=due)
    await sweep(platform, now=due)  # the same now again: nothing more
    await hooks(2)
    f = await facts(owner_engine, org)
    assert (f["row"].reminders_sent, f["row"].next_check_at, f["reminders"]) == (1, due + timedelta(days=1), 1)

    # Two sweeps at once a day later: the second reminder goes out once.
    await asyncio.gather(sweep(platform, now=due + timedelta(days=1)), sweep(platform, now=due + timedelta(days=1)))
    await hooks(3)
    assert (await facts(owner_engine, org))["reminders"] == 2
    reminders = [json.loads(r["body"]) for r in receiver.at("/police")[1:]]
    assert [(m["topic"], m["data"]["reminder"]) for m in reminders] == [("referral.reminded", 1), ("referral.reminded", 2)]
    for r in receiver.at("/police"):
        h = r["headers"]
        assert verify_webhook(body["secret"], h["x-firstcall-timestamp"], r["body"], h["x-firstcall-signature"])
    assert reminders[1]["title"].startswith("催办 第2次")

    for days, levels in ((2, ["l1"]), (4, ["l1", "l2"]), (7, ["l1", "l2", "l3"])):
        now = due + timedelta(days=days)
        await sweep(platform, now=now)
        await sweep(platform, now=now)
        f = await facts(owner_engine, org)
        assert f["levels"] == levels and f["row"].escalated_level == levels[-1]
    assert f["row"].next_check_at is None
    await sweep(platform, now=due + timedelta(days=60))
    f = await facts(owner_engine, org)
    assert f["levels"] == ["l1", "l2", "l3"] and f["reminders"] == 2
    assert f["updates"] == ["sent", "reminded", "reminded", "escalated", "escalated", "escalated"]
    async with owner_engine.connect() as conn:
        events = (await conn.execute(text("SELECT topic, payload FROM outbox WHERE org_id = :o AND topic IN "
                                          "('referral.reminded', 'case.escalated') ORDER BY created_at, id"), {"o": org.org_id})).all()
    assert [(t, p.get("reminder") or p.get("level")) for t, p in events] == [
        ("referral.reminded", 1), ("referral.reminded", 2), ("case.escalated", "l1"), ("case.escalated", "l2"),
        ("case.escalated", "l3")]
    assert all(p["reason"] == "referral_overdue" for t, p in events if t == "case.escalated")
    assert all(p["summary"] and p["body_name"] == "新华路派出所" for t, p in events if t == "referral.reminded")
    await hooks(3)
    assert len(receiver.at("/police")) == 3, "escalations go to the company's own people, not to the body"


async def test_a_sweep_long_overdue_catches_up_in_order_once(gql, desk, org, owner_engine, platform):  # noqa: F811 — the imported fixture
    await referred(gql, desk)
    await _in_the_past(owner_engine, org)
    due = (await facts(owner_engine, org))["row"].due_at
    assert await sweep(platform, now=due + timedelta(days=8)) >= 5, "all five steps at once (and other companies')"
    await sweep(platform, now=due + timedelta(days=8))
    f = await facts(owner_engine, org)
    assert f["levels"] == ["l1", "l2", "l3"] and f["reminders"] == 2 and f["row"].reminders_sent == 2
    async with owner_engine.connect() as conn:
        letters = (await conn.execute(text("SELECT kind, status FROM deliveries WHERE org_id = :o AND purpose = 'referral'"),
                                      {"o": org.org_id})).all()
    assert sorted(tuple(x) for x in letters) == [("letter", "pending")] * 3, "a letter body's reminders wait to be printed"


async def test_answered_referrals_and_other_companies_are_left_alone(gql, desk, org, other_org, owner_engine, platform):  # noqa: F811 — the imported fixture
    _, _, r = await referred(gql, desk)
    await gql(FEEDBACK, {"r": r["id"], "f": "ANSWERED", "n": "已处理"}, token=desk["sup"][1])
    f = await facts(owner_engine, org)
    assert f["row"].next_check_at is None
    async with owner_engine.connect() as conn:
        before = (await conn.execute(text("SELECT count(*) FROM escalations WHERE reason = 'referral_overdue' AND org_id = :o"),
                                     {"o": other_org.org_id})).scalar_one()
    await sweep(platform, now=f["row"].due_at + timedelta(days=30))
    f = await facts(owner_engine, org)
    assert f["levels"] == [] and f["reminders"] == 0 and f["updates"] == ["sent", "answered"]
    async with owner_engine.connect() as conn:
        after = (await conn.execute(text("SELECT count(*) FROM escalations WHERE reason = 'referral_overdue' AND org_id = :o"),
                                    {"o": other_org.org_id})).scalar_one()
    assert before == after == 0
