"""案例研判 and 内部通报 through the API: HQ reviews and revises a case (every version audited), who
may and may not, who sees which reviews; a bulletin whose figures are frozen from the rollups
at publication (checked by hand against the cases made here), its links kept within its project,
its lifecycle, and the wall between companies on every query and mutation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from domain.sla.calendar import CHINA
from tests.api.conftest import REGISTER, case_input, statements_of
from tests.api.test_org_overview import run, settle
from tests.conftest import add_unit, add_user

REVIEW_FIELDS = ("review { id verdict verdictLabel rootCauseCategory rootCauseLabel rootCause lessons correctiveActions tags shared "
                 "version caseId reviewer { username } case { number } } errors { code field }")
REVIEW = "mutation($i: ReviewCaseInput!, $k: String) { reviewCase(input: $i, idempotencyKey: $k) { %s } }" % REVIEW_FIELDS
REVIEWS = "query($p: ID, $v: ReviewVerdict, $s: Boolean) { caseReviews(projectId: $p, verdict: $v, shared: $s) { caseId version verdict } }"
ONE_REVIEW = "query($c: ID!) { caseReview(caseId: $c) { version verdict } }"
REVIEW_NODE = "query($r: ID!) { node(id: $r) { ... on CaseReview { caseId case { number } } } }"
BULLETIN_FIELDS = ("bulletin { id kind kindLabel title state stateLabel month citedFigures withdrawalReason project { code } "
                   "department { name } cases { number } figures { month households complaints open caseNumbers "
                   "kpis { received responseRate resolutionRate satisfactionRate firstContactRate returnVisitRate onTimeRate "
                   "complaintsPer1000 brokenPromises escalations } } } errors { code field }")
DRAFT = ("mutation($i: BulletinInput!, $b: ID, $k: String) { draftBulletin(input: $i, bulletinId: $b, idempotencyKey: $k) { %s } }"
         % BULLETIN_FIELDS)
PUBLISH = "mutation($b: ID!, $k: String) { publishBulletin(bulletinId: $b, idempotencyKey: $k) { %s } }" % BULLETIN_FIELDS
WITHDRAW = "mutation($b: ID!, $r: String!) { withdrawBulletin(bulletinId: $b, reason: $r) { %s } }" % BULLETIN_FIELDS
BULLETINS = "query($p: ID, $s: BulletinState) { bulletins(projectId: $p, state: $s) { id title state } }"
ONE_BULLETIN = "query($b: ID!) { bulletin(id: $b) { title state figures { kpis { received } } } }"


def review_input(case_id: str, **over) -> dict:
    return {"caseId": case_id, "verdict": "EXEMPLARY", "rootCauseCategory": "PROCESS", "rootCause": "首问负责到底，十分钟内响应",
            "lessons": "前台登记后立即电话回访，住户满意", "tags": ["首问", "报修"], **over}


async def register(gql, token, desk, **over) -> str:
    body = await gql(REGISTER, {"i": case_input(desk, **over)}, token=token)
    assert body["data"]["registerCase"]["errors"] == [], body
    return body["data"]["registerCase"]["case"]["id"]


async def hq(gql, owner_engine, org, username="quality", role="hq_quality") -> str:
    await add_user(owner_engine, org, username, role, None)
    return await gql.login(org, username)


async def p2_desk(gql, owner_engine, org, desk) -> dict:
    """Project P2 with a unit and an agent, shaped like `desk` for case_input."""
    unit, _ = await add_unit(owner_engine, org, "P2", "1201")
    await add_user(owner_engine, org, "p2agent", "cs_agent", "P2")
    return {**desk, "unit": to_global_id("Unit", unit), "project": to_global_id("Project", org.projects["P2"]),
            "token": await gql.login(org, "p2agent")}


async def department(owner_engine, org, project: str, kind: str = "engineering") -> str:
    async with owner_engine.connect() as conn:
        d = (await conn.execute(text("SELECT id FROM departments WHERE org_id = :o AND project_id = :p AND kind = :k"),
                                {"o": org.org_id, "p": org.projects[project], "k": kind})).scalar_one()
    return to_global_id("Department", d)


def bulletin_input(desk, **over) -> dict:
    return {"projectId": desk["project"], "kind": "PRAISE", "title": "表扬客服部", "body": "本月首问负责落实到位。",
            "month": datetime.now(CHINA).date().isoformat(), **over}


async def test_hq_quality_reviews_and_revises_a_case_and_every_version_is_audited(gql, desk, owner_engine, org):
    quality = await hq(gql, owner_engine, org)
    c = await register(gql, desk["agent"][1], desk)
    first = (await gql(REVIEW, {"i": review_input(c, shared=True), "k": "rv-1"}, token=quality))["data"]["reviewCase"]
    assert first["errors"] == []
    r = first["review"]
    assert (r["verdict"], r["verdictLabel"], r["rootCauseLabel"], r["version"], r["shared"], r["caseId"]) == (
        "EXEMPLARY", "典型 Exemplary", "流程制度 Process", 1, True, c)
    assert r["reviewer"] == {"username": "quality"} and r["case"]["number"].startswith("GD-")
    replay = (await gql(REVIEW, {"i": review_input(c, shared=True), "k": "rv-1"}, token=quality))["data"]["reviewCase"]
    assert replay["review"]["version"] == 1, "the same key does not revise twice"

    revised = review_input(c, verdict="CAUTIONARY", rootCauseCategory="COMMUNICATION", rootCause="回访时未说明延期原因",
                           correctiveActions="延期须当日电话告知并记录", expectedVersion=1)
    r2 = (await gql(REVIEW, {"i": revised}, token=quality))["data"]["reviewCase"]
    assert (r2["errors"], r2["review"]["version"], r2["review"]["verdict"], r2["review"]["rootCauseLabel"]) == (
        [], 2, "CAUTIONARY", "沟通协调 Communication")
    stale = (await gql(REVIEW, {"i": revised}, token=quality))["data"]["reviewCase"]
    assert stale == {"review": None, "errors": [{"code": "CONFLICT", "field": "expectedVersion"}]}
    async with owner_engine.connect() as conn:
        audit = (await conn.execute(text(
            "SELECT action, data->>'version' AS v, data->>'verdict' AS verdict, actor FROM audit_log "
            "WHERE org_id = :o AND entity = 'case_review' ORDER BY id"), {"o": org.org_id})).all()
    assert [(a.action, a.v, a.verdict) for a in audit] == [("case_review.created", "1", "exemplary"),
                                                           ("case_review.revised", "2", "cautionary")]
    assert all(a.actor.startswith("user:") for a in audit)
    assert (await gql(ONE_REVIEW, {"c": c}, token=desk["agent"][1]))["data"]["caseReview"] == {"version": 2, "verdict": "CAUTIONARY"}


async def test_who_may_review_and_bad_input_gets_coded_errors(gql, desk, owner_engine, org):
    quality = await hq(gql, owner_engine, org)
    c = await register(gql, desk["agent"][1], desk)
    agent = await gql(REVIEW, {"i": review_input(c)}, token=desk["agent"][1])
    assert agent["data"] is None and agent["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    pm = await gql(REVIEW, {"i": review_input(c)}, token=await gql.login(org, "pm1"))
    assert pm["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    def bad(**over):
        return {"i": review_input(c, **over)}

    for variables, field in ((bad(rootCause="  "), "rootCause"), (bad(lessons="教" * 2001), "lessons"),
                             (bad(verdict="CAUTIONARY"), "correctiveActions"), (bad(tags=[f"t{i}" for i in range(11)]), "tags"),
                             (bad(caseId="not-an-id"), "caseId"), (bad(caseId=desk["project"]), "caseId")):
        got = (await gql(REVIEW, variables, token=quality))["data"]["reviewCase"]
        assert got == {"review": None, "errors": [{"code": "VALIDATION", "field": field}]}, (field, got)
    wrong_enum = await gql(REVIEW, bad(rootCauseCategory="LUCK"), token=quality)
    assert wrong_enum["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    many = await gql("{ caseReviews(first: 0) { version } }", token=quality)
    assert many["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert (await gql(ONE_REVIEW, {"c": c}, token=quality))["data"]["caseReview"] is None, "nothing was stored"


async def test_a_project_manager_reads_the_reviews_of_their_project_only(gql, desk, owner_engine, org):
    quality = await hq(gql, owner_engine, org)
    p2 = await p2_desk(gql, owner_engine, org, desk)
    c1, c2 = await register(gql, desk["agent"][1], desk), await register(gql, p2["token"], p2)
    c1b = await register(gql, desk["agent"][1], desk)
    review_ids = {}
    for c, over in ((c1, {}), (c2, {}), (c1b, {"verdict": "CAUTIONARY", "correctiveActions": "增加夜班", "shared": True})):
        got = (await gql(REVIEW, {"i": review_input(c, **over)}, token=quality))["data"]["reviewCase"]
        assert got["errors"] == []
        review_ids[c] = got["review"]["id"]
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    pm = await gql.login(org, "pm1")
    mine = (await gql(REVIEWS, {}, token=pm))["data"]["caseReviews"]
    assert sorted(r["caseId"] for r in mine) == sorted([c1, c1b])
    assert (await gql(REVIEWS, {"p": p2["project"]}, token=pm))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await gql(ONE_REVIEW, {"c": c2}, token=pm))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # By its own id (a corrective action's source): the project's own review, not another project's.
    assert (await gql(REVIEW_NODE, {"r": review_ids[c1]}, token=pm))["data"]["node"]["caseId"] == c1
    assert (await gql(REVIEW_NODE, {"r": review_ids[c2]}, token=pm))["data"]["node"] is None
    assert [r["caseId"] for r in (await gql(REVIEWS, {"v": "CAUTIONARY"}, token=pm))["data"]["caseReviews"]] == [c1b]
    assert [r["caseId"] for r in (await gql(REVIEWS, {"s": True}, token=pm))["data"]["caseReviews"]] == [c1b]
    everyone = (await gql(REVIEWS, {}, token=await hq(gql, owner_engine, org, "sup_hq", "hq_supervisor")))["data"]["caseReviews"]
    assert len(everyone) == 3
    assert [r["caseId"] for r in (await gql(REVIEWS, {"p": p2["project"]}, token=quality))["data"]["caseReviews"]] == [c2]


async def test_a_published_bulletin_keeps_the_figures_of_its_month(gql, desk, owner_engine, org, platform, stub_worker):
    agent, sup, tech = desk["agent"][1], desk["sup"][1], desk["tech"][1]
    quality = await hq(gql, owner_engine, org)
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE projects SET households = 400 WHERE id = :p"), {"p": org.projects["P1"]})
    a, b, c = await register(gql, agent, desk), await register(gql, agent, desk, kind="COMPLAINT", category="noise"), \
        await register(gql, agent, desk)
    for x in (a, b):
        await run(gql, agent, "commitCase", x)
    await run(gql, agent, "dispatchCase", a, ", assigneeId: $a", a=("ID", desk["tech"][0]))
    for m in ("acceptCase", "startCase"):
        await run(gql, tech, m, a)
    await run(gql, tech, "resolveCase", a, ", result: $r", r=("String!", "已更换灯泡"))
    await run(gql, agent, "confirmCase", a)
    await run(gql, agent, "returnVisit", a, ", satisfaction: SATISFIED, score: 5")
    await run(gql, sup, "cancelCase", c, ", reason: $r", r=("String!", "住户撤回"))
    await settle(platform, stub_worker)

    # By hand: 3 received (c cancelled counts only there); in scope a and b, both committed on time;
    # a resolved, confirmed and visited satisfied, first time; b a complaint still open; 400 households.
    expected = {"received": 3, "responseRate": 1.0, "resolutionRate": 0.5, "satisfactionRate": 1.0, "firstContactRate": 1.0,
                "returnVisitRate": 1.0, "onTimeRate": 1.0, "complaintsPer1000": 2.5, "brokenPromises": 0, "escalations": 0}
    engineering = await department(owner_engine, org, "P1")
    drafted = (await gql(DRAFT, {"i": bulletin_input(desk, kind="CRITICISM", title="通报批评：投诉未按时处理", body="噪音投诉仍未办结。",
                                                      departmentId=engineering, caseIds=[b, a, b],
                                                      citedFigures=["RESOLUTION_RATE"])}, token=quality))["data"]["draftBulletin"]
    assert drafted["errors"] == []
    d = drafted["bulletin"]
    assert (d["state"], d["stateLabel"], d["kindLabel"], d["figures"], d["department"]["name"], d["citedFigures"]) == (
        "DRAFT", "草稿 Draft", "批评 Criticism", None, "工程部", ["RESOLUTION_RATE"])
    numbers = [x["number"] for x in d["cases"]]
    assert len(numbers) == 2, "linked once each, in the order given"

    published = (await gql(PUBLISH, {"b": d["id"], "k": "pub-1"}, token=quality))["data"]["publishBulletin"]
    assert published["errors"] == [] and published["bulletin"]["state"] == "PUBLISHED"
    figures = published["bulletin"]["figures"]
    assert figures["kpis"] == expected
    assert (figures["households"], figures["complaints"], figures["open"], figures["caseNumbers"]) == (400, 1, 1, numbers)
    assert figures["month"] == datetime.now(CHINA).date().replace(day=1).isoformat()
    again = (await gql(PUBLISH, {"b": d["id"], "k": "pub-1"}, token=quality))["data"]["publishBulletin"]
    assert again["errors"] == [] and again["bulletin"]["figures"] == figures, "the same key replays, publishing nothing new"

    # The month goes on; the bulletin still says what it said.
    await register(gql, agent, desk)
    await settle(platform, stub_worker)
    overview = (await gql("{ orgOverview { projects { project { code } month { received } } } }", token=quality))["data"]
    assert {p["project"]["code"]: p["month"]["received"] for p in overview["orgOverview"]["projects"]}["P1"] == 4
    assert (await gql(ONE_BULLETIN, {"b": d["id"]}, token=quality))["data"]["bulletin"]["figures"] == {"kpis": {"received": 3}}

    async with owner_engine.connect() as conn:
        events = (await conn.execute(text("SELECT payload->>'kind' AS kind, published_at IS NOT NULL AS sent FROM outbox "
                                          "WHERE org_id = :o AND topic = 'bulletin.published'"), {"o": org.org_id})).all()
        dead = (await conn.execute(text("SELECT count(*) FROM dead_letters WHERE org_id = :o"), {"o": org.org_id})).scalar()
        audit = (await conn.execute(text("SELECT action, to_state FROM audit_log WHERE org_id = :o AND entity = 'bulletin' ORDER BY id"),
                                    {"o": org.org_id})).all()
    assert [tuple(e) for e in events] == [("criticism", True)], "announced once, relayed, and harmless to the workers"
    assert dead == 0
    assert [tuple(x) for x in audit] == [("bulletin.drafted", "draft"), ("bulletin.published", "published")]


async def test_linked_cases_and_departments_stay_within_the_project(gql, desk, owner_engine, org, other_org):
    quality = await hq(gql, owner_engine, org)
    p2 = await p2_desk(gql, owner_engine, org, desk)
    mine, theirs = await register(gql, desk["agent"][1], desk), await register(gql, p2["token"], p2)
    cases = [(await gql(DRAFT, {"i": bulletin_input(desk, caseIds=[mine, theirs])}, token=quality))["data"]["draftBulletin"]]
    cases.append((await gql(DRAFT, {"i": bulletin_input(desk, departmentId=await department(owner_engine, org, "P2"))},
                            token=quality))["data"]["draftBulletin"])
    assert [c["errors"] for c in cases] == [[{"code": "VALIDATION", "field": "caseIds"}], [{"code": "VALIDATION", "field": "departmentId"}]]
    # Another company's case and department are not found at all.
    other_unit, _ = await add_unit(owner_engine, other_org, "P1")
    await add_user(owner_engine, other_org, "oagent", "cs_agent", "P1")
    other_desk = {"unit": to_global_id("Unit", other_unit), "project": to_global_id("Project", other_org.projects["P1"])}
    foreign = await register(gql, await gql.login(other_org, "oagent"), other_desk)
    for over, field in (({"caseIds": [foreign]}, "caseIds"), ({"departmentId": await department(owner_engine, other_org, "P1")},
                                                              "departmentId")):
        got = (await gql(DRAFT, {"i": bulletin_input(desk, **over)}, token=quality))["data"]["draftBulletin"]
        assert got == {"bulletin": None, "errors": [{"code": "NOT_FOUND", "field": field}]}
    assert (await gql(BULLETINS, {}, token=quality))["data"]["bulletins"] == [], "nothing was stored"


async def test_the_lifecycle_and_who_sees_what(gql, desk, owner_engine, org):
    quality = await hq(gql, owner_engine, org)
    first = (await gql(DRAFT, {"i": bulletin_input(desk)}, token=quality))["data"]["draftBulletin"]["bulletin"]
    b = first["id"]
    rewritten = (await gql(DRAFT, {"i": bulletin_input(desk, title="表扬客服部全体"), "b": b}, token=quality))["data"]["draftBulletin"]
    assert rewritten["errors"] == [] and rewritten["bulletin"]["title"] == "表扬客服部全体" and rewritten["bulletin"]["id"] == b
    moved = (await gql(DRAFT, {"i": bulletin_input(desk, projectId=to_global_id("Project", org.projects["P2"])), "b": b},
                       token=quality))["data"]["draftBulletin"]
    assert moved["errors"] == [{"code": "VALIDATION", "field": "projectId"}]
    assert (await gql(WITHDRAW, {"b": b, "r": "误发"}, token=quality))["data"]["withdrawBulletin"]["errors"][0]["code"] == "INVALID_STATE"

    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    pm1, pm2 = await gql.login(org, "pm1"), await gql.login(org, "pm2")
    assert (await gql(BULLETINS, {}, token=pm1))["data"]["bulletins"] == [], "a draft is HQ's work in progress"
    assert (await gql(ONE_BULLETIN, {"b": b}, token=pm1))["data"]["bulletin"] is None

    assert (await gql(PUBLISH, {"b": b}, token=quality))["data"]["publishBulletin"]["bulletin"]["state"] == "PUBLISHED"
    assert (await gql(PUBLISH, {"b": b}, token=quality))["data"]["publishBulletin"]["errors"][0]["code"] == "INVALID_STATE"
    edit = (await gql(DRAFT, {"i": bulletin_input(desk), "b": b}, token=quality))["data"]["draftBulletin"]
    assert edit["errors"][0]["code"] == "INVALID_STATE"
    assert [x["state"] for x in (await gql(BULLETINS, {}, token=pm1))["data"]["bulletins"]] == ["PUBLISHED"]
    assert (await gql(BULLETINS, {}, token=pm2))["data"]["bulletins"] == [], "a bulletin is about one project"
    assert (await gql(ONE_BULLETIN, {"b": b}, token=pm2))["data"]["bulletin"] is None
    assert (await gql(BULLETINS, {"s": "DRAFT"}, token=quality))["data"]["bulletins"] == []

    assert (await gql(WITHDRAW, {"b": b, "r": " "}, token=quality))["data"]["withdrawBulletin"]["errors"] == [
        {"code": "VALIDATION", "field": "reason"}]
    gone = (await gql(WITHDRAW, {"b": b, "r": "数据口径有误，更正后重发"}, token=quality))["data"]["withdrawBulletin"]
    assert (gone["errors"], gone["bulletin"]["state"]) == ([], "WITHDRAWN")
    assert gone["bulletin"]["withdrawalReason"] == "数据口径有误，更正后重发"
    assert gone["bulletin"]["figures"]["kpis"]["received"] == 0, "a month with nothing yet: counts 0, rates null"
    assert gone["bulletin"]["figures"]["kpis"]["resolutionRate"] is None
    for mutation, variables in ((WITHDRAW, {"b": b, "r": "再撤"}), (PUBLISH, {"b": b})):
        name = "withdrawBulletin" if mutation is WITHDRAW else "publishBulletin"
        assert (await gql(mutation, variables, token=quality))["data"][name]["errors"][0]["code"] == "INVALID_STATE"
    assert [x["state"] for x in (await gql(BULLETINS, {"p": desk["project"]}, token=pm1))["data"]["bulletins"]] == ["WITHDRAWN"]

    # Only publishers draft, publish and withdraw.
    for token in (desk["agent"][1], pm1):
        for mutation, variables in ((DRAFT, {"i": bulletin_input(desk)}), (PUBLISH, {"b": b}), (WITHDRAW, {"b": b, "r": "x"})):
            assert (await gql(mutation, variables, token=token))["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_bad_bulletin_input_gets_coded_errors(gql, desk, owner_engine, org):
    quality = await hq(gql, owner_engine, org)
    for over, field in (({"title": "题" * 101}, "title"), ({"body": "  "}, "body"), ({"month": "2099-01-01"}, "month"),
                        ({"kind": "CRITICISM"}, "departmentId"),
                        ({"kind": "CRITICISM", "departmentId": await department(owner_engine, org, "P1")}, "caseIds"),
                        ({"projectId": "zzz"}, "projectId"), ({"caseIds": [desk["project"]]}, "caseIds"),
                        ({"departmentId": desk["unit"]}, "departmentId")):
        got = (await gql(DRAFT, {"i": bulletin_input(desk, **over)}, token=quality))["data"]["draftBulletin"]
        assert got == {"bulletin": None, "errors": [{"code": "VALIDATION", "field": field}]}, (over, got)
    for mutation, name in ((PUBLISH, "publishBulletin"), (WITHDRAW, "withdrawBulletin")):
        got = (await gql(mutation, {"b": desk["project"], "r": "x"}, token=quality))["data"][name]
        assert got["errors"] == [{"code": "VALIDATION", "field": "bulletinId"}]
    assert (await gql("{ bulletins(first: 500) { id } }", token=quality))["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert (await gql("{ bulletin(id: \"nope\") { id } }", token=quality))["errors"][0]["extensions"]["code"] == "VALIDATION"


async def test_another_company_sees_and_changes_nothing(gql, desk, owner_engine, org, other_org):
    quality = await hq(gql, owner_engine, org)
    c = await register(gql, desk["agent"][1], desk)
    reviewed = (await gql(REVIEW, {"i": review_input(c)}, token=quality))["data"]["reviewCase"]
    assert reviewed["errors"] == []
    b = (await gql(DRAFT, {"i": bulletin_input(desk, caseIds=[c])}, token=quality))["data"]["draftBulletin"]["bulletin"]["id"]
    assert (await gql(PUBLISH, {"b": b}, token=quality))["data"]["publishBulletin"]["errors"] == []

    outsider = await gql.login(other_org)  # their org admin: every permission, in their own company
    assert (await gql(REVIEWS, {}, token=outsider))["data"]["caseReviews"] == []
    assert (await gql(REVIEWS, {"p": desk["project"]}, token=outsider))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await gql(ONE_REVIEW, {"c": c}, token=outsider))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await gql(REVIEW_NODE, {"r": reviewed["review"]["id"]}, token=outsider))["data"]["node"] is None
    assert (await gql(BULLETINS, {}, token=outsider))["data"]["bulletins"] == []
    assert (await gql(BULLETINS, {"p": desk["project"]}, token=outsider))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await gql(ONE_BULLETIN, {"b": b}, token=outsider))["data"]["bulletin"] is None

    got = (await gql(REVIEW, {"i": review_input(c, rootCause="改写")}, token=outsider))["data"]["reviewCase"]
    assert got == {"review": None, "errors": [{"code": "NOT_FOUND", "field": "caseId"}]}
    got = (await gql(DRAFT, {"i": bulletin_input(desk)}, token=outsider))["data"]["draftBulletin"]
    assert got == {"bulletin": None, "errors": [{"code": "NOT_FOUND", "field": "projectId"}]}
    theirs = to_global_id("Project", other_org.projects["P1"])
    got = (await gql(DRAFT, {"i": bulletin_input(desk, projectId=theirs, caseIds=[c])}, token=outsider))["data"]["draftBulletin"]
    assert got["errors"] == [{"code": "NOT_FOUND", "field": "caseIds"}]
    got = (await gql(DRAFT, {"i": bulletin_input(desk, projectId=theirs), "b": b}, token=outsider))["data"]["draftBulletin"]
    assert got["errors"] == [{"code": "NOT_FOUND", "field": "bulletinId"}]
    for mutation, name in ((PUBLISH, "publishBulletin"), (WITHDRAW, "withdrawBulletin")):
        got = (await gql(mutation, {"b": b, "r": "撤回"}, token=outsider))["data"][name]
        assert got == {"bulletin": None, "errors": [{"code": "NOT_FOUND", "field": "bulletinId"}]}
    mine = (await gql(ONE_BULLETIN, {"b": b}, token=quality))["data"]["bulletin"]
    assert mine["state"] == "PUBLISHED" and (await gql(ONE_REVIEW, {"c": c}, token=quality))["data"]["caseReview"]["version"] == 1


async def test_the_printable_bulletin(gql, client, desk, owner_engine, org, other_org):
    quality = await hq(gql, owner_engine, org)
    c = await register(gql, desk["agent"][1], desk, kind="COMPLAINT", category="noise")
    engineering = await department(owner_engine, org, "P1")
    d = (await gql(DRAFT, {"i": bulletin_input(desk, kind="CRITICISM", title="通报批评：夜间噪音<处理>迟缓", body="第一段。\n第二段。",
                                                departmentId=engineering, caseIds=[c], citedFigures=["BROKEN_PROMISES"])},
                   token=quality))["data"]["draftBulletin"]["bulletin"]
    path = f"/print/bulletins/{d['id']}"
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    pm1 = await gql.login(org, "pm1")

    def get(token=None):
        return client.get(path, headers={"authorization": f"Bearer {token}"} if token else {})

    draft_page = await get(quality)
    assert draft_page.status_code == 200 and "草稿　未发布" in draft_page.text
    assert (await get(pm1)).status_code == 404, "a draft is not printed for project staff"
    assert (await gql(PUBLISH, {"b": d["id"]}, token=quality))["data"]["publishBulletin"]["errors"] == []
    page = await get(pm1)
    assert page.status_code == 200 and page.headers["content-security-policy"].startswith("default-src 'none'")
    assert "<h1>通报批评</h1>" in page.text and "夜间噪音&lt;处理&gt;迟缓" in page.text and "<p>第二段。</p>" in page.text
    assert "失约次数（引用）" in page.text and "工程部" in page.text and "草稿" not in page.text
    assert "—（无数据）" in page.text, "a rate with nothing to measure prints as no data, not 0%"
    number = (await gql("query($c: ID!) { case(id: $c) { number } }", {"c": c}, token=quality))["data"]["case"]["number"]
    assert number in page.text
    assert (await get(await gql.login(other_org))).status_code == 404
    assert (await get()).status_code == 401
    assert (await client.get("/print/bulletins/zzz", headers={"authorization": f"Bearer {quality}"})).status_code == 400
    gone = await gql(WITHDRAW, {"b": d["id"], "r": "数据有误"}, token=quality)
    assert gone["data"]["withdrawBulletin"]["errors"] == []
    assert "已撤回：数据有误" in (await get(pm1)).text


async def test_lists_cost_the_same_statements_for_one_row_or_many(gql, desk, owner_engine, org, platform):
    quality = await hq(gql, owner_engine, org)
    engineering = await department(owner_engine, org, "P1")
    query = ("{ caseReviews { version case { number project { code } } reviewer { username } } "
             "bulletins { title project { code } department { name } cases { number } } }")

    async def statements() -> int:
        return await statements_of(platform, org, query)

    async def add(n: int) -> None:
        for _ in range(n):
            c = await register(gql, desk["agent"][1], desk)
            assert (await gql(REVIEW, {"i": review_input(c)}, token=quality))["data"]["reviewCase"]["errors"] == []
            got = await gql(DRAFT, {"i": bulletin_input(desk, departmentId=engineering, caseIds=[c])}, token=quality)
            assert got["data"]["draftBulletin"]["errors"] == []

    await add(1)
    one = await statements()
    await add(4)
    assert await statements() == one == 6, "two lists, then one batched statement per kind of related row"
