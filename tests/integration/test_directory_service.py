"""The directory's use cases without GraphQL: a command and a unit of work against the real
database. A change commits with its audit row and its outbox event; a refusal — a missing
permission, another company's project or login — writes nothing, not even the idempotency key; the
same key again answers the first result and writes nothing more; an API key's secret is kept
nowhere but as its hash."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import text

from domain.directory import service
from domain.directory.commands import AssignRole, CreateApiKey, CreateStaff, CreateUser, RevokeApiKey, RevokeRole
from domain.errors import DomainError, ErrorCode, ErrorReason
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role

PASSWORD = "directory-test-pw"


def uow_of(platform, org, role: Role = Role.ORG_ADMIN, project: str | None = None) -> UnitOfWork:
    p = Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(role, org.projects[project] if project else None),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def written(owner_engine, org) -> dict:
    """What the database holds of the company's directory and its records."""
    async with owner_engine.connect() as conn:
        def rows(sql):
            return conn.execute(text(sql), {"o": org.org_id})
        users = (await rows("SELECT username FROM users WHERE org_id = :o ORDER BY username")).scalars().all()
        # Grant ids are random: order by what a grant says, so a new one's place is its own.
        grants = (await rows("SELECT user_id, role, project_id FROM role_assignments WHERE org_id = :o "
                             "ORDER BY user_id, role, project_id NULLS FIRST")).all()
        staff = (await rows("SELECT name FROM staff WHERE org_id = :o ORDER BY name")).scalars().all()
        keys = (await rows("SELECT prefix, revoked_at IS NOT NULL FROM api_keys WHERE org_id = :o ORDER BY prefix")).all()
        audit = (await rows("SELECT action, actor, entity_id, project_id, data FROM audit_log WHERE org_id = :o "
                            "AND action NOT IN ('organization.created', 'project.created') ORDER BY id")).all()
        events = (await rows("SELECT topic, project_id, payload FROM outbox WHERE org_id = :o "
                             "AND topic NOT IN ('organization.created', 'project.created') ORDER BY created_at, id")).all()
        idempotency = (await rows("SELECT key, response FROM idempotency_keys WHERE org_id = :o ORDER BY key")).all()
    return {"users": users, "grants": [tuple(g) for g in grants], "staff": staff, "keys": [tuple(k) for k in keys],
            "audit": [tuple(a) for a in audit], "events": [tuple(e) for e in events],
            "idempotency": [tuple(i) for i in idempotency]}


async def refused(use_case) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await use_case
    return caught.value


async def test_create_user_commits_with_its_records_once_per_key(platform, owner_engine, org):
    before = await written(owner_engine, org)
    cmd = CreateUser(username=" Li.Wei ", display_name="李伟", password=PASSWORD, idempotency_key="u-1")
    user_id = await service.create_user(cmd, uow_of(platform, org))
    after = await written(owner_engine, org)
    actor = f"user:{org.admin_id}"
    assert after["users"] == sorted([*before["users"], "li.wei"])
    assert after["audit"] == [("user.created", actor, user_id, None, {"username": "li.wei"})]
    assert after["events"] == [("user.created", None, {"entity_id": str(user_id), "actor": actor, "username": "li.wei"})]
    assert after["idempotency"] == [("u-1", {"id": str(user_id)})]

    # The same key again: the first answer, nothing more written.
    assert await service.create_user(cmd, uow_of(platform, org)) == user_id
    assert await written(owner_engine, org) == after
    # The password is no part of the key's request, nor of any record.
    async with owner_engine.connect() as conn:
        assert PASSWORD not in str((await conn.execute(text("SELECT * FROM idempotency_keys WHERE org_id = :o"),
                                                         {"o": org.org_id})).all())


async def test_create_user_without_the_permission_writes_nothing(platform, owner_engine, org):
    before = await written(owner_engine, org)
    cmd = CreateUser(username="zhang.san", display_name="张三", password=PASSWORD, idempotency_key="u-2")
    e = await refused(service.create_user(cmd, uow_of(platform, org, Role.PROJECT_MANAGER, "P1")))
    assert e.code == ErrorCode.FORBIDDEN
    assert await written(owner_engine, org) == before
    # A rule's refusal leaves no key behind either: the key may be used again.
    e = await refused(service.create_user(CreateUser("zhang.san", "张三", "short", idempotency_key="u-2"), uow_of(platform, org)))
    assert (e.code, e.field) == (ErrorCode.VALIDATION, "password")
    assert await written(owner_engine, org) == before


async def test_assign_role_commits_with_its_records_once_per_key(platform, owner_engine, org):
    user_id = await service.create_user(CreateUser("wang.wu", "王五", PASSWORD), uow_of(platform, org))
    before = await written(owner_engine, org)
    cmd = AssignRole(user_id=user_id, role=Role.DISPATCHER, project_id=org.projects["P1"], idempotency_key="r-1")
    assignment_id = await service.assign_role(cmd, uow_of(platform, org))
    after = await written(owner_engine, org)
    actor = f"user:{org.admin_id}"
    assert sorted(after["grants"], key=str) == sorted([*before["grants"], (user_id, "dispatcher", org.projects["P1"])], key=str)
    assert after["audit"][len(before["audit"]):] == [("role.assigned", actor, user_id, org.projects["P1"], {"role": "dispatcher"})]
    assert after["events"][len(before["events"]):] == [
        ("role.assigned", org.projects["P1"], {"entity_id": str(user_id), "actor": actor, "role": "dispatcher"})]
    assert after["idempotency"] == [("r-1", {"id": str(assignment_id)})]

    assert await service.assign_role(cmd, uow_of(platform, org)) == assignment_id
    assert await written(owner_engine, org) == after

    # The same key with other input is a conflict, and writes nothing.
    other = AssignRole(user_id=user_id, role=Role.CS_AGENT, project_id=org.projects["P1"], idempotency_key="r-1")
    assert (await refused(service.assign_role(other, uow_of(platform, org)))).code == ErrorCode.CONFLICT
    assert await written(owner_engine, org) == after

    # Taken back: the grant is gone, with its own records.
    assert await service.revoke_role(RevokeRole(assignment_id), uow_of(platform, org)) == assignment_id
    gone = await written(owner_engine, org)
    assert gone["grants"] == before["grants"]
    assert gone["audit"][-1] == ("role.revoked", actor, user_id, org.projects["P1"], {"role": "dispatcher"})


async def test_assign_role_without_the_permission_writes_nothing(platform, owner_engine, org):
    user_id = await service.create_user(CreateUser("zhao.liu", "赵六", PASSWORD), uow_of(platform, org))
    before = await written(owner_engine, org)
    cmd = AssignRole(user_id=user_id, role=Role.TECHNICIAN, project_id=org.projects["P1"], idempotency_key="r-2")
    for role in (Role.PROJECT_MANAGER, Role.HQ_SUPERVISOR):
        e = await refused(service.assign_role(cmd, uow_of(platform, org, role, "P1" if role is Role.PROJECT_MANAGER else None)))
        assert e.code == ErrorCode.FORBIDDEN
    assert await written(owner_engine, org) == before


async def test_an_admin_cannot_grant_on_another_companys_project_or_login(platform, owner_engine, org, other_org):
    ours = await service.create_user(CreateUser("qian.qi", "钱七", PASSWORD), uow_of(platform, org))
    theirs = await service.create_user(CreateUser("sun.ba", "孙八", PASSWORD), uow_of(platform, other_org))
    their_grant = await service.assign_role(AssignRole(theirs, Role.CS_AGENT, other_org.projects["P1"]), uow_of(platform, other_org))
    before, their_before = await written(owner_engine, org), await written(owner_engine, other_org)

    cases = [
        (AssignRole(ours, Role.CS_AGENT, other_org.projects["P1"], "x-1"), "projectId"),  # their project
        (AssignRole(theirs, Role.CS_AGENT, org.projects["P1"], "x-2"), "userId"),  # their login
        (AssignRole(theirs, Role.HQ_QUALITY, None, "x-3"), "userId"),
    ]
    for cmd, field in cases:
        e = await refused(service.assign_role(cmd, uow_of(platform, org)))
        assert (e.code, e.field) == (ErrorCode.NOT_FOUND, field)
    e = await refused(service.revoke_role(RevokeRole(their_grant, "x-4"), uow_of(platform, org)))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "assignmentId")
    e = await refused(service.create_user(CreateUser("zhou.jiu", "周九", PASSWORD, staff_id=uuid.uuid4()), uow_of(platform, org)))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "staffId")
    assert await written(owner_engine, org) == before
    assert await written(owner_engine, other_org) == their_before


async def test_staff_on_a_project_out_of_reach_is_not_found(platform, owner_engine, org, other_org):
    before = await written(owner_engine, org)
    cases = [
        (uow_of(platform, org, Role.PROJECT_MANAGER, "P1"), org.projects["P2"]),  # our other project
        (uow_of(platform, org), other_org.projects["P1"]),  # another company's
    ]
    for uow, project_id in cases:
        e = await refused(service.create_staff(CreateStaff("吴工", project_id, idempotency_key="s-1"), uow, cipher=platform.cipher))
        assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "projectId")
    assert await written(owner_engine, org) == before
    staff_id = await service.create_staff(CreateStaff("吴工", org.projects["P1"], phone="139 1234 5678", idempotency_key="s-1"),
                                          uow_of(platform, org, Role.PROJECT_MANAGER, "P1"), cipher=platform.cipher)
    after = await written(owner_engine, org)
    assert after["staff"] == ["吴工"]
    assert after["audit"] == [("staff.created", f"user:{org.admin_id}", staff_id, org.projects["P1"], {"name": "吴工"})]


async def test_an_api_keys_secret_is_kept_only_as_its_hash(platform, owner_engine, org, other_org):
    cmd = CreateApiKey(name="集成", access="read", project_ids=[org.projects["P1"]])
    key_id, key = await service.create_api_key(cmd, uow_of(platform, org), hash_secret=platform.signer.hash_secret)
    after = await written(owner_engine, org)
    assert after["keys"] == [(key.prefix, False)]
    assert after["audit"] == [("api_key.created", f"user:{org.admin_id}", key_id, None,
                               {"prefix": key.prefix, "access": "read", "permissions": None})]
    assert after["idempotency"] == []
    async with owner_engine.connect() as conn:
        kept = str((await conn.execute(text(
            "SELECT (SELECT array_agg(t::text) FROM audit_log t WHERE org_id = :o), "
            "(SELECT array_agg(t::text) FROM outbox t WHERE org_id = :o), "
            "(SELECT array_agg(t::text) FROM api_keys t WHERE org_id = :o)"), {"o": org.org_id})).one())
    assert key.secret not in kept

    # Another company's admin cannot revoke it; its own revokes it, once per key.
    e = await refused(service.revoke_api_key(RevokeApiKey(key_id), uow_of(platform, other_org)))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "id")
    assert await written(owner_engine, org) == after
    assert await service.revoke_api_key(RevokeApiKey(key_id, "k-1"), uow_of(platform, org)) == key_id
    revoked = await written(owner_engine, org)
    assert revoked["keys"] == [(key.prefix, True)]
    assert await service.revoke_api_key(RevokeApiKey(key_id, "k-1"), uow_of(platform, org)) == key_id
    assert await written(owner_engine, org) == revoked


async def _admin_grant(owner_engine, org, user_id) -> uuid.UUID:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT id FROM role_assignments WHERE org_id = :o AND user_id = :u AND role = 'org_admin'"),
                                   {"o": org.org_id, "u": user_id})).scalar_one()


def admin_uow(platform, org, user_id) -> UnitOfWork:
    """An org admin's unit of work — or a former one's, whose token has not yet been refreshed."""
    p = Principal(kind="user", id=user_id, org_id=org.org_id, grants=(Grant(Role.ORG_ADMIN, None),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def test_an_admin_takes_back_another_admins_role_but_never_their_own_nor_the_last_one(platform, owner_engine, org):
    first = await _admin_grant(owner_engine, org, org.admin_id)
    second_user = await service.create_user(CreateUser("li.admin", "李管理", PASSWORD), uow_of(platform, org))
    second = await service.assign_role(AssignRole(second_user, Role.ORG_ADMIN, None), uow_of(platform, org))
    before = await written(owner_engine, org)

    for revoker, assignment in ((org.admin_id, first), (second_user, second)):  # one's own, with another admin there
        e = await refused(service.revoke_role(RevokeRole(assignment, "own"), admin_uow(platform, org, revoker)))
        assert (e.code, e.reason, e.field) == (ErrorCode.INVALID_STATE, ErrorReason.OWN_ADMIN_ROLE, "assignmentId")
        assert e.message.startswith("不能收回自己的企业管理员角色")
    assert await written(owner_engine, org) == before

    assert await service.revoke_role(RevokeRole(second), admin_uow(platform, org, org.admin_id)) == second
    after = await written(owner_engine, org)
    # The former admin, before their token refreshes, cannot leave the company without one.
    e = await refused(service.revoke_role(RevokeRole(first, "last"), admin_uow(platform, org, second_user)))
    assert (e.code, e.reason) == (ErrorCode.INVALID_STATE, ErrorReason.LAST_ORG_ADMIN)
    assert await written(owner_engine, org) == after


async def test_two_admins_revoking_each_other_at_once_leave_one(platform, owner_engine, org):
    other = await service.create_user(CreateUser("zhang.admin", "张管理", PASSWORD), uow_of(platform, org))
    theirs = await service.assign_role(AssignRole(other, Role.ORG_ADMIN, None), uow_of(platform, org))
    mine = await _admin_grant(owner_engine, org, org.admin_id)
    # Both start while the admins' rows are held elsewhere, so both are under way before either ends.
    async with owner_engine.begin() as holder:
        await holder.execute(text("SELECT id FROM role_assignments WHERE org_id = :o AND role = 'org_admin' FOR UPDATE"),
                             {"o": org.org_id})
        both = asyncio.gather(service.revoke_role(RevokeRole(theirs), admin_uow(platform, org, org.admin_id)),
                              service.revoke_role(RevokeRole(mine), admin_uow(platform, org, other)), return_exceptions=True)
        await asyncio.sleep(0.5)
    outcomes = await both
    refusals = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(refusals) == 1 and refusals[0].reason == ErrorReason.LAST_ORG_ADMIN, outcomes
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM role_assignments WHERE org_id = :o AND role = 'org_admin'"),
                                   {"o": org.org_id})).scalar() == 1
