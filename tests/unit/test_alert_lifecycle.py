"""The alert lifecycle as pure rules: acknowledge only an open alert, resolve an open or
acknowledged one with a note; each change collects one audit entry and one event."""

from __future__ import annotations

import uuid

import pytest

from domain.alerts.model import Alert, AlertState
from domain.errors import DomainError, ErrorCode, ErrorReason

HQ = "user:00000000-0000-0000-0000-000000000001"


def an_alert(state: AlertState = AlertState.OPEN) -> Alert:
    return Alert(id=uuid.uuid4(), org_id=uuid.uuid4(), project_id=uuid.uuid4(), state=state)


def refusal(action) -> DomainError:
    with pytest.raises(DomainError) as caught:
        action()
    return caught.value


def test_acknowledging_an_open_alert_records_who_and_announces_it():
    alert = an_alert()
    alert.acknowledge(by=HQ)
    assert (alert.state, alert.acknowledged_by) == (AlertState.ACKNOWLEDGED, HQ)
    assert [(e.topic, e.payload, e.project_id) for e in alert.events] == [
        ("alert.acknowledged", {"alert_id": str(alert.id), "actor": HQ}, alert.project_id)]
    assert [(a.action, a.entity, a.entity_id, a.actor, a.data) for a in alert.audit] == [
        ("alert.acknowledged", "alert", alert.id, HQ, {})]


@pytest.mark.parametrize(("state", "reason"), [(AlertState.ACKNOWLEDGED, ErrorReason.ALERT_ALREADY_ACKNOWLEDGED),
                                                (AlertState.RESOLVED, ErrorReason.ALERT_ALREADY_RESOLVED)])
def test_only_an_open_alert_is_acknowledged(state, reason):
    alert = an_alert(state)
    e = refusal(lambda: alert.acknowledge(by=HQ))
    assert (e.code, e.reason, e.message) == (ErrorCode.INVALID_STATE, reason,
                                             "该预警已签收或已处置，无需再签收。"
                                             f"An alert that is {state.value} cannot be acknowledged.")
    assert (alert.state, alert.events, alert.audit) == (state, [], [])


@pytest.mark.parametrize("state", [AlertState.OPEN, AlertState.ACKNOWLEDGED])
def test_an_open_or_acknowledged_alert_is_resolved_with_a_trimmed_note(state):
    alert = an_alert(state)
    alert.acknowledged_by = "user:earlier" if state is AlertState.ACKNOWLEDGED else None
    alert.resolve("  已更换防水层 ", by=HQ)
    assert (alert.state, alert.resolved_by, alert.resolution_note) == (AlertState.RESOLVED, HQ, "已更换防水层")
    # Resolving an open alert acknowledges it on the way; an earlier acknowledgement stands.
    assert alert.acknowledged_by == (HQ if state is AlertState.OPEN else "user:earlier")
    assert [e.topic for e in alert.events] == ["alert.resolved"]
    assert [(a.action, a.data) for a in alert.audit] == [("alert.resolved", {"note": "已更换防水层"})]


def test_a_resolved_alert_stays_resolved():
    alert = an_alert(AlertState.RESOLVED)
    e = refusal(lambda: alert.resolve("再次", by=HQ))
    assert (e.code, e.reason, e.message) == (ErrorCode.INVALID_STATE, ErrorReason.ALERT_ALREADY_RESOLVED,
                                             "该预警已处置。This alert is already resolved.")
    assert alert.events == [] and alert.audit == []


@pytest.mark.parametrize("note", ["", "   ", None, "字" * 2001])
def test_resolving_needs_a_note_of_what_was_done(note):
    alert = an_alert()
    e = refusal(lambda: alert.resolve(note, by=HQ))
    assert (e.code, e.field) == (ErrorCode.VALIDATION, "note")
    assert alert.state is AlertState.OPEN and alert.events == []


def test_a_note_of_2000_characters_is_enough():
    alert = an_alert()
    alert.resolve("字" * 2000, by=HQ)
    assert alert.state is AlertState.RESOLVED
