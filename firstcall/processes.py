"""Process entry points: the API server, the worker, the scanner, and the demo that runs all
three in one process on the embedded database and the stub broker. The composition root: here the
API, the workers and the broker meet; `api/` itself knows no worker module."""

from __future__ import annotations

import gc

import asyncio
import json
import logging
import signal
import threading
from functools import partial
from uuid import UUID

import dramatiq
import uvicorn
from starlette.applications import Starlette

from api.live.limits import WS_MAX_BYTES
from firstcall.demo_trickle import run_trickle
from tenants.db import DatabaseUrls, resolve_urls, stop_embedded
from tenants.platform import Platform
from tenants.settings import Settings, get_settings
from tenants.telemetry import instrument_database, setup_telemetry, tracing_enabled
from workers import actors, runtime
from workers.auto_confirm import run_auto_confirm
from workers.quota_sweep import run_quota_sweep
from workers.broker import broker_reachable, make_broker
from workers.nightly import run_nightly
from workers.fee_sweep import run_fee_sweep
from workers.notice_sweep import run_notice_sweep
from workers.fee_reminder_sweep import run_fee_reminder_sweep
from workers.survey_sweep import run_survey_sweep
from workers.patrol_sweep import run_patrol_sweep
from workers.referral_sweep import run_referral_sweep
from workers.relay import install_stop_signals, run_relay
from workers.score_sweep import run_score_sweep
from workers.sla_scanner import run_sla_scanner
from workers.upload_purge import run_upload_purge

log = logging.getLogger("firstcall")


def _broker(settings: Settings) -> dramatiq.Broker:
    broker = make_broker(settings.broker_url)
    dramatiq.set_broker(broker)
    actors.declare(broker)
    return broker


def start_workers(settings: Settings, urls: DatabaseUrls, broker: dramatiq.Broker, threads: int) -> dramatiq.Worker:
    runtime.configure(settings, urls)
    # An idle consumer looks for messages every 100 ms rather than Dramatiq's 1 s: an alert or an
    # escalation notice then follows its commit by a tenth of a second, for ten cheap polls a second.
    worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=100)
    worker.start()
    return worker


async def serve(
    settings: Settings, *, host: str | None, port: int | None, with_workers: bool | None,
    urls: DatabaseUrls | None = None, ready: threading.Event | None = None, demo_org: UUID | None = None,
) -> None:
    """The API. With no BROKER_URL (the stub broker) the relay and workers run in this process too."""
    from api.app import create_app

    setup_telemetry(settings, "api")
    urls = urls or resolve_urls(settings)
    platform = Platform.create(settings, urls)
    instrument_database()
    broker = _broker(settings)
    in_process = settings.broker_url is None if with_workers is None else with_workers
    worker = start_workers(settings, urls, broker, threads=2) if in_process else None
    stop = asyncio.Event()
    relay = asyncio.create_task(run_relay(platform, broker, urls, stop=stop)) if in_process else None
    confirmer = asyncio.create_task(run_auto_confirm(platform, stop)) if in_process else None
    quotas = asyncio.create_task(run_quota_sweep(platform, stop)) if in_process else None
    referrer = asyncio.create_task(run_referral_sweep(platform, stop)) if in_process else None
    evaluator = asyncio.create_task(run_score_sweep(platform, stop)) if in_process else None
    scanner = asyncio.create_task(run_sla_scanner(platform, stop)) if in_process else None
    nightly = asyncio.create_task(run_nightly(platform, stop)) if in_process else None
    purger = asyncio.create_task(run_upload_purge(platform, stop)) if in_process else None
    noticer = asyncio.create_task(run_notice_sweep(platform, stop)) if in_process else None
    fee_judge = asyncio.create_task(run_fee_sweep(platform, stop)) if in_process else None
    reminder = asyncio.create_task(run_fee_reminder_sweep(platform, stop)) if in_process else None
    surveyor = asyncio.create_task(run_survey_sweep(platform, stop)) if in_process else None
    patroller = asyncio.create_task(run_patrol_sweep(platform, stop)) if in_process else None
    trickle = None
    if demo_org is not None and settings.demo_trickle_seconds > 0:
        trickle = asyncio.create_task(run_trickle(platform, demo_org, stop, settings.demo_trickle_seconds))
    app = create_app(platform, partial(broker_reachable, broker), compiled=settings.compiled_reads, instrument=tracing_enabled())
    gc.freeze()  # as in app_from_environment
    config = uvicorn.Config(app,
                            host=host or settings.host, port=port or settings.port, log_level="info", access_log=False,
                            lifespan="on", ws_max_size=WS_MAX_BYTES, timeout_keep_alive=settings.keep_alive_seconds)
    server = uvicorn.Server(config)
    # uvicorn re-raises the signal that stopped it once it has shut down; with a handler of our
    # own installed, that lands here instead of killing the process before the cleanup below.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    try:
        await server.serve()
    finally:
        stop.set()
        if relay is not None:
            await relay
        if referrer is not None:
            await referrer
        for task in (confirmer, quotas, evaluator, scanner, nightly, purger, noticer, fee_judge, reminder, surveyor, patroller,
                     trickle):
            if task is not None:
                await task
        if worker is not None:
            await asyncio.to_thread(worker.stop)
        await platform.close()
        stop_embedded()


def app_from_environment() -> Starlette:
    """The factory each process of `firstcall serve --processes N` calls: the API alone, configured
    from the environment; the relay and workers run as their own commands then."""
    from api.app import create_app

    settings = get_settings()
    if not settings.database_url:
        raise RuntimeError("serve --processes needs DATABASE_URL: the embedded database serves one process.")
    setup_telemetry(settings, "api")
    instrument_database()
    app = create_app(Platform.create(settings), compiled=settings.compiled_reads, instrument=tracing_enabled())
    # Everything imported and built so far lives as long as the process: keep it out of the
    # collector's generations, so a full collection does not walk it between two requests.
    gc.freeze()
    return app


def run_worker_process(settings: Settings, threads: int) -> None:
    setup_telemetry(settings, "worker")
    urls = resolve_urls(settings)
    broker = _broker(settings)
    worker = start_workers(settings, urls, broker, threads)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    log.info("worker running with %d threads on %s", threads, type(broker).__name__)
    done.wait()
    worker.stop()
    stop_embedded()


async def run_scanner(settings: Settings) -> None:
    setup_telemetry(settings, "scanner")
    urls = resolve_urls(settings)
    platform = Platform.create(settings, urls)
    broker = _broker(settings)
    stop = asyncio.Event()
    install_stop_signals(stop)
    log.info("scanner firing SLA timers and relaying the outbox to %s", type(broker).__name__)
    try:
        await asyncio.gather(run_relay(platform, broker, urls, stop=stop), run_auto_confirm(platform, stop),
                             run_referral_sweep(platform, stop), run_sla_scanner(platform, stop), run_score_sweep(platform, stop),
                             run_nightly(platform, stop),
                             run_upload_purge(platform, stop),
                             run_quota_sweep(platform, stop),
                             run_notice_sweep(platform, stop),
                             run_fee_sweep(platform, stop),
                             run_fee_reminder_sweep(platform, stop),
                             run_survey_sweep(platform, stop),
                             run_patrol_sweep(platform, stop))
    finally:
        await platform.close()
        stop_embedded()


async def demo(settings: Settings, *, host: str | None, port: int | None, seed_only: bool) -> None:
    from migrations.runner import upgrade
    from firstcall.demo_seed import seed_demo

    urls = resolve_urls(settings)
    await asyncio.to_thread(upgrade, urls.owner, settings.app_db_password.get_secret_value())
    info = await seed_demo(settings, urls)
    path = settings.data_dir / "demo.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    base = f"http://{host or settings.host}:{port or settings.port}"
    info["url"] = f"{base}/graphql"
    path.write_text(json.dumps(info, ensure_ascii=False, indent=2))
    print(f"\nFirstcall 控制台 console: {base}/")
    print(f"Firstcall demo — GraphQL at {info['url']}  (ready: {base}/readyz)")
    print(f"  organization: {info['organization']}")
    for login in info["logins"]:
        print(f"  {login['role']:<16} {login['username']:<14} password {login['password']}")
    print(f"  integrator API key: {info['api_key']}")
    app = info.get("owner_app")
    if app:
        who = f" — sign in {app['resident']} with phone {app['phone']}" if "phone" in app else ""
        print(f"  owner-app API key (RESIDENT_SIGN_IN): {app['api_key']}{who}")
    if info.get("history_cases"):
        print(f"  history: {info['history_cases']:,} cases over the last 180 days, duty roster for two weeks")
    print(f"  (also written to {path})\n")
    if not seed_only:
        demo_org = UUID(info["org_id"]) if "org_id" in info else None
        await serve(settings, host=host, port=port, with_workers=True, urls=urls, demo_org=demo_org)
