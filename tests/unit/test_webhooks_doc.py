"""docs/webhooks.md's list of every event keeps up with what channels may hear: each deliverable
topic (domain/notifications/messages.py) is in the list as one a channel hears, and the list calls
no other topic deliverable."""

from __future__ import annotations

import re
from pathlib import Path

from domain.notifications.messages import DELIVERABLE

DOC = (Path(__file__).resolve().parents[2] / "docs" / "webhooks.md").read_text(encoding="utf-8")
SECTION = DOC[DOC.index("## Every event"):DOC.index("## The webhook request")]


def _rows() -> dict[str, str]:
    """topic → what the 'to channels' column says."""
    rows: dict[str, str] = {}
    for line in SECTION.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            for topic in re.findall(r"`([a-z_]+\.[a-z_]+)`", cells[0]):
                rows[topic] = cells[1]
    return rows


def test_every_deliverable_topic_is_listed_as_heard_by_channels():
    rows = _rows()
    for topic in DELIVERABLE:
        assert topic in rows, topic
        assert rows[topic].startswith(("yes", "webhooks only")), (topic, rows[topic])


def test_no_other_topic_is_said_to_reach_channels():
    said = {t for t, heard in _rows().items() if heard.startswith(("yes", "webhooks only"))}
    assert said == set(DELIVERABLE)
