from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._referral_unit import ReferralPayload, referral_payload
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.cases.model import Actor
from domain.referrals import repository
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_REFER)], description=(
    "转办 Refer a committed case to an outside body of its project: the case waits on the body (its clocks pause), "
    "the body gets the referral (signed webhook, e-mail, or a letter to print) and has its own deadline."))
@user_errors(ReferralPayload)
async def refer_case(info: Info, case_id: strawberry.ID, body_id: strawberry.ID, reason: str, requested_action: str,
                     idempotency_key: IdempotencyKey = None) -> ReferralPayload:
    cid = from_global_id(case_id, "Case", "caseId")
    bid = from_global_id(body_id, "OutsideBody", "bodyId")
    p = info.context.require()

    async def work(conn) -> dict:
        rid = await repository.refer(
            conn, case_id=cid, body_id=bid, reason=reason, requested_action=requested_action,
            actor=Actor(p.id, supervisor=p.can(Permission.CASE_SUPERVISE)), actor_label=p.actor, now=datetime.now(UTC),
            check_project=lambda project_id: require_on(info, Permission.CASE_REFER, project_id))
        return {"referral_id": str(rid)}

    payload = {"caseId": case_id, "bodyId": body_id, "reason": reason, "requestedAction": requested_action}
    result = await write(info, lambda conn: once(info, conn, idempotency_key, "referCase", payload, work))
    return await referral_payload(info, UUID(result["referral_id"]))
