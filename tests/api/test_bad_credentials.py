"""Bad credentials get one clear answer each: logging in, access tokens, API keys and refresh
tokens — coded, never a 500, and nothing about which part was wrong where that would help a guesser."""

from __future__ import annotations

import base64
import json
import time
import uuid
import jwt
from sqlalchemy import text
from tenants.auth.sessions import BAD_LOGIN
from tenants.auth.tokens import TokenSigner
from tenants.principal import Grant, Principal
from tenants.roles import Role
from tests.conftest import PASSWORD

from tests.api._bad_input import CREATE_PROJECT, LOGIN, LOGOUT, REFRESH, VIEWER, check, gql, login, send, token_of  # noqa: F401


# --- logging in ---------------------------------------------------------------------------------


async def test_wrong_password_unknown_user_and_unknown_company_get_one_answer(client, org):
    answers = []
    for slug, username, password in ((org.slug, "admin", "wrong-password"), (org.slug, "nobody", PASSWORD),
                                     ("no-such-company", "admin", PASSWORD)):
        payload = await login(client, slug, username, password)
        assert payload["accessToken"] is None and payload["refreshToken"] is None
        assert len(payload["errors"]) == 1
        answers.append((payload["errors"][0]["code"], payload["errors"][0]["message"]))
    assert answers[0][0] == "UNAUTHENTICATED"
    assert len(set(answers)) == 1, answers


async def test_overlong_login_fields_get_the_same_answer(client, org):
    payload = await login(client, org.slug, "admin", "x" * 10_000)
    assert payload["accessToken"] is None
    assert [(e["code"], e["message"]) for e in payload["errors"]] == [("UNAUTHENTICATED", BAD_LOGIN)]
    payload = await login(client, "o" * 600, "admin", PASSWORD)
    assert [(e["code"], e["message"]) for e in payload["errors"]] == [("UNAUTHENTICATED", BAD_LOGIN)]


# --- access tokens ------------------------------------------------------------------------------


def _signed(platform, claims: dict) -> str:
    """A token signed with the server's own key, for claims the server itself would never issue."""
    key = TokenSigner(platform.settings.secret("secret_key"), 15)._key
    return jwt.encode(claims, key, algorithm="HS256")


async def test_expired_access_token_is_token_expired(client, org, platform):
    signer = TokenSigner(platform.settings.secret("secret_key"), 15)
    signer.access_seconds = -60
    expired, _ = signer.issue_access(Principal("user", org.admin_id, org.org_id))
    reply = await gql(client, VIEWER, token=expired)
    assert reply.data is None and reply.codes == {"TOKEN_EXPIRED"}
    assert "expired" in reply.errors[0]["message"]
    reply = await gql(client, CREATE_PROJECT, {"i": {"code": "EXP", "name": "x", "propertyType": "OFFICE"}}, token=expired)
    assert reply.data is None and reply.codes == {"TOKEN_EXPIRED"}
    # An expired token does not stand in the way of logging in again.
    reply = await gql(client, LOGIN, {"i": {"organization": org.slug, "username": "admin", "password": PASSWORD}}, token=expired)
    assert reply.data["login"]["errors"] == [] and reply.data["login"]["accessToken"]


async def test_forged_garbage_and_misused_tokens_are_unauthenticated(client, org, platform):
    principal = Principal("user", org.admin_id, org.org_id, grants=(Grant(Role.ORG_ADMIN, None),))
    now = int(time.time())
    claims = {"iss": "firstcall", "typ": "access", "sub": str(org.admin_id), "org": str(org.org_id),
              "grants": [["org_admin", None]], "iat": now, "exp": now + 600}
    forged, _ = TokenSigner(b"another-key-entirely", 15).issue_access(principal)
    unsigned = jwt.encode(claims, None, algorithm="none")
    refresh = (await login(client, org))["refreshToken"]
    genuine = await token_of(client, org)
    head, _, signature = genuine.split(".")
    tampered_body = base64.urlsafe_b64encode(json.dumps({**jwt.decode(genuine, options={"verify_signature": False}),
                                                         "grants": [["org_admin", None]], "sub": str(uuid.uuid4())}).encode())
    cases = {
        "forged with another key": f"Bearer {forged}",
        "alg none": f"Bearer {unsigned}",
        "alg none with a made-up signature": f"Bearer {unsigned}c2lnbmF0dXJl",
        "garbage": "Bearer garbage",
        "three dots of garbage": "Bearer a.b.c",
        "payload swapped under a real signature": f"Bearer {head}.{tampered_body.decode().rstrip('=')}.{signature}",
        "refresh token as access token": f"Bearer {refresh}",
        "basic scheme": "Basic YWRtaW46cGFzc3dvcmQ=",
        "bearer with nothing": "Bearer ",
        "bearer alone": "Bearer",
        "token without scheme": genuine,
        "oversized": "Bearer " + "x" * 5000,
        "right key, refresh typ": "Bearer " + _signed(platform, {**claims, "typ": "refresh"}),
        "right key, other issuer": "Bearer " + _signed(platform, {**claims, "iss": "elsewhere"}),
        "right key, no exp": "Bearer " + _signed(platform, {k: v for k, v in claims.items() if k != "exp"}),
        "right key, bad subject": "Bearer " + _signed(platform, {**claims, "sub": "not-a-uuid"}),
        "right key, unknown role": "Bearer " + _signed(platform, {**claims, "grants": [["emperor", None]]}),
        "right key, grants not pairs": "Bearer " + _signed(platform, {**claims, "grants": "x"}),
    }
    for name, header in cases.items():
        reply = await send(client, {"query": VIEWER}, headers={"authorization": header})
        assert reply.data is None and reply.codes == {"UNAUTHENTICATED"}, (name, reply.text)
    # The genuine token still works: nothing above poisoned anything.
    assert (await gql(client, VIEWER, token=genuine)).data["viewer"]["kind"] == "USER"
    # A bad credential does not block public fields.
    reply = await send(client, {"query": LOGIN, "variables": {"i": {"organization": org.slug, "username": "admin",
                                                                    "password": PASSWORD}}},
                       headers={"authorization": "Bearer garbage"})
    assert reply.data["login"]["errors"] == []


# --- API keys -----------------------------------------------------------------------------------


async def test_revoked_expired_and_wrong_secret_keys_are_unauthenticated(client, org, owner_engine):
    admin = await token_of(client, org)
    created = (await gql(client, 'mutation { createApiKey(input: {name: "集成"}) { apiKey { id prefix } secret } }',
                         token=admin)).data["createApiKey"]
    key, prefix = created["secret"], created["apiKey"]["prefix"]
    assert (await gql(client, VIEWER, api_key=key)).data["viewer"]["kind"] == "API_KEY"

    secret = key.split(".", 1)[1]
    for bad in (f"{prefix}.{'A' * len(secret)}", f"{prefix}.{secret[:-1]}", f"{prefix}.", prefix, "fc_", "fc_" + "z" * 10 + "." + secret,
                key + "x" * 40, key.upper()):
        reply = await gql(client, VIEWER, api_key=bad)
        assert reply.data is None and reply.codes == {"UNAUTHENTICATED"}, bad

    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE org_id = :o"), {"o": org.org_id})
    reply = await gql(client, VIEWER, api_key=key)
    assert reply.data is None and reply.codes == {"UNAUTHENTICATED"}
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE api_keys SET expires_at = now() + interval '1 day' WHERE org_id = :o"), {"o": org.org_id})
    assert (await gql(client, VIEWER, api_key=key)).data["viewer"]["kind"] == "API_KEY"

    revoked = await gql(client, "mutation($id: ID!) { revokeApiKey(id: $id) { ok errors { code } } }",
                        {"id": created["apiKey"]["id"]}, token=admin)
    assert revoked.data["revokeApiKey"] == {"ok": True, "errors": []}
    reply = await gql(client, VIEWER, api_key=key)
    assert reply.data is None and reply.codes == {"UNAUTHENTICATED"}
    # Same message for every bad key: it does not tell a revoked key from a guessed one.
    guessed = await gql(client, VIEWER, api_key=f"{prefix}.{'A' * len(secret)}")
    assert reply.errors[0]["message"] == guessed.errors[0]["message"]


async def test_read_only_key_cannot_write(client, org):
    admin = await token_of(client, org)
    key = (await gql(client, 'mutation { createApiKey(input: {name: "只读", access: READ}) { secret } }',
                     token=admin)).data["createApiKey"]["secret"]
    reply = await gql(client, CREATE_PROJECT, {"i": {"code": "RO", "name": "x", "propertyType": "OFFICE"}}, api_key=key)
    assert reply.data is None and reply.codes == {"FORBIDDEN"}


# --- refresh tokens -----------------------------------------------------------------------------



async def refresh_with(client, token: str) -> dict:
    return (await gql(client, REFRESH, {"t": token})).data["refreshToken"]


async def test_refresh_rotates_and_a_replayed_token_revokes_its_family(client, org):
    first = (await login(client, org))["refreshToken"]
    second = await refresh_with(client, first)
    assert second["errors"] == [] and second["accessToken"] and second["refreshToken"] != first
    assert (await gql(client, VIEWER, token=second["accessToken"])).data["viewer"]["kind"] == "USER"
    third = await refresh_with(client, second["refreshToken"])
    assert third["errors"] == []

    replay = await refresh_with(client, first)
    assert replay["accessToken"] is None and [e["code"] for e in replay["errors"]] == ["UNAUTHENTICATED"]
    # The replay ended the whole family, the newest token included.
    newest = await refresh_with(client, third["refreshToken"])
    assert newest["accessToken"] is None and [e["code"] for e in newest["errors"]] == ["UNAUTHENTICATED"]
    # Another session of the same user is untouched.
    other = (await login(client, org))["refreshToken"]
    assert (await refresh_with(client, other))["errors"] == []


async def test_logout_ends_the_session_and_bad_refresh_tokens_are_refused(client, org):
    token = (await login(client, org))["refreshToken"]
    out = await gql(client, LOGOUT, {"t": token})
    assert out.data["logout"] == {"ok": True, "errors": []}
    after = await refresh_with(client, token)
    assert after["accessToken"] is None and [e["code"] for e in after["errors"]] == ["UNAUTHENTICATED"]

    _, org_hex, token_hex, secret = token.split(".")
    for bad in ("", "garbage", "rt1.x.y.z", f"rt2.{org_hex}.{token_hex}.{secret}",
                f"rt1.{org_hex}.{token_hex}.", f"rt1.{org_hex}.{token_hex}.{'A' * len(secret)}",
                f"rt1.{uuid.uuid4().hex}.{token_hex}.{secret}", f"rt1.{org_hex}.{uuid.uuid4().hex}.{secret}",
                "rt1." + "." * 10, "x" * 100_000):
        payload = await refresh_with(client, bad)
        assert payload["accessToken"] is None and [e["code"] for e in payload["errors"]] == ["UNAUTHENTICATED"], bad[:60]
        out = (await gql(client, LOGOUT, {"t": bad})).data["logout"]
        assert out["ok"] is False and [e["code"] for e in out["errors"]] == ["UNAUTHENTICATED"], bad[:60]
