"""What happens when an event arrives. Each consumer runs in its own transaction in the event's
tenant scope, and marks the event processed in that same transaction: a redelivered message
finds the mark and changes nothing.

A consumer handles a case's events in commit order: the relay publishes them so, but a broker
may still bring them otherwise (a requeue, a retry, several worker threads), so an event whose
consumer has not yet handled an earlier event of the same case is retried later."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import dramatiq

from opentelemetry import propagate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.alerts.collection import on_fee_event
from domain.alerts.repository import evaluate_new_case
from domain.alerts.window_repository import evaluate_breach_rate, evaluate_reopened, evaluate_satisfaction
from domain.archive.accuracy import recompute_for_event as recompute_archive_accuracy
from domain.fees.credits import apply_credits
from domain.fees.overpaid import notify_overpaid
from domain.kpi.rollups import refresh_for_event
from domain.notices.fanout import fan_out
from domain.notifications.deliveries import plan_deliveries
from domain.notifications.hazard_inbox import notify_hazard
from domain.notifications.inbox import notify_escalation, notify_item, notify_repeat_receiver
from domain.notifications.messages import DELIVERABLE
from domain.projects import service as projects
from domain.projects.commands import CompleteProvisioning
from domain.unit_of_work import Joined, UnitOfWork
from tenants.context import TenantScope
from tenants.platform import Platform
from tenants.telemetry import meter, tracer
from workers.archive_import import enqueue_import
from workers.deliveries import send_delivery

Handler = Callable[[AsyncConnection, dict[str, Any]], Awaitable[None]]
Consumer = Callable[[UnitOfWork, dict[str, Any]], Awaitable[None]]
handled = meter.create_counter("firstcall.events.handled", description="events applied by a consumer")
duplicates = meter.create_counter("firstcall.events.duplicates", description="redelivered events skipped")


async def complete_project_provisioning(conn: AsyncConnection, event: dict[str, Any]) -> None:
    # Joined to the consumer's transaction: the change and its audit row commit with the
    # consumer's processed mark, so a redelivered event finds the mark and changes nothing.
    uow = UnitOfWork(Joined(conn), org_id=UUID(event["org_id"]), actor="worker:provisioning", scope=None)
    await projects.complete_provisioning(CompleteProvisioning(UUID(event["project_id"]), UUID(event["id"])), uow)


def in_unit_of_work(actor: str, consume: Consumer) -> Handler:
    """A consumer that records events (an alert raised, a delivery to send) runs in a unit of
    work joined to its transaction, which writes them at commit beside the processed mark. No
    savepoint: the transaction is this consumer's and this event's alone (another consumer or
    event has its own), and a failure must take the mark back with the work anyway."""
    async def handler(conn: AsyncConnection, event: dict[str, Any]) -> None:
        async with UnitOfWork(Joined(conn, savepoint=False), org_id=UUID(event["org_id"]), actor=actor, scope=None) as uow:
            await consume(uow, event)
            await uow.commit()
    return handler


_plan_deliveries = in_unit_of_work("worker:deliveries", plan_deliveries)
_alerts = {f: in_unit_of_work("worker:alerts", f)
           for f in (evaluate_new_case, evaluate_reopened, evaluate_breach_rate, evaluate_satisfaction)}

HANDLERS: dict[str, list[tuple[str, Handler]]] = {
    "project.created": [("provisioning", complete_project_provisioning)],
    "delivery.created": [("send", send_delivery)],
    "archive.imported": [("archive_accuracy", recompute_archive_accuracy)],
    "archive.import_requested": [("archive_import", enqueue_import)],
}
for _topic in DELIVERABLE:
    HANDLERS.setdefault(_topic, []).append(("deliveries", _plan_deliveries))
HANDLERS["case.escalated"].insert(0, ("inbox", notify_escalation))
HANDLERS["case.received"].insert(0, ("alerts", _alerts[evaluate_new_case]))
HANDLERS.setdefault("case.linked_repeat", []).append(("inbox", notify_repeat_receiver))
# 持续改进: the owner hears of a new or returned action; the ladder's rungs of an overdue one.
for _topic in ("item.escalated", "improvement.raised", "improvement.returned"):
    HANDLERS.setdefault(_topic, []).append(("inbox", notify_item))
# 隐患台账: the owner hears of a hazard given to them or sent back (its escalations come through notify_item).
for _topic in ("hazard.assigned", "hazard.returned"):
    HANDLERS.setdefault(_topic, []).append(("inbox", notify_hazard))
# Prepaid credit pays the bills a run created (docs/resident-services.md §6.5).
HANDLERS.setdefault("bills.generated", []).append(("fee_credits", in_unit_of_work("worker:fee_credits", apply_credits)))
# An integrator's payment above what was owed reaches the project's cashiers (§6.4).
HANDLERS.setdefault("payment.recorded", []).append(("inbox", notify_overpaid))

# The collection rate's buckets (docs/resident-services.md §6.7), and a closed month judged for the
# early warning: after the credits consumer, which comes first for bills.generated, so the credit
# it applied is counted.
_kpi_fees = in_unit_of_work("worker:kpi_fees", on_fee_event)
for _topic in ("bills.generated", "bills.charged", "payment.recorded", "payment.reversed", "payment.refunded", "bill.waived",
               "bill.cancelled"):
    HANDLERS.setdefault(_topic, []).append(("kpi_fees", _kpi_fees))
# A published notice: its flats fixed, and batches of them for the messaging bridges.
HANDLERS["notice.published"].insert(0, ("notice_fanout", in_unit_of_work("worker:notices", fan_out)))
# The window rules of early warning, each on the events that can change its verdict.
for _topic, _consumer, _handler in (("case.reopened", "alerts_reopened", evaluate_reopened),
                                    ("case.rework", "alerts_reopened", evaluate_reopened),
                                    ("case.escalated", "alerts_breach", evaluate_breach_rate),
                                    ("case.closed", "alerts_satisfaction", evaluate_satisfaction),
                                    ("case.rework", "alerts_satisfaction", evaluate_satisfaction)):
    HANDLERS.setdefault(_topic, []).append((_consumer, _alerts[_handler]))
# Every case event changes some cohort's counts (docs/kpis.md).
PREFIX_HANDLERS: dict[str, list[tuple[str, Handler]]] = {"case.": [("kpi", refresh_for_event)]}


def _consumed() -> dict[str, tuple[list[str], list[str]]]:
    """consumer → (the topics it handles, LIKE patterns of the prefixes it handles)."""
    topics: dict[str, set[str]] = defaultdict(set)
    patterns: dict[str, set[str]] = defaultdict(set)
    for topic, hs in HANDLERS.items():
        for consumer, _ in hs:
            topics[consumer].add(topic)
    for prefix, hs in PREFIX_HANDLERS.items():
        for consumer, _ in hs:
            patterns[consumer].add(prefix + "%")
    return {c: (sorted(topics[c]), sorted(patterns[c])) for c in topics.keys() | patterns.keys()}


CONSUMED = _consumed()
# Longer than an event's retries (about 1.5 hours): an earlier event older than this was handled,
# dead-lettered, or came before the consumer existed, and holds nothing back.
ORDER_HORIZON = timedelta(hours=2)
ORDER_WAITS = (0.02, 0.05, 0.1, 0.2, 0.4, 0.8)  # seconds, about 1.6 in all
_EARLIER_PENDING = text(
    "SELECT 1 FROM outbox e WHERE e.org_id = :o AND e.payload->>'case_id' = :c AND e.created_at < :at "
    "AND e.created_at > :since AND (e.topic = ANY(:topics) OR e.topic LIKE ANY(:patterns)) "
    "AND NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.org_id = e.org_id AND p.consumer = :consumer AND p.event_id = e.id) "
    "AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.org_id = e.org_id AND d.event_id = e.id) LIMIT 1"
)


async def _earlier_pending(conn: AsyncConnection, consumer: str, event: dict[str, Any]) -> bool:
    case_id, created = (event.get("payload") or {}).get("case_id"), event.get("created_at")
    if not case_id or not created:
        return False
    at = datetime.fromisoformat(created)
    topics, patterns = CONSUMED[consumer]
    return (await conn.execute(_EARLIER_PENDING, {
        "o": UUID(event["org_id"]), "c": str(case_id), "at": at, "since": at - ORDER_HORIZON, "topics": topics,
        "patterns": patterns, "consumer": consumer})).first() is not None


async def _after_earlier(conn: AsyncConnection, consumer: str, event: dict[str, Any]) -> None:
    """Returns once the consumer has handled the case's earlier events. Usually another thread is
    handling one right now, so it waits a moment in place; failing that, the message is retried
    later (the exception rolls this consumer's mark back)."""
    waits = iter(ORDER_WAITS)
    while await _earlier_pending(conn, consumer, event):
        delay = next(waits, None)
        if delay is None:
            raise dramatiq.Retry(f"{consumer} waits for an earlier event of case {event['payload']['case_id']}")
        await asyncio.sleep(delay)


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
                await _after_earlier(conn, consumer, event)
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
