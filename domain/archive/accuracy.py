"""档案准确率 (docs/archive.md §7): each check is one SQL predicate over one kind of record, used
both by the grouped statement that counts a project's problems and by the lists that show the
offenders (`residents(filter: {problem})`, `units(filter: {problem})`), so a count and its list
always agree. accuracy = 1 − records with at least one problem / records checked, over current
residents, flats, pets and vehicles; stored per project and Beijing day (`archive_accuracy`), the
latest day of each project also in `archive_accuracy_live`, which the overview joins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.sla.calendar import CHINA, beijing_midnight

STALE_AFTER = timedelta(days=365)


class Problem(StrEnum):
    NO_PHONE = "NO_PHONE"
    OWNER_NO_ID = "OWNER_NO_ID"
    NO_MOVE_IN = "NO_MOVE_IN"
    UNIT_UNACCOUNTED = "UNIT_UNACCOUNTED"
    UNIT_NO_AREA = "UNIT_NO_AREA"
    NOT_VERIFIED = "NOT_VERIFIED"
    VACCINATION_DUE = "VACCINATION_DUE"
    VEHICLE_EXPIRED = "VEHICLE_EXPIRED"

    @property
    def column(self) -> str:
        return self.value.lower()


PROBLEM_LABELS = {
    Problem.NO_PHONE: "无联系电话", Problem.OWNER_NO_ID: "业主无证件号", Problem.NO_MOVE_IN: "无迁入日期",
    Problem.UNIT_UNACCOUNTED: "房屋无人且未标空置", Problem.UNIT_NO_AREA: "房屋无面积",
    Problem.NOT_VERIFIED: "一年未核实", Problem.VACCINATION_DUE: "犬猫疫苗过期", Problem.VEHICLE_EXPIRED: "车辆登记过期",
}

# A resident living in the project now: not erased, with an open stay.
_OPEN_STAY = ("EXISTS (SELECT 1 FROM occupancies o WHERE o.org_id = r.org_id AND o.project_id = r.project_id "
              "AND o.resident_id = r.id AND o.moved_out_on IS NULL{})")
CURRENT_RESIDENT = "r.erased_at IS NULL AND " + _OPEN_STAY.format("")

# Each check over its record's alias: r resident, u unit, pt pet, v vehicle. Parameters :day (the
# Beijing day), :verified_since (its start 365 days earlier), :vaccinated_since (the day 365 days earlier).
PREDICATES: dict[Problem, str] = {
    Problem.NO_PHONE: ("r.phone_hash IS NULL AND NOT EXISTS (SELECT 1 FROM resident_contacts c WHERE c.org_id = r.org_id "
                       "AND c.project_id = r.project_id AND c.resident_id = r.id AND c.kind IN ('mobile', 'landline'))"),
    Problem.OWNER_NO_ID: "r.kind = 'person' AND r.id_number_hash IS NULL AND " + _OPEN_STAY.format(" AND o.role = 'owner'"),
    Problem.NO_MOVE_IN: _OPEN_STAY.format(" AND o.moved_in_on IS NULL"),
    Problem.NOT_VERIFIED: "(r.verified_at IS NULL OR r.verified_at < :verified_since)",
    Problem.UNIT_UNACCOUNTED: ("NOT u.vacant AND NOT EXISTS (SELECT 1 FROM occupancies o WHERE o.org_id = u.org_id "
                               "AND o.project_id = u.project_id AND o.unit_id = u.id AND o.moved_out_on IS NULL)"),
    Problem.UNIT_NO_AREA: "u.area_m2 IS NULL",
    Problem.VACCINATION_DUE: "pt.species IN ('dog', 'cat') AND (pt.vaccinated_on IS NULL OR pt.vaccinated_on < :vaccinated_since)",
    Problem.VEHICLE_EXPIRED: "v.valid_until < :day",
}


@dataclass(frozen=True)
class RecordKind:
    name: str  # in the statement
    source: str  # table and alias
    alias: str
    scope: str  # which of the table's rows are records (beside the project)
    problems: tuple[Problem, ...]


RESIDENTS = RecordKind("people", "residents r", "r", CURRENT_RESIDENT,
                       (Problem.NO_PHONE, Problem.OWNER_NO_ID, Problem.NO_MOVE_IN, Problem.NOT_VERIFIED))
UNITS = RecordKind("flats", "units u", "u", "true", (Problem.UNIT_UNACCOUNTED, Problem.UNIT_NO_AREA))
PETS = RecordKind("animals", "pets pt", "pt", "true", (Problem.VACCINATION_DUE,))
VEHICLES = RecordKind("cars", "vehicles v", "v", "true", (Problem.VEHICLE_EXPIRED,))
KINDS = (RESIDENTS, UNITS, PETS, VEHICLES)
KIND_OF = {p: k for k in KINDS for p in k.problems}


def offenders(kind: RecordKind) -> str:
    """A condition true for the kind's records with the problem named by :problem (a record of
    the kind, current where that matters), or for every row when :problem is null."""
    cases = " ".join(f"WHEN '{p.value}' THEN {kind.scope} AND {PREDICATES[p]}" for p in kind.problems)
    return f"(CAST(:problem AS text) IS NULL OR CASE :problem {cases} ELSE false END)"


def cutoffs(day: date) -> dict[str, Any]:
    """The parameters of the predicates for a Beijing day."""
    return {"day": day, "verified_since": beijing_midnight(day - STALE_AFTER), "vaccinated_since": day - STALE_AFTER}


def beijing_today(now: datetime | None = None) -> date:
    return (now or datetime.now(CHINA)).astimezone(CHINA).date()


def _counted(kind: RecordKind) -> str:
    flags = ", ".join(f"({PREDICATES[p]}) AS {p.column}" for p in kind.problems)
    any_problem = " OR ".join(p.column for p in kind.problems)
    counts = ", ".join(f"count(*) FILTER (WHERE {p.column}) AS {p.column}" for p in kind.problems)
    a = kind.alias
    # OFFSET 0 keeps the flags a subquery of their own: flattened, each would be evaluated once per
    # count that names it.
    return (f"{kind.name} AS (SELECT project_id, count(*) AS checked, count(*) FILTER (WHERE {any_problem}) AS bad, {counts} "
            f"FROM (SELECT {a}.project_id, {flags} FROM {kind.source} "
            f"WHERE {a}.org_id = :o AND (CAST(:p AS uuid) IS NULL OR {a}.project_id = :p) AND {kind.scope} OFFSET 0) x "
            "GROUP BY project_id)")


def _statement() -> str:
    joins = " ".join(f"LEFT JOIN {k.name} ON {k.name}.project_id = p.id" for k in KINDS)

    def summed(column: str) -> str:
        return " + ".join(f"coalesce({k.name}.{column}, 0)" for k in KINDS)
    columns = ", ".join(p.column for p in Problem)
    return (
        "WITH " + ", ".join(_counted(k) for k in KINDS) + ", "
        f"stored AS (INSERT INTO archive_accuracy (org_id, project_id, day, records_checked, records_with_problems, {columns}, "
        "computed_at) "
        f"SELECT p.org_id, p.id, :day, {summed('checked')}, {summed('bad')}, "
        + ", ".join(f"coalesce({KIND_OF[p].name}.{p.column}, 0)" for p in Problem) + ", now() "
        f"FROM projects p {joins} WHERE p.org_id = :o AND (CAST(:p AS uuid) IS NULL OR p.id = :p) "
        "ON CONFLICT (org_id, project_id, day) DO UPDATE SET records_checked = EXCLUDED.records_checked, "
        "records_with_problems = EXCLUDED.records_with_problems, "
        + ", ".join(f"{p.column} = EXCLUDED.{p.column}" for p in Problem) + ", computed_at = EXCLUDED.computed_at "
        "RETURNING org_id, project_id, day, records_checked, records_with_problems), "
        # A day computed again (an import's) may be an earlier one than the latest: the latest stays.
        "live AS (INSERT INTO archive_accuracy_live AS l SELECT * FROM stored "
        "ON CONFLICT (org_id, project_id) DO UPDATE SET day = EXCLUDED.day, records_checked = EXCLUDED.records_checked, "
        "records_with_problems = EXCLUDED.records_with_problems WHERE l.day <= EXCLUDED.day) "
        "SELECT count(*) FROM stored"
    )


_COMPUTE = text(_statement())
# The planner prices each correlated EXISTS per row, so a large project's estimate crosses the JIT
# thresholds; compiling the statement then took 1.4 s of a 2 s run (40,000 residents).
_NO_JIT = text("SELECT set_config('jit', 'off', true)")


async def compute(conn: AsyncConnection, org_id: UUID, day: date, project_id: UUID | None = None) -> int:
    """Counts and stores the day's figures of one project, or of every project the connection's
    wall shows (a company's, in the sweep); a second run the same day replaces the first's.
    Returns the projects written."""
    await conn.execute(_NO_JIT)
    return int((await conn.execute(_COMPUTE, {"o": org_id, "p": project_id, **cutoffs(day)})).scalar_one())


async def recompute_for_event(conn: AsyncConnection, event: dict[str, Any]) -> None:
    """`archive.imported`: an applied import changes a project's archive at once, so its figures
    for today follow rather than wait for the night. The project is the event's (else its
    payload's); the consumer's transaction is in the event's company, every project visible."""
    project = event.get("project_id") or (event.get("payload") or {}).get("project_id")
    if project:
        await compute(conn, UUID(event["org_id"]), beijing_today(), UUID(str(project)))
