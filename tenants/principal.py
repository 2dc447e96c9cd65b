"""The authenticated caller — a user, an integrator key or a resident signed in through one — and
the checks made on it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from tenants.context import TenantScope
from tenants.roles import ORG_WIDE_ROLES, ROLE_PERMISSIONS, Permission, Role


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    project_id: UUID | None  # None: every project of the company


@dataclass(frozen=True)
class Principal:
    kind: str  # "user" | "api_key" | "resident"
    id: UUID
    org_id: UUID
    grants: tuple[Grant, ...] = ()
    # Keys carry their permissions and project list directly instead of roles.
    key_permissions: frozenset[Permission] | None = None
    key_projects: frozenset[UUID] | None = None
    # A resident: the key that signed them in and the channel their cases are recorded as.
    resident_key_id: UUID | None = None
    resident_channel: str | None = None

    @property
    def actor(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def projects(self) -> frozenset[UUID] | None:
        """Projects this caller may see; None means all of the company's."""
        if self.kind in ("api_key", "resident"):
            return self.key_projects
        if any(g.role in ORG_WIDE_ROLES for g in self.grants):
            return None
        return frozenset(g.project_id for g in self.grants if g.project_id is not None)

    @property
    def scope(self) -> TenantScope:
        return TenantScope(org_id=self.org_id, projects=self.projects, actor=self.actor,
                           resident_id=self.id if self.kind == "resident" else None)

    def permissions(self, project_id: UUID | None = None) -> frozenset[Permission]:
        """Permissions on one project (or, with None, those held company-wide)."""
        if self.kind == "resident":  # its one permission, on its one project
            if project_id is None or not self.scope.allows(project_id):
                return frozenset()
            return self.key_permissions or frozenset()
        if self.kind == "api_key":
            if project_id is not None and not self.scope.allows(project_id):
                return frozenset()
            if project_id is None and self.key_projects is not None:
                return frozenset(p for p in (self.key_permissions or ()) if p.endswith(":read"))
            return self.key_permissions or frozenset()
        held: set[Permission] = set()
        for g in self.grants:
            if g.project_id is None or g.project_id == project_id:
                held |= ROLE_PERMISSIONS[g.role]
        return frozenset(held)

    def can(self, permission: Permission, project_id: UUID | None = None) -> bool:
        return permission in self.permissions(project_id)

    def can_anywhere(self, permission: Permission) -> bool:
        """Whether some project (or the company) grants it — the gate before a field runs."""
        if self.kind in ("api_key", "resident"):
            return permission in (self.key_permissions or ())
        return any(permission in ROLE_PERMISSIONS[g.role] for g in self.grants)
