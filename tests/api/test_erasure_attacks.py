"""PIPL erasure and the personal-data export tried as an attacker would, through the real app as
the application role: the SECURITY DEFINER `erase_copies` called directly with another company's,
project's or resident's ids or a mask of its own; a name or contact that spells the JSON it is
erased from; reasons, receivers' answers and a full-length text naming them; three erasures at
once; and the export as a way round the hourly reveal limit."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.graphql.types.node import from_global_id
from tenants.context import TenantScope
from tests.api.archive_world import ADD_CHANNEL, CONTACT, ERASE, _case, _resident, two
from tests.conftest import add_user
from tests.integration.test_resident_erase import holding, someone

__all__ = ["two"]  # the fixture, shared


async def _copies(owner_engine, org_id, but: uuid.UUID | None = None) -> list:
    """Every text erase_copies may rewrite for one company (but the rows of entity `but`)."""
    async with owner_engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(text(
            "SELECT 'audit', id::text, coalesce(note, '') || CAST(data AS text) FROM audit_log WHERE org_id = :o "
            "AND entity_id IS DISTINCT FROM :but "
            "UNION ALL SELECT 'outbox', id::text, CAST(payload AS text) FROM outbox WHERE org_id = :o ORDER BY 1, 2"),
            {"o": org_id, "but": but})]


async def test_erase_copies_called_directly_rewrites_nothing_but_an_erased_residents_own(gql, platform, owner_engine, two):
    a, a2, b = two["a"], two["a2"], two["b"]
    # An erased resident of the first company, with no case: the only name the function accepts.
    gone = await _resident(gql, a["token"], a["p"], a["unit"], "赵六", "13500135000")
    assert (await gql(ERASE, {"r": gone}, token=a["token"]))["data"]["eraseResident"]["errors"] == []
    gone = from_global_id(gone, "Resident")
    not_erased = from_global_id(a["resident"], "Resident")
    before_b, before_a = await _copies(owner_engine, b["org"].org_id), await _copies(owner_engine, a["org"].org_id, gone)
    assert before_b and before_a  # there is something the pattern "." would rewrite
    call = text("SELECT erase_copies(:p, :r, CAST(:cases AS uuid[]), CAST(:alerts AS uuid[]), :pat, :mask)")
    everything = {"cases": [a["case"], b["case"], a2["case"]], "alerts": [], "pat": ".", "mask": "***"}
    everyone = TenantScope(org_id=a["org"].org_id, actor="user:x")
    for scope, project, resident in (
        (everyone, b["project"], from_global_id(b["resident"], "Resident")),  # another company's project and resident
        (everyone, b["project"], gone),
        (TenantScope(org_id=a["org"].org_id, projects=frozenset({a["project"]}), actor="user:x"), a2["project"], gone),
        (everyone, a["project"], not_erased),  # a resident not erased: their case's audit trail is append-only
        (everyone, a["project"], from_global_id(b["resident"], "Resident")),
        (None, a["project"], gone),  # no tenant at all
    ):
        with pytest.raises(DBAPIError, match="erase_copies: "):
            async with platform.transaction(scope) as conn:
                await conn.execute(call, {"p": project, "r": resident, **everything})
    # A mask of the caller's choosing would write its text into the audit trail: refused.
    with pytest.raises(DBAPIError, match="erase_copies: "):
        async with platform.transaction(everyone) as conn:
            await conn.execute(call, {"p": a["project"], "r": gone, **everything, "mask": "已核实无误"})
    # The erased resident named, other residents' and companies' cases listed: none of them rewritten.
    async with platform.transaction(everyone) as conn:
        await conn.execute(call, {"p": a["project"], "r": gone, **everything})
    assert await _copies(owner_engine, b["org"].org_id) == before_b
    assert await _copies(owner_engine, a["org"].org_id, gone) == before_a


async def _payloads(owner_engine, org_id, case_id) -> list:
    async with owner_engine.connect() as conn:
        return [r.payload for r in await conn.execute(text(
            "SELECT payload FROM outbox WHERE org_id = :o AND payload ->> 'case_id' = :c ORDER BY id"),
            {"o": org_id, "c": str(case_id)})]


@pytest.mark.parametrize(("name", "wechat"), [('": "', "wx_li_2024"), ("李秀英", "case_id")])
async def test_erasure_rewrites_values_never_the_json_around_them(gql, owner_engine, two, name, wechat):
    """A name or contact that spells JSON punctuation or one of the payloads' keys: erasing it must
    neither fail on the JSON it would break nor rename the keys the outbox is read by."""
    a = two["a"]
    resident = await _resident(gql, a["token"], a["p"], a["unit"], name, "13600136000")
    added = await gql(CONTACT, {"r": resident, "k": "WECHAT", "v": wechat}, token=a["token"])
    assert added["data"]["addResidentContact"]["errors"] == [], added
    case = from_global_id(await _case(gql, a["token"], a["p"], a["unit"], resident, f"{name} 来电，微信 {wechat}"), "Case")
    keys_before = [sorted(p) for p in await _payloads(owner_engine, a["org"].org_id, case)]
    assert keys_before
    done = await gql(ERASE, {"r": resident}, token=a["token"])
    assert done["data"]["eraseResident"]["errors"] == [], done
    assert [sorted(p) for p in await _payloads(owner_engine, a["org"].org_id, case)] == keys_before
    async with owner_engine.connect() as conn:
        description = (await conn.execute(text("SELECT description FROM cases WHERE id = :c"), {"c": case})).scalar_one()
    assert wechat not in description and name not in description


async def test_reasons_typed_about_the_resident_are_erased_with_them(gql, client, owner_engine, org, two):
    """A reason is free text: staff write the name or number into a reveal's, an export's or the
    erasure's own reason. Those audit rows are the resident's, not a case's; none may keep them."""
    a = two["a"]
    who = someone()
    resident = await _resident(gql, a["token"], a["p"], a["unit"], who["name"], who["typed"])
    reveal = ('mutation($r: ID!, $why: String!) { revealResidentData(residentId: $r, field: PHONE, reason: $why) '
              '{ value errors { code } } }')
    shown = await gql(reveal, {"r": resident, "why": f"回访{who['name']}，核对 {who['dashed']}"}, token=a["token"])
    assert shown["data"]["revealResidentData"]["errors"] == [], shown
    r = await client.get(f"/export/residents/{resident}/personal-data.xlsx", params={"reason": f"{who['name']}本人申请查阅"},
                         headers={"authorization": f"Bearer {a['token']}"})
    assert r.status_code == 200, r.text
    needles = [who["name"], who["phone"], who["dashed"]]
    assert {("audit_log", "data")} <= {(t, c) for t, c, _ in await holding(owner_engine, needles)}
    erase = 'mutation($r: ID!, $why: String!) { eraseResident(residentId: $r, reason: $why) { errors { code } } }'
    done = await gql(erase, {"r": resident, "why": f"{who['name']}本人来电（{who['phone']}）要求删除"}, token=a["token"])
    assert done["data"]["eraseResident"]["errors"] == [], done
    assert await holding(owner_engine, needles) == set()
    async with owner_engine.connect() as conn:
        reasons = (await conn.execute(text(
            "SELECT action, data ->> 'reason' FROM audit_log WHERE entity_id = :r AND data ? 'reason' ORDER BY id"),
            {"r": from_global_id(resident, "Resident")})).all()
    assert [tuple(x) for x in reasons] == [("personal_data.revealed", "回访***，核对 ***"),
                                           ("personal_data.exported", "***本人申请查阅"), ("resident.erased", "***本人来电（***）要求删除")]


async def test_three_erasures_of_one_resident_at_once_erase_once(gql, owner_engine, two):
    a = two["a"]
    bodies = await asyncio.gather(*(gql(ERASE, {"r": a["resident"]}, token=a["token"]) for _ in range(3)))
    assert all(b["data"]["eraseResident"]["errors"] == [] for b in bodies), bodies
    async with owner_engine.connect() as conn:
        rows = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE entity_id = :r AND action = 'resident.erased'"),
                                   {"r": from_global_id(a["resident"], "Resident")})).scalar()
    assert rows == 1


async def test_a_receivers_answer_quoting_them_is_erased_from_the_delivery_log(gql, owner_engine, two):
    """A webhook receiver that refuses an event often quotes it back; the sender keeps the first
    200 characters of the answer on the delivery and on each attempt."""
    a = two["a"]
    who = someone()
    resident = await _resident(gql, a["token"], a["p"], a["unit"], who["name"], who["phone"])
    case = from_global_id(await _case(gql, a["token"], a["p"], a["unit"], resident, f"{who['name']}反映漏水"), "Case")
    hook = {"kind": "WEBHOOK", "name": "业主App", "target": "https://hooks.example.com/in", "secret": "whsec-0123456789abcdef",
            "topics": ["case.declined"]}
    added = (await gql(ADD_CHANNEL, {"i": hook}, token=a["token"]))["data"]["addDeliveryChannel"]
    assert added["errors"] == [], added
    answer = f'HTTP 422: {{"error": "unknown resident {who["name"]} ({who["phone"]})"}}'
    async with owner_engine.begin() as conn:
        event = (await conn.execute(text("SELECT id FROM outbox WHERE org_id = :o AND payload ->> 'case_id' = :c LIMIT 1"),
                                    {"o": a["org"].org_id, "c": str(case)})).scalar_one()
        delivery = (await conn.execute(text(
            "INSERT INTO deliveries (org_id, channel_id, project_id, event_id, topic, title, body, data, attempts, last_error) "
            "VALUES (:o, :ch, :p, :e, 'case.registered', '新工单', '漏水', '{}', 1, :err) RETURNING id"),
            {"o": a["org"].org_id, "ch": from_global_id(added["channel"]["id"], "DeliveryChannel"), "p": a["project"],
             "e": event, "err": answer})).scalar_one()
        await conn.execute(text("INSERT INTO delivery_attempts (org_id, delivery_id, ok, status_code, error, duration_ms) "
                                "VALUES (:o, :d, false, 422, :err, 12)"), {"o": a["org"].org_id, "d": delivery, "err": answer})
    needles = [who["name"], who["phone"]]
    assert {("deliveries", "last_error"), ("delivery_attempts", "error")} <= {(t, c) for t, c, _ in
                                                                              await holding(owner_engine, needles)}
    done = await gql(ERASE, {"r": resident}, token=a["token"])
    assert done["data"]["eraseResident"]["errors"] == [], done
    assert await holding(owner_engine, needles) == set()


async def test_the_personal_data_export_is_no_way_round_the_hourly_reveal_limit(gql, client, owner_engine, org, two):
    """An agent may see 30 full numbers an hour; each copy of a resident's record opens all of
    theirs, so it counts as one of the 30, and past them it is refused like a reveal."""
    a = two["a"]
    actor = f"user:{await add_user(owner_engine, org, 'agent7', 'cs_agent', 'P1')}"
    agent = await gql.login(org, "agent7")
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO audit_log (org_id, project_id, actor, action, entity, entity_id, data) "
                                "SELECT :o, :p, :a, 'personal_data.revealed', 'resident', :r, '{\"field\": \"phone\"}' "
                                "FROM generate_series(1, 29)"),
                           {"o": org.org_id, "p": a["project"], "a": actor, "r": from_global_id(a["resident"], "Resident")})

    def export():
        return client.get(f"/export/residents/{a['resident']}/personal-data.xlsx", params={"reason": "本人申请查阅"},
                          headers={"authorization": f"Bearer {agent}"})

    assert (await export()).status_code == 200  # the 30th
    refused = await export()
    assert (refused.status_code, refused.json()["errors"][0]["extensions"]["code"]) == (429, "RATE_LIMITED")
    reveal = await gql('mutation($r: ID!) { revealResidentData(residentId: $r, field: PHONE, reason: "回访") '
                       '{ value errors { code } } }', {"r": a["resident"]}, token=agent)
    assert reveal["data"]["revealResidentData"] == {"value": None, "errors": [{"code": "RATE_LIMITED"}]}
    async with owner_engine.connect() as conn:
        exported = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE actor = :a AND action = 'personal_data.exported'"),
                                       {"a": actor})).scalar()
    assert exported == 1


async def test_a_two_character_name_in_a_text_at_its_length_limit_is_erased(gql, owner_engine, two):
    """*** is longer than 王芳: masking must not push a full description past its limit and so
    make the erasure fail, for good."""
    a = two["a"]
    resident = await _resident(gql, a["token"], a["p"], a["unit"], "王芳", "13500135001")
    full = "王芳" + "楼上噪音" * 1249 + "王王"  # 5,000 characters, the most a description holds
    assert len(full) == 5000
    case = from_global_id(await _case(gql, a["token"], a["p"], a["unit"], resident, full), "Case")
    done = await gql(ERASE, {"r": resident}, token=a["token"])
    assert done["data"]["eraseResident"]["errors"] == [], done
    async with owner_engine.connect() as conn:
        description = (await conn.execute(text("SELECT description FROM cases WHERE id = :c"), {"c": case})).scalar_one()
    assert "王芳" not in description and description.endswith("楼上噪音王王") and len(description) <= 5000
