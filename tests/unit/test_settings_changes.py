"""What the company's settings, channels and inbox rules record: a change leaves one audit entry
(never a channel's signing secret); a refused change leaves none."""

from __future__ import annotations

import uuid

import pytest

from domain.alerts.model import CompanyAlertSettings
from domain.alerts.rules import AlertSettings
from domain.errors import DomainError, ErrorCode
from domain.kpi.model import CompanyWeights
from domain.kpi.scores import Weights
from domain.notifications.channel import Channel
from domain.notifications.channels import ChannelKind, ChannelSpec
from domain.notifications.inbox import check_marking

ADMIN = "user:00000000-0000-0000-0000-000000000002"
ORG = uuid.UUID(int=1)


def test_weights_set_are_checked_and_recorded():
    company = CompanyWeights(org_id=ORG)
    company.set(Weights(response=40, resolution=10), by=ADMIN)
    [entry] = company.audit
    assert (entry.action, entry.entity, entry.entity_id, entry.actor) == ("evaluation.weights_set", "kpi_weights", None, ADMIN)
    assert entry.data is not None and entry.data["response"] == 40 and set(entry.data) == set(vars(Weights()))
    refused = CompanyWeights(org_id=ORG)
    with pytest.raises(DomainError) as e:
        refused.set(Weights(response=-1), by=ADMIN)
    assert (e.value.code, e.value.field, refused.audit) == (ErrorCode.VALIDATION, "weights", [])


def test_alert_settings_are_checked_trimmed_and_recorded():
    company = CompanyAlertSettings(org_id=ORG)
    company.set(AlertSettings(risk_words=(" 投诉 ", "投诉", "", "媒体")), by=ADMIN)
    [entry] = company.audit
    assert entry.action == "alerts.settings_set" and entry.data is not None
    assert entry.data["risk_words"] == ["投诉", "媒体"] and company.settings.risk_words == ("投诉", "媒体")
    refused = CompanyAlertSettings(org_id=ORG)
    with pytest.raises(DomainError) as e:
        refused.set(AlertSettings(cluster_orange=10, cluster_red=5), by=ADMIN)
    assert (e.value.field, refused.audit) == ("clusterOrange", [])


def test_a_new_channel_is_recorded_without_its_secret_and_a_switch_names_the_state():
    spec = ChannelSpec(ChannelKind.WEBHOOK, "工单系统", "https://hooks.example.com/x", ("case.escalated",), "secret-0123456789ab")
    channel = Channel.add(spec, org_id=ORG, project_id=None, by=ADMIN)
    [added] = channel.audit
    assert (added.action, added.entity_id) == ("channel.added", channel.id)
    assert added.data == {"kind": "webhook", "name": "工单系统", "topics": ["case.escalated"]}
    channel.switch(False, by=ADMIN)
    assert (channel.active, channel.audit[-1].action, channel.audit[-1].data) == (False, "channel.switched", {"active": False})


@pytest.mark.parametrize(("user", "given", "all", "code"), [
    (None, 1, False, ErrorCode.FORBIDDEN),  # an integrator key has no inbox
    (uuid.UUID(int=2), 0, False, ErrorCode.VALIDATION),
    (uuid.UUID(int=2), 501, False, ErrorCode.VALIDATION),
])
def test_marking_read_needs_an_inbox_and_some_ids_or_all(user, given, all, code):
    with pytest.raises(DomainError) as e:
        check_marking(user, given, all)
    assert e.value.code is code
    check_marking(uuid.UUID(int=2), 0, True)
    check_marking(uuid.UUID(int=2), 500, False)
