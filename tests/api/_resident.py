"""What the resident API tests share: two companies with flats and residents on file, integrator
keys with and without resident:sign_in, and the exchange for a resident token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.conftest import Org, add_unit, make_org

PHONE = "13800138000"
NEIGHBOUR_PHONE = "13900139000"

SIGN_IN = """mutation($i: ResidentSignInInput!) { residentSignIn(input: $i) {
  sessions { token expiresAt resident { id name phoneMasked project { id name } } units { unit { id label } role roleLabel since } }
  errors { code field message reason retryAfter } } }"""


@dataclass
class Company:
    org: Org
    key: str  # granted resident:sign_in, every project
    plain_key: str  # read-write, without the grant
    units: dict[str, uuid.UUID] = field(default_factory=dict)
    residents: dict[str, uuid.UUID] = field(default_factory=dict)

    def gid(self, kind: str, name: str) -> str:
        return to_global_id(kind, (self.units if kind == "Unit" else self.residents)[name])


async def _key(gql, token: str, name: str, permissions: list[str] | None) -> str:
    body = await gql("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret errors { code message } } }",
                     {"i": {"name": name, "access": "READ_WRITE", "permissions": permissions}}, token=token)
    assert body["data"]["createApiKey"]["errors"] == [], body
    return body["data"]["createApiKey"]["secret"]


async def _person(conn, cipher, org: Org, project: str, unit: uuid.UUID, name: str, phone: str,
                  moved_in: date | None = date(2026, 1, 1), moved_out: date | None = None) -> uuid.UUID:
    rid = uuid.uuid4()
    await conn.execute(text(
        "INSERT INTO residents (org_id, project_id, id, name, phone_enc, phone_hash, phone_masked) "
        "VALUES (:o, :p, :r, :n, :enc, :h, :m)"),
        {"o": org.org_id, "p": org.projects[project], "r": rid, "n": name, "enc": cipher.encrypt(phone),
         "h": cipher.lookup_hash(phone), "m": phone[:3] + "****" + phone[-4:]})
    await conn.execute(text("INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, moved_in_on, moved_out_on) "
                            "VALUES (:o, :p, :u, :r, 'owner', :i, :out)"),
                       {"o": org.org_id, "p": org.projects[project], "u": unit, "r": rid, "i": moved_in, "out": moved_out})
    return rid


async def make_company(owner_engine, gql, cipher) -> Company:
    """P1: 301 (张三, phone PHONE), 302 (孙八, NEIGHBOUR_PHONE); P2: 101 (张三 again, the same phone)."""
    org = await make_org(owner_engine)
    admin = await gql.login(org)
    company = Company(org, await _key(gql, admin, "业主App", ["RESIDENT_SIGN_IN", "CASE_CREATE"]),
                      await _key(gql, admin, "旧集成", None))
    for name, project in (("301", "P1"), ("302", "P1"), ("101", "P2")):
        company.units[name], _ = await add_unit(owner_engine, org, project, name)
    async with owner_engine.begin() as conn:
        company.residents["zhang"] = await _person(conn, cipher, org, "P1", company.units["301"], "张三", PHONE)
        company.residents["sun"] = await _person(conn, cipher, org, "P1", company.units["302"], "孙八", NEIGHBOUR_PHONE)
        company.residents["zhang_p2"] = await _person(conn, cipher, org, "P2", company.units["101"], "张三", PHONE)
    return company


async def sign_in(gql, key: str, phone: str = PHONE, project: str | None = None, **more) -> dict:
    body = await gql(SIGN_IN, {"i": {"phone": phone, "projectId": project, **more}}, api_key=key)
    return body["data"]["residentSignIn"]


async def token_for(gql, company: Company, phone: str = PHONE, project: str = "P1") -> str:
    out = await sign_in(gql, company.key, phone, to_global_id("Project", company.org.projects[project]))
    assert out["errors"] == [], out
    return out["sessions"][0]["token"]
