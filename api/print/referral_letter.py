"""GET /print/referrals/{id}: 转办函, the referral as an A4 letter to the body — what the case is,
why it is referred, what is asked, by when, and how to answer. Every value is escaped; nothing
is fetched from outside. Same guards and headers as the written replies."""

from __future__ import annotations

from html import escape
from string import Template
from typing import Any

from sqlalchemy import Row, text
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.graphql.types.node import from_global_id
from api.print.routes import _HEADERS, caller, coded, error_response, guarded_read
from domain.errors import DomainError, ErrorCode
from domain.referrals.model import KIND_LABELS, BodyKind
from domain.sla.calendar import CHINA
from domain.wording import clause, place, sentence
from tenants.platform import Platform
from tenants.roles import Permission

LETTER_SQL = text(
    "SELECT r.id, r.reason, r.requested_action, r.created_at, r.due_at, c.number, c.description, c.received_at, c.public_area, "
    "  p.name AS project_name, o.name AS org_name, ob.id AS body_id, ob.kind AS body_kind, ob.name AS body_name, "
    "  ob.contact_name, ob.address AS body_address, ob.delivery, b.name AS building, u.number AS unit "
    "FROM referrals r JOIN cases c ON c.id = r.case_id JOIN projects p ON p.id = r.project_id "
    "JOIN organizations o ON o.org_id = r.org_id JOIN outside_bodies ob ON ob.id = r.body_id "
    "LEFT JOIN buildings b ON b.id = c.building_id LEFT JOIN units u ON u.id = c.unit_id WHERE r.id = :id"
)

_PAGE = Template("""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>转办函 $number</title>
<style>
@page { size: A4; margin: 25mm 20mm; }
body { font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.8; color: #000; max-width: 170mm; margin: 0 auto; }
h1 { text-align: center; font-size: 20pt; letter-spacing: 0.5em; margin: 0 0 4mm; }
.meta { text-align: right; font-size: 10pt; }
h2 { font-size: 12pt; margin: 6mm 0 1mm; }
.sign { margin-top: 14mm; text-align: right; }
.receipt { margin-top: 16mm; border-top: 1px dashed #000; padding-top: 4mm; font-size: 10pt; }
</style></head>
<body>
<h1>转办函</h1>
<p class="meta">工单编号 $number　$sent_date</p>
<p>$body_name（$body_kind）$contact：</p>
<p>$project_name于 $received_date 收到如下诉求（$place）：“$description”。该事项需贵单位处理，特此转办。</p>
<h2>一、转办原因</h2>
<p>$reason</p>
<h2>二、请求事项</h2>
<p>$requested_action</p>
<h2>三、反馈期限</h2>
<p>请于 $due_date 前将办理情况反馈我单位。</p>
<h2>四、反馈方式</h2>
<p>请填写下方回执并交回$project_name客服中心，或致电客服中心说明办理结果；已开通接口的单位可签名提交至 $answer_path（转办编号 $referral_id）。</p>
<div class="sign"><p>$org_name　$project_name客服中心</p><p>$sent_date</p></div>
<div class="receipt">回执：转办编号 $referral_id　工单编号 $number<br>
签收单位：＿＿＿＿＿＿　签收人：＿＿＿＿＿＿　日期：＿＿＿＿＿＿<br>
办理结果：＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿</div>
</body></html>
""")


def render(row: Row) -> str:
    return _PAGE.substitute(
        number=escape(row.number), sent_date=f"{row.created_at.astimezone(CHINA):%Y年%m月%d日}",
        body_name=escape(row.body_name), body_kind=escape(KIND_LABELS[BodyKind(row.body_kind)].split(" ")[0]),
        contact=escape(row.contact_name or ""),
        project_name=escape(row.project_name), org_name=escape(row.org_name),
        received_date=f"{row.received_at.astimezone(CHINA):%Y年%m月%d日 %H:%M}", place=escape(place(row.building, row.unit, row.public_area, row.project_name)),
        description=escape(clause(row.description)), reason=escape(sentence(row.reason)),
        requested_action=escape(sentence(row.requested_action)),
        due_date=f"{row.due_at.astimezone(CHINA):%Y年%m月%d日 %H:%M}", answer_path=escape(f"/inbound/bodies/{row.body_id}"),
        referral_id=escape(str(row.id)),
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
        row: Any = await guarded_read(platform, principal.scope, lambda db: db.first(LETTER_SQL, {"id": referral_id}))
        if isinstance(row, Response):
            return row
        if row is None:
            return error_response(404, ErrorCode.NOT_FOUND, "The referral was not found or is not visible to you.")
        return HTMLResponse(render(row), headers=_HEADERS)

    return endpoint
