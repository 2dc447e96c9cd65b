"""One trace from the GraphQL request, through the outbox and the broker, into the worker."""

from __future__ import annotations

import asyncio

import dramatiq
import httpx
import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from api.app import create_app
from tenants.telemetry import instrument_database, setup_telemetry
from workers import actors, runtime
from workers.broker import EVENTS_QUEUE, make_broker
from workers.relay import relay_all
from tests.conftest import PASSWORD

LOGIN = 'mutation { login(input: {organization: "%s", username: "admin", password: "%s"}) { accessToken } }'

pytestmark = pytest.mark.relays


async def test_worker_span_is_a_child_of_the_request_trace(settings, db_urls, platform, org):
    exporter = InMemorySpanExporter()
    setup_telemetry(settings, "test", extra_processor=SimpleSpanProcessor(exporter))
    instrument_database()
    app = create_app(platform, None, instrument=True)
    broker = make_broker(None)
    actors.declare(broker)
    runtime.configure(settings, db_urls)
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=50)
    worker.start()
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            login = await client.post("/graphql", json={"query": LOGIN % (org.slug, PASSWORD)})
            token = login.json()["data"]["login"]["accessToken"]
            exporter.clear()
            r = await client.post("/graphql", headers={"authorization": f"Bearer {token}"},
                                  json={"query": 'mutation { createProject(input: {code: "TR", name: "追踪", '
                                                 'propertyType: MIXED}) { errors { code } } }'})
            assert r.json()["data"]["createProject"]["errors"] == []
        request_spans = [s for s in exporter.get_finished_spans() if s.name.startswith("POST /graphql")]
        assert request_spans, [s.name for s in exporter.get_finished_spans()]
        trace_id = request_spans[0].context.trace_id
        assert any(s.name.startswith("GraphQL") or "graphql" in s.name.lower() for s in exporter.get_finished_spans()
                   if s.context.trace_id == trace_id and s is not request_spans[0])
        assert any(s.attributes.get("db.system") or s.attributes.get("db.system.name") for s in exporter.get_finished_spans()
                   if s.context.trace_id == trace_id), "database spans join the request trace"
        assert await relay_all(platform, broker) >= 1
        await asyncio.to_thread(broker.join, EVENTS_QUEUE, fail_fast=True, timeout=30_000)
        worker_spans = [s for s in exporter.get_finished_spans() if s.name == "event project.created"]
        assert any(s.context.trace_id == trace_id and s.parent is not None for s in worker_spans), \
            "the worker's span continues the request's trace"
    finally:
        worker.stop()


async def test_one_trace_from_the_mutation_to_the_escalation_notice(settings, db_urls, platform, org, owner_engine):
    """Nobody to send: the mutation, its escalation event, the worker and the inbox row share a trace."""
    from sqlalchemy import text

    from tests.conftest import add_user

    await add_user(owner_engine, org, "sup", "cs_supervisor", "P1")
    exporter = InMemorySpanExporter()
    setup_telemetry(settings, "test", extra_processor=SimpleSpanProcessor(exporter))
    instrument_database()
    app = create_app(platform, None, instrument=True)
    broker = make_broker(None)
    actors.declare(broker)
    runtime.configure(settings, db_urls)
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=50)
    worker.start()
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            login = await client.post("/graphql", json={"query": LOGIN % (org.slug, PASSWORD)})
            headers = {"authorization": "Bearer " + login.json()["data"]["login"]["accessToken"]}

            async def call(query: str, variables: dict) -> dict:
                body = (await client.post("/graphql", headers=headers, json={"query": query, "variables": variables})).json()
                assert "errors" not in body, body
                return body["data"]

            from api.graphql.types.node import to_global_id

            case = (await call("mutation($i: RegisterCaseInput!) { registerCase(input: $i) { case { id } } }", {"i": {
                "projectId": to_global_id("Project", org.projects["P1"]), "kind": "REQUEST", "channel": "PHONE",
                "category": "public_area", "publicArea": "大堂", "description": "追踪：无人可派"}}))["registerCase"]["case"]["id"]
            await call("mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }", {"c": case})
            exporter.clear()
            await call('mutation($c: ID!) { reportUndispatchable(caseId: $c, reason: "全员外出") { errors { code } } }', {"c": case})
        request = next(s for s in exporter.get_finished_spans() if s.name.startswith("POST /graphql"))
        assert await relay_all(platform, broker) >= 1
        await asyncio.to_thread(broker.join, EVENTS_QUEUE, fail_fast=True, timeout=30_000)
        escalated = [s for s in exporter.get_finished_spans() if s.name == "event case.escalated"]
        assert any(s.context.trace_id == request.context.trace_id for s in escalated), "the worker continues the mutation's trace"
        inserts = [s for s in exporter.get_finished_spans() if s.context.trace_id == request.context.trace_id
                   and "notifications" in str(s.attributes.get("db.statement", s.attributes.get("db.query.text", "")))]
        assert inserts, "the inbox write is part of the same trace"
        async with owner_engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM notifications WHERE org_id = :o"), {"o": org.org_id})).scalar() == 1
    finally:
        worker.stop()
