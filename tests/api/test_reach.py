"""One rule for what lies outside the caller's reach: every query and mutation that takes a
project (or a case, or a channel) answers NOT_FOUND alike for one of another company and for an
existing one of the caller's own company that it holds no grant on — never FORBIDDEN, an empty
list or the company's defaults, which would tell that it exists. Run as the application role
through the real app."""

from __future__ import annotations

from uuid import uuid4

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.conftest import add_user

ERRORS = "{ errors { code field message } }"
# (name, document, who asks: "pm" — a project manager of P1 only — or "admin", for fields only
# company-wide roles have: those compare another company's project with a made-up id).
PROJECT_FIELDS = [
    ("dutyRoster", 'query($p: ID!) { dutyRoster(projectId: $p, from: "2026-12-01T00:00:00Z", to: "2026-12-02T00:00:00Z") { id } }', "pm"),
    ("overdueCases", "query($p: ID!) { overdueCases(projectId: $p) { __typename } }", "pm"),
    ("slaPolicies", "query($p: ID!) { slaPolicies(projectId: $p) { __typename } }", "pm"),
    ("deliveryLog", "query($p: ID!) { deliveryLog(projectId: $p) { id } }", "admin"),
    ("kpiBreakdown", "query($p: ID!) { kpiBreakdown(by: KIND, projectId: $p) { __typename } }", "pm"),
    ("kpiSeries", 'query($p: ID!) { kpiSeries(from: "2026-11-01", to: "2026-11-02", projectId: $p) { __typename } }', "pm"),
    ("inspections", "query($p: ID!) { inspections(projectId: $p) { __typename } }", "pm"),
    ("caseReviews", "query($p: ID!) { caseReviews(projectId: $p) { __typename } }", "pm"),
    ("bulletins", "query($p: ID!) { bulletins(projectId: $p) { __typename } }", "pm"),
    ("outsideBodies", "query($p: ID!) { outsideBodies(projectId: $p) { __typename } }", "pm"),
    ("referrals", "query($p: ID!) { referrals(projectId: $p) { __typename } }", "pm"),
    ("decisionFeedbackCandidates", "query($p: ID!) { decisionFeedbackCandidates(projectId: $p) { __typename } }", "pm"),
    ("decisionFeedback", "query($p: ID!) { decisionFeedback(projectId: $p) { __typename } }", "pm"),
    ("govBridges", "query($p: ID!) { govBridges(projectId: $p) { __typename } }", "pm"),
    ("govOrders", "query($p: ID!) { govOrders(projectId: $p) { __typename } }", "pm"),
    ("govOrderRates", "query($p: ID!) { govOrderRates(projectId: $p) { __typename } }", "pm"),
    ("buildings", "query($p: ID!) { buildings(projectId: $p) { totalCount } }", "pm"),
    ("units", "query($p: ID!) { units(projectId: $p) { totalCount } }", "pm"),
    ("residents", "query($p: ID!) { residents(projectId: $p) { totalCount } }", "pm"),
    ("registerCase", 'mutation($p: ID!) { registerCase(input: {projectId: $p, kind: REQUEST, channel: PHONE, category: "public_area", '
                     'publicArea: "大堂", description: "大堂灯不亮"}) %s }' % ERRORS, "pm"),
    ("createStaff", 'mutation($p: ID!) { createStaff(input: {name: "王师傅", projectId: $p}) %s }' % ERRORS, "pm"),
    ("assignRole", "mutation($p: ID!, $u: ID!) { assignRole(input: {userId: $u, role: CS_AGENT, projectId: $p}) %s }" % ERRORS, "admin"),
    ("createApiKey", 'mutation($p: ID!) { createApiKey(input: {name: "BI", projectIds: [$p]}) %s }' % ERRORS, "admin"),
    ("addDutyShift", "mutation($p: ID!, $d: ID!, $u: ID!) { addDutyShift(input: {projectId: $p, departmentId: $d, userId: $u, "
                     'startsAt: "2030-01-01T00:00:00Z", endsAt: "2030-01-01T08:00:00Z"}) %s }' % ERRORS, "pm"),
    ("setSlaPolicy", "mutation($p: ID!) { setSlaPolicy(input: {projectId: $p, kind: REPAIR, severity: GENERAL, commitMinutes: 30, "
                     "arriveMinutes: 60, resolveMinutes: 600, visitMinutes: 2880}) %s }" % ERRORS, "pm"),
    ("removeSlaOverride", "mutation($p: ID!) { removeSlaOverride(projectId: $p, kind: REPAIR, severity: GENERAL) %s }" % ERRORS, "pm"),
    ("setProjectWorkingHours", 'mutation($p: ID!) { setProjectWorkingHours(projectId: $p, opens: "08:00:00", closes: "18:00:00") %s }'
     % ERRORS, "pm"),
    ("addDeliveryChannel", 'mutation($p: ID!) { addDeliveryChannel(input: {kind: EMAIL, name: "值班邮箱", target: "duty@example.com", '
                           'topics: ["case.escalated"], projectId: $p}) %s }' % ERRORS, "admin"),
    ("recordInspection", "mutation($p: ID!, $x: ID!) { recordInspection(input: {projectId: $p, checklistId: $x, "
                         'inspectedOn: "2026-11-20", results: []}) %s }' % ERRORS, "admin"),
    ("draftBulletin", 'mutation($p: ID!) { draftBulletin(input: {projectId: $p, kind: NOTICE, title: "通报", body: "内容", '
                      'month: "2026-11-01"}) %s }' % ERRORS, "admin"),
    ("addOutsideBody", 'mutation($p: ID!) { addOutsideBody(input: {projectId: $p, kind: STREET_OFFICE, name: "街道办", delivery: LETTER, '
                       'address: "一号"}) %s }' % ERRORS, "pm"),
    ("reportDecisionFeedback", 'mutation($p: ID!) { reportDecisionFeedback(input: {projectId: $p, month: "2026-11-01", '
                               'categoryCode: "noise", title: "噪音", summary: "夜间施工"}) %s }' % ERRORS, "pm"),
    ("addGovBridge", 'mutation($p: ID!, $u: ID!) { addGovBridge(input: {projectId: $p, name: "12345", city: "北京", '
                     'callbackUrl: "https://gov.example.com/cb", receiverId: $u}) %s }' % ERRORS, "pm"),
]
CASE_FIELDS = [
    ("caseTimeline", "query($c: ID!) { caseTimeline(caseId: $c) { __typename } }"),
    ("writtenReplies", "query($c: ID!) { writtenReplies(caseId: $c) { __typename } }"),
    ("dispatchProposals", "query($c: ID!) { dispatchProposals(caseId: $c) { __typename } }"),
    ("caseReview", "query($c: ID!) { caseReview(caseId: $c) { __typename } }"),
    ("caseReferrals", "query($c: ID!) { caseReferrals(caseId: $c) { __typename } }"),
    ("commitCase", "mutation($c: ID!) { commitCase(caseId: $c) %s }" % ERRORS),
    ("linkRepeatCase", "mutation($c: ID!) { linkRepeatCase(caseId: $c, earlierCaseId: $c) %s }" % ERRORS),
    ("reviseWrittenReply", 'mutation($c: ID!) { reviseWrittenReply(caseId: $c, reply: {reason: "r", basis: "b", alternatives: []}) %s }'
     % ERRORS),
]
# Lookups of one object by its id answer null, alike.
LOOKUPS = [
    ("project", "query($p: ID!) { project(id: $p) { id } }", "p"),
    ("node", "query($p: ID!) { node(id: $p) { id } }", "p"),
    ("case", "query($c: ID!) { case(id: $c) { id } }", "c"),
    ("caseProgress", "query($c: ID!) { caseProgress(caseId: $c) { number } }", "c"),
]


def answer(body: dict) -> tuple:
    """The error a field answered, wherever it was put (top-level errors or the payload's)."""
    if body.get("errors"):
        return tuple((e["extensions"]["code"], e["message"]) for e in body["errors"])
    [payload] = body["data"].values()
    return tuple((e["code"], e["field"], e["message"]) for e in payload["errors"]) if isinstance(payload, dict) else (payload,)


@pytest.fixture
async def world(gql, owner_engine, org, other_org):
    pm_id = await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    async with owner_engine.connect() as conn:
        department = (await conn.execute(text("SELECT id FROM departments WHERE org_id = :o AND project_id = :p LIMIT 1"),
                                         {"o": org.org_id, "p": org.projects["P1"]})).scalar_one()
    admin = await gql.login(org)
    return {
        "pm": await gql.login(org, "pm1"), "admin": admin, "other_admin": lambda: gql.login(other_org),
        "ids": {"u": to_global_id("User", pm_id), "d": to_global_id("Department", department),
                "x": to_global_id("InspectionChecklist", pm_id)},
        "projects": {"ungranted": to_global_id("Project", org.projects["P2"]),
                     "foreign": to_global_id("Project", other_org.projects["P1"]),
                     "missing": to_global_id("Project", uuid4())},
    }


@pytest.fixture
async def cases(gql, world):
    """A case of P2, which the project manager of P1 cannot see, and one of another company."""
    register = ('mutation($p: ID!) { registerCase(input: {projectId: $p, kind: REPAIR, channel: PHONE, category: "water_power", '
                'publicArea: "大堂", description: "水管漏水"}) { case { id } } }')
    found = {}
    for name, token in (("ungranted", world["admin"]), ("foreign", await world["other_admin"]())):
        body = await gql(register, {"p": world["projects"][name]}, token=token)
        found[name] = body["data"]["registerCase"]["case"]["id"]
    return found


def used(document: str, ids: dict) -> dict:
    return {k: v for k, v in ids.items() if f"${k}:" in document}


@pytest.mark.parametrize(("name", "document", "who"), PROJECT_FIELDS, ids=[f[0] for f in PROJECT_FIELDS])
async def test_a_project_out_of_reach_is_not_found_alike(gql, world, name, document, who):
    extra = used(document, world["ids"])
    # A project manager of P1 may not see P2; a company-wide caller sees all of its own company,
    # so for it another company's project answers as one that does not exist.
    names = ("ungranted", "foreign", "missing") if who == "pm" else ("foreign", "missing")
    answers = [answer(await gql(document, {"p": world["projects"][n], **extra}, token=world[who])) for n in names]
    assert answers[0] and answers[0][0][0] == "NOT_FOUND", (name, answers)
    assert all(a == answers[0] for a in answers), (name, answers)


@pytest.mark.parametrize(("name", "document"), CASE_FIELDS, ids=[f[0] for f in CASE_FIELDS])
async def test_a_case_out_of_reach_is_not_found_alike(gql, world, cases, name, document):
    answers = [answer(await gql(document, {"c": cases[n]}, token=world["pm"])) for n in ("ungranted", "foreign")]
    assert answers[0] and answers[0][0][0] == "NOT_FOUND", (name, answers)
    assert answers[0] == answers[1], (name, answers)


@pytest.mark.parametrize(("name", "document", "kind"), LOOKUPS, ids=[f[0] for f in LOOKUPS])
async def test_a_lookup_out_of_reach_is_null_alike(gql, world, cases, name, document, kind):
    ids = world["projects"] if kind == "p" else cases
    bodies = [await gql(document, {kind: ids[n]}, token=world["pm"]) for n in ("ungranted", "foreign")]
    assert bodies[0] == bodies[1] == {"data": {name: None}}


async def test_a_delivery_channel_of_another_company_is_not_found(gql, world):
    other = await world["other_admin"]()
    made = await gql('mutation { addDeliveryChannel(input: {kind: EMAIL, name: "值班", target: "duty@example.com", '
                     'topics: ["case.escalated"]}) { channel { id } errors { code } } }', token=other)
    channel = made["data"]["addDeliveryChannel"]["channel"]["id"]
    body = await gql("query($c: ID!) { deliveries(channelId: $c) { id } }", {"c": channel}, token=world["admin"])
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND" and body["data"] is None
