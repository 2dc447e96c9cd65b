"""A call as the telephony system tells it after it ends (docs/centre-day.md §8), in the signed
request's own transaction (api/inbound/calls.py). The integration is the actor and its project
the wall: a case of another project or company is not found.

- Idempotent by the call id as well as by the delivery id: the same call again answers the row on
  file and changes nothing; the same id with other facts is CALL_MISMATCH (409). A case linked
  since (linkCallToCase) is no mismatch when the repeat names none.
- The caller's number is hashed with the company's lookup key and masked here; the number itself
  is never stored, logged or answered.
- An inbound call's month is recounted in `kpi_call_month` before the commit
  (domain/kpi/call_rollups.py): the overview's call figures hold it at once."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from domain.calls.commands import ReceiveCall
from domain.calls.repository import CallRepository
from domain.errors import DomainError, ErrorCode, ErrorReason, invalid, not_found
from domain.integrations.checks import check_when
from domain.kpi.call_rollups import call_month, refresh_call_bucket
from domain.unit_of_work import UnitOfWork
from tenants.personal_data import PersonalDataCipher, mask_phone, normalize


@dataclass(frozen=True, slots=True)
class Arrived:
    call_id: UUID
    duplicate: bool


def _mismatch() -> DomainError:
    return DomainError(ErrorCode.CONFLICT, "此通话 id 已以不同的内容上报过，未作任何更改。"
                                          "This call id was already told with other facts; nothing was changed.",
                       "id", reason=ErrorReason.CALL_MISMATCH)


def _check(cmd: ReceiveCall) -> None:
    check_when(cmd.queued_at, "queued_at")
    check_when(cmd.ended_at, "ended_at")
    if cmd.answered_at is not None:
        check_when(cmd.answered_at, "answered_at")
        if not cmd.queued_at <= cmd.answered_at <= cmd.ended_at:
            raise invalid("接听时间 answered_at 须在 queued_at 与 ended_at 之间。answered_at must lie between queued_at and ended_at.",
                          "answered_at")
    if cmd.ended_at < cmd.queued_at:
        raise invalid("结束时间 ended_at 不能早于 queued_at。ended_at must not be before queued_at.", "ended_at")
    digits = normalize(cmd.caller_phone)
    if not (3 <= len(digits) <= 20 and digits.isdigit()):
        raise invalid("来电号码 caller_phone 须为 3 到 20 位数字。caller_phone must be 3–20 digits.", "caller_phone")


async def receive_call(cmd: ReceiveCall, uow: UnitOfWork, *, cipher: PersonalDataCipher) -> Arrived:
    _check(cmd)
    phone_hash = cipher.lookup_hash(cmd.caller_phone)
    async with uow:
        repo = CallRepository(uow)
        await repo.lock_call(cmd.integration_id, cmd.external_id)
        agent = None
        if cmd.agent_username is not None:
            agent = await repo.agent(cmd.agent_username)
            if agent is None:
                raise not_found("The agent", "agent_username", zh="坐席")
        seen = await repo.by_external(cmd.integration_id, cmd.external_id)
        if seen is not None:
            facts = (seen.direction, bytes(seen.caller_phone_hash), seen.queued_at, seen.answered_at, seen.ended_at,
                     seen.agent_user_id)
            if facts != (cmd.direction, phone_hash, cmd.queued_at, cmd.answered_at, cmd.ended_at, agent) or (
                    cmd.case_id is not None and seen.case_id not in (None, cmd.case_id)):
                raise _mismatch()
            await uow.commit()
            return Arrived(seen.id, True)
        if cmd.case_id is not None and await repo.case_project(cmd.case_id) != cmd.project_id:
            raise not_found("The case", "case_id", zh="工单")
        call_id = uuid4()
        await repo.add_call({"p": cmd.project_id, "id": call_id, "i": cmd.integration_id, "x": cmd.external_id,
                             "dir": cmd.direction, "hash": phone_hash, "masked": mask_phone(cmd.caller_phone),
                             "q": cmd.queued_at, "a": cmd.answered_at, "e": cmd.ended_at,
                             "abandoned": cmd.answered_at is None, "agent": agent, "case": cmd.case_id})
        await repo.touch(cmd.integration_id)
        if cmd.direction == "in":
            await refresh_call_bucket(uow.conn, uow.org_id, cmd.project_id, call_month(cmd.queued_at))
        await uow.commit({"id": str(call_id)})
    return Arrived(call_id, False)
