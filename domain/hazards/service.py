"""隐患台账 use cases, each in the caller's unit of work: check the input, claim the idempotency key,
load (locked) what changes, check the permission on its project, apply the rule, save, commit —
with the ladder's timers planted from the deadline or stopped in the same transaction, so a hazard
is never past its deadline without its escalations nor escalated once it was put right."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

from domain.alerts.repository import raise_alert
from domain.alerts.rules import Raised
from domain.errors import DomainError, ErrorCode, invalid
from domain.followup import ladder
from domain.hazards import repository
from domain.hazards.commands import AcceptHazardRisk, AssignHazard, RecordRectification, ReportHazard, VerifyHazard
from domain.hazards.model import Hazard
from domain.hazards.rules import (
    CATEGORY_LABELS,
    GRADE_LABELS,
    SOURCE_LABELS,
    check_deadline,
    check_photos,
    check_text,
    default_deadline,
)
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission

BEIJING = timezone(timedelta(hours=8))


async def _plant(uow: UnitOfWork, h: Hazard, now: datetime) -> None:
    await ladder.plant(uow.conn, org_id=h.org_id, project_id=h.project_id, kind="hazard", subject_id=h.id,
                       owner=h.owner_user_id, start=now, due=h.deadline)


def _check_reason(reason: str | None, field: str) -> str:
    return check_text(reason or "", field, low=1, high=200, zh="原因")


async def add_hazard(uow: UnitOfWork, cmd: ReportHazard, *, title: str, description: str, place: str, photos: tuple[str, ...],
                     now: datetime) -> Hazard:
    """Put a checked hazard on the register in the caller's transaction (a report, or a sweep's
    result): its number, its timers from the grade's deadline, the red alert of a major one."""
    building = await repository.check_place(uow, cmd.project_id, cmd.building_id, cmd.unit_id)
    number = await repository.next_number(uow, cmd.project_id, now.astimezone(BEIJING).date())
    h = await repository.insert(uow, project_id=cmd.project_id, number=number, source=cmd.source, source_id=cmd.source_id,
                                title=title, description=description, category=cmd.category, grade=cmd.grade,
                                building=building, unit=cmd.unit_id, place=place, photos=photos,
                                deadline=default_deadline(cmd.grade, now))
    await _plant(uow, h, now)
    if h.grade == "major":  # headquarters hears of it before any timer fires
        await raise_alert(uow, h.org_id, h.project_id, Raised(
            "hazard", f"hazard:{h.id}", "red", f"重大隐患：{number} {title}",
            f"{CATEGORY_LABELS[cmd.category]}隐患，{place or '见隐患记录'}；须24小时内整改。"))
    return h


def check_hazard(cmd: ReportHazard) -> tuple[str, str, str, tuple[str, ...]]:
    """The hazard's own fields, checked: title, description, place, photos."""
    if cmd.category not in CATEGORY_LABELS:
        raise invalid("未知的隐患类别。Unknown category.", "category")
    if cmd.grade not in GRADE_LABELS:
        raise invalid("未知的隐患等级。Unknown grade.", "grade")
    return (check_text(cmd.title, "title", low=1, high=100, zh="标题"),
            check_text(cmd.description, "description", low=0, high=2000, zh="说明"),
            check_text(cmd.place, "place", low=0, high=200, zh="位置"), check_photos(cmd.photos, "photos"))


async def report_hazard(cmd: ReportHazard, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    now = now or datetime.now(UTC)
    if cmd.source not in SOURCE_LABELS:
        raise invalid("未知的来源。Unknown source.", "source")
    if cmd.source == "sweep":
        raise invalid("排查结果请在排查行动中登记。A sweep's hazards are recorded through the sweep.", "source")
    if (cmd.source == "report") != (cmd.source_id is None):
        raise invalid("随手拍不填来源记录，其余须填。Name the source record, except for REPORT.", "sourceId")
    title, description, place, photos = check_hazard(cmd)
    async with uow:
        request = {"projectId": str(cmd.project_id), "source": cmd.source, "sourceId": str(cmd.source_id) if cmd.source_id else None,
                   "title": title, "description": description, "category": cmd.category, "grade": cmd.grade,
                   "buildingId": str(cmd.building_id) if cmd.building_id else None,
                   "unitId": str(cmd.unit_id) if cmd.unit_id else None, "place": place, "photos": list(photos)}
        if (done := await uow.claim(cmd.idempotency_key, "reportHazard", request)) is not None:
            return UUID(done["id"])
        uow.require(Permission.HAZARD_REPORT, cmd.project_id)
        await repository.check_source(uow, cmd.project_id, cmd.source, cmd.source_id)
        h = await add_hazard(uow, cmd, title=title, description=description, place=place, photos=photos, now=now)
        await uow.commit({"id": str(h.id)})
    return h.id


async def assign_hazard(cmd: AssignHazard, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """指派整改: an owner with a role in the project, and the deadline (the grade's when not named)."""
    now = now or datetime.now(UTC)
    deadline = check_deadline(cmd.deadline, now) if cmd.deadline else None
    async with uow:
        request = {"hazardId": str(cmd.hazard_id), "ownerId": str(cmd.owner_user_id),
                   "deadline": deadline.isoformat() if deadline else None}
        if await uow.claim(cmd.idempotency_key, "assignHazard", request) is not None:
            return cmd.hazard_id
        h = await repository.locked(uow, cmd.hazard_id)
        uow.require(Permission.HAZARD_MANAGE, h.project_id, "hazardId")
        await repository.check_owner(uow, h.project_id, cmd.owner_user_id)
        h.assign(owner=cmd.owner_user_id, deadline=deadline or h.deadline)
        await repository.save(uow, h)
        await _plant(uow, h, now)
        await uow.commit({"id": str(h.id)})
    return h.id


async def record_rectification(cmd: RecordRectification, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """整改完成: by its owner, or whoever manages hazards on the project. The ladder stops."""
    now = now or datetime.now(UTC)
    note = check_text(cmd.note, "note", low=1, high=2000, zh="整改说明")
    photos = check_photos(cmd.photos, "photos")
    async with uow:
        if await uow.claim(cmd.idempotency_key, "recordHazardRectification",
                           {"hazardId": str(cmd.hazard_id), "note": note, "photos": list(photos)}) is not None:
            return cmd.hazard_id
        h = await repository.locked(uow, cmd.hazard_id)
        if not uow.owner_or_may(h.owner_user_id, Permission.HAZARD_MANAGE, h.project_id):
            raise DomainError(ErrorCode.FORBIDDEN, "只有责任人或隐患管理人员可以提交整改。"
                                                   "Only the owner or the project's hazard managers record a rectification.")
        h.rectify(note=note, photos=photos, by=uow.actor, now=now)
        await repository.save(uow, h)
        await ladder.stop(uow.conn, org_id=uow.org_id, kind="hazard", subject_id=h.id)
        await uow.commit({"id": str(h.id)})
    return h.id


async def verify_hazard(cmd: VerifyHazard, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """复查验证 by someone other than the owner: passed, or back to rectifying with a new deadline."""
    now = now or datetime.now(UTC)
    note = check_text(cmd.note, "note", low=0, high=200, zh="验证意见") if cmd.note else None
    if not cmd.passed:
        note = _check_reason(cmd.note, "note")
        if cmd.new_deadline is None:
            raise invalid("未通过须给出新的整改期限。A failed verification needs a new deadline.", "newDeadline")
        check_deadline(cmd.new_deadline, now, "newDeadline")
    async with uow:
        request = {"hazardId": str(cmd.hazard_id), "passed": cmd.passed, "note": note,
                   "newDeadline": cmd.new_deadline.isoformat() if cmd.new_deadline else None}
        if await uow.claim(cmd.idempotency_key, "verifyHazard", request) is not None:
            return cmd.hazard_id
        h = await repository.locked(uow, cmd.hazard_id)
        uow.require(Permission.HAZARD_VERIFY, h.project_id, "hazardId")
        if uow.is_user(h.owner_user_id):
            raise DomainError(ErrorCode.FORBIDDEN, "整改责任人不能验证自己的整改。The owner cannot verify their own rectification.",
                              "hazardId")
        if cmd.passed:
            h.verify(by=uow.actor, now=now, note=note)
        else:
            assert note is not None and cmd.new_deadline is not None
            h.fail(reason=note, deadline=cmd.new_deadline)
        await repository.save(uow, h)
        if not cmd.passed:
            await _plant(uow, h, now)
        await uow.commit({"id": str(h.id)})
    return h.id


async def accept_hazard_risk(cmd: AcceptHazardRisk, uow: UnitOfWork) -> UUID:
    """风险接受: the hazard stays as it is, knowingly, for the reason given; the ladder stops."""
    reason = _check_reason(cmd.reason, "reason")
    async with uow:
        if await uow.claim(cmd.idempotency_key, "acceptHazardRisk", {"hazardId": str(cmd.hazard_id), "reason": reason}) is not None:
            return cmd.hazard_id
        h = await repository.locked(uow, cmd.hazard_id)
        uow.require(Permission.HAZARD_VERIFY, h.project_id, "hazardId")
        h.accept_risk(reason=reason, by=uow.actor)
        await repository.save(uow, h)
        await ladder.stop(uow.conn, org_id=uow.org_id, kind="hazard", subject_id=h.id)
        await uow.commit({"id": str(h.id)})
    return h.id
