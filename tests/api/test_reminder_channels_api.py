"""催缴渠道 `reminderChannels(projectId)` (docs/resident-services.md §6.6): whoever may set up
reminder schedules (fee:manage) lists the bridges a schedule can name — webhooks of the company or
of the project subscribed to `fee.reminders` — without channel:manage and without their address or
secret. Both ways: a project manager (fee:manage, no channel:manage) gets the list but not
`deliveryChannels`; a cashier (fee:collect, no fee:manage) is FORBIDDEN; another project's manager
and another company's administrator get NOT_FOUND; another company's bridges are never listed."""

from __future__ import annotations

from api.graphql.types.node import to_global_id
from tests.conftest import add_user
from tests.workers.test_delivery import ADD, SECRET

LIST = "query($p: ID!) { reminderChannels(projectId: $p) { id name active projectId } }"
ALL = "{ deliveryChannels { id } }"


def hook(name: str, topics: list[str], project: str | None = None, kind: str = "WEBHOOK") -> dict:
    target = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k" if kind == "WECOM" else "https://bridge.example.com/h"
    spec = {"kind": kind, "name": name, "target": target, "topics": topics}
    if kind == "WEBHOOK":
        spec["secret"] = SECRET
    return spec | ({"projectId": project} if project else {})


async def add(gql, token, spec) -> str:
    body = (await gql(ADD, {"i": spec}, token=token))["data"]["addDeliveryChannel"]
    assert body["errors"] == [], body
    return body["channel"]["id"]


async def test_fee_managers_list_the_bridges_and_nothing_more(gql, owner_engine, org, other_org):
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    await add_user(owner_engine, org, "agent1", "cs_agent", "P1")
    admin, stranger = await gql.login(org), await gql.login(other_org)
    p1, p2 = to_global_id("Project", org.projects["P1"]), to_global_id("Project", org.projects["P2"])
    company = await add(gql, admin, hook("短信桥", ["fee.reminders", "notice.recipients"]))
    ours = await add(gql, admin, hook("P1桥", ["fee.reminders"], p1))
    await add(gql, admin, hook("P2桥", ["fee.reminders"], p2))  # another project's
    await add(gql, admin, hook("工单回调", ["case.closed"]))  # hears no reminders
    await add(gql, admin, hook("群机器人", ["case.escalated"], kind="WECOM"))
    await add(gql, stranger, hook("别家的桥", ["fee.reminders"]))

    pm, pm2, agent = await gql.login(org, "pm1"), await gql.login(org, "pm2"), await gql.login(org, "agent1")
    listed = (await gql(LIST, {"p": p1}, token=pm))["data"]["reminderChannels"]
    assert {c["id"] for c in listed} == {company, ours}
    assert {c["projectId"] for c in listed} == {None, p1} and all(c["active"] for c in listed)
    # The manager could not see them before: the full list (targets, topics) stays channel:manage's.
    assert (await gql(ALL, token=pm))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await gql(LIST, {"p": p1}, token=admin))["data"]["reminderChannels"] == listed

    # Without fee:manage, FORBIDDEN; another project's manager and another company: NOT_FOUND.
    for token, code in ((agent, "FORBIDDEN"), (pm2, "NOT_FOUND"), (stranger, "NOT_FOUND")):
        body = await gql(LIST, {"p": p1}, token=token)
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == code, (code, body)
    # The stranger's own list holds only their own bridge, none of ours.
    their_p1 = to_global_id("Project", other_org.projects["P1"])
    theirs = (await gql(LIST, {"p": their_p1}, token=stranger))["data"]["reminderChannels"]
    assert [c["name"] for c in theirs] == ["别家的桥"]
    # No field of the type gives the address or the secret away.
    fields = (await gql('{ __type(name: "ReminderChannel") { fields { name } } }', token=pm))["data"]["__type"]["fields"]
    assert {f["name"] for f in fields} == {"id", "name", "active", "projectId", "createdAt"}
