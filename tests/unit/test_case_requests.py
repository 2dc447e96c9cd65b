"""A retried idempotency key is matched against a hash of the request as it was first sent. The
case use cases build that request themselves now; it must hash as the mutations' did before,
or a key stored then would answer CONFLICT to its own retry."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from api.graphql.mutations.register_case import RegisterCaseInput, receive
from api.graphql.types.case import CaseKindType, ChannelType, SeverityType
from api.graphql.types.node import to_global_id
from domain.cases import service
from tenants.idempotency import request_hash


def as_mutations_sent_it(input: RegisterCaseInput) -> dict:
    """registerCase's request before the service layer: its input, field by field."""
    # praisedUserIds came later: a request without it hashes as those before it did.
    return {k: (v.value if hasattr(v, "value") else v) for k, v in vars(input).items()
            if not (k == "praised_user_ids" and not v)}


@pytest.mark.parametrize("photos", [None, [], ["https://x/1.jpg"] * 25])
@pytest.mark.parametrize("placed", [False, True])
def test_register_case_hashes_its_request_as_before(photos, placed):
    unit, resident = to_global_id("Unit", uuid.uuid4()), to_global_id("Resident", uuid.uuid4())
    input = RegisterCaseInput(
        project_id=to_global_id("Project", uuid.uuid4()), kind=CaseKindType.COMPLAINT, channel=ChannelType.PHONE,
        category="noise", description=" 夜间施工 ", severity=SeverityType.MAJOR, unit_id=unit if placed else None,
        public_area=None if placed else "中心花园", reporter_resident_id=resident if placed else None, photos=photos,
        received_at=datetime(2026, 11, 22, 9, 30, tzinfo=UTC) if placed else None)
    sent = service._as_sent(receive(input, uuid.uuid4(), "k"))
    assert sent == as_mutations_sent_it(input)
    assert request_hash("registerCase", sent) == request_hash("registerCase", as_mutations_sent_it(input))
