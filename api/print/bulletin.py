"""内部通报 as a printable A4 page, GET /print/bulletins/{id}: the bulletin, the figures frozen
when it was published (the cited ones marked), the linked cases, and — once withdrawn — why.
Every value is escaped and the page fetches nothing from outside."""

from __future__ import annotations

from html import escape
from string import Template

from sqlalchemy import Row, text
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.graphql.types.node import from_global_id
from api.print.routes import _HEADERS, caller, coded, error_response, guarded_read
from domain.errors import DomainError, ErrorCode
from domain.reviews.rules import figures_of
from domain.sla.calendar import CHINA
from tenants.platform import Platform
from tenants.roles import Permission

BULLETIN_SQL = text(
    "SELECT b.*, p.name AS project_name, o.name AS org_name, d.name AS department_name FROM bulletins b "
    "JOIN projects p ON p.id = b.project_id JOIN organizations o ON o.org_id = b.org_id "
    "LEFT JOIN departments d ON d.id = b.department_id WHERE b.id = :id AND (b.state <> 'draft' OR :drafts)"
)
HEADINGS = {"praise": "通报表扬", "criticism": "通报批评", "notice": "情况通报"}
# (figure, label, how it prints)
FIGURES = (
    ("received", "受理量", "n"), ("response_rate", "响应率", "%"), ("resolution_rate", "解决率", "%"),
    ("satisfaction_rate", "满意率", "%"), ("first_contact_rate", "首次解决率", "%"), ("return_visit_rate", "回访率", "%"),
    ("on_time_rate", "按时办结率", "%"), ("average_handling_hours", "平均处理时长（小时）", "h"),
    ("complaints_per_1000", "千户投诉率", "h"), ("broken_promises", "失约次数", "n"), ("escalations", "升级次数", "n"),
)

_PAGE = Template("""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>$heading $title</title>
<style>
@page { size: A4; margin: 25mm 20mm; }
body { font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.8; color: #000; max-width: 170mm; margin: 0 auto; }
h1 { text-align: center; font-size: 20pt; letter-spacing: 0.3em; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 6mm 0 1mm; }
.sub { text-align: center; font-size: 14pt; margin: 0 0 4mm; }
.meta { text-align: right; font-size: 10pt; }
.banner { border: 2px solid #000; padding: 2mm 4mm; text-align: center; font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; }
td, th { border: 1px solid #000; padding: 1mm 3mm; text-align: left; }
.cited { font-weight: bold; }
.sign { margin-top: 14mm; text-align: right; }
</style></head>
<body>
$banner
<h1>$heading</h1>
<p class="sub">$title</p>
<p class="meta">$subject　$month　$date</p>
$body
<h2>数据依据（$taken）</h2>
$figures
<h2>相关工单</h2>
<p>$cases</p>
<div class="sign"><p>$org_name　总部品质部</p><p>$date</p></div>
</body></html>
""")


def _value(v, how: str) -> str:
    if v is None:
        return "—（无数据）"
    if how == "%":
        return f"{v * 100:.1f}%"
    return f"{v:.1f}" if how == "h" else str(v)


def render(row: Row) -> str:
    snap = row.figures
    if snap is None:
        figures, taken, cases = "<p>发布时冻结当月数据。</p>", "未发布", "发布时列出"
    else:
        f = figures_of(snap)
        cited = set(row.cited_figures)
        figures = "<table><tr><th>指标</th><th>数值</th></tr>" + "".join(
            f'<tr class="{"cited" if name in cited else ""}"><td>{label}{"（引用）" if name in cited else ""}</td>'
            f"<td>{escape(_value(getattr(f, name), how))}</td></tr>" for name, label, how in FIGURES) + "</table>"
        taken = escape(f"截至 {row.published_at.astimezone(CHINA):%Y年%m月%d日 %H:%M}")
        cases = escape("、".join(c["number"] for c in snap.get("cases") or ()) or "无")
    if row.state == "withdrawn":
        banner = f'<p class="banner">已撤回：{escape(row.withdrawal_reason or "")}</p>'
    elif row.state == "draft":
        banner = '<p class="banner">草稿　未发布</p>'
    else:
        banner = ""
    when = row.published_at or row.created_at
    return _PAGE.substitute(
        banner=banner, heading=HEADINGS[row.kind], title=escape(row.title),
        subject=escape(row.project_name + (f" · {row.department_name}" if row.department_name else "")),
        month=f"{row.month:%Y年%m月}", date=f"{when.astimezone(CHINA):%Y年%m月%d日}",
        body="".join(f"<p>{escape(line)}</p>" for line in row.body.splitlines() if line.strip()),
        taken=taken, figures=figures, cases=cases, org_name=escape(row.org_name),
    )


def print_bulletin(platform: Platform):
    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, Permission.PROJECT_READ, "to print a bulletin")
        if isinstance(principal, Response):
            return principal
        try:
            bulletin_id = from_global_id(request.path_params["bulletin_id"], "Bulletin", "id")
        except DomainError as e:
            return coded(e)
        params = {"id": bulletin_id, "drafts": principal.can(Permission.BULLETIN_PUBLISH)}
        row = await guarded_read(platform, principal.scope, lambda db: db.first(BULLETIN_SQL, params))
        if isinstance(row, Response):
            return row
        if row is None:
            return error_response(404, ErrorCode.NOT_FOUND, "The bulletin was not found or is not visible to you.")
        return HTMLResponse(render(row), headers=_HEADERS)

    return endpoint
