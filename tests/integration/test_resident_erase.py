"""删除个人信息 (PIPL, docs/archive.md §3) without GraphQL: a resident who reported cases — their name
and phone typed into the descriptions, a written reply addressed to them, a repeat-complainant
alert with their name, webhooks and audit rows that copied all of it — is erased, and then every
text, varchar, text[] and jsonb column of every table of the database is searched, as the owner,
for the name, the phone as typed and canonical, the ID number and the contact's number: none.
The cases stay whole; lookups find nobody; erasing again answers the same; a refusal writes
nothing."""

from __future__ import annotations

import random
import uuid

import pytest
from sqlalchemy import text

from api.print.written_reply import render
from domain.archive import erase_service, service
from domain.archive.commands import CreateBuilding, CreateUnit, RegisterResident
from domain.archive.lookup import residents_by_phone
from domain.archive.reads_people import ResidentFilter, resident_page
from domain.cases import service as cases
from domain.cases.commands import ApproveDecline, ReceiveCase, RegisterCase, RequestDecline
from domain.cases.model import WrittenReply
from domain.cases.states import CaseKind, Channel, Severity
from domain.cases.written_reply_read import written_replies
from domain.errors import DomainError, ErrorCode
from domain.reads import ConnectionReader
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role
from tests.api.test_org_overview import settle
from tests.workers.test_delivery import ADD, SECRET, Receiver

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def someone() -> dict[str, str]:
    """A person no other test has: a two-character given name, a random mobile, a valid ID card."""
    name = "欧阳" + "".join(random.sample("子健明华伟芳秀英敏静丽强磊军洋勇艳杰涛超", 2))
    digits = f"{random.randrange(10**8):08d}"
    body = f"11010519{random.randrange(60, 99)}0{random.randrange(1, 9)}1{random.randrange(1, 9)}{random.randrange(100, 999)}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]
    return {"name": name, "phone": f"139{digits}", "typed": f"139 {digits[:4]} {digits[4:]}",
            "dashed": f"139-{digits[:4]}-{digits[4:]}", "id": body + check, "daughter": f"137{digits[::-1]}"}


def uow_of(platform, org, role: Role = Role.ORG_ADMIN, project: str | None = None) -> UnitOfWork:
    p = Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(role, org.projects[project] if project else None),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def holding(owner_engine, needles: list[str]) -> set[tuple[str, str, str]]:
    """(table, column, needle) for every text-like column of every table holding a needle anywhere."""
    found = set()
    async with owner_engine.connect() as conn:
        columns = (await conn.execute(text(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' "
            "AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb') "
            "     OR (c.data_type = 'ARRAY' AND c.udt_name IN ('_text', '_varchar')))"))).all()
        assert len(columns) > 150  # the whole schema, not a few tables
        for table, column in columns:
            for needle in needles:
                hit = (await conn.execute(text(f'SELECT 1 FROM "{table}" WHERE strpos(CAST("{column}" AS text), :n) > 0 LIMIT 1'),
                                          {"n": needle})).first()
                if hit is not None:
                    found.add((table, column, needle))
    return found


async def intact(owner_engine, org) -> dict:
    """What erasure must not change: the cases, their clocks, their audit trail."""
    async with owner_engine.connect() as conn:
        def rows(sql):
            return conn.execute(text(sql), {"o": org.org_id})
        return {
            "cases": (await rows("SELECT id, number, kind, state, category_id, unit_id, reporter_resident_id, received_at, "
                                 "registered_at FROM cases WHERE org_id = :o ORDER BY number")).all(),
            "timers": (await rows("SELECT case_id, target, round, level, due_at, fired_at FROM sla_timers WHERE org_id = :o "
                                  "ORDER BY case_id, target")).all(),
            "targets": (await rows("SELECT case_id, target, round, clock, started_at, due_at, met_at FROM case_targets WHERE org_id = :o "
                                   "ORDER BY case_id, target")).all(),
            "trail": (await rows("SELECT id, action, entity_id, from_state, to_state, actor, at FROM audit_log "
                                 "WHERE org_id = :o AND entity = 'case' ORDER BY id")).all(),
            "stays": (await rows("SELECT id, unit_id, resident_id, role FROM occupancies WHERE org_id = :o ORDER BY id")).all(),
        }


async def written(owner_engine, org) -> dict:
    async with owner_engine.connect() as conn:
        def rows(sql):
            return conn.execute(text(sql), {"o": org.org_id})
        return {
            "audit": (await rows("SELECT count(*) FROM audit_log WHERE org_id = :o")).scalar(),
            "events": (await rows("SELECT count(*) FROM outbox WHERE org_id = :o")).scalar(),
            "residents": (await rows("SELECT id, name, phone_masked, erased_at, erased_by FROM residents WHERE org_id = :o "
                                     "ORDER BY id")).all(),
            "keys": (await rows("SELECT key FROM idempotency_keys WHERE org_id = :o AND operation = 'eraseResident' "
                                "ORDER BY key")).scalars().all(),
        }


async def refused(use_case) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await use_case
    return caught.value


async def test_erasure_leaves_no_copy_and_the_cases_whole(gql, platform, owner_engine, org, other_org, stub_worker):
    async with owner_engine.begin() as conn:
        # The session shares one database: earlier tests' unrelayed events (deliveries to hosts that do not
        # resolve, retried with backoff) would otherwise hold up this test's settle past its timeout.
        await conn.execute(text("UPDATE outbox SET published_at = now() WHERE published_at IS NULL"))
    who, neighbour = someone(), someone()
    receiver = Receiver(fail_first=0)
    admin_token = await gql.login(org)
    hook = {"kind": "WEBHOOK", "name": "业主App", "target": f"{receiver.url}/hook", "secret": SECRET,
            "topics": ["alert.raised", "case.declined", "resident.erased"]}
    assert (await gql(ADD, {"i": hook}, token=admin_token))["data"]["addDeliveryChannel"]["errors"] == []

    p1 = org.projects["P1"]
    building = await service.create_building(CreateBuilding(p1, "7号楼", 20), uow_of(platform, org))
    unit = await service.create_unit(CreateUnit(building, "1201", 12), uow_of(platform, org))
    resident = await service.register_resident(RegisterResident(
        project_id=p1, name=who["name"], phone=who["typed"], id_number=who["id"], unit_id=unit, note="独居，腿脚不便"),
        uow_of(platform, org), cipher=platform.cipher)
    other = await service.register_resident(RegisterResident(project_id=p1, name=neighbour["name"], phone=neighbour["typed"],
                                                             unit_id=unit), uow_of(platform, org), cipher=platform.cipher)
    async with owner_engine.begin() as conn:
        params = {"o": org.org_id, "p": p1, "r": resident, "u": unit, "s": uuid.uuid4(),
                  "e": platform.cipher.encrypt(who["daughter"]), "h": platform.cipher.lookup_hash(who["daughter"])}
        await conn.execute(text("INSERT INTO resident_contacts (org_id, project_id, resident_id, kind, label, value_enc, "
                                "value_hash, value_masked) VALUES (:o, :p, :r, 'emergency', '紧急联系人·女儿', :e, :h, '137****0000')"),
                           params)
        await conn.execute(text("INSERT INTO parking_spaces (org_id, project_id, id, area, number, unit_id, holder_id) "
                                "VALUES (:o, :p, :s, '地下B1', '018', :u, :r)"), params)
        await conn.execute(text("INSERT INTO vehicles (org_id, project_id, resident_id, plate, brand, space_id) "
                                "VALUES (:o, :p, :r, '京A12345', '大众', :s)"), params)
        await conn.execute(text("INSERT INTO pets (org_id, project_id, resident_id, unit_id, name, species) "
                                "VALUES (:o, :p, :r, :u, '豆豆', 'dog')"), params)

    def complaint(description: str, reporter: uuid.UUID) -> ReceiveCase:
        case = RegisterCase(project_id=p1, kind=CaseKind.COMPLAINT, severity=Severity.GENERAL, channel=Channel.PHONE,
                            category_code="noise", description=description, unit_id=unit, reporter_resident_id=reporter)
        return ReceiveCase(case=case, receiver_id=org.admin_id, project_ref=f"Project:{p1}")

    theirs = [await cases.register_case(complaint(d, resident), uow_of(platform, org)) for d in (
        f"{who['name']}来电：楼上深夜噪音（电话 {who['dashed']}）", f"噪音仍未解决，{who['name']}要求回电 +86 {who['phone']}，"
        f"或打女儿电话 {who['daughter']}", "第三次反映楼上噪音")]
    await cases.register_case(complaint(f"{neighbour['name']}反映电梯异响", other), uow_of(platform, org))
    change = {"case_id": theirs[0], "case_ref": f"Case:{theirs[0]}", "actor_id": org.admin_id}
    why = f"{who['name']}所诉噪音来自相邻小区施工，不在物业职责内"
    await cases.request_decline(RequestDecline(**change, reason=why), uow_of(platform, org))
    await cases.approve_decline(ApproveDecline(**change, reply=WrittenReply(
        f"尊敬的{who['name']}：经核查，噪音来自相邻小区施工。", f"身份证 {who['id']} 业主报事记录；《物业服务合同》第5条",
        (f"可致电 {who['phone']} 之外的住建热线",))), uow_of(platform, org))
    await settle(platform, stub_worker)

    needles = [who["name"], who["phone"], who["typed"], who["dashed"], who["id"], who["daughter"]]
    before = await holding(owner_engine, needles)
    # The copies the flows made, so the search below is not looking where nothing was.
    assert {("cases", "description"), ("cases", "search_text"), ("written_replies", "reason"), ("alerts", "title"),
            ("outbox", "payload"), ("audit_log", "data"), ("audit_log", "note"), ("deliveries", "body"),
            ("residents", "name")} <= {(t, c) for t, c, _ in before}
    kept = await intact(owner_engine, org)

    # Refused: no personal_data:erase, a project out of reach, another company, no reason — nothing written.
    e = await refused(erase_service.erase_resident(erase_service.EraseResident(resident, "本人来电要求删除", "e-1"),
                                                   uow_of(platform, org, Role.CS_SUPERVISOR, "P1"), unseal=platform.cipher.decrypt))
    assert e.code is ErrorCode.FORBIDDEN
    for uow in (uow_of(platform, org, Role.PROJECT_MANAGER, "P2"), uow_of(platform, other_org)):
        e = await refused(erase_service.erase_resident(erase_service.EraseResident(resident, "本人来电要求删除", "e-1"), uow,
                                                       unseal=platform.cipher.decrypt))
        assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "residentId")
    e = await refused(erase_service.erase_resident(erase_service.EraseResident(resident, " 删 ", "e-1"),
                                                   uow_of(platform, org), unseal=platform.cipher.decrypt))
    assert (e.code, e.field) == (ErrorCode.VALIDATION, "reason")
    untouched = await written(owner_engine, org)
    assert untouched["keys"] == [] and await holding(owner_engine, needles) == before

    pm = uow_of(platform, org, Role.PROJECT_MANAGER, "P1")
    assert await erase_service.erase_resident(erase_service.EraseResident(resident, "本人来电要求删除", "e-1"), pm,
                                              unseal=platform.cipher.decrypt) == resident
    await settle(platform, stub_worker)

    assert await holding(owner_engine, needles) == set()
    assert await intact(owner_engine, org) == kept
    after = await written(owner_engine, org)
    erased = next(r for r in after["residents"] if r.id == resident)
    assert (erased.name, erased.phone_masked, erased.erased_by) == ("已删除住户", None, f"user:{org.admin_id}")
    assert any(r.id == other and r.name == neighbour["name"] for r in after["residents"])  # the neighbour stays
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text(
            "SELECT kind, note, id_kind, id_number_enc, phone_hash, verified_at FROM residents WHERE id = :r"), {"r": resident})).one()
        assert tuple(row) == ("person", "", None, None, None, None)
        left = (await conn.execute(text(
            "SELECT (SELECT count(*) FROM resident_contacts WHERE resident_id = :r), "
            "(SELECT count(*) FROM vehicles WHERE resident_id = :r), "
            "(SELECT count(*) FROM pets WHERE resident_id = :r), (SELECT holder_id FROM parking_spaces WHERE org_id = :o), "
            "(SELECT count(*) FROM occupancies WHERE resident_id = :r)"), {"r": resident, "o": org.org_id})).one()
        assert tuple(left) == (0, 0, 0, None, 1)  # the stay stays: the flat and dates of an anonymous id
        audit = (await conn.execute(text("SELECT actor, data FROM audit_log WHERE entity_id = :r AND action = 'resident.erased'"),
                                    {"r": resident})).all()
        assert [tuple(a) for a in audit] == [(f"user:{org.admin_id}", {"reason": "本人来电要求删除"})]
        event = (await conn.execute(text("SELECT payload FROM outbox WHERE org_id = :o AND topic = 'resident.erased'"),
                                    {"o": org.org_id})).scalar_one()
        assert event["resident_id"] == str(resident)
        neighbours_case = (await conn.execute(text("SELECT description FROM cases WHERE reporter_resident_id = :r"),
                                              {"r": other})).scalar_one()
        assert neighbours_case == f"{neighbour['name']}反映电梯异响"  # another's case is not touched
        descriptions = (await conn.execute(text("SELECT description FROM cases WHERE reporter_resident_id = :r ORDER BY number"),
                                           {"r": resident})).scalars().all()
        assert descriptions[0] == "***来电：楼上深夜噪音（电话 ***）"
    # The integrators heard of it (and may now erase their copies).
    assert any(b"resident.erased" in r["body"] for r in receiver.at("/hook"))

    # Lookups find nobody: by phone (theirs or the contact's), by the name.
    scope = Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(Role.ORG_ADMIN, None),)).scope
    async with platform.transaction(scope) as conn:
        db = ConnectionReader(conn, org.org_id)
        for phone in (who["phone"], who["daughter"]):
            h = platform.cipher.lookup_hash(phone)
            assert await residents_by_phone(db, h, None, None) == []
            assert await resident_page(db, p1, ResidentFilter(phone_hash=h, current=False), None, 20) == []
        assert await resident_page(db, p1, ResidentFilter(name=who["name"], current=False), None, 20) == []
        # The letter they were sent, printed again, addresses the anonymous reader as 业主/住户.
        (reply,) = await written_replies(db, theirs[0])
        assert reply.resident is None and reply.reason == "尊敬的***：经核查，噪音来自相邻小区施工。"
        assert "尊敬的业主/住户" in render(reply) and "已删除住户" not in render(reply)

    # Again, with another reason or another key: the same answer, nothing more written.
    done = await written(owner_engine, org)
    for key, reason in (("e-1", "本人来电要求删除"), ("e-2", "再次要求"), (None, "第三次")):
        assert await erase_service.erase_resident(erase_service.EraseResident(resident, reason, key), uow_of(platform, org),
                                                  unseal=platform.cipher.decrypt) == resident
    again = await written(owner_engine, org)
    assert {k: v for k, v in again.items() if k != "keys"} == {k: v for k, v in done.items() if k != "keys"}
    assert (await written(owner_engine, other_org))["residents"] == []
