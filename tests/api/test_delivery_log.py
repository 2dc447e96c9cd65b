"""The delivery log and replays through the real path (API → outbox → worker → loopback
receiver): what the new outside topics say on a channel, a project's channel hearing only its
project, every attempt logged, a replay sent once with the same delivery id, what cannot be
replayed, and the wall between companies and projects."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import text

from api.graphql.types.delivery import delivery_row
from api.graphql.types.node import from_global_id, parse_global_id, to_global_id
from api.request_db import RequestDb
from domain.events import Event
from domain.notifications.direct import queue_direct
from domain.notifications.signing import verify_webhook
from domain.outbox import write_records
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from tests.api.conftest import REGISTER, case_input
from tests.api.test_org_overview import settle
from tests.workers.test_delivery import ADD, SECRET, Receiver, pump

FIELDS = ("id purpose kind topic title status attempts replays projectId channelId "
          "attemptLog { ok statusCode error replay durationMs at }")
LOG = ("query($pu: DeliveryPurpose, $s: String, $t: String, $p: ID, $n: Int! = 50) { deliveryLog(purpose: $pu, status: $s, "
       "topic: $t, projectId: $p, first: $n) { %s } }" % FIELDS)
REPLAY = ("mutation($d: ID!, $k: String) { replayDelivery(deliveryId: $d, idempotencyKey: $k) { delivery { status replays } "
          "errors { code field message } } }")


@pytest.fixture
def receiver():
    r = Receiver(fail_first=1)
    yield r
    r.server.shutdown()
    r.server.server_close()


async def add_channel(gql, token, url: str, topics: list[str], project: uuid.UUID | None = None) -> str:
    value = {"kind": "WEBHOOK", "name": f"对接 {uuid.uuid4().hex[:6]}", "target": url, "secret": SECRET, "topics": topics}
    if project:
        value["projectId"] = to_global_id("Project", project)
    body = (await gql(ADD, {"i": value}, token=token))["data"]["addDeliveryChannel"]
    assert body["errors"] == [], body
    return body["channel"]["id"]


async def emit(platform, org, project: uuid.UUID | None, topic: str, payload: dict) -> None:
    """An event as the referral, 12345 and decision-feedback code writes it."""
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await write_records(conn, org_id=org.org_id, audit=[],
                            events=[Event(topic=topic, org_id=org.org_id, project_id=project, payload=payload)])


async def direct(platform, org, project: uuid.UUID, kind: str, target: str, ref: uuid.UUID) -> uuid.UUID:
    async with UnitOfWork(platform, org_id=org.org_id, actor="test", scope=TenantScope(org.org_id, None, "test")) as uow:
        delivery_id = await queue_direct(
            uow, org_id=org.org_id, project_id=project, purpose="referral", ref_id=ref, kind=kind, target=target,
            secret_enc=platform.cipher.encrypt(SECRET) if kind == "webhook" else None, topic="referral.sent",
            title="转办函", body="请协助处理楼道积水。", data={"referral_id": str(ref)}, dedupe_key=f"test:{ref}:{kind}")
        await uow.commit()
        return delivery_id


def sent(owner_engine, org, count: int):
    async def check() -> bool:
        async with owner_engine.connect() as conn:
            return (await conn.execute(text("SELECT count(*) FROM deliveries WHERE org_id = :o AND status = 'sent'"),
                                       {"o": org.org_id})).scalar_one() >= count
    return check


async def test_a_replay_goes_once_with_the_same_delivery_id_and_is_logged(gql, desk, org, owner_engine, platform, stub_worker,
                                                                         receiver):
    admin = await gql.login(org)
    await add_channel(gql, admin, f"{receiver.url}/hook", ["referral.sent"])
    case = (await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1]))["data"]["registerCase"]["case"]
    summary = "工单已转办至朝阳街道办，请于5日内反馈。"
    await emit(platform, org, org.projects["P1"], "referral.sent",
               {"referral_id": str(uuid.uuid4()), "case_id": str(parse_global_id(case["id"])[1]), "body_id": str(uuid.uuid4()),
                "body_name": "朝阳街道办", "summary": summary})
    await pump(platform, stub_worker, owner_engine, sent(owner_engine, org, 1))
    [first] = receiver.at("/hook")
    message = json.loads(first["body"])
    assert message["title"] == f"转办已发出：工单 {case['number']}" and message["body"] == summary
    assert verify_webhook(SECRET, first["headers"]["x-firstcall-timestamp"], first["body"], first["headers"]["x-firstcall-signature"])

    [logged] = (await gql(LOG, {"t": "referral.sent"}, token=admin))["data"]["deliveryLog"]
    assert (logged["purpose"], logged["kind"], logged["status"], logged["replays"]) == ("CHANNEL", "webhook", "sent", 0)
    for _ in range(2):  # the same key twice: one replay
        body = (await gql(REPLAY, {"d": logged["id"], "k": "replay-1"}, token=admin))["data"]["replayDelivery"]
        assert body["errors"] == [] and body["delivery"]["status"] == "sent"

    async def replayed() -> bool:
        return len(receiver.at("/hook")) >= 2
    await pump(platform, stub_worker, owner_engine, replayed)
    await settle(platform, stub_worker)
    again = receiver.at("/hook")
    assert len(again) == 2, "one idempotency key, one replay"
    assert again[1]["headers"]["x-firstcall-delivery"] == first["headers"]["x-firstcall-delivery"]
    assert json.loads(again[1]["body"])["id"] == message["id"]
    [logged] = (await gql(LOG, {"t": "referral.sent"}, token=admin))["data"]["deliveryLog"]
    assert logged["replays"] == 1 and [(a["ok"], a["replay"]) for a in logged["attemptLog"]] == [(True, False), (True, True)]
    async with owner_engine.connect() as conn:
        audits = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE org_id = :o AND action = 'delivery.replayed'"),
                                     {"o": org.org_id})).scalar_one()
    assert audits == 1


async def test_the_attempt_log_shows_a_failure_then_the_success(gql, org, owner_engine, platform, stub_worker, receiver):
    admin = await gql.login(org)
    ref = uuid.uuid4()
    await direct(platform, org, org.projects["P1"], "webhook", f"{receiver.url}/flaky", ref)
    await pump(platform, stub_worker, owner_engine, sent(owner_engine, org, 1))
    flaky = receiver.at("/flaky")
    assert len(flaky) == 2 and len({r["headers"]["x-firstcall-delivery"] for r in flaky}) == 1
    [logged] = (await gql(LOG, {"pu": "REFERRAL"}, token=admin))["data"]["deliveryLog"]
    assert (logged["purpose"], logged["kind"], logged["status"], logged["attempts"], logged["channelId"]) == (
        "REFERRAL", "webhook", "sent", 2, None)
    assert logged["projectId"] == to_global_id("Project", org.projects["P1"])
    log = logged["attemptLog"]
    assert [(a["ok"], a["statusCode"]) for a in log] == [(False, 500), (True, 200)]
    assert "500" in log[0]["error"] and log[1]["error"] is None and log[0]["at"] <= log[1]["at"]
    # The filters hold: nothing pending, nothing about channels.
    assert (await gql(LOG, {"s": "pending"}, token=admin))["data"]["deliveryLog"] == []
    assert (await gql(LOG, {"pu": "CHANNEL"}, token=admin))["data"]["deliveryLog"] == []

    # The wall is per company: a read of one delivery also keeps to the caller's projects.
    async def one(projects):
        db = RequestDb(platform, TenantScope(org.org_id, projects, "test"))
        try:
            return await delivery_row(db, from_global_id(logged["id"], "Delivery"))
        finally:
            await db.close()
    assert (await one(frozenset({org.projects["P1"]}))).ref_id == ref
    assert await one(frozenset({org.projects["P2"]})) is None


async def test_letters_and_unsent_deliveries_are_refused_with_codes(gql, org, owner_engine, platform, stub_worker, receiver):
    admin = await gql.login(org)
    letter = await direct(platform, org, org.projects["P1"], "letter", "北京市朝阳区朝阳街道办事处", uuid.uuid4())
    waiting = await direct(platform, org, org.projects["P1"], "webhook", f"{receiver.url}/hook", uuid.uuid4())
    async with owner_engine.connect() as conn:
        events_before = (await conn.execute(text("SELECT count(*) FROM outbox WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
    for delivery_id, words in ((letter, "printed"), (waiting, "retryDeadLetter")):
        body = (await gql(REPLAY, {"d": to_global_id("Delivery", delivery_id)}, token=admin))["data"]["replayDelivery"]
        [error] = body["errors"]
        assert (error["code"], error["field"]) == ("INVALID_STATE", "deliveryId") and words in error["message"]
        assert body["delivery"] is None
    bad = (await gql(REPLAY, {"d": "not-an-id"}, token=admin))["data"]["replayDelivery"]["errors"]
    assert [(e["code"], e["field"]) for e in bad] == [("VALIDATION", "deliveryId")]
    bad = (await gql(LOG, {"s": "lost"}, token=admin))
    assert bad["data"] is None and bad["errors"][0]["extensions"]["code"] == "VALIDATION"
    async with owner_engine.connect() as conn:
        events_after = (await conn.execute(text("SELECT count(*) FROM outbox WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
    assert events_after == events_before, "a refusal writes nothing"
    assert [(d["kind"], d["replays"]) for d in (await gql(LOG, {"s": "pending"}, token=admin))["data"]["deliveryLog"]] == [
        ("webhook", 0), ("letter", 0)]
    # Nothing lost: the waiting one goes out as usual, once; the letter stays for printing.
    await pump(platform, stub_worker, owner_engine, sent(owner_engine, org, 1))
    await settle(platform, stub_worker)
    assert len(receiver.at("/hook")) == 1
    assert [d["kind"] for d in (await gql(LOG, {"s": "pending"}, token=admin))["data"]["deliveryLog"]] == ["letter"]


async def test_other_companies_and_project_staff_see_and_replay_nothing(gql, desk, org, other_org, owner_engine, platform,
                                                                        stub_worker, receiver):
    admin = await gql.login(org)
    await direct(platform, org, org.projects["P1"], "webhook", f"{receiver.url}/hook", uuid.uuid4())
    await pump(platform, stub_worker, owner_engine, sent(owner_engine, org, 1))
    [ours] = (await gql(LOG, {}, token=admin))["data"]["deliveryLog"]

    outsider = await gql.login(other_org)
    assert (await gql(LOG, {}, token=outsider))["data"]["deliveryLog"] == []
    theirs = await gql(LOG, {"p": to_global_id("Project", org.projects["P1"])}, token=outsider)
    assert theirs["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    refused = (await gql(REPLAY, {"d": ours["id"]}, token=outsider))["data"]["replayDelivery"]["errors"]
    assert [e["code"] for e in refused] == ["NOT_FOUND"]
    node = await gql("query($id: ID!) { node(id: $id) { ... on Delivery { attemptLog { ok } } } }", {"id": ours["id"]}, token=outsider)
    assert node["data"]["node"] is None
    mine = await gql("query($id: ID!) { node(id: $id) { ... on Delivery { attemptLog { ok } } } }", {"id": ours["id"]}, token=admin)
    assert mine["data"]["node"]["attemptLog"] == [{"ok": True}]

    # A project's supervisor manages no channels: refused, not an empty answer.
    supervisor = desk["sup"][1]
    forbidden = await gql(LOG, {}, token=supervisor)
    assert forbidden["data"] is None and forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    forbidden = await gql(REPLAY, {"d": ours["id"]}, token=supervisor)
    assert forbidden["data"] is None and forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await settle(platform, stub_worker)
    assert len(receiver.at("/hook")) == 1, "no refusal sent anything"


async def test_a_project_channel_hears_its_project_and_only_the_topics_it_chose(gql, org, other_org, owner_engine, platform,
                                                                                stub_worker, receiver):
    admin = await gql.login(org)
    p1, p2 = org.projects["P1"], org.projects["P2"]
    await add_channel(gql, admin, f"{receiver.url}/p1", ["referral.sent", "gov_order.received"], project=p1)
    await add_channel(gql, admin, f"{receiver.url}/all", ["decision_feedback.reported", "referral.answered"])
    for project, topic, summary in ((p1, "referral.sent", "P1 转办"), (p2, "referral.sent", "P2 转办"),
                                    (p1, "gov_order.received", "P1 12345"), (p1, "gov_order.answered", "P1 已回复"),
                                    (p2, "referral.answered", "P2 已答复"), (None, "decision_feedback.reported", "全公司 决策反馈")):
        await emit(platform, org, project, topic, {"summary": summary})
    await emit(platform, other_org, other_org.projects["P1"], "referral.sent", {"summary": "别家的转办"})
    await pump(platform, stub_worker, owner_engine, sent(owner_engine, org, 4))
    await settle(platform, stub_worker)
    heard = {path: sorted((json.loads(r["body"])["topic"], json.loads(r["body"])["body"]) for r in receiver.at(path))
             for path in ("/p1", "/all")}
    assert heard == {"/p1": [("gov_order.received", "P1 12345"), ("referral.sent", "P1 转办")],
                     "/all": [("decision_feedback.reported", "全公司 决策反馈"), ("referral.answered", "P2 已答复")]}
    assert len(receiver.requests) == 4, "another company's event reached none of our channels"
    by_project = (await gql(LOG, {"p": to_global_id("Project", p2)}, token=admin))["data"]["deliveryLog"]
    assert [(d["topic"], d["title"]) for d in by_project] == [("referral.answered", "外部单位已答复")]

