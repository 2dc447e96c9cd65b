"""工单类别 The company's case categories: listed with both labels, managed by its admin, archived
ones refusing new cases while old cases keep them — and one company's taxonomy is its own."""

from __future__ import annotations

from tests.api.conftest import REGISTER, case_input
from tests.conftest import add_user

LIST = ("query($k: CaseKind, $a: Boolean! = false) { caseCategories(kind: $k, includeArchived: $a) "
        "{ code name nameEn kinds sort archived } }")
FIELDS = "category { code name nameEn kinds sort archived } errors { code field message }"
ADD = "mutation($c: String!, $i: CaseCategoryInput!) { addCaseCategory(code: $c, input: $i) { %s } }" % FIELDS
UPDATE = "mutation($c: String!, $i: CaseCategoryInput!) { updateCaseCategory(code: $c, input: $i) { %s } }" % FIELDS
ARCHIVE = "mutation($c: String!, $a: Boolean!) { setCaseCategoryArchived(code: $c, archived: $a) { %s } }" % FIELDS


def codes(body) -> list[str]:
    return [c["code"] for c in body["data"]["caseCategories"]]


async def test_the_taxonomy_lists_codes_with_chinese_and_english_labels(gql, org, desk):
    body = await gql(LIST, token=desk["agent"][1])
    categories = body["data"]["caseCategories"]
    assert len(categories) == 16 and categories[0] == {"code": "water_power", "name": "水电", "nameEn": "Water and power",
                                                       "kinds": None, "sort": 0, "archived": False}
    assert [c["sort"] for c in categories] == sorted(c["sort"] for c in categories)
    assert all(c["nameEn"] and c["name"] != c["nameEn"] for c in categories)


async def test_an_admin_adds_a_category_for_some_kinds_and_registration_follows_it(gql, org, desk):
    admin = await gql.login(org)
    added = await gql(ADD, {"c": "lift_noise", "i": {"name": "电梯异响", "nameEn": "Lift noise", "kinds": ["REPAIR", "COMPLAINT"]}},
                      token=admin)
    assert added["data"]["addCaseCategory"] == {"category": {"code": "lift_noise", "name": "电梯异响", "nameEn": "Lift noise",
                                                             "kinds": ["REPAIR", "COMPLAINT"], "sort": 16, "archived": False},
                                                "errors": []}
    assert "lift_noise" in codes(await gql(LIST, {"k": "REPAIR"}, token=admin))
    assert "lift_noise" not in codes(await gql(LIST, {"k": "INQUIRY"}, token=admin))
    wrong_kind = await gql(REGISTER, {"i": case_input(desk, category="lift_noise", kind="INQUIRY")}, token=desk["agent"][1])
    assert [(e["code"], e["field"]) for e in wrong_kind["data"]["registerCase"]["errors"]] == [("VALIDATION", "category")]
    ok = await gql(REGISTER, {"i": case_input(desk, category="lift_noise", kind="REPAIR")}, token=desk["agent"][1])
    assert ok["data"]["registerCase"]["case"]["category"] == {"name": "电梯异响"}
    again = await gql(ADD, {"c": "lift_noise", "i": {"name": "重复", "nameEn": "Again"}}, token=admin)
    assert [(e["code"], e["field"]) for e in again["data"]["addCaseCategory"]["errors"]] == [("CONFLICT", "code")]
    for code, labels, field in (("Bad Code", {"name": "x", "nameEn": "x"}, "code"), ("ok_code", {"name": " ", "nameEn": "x"}, "name"),
                                ("ok_code", {"name": "x", "nameEn": "x", "kinds": []}, "kinds")):
        refused = await gql(ADD, {"c": code, "i": labels}, token=admin)
        assert [(e["code"], e["field"]) for e in refused["data"]["addCaseCategory"]["errors"]] == [("VALIDATION", field)]


async def test_an_archived_category_refuses_new_cases_and_its_cases_keep_it(gql, org, desk):
    admin = await gql.login(org)
    old = (await gql(REGISTER, {"i": case_input(desk, category="pets")}, token=desk["agent"][1]))["data"]["registerCase"]["case"]
    renamed = await gql(UPDATE, {"c": "pets", "i": {"name": "宠物管理", "nameEn": "Pet control"}}, token=admin)
    assert renamed["data"]["updateCaseCategory"]["category"]["name"] == "宠物管理"
    archived = await gql(ARCHIVE, {"c": "pets", "a": True}, token=admin)
    assert archived["data"]["setCaseCategoryArchived"]["category"]["archived"] is True
    refused = await gql(REGISTER, {"i": case_input(desk, category="pets")}, token=desk["agent"][1])
    [error] = refused["data"]["registerCase"]["errors"]
    assert (error["code"], error["field"]) == ("CATEGORY_ARCHIVED", "category") and "pets" in error["message"]
    kept = await gql("query($id: ID!) { case(id: $id) { category { code name nameEn archived } } }", {"id": old["id"]},
                     token=desk["agent"][1])
    assert kept["data"]["case"]["category"] == {"code": "pets", "name": "宠物管理", "nameEn": "Pet control", "archived": True}
    listed = await gql("{ cases(first: 5) { edges { node { category { code nameEn archived } } } } }", token=desk["agent"][1])
    assert [e["node"]["category"] for e in listed["data"]["cases"]["edges"]] == [
        {"code": "pets", "nameEn": "Pet control", "archived": True}]
    assert "pets" not in codes(await gql(LIST, token=admin))
    assert "pets" in codes(await gql(LIST, {"a": True}, token=admin))
    await gql(ARCHIVE, {"c": "pets", "a": False}, token=admin)
    assert (await gql(REGISTER, {"i": case_input(desk, category="pets")}, token=desk["agent"][1]))["data"]["registerCase"]["errors"] == []


async def test_only_a_company_admin_manages_the_taxonomy(gql, owner_engine, org, desk):
    await add_user(owner_engine, org, "hq1", "hq_supervisor", None)
    for token in (desk["sup"][1], await gql.login(org, "hq1")):
        body = await gql(ARCHIVE, {"c": "pets", "a": True}, token=token)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "pets" in codes(await gql(LIST, token=desk["agent"][1]))


async def test_one_company_taxonomy_is_its_own(gql, org, other_org):
    admin, other = await gql.login(org), await gql.login(other_org)
    await gql(ADD, {"c": "lift_noise", "i": {"name": "电梯异响", "nameEn": "Lift noise"}}, token=admin)
    await gql(ARCHIVE, {"c": "noise", "a": True}, token=admin)
    theirs = codes(await gql(LIST, {"a": True}, token=other))
    assert "lift_noise" not in theirs and "noise" in codes(await gql(LIST, token=other))
    for query, variables in ((UPDATE, {"c": "lift_noise", "i": {"name": "改", "nameEn": "Changed"}}),
                             (ARCHIVE, {"c": "lift_noise", "a": True})):
        body = await gql(query, variables, token=other)
        [payload] = body["data"].values()
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("NOT_FOUND", "code")]
    # The other company may add the same code: codes are per company.
    same = await gql(ADD, {"c": "lift_noise", "i": {"name": "电梯噪音", "nameEn": "Lift noise"}}, token=other)
    assert same["data"]["addCaseCategory"]["errors"] == []
    mine = (await gql(LIST, token=admin))["data"]["caseCategories"]
    assert [c["name"] for c in mine if c["code"] == "lift_noise"] == ["电梯异响"]
