"""转办 Referring a case to an outside body, through the API and the real delivery worker: a
webhook body gets the referral signed, an e-mail body gets a mail, a letter body's referral prints;
staff enter the body's acknowledgement and answer (the case is resolved, the resident reads the
outcome), or take the case back. Another company or project reaches none of it."""

from __future__ import annotations

import email
import email.policy
import json

from sqlalchemy import text

from api.graphql.types.node import parse_global_id, to_global_id
from domain.notifications.signing import verify_webhook
from tests.api.conftest import REGISTER, case_input
from tests.api.test_outside_bodies import add_body
from tests.conftest import add_user
from tests.workers.test_delivery import mailbox, pump, receiver  # noqa: F401 — fixtures
from workers import runtime

REFERRAL_FIELDS = ("referral { id caseId status statusLabel reason requestedAction dueAt overdue remindersSent escalatedLevel "
                   "outcome body { name } case { state } history { kind kindLabel via note actor } "
                   "deliveries { kind status topic title } } errors { code field message }")
REFER = ("mutation($c: ID!, $b: ID!, $r: String!, $a: String!, $k: String) { referCase(caseId: $c, bodyId: $b, reason: $r, "
         "requestedAction: $a, idempotencyKey: $k) { %s } }" % REFERRAL_FIELDS)
FEEDBACK = ("mutation($r: ID!, $f: ReferralFeedback!, $n: String) { recordReferralFeedback(referralId: $r, feedback: $f, note: $n) "
            "{ %s } }" % REFERRAL_FIELDS)
WITHDRAW = "mutation($r: ID!, $n: String!) { withdrawReferral(referralId: $r, reason: $n) { %s } }" % REFERRAL_FIELDS
PRINTED = "mutation($r: ID!) { markReferralLetterPrinted(referralId: $r) { %s } }" % REFERRAL_FIELDS
REFERRALS = "query($p: ID, $s: ReferralStatus) { referrals(projectId: $p, status: $s) { id status body { name } } }"
CASE_REFERRALS = "query($c: ID!) { caseReferrals(caseId: $c) { id status } }"
NODE = "query($id: ID!) { node(id: $id) { id ... on Referral { status reason } } }"
PROGRESS = "query($c: ID!) { caseProgress(caseId: $c) { stateLabel steps { stage title message } } }"
REASON, ACTION = "邻居违章搭建阳光房，物业无执法权", "请依法核查并责令拆除"


async def committed_case(gql, desk, **over) -> dict:
    agent = desk["agent"][1]
    registered = await gql(REGISTER, {"i": case_input(desk, description="隔壁在露台违章搭建阳光房", **over)}, token=agent)
    case = registered["data"]["registerCase"]["case"]
    out = await gql("mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }", {"c": case["id"]}, token=agent)
    assert out["data"]["commitCase"]["errors"] == [], out
    return case


async def refer(gql, token, case_id: str, body_id: str, key: str | None = None) -> dict:
    return (await gql(REFER, {"c": case_id, "b": body_id, "r": REASON, "a": ACTION, "k": key}, token=token))["data"]["referCase"]


async def referred(gql, desk, **body_over) -> tuple[dict, dict, dict]:
    """A committed case of P1 referred by the supervisor to a new body: (case, body payload, referral)."""
    sup = desk["sup"][1]
    body = await add_body(gql, sup, desk["project"], **body_over)
    case = await committed_case(gql, desk)
    out = await refer(gql, sup, case["id"], body["body"]["id"])
    assert out["errors"] == [], out
    return case, body, out["referral"]


async def test_a_webhook_body_gets_the_referral_signed_once(gql, desk, org, owner_engine, platform, stub_worker, receiver):  # noqa: F811
    sup = desk["sup"][1]
    body = await add_body(gql, sup, desk["project"], kind="LAW_ENFORCEMENT", name="城管中队", delivery="WEBHOOK",
                          webhookUrl=f"{receiver.url}/body", address=None)
    case = await committed_case(gql, desk)
    out = await refer(gql, sup, case["id"], body["body"]["id"], key="refer-1")
    assert out["errors"] == [], out
    r = out["referral"]
    assert (r["status"], r["statusLabel"], r["case"]["state"], r["body"]["name"]) == ("SENT", "已转办 Sent", "REFERRED", "城管中队")
    assert [(h["kind"], h["via"]) for h in r["history"]] == [("sent", "staff")] and r["overdue"] is False
    again = await refer(gql, sup, case["id"], body["body"]["id"], key="refer-1")
    assert again["referral"]["id"] == r["id"], "a retried refer with its key is the same referral"

    async def sent() -> bool:
        async with owner_engine.connect() as conn:
            status = await conn.execute(text("SELECT status FROM deliveries WHERE purpose = 'referral' AND org_id = :o"),
                                        {"o": org.org_id})
            return status.scalar_one() == "sent"

    await pump(platform, stub_worker, owner_engine, sent)
    (hit,) = receiver.at("/body")
    h = hit["headers"]
    assert verify_webhook(body["secret"], h["x-firstcall-timestamp"], hit["body"], h["x-firstcall-signature"])
    message = json.loads(hit["body"])
    assert message["topic"] == "referral.sent" and message["title"] == f"转办函 {case['number']} — 城管中队"
    async with owner_engine.connect() as conn:
        referral_uuid = (await conn.execute(text("SELECT id FROM referrals WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
        events = (await conn.execute(text("SELECT payload FROM outbox WHERE topic = 'referral.sent' AND org_id = :o"),
                                     {"o": org.org_id})).scalars().all()
        attempts = (await conn.execute(text("SELECT count(*) FROM delivery_attempts WHERE ok AND org_id = :o"),
                                       {"o": org.org_id})).scalar_one()
    assert message["data"]["referral_id"] == str(referral_uuid) and message["data"]["answer_to"].startswith("/inbound/bodies/")
    assert ACTION in message["body"] and "隔壁在露台违章搭建阳光房" in message["body"]
    assert len(events) == 1 and events[0]["body_name"] == "城管中队" and events[0]["summary"].startswith(f"工单 {case['number']} 已转办")
    assert attempts == 1
    listed = (await gql("query($r: ID!) { node(id: $r) { ... on Referral { deliveries { kind status } } } }", {"r": r["id"]}, token=sup))
    assert listed["data"]["node"]["deliveries"] == [{"kind": "webhook", "status": "sent"}]
    await close(gql, sup, r)


async def close(gql, token: str, r: dict) -> None:
    """Answered, so a later sweep in this session does not remind a receiver that is gone."""
    out = (await gql(FEEDBACK, {"r": r["id"], "f": "ANSWERED", "n": "已处理完毕"}, token=token))["data"]["recordReferralFeedback"]
    assert out["errors"] == [] and out["referral"]["status"] == "ANSWERED"


async def test_an_email_body_gets_a_mail(gql, desk, owner_engine, platform, settings, db_urls, stub_worker, mailbox):  # noqa: F811
    box, port = mailbox
    runtime.configure(settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}), db_urls)
    case, _, r = await referred(gql, desk, kind="UTILITY", name="燃气公司", delivery="EMAIL", email="gas@example.cn", address=None)

    async def sent() -> bool:
        return len(box.messages) == 1

    await pump(platform, stub_worker, owner_engine, sent)
    assert box.messages[0].rcpt_tos == ["gas@example.cn"]
    mail = email.message_from_bytes(box.messages[0].content, policy=email.policy.default)
    assert mail["Subject"] == f"转办函 {case['number']} — 燃气公司" and REASON in mail.get_content()
    assert r["deliveries"] == [{"kind": "email", "status": "pending", "topic": "referral.sent", "title": mail["Subject"]}]
    await close(gql, desk["sup"][1], r)


async def test_a_letter_prints_escaped_and_is_recorded_printed(gql, desk, client, org):
    case, _, r = await referred(gql, desk, name="长宁<b>街道办</b>")
    assert [(d["kind"], d["status"]) for d in r["deliveries"]] == [("letter", "pending")]
    page = await client.get(f"/print/referrals/{r['id']}", headers={"authorization": f"Bearer {desk['sup'][1]}"})
    assert page.status_code == 200 and page.headers["content-security-policy"].startswith("default-src 'none'")
    html = page.text
    assert "<h1>转办函</h1>" in html and case["number"] in html and REASON in html and ACTION in html
    assert "长宁&lt;b&gt;街道办&lt;/b&gt;" in html and "<b>街道办" not in html
    out = (await gql(PRINTED, {"r": r["id"]}, token=desk["sup"][1]))["data"]["markReferralLetterPrinted"]
    assert out["errors"] == [] and [(d["kind"], d["status"]) for d in out["referral"]["deliveries"]] == [("letter", "printed")]
    assert [h["kind"] for h in out["referral"]["history"]] == ["sent", "printed"]
    twice = (await gql(PRINTED, {"r": r["id"]}, token=desk["sup"][1]))["data"]["markReferralLetterPrinted"]
    assert [e["code"] for e in twice["errors"]] == ["INVALID_STATE"]
    bad = await client.get("/print/referrals/not-an-id", headers={"authorization": f"Bearer {desk['sup'][1]}"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["extensions"]["code"] == "VALIDATION"
    anonymous = await client.get(f"/print/referrals/{r['id']}")
    assert anonymous.status_code == 401


async def test_staff_enter_the_answer_and_the_resident_reads_the_outcome(gql, desk):
    sup = desk["sup"][1]
    case, _, r = await referred(gql, desk)
    ack = (await gql(FEEDBACK, {"r": r["id"], "f": "ACKNOWLEDGED", "n": "电话签收"}, token=sup))["data"]["recordReferralFeedback"]
    assert ack["errors"] == [] and ack["referral"]["status"] == "ACKNOWLEDGED" and ack["referral"]["case"]["state"] == "REFERRED"
    twice = (await gql(FEEDBACK, {"r": r["id"], "f": "ACKNOWLEDGED"}, token=sup))["data"]["recordReferralFeedback"]
    assert [e["code"] for e in twice["errors"]] == ["INVALID_STATE"]
    empty = (await gql(FEEDBACK, {"r": r["id"], "f": "ANSWERED", "n": " "}, token=sup))["data"]["recordReferralFeedback"]
    assert [(e["code"], e["field"]) for e in empty["errors"]] == [("VALIDATION", "outcome")]
    answer = "城管已于12月3日拆除违建阳光房"
    done = (await gql(FEEDBACK, {"r": r["id"], "f": "ANSWERED", "n": answer}, token=sup))["data"]["recordReferralFeedback"]
    assert done["errors"] == [] and (done["referral"]["status"], done["referral"]["outcome"]) == ("ANSWERED", answer)
    assert done["referral"]["case"]["state"] == "RESOLVED"
    assert [(h["kind"], h["via"]) for h in done["referral"]["history"]] == [("sent", "staff"), ("acknowledged", "staff"),
                                                                             ("answered", "staff")]
    steps = (await gql(PROGRESS, {"c": case["id"]}, token=sup))["data"]["caseProgress"]["steps"]
    assert steps[-1]["stage"] == "resolved" and steps[-1]["message"] == f"相关部门已答复：{answer}。请确认是否满意解决。"
    assert steps[-2] == {"stage": "referral_acknowledged", "title": "已签收 Acknowledged",
                         "message": "长宁街道办已签收转办事项，正在办理。"}
    assert any(s["stage"] == "referred" for s in steps)
    late = (await gql(WITHDRAW, {"r": r["id"], "n": "收回"}, token=sup))["data"]["withdrawReferral"]
    assert [e["code"] for e in late["errors"]] == ["INVALID_STATE"]


async def test_taking_the_case_back_commits_it_again_and_it_can_be_referred_anew(gql, desk, org, owner_engine):
    sup = desk["sup"][1]
    case, body, r = await referred(gql, desk)
    out = (await gql(WITHDRAW, {"r": r["id"], "n": "业主与邻居已协商解决"}, token=sup))["data"]["withdrawReferral"]
    assert out["errors"] == [] and out["referral"]["status"] == "WITHDRAWN" and out["referral"]["case"]["state"] == "COMMITTED"
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT next_check_at FROM referrals WHERE org_id = :o"), {"o": org.org_id})).one()
        paused = (await conn.execute(text("SELECT count(*) FROM case_targets WHERE paused_at IS NOT NULL AND org_id = :o"),
                                     {"o": org.org_id})).scalar_one()
    assert row.next_check_at is None and paused == 0, "reminders stop, the clocks run on"
    steps = (await gql(PROGRESS, {"c": case["id"]}, token=sup))["data"]["caseProgress"]["steps"]
    assert steps[-1]["stage"] == "referral_withdrawn"
    again = await refer(gql, sup, case["id"], body["body"]["id"])
    assert again["errors"] == [] and again["referral"]["id"] != r["id"]
    listed = (await gql(CASE_REFERRALS, {"c": case["id"]}, token=sup))["data"]["caseReferrals"]
    assert [x["status"] for x in listed] == ["SENT", "WITHDRAWN"]
    assert [x["status"] for x in (await gql(REFERRALS, {"p": desk["project"], "s": "SENT"}, token=sup))["data"]["referrals"]] == ["SENT"]


async def test_refusals_are_coded(gql, desk, org, owner_engine):
    sup = desk["sup"][1]
    body = (await add_body(gql, sup, desk["project"]))["body"]
    fresh = (await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1]))["data"]["registerCase"]["case"]
    uncommitted = await refer(gql, sup, fresh["id"], body["id"])
    assert [e["code"] for e in uncommitted["errors"]] == ["INVALID_STATE"], "committed first: the resident knows when to hear back"
    case = await committed_case(gql, desk)
    for r, a, field in (("", ACTION, "reason"), (REASON, "", "requestedAction"), (REASON, "x" * 2001, "requestedAction")):
        out = (await gql(REFER, {"c": case["id"], "b": body["id"], "r": r, "a": a}, token=sup))["data"]["referCase"]
        assert [(e["code"], e["field"]) for e in out["errors"]] == [("VALIDATION", field)]
    wrong = (await gql(REFER, {"c": case["id"], "b": case["id"], "r": REASON, "a": ACTION}, token=sup))["data"]["referCase"]
    assert [(e["code"], e["field"]) for e in wrong["errors"]] == [("VALIDATION", "bodyId")]
    p2_body = (await add_body(gql, await gql.login(org), to_global_id("Project", org.projects["P2"])))["body"]
    elsewhere = await refer(gql, await gql.login(org), case["id"], p2_body["id"])
    assert [(e["code"], e["field"]) for e in elsewhere["errors"]] == [("VALIDATION", "bodyId")]
    await gql("mutation($b: ID!) { updateOutsideBody(bodyId: $b, changes: {active: false}) { errors { code } } }",
              {"b": body["id"]}, token=sup)
    off = await refer(gql, sup, case["id"], body["id"])
    assert [e["code"] for e in off["errors"]] == ["INVALID_STATE"]
    refused = await gql(REFER, {"c": case["id"], "b": body["id"], "r": REASON, "a": ACTION}, token=desk["agent"][1])
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM referrals WHERE org_id = :o"), {"o": org.org_id})).scalar_one() == 0
        state = await conn.execute(text("SELECT state FROM cases WHERE number = :n AND org_id = :o"),
                                   {"n": case["number"], "o": org.org_id})
        assert state.scalar_one() == "committed"


async def test_another_company_or_project_reaches_no_referral(gql, desk, org, other_org, owner_engine):
    sup = desk["sup"][1]
    case, body, r = await referred(gql, desk)
    await add_user(owner_engine, org, "sup2", "cs_supervisor", "P2")
    outsider, sup2 = await gql.login(other_org), await gql.login(org, "sup2")
    for token in (outsider, sup2):
        assert (await gql(REFERRALS, {}, token=token))["data"]["referrals"] == []
        assert (await gql(REFERRALS, {"p": desk["project"]}, token=token))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert (await gql(CASE_REFERRALS, {"c": case["id"]}, token=token))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert (await gql(NODE, {"id": r["id"]}, token=token))["data"]["node"] is None
        for m, v in ((FEEDBACK, {"r": r["id"], "f": "ANSWERED", "n": "伪造的答复"}), (WITHDRAW, {"r": r["id"], "n": "收回"}),
                     (PRINTED, {"r": r["id"]})):
            out = next(iter((await gql(m, v, token=token))["data"].values()))
            assert [e["code"] for e in out["errors"]] == ["NOT_FOUND"] and out["referral"] is None
        page = await gql.client.get(f"/print/referrals/{r['id']}", headers={"authorization": f"Bearer {token}"})
        assert page.status_code == 404
    # Their own body cannot take our case, nor ours theirs.
    theirs = (await add_body(gql, outsider, to_global_id("Project", other_org.projects["P1"])))["body"]
    case2 = await committed_case(gql, desk)
    assert [e["code"] for e in (await refer(gql, outsider, case2["id"], theirs["id"]))["errors"]] == ["NOT_FOUND"]
    assert [e["code"] for e in (await refer(gql, sup, case2["id"], theirs["id"]))["errors"]] == ["NOT_FOUND"]
    assert [e["code"] for e in (await refer(gql, sup2, case2["id"], body["body"]["id"]))["errors"]] == ["NOT_FOUND"]
    mine = (await gql(NODE, {"id": r["id"]}, token=sup))["data"]["node"]
    assert mine == {"id": r["id"], "status": "SENT", "reason": REASON}
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM referrals WHERE org_id = :o"), {"o": org.org_id})).scalar_one() == 1


async def test_a_referred_case_is_not_overdue_and_taking_it_back_moves_the_promise_on(gql, desk, org, owner_engine):
    """The promise waits while the body has the case: it never shows overdue while referred, and
    taking it back adds the time the body had it to the promise."""
    sup = desk["sup"][1]
    case, _, r = await referred(gql, desk)
    async with owner_engine.begin() as conn:  # the body had it 30 hours, past the original promise
        await conn.execute(text("UPDATE cases SET commitment_due = now() - interval '6 hours' WHERE org_id = :o"), {"o": org.org_id})
        await conn.execute(text("UPDATE referrals SET created_at = now() - interval '30 hours' WHERE org_id = :o"), {"o": org.org_id})
    query = "query($c: ID!) { node(id: $c) { ... on Case { state overdue commitmentDue } } }"
    listed = "{ cases(first: 20, filter: {overdue: true}) { edges { node { id } } } }"
    assert (await gql(query, {"c": case["id"]}, token=sup))["data"]["node"]["overdue"] is False
    assert (await gql(listed, token=sup))["data"]["cases"]["edges"] == []
    out = (await gql(WITHDRAW, {"r": r["id"], "n": "我们自行协调"}, token=sup))["data"]["withdrawReferral"]
    assert out["errors"] == []
    back = (await gql(query, {"c": case["id"]}, token=sup))["data"]["node"]
    assert back["state"] == "COMMITTED" and back["overdue"] is False, "6 hours late + 30 hours of referral = 24 hours ahead"


async def test_a_queued_referral_is_signed_with_the_secret_in_force_and_a_withdrawn_one_is_not_sent(
        gql, desk, org, owner_engine, platform, stub_worker, receiver):  # noqa: F811
    """Rotated before the worker got to it: the body gets it signed with the new secret, the old
    one no longer verifies. Withdrawn before the worker got to it: nothing goes out."""
    from tests.api.test_outside_bodies import ROTATE

    sup = desk["sup"][1]
    body = await add_body(gql, sup, desk["project"], kind="POLICE_STATION", name="派出所", delivery="WEBHOOK",
                          webhookUrl=f"{receiver.url}/police", address=None)
    first = await refer(gql, sup, (await committed_case(gql, desk))["id"], body["body"]["id"])
    rotated = (await gql(ROTATE, {"b": body["body"]["id"]}, token=sup))["data"]["rotateOutsideBodySecret"]
    second = await refer(gql, sup, (await committed_case(gql, desk))["id"], body["body"]["id"])
    out = (await gql(WITHDRAW, {"r": second["referral"]["id"], "n": "业主已撤诉"}, token=sup))["data"]["withdrawReferral"]
    assert out["errors"] == [] and rotated["errors"] == []

    async def done() -> bool:
        async with owner_engine.connect() as conn:
            return (await conn.execute(text(
                "SELECT count(*) FROM outbox o WHERE o.org_id = :o AND o.topic = 'delivery.created' AND NOT EXISTS "
                "(SELECT 1 FROM processed_events p WHERE p.event_id = o.id AND p.consumer = 'send')"), {"o": org.org_id})).scalar() == 0

    await pump(platform, stub_worker, owner_engine, done)
    (hit,) = receiver.at("/police")
    h = hit["headers"]
    assert json.loads(hit["body"])["data"]["referral_id"] == str(parse_global_id(first["referral"]["id"])[1]), "only the first went out"
    assert verify_webhook(rotated["secret"], h["x-firstcall-timestamp"], hit["body"], h["x-firstcall-signature"])
    assert not verify_webhook(body["secret"], h["x-firstcall-timestamp"], hit["body"], h["x-firstcall-signature"])
    await close(gql, sup, first["referral"])
