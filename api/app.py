"""The Starlette application: /graphql, /print/..., /healthz, /readyz, and the web console at /."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute

from api.console import DIST, console_routes
from api.export.personal_data import export_resident_personal_data
from api.export.archive import export_archive_list, export_archive_template
from api.export.fees import export_fee_list, export_opening_template
from api.export.hazards import export_hazards
from api.export.notice_unread import export_notice_unread
from api.export.survey_results import export_survey_results
from api.graphql.schema import schema
from api.graphql.view import GraphQLView, app_dsn
from api.print.monthly_routes import export_monthly_summary, print_monthly_summary
from api.print.bulletin import print_bulletin
from api.print.import_report import export_import_report
from api.print.morning_briefing import print_morning_briefing
from api.print.routes import print_written_reply
from api.inbound.gov_bridge import gov_bridge_inbound
from api.inbound.calls import receive_call
from api.inbound.payments import receive_payment
from api.inbound.referrals import receive_body_feedback
from api.print.receipt import print_receipt
from api.print.patrol_points import print_patrol_points
from api.print.referral_letter import print_referral_letter
from api.security_headers import SecurityHeaders
from api.uploads.archive import upload_archive
from tenants.platform import Platform


def create_app(platform: Platform, broker_reachable: Callable[[], bool] | None = None, *, instrument: bool = True,
               compiled: bool = True, console: Path = DIST) -> Starlette:
    """`broker_reachable`, when given, is asked by /readyz (in a thread: it may block on the
    network); the composition root (`firstcall/processes.py`) passes the broker's probe in, so
    that the API needs no worker module."""

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> JSONResponse:
        checks = {"database": False, "broker": broker_reachable is None}
        try:
            async with asyncio.timeout(2):
                async with platform.transaction(None) as conn:
                    checks["database"] = (await conn.execute(text("SELECT 1"))).scalar() == 1
        except Exception:
            checks["database"] = False
        if broker_reachable is not None:
            checks["broker"] = await asyncio.to_thread(broker_reachable)
        ok = all(checks.values())
        return JSONResponse({"status": "ready" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette):
        # The overview's versions pushed to this process (api/live/overview_versions.py): until
        # its listener is up, a kept overview asks the database whether it is still current.
        if platform.settings.overview_push:
            view.versions.start(app_dsn(platform))
        yield
        await view.versions.close()
        await view.live.close()
        await platform.close()

    view = GraphQLView(schema, platform, compiled=compiled, console=console)
    app = Starlette(
        routes=[
            # A Route, not a Mount: under Mount a POST to /graphql gets a 307 and no body.
            Route("/graphql", view),  # the view answers other methods with a coded 405
            WebSocketRoute("/graphql", view),  # subscriptions (graphql-transport-ws)
            Route("/print/written-replies/{reply_id}", print_written_reply(platform), methods=["GET"]),
            Route("/print/bulletins/{bulletin_id}", print_bulletin(platform), methods=["GET"]),
            Route("/print/circulars/{bulletin_id}", print_bulletin(platform, circular=True), methods=["GET"]),
            Route("/print/referrals/{referral_id}", print_referral_letter(platform), methods=["GET"]),
            Route("/print/receipts/{payment_id}", print_receipt(platform), methods=["GET"]),
            Route("/inbound/bodies/{body_id}", receive_body_feedback(platform), methods=["POST"]),
            Route("/bridge/12345/{bridge_id}", gov_bridge_inbound(platform), methods=["POST"]),
            Route("/inbound/payments/{integration_id}", receive_payment(platform), methods=["POST"]),
            Route("/inbound/calls/{integration_id}", receive_call(platform), methods=["POST"]),
            Route("/print/monthly-summary", print_monthly_summary(platform), methods=["GET"]),
            Route("/print/patrol-points", print_patrol_points(platform), methods=["GET"]),
            Route("/print/morning-briefing", print_morning_briefing(platform), methods=["GET"]),
            Route("/export/monthly-summary.xlsx", export_monthly_summary(platform), methods=["GET"]),
            Route("/export/residents/{resident_id}/personal-data.xlsx", export_resident_personal_data(platform), methods=["GET"]),
            # The template before the lists: "template" would otherwise read as a list's kind.
            Route("/export/archive/template.xlsx", export_archive_template(platform), methods=["GET"]),
            Route("/export/archive/{kind}.xlsx", export_archive_list(platform), methods=["GET"]),
            Route("/uploads/archive", upload_archive(platform), methods=["POST"]),
            Route("/export/fees/opening-template.xlsx", export_opening_template(platform), methods=["GET"]),
            Route("/export/arrears.xlsx", export_fee_list(platform, "arrears"), methods=["GET"]),
            Route("/export/bills.xlsx", export_fee_list(platform, "bills"), methods=["GET"]),
            Route("/export/payments.xlsx", export_fee_list(platform, "payments"), methods=["GET"]),
            Route("/export/archive-imports/{import_id}/report.xlsx", export_import_report(platform), methods=["GET"]),
            Route("/export/notices/{notice_id}/unread.xlsx", export_notice_unread(platform), methods=["GET"]),
            Route("/export/surveys/{campaign_id}.xlsx", export_survey_results(platform), methods=["GET"]),
            Route("/export/hazards.xlsx", export_hazards(platform), methods=["GET"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *console_routes(console),  # last: it answers every other page path
        ],
        lifespan=lifespan,
    )
    # Before the tracing middleware is added, so that it stays the outermost one.
    app.add_middleware(SecurityHeaders)
    if instrument:
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

        # One server span per request; spans for each ASGI send and receive would cost more
        # than the compiled query they surround.
        app.add_middleware(OpenTelemetryMiddleware, exclude_spans=["receive", "send"])
    return app

