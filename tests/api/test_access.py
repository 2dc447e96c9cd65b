"""Who sees what, through the real ASGI app."""

from __future__ import annotations

from api.graphql.types.node import to_global_id
from tests.conftest import add_user, make_org

PROJECTS = "{ projects(first: 50) { totalCount edges { node { id code } } } }"


def codes(body) -> list[str]:
    return sorted(e["node"]["code"] for e in body["data"]["projects"]["edges"])


async def test_project_manager_sees_only_its_project(gql, owner_engine, org, other_org):
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    token = await gql.login(org, "pm1")
    body = await gql(PROJECTS, token=token)
    assert codes(body) == ["P1"] and body["data"]["projects"]["totalCount"] == 1
    p2 = to_global_id("Project", org.projects["P2"])
    foreign = to_global_id("Project", other_org.projects["P1"])
    body = await gql("query($a: ID!, $b: ID!) { a: project(id: $a) { code } b: project(id: $b) { code } }",
                     {"a": p2, "b": foreign}, token=token)
    assert body["data"] == {"a": None, "b": None}
    body = await gql("query($id: ID!) { node(id: $id) { id } }", {"id": p2}, token=token)
    assert body["data"]["node"] is None
    viewer = await gql("{ viewer { allProjects roles { role project { code } } } }", token=token)
    assert viewer["data"]["viewer"] == {"allProjects": False, "roles": [{"role": "PROJECT_MANAGER", "project": {"code": "P1"}}]}


async def test_viewer_tells_what_each_role_allows_in_its_project(gql, owner_engine, org):
    """Company-wide permissions leave out what a project role allows; each grant says it, so a
    client can offer an action on a case of that project (the API still decides)."""
    await add_user(owner_engine, org, "tech1", "technician", "P1")
    token = await gql.login(org, "tech1")
    viewer = (await gql("{ viewer { permissions roles { role permissions project { code } } } }", token=token))["data"]["viewer"]
    assert "CASE_WORK" not in viewer["permissions"]
    (grant,) = viewer["roles"]
    assert (grant["role"], grant["project"]["code"]) == ("TECHNICIAN", "P1")
    # A technician also walks patrols and reports the hazards met on the way (docs/centre-day.md §9).
    assert sorted(grant["permissions"]) == ["CASE_CREATE", "CASE_READ", "CASE_WORK", "HAZARD_REPORT", "ORG_READ", "PATROL_RECORD",
                                           "PROJECT_READ"]


async def test_hq_supervisor_sees_every_project_of_its_company_and_nothing_else(gql, owner_engine, org, other_org):
    await add_user(owner_engine, org, "hq1", "hq_supervisor", None)
    token = await gql.login(org, "hq1")
    assert codes(await gql(PROJECTS, token=token)) == ["P1", "P2"]
    foreign = to_global_id("Project", other_org.projects["P1"])
    assert (await gql("query($id: ID!) { project(id: $id) { code } }", {"id": foreign}, token=token))["data"]["project"] is None
    body = await gql("{ organization { slug projects { totalCount } } }", token=token)
    assert body["data"]["organization"] == {"slug": org.slug, "projects": {"totalCount": 2}}


async def test_api_key_scoped_to_two_projects_sees_exactly_those(gql, owner_engine):
    org = await make_org(owner_engine, n_projects=3)
    admin = await gql.login(org)
    ids = [to_global_id("Project", org.projects[c]) for c in ("P1", "P3")]
    body = await gql(
        "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { prefix projectIds access } errors { code } } }",
        {"i": {"name": "BI 工具", "projectIds": ids}}, token=admin,
    )
    created = body["data"]["createApiKey"]
    assert created["errors"] == [] and sorted(created["apiKey"]["projectIds"]) == sorted(ids)
    key = created["secret"]
    assert key.startswith(created["apiKey"]["prefix"] + ".")
    assert codes(await gql(PROJECTS, api_key=key)) == ["P1", "P3"]
    viewer = await gql("{ viewer { kind user { id } allProjects } }", api_key=key)
    assert viewer["data"]["viewer"] == {"kind": "API_KEY", "user": None, "allProjects": False}
    # A read key cannot write; the permission gate answers with a code.
    body = await gql('mutation { createProject(input: {code: "X", name: "x", propertyType: OFFICE}) { errors { code } } }', api_key=key)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_api_key_of_whole_company_and_bearer_form(gql, owner_engine, org, client):
    admin = await gql.login(org)
    body = await gql('mutation { createApiKey(input: {name: "全公司"}) { secret } }', token=admin)
    key = body["data"]["createApiKey"]["secret"]
    r = await client.post("/graphql", json={"query": PROJECTS}, headers={"authorization": f"Bearer {key}"})
    assert codes(r.json()) == ["P1", "P2"]


async def test_every_role_logs_in_and_reads_within_its_scope(gql, owner_engine, org):
    for i, role in enumerate(["cs_supervisor", "cs_agent", "dispatcher", "technician", "staff"]):
        await add_user(owner_engine, org, f"u{i}", role, "P2")
        token = await gql.login(org, f"u{i}")
        assert codes(await gql(PROJECTS, token=token)) == ["P2"], role
