"""话务记录 against the real app and database (docs/centre-day.md §8): a telephony integration's
signed calls, recorded once (a duplicate delivery or the same call id again changes nothing, the
same id with other facts is a 409), the caller's number kept only hashed and masked, calls linked
to cases of their own project only, the answer-rate figures, and the walls between projects and
companies for every query, mutation and the endpoint."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api.test_fee_api import data
from tests.api.test_payment_inbound import error, post
from tests.conftest import add_user
from tests.integration.fees_setup import add_flats

ADD = """mutation($p: ID!, $r: Int! = 5, $k: String) { addTelephonyIntegration(projectId: $p, name: "呼叫中心", ringSeconds: $r,
  idempotencyKey: $k) { integration { id name active ringSeconds inboundPath lastUsedAt } secret errors { code field message } } }"""
ACTIVE = """mutation($i: ID!, $a: Boolean!) { setTelephonyIntegrationActive(integrationId: $i, active: $a) {
  integration { active } errors { code message } } }"""
ROTATE = "mutation($i: ID!) { rotateTelephonyIntegrationSecret(integrationId: $i) { integration { id } secret errors { code } } }"
LINK = """mutation($c: ID!, $k: ID!) { linkCallToCase(callId: $c, caseId: $k) { call { id caseId } errors { code field } } }"""
LIST = "query($p: ID!) { telephonyIntegrations(projectId: $p) { id active lastUsedAt } }"
CALLS = """query($p: ID!, $f: Date!, $t: Date) { callRecords(projectId: $p, from: $f, to: $t) { id externalId direction
  callerPhoneMasked answeredAt abandoned agentId caseId } }"""
FIGURES = """query($p: ID!, $f: Date!, $t: Date) { callFigures(projectId: $p, from: $f, to: $t) {
  total { offered answered answeredWithinThreeRings abandoned answerRate threeRingRate abandonRate averageWaitSeconds }
  days { day offered answered answeredWithinThreeRings abandoned averageWaitSeconds } } }"""
NODE = "query($id: ID!) { node(id: $id) { id ... on CallRecord { callerPhoneMasked } } }"
DAY = "2026-12-01"


@pytest.fixture
async def desk(gql, owner_engine, org, other_org):
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    agent = await add_user(owner_engine, org, "agent1", "cs_agent", "P1")
    cases = {name: await add_case(owner_engine, o, project)
             for name, o, project in (("p1", org, "P1"), ("p2", org, "P2"), ("far", other_org, "P1"))}
    return {"pm": await gql.login(org, "pm1"), "pm2": await gql.login(org, "pm2"), "agent": await gql.login(org, "agent1"),
            "stranger": await gql.login(other_org), "p1": to_global_id("Project", org.projects["P1"]),
            "agent_id": to_global_id("User", agent), "cases": {k: str(to_global_id("Case", v)) for k, v in cases.items()}}


async def add_case(owner_engine, o, project: str) -> uuid.UUID:
    [unit] = await add_flats(owner_engine, o, project, [80.0])
    case_id = uuid.uuid4()
    async with owner_engine.begin() as conn:
        await conn.execute(text(
            "INSERT INTO cases (org_id, project_id, id, number, kind, severity, channel, category_id, unit_id, first_receiver_id, "
            "description, state, received_at) SELECT :o, :p, :c, :n, 'repair', 'general', 'phone', "
            "(SELECT id FROM case_categories WHERE org_id = :o LIMIT 1), :u, :admin, '厨房漏水', 'received', now()"),
            {"o": o.org_id, "p": o.projects[project], "c": case_id, "n": f"GD-{uuid.uuid4().hex[:12]}", "u": unit,
             "admin": o.admin_id})
    return case_id


async def integration_of(gql, desk, ring: int = 5) -> dict:
    body = data(await gql(ADD, {"p": desk["p1"], "r": ring}, token=desk["pm"]), "addTelephonyIntegration")
    assert body["errors"] == [] and body["secret"].startswith("fcs_"), body
    return {**body["integration"], "secret": body["secret"]}


def call(call_id: str = "CTI-0001", *, day: str = DAY, queued: str = "10:00:00", answered: str | None = "10:00:10",
         ended: str = "10:05:00", direction: str = "in", **more) -> dict:
    at = f"{day}T{{}}+08:00".format
    return {"call_id": call_id, "direction": direction, "caller_phone": "138-0013-8000", "queued_at": at(queued),
            "answered_at": at(answered) if answered else None, "ended_at": at(ended), **more}


async def snapshot(owner_engine, *orgs) -> list:
    async with owner_engine.connect() as conn:
        return [(await conn.execute(text(
            "SELECT (SELECT string_agg(id || ':' || coalesce(case_id::text, '-') || ':' || coalesce(answered_at::text, '-'), ',' "
            "ORDER BY id) FROM call_records WHERE org_id = :o), (SELECT count(*) FROM audit_log WHERE org_id = :o), "
            "(SELECT string_agg(active || ':' || encode(secret_enc, 'hex'), ',' ORDER BY id) FROM telephony_integrations "
            " WHERE org_id = :o)"), {"o": o.org_id})).one() for o in orgs]


async def test_a_call_is_recorded_once_and_its_number_is_not_kept(gql, client, desk, owner_engine, org):
    integration = await integration_of(gql, desk)
    r = await post(client, integration, call(agent_username="agent1", case_id=desk["cases"]["p1"]), delivery="dlv-call-000001")
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["duplicate"] is False
    [listed] = data(await gql(CALLS, {"p": desk["p1"], "f": DAY}, token=desk["agent"]), "callRecords")
    assert listed == {"id": answer["call_record_id"], "externalId": "CTI-0001", "direction": "IN", "callerPhoneMasked": "138****8000",
                      "answeredAt": "2026-12-01T02:00:10.000000+00:00", "abandoned": False, "agentId": desk["agent_id"],
                      "caseId": desk["cases"]["p1"]}
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT row_to_json(c)::text FROM call_records c WHERE org_id = :o"), {"o": org.org_id})).scalar()
    assert "13800138000" not in row and "0013" not in row  # hashed and masked, never the number
    assert data(await gql(LIST, {"p": desk["p1"]}, token=desk["pm"]), "telephonyIntegrations")[0]["lastUsedAt"] is not None

    before = await snapshot(owner_engine, org)
    again = await post(client, integration, call(agent_username="agent1", case_id=desk["cases"]["p1"]), delivery="dlv-call-000001")
    assert again.status_code == 200 and again.json() == {**answer, "duplicate": True}
    # The same call under a new delivery id (the case linked already need not be repeated): the row on file.
    other = await post(client, integration, call(agent_username="agent1"))
    assert other.status_code == 200 and other.json() == {**answer, "duplicate": True}
    for changed in (call(answered="10:00:11", agent_username="agent1"), call(agent_username="agent1", caller_phone="13900000000"),
                    call(agent_username="agent1", direction="out"), call()):  # no agent now
        refused = await post(client, integration, changed)
        assert error(refused) == (409, "CONFLICT", "CALL_MISMATCH"), refused.text
    forged = await post(client, integration, call("CTI-0002"), secret="fcs_not-the-secret")
    assert error(forged)[:2] == (401, "UNAUTHENTICATED")
    for bad, field in ((call("CTI-0003", direction="sideways"), "direction"), (call("CTI-0003", answered="09:59:00"), "answered_at"),
                       ({**call("CTI-0003"), "queued_at": "2026-12-01T10:00:00"}, "queued_at"),
                       (call("CTI-0003", caller_phone="call me"), "caller_phone")):
        assert error(await post(client, integration, bad))[:2] == (400, "VALIDATION"), field
    assert error(await post(client, integration, call("CTI-0003", agent_username="nobody")))[:2] == (404, "NOT_FOUND")
    assert await snapshot(owner_engine, org) == before

    data(await gql(ACTIVE, {"i": integration["id"], "a": False}, token=desk["pm"]), "setTelephonyIntegrationActive")
    assert error(await post(client, integration, call("CTI-0004")))[:2] == (403, "FORBIDDEN")
    data(await gql(ACTIVE, {"i": integration["id"], "a": True}, token=desk["pm"]), "setTelephonyIntegrationActive")
    rotated = data(await gql(ROTATE, {"i": integration["id"]}, token=desk["pm"]), "rotateTelephonyIntegrationSecret")["secret"]
    assert error(await post(client, integration, call("CTI-0004")))[:2] == (401, "UNAUTHENTICATED")
    assert (await post(client, integration, call("CTI-0004"), secret=rotated)).status_code == 200


async def test_the_figures(gql, client, desk):
    five, three = await integration_of(gql, desk), await integration_of(gql, desk, ring=3)
    for integration, sent in (
            (five, call("a", answered="10:00:10")),  # within three rings of 5 s
            (five, call("b", answered="10:00:15")),  # exactly three rings
            (five, call("c", answered="10:00:20")),  # four rings
            (five, call("d", answered=None)),  # abandoned
            (five, call("e", direction="out", answered="10:00:30")),  # outbound: not offered
            (three, call("f", answered="10:00:10")),  # more than three rings of 3 s
            (five, call("g", day="2026-12-02", answered="10:00:03")),
            (five, call("h", day="2026-12-03", answered=None))):  # outside the span asked for
        assert (await post(client, integration, sent)).status_code == 200
    report = data(await gql(FIGURES, {"p": desk["p1"], "f": DAY, "t": "2026-12-02"}, token=desk["agent"]), "callFigures")
    assert report["days"] == [
        {"day": DAY, "offered": 5, "answered": 4, "answeredWithinThreeRings": 2, "abandoned": 1, "averageWaitSeconds": 13.8},
        {"day": "2026-12-02", "offered": 1, "answered": 1, "answeredWithinThreeRings": 1, "abandoned": 0, "averageWaitSeconds": 3.0}]
    assert report["total"] == {"offered": 6, "answered": 5, "answeredWithinThreeRings": 3, "abandoned": 1, "answerRate": 0.8333,
                               "threeRingRate": 0.6, "abandonRate": 0.1667, "averageWaitSeconds": 11.6}
    empty = data(await gql(FIGURES, {"p": desk["p1"], "f": "2026-11-01"}, token=desk["agent"]), "callFigures")
    assert empty["days"] == [] and empty["total"]["answerRate"] is None and empty["total"]["offered"] == 0
    assert len(data(await gql(CALLS, {"p": desk["p1"], "f": DAY, "t": "2026-12-03"}, token=desk["agent"]), "callRecords")) == 8
    too_long = await gql(FIGURES, {"p": desk["p1"], "f": "2026-01-01", "t": "2026-12-01"}, token=desk["agent"])
    assert too_long["errors"][0]["extensions"]["code"] == "VALIDATION"


async def test_a_call_is_linked_to_a_case_of_its_own_project(gql, client, desk, owner_engine, org, other_org):
    integration = await integration_of(gql, desk)
    call_id = (await post(client, integration, call())).json()["call_record_id"]
    linked = data(await gql(LINK, {"c": call_id, "k": desk["cases"]["p1"]}, token=desk["agent"]), "linkCallToCase")
    assert linked == {"call": {"id": call_id, "caseId": desk["cases"]["p1"]}, "errors": []}
    # The telephony system telling the call again without the case is no mismatch.
    assert (await post(client, integration, call())).json()["duplicate"] is True
    before = await snapshot(owner_engine, org, other_org)
    for case in ("p2", "far"):  # another project's case, another company's
        refused = data(await gql(LINK, {"c": call_id, "k": desk["cases"][case]}, token=desk["agent"]), "linkCallToCase")
        assert refused["errors"] == [{"code": "NOT_FOUND", "field": "caseId"}], case
    for caller in ("pm2", "stranger"):  # a call of a project or company out of reach
        refused = data(await gql(LINK, {"c": call_id, "k": desk["cases"]["p1"]}, token=desk[caller]), "linkCallToCase")
        assert refused["errors"][0]["code"] == "NOT_FOUND", caller
    # The endpoint reaches no other project's or company's case either.
    for case in ("p2", "far"):
        r = await post(client, integration, call(f"CTI-{case}", case_id=desk["cases"][case]))
        assert error(r)[:2] == (404, "NOT_FOUND"), r.text
    assert await snapshot(owner_engine, org, other_org) == before


async def test_integrations_and_calls_stay_within_their_project_and_company(gql, client, desk, owner_engine, org, other_org):
    integration = await integration_of(gql, desk)
    call_id = (await post(client, integration, call())).json()["call_record_id"]
    replay = data(await gql(ADD, {"p": desk["p1"], "k": "t1"}, token=desk["pm"]), "addTelephonyIntegration")
    assert replay["secret"] is not None
    replay = data(await gql(ADD, {"p": desk["p1"], "k": "t1"}, token=desk["pm"]), "addTelephonyIntegration")
    assert replay["secret"] is None and replay["integration"]["name"] == "呼叫中心"  # the secret is shown once
    before = await snapshot(owner_engine, org, other_org)
    for caller in ("pm2", "stranger"):
        assert data(await gql(ADD, {"p": desk["p1"]}, token=desk[caller]), "addTelephonyIntegration")["errors"][0]["code"] == "NOT_FOUND"
        assert data(await gql(ACTIVE, {"i": integration["id"], "a": False}, token=desk[caller]),
                    "setTelephonyIntegrationActive")["errors"][0]["code"] == "NOT_FOUND"
        assert data(await gql(ROTATE, {"i": integration["id"]}, token=desk[caller]),
                    "rotateTelephonyIntegrationSecret")["errors"][0]["code"] == "NOT_FOUND"
        for doc in (LIST, CALLS, FIGURES):
            answer = await gql(doc, {"p": desk["p1"], "f": DAY} if doc != LIST else {"p": desk["p1"]}, token=desk[caller])
            assert answer["errors"][0]["extensions"]["code"] == "NOT_FOUND", (caller, answer)
        assert data(await gql(NODE, {"id": call_id}, token=desk[caller]), "node") is None
    for doc, variables in ((ADD, {"p": desk["p1"]}), (ACTIVE, {"i": integration["id"], "a": False}),
                           (ROTATE, {"i": integration["id"]}), (LIST, {"p": desk["p1"]})):  # the desk does not manage them
        assert (await gql(doc, variables, token=desk["agent"]))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Another project's integration posting with this one's secret, or to an id of no integration.
    [p2] = [i for i in [data(await gql(ADD, {"p": str(to_global_id("Project", org.projects["P2"]))}, token=desk["pm2"]),
                             "addTelephonyIntegration")["integration"]]]
    assert error(await post(client, {**integration, "inboundPath": p2["inboundPath"]}, call("CTI-x")))[:2] == (401, "UNAUTHENTICATED")
    assert error(await post(client, {**integration, "inboundPath": f"/inbound/calls/{uuid.uuid4()}"}, call("CTI-y")))[:2] == \
        (404, "NOT_FOUND")
    assert data(await gql(NODE, {"id": call_id}, token=desk["pm"]), "node") == {"id": call_id, "callerPhoneMasked": "138****8000"}
    assert data(await gql(CALLS, {"p": str(to_global_id("Project", org.projects["P2"])), "f": DAY}, token=desk["pm2"]),
                "callRecords") == []
    after = await snapshot(owner_engine, org, other_org)
    assert after[1] == before[1] and after[0][0] == before[0][0]  # the P2 integration added is the only change


async def test_one_call_sent_three_times_at_once_is_one_record(gql, client, desk, owner_engine, org):
    import asyncio

    integration = await integration_of(gql, desk)
    answers = await asyncio.gather(*(post(client, integration, call("CTI-race")) for _ in range(3)))
    assert [r.status_code for r in answers] == [200, 200, 200], [r.text for r in answers]
    assert sorted(r.json()["duplicate"] for r in answers) == [False, True, True]
    assert len({r.json()["call_record_id"] for r in answers}) == 1
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM call_records WHERE org_id = :o"), {"o": org.org_id})).scalar() == 1
