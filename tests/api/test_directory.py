"""Reading the company's people: users with roles, project staff with masked phones, and the
audited reveal of a full number."""

from __future__ import annotations

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.conftest import add_user

STAFF = "query($p: ID!) { project(id: $p) { staff { id name phoneMasked departmentKind } } }"
REVEAL = "mutation($s: ID!) { revealStaffPhone(staffId: $s) { value errors { code } } }"


async def _staff(gql, org, token, name: str, project: str, phone: str) -> str:
    body = await gql("mutation($i: CreateStaffInput!) { createStaff(input: $i) { staffId errors { code } } }",
                     {"i": {"name": name, "projectId": to_global_id("Project", org.projects[project]), "phone": phone}}, token=token)
    return body["data"]["createStaff"]["staffId"]


async def test_admin_pages_through_users_with_their_roles(gql, org, owner_engine):
    for i in range(3):
        await add_user(owner_engine, org, f"user{i}", "cs_agent", "P1")
    admin = await gql.login(org)
    q = ("query($a: String) { organization { users(first: 2, after: $a) { totalCount pageInfo { hasNextPage endCursor } "
         "edges { node { username roles { role assignmentId project { code } } } } } } }")
    first = (await gql(q, {"a": None}, token=admin))["data"]["organization"]["users"]
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"]
    assert [e["node"]["username"] for e in first["edges"]] == ["admin", "user0"]
    assert first["edges"][0]["node"]["roles"][0]["role"] == "ORG_ADMIN"
    rest = (await gql(q, {"a": first["pageInfo"]["endCursor"]}, token=admin))["data"]["organization"]["users"]
    assert [e["node"]["username"] for e in rest["edges"]] == ["user1", "user2"] and not rest["pageInfo"]["hasNextPage"]
    assert rest["totalCount"] == 4
    assert rest["edges"][0]["node"]["roles"][0]["project"]["code"] == "P1"
    assert rest["edges"][0]["node"]["roles"][0]["assignmentId"]


async def test_users_list_is_for_org_admins(gql, org, owner_engine):
    await add_user(owner_engine, org, "pm3", "project_manager", "P1")
    pm = await gql.login(org, "pm3")
    body = await gql("{ organization { users { totalCount } } }", token=pm)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_staff_phone_is_masked_and_reveal_is_audited_and_scoped(gql, org, other_org, owner_engine):
    admin = await gql.login(org)
    s1 = await _staff(gql, org, admin, "赵工", "P1", "13912345678")
    s2 = await _staff(gql, org, admin, "钱工", "P2", "13687654321")
    await add_user(owner_engine, org, "pm4", "project_manager", "P1")
    await add_user(owner_engine, org, "tech4", "technician", "P1")
    pm = await gql.login(org, "pm4")
    body = await gql(STAFF, {"p": to_global_id("Project", org.projects["P1"])}, token=pm)
    assert {"id": s1, "name": "赵工", "phoneMasked": "139****5678", "departmentKind": None} in body["data"]["project"]["staff"]
    assert "13912345678" not in str(body)

    assert (await gql(REVEAL, {"s": s1}, token=pm))["data"]["revealStaffPhone"] == {"value": "13912345678", "errors": []}
    async with owner_engine.connect() as conn:
        audit = (await conn.execute(text("SELECT actor, data FROM audit_log WHERE org_id = :o AND action = 'personal_data.revealed'"),
                                    {"o": org.org_id})).all()
    assert len(audit) == 1 and audit[0].actor.startswith("user:") and audit[0].data == {"field": "phone"}

    # Another project's staff: invisible to this manager. A technician may not reveal at all.
    assert (await gql(REVEAL, {"s": s2}, token=pm))["data"]["revealStaffPhone"]["errors"][0]["code"] == "NOT_FOUND"
    tech = await gql.login(org, "tech4")
    assert (await gql(REVEAL, {"s": s1}, token=tech))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Another company's admin: nothing found, nothing audited there.
    other_admin = await gql.login(other_org)
    assert (await gql(REVEAL, {"s": s1}, token=other_admin))["data"]["revealStaffPhone"]["errors"][0]["code"] == "NOT_FOUND"
    assert (await gql(STAFF, {"p": to_global_id("Project", org.projects["P1"])}, token=other_admin))["data"]["project"] is None
