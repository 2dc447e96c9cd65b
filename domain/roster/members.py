"""Who a project's duty roster can take: active logins holding a role in the project (the rule
ShiftRepository.add checks). Read in the caller's transaction, so row-level security keeps it to its company."""

from __future__ import annotations

from sqlalchemy import text

PROJECT_MEMBERS = text(
    "SELECT u.id, u.username, u.display_name, u.active FROM users u "
    "WHERE u.active AND EXISTS (SELECT 1 FROM role_assignments r WHERE r.user_id = u.id AND r.project_id = :p) "
    "ORDER BY u.display_name, u.username"
)
