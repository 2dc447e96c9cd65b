"""Residents' contacts, parking spaces, vehicles and pets through the API (docs/archive.md §5,
§5.2): each mutation and query, contacts answered masked only, the lists on Resident, Unit,
ParkingSpace, Vehicle and Pet, and a wall for every one of them — another company's admin and a
project manager of another project find nothing (NOT_FOUND, node null) and change nothing; a
technician, who may read the case, does not read the family's belongings. Through the real app,
as the application role."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.conftest import add_user

SETUP_BUILDING = """mutation($p: ID!) { createBuilding(input: {projectId: $p, name: "3号楼", floors: 18}) { building { id } } }"""
SETUP_UNIT = """mutation($b: ID!, $n: String!) { createUnit(input: {buildingId: $b, number: $n, floor: 15})
  { unit { id } } }"""
SETUP_RESIDENT = """mutation($p: ID!, $u: ID, $n: String!) { registerResident(input: {projectId: $p, name: $n, unitId: $u})
  { resident { id } errors { code message } } }"""

ADD_CONTACT = """mutation($r: ID!, $v: String!) { addResidentContact(residentId: $r, kind: EMERGENCY, value: $v,
  label: "紧急联系人·女儿", idempotencyKey: "ac") { contact { id kind kindLabel label valueMasked }
  resident { contacts { valueMasked } } errors { code reason field message existingId } } }"""
REMOVE_CONTACT = """mutation($c: ID!) { removeResidentContact(contactId: $c, idempotencyKey: "rc") { removedId
  resident { contacts { id } } errors { code message } } }"""
CREATE_SPACE = """mutation($p: ID!, $u: ID, $h: ID, $n: String!) { createParkingSpace(input: {projectId: $p, area: "地下B1",
  number: $n, unitId: $u, holderId: $h}) { parkingSpace { id area number tenure tenureLabel unit { label } holder { name } }
  errors { code reason field message existingId } } }"""
UPDATE_SPACE = """mutation($s: ID!) { updateParkingSpace(spaceId: $s, input: {tenure: LEASED, leaseUntil: "2027-06-30"},
  idempotencyKey: "us") { parkingSpace { tenure leaseUntil } errors { code message } } }"""
REGISTER_VEHICLE = """mutation($r: ID!, $s: ID, $plate: String!) { registerVehicle(input: {residentId: $r, plate: $plate,
  kind: NEW_ENERGY, brand: "比亚迪", colour: "白", spaceId: $s}) { vehicle { id plate kind kindLabel brand colour
  owner { name } space { number } } errors { code reason field message existingId } } }"""
UPDATE_VEHICLE = """mutation($v: ID!) { updateVehicle(vehicleId: $v, input: {colour: "黑", spaceId: null, validUntil: "2027-01-01"},
  idempotencyKey: "uv") { vehicle { colour space { number } validUntil } errors { code message } } }"""
REMOVE_VEHICLE = """mutation($v: ID!) { removeVehicle(vehicleId: $v, idempotencyKey: "rv") { removedId
  resident { vehicles { plate } } errors { code message } } }"""
REGISTER_PET = """mutation($r: ID!, $u: ID, $n: String!) { registerPet(input: {residentId: $r, unitId: $u, name: $n,
  species: DOG, breed: "柴犬"}) { pet { id name species speciesLabel vaccinatedOn vaccinationDue owner { name }
  unit { label } } errors { code reason field message existingId } } }"""
UPDATE_PET = """mutation($p: ID!, $d: Date) { updatePet(petId: $p, input: {vaccinatedOn: $d, licenceNo: "京犬字001"},
  idempotencyKey: "up") { pet { vaccinatedOn vaccinationDue licenceNo } errors { code message } } }"""
REMOVE_PET = """mutation($p: ID!) { removePet(petId: $p, idempotencyKey: "rp") { removedId resident { pets { name } }
  errors { code message } } }"""

SPACES = """query($p: ID!, $v: Boolean) { parkingSpaces(projectId: $p, vacant: $v) { totalCount
  edges { node { number holder { name } vehicles { plate } } } } }"""
VEHICLES = """query($p: ID!, $plate: String, $r: ID) { vehicles(projectId: $p, plate: $plate, residentId: $r) { totalCount
  edges { node { plate owner { name } } } } }"""
PETS = """query($p: ID!, $due: Boolean) { pets(projectId: $p, vaccinationDue: $due, species: DOG) { totalCount
  edges { node { name vaccinationDue } } } }"""
NODE = "query($id: ID!) { node(id: $id) { id } }"


@pytest.fixture
async def world(gql, owner_engine, org, other_org):
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    await add_user(owner_engine, org, "tech1", "technician", "P1")
    pm = await gql.login(org, "pm1")
    p1 = to_global_id("Project", org.projects["P1"])
    building = (await gql(SETUP_BUILDING, {"p": p1}, token=pm))["data"]["createBuilding"]["building"]["id"]
    unit = (await gql(SETUP_UNIT, {"b": building, "n": "1502"}, token=pm))["data"]["createUnit"]["unit"]["id"]
    owner = (await gql(SETUP_RESIDENT, {"p": p1, "u": unit, "n": "王建国"}, token=pm))["data"]["registerResident"]["resident"]["id"]
    other = (await gql(SETUP_RESIDENT, {"p": p1, "u": None, "n": "李秀英"}, token=pm))["data"]["registerResident"]["resident"]["id"]
    return {"pm": pm, "p1": p1, "unit": unit, "owner": owner, "other": other, "admin": await gql.login(org),
            "pm2": await gql.login(org, "pm2"), "stranger": await gql.login(other_org), "tech": await gql.login(org, "tech1")}


def _data(body: dict, name: str) -> dict:
    assert "errors" not in body, body
    payload = body["data"][name]
    assert payload.get("errors", []) == [], body
    return payload


async def test_a_project_manager_records_a_familys_contacts_space_car_and_dog(gql, world):
    pm = world["pm"]
    contact = _data(await gql(ADD_CONTACT, {"r": world["owner"], "v": "+86 139 0013 9000"}, token=pm), "addResidentContact")
    assert contact["contact"] | {"id": None} == {"id": None, "kind": "EMERGENCY", "kindLabel": "紧急联系人",
                                                "label": "紧急联系人·女儿", "valueMasked": "139****9000"}
    assert contact["resident"]["contacts"] == [{"valueMasked": "139****9000"}]
    dup = await gql(ADD_CONTACT.replace('"ac"', '"ac2"'), {"r": world["owner"], "v": "13900139000"}, token=pm)
    assert dup["data"]["addResidentContact"]["errors"][0]["reason"] == "CONTACT_EXISTS"
    assert "13900139000" not in str(contact)  # masked only, always

    space = _data(await gql(CREATE_SPACE, {"p": world["p1"], "u": world["unit"], "h": world["owner"], "n": "A-018"}, token=pm),
                  "createParkingSpace")["parkingSpace"]
    assert space | {"id": None} == {"id": None, "area": "地下B1", "number": "A-018", "tenure": "OWNED", "tenureLabel": "产权",
                                    "unit": {"label": "3号楼 1502"}, "holder": {"name": "王建国"}}
    empty = _data(await gql(CREATE_SPACE, {"p": world["p1"], "u": None, "h": None, "n": "A-019"}, token=pm),
                  "createParkingSpace")["parkingSpace"]
    same = await gql(CREATE_SPACE, {"p": world["p1"], "u": None, "h": None, "n": "A-019"}, token=pm)
    assert same["data"]["createParkingSpace"]["errors"][0]["existingId"] == empty["id"]
    leased = _data(await gql(UPDATE_SPACE, {"s": space["id"]}, token=pm), "updateParkingSpace")["parkingSpace"]
    assert leased == {"tenure": "LEASED", "leaseUntil": "2027-06-30"}

    car = _data(await gql(REGISTER_VEHICLE, {"r": world["owner"], "s": space["id"], "plate": "粤b·d12345"}, token=pm),
                "registerVehicle")["vehicle"]
    assert car | {"id": None} == {"id": None, "plate": "粤BD12345", "kind": "NEW_ENERGY", "kindLabel": "新能源汽车",
                                  "brand": "比亚迪", "colour": "白", "owner": {"name": "王建国"}, "space": {"number": "A-018"}}
    plate_taken = await gql(REGISTER_VEHICLE, {"r": world["other"], "s": None, "plate": "粤B D12345"}, token=pm)
    error = plate_taken["data"]["registerVehicle"]["errors"][0]
    assert (error["code"], error["reason"], error["field"], error["existingId"]) == ("CONFLICT", "PLATE_EXISTS", "plate", car["id"])
    assert error["message"].startswith("本项目已登记这个车牌")
    bad = await gql(REGISTER_VEHICLE, {"r": world["other"], "s": None, "plate": "ABC"}, token=pm)
    assert bad["data"]["registerVehicle"]["errors"][0]["field"] == "plate"
    _data(await gql(REGISTER_VEHICLE, {"r": world["other"], "s": None, "plate": "京A12345"}, token=pm), "registerVehicle")

    dog = _data(await gql(REGISTER_PET, {"r": world["owner"], "u": world["unit"], "n": "旺财"}, token=pm), "registerPet")["pet"]
    assert dog | {"id": None} == {"id": None, "name": "旺财", "species": "DOG", "speciesLabel": "犬", "vaccinatedOn": None,
                                  "vaccinationDue": True, "owner": {"name": "王建国"}, "unit": {"label": "3号楼 1502"}}
    _data(await gql(REGISTER_PET, {"r": world["other"], "u": None, "n": "小黑"}, token=pm), "registerPet")

    # The lists and their filters.
    spaces = _data(await gql(SPACES, {"p": world["p1"], "v": None}, token=pm), "parkingSpaces")
    assert spaces["edges"][0]["node"] == {"number": "A-018", "holder": {"name": "王建国"}, "vehicles": [{"plate": "粤BD12345"}]}
    vacant = _data(await gql(SPACES, {"p": world["p1"], "v": True}, token=pm), "parkingSpaces")
    assert [e["node"]["number"] for e in vacant["edges"]] == ["A-019"]
    for plate, resident, plates in (("d123", None, ["粤BD12345"]), ("a·1", None, ["京A12345"]), (None, world["other"], ["京A12345"]),
                                    (None, None, ["京A12345", "粤BD12345"])):
        got = _data(await gql(VEHICLES, {"p": world["p1"], "plate": plate, "r": resident}, token=pm), "vehicles")
        assert [e["node"]["plate"] for e in got["edges"]] == plates, (plate, got)
    shot = _data(await gql(UPDATE_PET, {"p": dog["id"], "d": "2026-12-01"}, token=pm), "updatePet")["pet"]
    assert shot == {"vaccinatedOn": "2026-12-01", "vaccinationDue": False, "licenceNo": "京犬字001"}
    due = _data(await gql(PETS, {"p": world["p1"], "due": True}, token=pm), "pets")
    assert [e["node"] for e in due["edges"]] == [{"name": "小黑", "vaccinationDue": True}]
    assert _data(await gql(PETS, {"p": world["p1"], "due": None}, token=pm), "pets")["totalCount"] == 2

    family = await gql('query($r: ID!, $u: ID!) { r: node(id: $r) { ... on Resident { contacts { valueMasked } '
                       'vehicles { plate space { holder { name } } } pets { name unit { label } } } } '
                       'u: node(id: $u) { ... on Unit { parkingSpaces { number vehicles { plate } } } } }',
                       {"r": world["owner"], "u": world["unit"]}, token=pm)
    assert family["data"] == {
        "r": {"contacts": [{"valueMasked": "139****9000"}], "vehicles": [{"plate": "粤BD12345", "space": {"holder": {"name": "王建国"}}}],
              "pets": [{"name": "旺财", "unit": {"label": "3号楼 1502"}}]},
        "u": {"parkingSpaces": [{"number": "A-018", "vehicles": [{"plate": "粤BD12345"}]}]}}
    for record in (space["id"], car["id"], dog["id"]):
        assert (await gql(NODE, {"id": record}, token=pm))["data"]["node"] == {"id": record}

    moved = _data(await gql(UPDATE_VEHICLE, {"v": car["id"]}, token=pm), "updateVehicle")["vehicle"]
    assert moved == {"colour": "黑", "space": None, "validUntil": "2027-01-01"}
    assert _data(await gql(REMOVE_VEHICLE, {"v": car["id"]}, token=pm), "removeVehicle")["resident"] == {"vehicles": []}
    assert _data(await gql(REMOVE_PET, {"p": dog["id"]}, token=pm), "removePet")["resident"] == {"pets": []}
    gone = _data(await gql(REMOVE_CONTACT, {"c": contact["contact"]["id"]}, token=pm), "removeResidentContact")
    assert gone["removedId"] == contact["contact"]["id"] and gone["resident"] == {"contacts": []}
    assert (await gql(NODE, {"id": car["id"]}, token=pm))["data"]["node"] is None


async def _belongings(gql, world) -> dict:
    pm = world["pm"]
    contact = _data(await gql(ADD_CONTACT, {"r": world["owner"], "v": "13900139000"}, token=pm), "addResidentContact")
    space = _data(await gql(CREATE_SPACE, {"p": world["p1"], "u": world["unit"], "h": world["owner"], "n": "A-018"}, token=pm),
                  "createParkingSpace")
    car = _data(await gql(REGISTER_VEHICLE, {"r": world["owner"], "s": space["parkingSpace"]["id"], "plate": "京A12345"},
                          token=pm), "registerVehicle")
    dog = _data(await gql(REGISTER_PET, {"r": world["owner"], "u": world["unit"], "n": "旺财"}, token=pm), "registerPet")
    return {"contact": contact["contact"]["id"], "space": space["parkingSpace"]["id"], "vehicle": car["vehicle"]["id"],
            "pet": dog["pet"]["id"]}


async def _state(owner_engine, org) -> list:
    async with owner_engine.connect() as conn:
        return [(await conn.execute(text(f"SELECT to_jsonb(t) - 'created_at' FROM {table} t WHERE org_id = :o ORDER BY id"),
                                    {"o": org.org_id})).scalars().all()
                for table in ("resident_contacts", "parking_spaces", "vehicles", "pets")]


async def test_another_company_and_another_projects_manager_find_nothing_and_change_nothing(gql, world, owner_engine, org,
                                                                                            other_org):
    ids = await _belongings(gql, world)
    before = await _state(owner_engine, org)
    mutations = ((ADD_CONTACT, {"r": world["owner"], "v": "13700137000"}, "addResidentContact"),
                 (REMOVE_CONTACT, {"c": ids["contact"]}, "removeResidentContact"),
                 (CREATE_SPACE, {"p": world["p1"], "u": None, "h": None, "n": "Z-1"}, "createParkingSpace"),
                 (UPDATE_SPACE, {"s": ids["space"]}, "updateParkingSpace"),
                 (REGISTER_VEHICLE, {"r": world["owner"], "s": None, "plate": "京B54321"}, "registerVehicle"),
                 (UPDATE_VEHICLE, {"v": ids["vehicle"]}, "updateVehicle"),
                 (REMOVE_VEHICLE, {"v": ids["vehicle"]}, "removeVehicle"),
                 (REGISTER_PET, {"r": world["owner"], "u": None, "n": "咪咪"}, "registerPet"),
                 (UPDATE_PET, {"p": ids["pet"], "d": "2026-01-01"}, "updatePet"),
                 (REMOVE_PET, {"p": ids["pet"]}, "removePet"))
    queries = ((SPACES, {"p": world["p1"], "v": None}, "parkingSpaces"),
               (VEHICLES, {"p": world["p1"], "plate": None, "r": None}, "vehicles"),
               (PETS, {"p": world["p1"], "due": None}, "pets"))
    for who in ("stranger", "pm2"):
        token = world[who]
        for document, variables, name in mutations:
            body = await gql(document, variables, token=token)
            assert body["data"][name]["errors"][0]["code"] == "NOT_FOUND", (who, name, body)
        for document, variables, name in queries:
            body = await gql(document, variables, token=token)
            assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND", (who, name, body)
        for record in ("space", "vehicle", "pet"):
            assert (await gql(NODE, {"id": ids[record]}, token=token))["data"]["node"] is None, (who, record)
    # Naming another company's resident in a filter of one's own project finds nothing rather than telling it exists.
    own = to_global_id("Project", other_org.projects["P1"])
    body = await gql(VEHICLES, {"p": own, "plate": None, "r": world["owner"]}, token=world["stranger"])
    assert body["data"]["vehicles"]["totalCount"] == 0
    mine = await gql(VEHICLES, {"p": world["p1"], "plate": None, "r": world["owner"]}, token=world["pm"])
    assert mine["data"]["vehicles"]["totalCount"] == 1
    assert await _state(owner_engine, org) == before


async def test_a_technician_reads_the_case_not_the_familys_belongings(gql, world):
    ids = await _belongings(gql, world)
    case = await gql('mutation($p: ID!, $u: ID!, $r: ID!) { registerCase(input: {projectId: $p, kind: REPAIR, channel: PHONE, '
                     'category: "water_power", unitId: $u, reporterResidentId: $r, description: "车位漏水"}) { case { id } } }',
                     {"p": world["p1"], "u": world["unit"], "r": world["owner"]}, token=world["admin"])
    case_id = case["data"]["registerCase"]["case"]["id"]
    for field in ("resident { contacts { valueMasked } }", "resident { vehicles { plate } }", "resident { pets { name } }",
                  "unit { parkingSpaces { number } }"):
        body = await gql('query($c: ID!) { case(id: $c) { %s } }' % field, {"c": case_id}, token=world["tech"])
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (field, body)
    for document, variables, name in ((SPACES, {"p": world["p1"], "v": None}, "parkingSpaces"),
                                      (PETS, {"p": world["p1"], "due": None}, "pets")):
        body = await gql(document, variables, token=world["tech"])
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (name, body)
    body = await gql(NODE, {"id": ids["vehicle"]}, token=world["tech"])
    assert body["data"]["node"] is None


async def test_a_page_of_residents_with_their_belongings_costs_the_same_statements(gql, world, platform, org):
    from tests.api.conftest import statements_of

    query = ('{ residents(projectId: "%s", filter: {current: false}, first: 50) { edges { node { name '
             'contacts { valueMasked } vehicles { plate space { number holder { name } } owner { name } } '
             'pets { name unit { label } owner { name } } } } } }' % world["p1"])
    await _belongings(gql, world)  # one resident with each kind, the car on a space: every field has rows to load
    one = await statements_of(platform, org, query)
    pm = world["pm"]
    for n, name in enumerate(("张三", "李四", "王五")):
        resident = _data(await gql(SETUP_RESIDENT, {"p": world["p1"], "u": world["unit"], "n": name}, token=pm),
                         "registerResident")["resident"]["id"]
        _data(await gql(ADD_CONTACT.replace('"ac"', f'"ac{n}"'), {"r": resident, "v": f"1390013900{n}"}, token=pm),
              "addResidentContact")
        space = _data(await gql(CREATE_SPACE, {"p": world["p1"], "u": world["unit"], "h": resident, "n": f"B-{n}"}, token=pm),
                      "createParkingSpace")["parkingSpace"]["id"]
        _data(await gql(REGISTER_VEHICLE, {"r": resident, "s": space, "plate": f"京C1234{n}"}, token=pm), "registerVehicle")
        _data(await gql(REGISTER_PET, {"r": resident, "u": world["unit"], "n": "小白"}, token=pm), "registerPet")
    assert await statements_of(platform, org, query) == one


@pytest.mark.parametrize("query", [
    '{ parkingSpaces(projectId: "") { totalCount } }',
    '{ vehicles(projectId: "") { totalCount } }',
    '{ pets(projectId: "") { totalCount } }',
])
async def test_an_empty_project_id_is_a_validation_error(gql, world, query):
    body = await gql(query, token=world["admin"])
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION", body
    assert body["errors"][0]["extensions"].get("field") == "projectId", body


async def test_a_field_a_belonging_cannot_be_without_given_as_null_is_refused_with_its_name(gql, world):
    """As for buildings, flats and residents: left out keeps, null is refused — only the fields that
    say so (unitId, holderId, spaceId, leaseUntil, validUntil, vaccinatedOn) are cleared by null."""
    pm = world["pm"]
    space = _data(await gql(CREATE_SPACE, {"p": world["p1"], "u": None, "h": None, "n": "B-001"}, token=pm),
                  "createParkingSpace")["parkingSpace"]["id"]
    car = _data(await gql(REGISTER_VEHICLE, {"r": world["owner"], "s": None, "plate": "京A12345"}, token=pm),
                "registerVehicle")["vehicle"]["id"]
    dog = _data(await gql(REGISTER_PET, {"r": world["owner"], "u": None, "n": "旺财"}, token=pm), "registerPet")["pet"]["id"]
    attempts = [("updateParkingSpace", "spaceId", space, f) for f in ("area", "number", "tenure")]
    attempts += [("updateVehicle", "vehicleId", car, f) for f in ("residentId", "plate", "kind", "brand", "colour")]
    attempts += [("updatePet", "petId", dog, f) for f in ("residentId", "name", "species", "breed", "licenceNo")]
    for mutation, arg, target, field in attempts:
        body = await gql(f'mutation($x: ID!) {{ {mutation}({arg}: $x, input: {{{field}: null}}) {{ errors {{ code field message }} }} }}',
                         {"x": target}, token=pm)
        errors = body["data"][mutation]["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [("VALIDATION", field)], (mutation, field, body)
    body = await gql('query($v: ID!, $p: ID!) { v: node(id: $v) { ... on Vehicle { plate brand owner { name } } } '
                     'p: node(id: $p) { ... on Pet { name breed } } }', {"v": car, "p": dog}, token=pm)
    assert body["data"] == {"v": {"plate": "京A12345", "brand": "比亚迪", "owner": {"name": "王建国"}},
                            "p": {"name": "旺财", "breed": "柴犬"}}
