"""调查邀请 through the real path (docs/resident-services.md §7.2): opening a campaign records
`survey.invited` batches of its sampled flats with their occupants' ids; the relay publishes them,
the deliveries consumer plans one delivery per subscribed webhook, the sender posts them signed.
Only a webhook may subscribe; another company's bridge hears nothing of ours; without a bridge no
event is written at all; a campaign opened at its time by the schedule sweep invites as well."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import text

from domain.surveys import invitations, schedule, service
from domain.surveys.commands import CreateCampaign
from domain.surveys.model import CampaignSpec
from tenants.context import TenantScope
from tests.api.test_org_overview import settle
from tests.integration.survey_setup import opened, populate, questionnaire, sample_of, uow_of
from tests.workers.test_delivery import ADD, SECRET, Receiver


async def invited_events(owner_engine, org) -> int:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM outbox WHERE org_id = :o AND topic = 'survey.invited'"),
                                   {"o": org.org_id})).scalar_one()


async def test_opening_a_campaign_invites_its_sample_through_the_bridge(gql, platform, owner_engine, org, other_org,
                                                                        stub_worker, monkeypatch):
    async with owner_engine.begin() as conn:
        # Earlier tests' unrelayed events (sends to hosts that do not resolve) would hold up settle.
        await conn.execute(text("UPDATE outbox SET published_at = now() WHERE published_at IS NULL"))
    flats = await populate(owner_engine, org, "P1", {"1号楼": 3, "2号楼": 2}, empty=1)
    await populate(owner_engine, other_org, "P1", {"1号楼": 2})
    qn = await questionnaire(platform, org)

    # No bridge yet: opening writes no invitation.
    await opened(platform, org, qn, mode="count", value=1, cooldown=0)
    assert await invited_events(owner_engine, org) == 0

    receiver = Receiver(fail_first=0)
    token, stranger = await gql.login(org), await gql.login(other_org)
    robot = {"kind": "WECOM", "name": "群机器人", "target": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
             "topics": ["survey.invited"]}
    refused = (await gql(ADD, {"i": robot}, token=token))["data"]["addDeliveryChannel"]["errors"]
    assert refused == [{"code": "VALIDATION", "field": "topics"}]
    for who, path in ((token, "/ours"), (stranger, "/theirs")):
        hook = {"kind": "WEBHOOK", "name": "短信桥", "target": f"{receiver.url}{path}", "secret": SECRET,
                "topics": ["survey.invited"]}
        assert (await gql(ADD, {"i": hook}, token=who))["data"]["addDeliveryChannel"]["errors"] == []

    monkeypatch.setattr(invitations, "BATCH", 2)
    campaign = await opened(platform, org, await questionnaire(platform, org, "第二季度调查"), mode="all", cooldown=0)
    sample = await sample_of(owner_engine, campaign)
    assert len(sample) == 5 and await invited_events(owner_engine, org) == 3  # 5 flats, 2 a batch
    await settle(platform, stub_worker)

    got = [orjson.loads(r["body"]) for r in receiver.at("/ours")]
    assert {g["topic"] for g in got} == {"survey.invited"}
    assert all(r["headers"]["x-firstcall-signature"].startswith("v1=") for r in receiver.at("/ours"))
    batches = sorted((g["data"]["batch"], g["data"]["batches"]) for g in got)
    assert batches == [(1, 3), (2, 3), (3, 3)]
    units = [u for g in got for u in g["data"]["units"]]
    assert {u["unit_id"] for u in units} == {str(u) for u in sample}
    assert all(len(u["resident_ids"]) == 1 for u in units)
    assert all(g["data"]["campaign_id"] == str(campaign) and g["title"].startswith("【满意度调查】调查-") for g in got)
    # Ids, never a name: the residents' names are nowhere in what the bridge received.
    assert not any("住户" in r["body"].decode() for r in receiver.at("/ours"))
    assert receiver.at("/theirs") == []
    assert set(flats["1号楼"]) | set(flats["2号楼"]) == sample


async def test_a_campaign_opened_by_the_schedule_invites_too(gql, platform, owner_engine, org):
    await populate(owner_engine, org, "P1", {"1号楼": 3})
    hook = {"kind": "WEBHOOK", "name": "短信桥", "target": "https://bridge.example.com/h", "secret": SECRET,
            "topics": ["survey.invited"]}
    assert (await gql(ADD, {"i": hook}, token=await gql.login(org)))["data"]["addDeliveryChannel"]["errors"] == []
    now = datetime.now(UTC)
    spec = CampaignSpec("定时调查", now - timedelta(minutes=1), now + timedelta(days=7), "all", seed="t")
    campaign = await service.create_campaign(CreateCampaign(org.projects["P1"], await questionnaire(platform, org), spec),
                                             uow_of(platform, org))
    assert await invited_events(owner_engine, org) == 0  # a draft invites nobody
    async with platform.transaction(TenantScope(org_id=org.org_id, projects=None, actor=schedule.ACTOR)) as conn:
        assert await schedule.open_and_close(conn, org.org_id, now) == 1
    async with owner_engine.connect() as conn:
        [payload] = (await conn.execute(text("SELECT payload FROM outbox WHERE org_id = :o AND topic = 'survey.invited'"),
                                        {"o": org.org_id})).scalars().all()
    assert payload["campaign_id"] == str(campaign) and len(payload["units"]) == 3 and payload["batches"] == 1
