"""内部通报 as a printable A4 page, GET /print/bulletins/{id} — or /print/circulars/{id} for another
project's circulated one, from the caller's copy: the bulletin, the figures frozen
when it was published (the cited ones marked), the linked cases, and — once withdrawn — why.
The row comes from domain/reviews/bulletin_read.py; the page is templates/bulletin.html, escaped by
the template engine. The page fetches nothing from outside."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.graphql.types.node import from_global_id
from api.print.routes import _HEADERS, caller, coded, error_response, guarded_read
from api.print.templating import render as render_template
from domain.errors import DomainError, ErrorCode
from domain.reviews.bulletin_read import printable_bulletin, printable_circular
from domain.reviews.rules import figures_of
from domain.sla.calendar import CHINA
from tenants.platform import Platform
from tenants.roles import Permission

HEADINGS = {"praise": "通报表扬", "criticism": "通报批评", "notice": "情况通报"}
# (figure, label, how it prints)
FIGURES = (
    ("received", "受理量", "n"), ("response_rate", "响应率", "%"), ("resolution_rate", "解决率", "%"),
    ("satisfaction_rate", "满意率", "%"), ("first_contact_rate", "首次解决率", "%"), ("return_visit_rate", "回访率", "%"),
    ("on_time_rate", "按时办结率", "%"), ("average_handling_hours", "平均处理时长（小时）", "h"),
    ("complaints_per_1000", "千户投诉率", "h"), ("broken_promises", "失约次数", "n"), ("escalations", "升级次数", "n"),
)


def _value(v, how: str) -> str:
    if v is None:
        return "—（无数据）"
    if how == "%":
        return f"{v * 100:.1f}%"
    return f"{v:.1f}" if how == "h" else str(v)


def render(row: Any) -> str:
    snap = row.figures
    if snap is None:
        figures, taken, cases = None, "未发布", "发布时列出"
    else:
        f = figures_of(snap)
        cited = set(row.cited_figures)
        figures = [{"label": label, "value": _value(getattr(f, name), how), "cited": name in cited} for name, label, how in FIGURES]
        taken = f"截至 {row.published_at.astimezone(CHINA):%Y年%m月%d日 %H:%M}"
        cases = "、".join(c["number"] for c in snap.get("cases") or ()) or "无"
    when = row.published_at or row.created_at
    return render_template(
        "bulletin.html",
        state=row.state, withdrawal_reason=row.withdrawal_reason or "", heading=HEADINGS[row.kind], title=row.title,
        subject=row.project_name + (f" · {row.department_name}" if row.department_name else ""),
        month=f"{row.month:%Y年%m月}", date=f"{when.astimezone(CHINA):%Y年%m月%d日}",
        paragraphs=[line for line in row.body.splitlines() if line.strip()],
        taken=taken, figures=figures, cases=cases, org_name=row.org_name,
    )


def print_bulletin(platform: Platform, circular: bool = False):
    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, Permission.PROJECT_READ, "to print a bulletin")
        if isinstance(principal, Response):
            return principal
        try:
            bulletin_id = from_global_id(request.path_params["bulletin_id"], "Bulletin", "id")
        except DomainError as e:
            return coded(e)
        drafts = principal.can(Permission.BULLETIN_PUBLISH) and not circular
        # Headquarters reads a circular's bulletin itself, as its list of circulars does.
        if circular and principal.projects is not None:
            row = await guarded_read(platform, principal.scope, lambda db: printable_circular(db, bulletin_id))
        else:
            row = await guarded_read(platform, principal.scope, lambda db: printable_bulletin(db, bulletin_id, drafts))
            if circular and row is not None and not isinstance(row, Response) and not row.circulated:
                row = None  # as the list of circulars: only what was circulated
        if isinstance(row, Response):
            return row
        if row is None:
            return error_response(404, ErrorCode.NOT_FOUND, "通报不存在或您无权查看。The bulletin was not found or is not visible to you.")
        return HTMLResponse(render(row), headers=_HEADERS)

    return endpoint
