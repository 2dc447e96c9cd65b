"""知识库 use cases, each in the caller's unit of work: check the input, claim the idempotency key,
load (locked) what changes, check the permission where it lives, apply the rule, save, commit.

Where an article lives decides who edits it: the company's (no project) needs `knowledge:manage`
company-wide (headquarters), a project's needs it on that project. One wording is the point, so a
project's people never edit the company's."""

from __future__ import annotations

from uuid import UUID

from domain.errors import invalid, not_found
from domain.knowledge import repository
from domain.knowledge.commands import CreateArticle, ReviseArticle, SetArticleActive, UseArticle
from domain.knowledge.rules import KIND_LABELS
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


async def create_article(cmd: CreateArticle, uow: UnitOfWork) -> UUID:
    if cmd.kind not in KIND_LABELS:
        raise invalid("未知的条目类型。Unknown article kind.", "kind")
    draft = cmd.draft.check(cmd.kind)
    async with uow:
        request = {"projectId": str(cmd.project_id) if cmd.project_id else None, "kind": cmd.kind, "title": draft.title,
                   "body": draft.body, "tags": list(draft.tags), "categoryCodes": list(draft.category_codes),
                   "priceFen": draft.price_fen, "priceUnit": draft.price_unit}
        if (done := await uow.claim(cmd.idempotency_key, "createKnowledgeArticle", request)) is not None:
            return UUID(done["id"])
        uow.require(Permission.KNOWLEDGE_MANAGE, cmd.project_id)
        article = await repository.insert(uow, project_id=cmd.project_id, kind=cmd.kind, draft=draft)
        await uow.commit({"id": str(article.id)})
    return article.id


async def revise_article(cmd: ReviseArticle, uow: UnitOfWork) -> UUID:
    """A new version; the earlier ones stay as they were."""
    async with uow:
        request = {"articleId": str(cmd.article_id), "title": cmd.draft.title, "body": cmd.draft.body,
                   "tags": list(cmd.draft.tags), "categoryCodes": list(cmd.draft.category_codes),
                   "priceFen": cmd.draft.price_fen, "priceUnit": cmd.draft.price_unit, "note": cmd.note}
        if await uow.claim(cmd.idempotency_key, "reviseKnowledgeArticle", request) is not None:
            return cmd.article_id
        article = await repository.locked(uow, cmd.article_id)
        uow.require(Permission.KNOWLEDGE_MANAGE, article.project_id, "articleId")
        draft = cmd.draft.check(article.kind)
        note = (cmd.note or "").strip() or None
        if note is not None and len(note) > 200:
            raise invalid("修订说明不超过200字。The note takes up to 200 characters.", "note")
        await repository.revise(uow, article, draft, note)
        await uow.commit({"id": str(article.id)})
    return article.id


async def set_article_active(cmd: SetArticleActive, uow: UnitOfWork) -> UUID:
    """停用 / 启用: an inactive article is kept, with its versions, but no longer found at intake."""
    async with uow:
        if await uow.claim(cmd.idempotency_key, "setKnowledgeArticleActive",
                           {"articleId": str(cmd.article_id), "active": cmd.active}) is not None:
            return cmd.article_id
        article = await repository.locked(uow, cmd.article_id)
        uow.require(Permission.KNOWLEDGE_MANAGE, article.project_id, "articleId")
        if article.set_active(cmd.active):
            await repository.save_active(uow, article)
        await uow.commit({"id": str(article.id)})
    return article.id


async def use_article(cmd: UseArticle, uow: UnitOfWork) -> UUID:
    """使用: an agent took this wording at intake; counted per project and day. No audit row — a
    counter read as a total, not a record of who said what (the case's own reply is that)."""
    async with uow:
        if await uow.claim(cmd.idempotency_key, "useKnowledgeArticle",
                           {"articleId": str(cmd.article_id), "projectId": str(cmd.project_id)}) is not None:
            return cmd.article_id
        uow.require(Permission.CASE_CREATE, cmd.project_id)
        article = await repository.visible(uow, cmd.article_id)
        # Headquarters sees every project's articles; one of another project is not this project's to use.
        if article.project_id not in (None, cmd.project_id) or not article.active:
            raise not_found("The knowledge article", "articleId", zh="知识条目")
        await repository.count_use(uow, article, cmd.project_id)
        await uow.commit({"id": str(article.id)})
    return article.id
