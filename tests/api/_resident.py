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


REGISTER = """mutation($i: ResidentRegisterCaseInput!, $k: String) { residentRegisterCase(input: $i, idempotencyKey: $k) {
  case { id number kind state stateLabel unit { id label } category { name } canConfirm canReject canRate canCancel
         rating { satisfaction score } progress { stage title message } }
  errors { code field message reason retryAfter } } }"""
CHANGE = """mutation($c: ID!%s) { %s(caseId: $c%s) { case { id state canRate rating { satisfaction score } }
  errors { code field message reason } } }"""


def change(name: str, **args: str) -> str:
    """A resident case mutation with its extra arguments, e.g. change("residentRejectCase", reason="String!")."""
    return CHANGE % ("".join(f", ${a}: {t}" for a, t in args.items()), name, "".join(f", {a}: ${a}" for a in args))


async def register(gql, token: str, unit: str | None, **over) -> dict:
    body = await gql(REGISTER, {"i": {"kind": "REPAIR", "category": "water_power", "description": "厨房水管漏水",
                                      "unitId": unit, **over}}, token=token)
    assert "errors" not in body, body
    return body["data"]["residentRegisterCase"]


async def resolve_as_staff(gql, staff: str, staff_id: str, case_id: str) -> None:
    """The desk's part, through the real mutations: commit, dispatch to the admin, accept, start, resolve."""
    for query in ("mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }",
                  "mutation($c: ID!, $a: ID) { dispatchCase(caseId: $c, assigneeId: $a) { errors { code } } }",
                  "mutation($c: ID!) { acceptCase(caseId: $c) { errors { code } } }",
                  "mutation($c: ID!) { startCase(caseId: $c) { errors { code } } }",
                  'mutation($c: ID!) { resolveCase(caseId: $c, result: "已更换水管") { errors { code } } }'):
        body = await gql(query, {"c": case_id, "a": staff_id} if "$a" in query else {"c": case_id}, token=staff)
        assert not any(v["errors"] for v in body["data"].values()), (query, body)
