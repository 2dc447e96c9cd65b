"""Printed pages are escaped by construction: every field a company or a resident typed — a case's
description, a reply's reason, a bulletin's title and text, an outside body's name, a project's or
category's name — prints as the text it is, never as markup, on every page; a template missing a
value fails loudly instead of printing a blank; no template marks a value safe."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from uuid import uuid4

import pytest
from jinja2 import UndefinedError

from api.print import bulletin, monthly_summary, morning_briefing, receipt, referral_letter, written_reply
from api.print.templating import ENV
from domain.handover.briefing import Briefing, window
from domain.handover.briefing_print import PrintedBriefing
from domain.kpi.figures import Figures
from domain.kpi.month import ScoredProject
from domain.kpi.monthly_summary_read import Category, Summary

AT = datetime(2026, 11, 22, 4, 40, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script>\"&'"
TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "print" / "templates"


def typed(field: str) -> str:
    """What a hostile hand typed into `field`: the field's name on both sides, so each is found."""
    return f"{field}{HOSTILE}{field}"


class Page(HTMLParser):
    """The page as a browser reads it: its elements, attribute values and text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: list[str] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [v or "" for _, v in attrs]

    def handle_data(self, data):
        self.text.append(data)


def assert_escaped(html: str, fields: list[str]) -> None:
    assert "<script" not in html.lower(), "markup from data reached the page"
    page = Page(html)
    assert "script" not in page.tags
    text = "".join(page.text)
    for field in fields:
        # Read back, the words are exactly what was typed; in the source, every special character is an entity.
        assert typed(field) in text, f"{field} is not printed as typed"
        assert f"{field}&lt;script&gt;alert(1)&lt;/script&gt;&#34;&amp;&#39;{field}" in html, f"{field} is not escaped"


def test_a_written_reply_prints_every_typed_field_as_text():
    row = SimpleNamespace(
        number=typed("number"), version=2, created_at=AT, received_at=AT, resident=typed("resident"),
        building=typed("building"), unit=typed("unit"), public_area=typed("public_area"), project_name=typed("project_name"),
        description=typed("description"), reason=typed("reason"), basis=typed("basis"),
        alternatives=[typed("alternative_1"), typed("alternative_2")], org_name=typed("org_name"), signed_by=typed("signed_by"))
    html = written_reply.render(row)
    assert_escaped(html, ["number", "resident", "building", "unit", "public_area", "project_name", "description", "reason",
                          "basis", "alternative_1", "alternative_2", "org_name", "signed_by"])
    assert len(re.findall("<li>", html)) == 2 and html.count("<p>") == 8  # the letter's own structure, nothing added


def test_a_referral_letter_prints_every_typed_field_as_text():
    row = SimpleNamespace(
        id=uuid4(), body_id=uuid4(), number=typed("number"), created_at=AT, received_at=AT, due_at=AT,
        body_name=typed("body_name"), body_kind="street_office", contact_name=typed("contact_name"),
        project_name=typed("project_name"), org_name=typed("org_name"), building=typed("building"), unit=typed("unit"),
        public_area=typed("public_area"), description=typed("description"), reason=typed("reason"),
        requested_action=typed("requested_action"), delivery="letter")
    assert_escaped(referral_letter.render(row), ["number", "body_name", "contact_name", "project_name", "org_name", "building",
                                                 "unit", "public_area", "description", "reason", "requested_action"])


def test_a_receipt_prints_every_typed_field_as_text():
    head = SimpleNamespace(receipt_no=typed("receipt_no"), org_name=typed("org_name"), project_name=typed("project_name"),
                           unit_label=typed("unit_label"), paid_at=AT, reversed_at=AT, kind="payment", unallocated_fen=50, amount_fen=21052,
                           method="cash", invoice_no=typed("invoice_no"), note=typed("note"))
    lines = [SimpleNamespace(item_name=typed("item_name"), period=AT.date().replace(day=1), amount_fen=21002)]
    html = receipt.render(head, lines)
    assert_escaped(html, ["receipt_no", "org_name", "project_name", "unit_label", "invoice_no", "note", "item_name"])
    assert "贰佰壹拾元伍角贰分" in html and "已冲正" in html


@pytest.mark.parametrize("state", ["published", "withdrawn", "draft"])
def test_a_bulletin_prints_every_typed_field_as_text(state):
    published = state != "draft"
    row = SimpleNamespace(
        kind="criticism", state=state, title=typed("title"), body=f"{typed('paragraph_1')}\n\n{typed('paragraph_2')}",
        withdrawal_reason=typed("withdrawal_reason") if state == "withdrawn" else None,
        project_name=typed("project_name"), department_name=typed("department_name"), org_name=typed("org_name"),
        month=date(2026, 11, 1), created_at=AT, published_at=AT if published else None, cited_figures=["received"],
        figures={"figures": {"received": 3}, "cases": [{"number": typed("case_number")}]} if published else None)
    fields = ["title", "paragraph_1", "paragraph_2", "project_name", "department_name", "org_name"]
    fields += ["case_number"] if published else []
    fields += ["withdrawal_reason"] if state == "withdrawn" else []
    html = bulletin.render(row)
    assert_escaped(html, fields)
    assert html.count('<p class="banner">') == (state != "published")


def summary(project: bool, headquarters: bool) -> Summary:
    f = Figures(12, 0.5, 0.75, None, 1.0, 0.25, 0.5, 3.5, 1.2, 2, 3)
    rows = [SimpleNamespace(id=i, code=f"P{i}", name=typed(f"project_{i}")) for i in range(12)]
    ranking = [ScoredProject(r, f, 80.0 - i, 60.0 - 2 * i, i + 1, 1.5, None) for i, r in enumerate(rows)]
    return Summary(
        org_name=typed("org_name"), month=date(2026, 11, 1), project=rows[0] if project else None, headquarters=headquarters,
        figures=f, previous=f, scored=ranking[0] if project else None, ranking=[] if project else ranking, ranked=12,
        by_kind=[("complaint", 12)], by_category=[Category("c1", typed("category"), 12, 6, 1)],
        daily=[(date(2026, 11, d), d % 4, d % 2) for d in range(1, 31)],
        escalations=[("escalations_l1", 2, 1), ("escalations_l2", 0, 0), ("escalations_l3", 1, 0)],
        alerts=[("red", 1, 1), ("orange", 0, 0), ("yellow", 0, 2)], generated_at=AT, complete=True)


@pytest.mark.parametrize(("project", "headquarters"), [(False, True), (True, True), (True, False)])
def test_a_monthly_summary_prints_every_typed_name_as_text(project, headquarters):
    html = monthly_summary.render(summary(project, headquarters))
    # The company's summary ranks its best and worst five; a project's names only itself.
    names = ["project_0"] if project else [f"project_{i}" for i in (0, 1, 2, 3, 4, 7, 8, 9, 10, 11)]
    assert_escaped(html, ["org_name", "category", *names])
    assert html.count("<svg") == (3 if project else 4)  # three rates, days, categories; the company adds its ranking
    for label in re.findall(r'aria-label="([^"]*)"', html):  # chart labels: escaped inside attributes too
        assert "<" not in label and '"' not in label


def test_a_morning_briefing_prints_every_typed_field_as_text():
    day, case_id, owner = date(2026, 12, 7), uuid4(), uuid4()
    one = {"total": 1}
    b = Briefing(
        day=day, window=window(day),
        night_items=[SimpleNamespace(text=typed("item"), carries=3, at=AT, **one)],
        received=[SimpleNamespace(id=case_id, **one)], overdue=[SimpleNamespace(id=case_id, **one)], alerts={"red": 2},
        actions=[SimpleNamespace(title=typed("action"), owner_user_id=owner, due_on=day, **one)],
        broken=[SimpleNamespace(case_id=case_id, at=AT, reason=typed("reason"), **one)],
        missed_runs=[SimpleNamespace(route_name=typed("route"), route_kind="safety", due_from=AT, due_until=AT,
                                     assignee_user_id=owner, points_done=1, points_total=4, **one)],
        hazards=[SimpleNamespace(number=typed("hazard_number"), grade="major", title=typed("hazard"), place=typed("place"),
                                 owner_user_id=None, deadline=AT, state="open", **one)],
        notices=[SimpleNamespace(title=typed("notice"), kind="general", state="published", published_at=AT, publish_at=None,
                                 **one)])
    printed = PrintedBriefing(
        project=SimpleNamespace(name=typed("project_name"), code="P1", org_name=typed("org_name")), briefing=b,
        cases={case_id: SimpleNamespace(number=typed("case_number"), kind="repair", description=typed("description"), received_at=AT)},
        people={owner: typed("person")})
    html = morning_briefing.render(printed, AT)
    assert_escaped(html, ["item", "action", "reason", "route", "hazard_number", "hazard", "place", "notice", "project_name",
                          "org_name", "case_number", "description", "person"])
    assert "【多次交接】" in html and html.count('class="none"') == 0  # every section has its row


def test_a_template_missing_a_value_fails_instead_of_printing_a_blank():
    row = SimpleNamespace(number="GD-1", version=1)
    with pytest.raises(UndefinedError, match="reply_date"):
        ENV.get_template("written_reply.html").render(number=row.number, version=row.version)
    with pytest.raises(UndefinedError):
        ENV.get_template("bulletin.html").render(state="published", heading="通报批评")
    with pytest.raises(UndefinedError):
        ENV.from_string("<p>{{ title }}</p>").render()


def test_templates_are_autoescaped_and_mark_nothing_safe():
    names = sorted(p.name for p in TEMPLATES.glob("*.html"))
    assert names == ["bulletin.html", "charts.html", "monthly_summary.html", "morning_briefing.html", "patrol_points.html",
                     "receipt.html", "referral_letter.html", "written_reply.html"]
    for name in names:
        source = (TEMPLATES / name).read_text()
        assert not re.search(r"\|\s*safe\b|Markup|autoescape\s+false", source), f"{name} turns escaping off"
        assert ENV.get_template(name).environment.autoescape  # on for .html
    assert ENV.from_string("{{ v }}").render(v=HOSTILE) == "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&amp;&#39;"
