"""Free-text search in the cases list: Chinese words in the description, the case number, the
place; wildcards taken literally; another company's cases never found."""

from __future__ import annotations

from tests.api.conftest import REGISTER, case_input
from tests.conftest import add_user, make_org

SEARCH = "query($t: String) { cases(filter: {text: $t}) { totalCount edges { node { number description } } } }"


async def _register(gql, desk, **over):
    body = await gql(REGISTER, {"i": case_input(desk, **over)}, token=desk["agent"][1])
    assert body["data"]["registerCase"]["errors"] == [], body
    return body["data"]["registerCase"]["case"]


async def test_finds_chinese_words_numbers_and_places(gql, desk):
    leak = await _register(gql, desk, description="厨房水龙头漏水，地面已经积水")
    await _register(gql, desk, description="楼上装修噪音太大，晚上十点还在施工")
    await _register(gql, desk, description="电梯按钮失灵", unitId=None, publicArea="二号楼电梯厅")
    sup = desk["sup"][1]

    async def numbers(text):
        data = (await gql(SEARCH, {"t": text}, token=sup))["data"]["cases"]
        return sorted(e["node"]["description"] for e in data["edges"]), data["totalCount"]

    assert await numbers("漏水") == (["厨房水龙头漏水，地面已经积水"], 1)
    assert await numbers("水龙头漏") == (["厨房水龙头漏水，地面已经积水"], 1)
    assert (await numbers("电梯"))[1] == 1  # description and place
    assert (await numbers("二号楼电梯厅"))[1] == 1  # the place alone
    assert (await numbers(leak["number"]))[0] == ["厨房水龙头漏水，地面已经积水"]
    assert (await numbers("  噪音 "))[1] == 1  # surrounding spaces do not count
    assert (await numbers("停车位"))[1] == 0


async def test_wildcards_are_searched_for_literally(gql, desk):
    await _register(gql, desk, description="折扣100%_全免")
    await _register(gql, desk, description="普通报修")
    sup = desk["sup"][1]
    for text, expected in (("100%", 1), ("%_", 1), ("%%", 0), ("__", 0)):
        assert (await gql(SEARCH, {"t": text}, token=sup))["data"]["cases"]["totalCount"] == expected, text


async def test_too_short_or_too_long_text_is_a_validation_error(gql, desk):
    for text in ("水", " ", "水" * 101):
        body = await gql(SEARCH, {"t": text}, token=desk["sup"][1])
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "VALIDATION", text


async def test_another_company_finds_nothing(gql, desk, owner_engine):
    await _register(gql, desk, description="厨房水龙头漏水")
    other = await make_org(owner_engine)
    await add_user(owner_engine, other, "sup2", "cs_supervisor", "P1")
    token = await gql.login(other, "sup2")
    assert (await gql(SEARCH, {"t": "漏水"}, token=token))["data"]["cases"] == {"totalCount": 0, "edges": []}
    await gql.login(other)
    admin = await gql.login(other)
    assert (await gql(SEARCH, {"t": "漏水"}, token=admin))["data"]["cases"]["totalCount"] == 0
