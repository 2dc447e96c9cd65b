"""The typed per-request context: the platform, the caller, the read transaction, dataloaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from starlette.requests import Request
from strawberry.types import Info as StrawberryInfo

from api.dataloaders import Loaders
from api.live.overview_versions import VersionWatch
from api.request_db import RequestDb
from domain.errors import ErrorCode, DomainError
from tenants.auth.errors import AuthError, unauthenticated
from tenants.platform import Platform
from tenants.principal import Principal
from tenants.roles import Permission


@dataclass
class Context:
    platform: Platform
    request: Request | None
    principal: Principal | None
    # An authentication failure is kept, not raised, so public fields (login) still work.
    auth_error: AuthError | None = None
    # The overview versions pushed to this application (api/graphql/overview_cache.py); None: always ask.
    versions: VersionWatch | None = None
    db: RequestDb = field(init=False)
    # The answer's HTTP entity tag, when the compiled path can revalidate it (a kept overview).
    etag: str | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.db = RequestDb(self.platform, self.principal.scope if self.principal else None)

    @cached_property
    def loaders(self) -> Loaders:
        return Loaders(self.db)

    def require(self, permission: Permission | None = None) -> Principal:
        if self.principal is None:
            raise self.auth_error or unauthenticated("请先登录或提供 API 密钥，再使用此字段。"
                                                     "Log in, or send an API key, to use this field.")
        if permission is not None and not self.principal.can_anywhere(permission):
            raise DomainError(ErrorCode.FORBIDDEN, f"此操作需要权限 {permission.value}。This needs the permission {permission.value}.")
        return self.principal


Info = StrawberryInfo[Context, None]
