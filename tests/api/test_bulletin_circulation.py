"""全公司通报: a bulletin circulated to every other project of the company — each audience
project holds its own copy, so the wall stays the plain project rule — withdrawn everywhere at
once, and never seen by another company."""

from __future__ import annotations

from sqlalchemy import text

from tests.api.test_reviews_bulletins import BULLETIN_FIELDS, BULLETINS, DRAFT, WITHDRAW, bulletin_input, department, hq, register
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
    assert len((await gql(CIRCULARS, token=quality))["data"]["circulars"]) == 1, "one per bulletin, not one per project"
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
    many = await gql("{ circulars(first: 0) { title } }", token=pm2)
    assert many["errors"][0]["extensions"]["code"] == "VALIDATION"
