"""统一话术 / 知识库 through the API (docs/centre-day.md §5): headquarters writes the company's
wording, a project keeps its own beside it and never edits the company's; every revision is a new
version; the intake search finds by Chinese words anywhere, title first, then the most used; uses
are counted per project. Another company's and another project's articles are not found."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tests.conftest import add_user

FIELDS = ("article { id kind kindLabel title body version tags categoryCodes priceFen priceUnit active uses project { id } "
          "versions { version title body note } } errors { code field message }")
CREATE = f"""mutation($p: ID, $k: KnowledgeKind!, $i: KnowledgeArticleInput!, $key: String) {{
  createKnowledgeArticle(projectId: $p, kind: $k, input: $i, idempotencyKey: $key) {{ {FIELDS} }} }}"""
REVISE = f"""mutation($a: ID!, $i: KnowledgeArticleInput!, $n: String) {{
  reviseKnowledgeArticle(articleId: $a, input: $i, note: $n) {{ {FIELDS} }} }}"""
ACTIVE = f"mutation($a: ID!, $on: Boolean!) {{ setKnowledgeArticleActive(articleId: $a, active: $on) {{ {FIELDS} }} }}"
USE = f"mutation($a: ID!, $p: ID!) {{ useKnowledgeArticle(articleId: $a, projectId: $p) {{ {FIELDS} }} }}"
SEARCH = """query($p: ID!, $t: String!, $k: KnowledgeKind, $c: String) {
  searchKnowledge(projectId: $p, text: $t, kind: $k, categoryCode: $c) { id title uses } }"""
LIST = """query($p: ID, $all: Boolean) { knowledgeArticles(projectId: $p, includeInactive: $all)
  { totalCount edges { node { id title project { id } } } } }"""
NODE = "query($a: ID!) { node(id: $a) { ... on KnowledgeArticle { id title } } }"

FEES = {"title": "物业费缴费方式", "body": "您好，物业费可在业主App、服务中心前台或银行转账缴纳。", "tags": ["物业费", "缴费"],
        "categoryCodes": []}
PARKING = {"title": "临时停车收费标准", "body": "访客车辆首小时免费，之后每小时5元。", "tags": ["停车"]}


@pytest.fixture
async def desk(gql, owner_engine, org, other_org):
    for name, role, project in (("hq", "hq_quality", None), ("pm1", "project_manager", "P1"), ("agent1", "cs_agent", "P1"),
                                ("pm2", "project_manager", "P2")):
        await add_user(owner_engine, org, name, role, project)
    return {n: await gql.login(org, n) for n in ("hq", "pm1", "agent1", "pm2")} | {
        "stranger": await gql.login(other_org), "p1": to_global_id("Project", org.projects["P1"]),
        "p2": to_global_id("Project", org.projects["P2"]), "other_p": to_global_id("Project", other_org.projects["P1"])}


def ok(reply, name):
    assert "errors" not in reply, reply
    payload = reply["data"][name]
    assert payload["errors"] == [], payload
    return payload["article"]


def refused(reply, name):
    assert "errors" not in reply, reply
    return reply["data"][name]["errors"][0]


async def test_the_company_writes_one_wording_and_a_project_keeps_its_own(gql, desk):
    company = ok(await gql(CREATE, {"k": "WORDING", "i": FEES, "key": "k1"}, token=desk["hq"]), "createKnowledgeArticle")
    assert (company["project"], company["version"], company["kindLabel"]) == (None, 1, "话术")
    again = ok(await gql(CREATE, {"k": "WORDING", "i": FEES, "key": "k1"}, token=desk["hq"]), "createKnowledgeArticle")
    assert again["id"] == company["id"]  # the same key: the same article
    own = ok(await gql(CREATE, {"p": desk["p1"], "k": "ANSWER", "i": PARKING}, token=desk["pm1"]), "createKnowledgeArticle")
    assert own["project"] == {"id": desk["p1"]}

    # A project manager holds knowledge:manage on the project only: not the company's wording.
    e = refused(await gql(CREATE, {"k": "WORDING", "i": FEES}, token=desk["pm1"]), "createKnowledgeArticle")
    assert e["code"] == "FORBIDDEN"
    e = refused(await gql(REVISE, {"a": company["id"], "i": FEES | {"body": "改"}}, token=desk["pm1"]), "reviseKnowledgeArticle")
    assert e["code"] == "FORBIDDEN"
    # Nor another project's: P2's manager does not see P1's article at all.
    e = refused(await gql(REVISE, {"a": own["id"], "i": PARKING}, token=desk["pm2"]), "reviseKnowledgeArticle")
    assert (e["code"], e["field"]) == ("NOT_FOUND", "articleId")
    # A CS agent reads and uses wordings, and writes none.
    r = await gql(CREATE, {"p": desk["p1"], "k": "ANSWER", "i": PARKING}, token=desk["agent1"])
    assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    listed = (await gql(LIST, {"p": desk["p1"]}, token=desk["agent1"]))["data"]["knowledgeArticles"]
    assert [e["node"]["id"] for e in listed["edges"]] == [company["id"], own["id"]]  # the company's first
    listed = (await gql(LIST, {"p": desk["p2"]}, token=desk["pm2"]))["data"]["knowledgeArticles"]
    assert [e["node"]["id"] for e in listed["edges"]] == [company["id"]]


async def test_revisions_are_versions_and_inactive_articles_are_not_found_at_intake(gql, desk):
    a = ok(await gql(CREATE, {"k": "WORDING", "i": FEES}, token=desk["hq"]), "createKnowledgeArticle")
    b = ok(await gql(REVISE, {"a": a["id"], "i": FEES | {"body": "物业费可通过业主App在线缴纳。"}, "n": "去掉银行转账"},
                     token=desk["hq"]), "reviseKnowledgeArticle")
    assert b["version"] == 2 and b["body"] == "物业费可通过业主App在线缴纳。"
    assert [(v["version"], v["note"]) for v in b["versions"]] == [(2, "去掉银行转账"), (1, None)]
    assert b["versions"][1]["body"] == FEES["body"]  # the first version as it was written
    assert [r["id"] for r in (await gql(SEARCH, {"p": desk["p1"], "t": "物业费"}, token=desk["agent1"]))["data"]["searchKnowledge"]] \
        == [a["id"]]
    off = ok(await gql(ACTIVE, {"a": a["id"], "on": False}, token=desk["hq"]), "setKnowledgeArticleActive")
    assert off["active"] is False
    assert (await gql(SEARCH, {"p": desk["p1"], "t": "物业费"}, token=desk["agent1"]))["data"]["searchKnowledge"] == []
    e = refused(await gql(USE, {"a": a["id"], "p": desk["p1"]}, token=desk["agent1"]), "useKnowledgeArticle")
    assert e["code"] == "NOT_FOUND"
    listed = (await gql(LIST, {"all": True}, token=desk["hq"]))["data"]["knowledgeArticles"]
    assert listed["totalCount"] == 1


async def test_search_finds_chinese_words_anywhere_title_first_then_the_most_used(gql, desk):
    in_body = ok(await gql(CREATE, {"k": "ANSWER", "i": {"title": "访客来访登记", "body": "访客车辆停车需登记车牌。"}},
                           token=desk["hq"]), "createKnowledgeArticle")
    in_title = ok(await gql(CREATE, {"k": "ANSWER", "i": PARKING}, token=desk["hq"]), "createKnowledgeArticle")
    tagged = ok(await gql(CREATE, {"k": "SERVICE", "i": {"title": "车位清洗", "body": "地下车库车位高压清洗。", "tags": ["停车"],
                                                          "priceFen": 5000, "priceUnit": "次"}},
                          token=desk["hq"]), "createKnowledgeArticle")
    assert (tagged["priceFen"], tagged["priceUnit"]) == (5000, "次")
    found = (await gql(SEARCH, {"p": desk["p1"], "t": "停车"}, token=desk["agent1"]))["data"]["searchKnowledge"]
    assert [r["id"] for r in found][0] == in_title["id"] and {r["id"] for r in found} == {in_body["id"], in_title["id"], tagged["id"]}
    for _ in range(2):
        ok(await gql(USE, {"a": tagged["id"], "p": desk["p1"]}, token=desk["agent1"]), "useKnowledgeArticle")
    ok(await gql(USE, {"a": in_body["id"], "p": desk["p1"]}, token=desk["agent1"]), "useKnowledgeArticle")
    found = (await gql(SEARCH, {"p": desk["p1"], "t": "停车"}, token=desk["agent1"]))["data"]["searchKnowledge"]
    assert [(r["id"], r["uses"]) for r in found] == [(in_title["id"], 0), (tagged["id"], 2), (in_body["id"], 1)]
    # Every word must be there; LIKE's own characters are text.
    both = (await gql(SEARCH, {"p": desk["p1"], "t": "访客 车牌"}, token=desk["agent1"]))["data"]["searchKnowledge"]
    assert [r["id"] for r in both] == [in_body["id"]]
    assert (await gql(SEARCH, {"p": desk["p1"], "t": "%"}, token=desk["agent1"]))["data"]["searchKnowledge"] == []
    only_services = (await gql(SEARCH, {"p": desk["p1"], "t": "停车", "k": "SERVICE"}, token=desk["agent1"]))["data"]
    assert [r["id"] for r in only_services["searchKnowledge"]] == [tagged["id"]]
    # A category without words: the articles that name it.
    ok(await gql(CREATE, {"k": "ANSWER", "i": {"title": "车位纠纷处理", "body": "先核对车位产权。", "categoryCodes": ["parking"]}},
                 token=desk["hq"]), "createKnowledgeArticle")
    by_category = (await gql(SEARCH, {"p": desk["p1"], "t": "", "c": "parking"}, token=desk["agent1"]))["data"]["searchKnowledge"]
    assert [r["title"] for r in by_category] == ["车位纠纷处理"]
    # P2's desk has used nothing.
    p2 = (await gql(SEARCH, {"p": desk["p2"], "t": "停车"}, token=desk["pm2"]))["data"]["searchKnowledge"]
    assert all(r["uses"] == 0 for r in p2)


async def test_bad_input_gets_a_coded_error_and_writes_nothing(gql, desk, owner_engine, org):
    cases = [
        ({"k": "WORDING", "i": FEES | {"title": ""}}, "title"),
        ({"k": "WORDING", "i": FEES | {"body": "长" * 10_001}}, "body"),
        ({"k": "WORDING", "i": FEES | {"priceFen": 100}}, "priceFen"),
        ({"k": "SERVICE", "i": FEES | {"priceUnit": "次"}}, "priceFen"),
        ({"k": "WORDING", "i": FEES | {"tags": [str(i) for i in range(11)]}}, "tags"),
        ({"k": "WORDING", "i": FEES | {"categoryCodes": ["no_such_category"]}}, "categoryCodes"),
    ]
    for variables, field in cases:
        e = refused(await gql(CREATE, variables, token=desk["hq"]), "createKnowledgeArticle")
        assert (e["code"], e["field"]) == ("VALIDATION", field), (variables, e)
    bad = (await gql(SEARCH, {"p": desk["p1"], "t": " "}, token=desk["agent1"]))["errors"][0]
    assert bad["extensions"]["code"] == "VALIDATION"
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM knowledge_articles WHERE org_id = :o"),
                                   {"o": org.org_id})).scalar_one() == 0


async def test_another_company_sees_and_changes_nothing(gql, desk, owner_engine, org):
    a = ok(await gql(CREATE, {"k": "WORDING", "i": FEES}, token=desk["hq"]), "createKnowledgeArticle")
    own = ok(await gql(CREATE, {"p": desk["p1"], "k": "ANSWER", "i": PARKING}, token=desk["pm1"]), "createKnowledgeArticle")
    s = desk["stranger"]
    assert (await gql(LIST, {}, token=s))["data"]["knowledgeArticles"]["totalCount"] == 0
    for article in (a, own):
        assert (await gql(NODE, {"a": article["id"]}, token=s))["data"]["node"] is None
        assert refused(await gql(REVISE, {"a": article["id"], "i": FEES}, token=s), "reviseKnowledgeArticle")["code"] == "NOT_FOUND"
        assert refused(await gql(ACTIVE, {"a": article["id"], "on": False}, token=s),
                       "setKnowledgeArticleActive")["code"] == "NOT_FOUND"
        assert refused(await gql(USE, {"a": article["id"], "p": desk["other_p"]}, token=s),
                       "useKnowledgeArticle")["code"] == "NOT_FOUND"
    # Our project's id from the stranger: not found, and a search there sees nothing of ours.
    r = await gql(SEARCH, {"p": desk["p1"], "t": "物业费"}, token=s)
    assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await gql(SEARCH, {"p": desk["other_p"], "t": "物业费"}, token=s))["data"]["searchKnowledge"] == []
    # A project's own article is not for another project's desk, even of the same company.
    e = refused(await gql(USE, {"a": own["id"], "p": desk["p2"]}, token=desk["hq"]), "useKnowledgeArticle")
    assert e["code"] == "NOT_FOUND"
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT version, active, (SELECT count(*) FROM knowledge_uses u WHERE u.org_id = :o) AS uses "
                                       "FROM knowledge_articles WHERE id = :a"),
                                  {"o": org.org_id, "a": from_global_id(a["id"], "KnowledgeArticle", "a")})).one()
    assert (row.version, row.active, row.uses) == (1, True, 0)
