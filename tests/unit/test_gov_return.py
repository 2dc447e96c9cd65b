"""退单: returning a 12345 order declines its case, so only a supervisor may; the written reply
carries the reason and where the matter goes instead."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from domain.cases.model import Actor, WrittenReply
from domain.errors import DomainError, ErrorCode
from domain.gov.model import RETURN_BASIS, Answer, AnswerKind, check_returner, return_reply

RETURN = Answer(AnswerKind.RETURNED, "路灯属市政照明，非物业管理区域", datetime(2026, 12, 1, tzinfo=UTC))


def test_only_a_supervisor_may_return_an_order():
    check_returner(Actor(uuid.uuid4(), supervisor=True))
    with pytest.raises(DomainError) as e:
        check_returner(Actor(uuid.uuid4(), supervisor=False))
    assert (e.value.code, e.value.message) == (
        ErrorCode.FORBIDDEN,
        "退回12345工单即以书面答复婉拒对应工单，需由客服主管操作。"
        "Returning a 12345 order declines its case: that needs a customer-service supervisor.")


def test_the_reply_names_the_outside_body_or_sends_the_matter_back_to_the_hotline():
    assert return_reply(RETURN, "城管执法队P1") == WrittenReply(RETURN.text, "12345 退单", ("请转交城管执法队P1办理",))
    assert return_reply(RETURN, None) == WrittenReply(RETURN.text, RETURN_BASIS, ("请12345热线转交有关职能部门办理",))
