"""The company's weights in PostgreSQL (one row per company, inside its wall)."""

from __future__ import annotations

from sqlalchemy import text

from domain.kpi.model import CompanyWeights, as_values
from domain.kpi.month import WEIGHT_NAMES
from domain.unit_of_work import UnitOfWork

_UPSERT = text(
    f"INSERT INTO kpi_weights (org_id, {', '.join(WEIGHT_NAMES)}, updated_by) "
    f"VALUES (:o, {', '.join(':' + n for n in WEIGHT_NAMES)}, :by) ON CONFLICT (org_id) DO UPDATE SET "
    + ", ".join(f"{n} = EXCLUDED.{n}" for n in WEIGHT_NAMES) + ", updated_at = now(), updated_by = EXCLUDED.updated_by"
)


class WeightsRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def for_company(self) -> CompanyWeights:
        """The weights about to be set: nothing is read, the row is replaced whole."""
        company = CompanyWeights(org_id=self._uow.org_id)
        self._uow.track(company)
        return company

    async def save(self, company: CompanyWeights) -> None:
        await self._uow.conn.execute(_UPSERT, {"o": company.org_id, "by": self._uow.actor, **as_values(company.weights)})
