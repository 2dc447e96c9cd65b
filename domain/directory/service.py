"""The directory's use cases — 新建项目, 新增员工, 新增账号, 授予/收回角色, 接口密钥 — each in the
caller's unit of work: the permission first, then the idempotency key, the rules, the rows, and
the change's audit row and event written at commit. Each answers the new or changed id."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from uuid import UUID

from domain.directory import rules
from domain.directory.commands import (
    AssignRole,
    CreateApiKey,
    CreateProject,
    CreateStaff,
    CreateUser,
    RevokeApiKey,
    RevokeRole,
)
from domain.directory.repository import DirectoryRepository
from domain.errors import DomainError, ErrorCode, ErrorReason, conflict, invalid, not_found
from domain.unit_of_work import UnitOfWork
from tenants.auth.api_keys import NewKey, generate_key
from tenants.auth.passwords import hash_password
from tenants.personal_data import PersonalDataCipher, mask_phone
from tenants.roles import Permission


def _replayed(done: dict[str, Any]) -> UUID:
    return UUID(done["id"])


def _id(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


async def create_project(cmd: CreateProject, uow: UnitOfWork) -> UUID:
    """A new project gets its standard departments now; a worker completes it from `project.created`."""
    async with uow:
        uow.require(Permission.PROJECT_CREATE)
        raw = cmd.project
        request = {"code": raw.code, "name": raw.name, "propertyType": raw.property_type, "city": raw.city,
                   "address": raw.address, "households": raw.households}
        if (done := await uow.claim(cmd.idempotency_key, "createProject", request)) is not None:
            return _replayed(done)
        p = rules.check_project(raw)
        directory = DirectoryRepository(uow)
        if await directory.project_code_taken(p.code):
            raise conflict(f"项目编号 {p.code} 已存在，请换一个。A project with code {p.code} already exists.", "code")
        project_id = await directory.add_project(p)
        directory.change().record("project.created", actor=uow.actor, entity="project", entity_id=project_id,
                                            project_id=project_id, data={"code": p.code, "name": p.name})
        await uow.commit({"id": str(project_id)})
    return project_id


async def create_staff(cmd: CreateStaff, uow: UnitOfWork, *, cipher: PersonalDataCipher) -> UUID:
    """`cipher` seals the phone number; only its masked form is readable without a reveal."""
    async with uow:
        uow.require(Permission.STAFF_MANAGE, cmd.project_id)
        # The number stays out of the key's request: it is personal data, even hashed.
        request = {"name": cmd.name, "projectId": _id(cmd.project_id), "departmentId": _id(cmd.department_id),
                   "title": cmd.title}
        if (done := await uow.claim(cmd.idempotency_key, "createStaff", request)) is not None:
            return _replayed(done)
        name = rules.check_text(cmd.name, "name", max_len=100)
        title = rules.check_text(cmd.title, "title", max_len=100, required=False)
        directory = DirectoryRepository(uow)
        if cmd.project_id is not None and not await directory.project_exists(cmd.project_id):
            raise not_found("The project", "projectId", zh="项目")
        if cmd.department_id is not None:
            if cmd.project_id is None:
                raise invalid("部门隶属于项目，请同时填写 projectId。"
                              "A department belongs to a project: give projectId too.", "departmentId")
            if not await directory.department_exists(cmd.project_id, cmd.department_id):
                raise not_found("The department in this project", "departmentId", zh="本项目的该部门")
        phone: dict[str, bytes | str | None] = {"enc": None, "hash": None, "masked": None}
        if cmd.phone:
            digits = rules.check_phone(cmd.phone)
            phone_hash = cipher.lookup_hash(digits)
            phone = {"enc": cipher.encrypt(digits), "hash": phone_hash, "masked": mask_phone(digits)}
            # Headquarters staff (no project) are outside the key: NULLs are distinct in it.
            if cmd.project_id is not None and (
                    other := await directory.staff_with_phone(cmd.project_id, phone_hash)) is not None:
                raise DomainError(ErrorCode.CONFLICT, "本项目已有员工使用该电话号码。"
                                  "A staff member of this project already has this phone number.", "phone",
                                  reason=ErrorReason.STAFF_EXISTS, existing=("Staff", other))
        staff_id = await directory.add_staff(project_id=cmd.project_id, department_id=cmd.department_id, name=name,
                                             title=title, phone=phone)
        directory.change().record("staff.created", actor=uow.actor, entity="staff", entity_id=staff_id,
                                          project_id=cmd.project_id, data={"name": name})
        await uow.commit({"id": str(staff_id)})
    return staff_id


async def create_user(cmd: CreateUser, uow: UnitOfWork) -> UUID:
    async with uow:
        uow.require(Permission.USER_MANAGE)
        # The password stays out of the key's request: a secret is never kept, even hashed.
        request = {"username": cmd.username, "displayName": cmd.display_name, "staffId": _id(cmd.staff_id)}
        if (done := await uow.claim(cmd.idempotency_key, "createUser", request)) is not None:
            return _replayed(done)
        username = rules.check_username(cmd.username)
        display_name = rules.check_text(cmd.display_name, "displayName", max_len=100)
        rules.check_password(cmd.password)
        directory = DirectoryRepository(uow)
        if cmd.staff_id is not None and not await directory.staff_exists(cmd.staff_id):
            raise not_found("The staff member", "staffId", zh="员工")
        if await directory.username_taken(username):
            raise conflict(f"用户名 {username} 已被使用，请换一个。The username {username} is taken.", "username")
        password_hash = await asyncio.to_thread(hash_password, cmd.password)  # ~50 ms of CPU: off the loop
        user_id = await directory.add_user(username=username, display_name=display_name, password_hash=password_hash,
                                           staff_id=cmd.staff_id)
        directory.change().record("user.created", actor=uow.actor, entity="user", entity_id=user_id,
                                         project_id=None, data={"username": username})
        await uow.commit({"id": str(user_id)})
    return user_id


async def assign_role(cmd: AssignRole, uow: UnitOfWork) -> UUID:
    """The new assignment's id. It takes effect at the user's next token refresh."""
    async with uow:
        uow.require(Permission.ROLE_ASSIGN)
        request = {"userId": str(cmd.user_id), "role": cmd.role.value, "projectId": _id(cmd.project_id)}
        if (done := await uow.claim(cmd.idempotency_key, "assignRole", request)) is not None:
            return _replayed(done)
        rules.check_role_scope(cmd.role, cmd.project_id)
        directory = DirectoryRepository(uow)
        if not await directory.user_exists(cmd.user_id):
            raise not_found("The user", "userId", zh="用户")
        if cmd.project_id is not None and not await directory.project_exists(cmd.project_id):
            raise not_found("The project", "projectId", zh="项目")
        assignment_id = await directory.add_grant(cmd.user_id, cmd.role, cmd.project_id)
        if assignment_id is None:
            raise conflict("该用户在此范围内已有这个角色。The user already has this role here.", "role")
        directory.change().record("role.assigned", actor=uow.actor, entity="user", entity_id=cmd.user_id,
                                               project_id=cmd.project_id, data={"role": cmd.role.value})
        await uow.commit({"id": str(assignment_id)})
    return assignment_id


async def revoke_role(cmd: RevokeRole, uow: UnitOfWork) -> UUID:
    async with uow:
        uow.require(Permission.ROLE_ASSIGN)
        if (done := await uow.claim(cmd.idempotency_key, "revokeRole", {"assignmentId": str(cmd.assignment_id)})) is not None:
            return _replayed(done)
        directory = DirectoryRepository(uow)
        rules.check_admin_revocation(await directory.org_admin_grants(), cmd.assignment_id, uow.actor)
        row = await directory.remove_grant(cmd.assignment_id)
        if row is None:
            raise not_found("The role assignment", "assignmentId", zh="角色授权")
        directory.change().record("role.revoked", actor=uow.actor, entity="user", entity_id=row.user_id,
                                                   project_id=row.project_id, data={"role": row.role})
        await uow.commit({"id": str(cmd.assignment_id)})
    return cmd.assignment_id


async def create_api_key(cmd: CreateApiKey, uow: UnitOfWork, *, hash_secret: Callable[[str], bytes]) -> tuple[UUID, NewKey]:
    """The key's id and the whole key. Only a keyed hash of the secret is stored (`hash_secret`, the
    platform signer's); the caller shows the key once."""
    async with uow:
        uow.require(Permission.API_KEY_MANAGE)
        name, granted = rules.check_api_key(cmd.name, cmd.access, cmd.permissions, cmd.expires_at, cmd.project_ids)
        directory = DirectoryRepository(uow)
        if cmd.project_ids is not None and await directory.projects_found(set(cmd.project_ids)) != len(set(cmd.project_ids)):
            raise not_found("One of the projects", "projectIds", zh="其中一个项目")
        key = generate_key()
        key_id = await directory.add_api_key(prefix=key.prefix, secret_hash=hash_secret(key.secret), name=name,
                                             access=cmd.access, granted=granted, project_ids=cmd.project_ids,
                                             expires_at=cmd.expires_at, created_by=cmd.created_by)
        directory.change().record("api_key.created", actor=uow.actor, entity="api_key", entity_id=key_id,
                                        project_id=None, data={"prefix": key.prefix, "access": cmd.access,
                                                               "permissions": granted})
        await uow.commit({"id": str(key_id)})
    return key_id, key


async def revoke_api_key(cmd: RevokeApiKey, uow: UnitOfWork) -> UUID:
    """Revoking a revoked key keeps its first revocation time."""
    async with uow:
        uow.require(Permission.API_KEY_MANAGE)
        if (done := await uow.claim(cmd.idempotency_key, "revokeApiKey", {"id": str(cmd.key_id)})) is not None:
            return _replayed(done)
        directory = DirectoryRepository(uow)
        prefix = await directory.revoke_api_key(cmd.key_id)
        if prefix is None:
            raise not_found("The API key", "id", zh="密钥")
        directory.change().record("api_key.revoked", actor=uow.actor, entity="api_key", entity_id=cmd.key_id,
                                            project_id=None, data={"prefix": prefix})
        await uow.commit({"id": str(cmd.key_id)})
    return cmd.key_id
