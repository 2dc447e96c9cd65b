"""The directory's administration mutations take idempotency keys: a retry with the same key answers
the first result and writes nothing more, the same key with other input is a CONFLICT, and another
company's admin sending the same key string gets its own row, never the first company's result."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.conftest import PASSWORD, add_user

CREATE_PROJECT = ("mutation($i: CreateProjectInput!, $k: String) { createProject(input: $i, idempotencyKey: $k) { "
                  "project { id code name } errors { code field } } }")
CREATE_STAFF = ("mutation($i: CreateStaffInput!, $k: String) { createStaff(input: $i, idempotencyKey: $k) { "
                "staffId errors { code field } } }")
CREATE_USER = ("mutation($i: CreateUserInput!, $k: String) { createUser(input: $i, idempotencyKey: $k) { "
               "user { id username } errors { code field } } }")
ASSIGN_ROLE = ("mutation($i: AssignRoleInput!, $k: String) { assignRole(input: $i, idempotencyKey: $k) { "
               "assignmentId errors { code field } } }")
REVOKE_ROLE = ("mutation($a: ID!, $k: String) { revokeRole(assignmentId: $a, idempotencyKey: $k) { "
               "ok errors { code field } } }")
REVOKE_API_KEY = "mutation($id: ID!, $k: String) { revokeApiKey(id: $id, idempotencyKey: $k) { ok errors { code field } } }"
KEY = "admin-retry-1"


async def keyed_twice_then_other(gql, token: str, query: str, name: str, sent: dict[str, Any],
                                 other: dict[str, Any]) -> dict[str, Any]:
    """Sends `sent` twice and `other` once under one key; answers the first payload."""
    first = (await gql(query, {**sent, "k": KEY}, token=token))["data"][name]
    assert first["errors"] == [], first
    again = (await gql(query, {**sent, "k": KEY}, token=token))["data"][name]
    assert again == first, "the same key answers the first result"
    clash = (await gql(query, {**other, "k": KEY}, token=token))["data"][name]
    assert [(e["code"], e["field"]) for e in clash["errors"]] == [("CONFLICT", "idempotencyKey")], clash
    return first


async def count(owner_engine, sql: str, **params: Any) -> int:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar_one()


async def assignment_of(owner_engine, user_id) -> str:
    async with owner_engine.connect() as conn:
        found = (await conn.execute(text("SELECT id FROM role_assignments WHERE user_id = :u"), {"u": user_id})).scalar_one()
    return to_global_id("RoleAssignment", found)


async def test_create_project_with_a_key_makes_one_project(gql, org, other_org, owner_engine):
    sent = {"i": {"code": "XH-9", "name": "翠湖花园九期", "propertyType": "RESIDENTIAL"}}
    first = await keyed_twice_then_other(gql, await gql.login(org), CREATE_PROJECT, "createProject", sent,
                                         {"i": {**sent["i"], "name": "另一个项目"}})
    projects = "SELECT count(*) FROM projects WHERE org_id = :o AND code = 'XH-9'"
    created = "SELECT count(*) FROM outbox WHERE org_id = :o AND topic = 'project.created'"
    assert await count(owner_engine, projects, o=org.org_id) == 1
    assert await count(owner_engine, created, o=org.org_id) == 3  # the fixture's two and this one

    theirs = (await gql(CREATE_PROJECT, {**sent, "k": KEY}, token=await gql.login(other_org)))["data"]["createProject"]
    assert theirs["errors"] == [] and theirs["project"]["id"] != first["project"]["id"]
    assert await count(owner_engine, projects, o=other_org.org_id) == 1


async def test_create_staff_with_a_key_makes_one_staff_member(gql, org, other_org, owner_engine):
    sent = {"i": {"name": "总部品质专员", "title": "专员"}}
    first = await keyed_twice_then_other(gql, await gql.login(org), CREATE_STAFF, "createStaff", sent,
                                         {"i": {**sent["i"], "title": "主管"}})
    staff = "SELECT count(*) FROM staff WHERE org_id = :o AND name = '总部品质专员'"
    assert await count(owner_engine, staff, o=org.org_id) == 1

    theirs = (await gql(CREATE_STAFF, {**sent, "k": KEY}, token=await gql.login(other_org)))["data"]["createStaff"]
    assert theirs["errors"] == [] and theirs["staffId"] != first["staffId"]
    assert await count(owner_engine, staff, o=other_org.org_id) == 1


async def test_create_user_with_a_key_makes_one_login(gql, org, other_org, owner_engine):
    sent = {"i": {"username": "li.agent", "displayName": "李客服", "password": PASSWORD}}
    first = await keyed_twice_then_other(gql, await gql.login(org), CREATE_USER, "createUser", sent,
                                         {"i": {**sent["i"], "username": "li.agent2"}})
    users = "SELECT count(*) FROM users WHERE org_id = :o AND username LIKE 'li.agent%'"
    assert await count(owner_engine, users, o=org.org_id) == 1

    theirs = (await gql(CREATE_USER, {**sent, "k": KEY}, token=await gql.login(other_org)))["data"]["createUser"]
    assert theirs["errors"] == [] and theirs["user"]["id"] != first["user"]["id"]
    assert await count(owner_engine, users, o=other_org.org_id) == 1


async def test_assign_role_with_a_key_grants_once(gql, org, other_org, owner_engine):
    user = await add_user(owner_engine, org, "zhou", "cs_agent", "P1")
    p1 = to_global_id("Project", org.projects["P1"])
    sent = {"i": {"userId": to_global_id("User", user), "role": "TECHNICIAN", "projectId": p1}}
    first = await keyed_twice_then_other(gql, await gql.login(org), ASSIGN_ROLE, "assignRole", sent,
                                         {"i": {**sent["i"], "role": "CS_SUPERVISOR"}})
    grants = "SELECT count(*) FROM role_assignments WHERE org_id = :o AND user_id = :u"
    assert await count(owner_engine, grants, o=org.org_id, u=user) == 2  # cs_agent and the one technician grant

    their_user = await add_user(owner_engine, other_org, "zhou", "cs_agent", "P1")
    theirs = (await gql(ASSIGN_ROLE, {"i": {"userId": to_global_id("User", their_user), "role": "TECHNICIAN",
                                            "projectId": to_global_id("Project", other_org.projects["P1"])}, "k": KEY},
                        token=await gql.login(other_org)))["data"]["assignRole"]
    assert theirs["errors"] == [] and theirs["assignmentId"] != first["assignmentId"]
    assert await count(owner_engine, grants, o=other_org.org_id, u=their_user) == 2


async def test_revoke_role_with_a_key_revokes_once(gql, org, other_org, owner_engine):
    """Without a key a second revocation is NOT_FOUND; with one it answers the first `ok`."""
    gone = await assignment_of(owner_engine, await add_user(owner_engine, org, "wu", "technician", "P1"))
    kept_user = await add_user(owner_engine, org, "zheng", "technician", "P1")
    await keyed_twice_then_other(gql, await gql.login(org), REVOKE_ROLE, "revokeRole", {"a": gone},
                                 {"a": await assignment_of(owner_engine, kept_user)})
    revoked = "SELECT count(*) FROM audit_log WHERE org_id = :o AND action = 'role.revoked'"
    assert await count(owner_engine, revoked, o=org.org_id) == 1
    grants = "SELECT count(*) FROM role_assignments WHERE user_id = :u"
    assert await count(owner_engine, grants, u=kept_user) == 1

    their_user = await add_user(owner_engine, other_org, "wu", "technician", "P1")
    theirs = (await gql(REVOKE_ROLE, {"a": await assignment_of(owner_engine, their_user), "k": KEY},
                        token=await gql.login(other_org)))["data"]["revokeRole"]
    assert theirs == {"ok": True, "errors": []}
    assert await count(owner_engine, grants, u=their_user) == 0
    assert await count(owner_engine, revoked, o=other_org.org_id) == 1


async def test_revoke_api_key_with_a_key_revokes_once(gql, org, other_org, owner_engine):
    async def new_key(token: str, name: str) -> str:
        body = await gql("mutation($n: String!) { createApiKey(input: {name: $n}) { apiKey { id } } }", {"n": name}, token=token)
        return body["data"]["createApiKey"]["apiKey"]["id"]

    admin = await gql.login(org)
    gone, kept = await new_key(admin, "旧系统"), await new_key(admin, "新系统")
    await keyed_twice_then_other(gql, admin, REVOKE_API_KEY, "revokeApiKey", {"id": gone}, {"id": kept})
    revoked = "SELECT count(*) FROM audit_log WHERE org_id = :o AND action = 'api_key.revoked'"
    assert await count(owner_engine, revoked, o=org.org_id) == 1
    listed = (await gql("{ organization { apiKeys { id revokedAt } } }", token=admin))["data"]["organization"]["apiKeys"]
    assert {k["id"]: k["revokedAt"] is not None for k in listed} == {gone: True, kept: False}

    their_admin = await gql.login(other_org)
    theirs = await new_key(their_admin, "旧系统")
    body = await gql(REVOKE_API_KEY, {"id": theirs, "k": KEY}, token=their_admin)
    assert body["data"]["revokeApiKey"] == {"ok": True, "errors": []}
    listed = (await gql("{ organization { apiKeys { id revokedAt } } }", token=their_admin))["data"]["organization"]["apiKeys"]
    assert [(k["id"], k["revokedAt"] is not None) for k in listed] == [(theirs, True)]
    assert await count(owner_engine, revoked, o=other_org.org_id) == 1
