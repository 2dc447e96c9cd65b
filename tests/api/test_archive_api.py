"""The archive's reads (docs/archive.md §5, slice 2): buildings, flats and residents per project,
`Case { unit building resident }`, a resident's stays and cases — masked phones only, the record
beyond name and phone for `archive:read` alone, and nothing of another company or of a project
outside the caller's grants. Through the real app, as the application role."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tenants.personal_data import PersonalDataCipher, mask_phone
from tests.conftest import add_user

RESIDENT = """query($id: ID!) { node(id: $id) { ... on Resident { name phoneMasked erased idNumberMasked project { id }
  occupancies(current: false) { role current movedOutOn unit { label } }
  openCases { number } recentCases(first: 5) { number } } } }"""


async def _archive(owner_engine, settings, org, project: str, phone: str) -> dict:
    """3号楼 with flats 1502 (entrance 2) and 803; 王建国 owns 1502 and used to rent 803."""
    cipher = PersonalDataCipher(settings.secret("data_key"), settings.secret("lookup_key"))
    ids = {"o": org.org_id, "p": org.projects[project], "b": uuid.uuid4(), "u1": uuid.uuid4(), "u2": uuid.uuid4(),
           "r": uuid.uuid4(), "r2": uuid.uuid4(), "ph": cipher.lookup_hash(phone), "pm": mask_phone(phone)}
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO buildings (org_id, project_id, id, name, floors) VALUES (:o, :p, :b, '3号楼', 18)"), ids)
        await conn.execute(text("INSERT INTO units (org_id, project_id, id, building_id, entrance, number, floor, area_m2) "
                                "VALUES (:o, :p, :u1, :b, '2', '1502', 15, 96.5), (:o, :p, :u2, :b, '', '803', 8, NULL)"), ids)
        await conn.execute(text(
            "INSERT INTO residents (org_id, project_id, id, name, phone_enc, phone_hash, phone_masked, id_number_masked) "
            "VALUES (:o, :p, :r, '王建国', '\\x00', :ph, :pm, '1101**********002X'), (:o, :p, :r2, '李秀英', NULL, NULL, NULL, NULL)"),
            ids)
        await conn.execute(text(
            "INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, primary_contact, moved_in_on, moved_out_on) "
            "VALUES (:o, :p, :u1, :r, 'owner', true, '2021-03-01', NULL), (:o, :p, :u2, :r, 'tenant', false, '2019-01-01', '2021-02-28'), "
            "(:o, :p, :u1, :r2, 'family', false, NULL, NULL)"), ids)
    return {k: to_global_id(t, ids[k]) for k, t in (("b", "Building"), ("u1", "Unit"), ("u2", "Unit"), ("r", "Resident"),
                                                   ("r2", "Resident"))}


@pytest.fixture
async def world(gql, owner_engine, settings, org, other_org):
    mine = await _archive(owner_engine, settings, org, "P1", "13800138000")
    ungranted = await _archive(owner_engine, settings, org, "P2", "13900139000")
    foreign = await _archive(owner_engine, settings, other_org, "P1", "13800138000")
    admin = await gql.login(org)
    case = await gql('mutation($p: ID!, $u: ID!, $r: ID!) { registerCase(input: {projectId: $p, kind: REPAIR, channel: PHONE, '
                     'category: "water_power", unitId: $u, reporterResidentId: $r, description: "厨房漏水"}) '
                     '{ case { id number } errors { code message } } }',
                     {"p": to_global_id("Project", org.projects["P1"]), "u": mine["u1"], "r": mine["r"]}, token=admin)
    assert case["data"]["registerCase"]["errors"] == [], case
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    await add_user(owner_engine, org, "tech1", "technician", "P1")
    return {"mine": mine, "ungranted": ungranted, "foreign": foreign, "admin": admin, "case": case["data"]["registerCase"]["case"],
            "pm": await gql.login(org, "pm1"), "tech": await gql.login(org, "tech1"), "p1": to_global_id("Project", org.projects["P1"])}


async def test_lists_pages_and_filters(gql, world):
    body = await gql('query($p: ID!) { buildings(projectId: $p) { totalCount edges { node { name floors unitCount } } } '
                     'units(projectId: $p, first: 1) { totalCount pageInfo { hasNextPage endCursor } '
                     '  edges { node { label number entrance areaM2 use useLabel occupants { role resident { name } } } } } }',
                     {"p": world["p1"]}, token=world["pm"])
    assert "errors" not in body, body
    assert body["data"]["buildings"] == {"totalCount": 1, "edges": [{"node": {"name": "3号楼", "floors": 18, "unitCount": 2}}]}
    units = body["data"]["units"]
    assert units["totalCount"] == 2 and units["pageInfo"]["hasNextPage"]
    # By building, entrance ('' first), floor and number.
    assert units["edges"][0]["node"] == {"label": "3号楼 803", "number": "803", "entrance": "", "areaM2": None,
                                         "use": "RESIDENTIAL", "useLabel": "住宅", "occupants": []}
    after = await gql('query($p: ID!, $a: String) { units(projectId: $p, after: $a) { totalCount pageInfo { hasNextPage } '
                      '  edges { node { label areaM2 occupants { role resident { name } } } } } }',
                      {"p": world["p1"], "a": units["pageInfo"]["endCursor"]}, token=world["pm"])
    assert after["data"]["units"] == {"totalCount": 2, "pageInfo": {"hasNextPage": False}, "edges": [{"node": {
        "label": "3号楼 2单元 1502", "areaM2": 96.5,
        "occupants": [{"role": "OWNER", "resident": {"name": "王建国"}}, {"role": "FAMILY", "resident": {"name": "李秀英"}}]}}]}
    part = await gql('query($p: ID!) { units(projectId: $p, filter: {number: "50"}) { edges { node { number } } } }',
                     {"p": world["p1"]}, token=world["pm"])
    assert [e["node"]["number"] for e in part["data"]["units"]["edges"]] == ["1502"]

    residents = ('query($p: ID!, $f: ResidentFilter) { residents(projectId: $p, filter: $f) '
                 '{ totalCount edges { node { name phoneMasked } } } }')
    for f, names in (({}, ["李秀英", "王建国"]), ({"phone": "+86 138-0013-8000"}, ["王建国"]), ({"name": "李"}, ["李秀英"]),
                     ({"unitId": world["mine"]["u2"]}, []), ({"unitId": world["mine"]["u2"], "current": False}, ["王建国"]),
                     ({"role": "FAMILY"}, ["李秀英"])):
        got = await gql(residents, {"p": world["p1"], "f": f}, token=world["pm"])
        assert [e["node"]["name"] for e in got["data"]["residents"]["edges"]] == names, (f, got)
    masked = await gql(residents, {"p": world["p1"], "f": {"name": "王"}}, token=world["pm"])
    assert masked["data"]["residents"]["edges"][0]["node"]["phoneMasked"] == "138****8000"
    bad = await gql(residents, {"p": world["p1"], "f": {"phone": "12345"}}, token=world["pm"])
    assert bad["errors"][0]["extensions"]["code"] == "VALIDATION"


async def test_a_case_shows_its_flat_building_and_resident(gql, world):
    body = await gql('query($c: ID!) { case(id: $c) { unit { label building { name } } building { name } '
                     'resident { name phoneMasked openCases { number } recentCases { number } '
                     '  occupancies { role unit { label } } } } }', {"c": world["case"]["id"]}, token=world["pm"])
    assert "errors" not in body, body
    number = world["case"]["number"]
    assert body["data"]["case"] == {
        "unit": {"label": "3号楼 2单元 1502", "building": {"name": "3号楼"}}, "building": {"name": "3号楼"},
        "resident": {"name": "王建国", "phoneMasked": "138****8000", "openCases": [{"number": number}],
                     "recentCases": [{"number": number}], "occupancies": [{"role": "OWNER", "unit": {"label": "3号楼 2单元 1502"}}]}}
    history = await gql(RESIDENT, {"id": world["mine"]["r"]}, token=world["pm"])
    assert history["data"]["node"]["project"] == {"id": world["p1"]}
    stays = history["data"]["node"]["occupancies"]
    assert [(s["role"], s["current"], s["movedOutOn"]) for s in stays] == [("OWNER", True, None), ("TENANT", False, "2021-02-28")]


async def test_a_technician_sees_whom_to_call_not_the_archive(gql, world):
    body = await gql('query($c: ID!) { case(id: $c) { resident { name phoneMasked erased } } }',
                     {"c": world["case"]["id"]}, token=world["tech"])
    assert body["data"]["case"]["resident"] == {"name": "王建国", "phoneMasked": "138****8000", "erased": False}
    flat = await gql('query($c: ID!) { case(id: $c) { unit { label occupants { role } } } }', {"c": world["case"]["id"]},
                     token=world["tech"])
    assert flat["errors"][0]["extensions"]["code"] == "FORBIDDEN" and flat["errors"][0]["path"][-1] == "occupants"
    for field in ("idNumberMasked", "project { name }", "occupancies { role }", "openCases { number }", "recentCases { number }"):
        denied = await gql('query($c: ID!) { case(id: $c) { resident { %s } } }' % field, {"c": world["case"]["id"]},
                           token=world["tech"])
        assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN", (field, denied)
    listed = await gql('query($p: ID!) { residents(projectId: $p) { totalCount } }', {"p": world["p1"]}, token=world["tech"])
    assert listed["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Places hold no personal data: whoever registers cases for a flat may list them.
    places = await gql('query($p: ID!) { units(projectId: $p) { totalCount } }', {"p": world["p1"]}, token=world["tech"])
    assert places["data"]["units"]["totalCount"] == 2


async def test_a_flat_lists_its_open_cases_and_never_another_companys(gql, world, other_org):
    """Unit.openCases: the cases about the flat not yet finished, whoever reported them; archive:read,
    as the flat's people are; another company's flat, even with a case of its own, stays unseen."""
    foreign_admin = await gql.login(other_org)
    theirs = await gql('mutation($p: ID!, $u: ID!) { registerCase(input: {projectId: $p, kind: REPAIR, channel: PHONE, '
                       'category: "water_power", unitId: $u, description: "外墙渗水"}) { case { number } errors { code } } }',
                       {"p": to_global_id("Project", other_org.projects["P1"]), "u": world["foreign"]["u1"]}, token=foreign_admin)
    assert theirs["data"]["registerCase"]["errors"] == [], theirs
    flat = "query($id: ID!) { node(id: $id) { ... on Unit { label openCases { number } } } }"
    mine = await gql(flat, {"id": world["mine"]["u1"]}, token=world["pm"])
    assert mine["data"]["node"] == {"label": "3号楼 2单元 1502", "openCases": [{"number": world["case"]["number"]}]}, mine
    empty = await gql(flat, {"id": world["mine"]["u2"]}, token=world["pm"])
    assert empty["data"]["node"]["openCases"] == []
    for whose, token in (("foreign", world["admin"]), ("foreign", world["pm"]), ("ungranted", world["pm"])):
        body = await gql(flat, {"id": world[whose]["u1"]}, token=token)
        assert body["data"]["node"] is None, (whose, body)
    own = await gql(flat, {"id": world["foreign"]["u1"]}, token=foreign_admin)
    assert own["data"]["node"]["openCases"] == [{"number": theirs["data"]["registerCase"]["case"]["number"]}]
    denied = await gql(flat, {"id": world["mine"]["u1"]}, token=world["tech"])
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN" and denied["errors"][0]["path"][-1] == "openCases"


@pytest.mark.parametrize("kind", ["b", "u1", "r"])
async def test_another_company_or_project_answers_null(gql, world, kind):
    document = "query($id: ID!) { node(id: $id) { id } }"
    assert (await gql(document, {"id": world["mine"][kind]}, token=world["pm"]))["data"]["node"] == {"id": world["mine"][kind]}
    for whose, token in (("foreign", world["admin"]), ("ungranted", world["pm"]), ("foreign", world["pm"])):
        body = await gql(document, {"id": world[whose][kind]}, token=token)
        assert body["data"]["node"] is None, (whose, body)
    # A filter naming another company's flat or building finds nothing rather than telling it exists.
    for f in ({"unitId": world["foreign"]["u1"]}, {"buildingId": world["foreign"]["b"]}):
        body = await gql('query($p: ID!, $f: ResidentFilter) { residents(projectId: $p, filter: $f) { totalCount } }',
                         {"p": world["p1"], "f": f}, token=world["admin"])
        assert body["data"]["residents"]["totalCount"] == 0


async def test_a_page_of_cases_costs_the_same_statements_for_one_case_or_many(gql, world, platform, org):
    from tests.api.conftest import statements_of

    query = ("{ cases(first: 50) { edges { node { unit { label building { name } openCases { number } } building { name } "
             "resident { name phoneMasked openCases { number } recentCases { number } occupancies { unit { label } } } } } } }")
    one = await statements_of(platform, org, query)
    register = ('mutation($p: ID!, $u: ID!, $r: ID!) { registerCase(input: {projectId: $p, kind: REPAIR, channel: PHONE, '
                'category: "water_power", unitId: $u, reporterResidentId: $r, description: "楼上渗水"}) { errors { code } } }')
    for unit, resident in (("u1", "r2"), ("u2", "r"), ("u1", "r")):
        body = await gql(register, {"p": world["p1"], "u": world["mine"][unit], "r": world["mine"][resident]}, token=world["admin"])
        assert body["data"]["registerCase"]["errors"] == []
    assert await statements_of(platform, org, query) == one


@pytest.mark.parametrize("query", [
    "{ buildings(projectId: \"\") { totalCount } }",
    "{ units(projectId: \"\") { totalCount } }",
    "{ residents(projectId: \"\") { totalCount } }",
    "{ personalDataReveals(projectId: \"\") { totalCount } }",
])
async def test_an_empty_project_id_is_a_validation_error(gql, world, query):
    body = await gql(query, token=world["admin"])
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION", body
    assert body["errors"][0]["extensions"].get("field") == "projectId", body
