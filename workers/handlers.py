"""What happens when an event arrives. Each consumer runs in its own transaction in the event's
tenant scope, and marks the event processed in that same transaction: a redelivered message
finds the mark and changes nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from opentelemetry import propagate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.alerts.repository import evaluate_new_case
from domain.alerts.window_repository import evaluate_breach_rate, evaluate_reopened, evaluate_satisfaction
from domain.kpi.rollups import refresh_for_event
from domain.notifications.deliveries import plan_deliveries
from domain.notifications.inbox import notify_escalation, notify_repeat_receiver
from domain.notifications.messages import DELIVERABLE
from domain.outbox import write_audit
from tenants.context import TenantScope
from tenants.platform import Platform
from tenants.telemetry import meter, tracer
from workers.deliveries import send_delivery

Handler = Callable[[AsyncConnection, dict[str, Any]], Awaitable[None]]
handled = meter.create_counter("firstcall.events.handled", description="events applied by a consumer")
duplicates = meter.create_counter("firstcall.events.duplicates", description="redelivered events skipped")


async def complete_project_provisioning(conn: AsyncConnection, event: dict[str, Any]) -> None:
    project_id = UUID(event["project_id"])
    updated = await conn.execute(
        text("UPDATE projects SET provisioned_at = now() WHERE id = :p AND provisioned_at IS NULL"),
        {"p": project_id},
    )
    if updated.rowcount == 0:  # already provisioned, or not in this database: nothing to record
        return
    await write_audit(
        conn, org_id=UUID(event["org_id"]), project_id=project_id, actor="worker:provisioning",
        action="project.provisioned", entity="project", entity_id=project_id, event_id=UUID(event["id"]),
    )


HANDLERS: dict[str, list[tuple[str, Handler]]] = {
    "project.created": [("provisioning", complete_project_provisioning)],
    "delivery.created": [("send", send_delivery)],
}
for _topic in DELIVERABLE:
    HANDLERS.setdefault(_topic, []).append(("deliveries", plan_deliveries))
HANDLERS["case.escalated"].insert(0, ("inbox", notify_escalation))
HANDLERS["case.received"].insert(0, ("alerts", evaluate_new_case))
HANDLERS.setdefault("case.linked_repeat", []).append(("inbox", notify_repeat_receiver))
# The window rules of early warning, each on the events that can change its verdict.
for _topic, _consumer, _handler in (("case.reopened", "alerts_reopened", evaluate_reopened),
                                    ("case.rework", "alerts_reopened", evaluate_reopened),
                                    ("case.escalated", "alerts_breach", evaluate_breach_rate),
                                    ("case.closed", "alerts_satisfaction", evaluate_satisfaction),
                                    ("case.rework", "alerts_satisfaction", evaluate_satisfaction)):
    HANDLERS.setdefault(_topic, []).append((_consumer, _handler))
# Every case event changes some cohort's counts (docs/kpis.md).
PREFIX_HANDLERS: dict[str, list[tuple[str, Handler]]] = {"case.": [("kpi", refresh_for_event)]}


def handlers_for(topic: str) -> list[tuple[str, Handler]]:
    return HANDLERS.get(topic, []) + [h for prefix, hs in PREFIX_HANDLERS.items() if topic.startswith(prefix) for h in hs]


async def handle_event(platform: Platform, event: dict[str, Any]) -> None:
    topic = event["topic"]
    parent = propagate.extract(event.get("trace_context") or {})
    with tracer.start_as_current_span(f"event {topic}", context=parent) as span:
        span.set_attribute("firstcall.event_id", event["id"])
        scope = TenantScope(UUID(event["org_id"]), None, "worker")
        for consumer, handler in handlers_for(topic):
            async with platform.transaction(scope) as conn:
                first_time = (await conn.execute(
                    text(
                        "INSERT INTO processed_events (org_id, consumer, event_id) VALUES (:o, :c, :e) "
                        "ON CONFLICT DO NOTHING RETURNING 1"
                    ),
                    {"o": scope.org_id, "c": consumer, "e": UUID(event["id"])},
                )).first() is not None
                if not first_time:
                    duplicates.add(1, {"consumer": consumer})
                    continue
                await handler(conn, event)
            handled.add(1, {"consumer": consumer, "topic": topic})


async def record_dead_letter(platform: Platform, message: dict[str, Any], retries: dict[str, Any]) -> None:
    """After the last retry: one row per failed message, in the event's company."""
    event = message["args"][0]
    error = (message.get("options") or {}).get("traceback") or "unknown error"
    async with platform.transaction(TenantScope(UUID(event["org_id"]), None, "worker")) as conn:
        await conn.execute(text(
            "INSERT INTO dead_letters (org_id, message_id, event_id, topic, attempts, error) VALUES (:o, :m, :e, :t, :a, :err) "
            "ON CONFLICT (org_id, message_id) DO NOTHING"),
            {"o": UUID(event["org_id"]), "m": message["message_id"], "e": UUID(event["id"]), "t": event["topic"],
             "a": int(retries.get("retries", 0)) + 1, "err": error[-4000:]})
