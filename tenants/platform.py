"""The shared handles a process needs: settings, engines, token signer, personal-data cipher."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from tenants.auth.tokens import TokenSigner
from tenants.context import TenantScope
from tenants.db import DatabaseUrls, Handover, make_app_engine, resolve_urls, tenant_status, tenant_transaction
from tenants.personal_data import PersonalDataCipher
from tenants.settings import Settings


@dataclass
class Platform:
    settings: Settings
    urls: DatabaseUrls
    engine: AsyncEngine
    signer: TokenSigner
    cipher: PersonalDataCipher

    @classmethod
    def create(cls, settings: Settings, urls: DatabaseUrls | None = None) -> Platform:
        urls = urls or resolve_urls(settings)
        return cls(
            settings=settings,
            urls=urls,
            engine=make_app_engine(urls.app, settings),
            signer=TokenSigner(settings.secret("secret_key"), settings.access_token_minutes,
                               resident_minutes=settings.resident_token_minutes),
            cipher=PersonalDataCipher(settings.secret("data_key"), settings.secret("lookup_key")),
        )

    def transaction(self, scope: TenantScope | None, *, then: Handover | None = None) -> AbstractAsyncContextManager[AsyncConnection]:
        """`then`: who may take the connection on for reads after COMMIT (tenants/db.py)."""
        return tenant_transaction(self.engine, scope, statement_timeout_ms=self.settings.statement_timeout_ms, then=then)

    async def status(self, scope: TenantScope | None, sql: str) -> str:
        """One reading statement's command tag, under the tenant wall, in one round trip (tenants/db.py)."""
        return await tenant_status(self.engine, scope, sql, statement_timeout_ms=self.settings.statement_timeout_ms)

    async def close(self) -> None:
        await self.engine.dispose()
