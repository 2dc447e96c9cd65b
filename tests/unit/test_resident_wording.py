"""Every text a resident (or an outside body) reads is written as a person would: the pieces staff
typed — an apology, a reason, an outcome, the alternatives offered — become clauses and sentences
with Chinese punctuation, never glued together by a bare space, never ending twice or not at all,
whether they were typed with a full stop, a comma, a trailing space or nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace
from uuid import uuid4

import pytest

from api.print import referral_letter, written_reply
from domain.cases.progress import _STEPS, Entry, progress
from domain.notifications.messages import PROGRESS_TOPICS, render
from domain.referrals.repository import letter_text

AT = datetime(2026, 11, 22, 4, 40, tzinfo=UTC)
HAN = r"\u4e00-\u9fff"
# A Chinese clause (or its closing punctuation) and the next Chinese clause with only spaces between.
GLUED = re.compile(rf"[{HAN}，。：；、）」”][ \t]+[{HAN}（「“]")
DOUBLED = re.compile(r"[。，；：、][。，；：、]")
ENDS = ("。", "！", "？")
# The same words as people type them: bare, with a full stop, a comma, a trailing space.
TYPED = {
    "bare": ("非常抱歉让您久等", "配件需要从厂家调货", "先做临时处理", "需业主在家开门", "已更换水龙头", "违章搭建",
             "不属于物业服务范围", "《物业服务合同》第三条", ("联系搬家公司", "预约周末志愿者")),
    "stopped": ("非常抱歉让您久等。", "配件需要从厂家调货。", "先做临时处理。", "需业主在家开门。", "已更换水龙头。", "违章搭建。",
                "不属于物业服务范围。", "《物业服务合同》第三条。", ("联系搬家公司。", "预约周末志愿者。")),
    "comma": ("非常抱歉让您久等，", "配件需要从厂家调货，", "先做临时处理，", "需业主在家开门，", "已更换水龙头，", "违章搭建，",
              "不属于物业服务范围，", "《物业服务合同》第三条，", ("联系搬家公司；", "预约周末志愿者，")),
    "spaced": ("非常抱歉让您久等 ", "配件需要从厂家调货 ", "先做临时处理 ", "需业主在家开门 ", "已更换水龙头 ", "违章搭建 ",
               "不属于物业服务范围 ", "《物业服务合同》第三条 ", ("联系搬家公司 ", "预约周末志愿者 ")),
}


def well_written(text: str) -> None:
    assert not GLUED.search(text), f"clauses joined by a bare space: {text!r}"
    assert not DOUBLED.search(text), f"punctuation doubled: {text!r}"
    assert text.endswith(ENDS), f"no closing punctuation: {text!r}"


def entries(words: tuple) -> dict[str, SimpleNamespace]:
    apology, reason, remedy, wait, result, body_reason, decline, basis, alternatives = words
    due = "2026-11-23T06:40:00+00:00"
    data = {
        "case.committed": {"due": due}, "case.dispatched": {"assignee_id": str(uuid4())},
        "case.promise_broken": {"apology": apology, "reason": reason, "remedy": remedy, "new_due": due},
        "case.resolved": {"by_referral": False}, "case.confirmed": {"automatic": True}, "case.cancelled": {"by_resident": False},
        "case.declined": {"reason": decline, "basis": basis, "alternatives": list(alternatives)},
        "case.reply_revised": {"reason": decline, "basis": basis, "alternatives": list(alternatives)},
        "case.referred": {"body": "翠湖街道办事处"}, "case.referral_acknowledged": {"body": "翠湖街道办事处"},
    }
    notes = {"case.paused": wait, "case.resolved": result, "case.cancelled": reason, "case.referred": body_reason}
    return {topic: SimpleNamespace(data=data.get(topic, {}), note=notes.get(topic)) for topic in _STEPS}


@pytest.mark.parametrize("typed", TYPED)
def test_every_progress_message_is_punctuated_as_a_person_writes(typed):
    for topic, e in entries(TYPED[typed]).items():
        [step] = progress([Entry(AT, topic, e.note, e.data)], {})
        well_written(step.message)
        if topic in PROGRESS_TOPICS:  # the same words in the notification
            assert render(topic, {"at": AT.isoformat(), "note": e.note, **e.data}, number="GD-XH-20261122-0001",
                          description="楼上渗水")[1] == step.message
    apology = render("case.promise_broken", {"at": AT.isoformat(), **entries(TYPED[typed])["case.promise_broken"].data},
                     number="GD-XH-20261122-0001", description="")
    assert apology[1].startswith("非常抱歉让您久等。原因：配件需要从厂家调货。补救措施：先做临时处理。")


@pytest.mark.parametrize("typed", TYPED)
def test_escalation_notices_end_their_sentences(typed):
    description = TYPED[typed][4]
    for level in ("remind", "l1", "l2", "l3"):
        well_written(render("case.escalated", {"level": level, "reason": "timer", "target": "resolve"},
                            number="GD-XH-20261122-0001", description=description)[1])


def _paragraphs(html: str) -> list[str]:
    """The letter's own paragraphs: those before the signature, except the heading's dateline."""
    body = html.split('<div class="sign">')[0]
    return [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p>(.*?)</p>", body, re.S)]


FACTS = dict(number="GD-XH-20261122-0001", description="楼下违章搭建阳光房", received_at=AT, created_at=AT,
             public_area=None, project_name="翠湖花园", org_name="示范物业", building="3号楼", unit="302")


@pytest.mark.parametrize("typed", TYPED)
def test_printed_letters_are_written_in_full_sentences(typed):
    _, reason, _, _, _, body_reason, decline, basis, alternatives = TYPED[typed]
    reply = written_reply.render(SimpleNamespace(
        **FACTS, version=1, resident="王芳", reason=decline, basis=basis, alternatives=list(alternatives), signed_by="李主管"))
    letter = referral_letter.render(SimpleNamespace(
        **FACTS, id=uuid4(), body_id=uuid4(), body_kind="street_office", body_name="翠湖街道办事处", contact_name="城管科",
        reason=body_reason, requested_action=reason, due_at=AT, delivery="letter"))
    for html in (reply, letter):
        text = re.sub(r"<[^>]+>", "", html)
        assert not GLUED.search(text) and not DOUBLED.search(text), text
        assert "3号楼302室" in text
        for paragraph in _paragraphs(html):
            assert paragraph.endswith(ENDS + ("：",)), paragraph
    items = re.findall(r"<li>(.*?)</li>", reply)
    assert items[-1].endswith("。") and all(i.endswith("；") for i in items[:-1])
    sent = letter_text(SimpleNamespace(**FACTS), body_reason, reason, AT)
    for line in sent.splitlines():
        well_written(line)
