"""Declared permissions. Every mutation carries exactly one of these; a schema test enforces it."""

from __future__ import annotations

from functools import cache
from typing import Any

from strawberry.permission import BasePermission

from api.context import Info
from tenants.roles import Permission


class RequiresPermission(BasePermission):
    """The caller must hold `permission` somewhere; resolvers check the exact project."""

    permission: Permission

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        # Raises a coded error (UNAUTHENTICATED or FORBIDDEN) rather than returning False.
        info.context.require(self.permission)
        return True


class Public(BasePermission):
    """Open to anonymous callers on purpose (logging in, refreshing, logging out)."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return True


@cache
def Requires(permission: Permission) -> type[RequiresPermission]:  # noqa: N802 - reads as a declaration
    """`permission_classes=[Requires(Permission.X)]`: strawberry takes classes, so one per permission."""
    return type(f"Requires_{permission.name}", (RequiresPermission,), {"permission": permission})


class RequiresOneOf(RequiresPermission):
    """One of `permissions` somewhere: a field shared by staff and residents (`viewer`)."""

    permissions: tuple[Permission, ...]

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        caller = info.context.require()
        if not any(caller.can_anywhere(p) for p in self.permissions):
            info.context.require(self.permissions[0])  # the refusal names the first
        return True


@cache
def RequiresAny(*permissions: Permission) -> type[RequiresOneOf]:  # noqa: N802 - reads as a declaration
    return type("RequiresAny_" + "_".join(p.name for p in permissions), (RequiresOneOf,),
                {"permission": permissions[0], "permissions": permissions})
