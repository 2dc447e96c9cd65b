"""The purge of uploaded archive workbooks (docs/archive.md §3): they hold phone and ID numbers,
so none is kept past its 24 hours. A sweep step, run per company by the sweep runner
(workers/upload_purge.py) inside the company's wall."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from domain.archive import upload_repository as repo

_NEVER_RAN = "上传的文件已过期（保留 24 小时），导入未能运行，请重新上传。The upload expired before the import could run: upload again."


async def purge_expired_uploads(conn: AsyncConnection, org_id: UUID, now: datetime) -> int:
    """Uploads of this company past their expiry, deleted; imports still queued on them fail. The
    imports that ran keep their rows (counts, problems, the file's name and checksum)."""
    return await repo.purge_expired(conn, org_id, now, _NEVER_RAN)
