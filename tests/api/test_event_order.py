"""Events of one case reach subscribers and consumers in the order they were committed: through
the real subscription (uvicorn, graphql-transport-ws, NOTIFY) and through the outbox relay."""

from __future__ import annotations

import asyncio

from tests.api.test_subscriptions import CASES, Live, bearer, desk_of, register, server  # noqa: F401 — the fixture


async def test_a_skip_level_complaint_is_heard_received_before_escalated(gql, org, owner_engine, server):
    admin = await gql.login(org)
    desk = await desk_of(owner_engine, org)
    async with Live.connect(server, bearer(admin)) as live:
        await live.subscribe("cases", CASES)
        await server.until_subscribed(org.org_id, 1)
        made = [await register(gql, admin, desk, kind="COMPLAINT", channel="HQ_HOTLINE", category="noise",
                               description=f"越级投诉第{n}次：夜间施工噪音") for n in range(4)]

        def heard(case_id: str) -> list[str]:
            return [d["caseUpdates"]["topic"] for d in live.data("cases") if d["caseUpdates"]["case"]["id"] == case_id]

        await live.until(lambda: all(len(heard(c)) >= 2 for c in made))
        await asyncio.sleep(0.2)  # anything still on its way would arrive now
        for case_id in made:
            assert heard(case_id) == ["case.received", "case.escalated"], heard(case_id)
