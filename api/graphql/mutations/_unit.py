"""The caller's unit of work (domain/unit_of_work.py): every mutation runs its one service call in it."""

from __future__ import annotations

from api.context import Info
from domain.unit_of_work import UnitOfWork


def unit_of_work(info: Info) -> UnitOfWork:
    """A unit of work for the signed-in caller: its company, scope, actor label and permissions.
    Its transaction comes from the request's reads (api/request_db.py), which go on in it once
    it has committed."""
    p = info.context.require()
    return UnitOfWork(info.context.db, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)
