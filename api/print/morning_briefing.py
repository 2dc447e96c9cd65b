"""GET /print/morning-briefing?project=<Project id>&date=YYYY-MM-DD: 早会简报, a project's
morning briefing on A4 (docs/centre-day.md §4) — the night's open items, cases received since the
day shift went home and those overdue now, open alerts, overdue corrective actions, yesterday's
broken promises, the patrols missed yesterday and overnight, hazards past their deadline and the
notices going out today. `date` defaults to today (Beijing). `case:read` on the project, as the
GraphQL briefing; another company's project, one out of reach and one that does not exist: one
404. The rows come from domain/handover/briefing_print.py; the page is
templates/morning_briefing.html, escaped by the template engine. Same guards and headers as the
other printed pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.graphql.types.node import from_global_id
from api.print.routes import _HEADERS, caller, coded, error_response, guarded_read
from api.print.templating import render as render_template
from domain.archive.accuracy import beijing_today
from domain.cases.states import KIND_LABELS, CaseKind
from domain.errors import DomainError, ErrorCode, invalid
from domain.handover.briefing import flagged, total
from domain.handover.briefing_print import PrintedBriefing, printed_briefing
from domain.hazards.rules import GRADE_LABELS
from domain.hazards.rules import STATE_LABELS as HAZARD_STATES
from domain.notices.rules import KIND_LABELS as NOTICE_KINDS
from domain.notices.rules import STATE_LABELS as NOTICE_STATES
from domain.patrols.rules import KIND_LABELS as ROUTE_KINDS
from domain.sla.calendar import CHINA
from tenants.platform import Platform
from tenants.roles import Permission

_NOT_FOUND = "项目不存在或您无权查看。The project was not found or is not visible to you."
_COLOURS = (("red", "红色"), ("orange", "橙色"), ("yellow", "黄色"))
_EXCERPT = 60


def _at(value: datetime | None) -> str:
    return f"{value.astimezone(CHINA):%m-%d %H:%M}" if value is not None else ""


def _excerpt(words: str | None) -> str:
    words = " ".join((words or "").split())
    return words if len(words) <= _EXCERPT else words[:_EXCERPT] + "…"


def render(p: PrintedBriefing, printed_at: datetime) -> str:
    b = p.briefing

    def case(case_id: UUID, at: str = "") -> dict[str, str]:
        row = p.cases.get(case_id)
        if row is None:  # gone from view between the two reads
            return {"number": "", "kind": "", "description": "", "at": at}
        return {"number": row.number, "kind": KIND_LABELS[CaseKind(row.kind)].split(" ")[0], "description": _excerpt(row.description),
                "at": at or _at(row.received_at)}

    def person(user_id: UUID | None) -> str:
        return p.people.get(user_id, "") if user_id is not None else ""

    sections = {
        "night": [{"text": _excerpt(r.text), "carries": r.carries, "flagged": flagged(r.carries), "at": _at(r.at)} for r in b.night_items],
        "received": [case(r.id) for r in b.received],
        "overdue": [case(r.id) for r in b.overdue],
        "actions": [{"title": r.title, "owner": person(r.owner_user_id), "due": f"{r.due_on:%m-%d}"} for r in b.actions],
        "broken": [{**case(r.case_id, _at(r.at)), "reason": r.reason or ""} for r in b.broken],
        "patrols": [{"route": r.route_name, "kind": ROUTE_KINDS.get(r.route_kind, r.route_kind),
                     "window": f"{_at(r.due_from)}–{r.due_until.astimezone(CHINA):%H:%M}", "walker": person(r.assignee_user_id),
                     "done": f"{r.points_done}/{r.points_total}"} for r in b.missed_runs],
        "hazards": [{"number": r.number, "grade": GRADE_LABELS[r.grade], "title": r.title, "place": r.place or "",
                     "owner": person(r.owner_user_id), "deadline": _at(r.deadline), "state": HAZARD_STATES[r.state]}
                    for r in b.hazards],
        "notices": [{"title": r.title, "kind": NOTICE_KINDS[r.kind], "state": NOTICE_STATES[r.state],
                     "at": _at(r.published_at or r.publish_at)} for r in b.notices],
    }
    counts = {"night": total(b.night_items), "received": total(b.received), "overdue": total(b.overdue),
              "actions": total(b.actions), "broken": total(b.broken), "patrols": total(b.missed_runs),
              "hazards": total(b.hazards), "notices": total(b.notices)}
    return render_template(
        "morning_briefing.html", org_name=p.project.org_name, project_name=p.project.name, project_code=p.project.code,
        day=f"{b.day:%Y年%m月%d日}", night=f"{_at(b.window.night_start)} – {_at(b.window.night_end)}",
        printed_at=f"{printed_at.astimezone(CHINA):%Y-%m-%d %H:%M}", sections=sections, counts=counts,
        flagged_count=sum(1 for r in b.night_items if flagged(r.carries)),
        alerts=[{"label": label, "count": b.alerts.get(colour, 0), "colour": colour} for colour, label in _COLOURS],
    )


def _day(request: Request) -> date:
    raw = request.query_params.get("date", "")
    if not raw:
        return beijing_today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise invalid("日期格式不正确（如 2026-12-07）。date must be a date (2026-12-07).", "date") from None


def print_morning_briefing(platform: Platform):
    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, Permission.CASE_READ, "to print the morning briefing")
        if isinstance(principal, Response):
            return principal
        try:
            project_id = from_global_id(request.query_params.get("project", ""), "Project", "project")
            day = _day(request)
        except DomainError as e:
            return coded(e)
        if not principal.scope.allows(project_id):
            return error_response(404, ErrorCode.NOT_FOUND, _NOT_FOUND)
        found: Any = await guarded_read(platform, principal.scope, lambda db: printed_briefing(db, project_id, day))
        if isinstance(found, Response):
            return found
        if found is None:
            return error_response(404, ErrorCode.NOT_FOUND, _NOT_FOUND)
        if not principal.can(Permission.CASE_READ, project_id):
            return error_response(403, ErrorCode.FORBIDDEN, f"您需要本项目的权限 {Permission.CASE_READ.value}。"
                                                            f"You need {Permission.CASE_READ.value} on this project.")
        return HTMLResponse(render(found, datetime.now(CHINA)), headers=_HEADERS)

    return endpoint
