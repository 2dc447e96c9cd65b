"""工单类别 for intake forms: the company's own active categories in its order, never another
company's, as the application role sees them."""

from __future__ import annotations

from sqlalchemy import text

from tests.conftest import add_user

CATEGORIES = "{ caseCategories { code name } }"


async def test_intake_lists_only_the_callers_company_categories(gql, org, other_org, owner_engine):
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE case_categories SET name = '外司专用' WHERE org_id = :o AND code = 'noise'"), {"o": other_org.org_id})
        await conn.execute(text("UPDATE case_categories SET active = false WHERE org_id = :o AND code = 'pets'"), {"o": org.org_id})
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    mine = (await gql(CATEGORIES, token=await gql.login(org, "agent")))["data"]["caseCategories"]
    theirs = (await gql(CATEGORIES, token=await gql.login(other_org)))["data"]["caseCategories"]
    assert mine[0] == {"code": "water_power", "name": "水电"}
    assert {"code": "noise", "name": "噪音"} in mine and "pets" not in {c["code"] for c in mine}
    assert {"code": "noise", "name": "外司专用"} in theirs and "pets" in {c["code"] for c in theirs}
    anonymous = await gql(CATEGORIES)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
