"""What a caller may do, as `viewer` tells it, and who may take a skip-level call through: HQ
supervisors and integrator keys granted the case transitions they need."""

from __future__ import annotations

from tests.api.conftest import REGISTER, case_input
from tests.conftest import add_user
from tenants.roles import API_KEY_READ, ROLE_PERMISSIONS, Role

VIEWER = "{ viewer { permissions projectPermissions { project { code } permissions } } }"
COMMIT = "mutation($c: ID!) { commitCase(caseId: $c) { case { state } errors { code message } } }"
LINK = "mutation($c: ID!, $e: ID!) { linkRepeatCase(caseId: $c, earlierCaseId: $e) { case { state } errors { code message } } }"
DISPATCH = ("mutation($c: ID!, $d: ID!) { dispatchCase(caseId: $c, assigneeId: $d) { case { state } errors { code } } }")
CREATE_KEY = ("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { access permissions grantedPermissions } "
              "errors { code field message } } }")


def names(permissions) -> list[str]:
    return sorted(p.name for p in permissions)


async def test_a_project_role_sees_what_it_may_do_in_its_project(gql, org, desk):
    viewer = (await gql(VIEWER, token=desk["agent"][1]))["data"]["viewer"]
    assert viewer["permissions"] == []
    [only] = viewer["projectPermissions"]
    assert only["project"] == {"code": "P1"} and sorted(only["permissions"]) == names(ROLE_PERMISSIONS[Role.CS_AGENT])
    assert "CASE_COMMIT" in only["permissions"] and "CASE_SUPERVISE" not in only["permissions"]


async def test_an_hq_role_holds_its_permissions_everywhere(gql, owner_engine, org):
    await add_user(owner_engine, org, "hq1", "hq_supervisor", None)
    body = await gql(VIEWER, token=await gql.login(org, "hq1"))
    assert sorted(body["data"]["viewer"]["permissions"]) == names(ROLE_PERMISSIONS[Role.HQ_SUPERVISOR])
    assert body["data"]["viewer"]["projectPermissions"] == []


async def test_a_key_of_some_projects_reads_company_wide_and_writes_only_there(gql, org):
    admin = await gql.login(org)
    p1 = (await gql("{ projects { edges { node { id code } } } }", token=admin))["data"]["projects"]["edges"]
    p1 = next(e["node"]["id"] for e in p1 if e["node"]["code"] == "P1")
    key = await gql(CREATE_KEY, {"i": {"name": "CTI", "access": "READ_WRITE", "projectIds": [p1],
                                       "permissions": ["CASE_CREATE", "CASE_COMMIT"]}}, token=admin)
    created = key["data"]["createApiKey"]
    assert created["apiKey"]["grantedPermissions"] is True
    assert sorted(created["apiKey"]["permissions"]) == sorted(names(API_KEY_READ) + ["CASE_CREATE", "CASE_COMMIT"])
    body = await gql(VIEWER, api_key=created["secret"])
    assert sorted(body["data"]["viewer"]["permissions"]) == names(API_KEY_READ)
    [only] = body["data"]["viewer"]["projectPermissions"]
    assert only["project"] == {"code": "P1"} and sorted(only["permissions"]) == sorted(names(API_KEY_READ) + ["CASE_COMMIT", "CASE_CREATE"])


async def test_hq_supervisor_commits_and_links_a_hotline_complaint(gql, owner_engine, org, desk):
    await add_user(owner_engine, org, "hq1", "hq_supervisor", None)
    hq = await gql.login(org, "hq1")
    earlier = (await gql(REGISTER, {"i": case_input(desk, kind="COMPLAINT")}, token=desk["agent"][1]))["data"]["registerCase"]
    call = await gql(REGISTER, {"i": case_input(desk, kind="COMPLAINT", channel="HQ_HOTLINE")}, token=hq)
    case = call["data"]["registerCase"]["case"]["id"]
    linked = await gql(LINK, {"c": case, "e": earlier["case"]["id"]}, token=hq)
    assert linked["data"]["linkRepeatCase"]["errors"] == []
    committed = await gql(COMMIT, {"c": case}, token=hq)
    assert committed["data"]["commitCase"] == {"case": {"state": "COMMITTED"}, "errors": []}


async def test_a_key_does_exactly_the_transitions_it_was_granted(gql, org, desk):
    admin = await gql.login(org)
    granted = (await gql(CREATE_KEY, {"i": {"name": "热线", "access": "READ_WRITE", "permissions": ["CASE_CREATE", "CASE_COMMIT"]}},
                         token=admin))["data"]["createApiKey"]["secret"]
    plain = (await gql(CREATE_KEY, {"i": {"name": "业主 App", "access": "READ_WRITE"}}, token=admin))["data"]["createApiKey"]["secret"]
    case = (await gql(REGISTER, {"i": case_input(desk)}, api_key=granted))["data"]["registerCase"]["case"]["id"]
    # Without a grant a read-write key keeps today's rights: it registers but does not promise.
    refused = await gql(COMMIT, {"c": case}, api_key=plain)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await gql(COMMIT, {"c": case}, api_key=granted))["data"]["commitCase"]["errors"] == []
    dispatched = await gql(DISPATCH, {"c": case, "d": desk["tech"][0]}, api_key=granted)
    assert dispatched["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_key_cannot_be_granted_what_stays_with_people(gql, org):
    admin = await gql.login(org)
    for access, permissions, field in (("READ_WRITE", ["CASE_SUPERVISE"], "permissions"), ("READ_WRITE", ["API_KEY_MANAGE"], "permissions"),
                                       ("READ", ["CASE_CREATE"], "access"), ("READ_WRITE", [], "permissions")):
        body = await gql(CREATE_KEY, {"i": {"name": "x", "access": access, "permissions": permissions}}, token=admin)
        [error] = body["data"]["createApiKey"]["errors"]
        assert (error["code"], error["field"]) == ("VALIDATION", field), (access, permissions)
    listed = await gql("{ organization { apiKeys { id } } }", token=admin)
    assert listed["data"]["organization"]["apiKeys"] == []
