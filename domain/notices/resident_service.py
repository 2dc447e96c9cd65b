"""已读 A resident marks a notice read (docs/resident-services.md §5.3): one receipt per resident
and notice, counted for one of their flats; again is a no-op. Under the resident's wall, another
flat's or company's notice is NOT_FOUND."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text

from domain.errors import not_found
from domain.notices import resident_reads
from domain.reads import ConnectionReader
from domain.residents import quota
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission

_READ = text(
    "INSERT INTO notice_reads (org_id, project_id, notice_id, unit_id, resident_id) VALUES (:o, :p, :n, :u, :r) "
    "ON CONFLICT DO NOTHING"
)


async def mark_read(notice_id: UUID, uow: UnitOfWork, idempotency_key: str | None = None) -> UUID:
    async with uow:
        if await uow.claim(idempotency_key, "residentMarkNoticeRead", {"noticeId": str(notice_id)}) is not None:
            return notice_id
        assert uow.scope is not None and uow.scope.resident_id is not None
        db = ConnectionReader(uow.conn, uow.org_id)
        notice = await resident_reads.notice(db, notice_id)
        if notice is None:
            raise not_found("The notice", "noticeId", zh="通知")
        uow.require(Permission.RESIDENT_SELF, notice.project_id, "noticeId")
        await quota.count(uow.conn, quota.MUTATIONS, uow.org_id, resident_id=uow.scope.resident_id)
        unit = await resident_reads.flat_for(db, notice_id)
        if unit is None:
            raise not_found("The notice", "noticeId", zh="通知")
        await uow.conn.execute(_READ, {"o": uow.org_id, "p": notice.project_id, "n": notice_id, "u": unit,
                                       "r": uow.scope.resident_id})
        await uow.commit({"id": str(notice_id)})
    return notice_id
