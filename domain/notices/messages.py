"""What the channels are told of a notice (docs/resident-services.md §5.3): group robots, e-mail
and webhooks hear `【通知】<title>` (`【紧急通知】` for emergencies and outages) with the first 500
characters and the project's name; a messaging bridge hears whom to tell, batch by batch. Read at
planning time from the notice itself, so events carry no body. A withdrawn notice plans nothing
more, except the word that it was withdrawn."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.notices.rules import URGENT

NOTICE_TOPICS = frozenset({"notice.published", "notice.withdrawn", "notice.recipients"})
# Ids for programs, not words for people: only a webhook may subscribe to them.
PROGRAM_TOPICS = frozenset({"notice.recipients", "fee.reminders", "survey.invited"})
_NOTICE = text(
    "SELECT n.title, n.body, n.kind, n.state, n.withdraw_reason, p.name AS project_name FROM notices n "
    "JOIN projects p ON p.org_id = n.org_id AND p.id = n.project_id WHERE n.org_id = :o AND n.id = :n"
)


def _heading(kind: str) -> str:
    return "【紧急通知】" if kind in URGENT else "【通知】"


async def notice_message(conn: AsyncConnection, org_id: UUID, topic: str, payload: dict[str, Any]) -> tuple[str, str] | None:
    """(title, body), or None when nothing is to be said (gone, or withdrawn meanwhile)."""
    n = (await conn.execute(_NOTICE, {"o": org_id, "n": UUID(payload["notice_id"])})).first()
    if n is None or (n.state == "withdrawn" and topic != "notice.withdrawn"):
        return None
    if topic == "notice.withdrawn":
        return f"【通知撤回】{n.title}", f"{n.project_name}：通知「{n.title}」已撤回。{n.withdraw_reason or ''}"
    if topic == "notice.recipients":
        return (f"{_heading(n.kind)}{n.title}（{payload.get('batch')}/{payload.get('batches')}）",
                f"{n.project_name}：本批 {len(payload.get('recipients') or ())} 户。")
    body = n.body if len(n.body) <= 500 else n.body[:500] + "…"
    return f"{_heading(n.kind)}{n.title}", f"{n.project_name}\n{body}"
