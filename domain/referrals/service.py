"""Outside-body and referral use cases, each in the caller's unit of work: claim the idempotency
key, load (locked) what changes, check the permission on its project, apply the rule, save,
commit — the unit of work writes the audit rows. A signing secret made here is returned to be
shown once; it is never in an idempotency result, an audit row or an event."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row

from domain.cases.model import Actor
from domain.errors import conflict, not_found
from domain.referrals import repository
from domain.referrals.commands import (
    AddOutsideBody, MarkReferralLetterPrinted, ReceiveBodyFeedback, RecordReferralFeedback, ReferCase, RotateOutsideBodySecret,
    UpdateOutsideBody, WithdrawReferral,
)
from domain.referrals.model import OutsideBody, check_letters_printed
from domain.referrals.repository import OutsideBodyRepository, Who
from domain.signing import Encrypts, signing_secret
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.value if hasattr(v, "value") else v) for k, v in values.items()}


async def add_outside_body(cmd: AddOutsideBody, uow: UnitOfWork, *, cipher: Encrypts,
                           allow_loopback: bool) -> tuple[UUID, str | None]:
    """The new body's id, and its signing secret when it is reached by webhook (None on a replayed key)."""
    uow.require(Permission.OUTSIDE_BODY_MANAGE, cmd.project_id)
    body = OutsideBody.register(cmd.spec, org_id=uow.org_id, project_id=cmd.project_id, allow_loopback=allow_loopback,
                                by=uow.actor)
    async with uow:
        request = {"project_id": str(cmd.project_id), **_plain(asdict(cmd.spec))}
        if (done := await uow.claim(cmd.idempotency_key, "addOutsideBody", request)) is not None:
            return UUID(done["body_id"]), None
        bodies = OutsideBodyRepository(uow)
        if not await bodies.project_exists(cmd.project_id):
            raise not_found("The project", "projectId", zh="项目")
        if await bodies.name_taken(cmd.project_id, body.spec.name):
            raise conflict("本项目已登记同名的外部单位，请换一个名称。A body of this name is already registered for the project.", "name")
        secret = None
        if body.needs_secret:
            secret, stored = signing_secret(cipher)
            body.give_secret(stored)
        await bodies.add(body)
        await uow.commit({"body_id": str(body.id)})
    return body.id, secret


async def update_outside_body(cmd: UpdateOutsideBody, uow: UnitOfWork, *, cipher: Encrypts,
                              allow_loopback: bool) -> tuple[UUID, str | None]:
    """The body's id, and a signing secret when it is newly reached by webhook (shown once)."""
    async with uow:
        request = {"bodyId": str(cmd.body_id), **_plain(asdict(cmd.changes))}
        if (done := await uow.claim(cmd.idempotency_key, "updateOutsideBody", request)) is not None:
            return UUID(done["body_id"]), None
        bodies = OutsideBodyRepository(uow)
        body = await bodies.get(cmd.body_id)
        uow.require(Permission.OUTSIDE_BODY_MANAGE, body.project_id)
        body.change(cmd.changes, allow_loopback=allow_loopback, by=uow.actor)
        secret = None
        if body.needs_secret:
            secret, stored = signing_secret(cipher)
            body.give_secret(stored)
        await bodies.save(body)
        await uow.commit({"body_id": str(body.id)})
    return body.id, secret


async def rotate_outside_body_secret(cmd: RotateOutsideBodySecret, uow: UnitOfWork, *, cipher: Encrypts) -> tuple[UUID, str]:
    """A new secret in force at once; the old one stops working."""
    secret, stored = signing_secret(cipher)
    async with uow:
        bodies = OutsideBodyRepository(uow)
        body = await bodies.get(cmd.body_id)
        uow.require(Permission.OUTSIDE_BODY_MANAGE, body.project_id)
        body.rotate_secret(stored, by=uow.actor)
        await bodies.save(body)
        await uow.commit()
    return body.id, secret


async def mark_referral_letter_printed(cmd: MarkReferralLetterPrinted, uow: UnitOfWork) -> UUID:
    """已打印: the letters waiting on paper are printed, and the referral's history says so."""
    async def printed(r: Row[Any], who: Who, now: datetime) -> None:
        check_letters_printed(await repository.letters_printed(uow.conn, uow.org_id, r.id))
        await repository.note(uow.conn, r, "printed", who, now)

    return await _change_referral(uow, cmd.referral_id, None, cmd.idempotency_key, "markReferralLetterPrinted",
                                  {"referralId": str(cmd.referral_id)}, printed)


async def refer_case(cmd: ReferCase, uow: UnitOfWork) -> UUID:
    """转办: the case waits on the body (CASE_REFER on the case's project), the body is sent the referral."""
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "referCase", cmd.request)) is not None:
            return UUID(done["referral_id"])
        referral_id = await repository.refer(
            uow, case_id=cmd.case_id, body_id=cmd.body_id, reason=cmd.reason, requested_action=cmd.requested_action,
            actor=Actor(cmd.actor_id, supervisor=uow.may(Permission.CASE_SUPERVISE)), now=datetime.now(UTC),
            check_project=lambda project_id: uow.require(Permission.CASE_REFER, project_id))
        await uow.commit({"referral_id": str(referral_id)})
    return referral_id


async def receive_body_feedback(cmd: ReceiveBodyFeedback, uow: UnitOfWork) -> str:
    """签收 or 答复 sent by the body itself (api/inbound/referrals.py): only on its own referrals —
    another body's is not found, as an unknown one. Returns the referral's new status."""
    async with uow:
        r = await repository.referral_for_update(uow.conn, uow.org_id, cmd.referral_id, body_id=cmd.body_id)
        status = await repository.feedback(uow, r, cmd.feedback, cmd.words, Who("inbound", uow.actor, None), datetime.now(UTC))
        await uow.commit({"referral_id": str(r.id)})
    return status


async def record_referral_feedback(cmd: RecordReferralFeedback, uow: UnitOfWork) -> UUID:
    """签收 or 答复 as staff enter it; an answer resolves the case (repository.feedback)."""
    request = {"referralId": str(cmd.referral_id), "feedback": cmd.feedback.value, "note": cmd.note}
    return await _change_referral(uow, cmd.referral_id, cmd.actor_id, cmd.idempotency_key, "recordReferralFeedback", request,
                                  lambda r, who, now: repository.feedback(uow, r, cmd.feedback, cmd.note, who, now))


async def withdraw_referral(cmd: WithdrawReferral, uow: UnitOfWork) -> UUID:
    """撤回: the case is ours again (committed), its clocks run on, reminders stop."""
    request = {"referralId": str(cmd.referral_id), "reason": cmd.reason}
    return await _change_referral(uow, cmd.referral_id, cmd.actor_id, cmd.idempotency_key, "withdrawReferral", request,
                                  lambda r, who, now: repository.withdraw(uow, r, cmd.reason, who, now))


async def _change_referral(uow: UnitOfWork, referral_id: UUID, actor_id: UUID | None, key: str | None, operation: str,
                           request: dict[str, Any], change: Callable[[Row[Any], Who, datetime], Awaitable[object]]) -> UUID:
    """The referral locked, the permission checked on its project, the change made — once per key.
    `actor_id`: the person the case's audit names, when the change touches the case."""
    async with uow:
        if (done := await uow.claim(key, operation, request)) is not None:
            return UUID(done["referral_id"])
        r = await repository.referral_for_update(uow.conn, uow.org_id, referral_id)
        uow.require(Permission.CASE_REFER, r.project_id)
        await change(r, Who("staff", uow.actor, Actor(actor_id) if actor_id is not None else None), datetime.now(UTC))
        await uow.commit({"referral_id": str(r.id)})
    changed: UUID = r.id
    return changed
