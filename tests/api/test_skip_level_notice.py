"""越级投诉: a complaint that went over the project's head to headquarters reaches, in their inbox,
headquarters, the project's CS supervisors and managers, and — once it is linked as a repeat —
whoever first received the earlier case; each person once."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import text

from tests.api.conftest import REGISTER, case_input
from tests.api.test_inbox import INBOX
from tests.api.test_org_overview import settle
from tests.conftest import add_user

LINK = "mutation($c: ID!, $e: ID!) { linkRepeatCase(caseId: $c, earlierCaseId: $e) { errors { code field } } }"


async def _told(owner_engine, org, case_number: str) -> Counter:
    """username → notifications naming the case."""
    async with owner_engine.connect() as conn:
        rows = await conn.execute(text(
            "SELECT u.username FROM notifications n JOIN users u ON u.org_id = n.org_id AND u.id = n.user_id "
            "JOIN cases c ON c.org_id = n.org_id AND c.id = n.case_id WHERE n.org_id = :o AND c.number = :n"),
            {"o": org.org_id, "n": case_number})
        return Counter(r.username for r in rows)


async def test_a_skip_level_complaint_reaches_hq_the_projects_leads_and_the_earlier_receiver_once(
        gql, desk, owner_engine, org, platform, stub_worker):
    for username, role, project in (("pm", "project_manager", "P1"), ("hq", "hq_supervisor", None),
                                    ("pm2", "project_manager", "P2"), ("sup2", "cs_supervisor", "P2")):
        await add_user(owner_engine, org, username, role, project)
    admin, agent = await gql.login(org), desk["agent"][1]
    noise = {"i": case_input(desk, kind="COMPLAINT", category="noise")}
    earlier = (await gql(REGISTER, noise, token=agent))["data"]["registerCase"]["case"]
    body = await gql(REGISTER, {"i": case_input(desk, kind="COMPLAINT", channel="HQ_HOTLINE", category="noise",
                                                description="业主打到总部：楼上装修噪音投诉多次无人处理")}, token=admin)
    complaint = body["data"]["registerCase"]["case"]
    await settle(platform, stub_worker)
    told = await _told(owner_engine, org, complaint["number"])
    assert {"pm", "sup", "hq"} <= set(told), told
    assert not {"pm2", "sup2", "agent", "tech"} & set(told), "other projects' leads and the handlers are not told"

    assert (await gql(LINK, {"c": complaint["id"], "e": earlier["id"]}, token=admin))["data"]["linkRepeatCase"]["errors"] == []
    await settle(platform, stub_worker)
    told = await _told(owner_engine, org, complaint["number"])
    assert {"pm", "sup", "hq", "agent"} <= set(told), told
    assert set(told.values()) == {1}, f"each person once: {told}"
    box = (await gql(INBOX, {"u": True}, token=agent))["data"]["notifications"]["items"]
    assert [i["caseId"] for i in box] == [complaint["id"]] and earlier["number"] in box[0]["body"]
