"""Org-admin mutations: each does its work, writes its audit row and outbox event in the same
transaction, and cannot reach into another company."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.conftest import PASSWORD, add_user

CREATE_PROJECT = """mutation($i: CreateProjectInput!) { createProject(input: $i) {
  project { id code name propertyType propertyTypeLabel households departments { kind name } }
  errors { code field message } } }"""


async def test_create_project_writes_project_audit_and_outbox_together(gql, org, owner_engine):
    token = await gql.login(org)
    body = await gql(CREATE_PROJECT, {"i": {"code": "xh-2", "name": "翠湖花园二期", "propertyType": "RESIDENTIAL",
                                            "city": "杭州", "households": 1200}}, token=token)
    payload = body["data"]["createProject"]
    assert payload["errors"] == []
    project = payload["project"]
    assert project["code"] == "XH-2" and project["propertyTypeLabel"] == "住宅小区 Residential"
    assert {d["kind"] for d in project["departments"]} == {
        "customer_service", "engineering", "cleaning", "security", "greening", "quality", "admin"}
    async with owner_engine.connect() as conn:
        pid = (await conn.execute(text("SELECT id FROM projects WHERE org_id = :o AND code = 'XH-2'"), {"o": org.org_id})).scalar()
        outbox = (await conn.execute(text("SELECT topic, xmin::text FROM outbox WHERE org_id = :o AND project_id = :p"),
                                     {"o": org.org_id, "p": pid})).all()
        audit = (await conn.execute(text("SELECT action, actor, xmin::text FROM audit_log WHERE org_id = :o AND entity_id = :p"),
                                    {"o": org.org_id, "p": pid})).all()
        project_xmin = (await conn.execute(text("SELECT xmin::text FROM projects WHERE id = :p"), {"p": pid})).scalar()
    assert [o.topic for o in outbox] == ["project.created"]
    assert [a.action for a in audit] == ["project.created"] and audit[0].actor == f"user:{org.admin_id}"
    # Same transaction: the same xmin on the project, its audit row and its event.
    assert outbox[0].xmin == audit[0].xmin == project_xmin


async def test_failed_mutation_leaves_nothing_behind(gql, org, owner_engine):
    token = await gql.login(org)
    body = await gql(CREATE_PROJECT, {"i": {"code": "P1", "name": "重复", "propertyType": "OFFICE"}}, token=token)
    assert body["data"]["createProject"]["errors"][0]["code"] == "CONFLICT"
    async with owner_engine.connect() as conn:
        n = (await conn.execute(text("SELECT count(*) FROM outbox WHERE org_id = :o AND topic = 'project.created'"),
                                {"o": org.org_id})).scalar()
    assert n == 2  # the fixture's two projects only


async def test_staff_user_role_lifecycle(gql, org, platform, owner_engine):
    admin = await gql.login(org)
    p1 = to_global_id("Project", org.projects["P1"])
    body = await gql("query($id: ID!) { project(id: $id) { departments { id kind } } }", {"id": p1}, token=admin)
    dept = next(d["id"] for d in body["data"]["project"]["departments"] if d["kind"] == "engineering")
    body = await gql("mutation($i: CreateStaffInput!) { createStaff(input: $i) { staffId errors { code message } } }",
                     {"i": {"name": "王师傅", "projectId": p1, "departmentId": dept, "title": "维修工", "phone": "138 0013 5678"}},
                     token=admin)
    staff_id = body["data"]["createStaff"]["staffId"]
    assert staff_id and body["data"]["createStaff"]["errors"] == []
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT phone_enc, phone_hash, phone_masked FROM staff WHERE org_id = :o AND name = '王师傅'"),
                                  {"o": org.org_id})).one()
    assert b"13800135678" not in bytes(row.phone_enc) and row.phone_masked == "138****5678"
    assert platform.cipher.decrypt(bytes(row.phone_enc)) == "13800135678"
    assert bytes(row.phone_hash) == platform.cipher.lookup_hash("13800135678")

    body = await gql("mutation($i: CreateUserInput!) { createUser(input: $i) { user { id username } errors { code } } }",
                     {"i": {"username": "Wang.Tech", "displayName": "王师傅", "password": PASSWORD, "staffId": staff_id}}, token=admin)
    user = body["data"]["createUser"]["user"]
    assert user["username"] == "wang.tech"
    body = await gql("mutation($i: AssignRoleInput!) { assignRole(input: $i) { assignmentId errors { code } } }",
                     {"i": {"userId": user["id"], "role": "TECHNICIAN", "projectId": p1}}, token=admin)
    assignment = body["data"]["assignRole"]["assignmentId"]
    tech = await gql.login(org, "wang.tech")
    body = await gql("{ viewer { roles { role project { code } } permissions } projects { totalCount } }", token=tech)
    assert body["data"]["viewer"]["roles"] == [{"role": "TECHNICIAN", "project": {"code": "P1"}}]
    assert body["data"]["projects"]["totalCount"] == 1
    again = await gql("mutation($i: AssignRoleInput!) { assignRole(input: $i) { errors { code } } }",
                      {"i": {"userId": user["id"], "role": "TECHNICIAN", "projectId": p1}}, token=admin)
    assert again["data"]["assignRole"]["errors"][0]["code"] == "CONFLICT"
    body = await gql("mutation($a: ID!) { revokeRole(assignmentId: $a) { ok errors { code } } }", {"a": assignment}, token=admin)
    assert body["data"]["revokeRole"] == {"ok": True, "errors": []}
    tech = await gql.login(org, "wang.tech")
    assert (await gql("{ projects { totalCount } }", token=tech))["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_api_keys_are_listed_without_secrets_and_revoked(gql, org):
    admin = await gql.login(org)
    body = await gql('mutation { createApiKey(input: {name: "呼叫中心 CTI", access: READ_WRITE}) { apiKey { id prefix access } secret } }',
                     token=admin)
    created = body["data"]["createApiKey"]
    listed = (await gql("{ organization { apiKeys { id prefix name access lastUsedAt revokedAt } } }", token=admin))["data"]
    assert [k["prefix"] for k in listed["organization"]["apiKeys"]] == [created["apiKey"]["prefix"]]
    assert created["secret"] not in str(listed)
    assert (await gql("{ viewer { kind } }", api_key=created["secret"]))["data"]["viewer"]["kind"] == "API_KEY"
    listed = (await gql("{ organization { apiKeys { lastUsedAt } } }", token=admin))["data"]
    assert listed["organization"]["apiKeys"][0]["lastUsedAt"] is not None
    body = await gql("mutation($id: ID!) { revokeApiKey(id: $id) { ok } }", {"id": created["apiKey"]["id"]}, token=admin)
    assert body["data"]["revokeApiKey"]["ok"] is True
    assert (await gql("{ viewer { kind } }", api_key=created["secret"]))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_project_manager_manages_staff_only_in_its_project(gql, org, owner_engine):
    await add_user(owner_engine, org, "pm2", "project_manager", "P1")
    pm = await gql.login(org, "pm2")
    q = "mutation($i: CreateStaffInput!) { createStaff(input: $i) { staffId errors { code } } }"
    ok = await gql(q, {"i": {"name": "保洁员", "projectId": to_global_id("Project", org.projects["P1"])}}, token=pm)
    assert ok["data"]["createStaff"]["errors"] == []
    other = await gql(q, {"i": {"name": "保洁员", "projectId": to_global_id("Project", org.projects["P2"])}}, token=pm)
    # Another project is out of its reach: NOT_FOUND, as another company's would be.
    assert other["data"]["createStaff"]["errors"][0]["code"] == "NOT_FOUND"
    hq = await gql(q, {"i": {"name": "总部人员"}}, token=pm)
    assert hq["data"]["createStaff"]["errors"][0]["code"] == "FORBIDDEN"
    body = await gql('mutation { createProject(input: {code: "N", name: "n", propertyType: VILLA}) { errors { code } } }', token=pm)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_project_phone_names_one_staff_member(gql, org):
    """The import matches staff by phone, so a second member with the number is a coded CONFLICT
    naming the first; another project, or headquarters, may hold it too."""
    admin = await gql.login(org)
    q = "mutation($i: CreateStaffInput!) { createStaff(input: $i) { staffId errors { code reason field existingId } } }"
    p1, p2 = (to_global_id("Project", org.projects[c]) for c in ("P1", "P2"))
    first = (await gql(q, {"i": {"name": "李师傅", "projectId": p1, "phone": "13900001111"}}, token=admin))["data"]["createStaff"]
    again = (await gql(q, {"i": {"name": "李工", "projectId": p1, "phone": "139 0000 1111"}}, token=admin))["data"]["createStaff"]
    assert again["staffId"] is None
    assert again["errors"] == [{"code": "CONFLICT", "reason": "STAFF_EXISTS", "field": "phone", "existingId": first["staffId"]}]
    for project in (p2, None):
        other = await gql(q, {"i": {"name": "李工", "projectId": project, "phone": "13900001111"}}, token=admin)
        assert other["data"]["createStaff"]["errors"] == []


async def test_no_mutation_reaches_into_another_company(gql, org, other_org, owner_engine):
    """Company B's admin, given company A's ids, finds nothing to act on."""
    a_admin = await gql.login(org)
    b_admin = await gql.login(other_org)
    a_key = (await gql('mutation { createApiKey(input: {name: "a"}) { apiKey { id } secret } }', token=a_admin))["data"]["createApiKey"]
    a_user = to_global_id("User", org.admin_id)
    a_p1 = to_global_id("Project", org.projects["P1"])
    async with owner_engine.connect() as conn:
        a_assignment = (await conn.execute(text("SELECT id FROM role_assignments WHERE org_id = :o"), {"o": org.org_id})).scalar()
        a_staff = uuid.uuid4()
    attempts = {
        "assignRole": ("mutation($u: ID!) { assignRole(input: {userId: $u, role: HQ_SUPERVISOR}) { errors { code } } }", {"u": a_user}),
        "createStaff": ("mutation($p: ID!) { createStaff(input: {name: \"x\", projectId: $p}) { errors { code } } }", {"p": a_p1}),
        "revokeApiKey": ("mutation($k: ID!) { revokeApiKey(id: $k) { errors { code } } }", {"k": a_key["apiKey"]["id"]}),
        "revokeRole": ("mutation($a: ID!) { revokeRole(assignmentId: $a) { errors { code } } }",
                       {"a": to_global_id("RoleAssignment", a_assignment)}),
        "createUser": ("mutation($s: ID!) { createUser(input: {username: \"x1\", displayName: \"x\", password: \"long-enough-1\", "
                       "staffId: $s}) { errors { code } } }",
                       {"s": to_global_id("Staff", a_staff)}),
        "createApiKey": ("mutation($p: ID!) { createApiKey(input: {name: \"x\", projectIds: [$p]}) { errors { code } } }", {"p": a_p1}),
    }
    for name, (query, variables) in attempts.items():
        body = await gql(query, variables, token=b_admin)
        assert body["data"][name]["errors"][0]["code"] == "NOT_FOUND", (name, body)
    # A's key still works and A's admin still holds its role.
    assert (await gql("{ viewer { kind } }", api_key=a_key["secret"]))["data"]["viewer"]["kind"] == "API_KEY"
    assert (await gql("{ viewer { roles { role } } }", token=a_admin))["data"]["viewer"]["roles"] == [{"role": "ORG_ADMIN"}]
    # B's reads never show A.
    body = await gql("{ organization { slug apiKeys { id } } projects { edges { node { id } } } }", token=b_admin)
    assert body["data"]["organization"]["slug"] == other_org.slug
    assert a_key["apiKey"]["id"] not in str(body) and a_p1 not in str(body)



async def test_an_admin_cannot_revoke_their_own_admin_role(gql, org, owner_engine):
    async with owner_engine.connect() as conn:
        own = (await conn.execute(text("SELECT id FROM role_assignments WHERE org_id = :o AND user_id = :u"),
                                  {"o": org.org_id, "u": org.admin_id})).scalar_one()
    body = await gql("mutation($a: ID!) { revokeRole(assignmentId: $a) { ok errors { code reason field message } } }",
                     {"a": to_global_id("RoleAssignment", own)}, token=await gql.login(org))
    payload = body["data"]["revokeRole"]
    assert payload["ok"] is False
    assert [(e["code"], e["reason"], e["field"]) for e in payload["errors"]] == [("INVALID_STATE", "OWN_ADMIN_ROLE", "assignmentId")]
    assert payload["errors"][0]["message"].startswith("不能收回自己的企业管理员角色")
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM role_assignments WHERE id = :a"), {"a": own})).scalar() == 1
