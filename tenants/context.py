"""Who is acting and which rows they may touch: the tenant scope set on every transaction."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, slots=True)
class TenantScope:
    """The wall row-level security enforces: one organization and either all of its projects
    (``projects is None``) or exactly the listed ones."""

    org_id: UUID
    projects: frozenset[UUID] | None = None
    actor: str = "system"
    # A resident (owner-app token): the transaction runs as the resident role, whose policies
    # show this person's own rows (docs/resident-services.md §2.3).
    resident_id: UUID | None = None

    @property
    def all_projects(self) -> bool:
        return self.projects is None

    def allows(self, project_id: UUID) -> bool:
        return self.projects is None or project_id in self.projects

    def setting_values(self) -> tuple[str, str, str]:
        """Values for app.org_id, app.project_ids and app.actor. Built only from UUIDs and a
        checked actor string, so they are safe to place in a simple-protocol statement."""
        org = str(UUID(str(self.org_id)))
        if self.projects is None:
            projects = "*"
        else:
            projects = "{" + ",".join(sorted(str(UUID(str(p))) for p in self.projects)) + "}"
        if not all(c.isalnum() or c in ":-_" for c in self.actor):
            raise ValueError(f"unsafe actor label {self.actor!r}")
        return org, projects, self.actor

    def resident_setting(self) -> str:
        """The value for app.resident_id: '' for everyone but a resident."""
        return "" if self.resident_id is None else str(UUID(str(self.resident_id)))
