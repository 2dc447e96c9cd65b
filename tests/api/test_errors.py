"""Bad input of every kind: a clear error with a stable code, never a 500, never a stack trace."""

from __future__ import annotations

import json
import time
import uuid

import jwt
import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tenants.auth.tokens import TokenSigner
from tenants.principal import Principal
from tests.conftest import PASSWORD, add_user

LOGIN = "mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken errors { code message field } } }"


async def post(client, body, headers=None, *, raw: bytes | None = None, status: int | None = None):
    if raw is not None:
        r = await client.post("/graphql", content=raw, headers={"content-type": "application/json", **(headers or {})})
    else:
        r = await client.post("/graphql", json=body, headers=headers or {})
    assert r.status_code != 500, r.text
    assert "Traceback" not in r.text and 'File "' not in r.text
    if status is not None:
        assert r.status_code == status, r.text
    data = r.json()
    for item in data if isinstance(data, list) else [data]:
        for error in item.get("errors") or []:
            assert error["extensions"]["code"], error
            assert error["message"]
    return data


def code(body) -> str:
    return body["errors"][0]["extensions"]["code"]


async def test_wrong_password_unknown_user_and_unknown_company_look_the_same(client, org):
    answers = []
    for slug, user, pw in ((org.slug, "admin", "wrong-password"), (org.slug, "nobody", PASSWORD), ("no-such-co", "admin", PASSWORD)):
        body = await post(client, {"query": LOGIN, "variables": {"i": {"organization": slug, "username": user, "password": pw}}})
        payload = body["data"]["login"]
        assert payload["accessToken"] is None
        answers.append((payload["errors"][0]["code"], payload["errors"][0]["message"]))
    assert len(set(answers)) == 1 and answers[0][0] == "UNAUTHENTICATED"


async def test_expired_forged_and_malformed_tokens(client, org, platform, gql):
    principal = Principal("user", org.admin_id, org.org_id)
    expired_signer = TokenSigner(platform.settings.secret("secret_key"), 15)
    expired_signer.access_seconds = -5
    expired, _ = expired_signer.issue_access(principal)
    body = await post(client, {"query": "{ viewer { kind } }"}, {"authorization": f"Bearer {expired}"})
    assert code(body) == "TOKEN_EXPIRED" and body["data"] is None

    forged, _ = TokenSigner(b"someone-else", 15).issue_access(principal)
    unsigned = jwt.encode({"iss": "firstcall", "typ": "access", "sub": str(org.admin_id), "org": str(org.org_id),
                           "iat": int(time.time()), "exp": int(time.time()) + 600}, None, algorithm="none")
    refresh = (await post(client, {"query": LOGIN, "variables": {"i": {"organization": org.slug, "username": "admin",
                                                                       "password": PASSWORD}}}))["data"]["login"]["refreshToken"]
    for header in (f"Bearer {forged}", f"Bearer {unsigned}", "Bearer garbage", f"Bearer {refresh}", "Basic YWRtaW46eA==",
                   "Bearer ", "Bearer " + "x" * 5000):
        body = await post(client, {"query": "{ viewer { kind } }"}, {"authorization": header})
        assert code(body) == "UNAUTHENTICATED", header[:40]
    # A bad credential does not block public fields: the caller can still log in.
    body = await post(client, {"query": LOGIN, "variables": {"i": {"organization": org.slug, "username": "admin", "password": PASSWORD}}},
                      {"authorization": "Bearer garbage"})
    assert body["data"]["login"]["errors"] == []


async def test_revoked_expired_and_wrong_secret_keys(client, gql, org, owner_engine):
    admin = await gql.login(org)
    created = (await gql('mutation { createApiKey(input: {name: "k"}) { apiKey { id prefix } secret } }',
                         token=admin))["data"]["createApiKey"]
    key = created["secret"]
    assert (await post(client, {"query": "{ viewer { kind } }"}, {"x-api-key": key}))["data"]["viewer"]["kind"] == "API_KEY"
    wrong_secret = created["apiKey"]["prefix"] + "." + "A" * 32
    for k in (wrong_secret, "fc_short.x", "fc_" + "a" * 10):
        assert code(await post(client, {"query": "{ viewer { kind } }"}, {"x-api-key": k})) == "UNAUTHENTICATED"
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE org_id = :o"), {"o": org.org_id})
    assert code(await post(client, {"query": "{ viewer { kind } }"}, {"x-api-key": key})) == "UNAUTHENTICATED"
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE api_keys SET expires_at = NULL WHERE org_id = :o"), {"o": org.org_id})
    await gql("mutation($id: ID!) { revokeApiKey(id: $id) { ok } }", {"id": created["apiKey"]["id"]}, token=admin)
    body = await post(client, {"query": "{ viewer { kind } }"}, {"x-api-key": key})
    assert code(body) == "UNAUTHENTICATED" and "revoked" in body["errors"][0]["message"]


async def test_refresh_rotates_and_reuse_revokes_the_family(client, org):
    refresh_q = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken errors { code } } }"
    first = (await post(client, {"query": LOGIN, "variables": {"i": {"organization": org.slug, "username": "admin",
                                                                     "password": PASSWORD}}}))["data"]["login"]["refreshToken"]
    second = (await post(client, {"query": refresh_q, "variables": {"t": first}}))["data"]["refreshToken"]
    assert second["errors"] == [] and second["accessToken"]
    reused = (await post(client, {"query": refresh_q, "variables": {"t": first}}))["data"]["refreshToken"]
    assert reused["errors"][0]["code"] == "UNAUTHENTICATED"
    # The thief's replay also ends the rightful holder's newer token.
    newer = (await post(client, {"query": refresh_q, "variables": {"t": second["refreshToken"]}}))["data"]["refreshToken"]
    assert newer["errors"][0]["code"] == "UNAUTHENTICATED"
    for bad in ("", "rt1.x.y.z", "rt1." + uuid.uuid4().hex + "." + uuid.uuid4().hex + ".nope", "x" * 600):
        body = (await post(client, {"query": refresh_q, "variables": {"t": bad}}))["data"]["refreshToken"]
        assert body["errors"][0]["code"] == "UNAUTHENTICATED"


async def test_logout_ends_the_session(client, org):
    token = (await post(client, {"query": LOGIN, "variables": {"i": {"organization": org.slug, "username": "admin",
                                                                     "password": PASSWORD}}}))["data"]["login"]["refreshToken"]
    out = await post(client, {"query": "mutation($t: String!) { logout(refreshToken: $t) { ok errors { code } } }",
                              "variables": {"t": token}})
    assert out["data"]["logout"] == {"ok": True, "errors": []}
    again = await post(client, {"query": "mutation($t: String!) { refreshToken(refreshToken: $t) { errors { code } } }",
                                "variables": {"t": token}})
    assert again["data"]["refreshToken"]["errors"][0]["code"] == "UNAUTHENTICATED"


async def test_malformed_requests(client, gql, org):
    token = await gql.login(org)
    auth = {"authorization": f"Bearer {token}"}
    assert code(await post(client, {"query": "{ viewer { kind "}, auth)) == "GRAPHQL_PARSE_FAILED"
    assert code(await post(client, {"query": "{ viewer { nope } }"}, auth)) == "GRAPHQL_VALIDATION_FAILED"
    assert code(await post(client, {"query": "query($n: Int) { projects(first: $n) { totalCount } }", "variables": {"n": "many"}},
                           auth)) == "GRAPHQL_VALIDATION_FAILED"
    assert code(await post(client, None, auth, raw=b'{"query": ', status=400)) == "BAD_REQUEST"
    assert code(await post(client, {"variables": {}}, auth, status=400)) == "BAD_REQUEST"
    batch = json.dumps([{"query": "{ viewer { kind } }"}] * 50).encode()
    assert code(await post(client, None, auth, raw=batch, status=400)) == "BAD_REQUEST"
    big = {"query": "{ viewer { kind } }", "variables": {"pad": "x" * 1_300_000}}
    assert code(await post(client, big, auth, status=413)) == "BAD_REQUEST"
    r = await client.put("/graphql", json={"query": "{ viewer { kind } }"})
    assert r.status_code == 405 and r.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def codes(body) -> set[str]:
    return {e["extensions"]["code"] for e in body["errors"]}


async def test_query_bombs(client, gql, org):
    token = await gql.login(org)
    auth = {"authorization": f"Bearer {token}"}
    # The schema has no cycle, so no valid document is 50 deep; the depth rule reads the document
    # itself and refuses it whatever else is wrong with it.
    depth_50 = "query Deep { " + "organization { " * 50 + "slug" + " }" * 50 + " }"
    body = await post(client, {"query": depth_50}, auth)
    assert "QUERY_TOO_COMPLEX" in codes(body) and body["data"] is None
    assert any("maximum operation depth" in e["message"] for e in body["errors"])
    # Fragments neither hide depth nor get around the limit.
    via_fragments = "query Deep { ...F0 } " + " ".join(
        f"fragment F{i} on Query {{ organization {{ ...F{i + 1} }} }}" for i in range(49)) + " fragment F49 on Query { __typename }"
    assert "QUERY_TOO_COMPLEX" in codes(await post(client, {"query": via_fragments}, auth))
    # The deepest real path is well inside the limit.
    deepest = "{ organization { projects { edges { node { departments { id } } } } } viewer { roles { project { staff { id } } } } }"
    assert "errors" not in await post(client, {"query": deepest}, auth)
    aliases = "{ " + " ".join(f"a{i}: viewer {{ kind }}" for i in range(1000)) + " }"
    assert codes(await post(client, {"query": aliases}, auth)) == {"QUERY_TOO_COMPLEX"}  # the token limit comes first
    # Below the token limit the alias limit (30) answers, also for aliases inside fragments.
    for doc in ("{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }",
                "{ ...A } fragment A on Query { " + " ".join(f"a{i}: __typename" for i in range(40)) + " }"):
        body = await post(client, {"query": doc}, auth)
        assert codes(body) == {"QUERY_TOO_COMPLEX"} and "aliases" in body["errors"][0]["message"]
    tokens = "{ viewer { " + " ".join("kind" for _ in range(100_000)) + " } }"
    body = await post(client, {"query": tokens}, auth)
    assert codes(body) == {"QUERY_TOO_COMPLEX"} and "tokens" in body["errors"][0]["message"]


async def test_introspection_only_for_members(client, gql, org):
    q = {"query": "{ __schema { types { name } } }"}
    assert code(await post(client, q)) == "UNAUTHENTICATED"
    assert code(await post(client, {"query": '{ __type(name: "Project") { name } }'})) == "UNAUTHENTICATED"
    token = await gql.login(org)
    body = await post(client, q, {"authorization": f"Bearer {token}"})
    assert any(t["name"] == "Project" for t in body["data"]["__schema"]["types"])
    # __typename alone is not introspection of the schema.
    assert (await post(client, {"query": "{ __typename }"}))["data"] == {"__typename": "Query"}


async def test_bad_ids_cursors_and_page_sizes(gql, org, other_org):
    token = await gql.login(org)
    q = "query($id: ID!) { project(id: $id) { code } }"
    assert code(await gql(q, {"id": "not-base64!"}, token=token)) == "VALIDATION"
    assert code(await gql(q, {"id": to_global_id("Organization", org.org_id)}, token=token)) == "VALIDATION"
    assert (await gql(q, {"id": to_global_id("Project", other_org.projects["P1"])}, token=token))["data"]["project"] is None
    for args in ("first: 1000", "first: -1", 'after: "%%%"'):
        body = await gql("{ projects(%s) { totalCount } }" % args, token=token)
        assert code(body) == "VALIDATION", args


@pytest.mark.parametrize("field,value,expected", [
    ("name", "", "VALIDATION"),
    ("name", "长" * 300, "VALIDATION"),
    ("code", "no spaces!", "VALIDATION"),
    ("code", "P1", "CONFLICT"),
    ("households", -5, "VALIDATION"),
])
async def test_create_project_input_errors_name_the_field(gql, org, owner_engine, field, value, expected):
    token = await gql.login(org)
    data = {"code": "NEW1", "name": "新项目", "propertyType": "OFFICE", field: value}
    body = await gql("mutation($i: CreateProjectInput!) { createProject(input: $i) { project { id } errors { code field message } } }",
                     {"i": data}, token=token)
    payload = body["data"]["createProject"]
    assert payload["project"] is None
    assert payload["errors"][0]["code"] == expected and payload["errors"][0]["field"] == field
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM projects WHERE org_id = :o"), {"o": org.org_id})).scalar() == 2


async def test_user_role_and_key_input_errors(gql, org):
    token = await gql.login(org)
    user_q = "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } errors { code field } } }"
    short = await gql(user_q, {"i": {"username": "new.user", "displayName": "新用户", "password": "short"}}, token=token)
    assert short["data"]["createUser"]["errors"] == [{"code": "VALIDATION", "field": "password"}]
    taken = await gql(user_q, {"i": {"username": "ADMIN", "displayName": "x", "password": PASSWORD}}, token=token)
    assert taken["data"]["createUser"]["errors"] == [{"code": "CONFLICT", "field": "username"}]
    bad_name = await gql(user_q, {"i": {"username": "张三", "displayName": "x", "password": PASSWORD}}, token=token)
    assert bad_name["data"]["createUser"]["errors"][0]["field"] == "username"
    role = await gql("mutation($i: AssignRoleInput!) { assignRole(input: $i) { errors { code field } } }",
                     {"i": {"userId": to_global_id("User", org.admin_id), "role": "HQ_SUPERVISOR",
                            "projectId": to_global_id("Project", org.projects["P1"])}}, token=token)
    assert role["data"]["assignRole"]["errors"] == [{"code": "VALIDATION", "field": "projectId"}]
    no_project = await gql("mutation($i: AssignRoleInput!) { assignRole(input: $i) { errors { code field } } }",
                           {"i": {"userId": to_global_id("User", org.admin_id), "role": "TECHNICIAN"}}, token=token)
    assert no_project["data"]["assignRole"]["errors"] == [{"code": "VALIDATION", "field": "projectId"}]
    key = await gql("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret errors { code field } } }",
                    {"i": {"name": "k", "expiresAt": "2020-01-01T00:00:00Z"}}, token=token)
    assert key["data"]["createApiKey"] == {"secret": None, "errors": [{"code": "VALIDATION", "field": "expiresAt"}]}
    empty = await gql("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { errors { code field } } }",
                      {"i": {"name": "k", "projectIds": []}}, token=token)
    assert empty["data"]["createApiKey"]["errors"] == [{"code": "VALIDATION", "field": "projectIds"}]


async def test_permission_errors(gql, org, owner_engine):
    create = 'mutation { createProject(input: {code: "Z1", name: "z", propertyType: OFFICE}) { errors { code } } }'
    body = await gql(create)
    assert code(body) == "UNAUTHENTICATED" and body["data"] is None
    await add_user(owner_engine, org, "agent1", "cs_agent", "P1")
    agent = await gql.login(org, "agent1")
    body = await gql(create, token=agent)
    assert code(body) == "FORBIDDEN" and "project:create" in body["errors"][0]["message"]
    assert code(await gql("{ viewer { kind } }")) == "UNAUTHENTICATED"
