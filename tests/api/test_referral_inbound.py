"""POST /inbound/bodies/{id}: an outside body signs its acknowledgement and answer with its own
secret. A good one moves the referral and resolves the case (the resident reads the outcome); a
forged or stale signature is refused with 401, a replayed delivery id answers the same and changes
nothing, bad input is coded, and a body reaches no referral but its own — never another company's."""

from __future__ import annotations

import time
import uuid

import orjson
from sqlalchemy import text

from api.graphql.types.node import parse_global_id, to_global_id
from domain.notifications.signing import webhook_signature
from tests.api.conftest import REGISTER, case_input
from tests.api.test_outside_bodies import ROTATE, add_body
from tests.api.test_referrals import PROGRESS, refer, referred
from tests.conftest import add_unit

# Reached by letter, answering signed (a rotated secret): nothing is sent out in these tests, so no
# delivery is left waiting for a receiver that is gone.
BODY = {"kind": "LAW_ENFORCEMENT", "name": "城管中队"}


async def with_secret(gql, token: str, body: dict) -> dict:
    out = (await gql(ROTATE, {"b": body["body"]["id"]}, token=token))["data"]["rotateOutsideBodySecret"]
    assert out["errors"] == [], out
    return {**body, "secret": out["secret"]}


async def signed_referral(gql, desk, **over) -> tuple[dict, dict, dict]:
    case, body, r = await referred(gql, desk, **{**BODY, **over})
    return case, await with_secret(gql, desk["sup"][1], body), r


async def post(client, path: str, secret: str, payload, *, delivery: str | None = None, ts: int | None = None,
               raw: bytes | None = None, signature: str | None = None):
    delivery = delivery or f"dlv-{uuid.uuid4().hex}"
    named = {"id": delivery, **payload} if isinstance(payload, dict) else payload  # the signed body names its delivery
    body = raw if raw is not None else orjson.dumps(named)
    ts = int(time.time()) if ts is None else ts
    headers = {"content-type": "application/json", "x-firstcall-delivery": delivery,
               "x-firstcall-timestamp": str(ts), "x-firstcall-signature": signature or webhook_signature(secret, ts, body)}
    return await client.post(path, content=body, headers=headers)


def raw_id(gid: str) -> str:
    return str(parse_global_id(gid)[1])


async def history(owner_engine, referral_gid: str) -> list[tuple[str, str]]:
    async with owner_engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(text(
            "SELECT kind, via FROM referral_updates WHERE referral_id = :r ORDER BY at, id"), {"r": raw_id(referral_gid)})]


async def state_of(owner_engine, referral_gid: str) -> tuple[str, str]:
    async with owner_engine.connect() as conn:
        return tuple((await conn.execute(text("SELECT r.status, c.state FROM referrals r JOIN cases c ON c.id = r.case_id "
                                              "WHERE r.id = :r"), {"r": raw_id(referral_gid)})).one())


async def test_a_signed_acknowledgement_and_answer_resolve_the_case(gql, desk, client, owner_engine):
    case, body, r = await signed_referral(gql, desk)
    path, secret = body["body"]["inboundPath"], body["secret"]
    ack = await post(client, path, secret, {"referral_id": raw_id(r["id"]), "type": "acknowledged", "note": "已派员核查"})
    assert ack.status_code == 200 and ack.json() == {"referral_id": raw_id(r["id"]), "status": "acknowledged", "duplicate": False}
    assert await state_of(owner_engine, r["id"]) == ("acknowledged", "referred")
    outcome = "违建阳光房已于12月3日依法拆除"
    done = await post(client, path, secret, {"referral_id": raw_id(r["id"]), "type": "answered", "outcome": outcome})
    assert done.status_code == 200 and done.json()["status"] == "answered"
    assert await state_of(owner_engine, r["id"]) == ("answered", "resolved")
    assert await history(owner_engine, r["id"]) == [("sent", "staff"), ("acknowledged", "inbound"), ("answered", "inbound")]
    steps = (await gql(PROGRESS, {"c": case["id"]}, token=desk["sup"][1]))["data"]["caseProgress"]["steps"]
    assert steps[-1]["message"] == f"相关部门已答复：{outcome}。请确认是否满意解决。"
    async with owner_engine.connect() as conn:
        topics = (await conn.execute(text("SELECT topic, payload->>'summary' FROM outbox WHERE topic LIKE 'referral.%' "
                                          "AND payload->>'referral_id' = :r ORDER BY created_at, id"), {"r": raw_id(r["id"])})).all()
    assert [t for t, _ in topics] == ["referral.sent", "referral.acknowledged", "referral.answered"] and all(s for _, s in topics)
    late = await post(client, path, secret, {"referral_id": raw_id(r["id"]), "type": "answered", "outcome": "再答一次"})
    assert late.status_code == 400 and late.json()["errors"][0]["extensions"]["code"] == "INVALID_STATE"


async def test_forged_and_stale_signatures_are_refused_and_change_nothing(gql, desk, client, owner_engine):
    _, body, r = await signed_referral(gql, desk)
    path, payload = body["body"]["inboundPath"], {"referral_id": raw_id(r["id"]), "type": "answered", "outcome": "伪造"}
    forged = await post(client, path, "not-the-secret-of-this-body", payload)
    assert forged.status_code == 401 and forged.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    stale = await post(client, path, body["secret"], payload, ts=int(time.time()) - 301)
    assert stale.status_code == 401
    ahead = await post(client, path, body["secret"], payload, ts=int(time.time()) + 400)
    assert ahead.status_code == 401
    unsigned = await client.post(path, content=orjson.dumps(payload), headers={"x-firstcall-delivery": "dlv-unsigned-1"})
    assert unsigned.status_code == 401
    assert await state_of(owner_engine, r["id"]) == ("sent", "referred")
    assert await history(owner_engine, r["id"]) == [("sent", "staff")]


async def test_a_replayed_delivery_answers_the_same_and_changes_nothing(gql, desk, client, owner_engine):
    _, body, r = await signed_referral(gql, desk)
    path, secret = body["body"]["inboundPath"], body["secret"]
    payload = {"referral_id": raw_id(r["id"]), "type": "acknowledged"}
    first = await post(client, path, secret, payload, delivery="dlv-replay-0001")
    again = await post(client, path, secret, payload, delivery="dlv-replay-0001")
    later = await post(client, path, secret, {**payload, "type": "answered", "outcome": "不同内容"}, delivery="dlv-replay-0001")
    assert first.json() == {"referral_id": raw_id(r["id"]), "status": "acknowledged", "duplicate": False}
    assert again.status_code == later.status_code == 200
    assert again.json() == later.json() == {"referral_id": raw_id(r["id"]), "status": "acknowledged", "duplicate": True}
    assert await history(owner_engine, r["id"]) == [("sent", "staff"), ("acknowledged", "inbound")]
    assert await state_of(owner_engine, r["id"]) == ("acknowledged", "referred")


async def test_unknown_bodies_and_bad_input_are_coded(gql, desk, client, owner_engine):
    _, body, r = await signed_referral(gql, desk)
    path, secret = body["body"]["inboundPath"], body["secret"]
    for unknown in (f"/inbound/bodies/{uuid.uuid4()}", "/inbound/bodies/not-a-uuid"):
        res = await post(client, unknown, secret, {"referral_id": raw_id(r["id"]), "type": "acknowledged"})
        assert res.status_code == 404 and res.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    bad_json = await post(client, path, secret, None, raw=b'{"referral_id": ')
    assert bad_json.status_code == 400 and bad_json.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    not_object = await post(client, path, secret, ["acknowledged"])
    assert not_object.status_code == 400 and not_object.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    for payload in ({"referral_id": "x", "type": "acknowledged"}, {"referral_id": raw_id(r["id"]), "type": "done"},
                    {"referral_id": raw_id(r["id"]), "type": "answered"},
                    {"referral_id": raw_id(r["id"]), "type": "answered", "outcome": 5}):
        res = await post(client, path, secret, payload)
        assert res.status_code == 400 and res.json()["errors"][0]["extensions"]["code"] == "VALIDATION", (payload, res.text)
    unknown_referral = await post(client, path, secret, {"referral_id": str(uuid.uuid4()), "type": "acknowledged"})
    assert unknown_referral.status_code == 404
    assert await history(owner_engine, r["id"]) == [("sent", "staff")]
    off = "mutation($b: ID!) { updateOutsideBody(bodyId: $b, changes: {active: false}) { errors { code } } }"
    await gql(off, {"b": body["body"]["id"]}, token=desk["sup"][1])
    # Switched off: no new referrals, but what it was sent it may still answer.
    switched_off = await post(client, path, secret, {"referral_id": raw_id(r["id"]), "type": "acknowledged"})
    assert switched_off.status_code == 200 and await state_of(owner_engine, r["id"]) == ("acknowledged", "referred")
    nul = await post(client, path, secret, {"referral_id": raw_id(r["id"]), "type": "answered", "outcome": "已\u0000处理"})
    assert nul.status_code == 400 and nul.json()["errors"][0]["extensions"]["code"] == "VALIDATION"
    renamed = await post(client, path, secret, None, raw=orjson.dumps({"id": "dlv-someone-else", "referral_id": raw_id(r["id"]),
                                                                       "type": "answered", "outcome": "已处理"}))
    assert renamed.status_code == 400 and "X-Firstcall-Delivery" in renamed.json()["errors"][0]["message"]
    assert await state_of(owner_engine, r["id"]) == ("acknowledged", "referred")


async def test_a_body_reaches_only_its_own_referrals_never_another_company(gql, desk, client, owner_engine, other_org):
    _, ours, r = await signed_referral(gql, desk)
    _, neighbour, _ = await signed_referral(gql, desk, name="另一个城管中队")
    # Company B: its own body and referral.
    admin_b = await gql.login(other_org)
    unit_b, _ = await add_unit(owner_engine, other_org, "P1")
    desk_b = {"project": to_global_id("Project", other_org.projects["P1"]), "unit": to_global_id("Unit", unit_b)}
    body_b = await with_secret(gql, admin_b, await add_body(gql, admin_b, desk_b["project"], **BODY))
    case_b = (await gql(REGISTER, {"i": case_input(desk_b)}, token=admin_b))["data"]["registerCase"]["case"]
    await gql("mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }", {"c": case_b["id"]}, token=admin_b)
    r_b = (await refer(gql, admin_b, case_b["id"], body_b["body"]["id"]))["referral"]

    # Company A's body, signed with its own secret, names B's referral: not found, nothing changes.
    res = await post(client, ours["body"]["inboundPath"], ours["secret"], {"referral_id": raw_id(r_b["id"]), "type": "answered",
                                                                          "outcome": "越界"})
    assert res.status_code == 404
    # B's path signed with A's secret: forged.
    res = await post(client, body_b["body"]["inboundPath"], ours["secret"], {"referral_id": raw_id(r_b["id"]), "type": "acknowledged"})
    assert res.status_code == 401
    # Another body of the same project cannot answer for ours.
    acknowledged = {"referral_id": raw_id(r["id"]), "type": "acknowledged"}
    res = await post(client, neighbour["body"]["inboundPath"], neighbour["secret"], acknowledged)
    assert res.status_code == 404
    assert await state_of(owner_engine, r_b["id"]) == ("sent", "referred")
    assert await state_of(owner_engine, r["id"]) == ("sent", "referred")
    assert await history(owner_engine, r_b["id"]) == [("sent", "staff")]
