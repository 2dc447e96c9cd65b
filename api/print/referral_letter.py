"""GET /print/referrals/{id}: 转办函, the referral as an A4 letter to the body — what the case is,
why it is referred, what is asked, by when, and how to answer. The row comes from
domain/referrals/letter_read.py; the page is templates/referral_letter.html, escaped by the
template engine. Nothing is fetched from outside. Same guards and headers as the written replies."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.graphql.types.node import from_global_id
from api.print.routes import _HEADERS, caller, coded, error_response, guarded_read
from api.print.templating import render as render_template
from domain.errors import DomainError, ErrorCode
from domain.referrals.letter_read import referral_letter
from domain.referrals.model import KIND_LABELS, BodyKind
from domain.sla.calendar import CHINA
from domain.wording import clause, place, sentence
from tenants.platform import Platform
from tenants.roles import Permission


def render(row: Any) -> str:
    return render_template(
        "referral_letter.html",
        number=row.number, sent_date=f"{row.created_at.astimezone(CHINA):%Y年%m月%d日}",
        body_name=row.body_name, body_kind=KIND_LABELS[BodyKind(row.body_kind)].split(" ")[0],
        contact=row.contact_name or "",
        project_name=row.project_name, org_name=row.org_name,
        received_date=f"{row.received_at.astimezone(CHINA):%Y年%m月%d日 %H:%M}",
        place=place(row.building, row.unit, row.public_area, row.project_name),
        description=clause(row.description), reason=sentence(row.reason), requested_action=sentence(row.requested_action),
        due_date=f"{row.due_at.astimezone(CHINA):%Y年%m月%d日 %H:%M}", answer_path=f"/inbound/bodies/{row.body_id}",
        referral_id=str(row.id),
    )


def print_referral_letter(platform: Platform):
    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, Permission.CASE_READ, "to print a referral letter")
        if isinstance(principal, Response):
            return principal
        try:
            referral_id = from_global_id(request.path_params["referral_id"], "Referral", "id")
        except DomainError as e:
            return coded(e)
        row: Any = await guarded_read(platform, principal.scope, lambda db: referral_letter(db, referral_id))
        if isinstance(row, Response):
            return row
        if row is None:
            return error_response(404, ErrorCode.NOT_FOUND, "转办不存在或您无权查看。The referral was not found or is not visible to you.")
        return HTMLResponse(render(row), headers=_HEADERS)

    return endpoint
