"""`firstcall` — serve, worker, scanner, migrate, schema, provision-org, import, rollups, demo."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import secrets
import sys

from tenants.settings import ConfigurationError, Settings, get_settings


def _settings() -> Settings:
    try:
        return get_settings()
    except ConfigurationError as e:
        sys.exit(f"firstcall: {e}")


def cmd_migrate(_: argparse.Namespace) -> None:
    from migrations.runner import upgrade
    from tenants.db import resolve_urls

    settings = _settings()
    urls = resolve_urls(settings)
    upgrade(urls.owner, settings.app_db_password.get_secret_value())
    print(f"migrated {urls.owner.render_as_string(hide_password=True)}")


def cmd_schema(_: argparse.Namespace) -> None:
    from api.graphql.schema import schema

    print(schema.as_str())


def _admin_password(given: str | None) -> tuple[str, bool]:
    """The password to use and whether it was generated. Without a terminal to prompt on (a script,
    a CI job), a strong one is generated rather than failing on a closed stdin."""
    if given:
        return given, False
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass("admin password: "), False
    return secrets.token_urlsafe(18), True


def cmd_provision_org(args: argparse.Namespace) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    from domain.errors import DomainError
    from tenants.db import resolve_urls
    from domain.directory.provisioning import create_organization

    password, generated = _admin_password(args.password)
    urls = resolve_urls(_settings())

    async def run() -> None:
        engine = create_async_engine(urls.owner)
        try:
            org_id, user_id = await create_organization(
                engine, slug=args.slug, name=args.name, admin_username=args.admin, admin_password=password
            )
            print(f"organization {args.slug} ({org_id}); admin {args.admin} ({user_id})")
            if generated:
                print(f"generated admin password (shown only this once; store it now): {password}")
        except DomainError as e:
            sys.exit(f"firstcall: {e.message}")
        finally:
            await engine.dispose()

    asyncio.run(run())


def cmd_import(args: argparse.Namespace) -> None:
    from firstcall.import_cli import run

    sys.exit(run(args, _settings()))


def cmd_serve(args: argparse.Namespace) -> None:
    from firstcall.processes import serve

    if args.processes > 1:
        import uvicorn

        from api.live.limits import WS_MAX_BYTES

        settings = _settings()
        uvicorn.run("firstcall.processes:app_from_environment", factory=True, workers=args.processes, host=args.host or settings.host,
                    port=args.port or settings.port, log_level="warning", access_log=False, ws_max_size=WS_MAX_BYTES,
                    timeout_keep_alive=settings.keep_alive_seconds)
        return
    asyncio.run(serve(_settings(), host=args.host, port=args.port, with_workers=None))


def cmd_worker(args: argparse.Namespace) -> None:
    from firstcall.processes import run_worker_process

    run_worker_process(_settings(), threads=args.threads)


def cmd_scanner(_: argparse.Namespace) -> None:
    from firstcall.processes import run_scanner

    asyncio.run(run_scanner(_settings()))


def cmd_rollups_rebuild(args: argparse.Namespace) -> None:
    from workers.rebuild_rollups import rebuild_all

    settings = _settings()
    for slug, seconds in asyncio.run(rebuild_all(settings, args.org)):
        print(f"rebuilt the KPI rollups of {slug} in {seconds:.1f} s")


def cmd_demo(args: argparse.Namespace) -> None:
    from firstcall.processes import demo

    asyncio.run(demo(_settings(), host=args.host, port=args.port, seed_only=args.seed_only))


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(prog="firstcall", description="Firstcall control plane")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the API (and, with no BROKER_URL, in-process workers)")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--processes", type=int, default=1,
                   help="API processes sharing the port (needs DATABASE_URL; run `worker` and `scanner` beside them)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run Dramatiq workers for the configured broker")
    p.add_argument("--threads", type=int, default=4)
    p.set_defaults(func=cmd_worker)

    sub.add_parser("scanner", help="fire SLA timers, relay the outbox, auto-confirm (safe to run several)").set_defaults(func=cmd_scanner)
    p = sub.add_parser("rollups", help="KPI rollups")
    p.add_argument("action", choices=["rebuild"], help="rebuild: recompute every bucket from the cases and the bills")
    p.add_argument("--org", default=None, help="one company's slug (default: every company)")
    p.set_defaults(func=cmd_rollups_rebuild)
    sub.add_parser("migrate", help="create roles if missing and migrate to the newest revision").set_defaults(func=cmd_migrate)
    sub.add_parser("schema", help="print the GraphQL SDL").set_defaults(func=cmd_schema)

    p = sub.add_parser("provision-org", help="create a company and its first org admin")
    p.add_argument("slug")
    p.add_argument("name")
    p.add_argument("--admin", default="admin")
    p.add_argument("--password", default=None, help="prompted for when omitted; without a terminal, generated and printed once")
    p.set_defaults(func=cmd_provision_org)

    from firstcall.import_cli import add_parser

    add_parser(sub).set_defaults(func=cmd_import)

    p = sub.add_parser("demo", help="embedded database, demo company, API and workers")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--seed-only", action="store_true", help="seed and exit without serving")
    p.set_defaults(func=cmd_demo)

    args = parser.parse_args(argv)
    from tenants.db import EmbeddedDatabaseError

    try:
        args.func(args)
    except (ConfigurationError, EmbeddedDatabaseError) as e:
        sys.exit(f"firstcall: {e}")


if __name__ == "__main__":
    main()
