"""书面答复 as a printable page: one A4 letter per reply version, the same for the GraphQL `html`
field and for GET /print/written-replies/{id}. The row comes from domain/cases/written_reply_read.py;
the page is templates/written_reply.html, escaped by the template engine. Nothing is fetched from
outside, so the page prints the same offline."""

from __future__ import annotations

from typing import Any

from api.print.templating import render as render_template

# Letters are dated in China's time, whatever the server's zone.
from domain.sla.calendar import CHINA
from domain.wording import clause, place, sentence


def render(row: Any) -> str:
    return render_template(
        "written_reply.html",
        number=row.number, version=row.version,
        reply_date=f"{row.created_at.astimezone(CHINA):%Y年%m月%d日}",
        received_date=f"{row.received_at.astimezone(CHINA):%Y年%m月%d日 %H:%M}",
        addressee=f"尊敬的{row.resident}" if row.resident else "尊敬的业主/住户",
        place=place(row.building, row.unit, row.public_area, row.project_name), description=clause(row.description),
        reason=sentence(row.reason), basis=sentence(row.basis),
        alternatives=[clause(a) for a in row.alternatives if clause(a)],
        project_name=row.project_name, org_name=row.org_name,
        signed_by=row.signed_by or "客服主管",
    )
