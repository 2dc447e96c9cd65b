"""发布之后: the `notice.published` consumer. In its unit of work (joined to the consumer's
transaction, beside the processed mark) it fixes the flats the notice reached — every flat of the
project, the named buildings' flats, or the named flats — sets `recipient_count`, and, when a
chosen channel is a messaging bridge subscribed to `notice.recipients`, records one such event per
500 flats with each flat's current occupants (owners first): ids only, never a phone. A redelivered
event finds its mark and does nothing; a notice withdrawn before this runs reaches no one."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.events import Event
from domain.unit_of_work import UnitOfWork

BATCH = 500
RECIPIENTS_TOPIC = "notice.recipients"
_NOTICE = text("SELECT id, project_id, audience, state, kind, title, channel_ids FROM notices WHERE org_id = :o AND id = :n FOR UPDATE")
_PROJECT = text(
    "INSERT INTO notice_recipients (org_id, project_id, notice_id, unit_id) "
    "SELECT u.org_id, u.project_id, :n, u.id FROM units u WHERE u.org_id = :o AND u.project_id = :p ON CONFLICT DO NOTHING"
)
_BUILDINGS = text(
    "INSERT INTO notice_recipients (org_id, project_id, notice_id, unit_id) "
    "SELECT u.org_id, u.project_id, :n, u.id FROM notice_targets t "
    "JOIN units u ON u.org_id = t.org_id AND u.project_id = t.project_id AND u.building_id = t.building_id "
    "WHERE t.org_id = :o AND t.notice_id = :n AND t.building_id IS NOT NULL ON CONFLICT DO NOTHING"
)
_UNITS = text(
    "INSERT INTO notice_recipients (org_id, project_id, notice_id, unit_id) "
    "SELECT t.org_id, t.project_id, :n, t.unit_id FROM notice_targets t WHERE t.org_id = :o AND t.notice_id = :n AND t.unit_id IS NOT NULL "
    "ON CONFLICT DO NOTHING"
)
_COUNT = text("UPDATE notices SET recipient_count = (SELECT count(*) FROM notice_recipients "
              "WHERE org_id = :o AND notice_id = :n) WHERE org_id = :o AND id = :n RETURNING recipient_count")
_BRIDGES = text(
    "SELECT 1 FROM delivery_channels WHERE org_id = :o AND id = ANY(CAST(:ids AS uuid[])) AND active AND kind = 'webhook' "
    "AND :topic = ANY(topics) AND (project_id IS NULL OR project_id = :p) LIMIT 1"
)
# The flats in a stable order, and their current occupants, owners and primary contacts first.
# Two single-table reads joined here rather than one join in SQL: the recipients were written in
# this very transaction, so the planner has no figures for them, and a join it misjudged (a nested
# loop over occupancies) took longer than the statement timeout at 10,000 flats.
_RECIPIENTS = text("SELECT unit_id FROM notice_recipients WHERE org_id = :o AND notice_id = :n ORDER BY unit_id")
_OCCUPANTS = text(
    "SELECT unit_id, resident_id FROM occupancies WHERE org_id = :o AND project_id = :p AND moved_out_on IS NULL "
    "AND unit_id = ANY(CAST(:units AS uuid[])) ORDER BY unit_id, role <> 'owner', NOT primary_contact, resident_id"
)
_FILL = {"project": _PROJECT, "buildings": _BUILDINGS, "units": _UNITS}


async def fan_out(uow: UnitOfWork, event: dict[str, Any]) -> None:
    conn = uow.conn
    notice = (await conn.execute(_NOTICE, {"o": uow.org_id, "n": UUID(event["payload"]["notice_id"])})).first()
    if notice is None or notice.state == "withdrawn":
        return
    await conn.execute(_FILL[notice.audience], {"o": uow.org_id, "n": notice.id, "p": notice.project_id})
    count = (await conn.execute(_COUNT, {"o": uow.org_id, "n": notice.id})).scalar_one()
    channels = [str(c) for c in notice.channel_ids or ()]
    if not count or not channels or (await conn.execute(_BRIDGES, {"o": uow.org_id,
            "ids": channels, "topic": RECIPIENTS_TOPIC, "p": notice.project_id})).first() is None:
        return  # no bridge wants the list: nothing to batch
    units = [r.unit_id for r in await conn.execute(_RECIPIENTS, {"o": uow.org_id, "n": notice.id})]
    living: dict[UUID, list[str]] = {}
    for r in await conn.execute(_OCCUPANTS, {"o": uow.org_id, "p": notice.project_id, "units": units}):
        living.setdefault(r.unit_id, []).append(str(r.resident_id))
    flats = [{"unit_id": str(u), "resident_ids": living.get(u, [])} for u in units]
    batches = (len(flats) + BATCH - 1) // BATCH
    for i in range(batches):
        uow.record(Event(topic=RECIPIENTS_TOPIC, org_id=uow.org_id, project_id=notice.project_id, payload={
            "notice_id": str(notice.id), "batch": i + 1, "batches": batches, "kind": notice.kind,
            "urgent": notice.kind in ("emergency", "outage"), "title": notice.title, "channel_ids": channels,
            "recipients": flats[i * BATCH:(i + 1) * BATCH]}))
