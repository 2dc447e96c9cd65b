"""Alerts in PostgreSQL: the rules evaluated for a new case (by a worker, from `case.received`),
one open alert per rule and scope — a second trip of the same rule adds its cases and may raise
the colour — and an `alert.raised` event, recorded in the consumer's unit of work, when an alert
opens or turns more serious."""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.alerts.model import Alert, AlertState, CompanyAlertSettings, settings_values
from domain.alerts.rules import AlertSettings, Raised, cluster, repeat_complainant, risk_words, skip_level
from domain.errors import not_found
from domain.events import Event
from domain.unit_of_work import UnitOfWork

SETTING_NAMES = tuple(f.name for f in fields(AlertSettings))
SETTINGS_SQL = text("SELECT * FROM alert_settings WHERE org_id = :o")
_CASE = text(
    "SELECT c.id, c.org_id, c.project_id, c.number, c.kind, c.channel, c.description, c.building_id, c.category_id, "
    "  c.reporter_resident_id, c.received_at, cat.name AS category, b.name AS building, p.name AS project, r.name AS resident, "
    # A finding of an HQ inspection speaks in the checklist's words, not a resident's.
    "  EXISTS (SELECT 1 FROM inspection_findings f WHERE f.org_id = c.org_id AND f.case_id = c.id) AS from_inspection "
    "FROM cases c JOIN case_categories cat ON cat.id = c.category_id JOIN projects p ON p.id = c.project_id "
    "LEFT JOIN buildings b ON b.id = c.building_id LEFT JOIN residents r ON r.id = c.reporter_resident_id WHERE c.org_id = :o AND c.id = :c"
)
# Distinct residents (or flats, when the resident is not known) of one building — or of the
# project, for public areas — reporting one category within the window up to this case.
_CLUSTER = text(
    "SELECT count(DISTINCT coalesce(reporter_resident_id, unit_id)) AS residents, array_agg(id::text ORDER BY received_at) AS ids "
    "FROM cases WHERE org_id = :o AND project_id = :p AND category_id = :cat AND building_id IS NOT DISTINCT FROM :b "
    "AND received_at > :since AND received_at <= :until AND coalesce(reporter_resident_id, unit_id) IS NOT NULL"
)
_REPEAT = text(
    "SELECT count(*) AS n, array_agg(id::text ORDER BY received_at) AS ids FROM cases "
    "WHERE org_id = :o AND reporter_resident_id = :r AND kind = 'complaint' AND received_at > :since AND received_at <= :until"
)
_RANK = "array_position(ARRAY['yellow', 'orange', 'red'], {})"
_UPSERT = text(
    "INSERT INTO alerts (org_id, project_id, rule, scope_key, colour, title, detail, case_ids) "
    "VALUES (:o, :p, :rule, :scope, :colour, :title, :detail, CAST(:ids AS uuid[])) "
    "ON CONFLICT (org_id, rule, scope_key) WHERE state <> 'resolved' DO UPDATE SET "
    f"colour = CASE WHEN {_RANK.format('EXCLUDED.colour')} > {_RANK.format('alerts.colour')} THEN EXCLUDED.colour ELSE alerts.colour END, "
    "detail = EXCLUDED.detail, case_ids = ARRAY(SELECT DISTINCT unnest(alerts.case_ids || EXCLUDED.case_ids)) "
    "RETURNING id, colour"
)


def settings_from_row(row: Row[Any] | None) -> AlertSettings:
    if row is None:
        return AlertSettings()
    values: dict[str, Any] = {n: tuple(row.risk_words) if n == "risk_words" else getattr(row, n) for n in SETTING_NAMES}
    return AlertSettings(**values)


async def alert_settings(conn: AsyncConnection, org_id: UUID) -> AlertSettings:
    return settings_from_row((await conn.execute(SETTINGS_SQL, {"o": org_id})).first())


async def evaluate_new_case(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """In the consumer's unit of work, which writes the `alert.raised` events at commit."""
    conn = uow.conn
    case = (await conn.execute(_CASE, {"o": uow.org_id, "c": UUID(event["payload"]["case_id"])})).first()
    if case is None:
        return
    s = await alert_settings(conn, uow.org_id)
    cid = str(case.id)
    raised = [skip_level(cid, case.number, case.kind, case.channel)]
    if not case.from_inspection:  # risk words are looked for in what a resident said
        raised.append(risk_words(cid, case.number, case.description, s.risk_words))
    window = {"since": case.received_at - timedelta(hours=s.cluster_hours), "until": case.received_at}
    c = (await conn.execute(_CLUSTER, {"o": uow.org_id, "p": case.project_id, "cat": case.category_id,
                                          "b": case.building_id, **window})).one()
    place = case.building or case.project
    scope = f"cluster:{case.building_id or case.project_id}:{case.category_id}"
    raised.append(cluster(scope, place, case.category, c.residents, tuple(c.ids or ()), s))
    if case.reporter_resident_id is not None and case.kind == "complaint":
        since = case.received_at - timedelta(days=s.repeat_days)
        r = (await conn.execute(_REPEAT, {"o": uow.org_id, "r": case.reporter_resident_id, "since": since,
                                                 "until": case.received_at})).one()
        raised.append(repeat_complainant(str(case.reporter_resident_id), case.resident or "住户", r.n, tuple(r.ids or ()), s))
    for alert in raised:
        if alert is not None:
            await _raise(uow, case.org_id, case.project_id, alert)


async def raise_alert(uow: UnitOfWork, org_id: UUID, project_id: UUID, a: Raised) -> None:
    """An alert another context raises in its own unit of work (a major hazard, docs/centre-day.md §2.2)."""
    await _raise(uow, org_id, project_id, a)


async def _raise(uow: UnitOfWork, org_id: UUID, project_id: UUID, a: Raised) -> None:
    conn = uow.conn
    params = {"o": org_id, "p": project_id, "rule": a.rule, "scope": a.scope_key, "colour": a.colour, "title": a.title,
              "detail": a.detail, "ids": list(a.case_ids)}
    # One raiser per rule and scope at a time, so that an alert is announced as opened once.
    await conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": f"alert:{org_id}:{a.rule}:{a.scope_key}"})
    before = (await conn.execute(text(
        "SELECT colour FROM alerts WHERE org_id = :o AND rule = :rule AND scope_key = :scope AND state <> 'resolved'"), params)).scalar()
    row = (await conn.execute(_UPSERT, params)).one()
    if before is None or row.colour != before:  # opened, or turned more serious: tell the subscribers
        uow.record(Event(topic="alert.raised", org_id=org_id, project_id=project_id, payload={
            "alert_id": str(row.id), "rule": a.rule, "colour": row.colour, "title": a.title, "detail": a.detail,
            "case_ids": list(a.case_ids), "opened": before is None}))


# The lifecycle (domain/alerts/model.py): one alert loaded locked, and its new state saved.
_ALERT = text("SELECT id, org_id, project_id, state, acknowledged_by, resolved_by, resolution_note FROM alerts "
              "WHERE org_id = :o AND id = :id FOR UPDATE")
_ACKNOWLEDGE = text("UPDATE alerts SET state = 'acknowledged', acknowledged_at = now(), acknowledged_by = :by "
                    "WHERE org_id = :o AND id = :id")
_RESOLVE = text(
    "UPDATE alerts SET state = 'resolved', resolved_at = now(), resolved_by = :by, resolution_note = :n, "
    "acknowledged_at = coalesce(acknowledged_at, now()), acknowledged_by = coalesce(acknowledged_by, :by) "
    "WHERE org_id = :o AND id = :id"
)


class AlertRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def get(self, alert_id: UUID) -> Alert:
        row = (await self._uow.conn.execute(_ALERT, {"o": self._uow.org_id, "id": alert_id})).first()
        if row is None:
            raise not_found("The alert", "alertId", zh="预警")
        alert = Alert(id=row.id, org_id=row.org_id, project_id=row.project_id, state=AlertState(row.state),
                      acknowledged_by=row.acknowledged_by, resolved_by=row.resolved_by, resolution_note=row.resolution_note)
        self._uow.track(alert)
        return alert

    async def save(self, alert: Alert) -> None:
        if alert.state is AlertState.ACKNOWLEDGED:
            await self._uow.conn.execute(_ACKNOWLEDGE, {"o": alert.org_id, "id": alert.id, "by": alert.acknowledged_by})
        elif alert.state is AlertState.RESOLVED:
            await self._uow.conn.execute(_RESOLVE, {"o": alert.org_id, "id": alert.id, "by": alert.resolved_by, "n": alert.resolution_note})


_UPSERT_SETTINGS = text(
    f"INSERT INTO alert_settings (org_id, {', '.join(SETTING_NAMES)}, updated_by) "
    f"VALUES (:o, {', '.join(':' + n for n in SETTING_NAMES)}, :by) ON CONFLICT (org_id) DO UPDATE SET "
    + ", ".join(f"{n} = EXCLUDED.{n}" for n in SETTING_NAMES)
    + ", updated_at = now(), updated_by = EXCLUDED.updated_by"
)


class AlertSettingsRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def for_company(self) -> CompanyAlertSettings:
        """The settings about to be set: nothing is read, the row is replaced whole."""
        company = CompanyAlertSettings(org_id=self._uow.org_id)
        self._uow.track(company)
        return company

    async def save(self, company: CompanyAlertSettings) -> None:
        await self._uow.conn.execute(_UPSERT_SETTINGS, {"o": company.org_id, "by": self._uow.actor,
                                                        **settings_values(company.settings)})
