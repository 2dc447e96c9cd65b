"""书面答复 as a printable page: one A4 letter per reply version, the same for the GraphQL `html`
field and for GET /print/written-replies/{id}. Every value is escaped; nothing is fetched from
outside, so the page prints the same offline."""

from __future__ import annotations

from html import escape
from string import Template

from sqlalchemy import Row, text

# Letters are dated in China's time, whatever the server's zone.
from domain.sla.calendar import CHINA
from domain.wording import clause, place, sentence

REPLY_FROM = (
    "SELECT r.id, r.case_id, r.version, r.reason, r.basis, r.alternatives, r.created_at, r.created_by, "
    "  c.number, c.description, c.received_at, c.public_area, p.name AS project_name, o.name AS org_name, "
    "  u.display_name AS signed_by, b.name AS building, un.number AS unit, res.name AS resident "
    "FROM written_replies r JOIN cases c ON c.id = r.case_id JOIN projects p ON p.id = c.project_id "
    "JOIN organizations o ON o.org_id = c.org_id LEFT JOIN users u ON u.id = r.created_by "
    "LEFT JOIN buildings b ON b.id = c.building_id LEFT JOIN units un ON un.id = c.unit_id "
    "LEFT JOIN residents res ON res.id = c.reporter_resident_id "
)
REPLY_SQL = text(REPLY_FROM + "WHERE r.id = :id")

_PAGE = Template("""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>书面答复 $number 第$version版</title>
<style>
@page { size: A4; margin: 25mm 20mm; }
body { font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.8; color: #000; max-width: 170mm; margin: 0 auto; }
h1 { text-align: center; font-size: 20pt; letter-spacing: 0.5em; margin: 0 0 4mm; }
.meta { text-align: right; font-size: 10pt; }
h2 { font-size: 12pt; margin: 6mm 0 1mm; }
ol { margin: 0; }
.sign { margin-top: 14mm; text-align: right; }
.receipt { margin-top: 16mm; border-top: 1px dashed #000; padding-top: 4mm; font-size: 10pt; }
</style></head>
<body>
<h1>书面答复</h1>
<p class="meta">工单编号 $number　第 $version 版　$reply_date</p>
<p>$addressee：</p>
<p>您于 $received_date 反映的事项（$place）：“$description”，经研究，答复如下：</p>
<h2>一、答复意见</h2>
<p>$reason</p>
<h2>二、依据</h2>
<p>$basis</p>
<h2>三、可供选择的解决方式</h2>
<ol>$alternatives</ol>
<p>如您对本答复有疑问，可随时联系$project_name客服中心。感谢您的理解与支持。</p>
<div class="sign"><p>$org_name　$project_name客服中心</p><p>经办：$signed_by</p><p>$reply_date</p></div>
<div class="receipt">回执：本人已收到上述书面答复。　签收人：＿＿＿＿＿＿　日期：＿＿＿＿＿＿</div>
</body></html>
""")


def render(row: Row) -> str:
    choices = [clause(a) for a in row.alternatives if clause(a)]
    return _PAGE.substitute(
        number=escape(row.number), version=row.version,
        reply_date=f"{row.created_at.astimezone(CHINA):%Y年%m月%d日}",
        received_date=f"{row.received_at.astimezone(CHINA):%Y年%m月%d日 %H:%M}",
        addressee=escape(f"尊敬的{row.resident}" if row.resident else "尊敬的业主/住户"),
        place=escape(place(row.building, row.unit, row.public_area, row.project_name)), description=escape(clause(row.description)),
        reason=escape(sentence(row.reason)), basis=escape(sentence(row.basis)),
        alternatives="".join(f"<li>{escape(a)}{'。' if i == len(choices) - 1 else '；'}</li>" for i, a in enumerate(choices)),
        project_name=escape(row.project_name), org_name=escape(row.org_name),
        signed_by=escape(row.signed_by or "客服主管"),
    )
