"""The case categories' use cases, each in the caller's unit of work: company-wide category:manage,
and the category's code as it now is (what the caller reads back)."""

from __future__ import annotations

from domain.cases.category_model import Category
from domain.cases.category_repository import CategoryRepository
from domain.cases.taxonomy_commands import AddCaseCategory, SetCaseCategoryArchived, UpdateCaseCategory
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


async def add_case_category(cmd: AddCaseCategory, uow: UnitOfWork) -> str:
    async with uow:
        uow.require(Permission.CATEGORY_MANAGE)
        request = {"code": cmd.code, **cmd.labels.params()}
        if (done := await uow.claim(cmd.idempotency_key, "addCaseCategory", request)) is not None:
            replayed: str = done["code"]
            return replayed
        category = Category.add(org_id=uow.org_id, code=cmd.code, labels=cmd.labels, by=uow.actor)
        await CategoryRepository(uow).add(category)
        code: str = (await uow.commit({"code": category.code}))["code"]
        return code


async def update_case_category(cmd: UpdateCaseCategory, uow: UnitOfWork) -> str:
    async with uow:
        uow.require(Permission.CATEGORY_MANAGE)
        request = {"code": cmd.code, **cmd.labels.params()}
        if (done := await uow.claim(cmd.idempotency_key, "updateCaseCategory", request)) is not None:
            replayed: str = done["code"]
            return replayed
        categories = CategoryRepository(uow)
        category = await categories.get(cmd.code)
        category.relabel(cmd.labels, by=uow.actor)
        await categories.save(category)
        code: str = (await uow.commit({"code": category.code}))["code"]
        return code


async def set_case_category_archived(cmd: SetCaseCategoryArchived, uow: UnitOfWork) -> str:
    async with uow:
        uow.require(Permission.CATEGORY_MANAGE)
        request = {"code": cmd.code, "archived": cmd.archived}
        if (done := await uow.claim(cmd.idempotency_key, "setCaseCategoryArchived", request)) is not None:
            replayed: str = done["code"]
            return replayed
        categories = CategoryRepository(uow)
        category = await categories.get(cmd.code)
        category.set_archived(cmd.archived, by=uow.actor)
        await categories.save(category)
        code: str = (await uow.commit({"code": category.code}))["code"]
        return code
