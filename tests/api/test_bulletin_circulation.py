"""全公司通报 and 全公司分享: a bulletin circulated to every other project of the company, and a
shared review's lesson copied to every project — each audience project holds its own copy, so
the wall stays the plain project rule — withdrawn (or unshared) everywhere at once, followed by
its revisions, and never seen by another company."""

from __future__ import annotations

from sqlalchemy import text

from tests.api.test_reviews_bulletins import (
    BULLETIN_FIELDS,
    BULLETINS,
    DRAFT,
    REVIEW,
    REVIEWS,
    WITHDRAW,
    bulletin_input,
    department,
    hq,
    register,
    review_input,
)
from tests.conftest import add_user

CIRCULATE = ("mutation($b: ID!, $c: Boolean!) { publishBulletin(bulletinId: $b, circulate: $c) { %s } }"
             % BULLETIN_FIELDS.replace("state ", "state circulated ", 1))
CIRCULARS = ("{ circulars { bulletinId kind kindLabel title body month subject withdrawnAt withdrawalReason "
             "figures { caseNumbers kpis { received } } } }")


async def test_a_circulated_bulletin_reaches_the_other_projects_and_is_withdrawn_everywhere(gql, desk, owner_engine, org, other_org):
    quality = await hq(gql, owner_engine, org)
    c = await register(gql, desk["agent"][1], desk)
    engineering = await department(owner_engine, org, "P1")
    b = (await gql(DRAFT, {"i": bulletin_input(desk, title="表扬工程部", departmentId=engineering, caseIds=[c])},
                   token=quality))["data"]["draftBulletin"]["bulletin"]["id"]
    kept = (await gql(DRAFT, {"i": bulletin_input(desk, title="仅本项目")}, token=quality))["data"]["draftBulletin"]["bulletin"]["id"]
    done = (await gql(CIRCULATE, {"b": b, "c": True}, token=quality))["data"]["publishBulletin"]
    assert done["errors"] == [] and done["bulletin"]["circulated"] is True
    assert (await gql(CIRCULATE, {"b": kept, "c": False}, token=quality))["data"]["publishBulletin"]["bulletin"]["circulated"] is False

    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    pm1, pm2 = await gql.login(org, "pm1"), await gql.login(org, "pm2")
    seen = (await gql(CIRCULARS, token=pm2))["data"]["circulars"]
    number = done["bulletin"]["figures"]["caseNumbers"]
    assert [(x["bulletinId"], x["kindLabel"], x["title"], x["subject"], x["figures"]["caseNumbers"]) for x in seen] == [
        (b, "表扬 Praise", "表扬工程部", "项目1 · 工程部", number)]
    assert (await gql(BULLETINS, {}, token=pm2))["data"]["bulletins"] == [], "the original stays behind P1's wall"
    assert (await gql(CIRCULARS, token=pm1))["data"]["circulars"] == [], "P1 has the bulletin itself"
    (hq_sees,) = (await gql(CIRCULARS, token=quality))["data"]["circulars"]  # one per bulletin, not one per project
    assert (hq_sees["bulletinId"], hq_sees["subject"], hq_sees["figures"]["caseNumbers"]) == (b, "项目1 · 工程部", number)
    assert (await gql(CIRCULARS, token=await gql.login(other_org)))["data"]["circulars"] == []
    async with owner_engine.connect() as conn:
        copies = (await conn.execute(text("SELECT count(*) FROM bulletin_circulation WHERE org_id = :o"), {"o": org.org_id})).scalar()
        told = (await conn.execute(text("SELECT payload->>'circulated_to' FROM outbox WHERE org_id = :o AND topic = 'bulletin.published' "
                                        "ORDER BY created_at"), {"o": org.org_id})).scalars().all()
    assert (copies, told) == (1, ["1", "0"])

    gone = (await gql(WITHDRAW, {"b": b, "r": "部门名称有误"}, token=quality))["data"]["withdrawBulletin"]
    assert gone["errors"] == []
    (copy,) = (await gql(CIRCULARS, token=pm2))["data"]["circulars"]
    assert copy["withdrawalReason"] == "部门名称有误" and copy["withdrawnAt"] is not None
    assert [x["withdrawalReason"] for x in (await gql(CIRCULARS, token=quality))["data"]["circulars"]] == ["部门名称有误"]
    many = await gql("{ circulars(first: 0) { title } }", token=pm2)
    assert many["errors"][0]["extensions"]["code"] == "VALIDATION"


LESSONS = ("{ sharedLessons { reviewId caseNumber projectName verdict verdictLabel rootCauseLabel rootCause lessons "
           "correctiveActions tags version } }")


async def copies(owner_engine, org_id) -> int:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM case_review_circulation WHERE org_id = :o"), {"o": org_id})).scalar()


async def test_a_shared_lesson_reaches_every_project_follows_its_revisions_and_leaves_when_unshared(gql, desk, owner_engine, org,
                                                                                                   other_org):
    quality = await hq(gql, owner_engine, org)
    c = await register(gql, desk["agent"][1], desk)
    kept = await register(gql, desk["agent"][1], desk)
    first = (await gql(REVIEW, {"i": review_input(c, shared=True)}, token=quality))["data"]["reviewCase"]["review"]
    assert (await gql(REVIEW, {"i": review_input(kept)}, token=quality))["data"]["reviewCase"]["errors"] == []
    assert await copies(owner_engine, org.org_id) == 2, "one copy for each project of the company, P1 and P2"

    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    pm2 = await gql.login(org, "pm2")
    (lesson,) = (await gql(LESSONS, token=pm2))["data"]["sharedLessons"]
    assert lesson == {"reviewId": first["id"], "caseNumber": first["case"]["number"], "projectName": "项目1", "verdict": "EXEMPLARY",
                      "verdictLabel": "典型 Exemplary", "rootCauseLabel": "流程制度 Process", "rootCause": "首问负责到底，十分钟内响应",
                      "lessons": "前台登记后立即电话回访，住户满意", "correctiveActions": "", "tags": ["首问", "报修"], "version": 1}
    assert (await gql(REVIEWS, {}, token=pm2))["data"]["caseReviews"] == [], "the review itself stays behind P1's wall"
    assert [x["reviewId"] for x in (await gql(LESSONS, token=desk["agent"][1]))["data"]["sharedLessons"]] == [first["id"]]
    lessons = (await gql(LESSONS, token=quality))["data"]["sharedLessons"]
    assert [x["reviewId"] for x in lessons] == [first["id"]], "one, not one per project"
    outsider = await gql.login(other_org)
    assert (await gql(LESSONS, token=outsider))["data"]["sharedLessons"] == []
    assert await copies(owner_engine, other_org.org_id) == 0

    revised = review_input(c, shared=True, verdict="CAUTIONARY", lessons="延期须当日告知", correctiveActions="回访话术更新")
    assert (await gql(REVIEW, {"i": revised}, token=quality))["data"]["reviewCase"]["errors"] == []
    (lesson,) = (await gql(LESSONS, token=pm2))["data"]["sharedLessons"]
    assert (lesson["version"], lesson["verdict"], lesson["lessons"], lesson["correctiveActions"]) == (
        2, "CAUTIONARY", "延期须当日告知", "回访话术更新")
    assert await copies(owner_engine, org.org_id) == 2

    assert (await gql(REVIEW, {"i": {**revised, "shared": False}}, token=quality))["data"]["reviewCase"]["errors"] == []
    assert (await gql(LESSONS, token=pm2))["data"]["sharedLessons"] == []
    assert (await gql(LESSONS, token=quality))["data"]["sharedLessons"] == []
    assert await copies(owner_engine, org.org_id) == 0
    many = await gql("{ sharedLessons(first: 201) { lessons } }", token=pm2)
    assert many["errors"][0]["extensions"]["code"] == "VALIDATION"
