"""The world the archive's attack tests share: a resident with a case in each of two companies
and in a second project of the first, and the operations they try."""

from __future__ import annotations

import uuid

import pytest

from api.graphql.types.node import from_global_id, to_global_id
from tests.conftest import add_unit

REGISTER = """mutation($p: ID!, $u: ID, $n: String!, $ph: String) { registerResident(input: {projectId: $p, name: $n,
  phone: $ph, unitId: $u, role: OWNER}) { resident { id } errors { code field message } } }"""
CASE = """mutation($p: ID!, $u: ID!, $r: ID!, $d: String!) { registerCase(input: {projectId: $p, kind: COMPLAINT,
  channel: PHONE, category: "noise", unitId: $u, reporterResidentId: $r, description: $d}) { case { id number }
  errors { code message } } }"""
ERASE = """mutation($r: ID!) { eraseResident(residentId: $r, reason: "本人要求删除") { resident { name erased }
  errors { code field message } } }"""
CONTACT = """mutation($r: ID!, $k: ContactKind!, $v: String!) { addResidentContact(residentId: $r, kind: $k, value: $v) {
  contact { id valueMasked } errors { code reason field message } } }"""
VEHICLE = """mutation($r: ID!, $plate: String!) { registerVehicle(input: {residentId: $r, plate: $plate}) {
  vehicle { id plate } errors { code reason field message existingId } } }"""
SPACE = """mutation($p: ID!, $n: String!) { createParkingSpace(input: {projectId: $p, area: "B1", number: $n}) {
  parkingSpace { id } errors { code reason field } } }"""
PET = """mutation($r: ID!, $n: String!) { registerPet(input: {residentId: $r, name: $n, species: DOG}) {
  pet { id } errors { code reason field } } }"""
ADD_CHANNEL = ("mutation($i: DeliveryChannelInput!) { addDeliveryChannel(input: $i) { channel { id } "
               "errors { code field message } } }")
LOOKUP = "query($ph: String) { callerLookup(phone: $ph) { residents { name } } }"


async def _resident(gql, token, project: str, unit: uuid.UUID, name: str, phone: str | None = None) -> str:
    body = await gql(REGISTER, {"p": project, "u": to_global_id("Unit", unit), "n": name, "ph": phone}, token=token)
    assert body["data"]["registerResident"]["errors"] == [], body
    return body["data"]["registerResident"]["resident"]["id"]


async def _case(gql, token, project: str, unit: uuid.UUID, resident: str, description: str) -> str:
    body = await gql(CASE, {"p": project, "u": to_global_id("Unit", unit), "r": resident, "d": description}, token=token)
    assert body["data"]["registerCase"]["errors"] == [], body
    return body["data"]["registerCase"]["case"]["id"]


@pytest.fixture
async def two(gql, owner_engine, org, other_org):
    """A resident with a case in each company, and one in the first company's other project."""
    out = {}
    for key, company, project in (("a", org, "P1"), ("a2", org, "P2"), ("b", other_org, "P1")):
        unit, _ = await add_unit(owner_engine, company, project, "1502")
        token = await gql.login(company)
        p = to_global_id("Project", company.projects[project])
        resident = await _resident(gql, token, p, unit, "王建国", "13800138000")
        case = await _case(gql, token, p, unit, resident, "王建国来电：楼上深夜噪音 13800138000")
        out[key] = {"org": company, "project": company.projects[project], "p": p, "unit": unit, "token": token,
                    "resident": resident, "case": from_global_id(case, "Case")}
    return out
