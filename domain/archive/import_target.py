"""Which company and project a CLI import names (`firstcall import FILE --project CODE [--org SLUG]`):
the only lookups that cross the companies' wall, each through its SECURITY DEFINER function
(`org_id_for_slug`, `org_ids_for_project_code` of 0028), answering no more than ids."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text

from domain.errors import invalid, not_found
from domain.unit_of_work import Transactions
from tenants.context import TenantScope

_ORG_BY_SLUG = text("SELECT org_id_for_slug(:s)")
_ORGS_BY_CODE = text("SELECT org_ids_for_project_code(:c)")
_PROJECT_BY_CODE = text("SELECT id FROM projects WHERE org_id = :o AND code = :c")


async def project_by_code(transactions: Transactions, code: str, org_slug: str | None) -> tuple[UUID, UUID]:
    """(company, project). A code several companies use needs the company's slug."""
    async with transactions.transaction(None) as conn:
        if org_slug:
            org_id = (await conn.execute(_ORG_BY_SLUG, {"s": org_slug.strip().lower()})).scalar()
            if org_id is None:
                raise not_found("The company", "org", zh="公司")
            orgs = [org_id]
        else:
            orgs = list((await conn.execute(_ORGS_BY_CODE, {"c": code})).scalars())
    if len(orgs) > 1:
        raise invalid(f"多家公司都有项目 {code}，请用 --org 指明公司。Several companies have a project {code}: give --org.", "org")
    if orgs:
        async with transactions.transaction(TenantScope(orgs[0], actor="system:import-cli")) as conn:
            project_id = (await conn.execute(_PROJECT_BY_CODE, {"o": orgs[0], "c": code})).scalar()
        if project_id is not None:
            return orgs[0], project_id
    raise not_found(f"The project {code}", "project", zh=f"项目 {code}")
