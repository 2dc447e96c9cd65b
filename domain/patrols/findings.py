"""巡查发现转工单: a visit that found an issue becomes a case of the project on the patrol channel,
registered by whoever records it (their first receipt, 首问), with the visit's note and photos and
the point's place as its public area unless a flat is named. The visit keeps the case's id, so
one issue becomes one case: a second attempt is CONFLICT naming the case on file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import text

from domain.cases.commands import RegisterCase
from domain.cases.intake import register_case
from domain.cases.model import Actor
from domain.cases.states import CaseKind, Channel, Severity
from domain.errors import DomainError, ErrorCode, forbidden, invalid, not_found
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission

_VISIT = text(
    "SELECT v.id, v.project_id, v.result, v.note, v.photos, v.case_id, v.talked_unit_id, pt.name, pt.place, r.name AS route_name "
    "FROM patrol_visits v JOIN patrol_points pt ON pt.org_id = v.org_id AND pt.id = v.point_id "
    "JOIN patrol_routes r ON r.org_id = pt.org_id AND r.id = pt.route_id WHERE v.org_id = :o AND v.id = :id FOR UPDATE OF v"
)
_LINK = text("UPDATE patrol_visits SET case_id = :c WHERE org_id = :o AND id = :id")


@dataclass(frozen=True, slots=True)
class CaseFromVisit:
    visit_id: UUID
    kind: CaseKind
    category_code: str
    severity: Severity = Severity.GENERAL
    description: str | None = None  # default: the route, the point and the visit's note
    unit_id: UUID | None = None  # default: the point's place as the public area
    idempotency_key: str | None = None


async def case_from_visit(cmd: CaseFromVisit, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    now = now or datetime.now(UTC)
    async with uow:
        request = {"visitId": str(cmd.visit_id), "kind": cmd.kind.value, "category": cmd.category_code,
                   "severity": cmd.severity.value, "description": cmd.description, "unitId": str(cmd.unit_id)}
        if (done := await uow.claim(cmd.idempotency_key, "caseFromPatrolVisit", request)) is not None:
            return UUID(done["case_id"])
        visit = (await uow.conn.execute(_VISIT, {"o": uow.org_id, "id": cmd.visit_id})).first()
        if visit is None:
            raise not_found("The patrol visit", "visitId", zh="巡查记录")
        uow.require(Permission.CASE_CREATE, visit.project_id, "visitId")
        if not uow.actor.startswith("user:"):
            raise forbidden("巡查发现须由员工本人登记为工单。A person registers a finding as a case, not a key.")
        if visit.result != "issue":
            raise invalid("只有“有问题”的打卡可以转为工单。Only a visit that found an issue becomes a case.", "visitId")
        if visit.case_id is not None:
            raise DomainError(ErrorCode.CONFLICT, "该巡查发现已转为工单。This finding is a case already.", "visitId",
                              existing=("Case", visit.case_id))
        description = cmd.description or f"巡查发现（{visit.route_name} · {visit.name}）：{visit.note}"
        registered = await register_case(uow, RegisterCase(
            project_id=visit.project_id, kind=cmd.kind, severity=cmd.severity, channel=Channel.PATROL,
            category_code=cmd.category_code, description=description, unit_id=cmd.unit_id,
            public_area=None if cmd.unit_id else (visit.place or visit.name), photos=tuple(visit.photos)),
            org_id=uow.org_id, receiver=Actor(UUID(uow.actor.removeprefix("user:"))), now=now)
        await uow.conn.execute(_LINK, {"o": uow.org_id, "c": registered.case.id, "id": visit.id})
        await uow.commit({"case_id": str(registered.case.id)})
    return registered.case.id
