"""早会 The morning briefing as it is printed (`GET /print/morning-briefing`): the briefing's read
model, with what a page needs beside it — the project's name, the cases' numbers and words, the
names of the people the sections point at. None when the caller does not see the project. Under
the caller's row-level security, one statement per part."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.handover.briefing import Briefing, morning_briefing
from domain.reads import Reader

_PROJECT = text("SELECT p.id, p.code, p.name, o.name AS org_name FROM projects p "
                "JOIN organizations o ON o.org_id = p.org_id WHERE p.org_id = :o AND p.id = :p")
_CASES = text("SELECT c.id, c.number, c.kind, c.description, c.received_at FROM cases c WHERE c.org_id = :o AND c.id = ANY(:ids)")
_PEOPLE = text("SELECT u.id, u.display_name FROM users u WHERE u.org_id = :o AND u.id = ANY(:ids)")


@dataclass(frozen=True)
class PrintedBriefing:
    project: Row[Any]
    briefing: Briefing
    cases: dict[UUID, Row[Any]]
    people: dict[UUID, str]


async def printed_briefing(db: Reader, project_id: UUID, day: date) -> PrintedBriefing | None:
    project = await db.first(_PROJECT, {"o": db.org_id, "p": project_id})
    if project is None:
        return None
    b = await morning_briefing(db, project_id, day)
    case_ids = {r.id for r in b.received} | {r.id for r in b.overdue} | {r.case_id for r in b.broken}
    people = ({r.owner_user_id for r in b.actions} | {r.owner_user_id for r in b.hazards}
              | {r.assignee_user_id for r in b.missed_runs}) - {None}
    cases = {r.id: r for r in await db.all(_CASES, {"o": db.org_id, "ids": list(case_ids)})} if case_ids else {}
    names = {r.id: r.display_name for r in await db.all(_PEOPLE, {"o": db.org_id, "ids": list(people)})} if people else {}
    return PrintedBriefing(project=project, briefing=b, cases=cases, people=names)
