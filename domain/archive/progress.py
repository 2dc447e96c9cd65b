"""An import's progress, as the console's bar shows it: `rows_done` of `rows_total` written to the
import's row in a short transaction of its own — the import's own transaction holds its rows
until it commits, so nobody could see a count written there. At most one write per 5,000 rows."""

from __future__ import annotations

from domain.archive import upload_repository as repo
from domain.archive.upload_repository import Claimed
from domain.unit_of_work import Transactions
from tenants.context import TenantScope

EVERY = 5_000


class ImportProgress:
    """The callback the import service calls with rows read so far and, when known, the total."""

    def __init__(self, transactions: Transactions, scope: TenantScope, job: Claimed, every: int = EVERY) -> None:
        self._transactions = transactions
        self._scope = scope
        self._job = job
        self._every = every
        self._written = 0
        self._total: int | None = None
        self.writes = 0

    async def __call__(self, done: int, total: int | None = None) -> None:
        new_total = total is not None and total != self._total
        if not new_total and done - self._written < self._every:
            return
        self._written, self._total = done, total if total is not None else self._total
        async with self._transactions.transaction(self._scope) as conn:
            await repo.progress(conn, self._job, done, self._total)
        self.writes += 1
