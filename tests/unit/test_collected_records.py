"""What the 12345 order, referral and reply-delivery aggregates collect for the unit of work to
write at commit: the audit entry and the event, with the payloads subscribers read."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from domain.errors import DomainError, ErrorCode, conflict, invalid
from domain.gov.model import Evaluation, OrderRecord, Urgency, check_order, in_message
from domain.referrals.model import ReferralRecord

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def order_record() -> OrderRecord:
    return OrderRecord(id=uuid.uuid4(), org_id=uuid.uuid4(), project_id=uuid.uuid4(), case_id=uuid.uuid4(),
                       order_number="BJ-1")


def test_a_received_order_is_one_audit_entry_and_one_event():
    record = order_record()
    order = check_order({"order_number": "BJ-1", "category": "物业管理", "urgency": "day", "content": "路灯不亮"}, city={},
                        now=NOW)
    record.received(order, "P1-20261201-001", by="bridge:x")
    [event], [entry] = record.events, record.audit
    assert event.topic == "gov_order.received" and event.project_id == record.project_id
    assert event.payload["urgency"] == Urgency.DAY.value and event.payload["case_id"] == str(record.case_id)
    assert "P1-20261201-001" in event.payload["summary"] and event.payload["resolve_due"] == order.resolve_due.isoformat()
    assert (entry.action, entry.entity, entry.entity_id, entry.actor) == ("gov_order.received", "gov_order", record.id, "bridge:x")
    assert entry.data == {"order_number": "BJ-1", "case_id": str(record.case_id), "urgency": "day"}


def test_an_evaluation_names_its_verdict_in_chinese():
    record = order_record()
    record.evaluated(Evaluation.BASICALLY_SATISFIED, by="bridge:x")
    assert record.events[0].payload["summary"] == "12345工单 BJ-1 的政府评价：基本满意。"
    assert record.audit[0].data == {"evaluation": "basically_satisfied"}


def test_a_bridge_reads_the_field_in_the_message():
    assert in_message(invalid("urgency must be urgent.", "urgency")).message == "urgency must be urgent."  # named already
    assert in_message(conflict("Order 1 was received before.", "order_number")).message == \
        "order_number: Order 1 was received before."
    plain = in_message(DomainError(ErrorCode.INVALID_STATE, "No category."))
    assert (plain.code, plain.message, plain.field) == (ErrorCode.INVALID_STATE, "No category.", None)


def test_a_referral_acknowledged_is_on_the_case_record_and_announced():
    r = ReferralRecord(id=uuid.uuid4(), org_id=uuid.uuid4(), project_id=uuid.uuid4(), case_id=uuid.uuid4(),
                       body_id=uuid.uuid4(), body_name="街道办", case_number="P1-1")
    r.acknowledged(by="outside_body:x")
    r.reminded(2)
    assert [e.topic for e in r.events] == ["referral.acknowledged", "referral.reminded"]
    assert r.events[1].payload["reminder"] == 2 and r.events[1].payload["body_name"] == "街道办"
    [entry] = r.audit
    assert (entry.action, entry.entity_id, entry.from_state, entry.to_state, entry.actor) == (
        "case.referral_acknowledged", r.case_id, "referred", "referred", "outside_body:x")
