"""通知公告 lifecycle (docs/resident-services.md §5.2): what each state allows, four eyes except for
emergencies and outages, scheduling, withdrawal, and what a draft may say and whom it may reach."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import DomainError, ErrorCode, ErrorReason
from domain.notices.model import Notice
from domain.notices.rules import MAX_UNITS, NoticeDraft

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def notice(state: str = "pending", kind: str = "general", **kw) -> Notice:
    return Notice(id=uuid.uuid4(), org_id=uuid.uuid4(), project_id=uuid.uuid4(), kind=kind, title="停车场施工", audience="project",
                  state=state, author="user:author", **kw)


def refused(code: ErrorCode, reason: ErrorReason | None, fn, *args, **kw) -> DomainError:
    with pytest.raises(DomainError) as e:
        fn(*args, **kw)
    assert (e.value.code, e.value.reason) == (code, reason)
    return e.value


def test_a_pending_notice_approved_by_another_is_published_at_once_and_announced():
    n = notice()
    n.approve(by="user:approver", now=NOW)
    assert (n.state, n.approver, n.published_at) == ("published", "user:approver", NOW)
    assert [e.topic for e in n.events] == ["notice.published"]
    payload = n.events[0].payload
    assert payload["notice_id"] == str(n.id) and payload["urgent"] is False and "body" not in payload
    assert [(a.action, a.from_state, a.to_state) for a in n.audit] == [
        ("notice.approved", "pending", "published"), ("notice.published", "pending", "published")]
    assert n.audit[1].event_id == n.events[0].id


def test_the_author_may_not_approve_their_own_notice():
    refused(ErrorCode.FORBIDDEN, ErrorReason.SAME_AUTHOR, notice().approve, by="user:author", now=NOW)


@pytest.mark.parametrize("kind", ["emergency", "outage"])
def test_an_urgent_notice_is_approved_by_its_author_straight_from_the_draft(kind):
    n = notice("draft", kind, expires_at=NOW + timedelta(hours=3))
    n.approve(by="user:author", now=NOW)
    assert n.state == "published" and n.events[0].payload["urgent"] is True


def test_an_ordinary_draft_must_be_submitted_before_approval():
    refused(ErrorCode.INVALID_STATE, ErrorReason.NOTICE_NOT_PENDING, notice("draft").approve, by="user:approver", now=NOW)


def test_a_future_publish_time_schedules_it_and_the_sweep_publishes_it():
    n = notice(publish_at=NOW + timedelta(hours=1))
    n.approve(by="user:approver", now=NOW)
    assert n.state == "scheduled" and n.events == [] and n.published_at is None
    n.publish(now=NOW + timedelta(hours=1), actor="system:notice-schedule")
    assert n.state == "published" and [e.topic for e in n.events] == ["notice.published"]
    assert n.audit[-1].actor == "system:notice-schedule"


def test_approval_past_its_expiry_is_refused():
    e = refused(ErrorCode.VALIDATION, None, notice(expires_at=NOW - timedelta(minutes=1)).approve, by="user:approver", now=NOW)
    assert e.field == "expiresAt"


def test_submit_return_and_edit_follow_the_states():
    n = notice("draft")
    n.submit()
    assert n.state == "pending"
    refused(ErrorCode.INVALID_STATE, ErrorReason.NOTICE_NOT_DRAFT, n.submit)
    refused(ErrorCode.INVALID_STATE, ErrorReason.NOTICE_NOT_DRAFT, n.check_editable)
    assert refused(ErrorCode.VALIDATION, None, n.return_, "  ").field == "note"
    n.return_(" 标题写错了 ")
    assert (n.state, n.returned_note) == ("draft", "标题写错了")
    refused(ErrorCode.INVALID_STATE, ErrorReason.NOTICE_NOT_PENDING, n.return_, "again")
    n.check_editable()
    n.submit()
    assert n.returned_note is None


def test_withdrawal_of_a_published_notice_tells_the_channels_a_scheduled_one_tells_no_one():
    n = notice("published")
    n.withdraw(" 内容有误 ", by="user:approver", now=NOW)
    assert (n.state, n.withdraw_reason, n.withdrawn_by) == ("withdrawn", "内容有误", "user:approver")
    assert [e.topic for e in n.events] == ["notice.withdrawn"]
    refused(ErrorCode.INVALID_STATE, ErrorReason.NOTICE_ALREADY_WITHDRAWN, n.withdraw, "again", by="x", now=NOW)
    s = notice("scheduled")
    s.withdraw("改期", by="user:approver", now=NOW)
    assert s.state == "withdrawn" and s.events == []
    for state in ("draft", "pending", "expired"):
        refused(ErrorCode.INVALID_STATE, None, notice(state).withdraw, "why", by="x", now=NOW)
    assert refused(ErrorCode.VALIDATION, None, notice("published").withdraw, "", by="x", now=NOW).field == "reason"


def test_expiry_moves_a_published_notice_to_expired():
    n = notice("published")
    n.expire(actor="system:notice-schedule")
    assert n.state == "expired" and n.events == [] and n.audit[0].action == "notice.expired"


def draft(**kw) -> NoticeDraft:
    values = {"title": " 停水通知 ", "body": "明日 9:00–12:00 停水。", "kind": "general", "audience": "project"} | kw
    return NoticeDraft(**values)


def test_a_draft_is_trimmed_and_its_ids_deduplicated():
    u = uuid.uuid4()
    d = draft(audience="units", unit_ids=(u, u), attachments=(" https://cdn.example.com/a.pdf ",)).check(NOW)
    assert (d.title, d.unit_ids, d.attachments) == ("停水通知", (u,), ("https://cdn.example.com/a.pdf",))


@pytest.mark.parametrize(("kw", "field"), [
    ({"title": " "}, "title"),
    ({"title": "x" * 101}, "title"),
    ({"body": "x" * 5001}, "body"),
    ({"kind": "spam"}, "kind"),
    ({"audience": "everyone"}, "audience"),
    ({"audience": "project", "unit_ids": (uuid.uuid4(),)}, "audience"),
    ({"audience": "buildings"}, "buildingIds"),
    ({"audience": "units"}, "unitIds"),
    ({"audience": "units", "unit_ids": tuple(uuid.uuid4() for _ in range(MAX_UNITS + 1))}, "unitIds"),
    ({"kind": "emergency"}, "expiresAt"),
    ({"kind": "outage", "expires_at": NOW - timedelta(hours=1)}, "expiresAt"),
    ({"publish_at": NOW + timedelta(hours=2), "expires_at": NOW + timedelta(hours=1)}, "expiresAt"),
    ({"attachments": ("http://example.com/a.pdf",)}, "attachments"),
    ({"attachments": tuple(f"https://example.com/{i}" for i in range(10))}, "attachments"),
    ({"channel_ids": tuple(uuid.uuid4() for _ in range(21))}, "channelIds"),
])
def test_a_draft_that_may_not_be_sent_is_refused_with_its_field(kw, field):
    assert refused(ErrorCode.VALIDATION, None, draft(**kw).check, NOW).field == field
