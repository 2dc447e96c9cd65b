"""月度小结 as a printable A4 page with inline SVG charts. Every value is escaped (project and
category names are the company's own input); nothing is fetched from outside."""

from __future__ import annotations

from html import escape
from string import Template

from api.graphql.types.alert import COLOUR_LABELS
from api.print.charts import BLUE, GREEN, GREY, bars, columns
from api.print.monthly_data import FIGURES, LEVEL_LABELS, THREE_RATES, Summary
from domain.cases.states import KIND_LABELS

_PAGE = Template("""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>$title</title>
<style>
@page { size: A4; margin: 15mm 15mm; }
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; font-size: 10pt; color: #111;
       max-width: 180mm; margin: 0 auto; }
h1 { font-size: 18pt; margin: 0 0 1mm; }
.sub { color: #555; margin: 0 0 4mm; }
h2 { font-size: 12pt; border-bottom: 1.5px solid #2f6db5; padding-bottom: 1mm; margin: 6mm 0 2mm; break-after: avoid; }
h2 small, th small { font-weight: normal; color: #666; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; }
th, td { border: 0.5px solid #bbb; padding: 1mm 2mm; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #eef2f7; }
.kpi { display: inline-block; min-width: 34mm; margin: 0 2mm 2mm 0; padding: 2mm 3mm; border: 0.5px solid #bbb; }
.kpi b { display: block; font-size: 15pt; }
.note { color: #666; font-size: 9pt; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm; }
.ranking td:nth-child(2), .ranking th:nth-child(2) { text-align: left; }
section { break-inside: avoid; }
svg { display: block; margin: 1mm 0 2mm; }
</style></head>
<body>
<h1>月度小结 Monthly summary · $subject</h1>
<p class="sub">$org　$period　生成于 Generated $generated$progress</p>
<section><h2>考核指标 <small>Figures, month over month</small></h2>
<table><tr><th>指标 <small>Figure</small></th><th>本月 <small>This month</small></th><th>上月 <small>Last month</small></th>
<th>环比 <small>Change</small></th></tr>$figures</table>
$three_rates</section>
<section><h2>考评 <small>Evaluation</small></h2>$evaluation</section>
<section><h2>每日受理 <small>Received per day</small></h2>$daily
<p class="note">已解决指当日受理的工单中现已解决的数量。Resolved counts the cases received that day that are resolved now.</p></section>
<section><h2>分类统计 <small>By kind and category</small></h2>
<table><tr><th>类型 <small>Kind</small></th><th>受理 <small>Received</small></th><th>占比 <small>Share</small></th></tr>$kinds</table>
$category_chart
<table><tr><th>类别 <small>Category</small></th><th>受理 <small>Received</small></th><th>已解决 <small>Resolved</small></th>
<th>不满意 <small>Dissatisfied</small></th></tr>$categories</table></section>
<section><h2>失约、升级与预警 <small>Broken promises, escalations and alerts</small></h2>
<table><tr><th>升级级别 <small>Escalation level</small></th><th>本月 <small>This month</small></th><th>上月 <small>Last month</small></th>
<th>环比 <small>Change</small></th></tr>$escalations</table>
<table><tr><th>预警 <small>Alerts</small></th><th>当前未关闭 <small>Open now</small></th><th>本月新增 <small>Opened this month</small></th></tr>
$alerts</table>
<p class="note">失约次数 Broken promises：本月 $broken 次，上月 $broken_before 次。</p></section>
</body></html>
""")


def pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def number(v: float | None, digits: int = 1) -> str:
    return "—" if v is None else f"{v:,.{digits}f}"


def show(v: float | None, how: str) -> str:
    if how == "rate":
        return pct(v)
    return number(v, 0) if how == "count" else number(v, 2 if how == "ratio" else 1)


def change(now: float | None, before: float | None, how: str) -> str:
    """环比 in words a report uses: up or down by so much, or the same."""
    if now is None or before is None:
        return "—"
    d = now - before
    if abs(d) < 1e-9:
        return "持平 Same"
    arrow = "↑" if d > 0 else "↓"
    if how == "rate":
        return f"{arrow}{abs(d) * 100:.1f}个百分点"
    return f"{arrow}{abs(d):,.0f}" if how == "count" else f"{arrow}{abs(d):,.2f}"


def _row(*cells: str) -> str:
    return "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>"


def subject(s: Summary) -> str:
    return f"{s.project.name}（{s.project.code}）" if s.project is not None else "全公司 Company"


def _evaluation(s: Summary) -> str:
    if s.project is not None:
        c = s.scored
        tiles = [("得分 Score", number(c.score))]
        if s.headquarters:
            tiles += [("标准分 Standard score", number(c.standard_score)),
                      ("排名 Rank", f"{c.rank} / {s.ranked}" if c.rank is not None else "—"),
                      ("趋势 Trend", change(c.trend, 0.0, "score"))]
        if c.inspection_score is not None:
            tiles.append(("品质检查 Inspection", number(c.inspection_score)))
        html = "".join(f'<div class="kpi">{escape(k)}<b>{escape(v)}</b></div>' for k, v in tiles)
        if not s.headquarters:
            html += ('<p class="note">标准分与排名在全公司项目间计算，由总部发布。'
                     "Standard scores and ranks compare every project of the company; headquarters publishes them.</p>")
        return html
    scored = [p for p in s.ranking if p.score is not None]
    mean = sum(p.score for p in scored) / len(scored) if scored else None
    html = (f'<div class="kpi">参评项目 Projects ranked<b>{s.ranked} / {len(s.ranking)}</b></div>'
            f'<div class="kpi">平均得分 Average score<b>{escape(number(mean))}</b></div>')
    shown = s.top + s.bottom
    if shown:
        html += bars("标准分 Standard scores", [(f"{p.rank}. {p.row.name}", p.standard_score) for p in shown],
                     fmt=lambda v: f"{v:.1f}", baseline=50)
        head = ("<tr><th>排名 <small>Rank</small></th><th>项目 <small>Project</small></th><th>得分 <small>Score</small></th>"
                "<th>标准分 <small>Standard</small></th><th>趋势 <small>Trend</small></th><th>受理 <small>Received</small></th></tr>")
        for title, group in (("前五名 Top 5", s.top), ("后五名 Bottom 5", s.bottom)):
            if group:
                rows = "".join(_row(str(p.rank), f"{p.row.name}（{p.row.code}）", number(p.score), number(p.standard_score),
                                    "—" if p.trend is None else f"{p.trend:+.1f}", str(p.figures.received)) for p in group)
                html += f'<h3>{escape(title)}</h3><table class="ranking">{head}{rows}</table>'
    return html + '<p class="note">完整排名见 XLSX 的“项目排名”表。The full ranking is in the workbook.</p>'


def render(s: Summary) -> str:
    f, b = s.figures, s.previous
    period = f"{s.month:%Y年%m月}"
    received = sum(c.received for c in s.by_category) or 1
    three = columns("三率 本月与上月 The three rates, this month and last", [label.split(" ")[0] for label, _, _ in THREE_RATES],
                    [("上月 Last month", GREY, [getattr(b, a) for _, a, _ in THREE_RATES]),
                     ("本月 This month", BLUE, [getattr(f, a) for _, a, _ in THREE_RATES])],
                    fmt=lambda v: f"{v * 100:.0f}%", top=1, width=420, height=200, values_on_top=True)
    daily = columns("每日受理 Received per day", [str(d.day) for d, _, _ in s.daily],
                    [("受理 Received", BLUE, [r for _, r, _ in s.daily]), ("已解决 Resolved", GREEN, [v for _, _, v in s.daily])])
    top_categories = s.by_category[:12]
    category_chart = bars("分类受理 Received by category", [(c.name, c.received) for c in top_categories]) if top_categories else ""
    return _PAGE.substitute(
        title=escape(f"月度小结 {period} {subject(s)}"), subject=escape(subject(s)), org=escape(s.org_name), period=period,
        generated=f"{s.generated_at:%Y-%m-%d %H:%M}",
        progress="" if s.complete else "　<b>本月尚未结束 Month in progress</b>",
        figures="".join(_row(label, show(getattr(f, a), how), show(getattr(b, a), how), change(getattr(f, a), getattr(b, a), how))
                        for label, a, how in FIGURES),
        three_rates=three, evaluation=_evaluation(s), daily=daily,
        kinds="".join(_row(KIND_LABELS.get(k, k), str(n), pct(n / received)) for k, n in s.by_kind) or _row("无 None", "0", "—"),
        category_chart=category_chart,
        categories="".join(_row(c.name, str(c.received), str(c.resolved), str(c.dissatisfied)) for c in s.by_category)
        or _row("无 None", "0", "0", "0"),
        escalations="".join(_row(LEVEL_LABELS[level], str(n), str(m), change(n, m, "count")) for level, n, m in s.escalations),
        alerts="".join(_row(COLOUR_LABELS[colour], str(n), str(m)) for colour, n, m in s.alerts),
        broken=f.broken_promises, broken_before=b.broken_promises,
    )
