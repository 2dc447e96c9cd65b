"""来电识别 and 查看记录: intake finds the caller by phone or part of a flat number in one round
trip (masked data only), and who revealed a resident's personal data, when and why. Shaping rows
only; the rows come from domain/archive/lookup.py and reveal_reads.py."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.reach import project_in_reach, required_project_in_reach
from api.graphql.types.archive import Unit
from api.graphql.types.node import Connection, Edge, PageInfo, decode_cursor, encode_cursor, from_global_id, page_size, to_global_id
from api.graphql.types.resident import Resident, archive_projects, archive_reader, load_resident
from domain.archive import lookup
from domain.archive.flat_query import required_flat_query
from domain.archive.reveal import RevealField
from domain.archive.reveal_reads import reveals_page
from domain.archive.values import BadValue, canonical_phone
from domain.errors import DomainError, ErrorCode, invalid
from domain.reads import Row
from tenants.roles import Permission

RevealFieldType = strawberry.enum(RevealField, name="PersonalDataField", description="手机号 PHONE or 证件号 ID_NUMBER")


@strawberry.type(description="来电识别 Who may be calling: residents (with their flats and open cases through their "
                             "fields) and flats, at most 20 each, masked.")
class CallerLookup:
    residents: list[Resident]
    units: list[Unit]


async def caller_lookup(info: Info, phone: str | None, flat: str | None, project_id: strawberry.ID | None) -> CallerLookup:
    """By phone: those whose number (or a contact's) it is, in one project or every project where the
    caller holds archive:read, and the flats they live in now. By flat: the project's flats
    matching the typed part and who lives in them now."""
    if bool(phone) == bool(flat):
        raise invalid("请填写来电号码或房号其中之一。Give either phone or flat.", "phone")
    project = await project_in_reach(info, project_id)
    if project is not None:
        archive_reader(info, project)
    db = info.context.db
    if phone:
        try:
            digits = canonical_phone(phone)
        except BadValue as e:
            raise invalid(e.message, "phone") from None
        people = await lookup.residents_by_phone(db, info.context.platform.cipher.lookup_hash(digits), project,
                                                 archive_projects(info))
        places = await lookup.current_units_of(db, people)
    else:
        if project is None:
            raise invalid("按房号查找须指定项目。Looking up by flat needs projectId.", "projectId")
        places = await lookup.units_by_flat(db, project, required_flat_query(flat or "", "flat"))
        people = await lookup.current_occupants_of(db, places)
    return CallerLookup(residents=[Resident.from_row(r) for r in people], units=[Unit.from_row(u) for u in places])


@strawberry.type(description="查看记录 One reveal of a resident's personal data: who, when, which field and why.")
class PersonalDataReveal:
    resident_id: strawberry.Private[UUID]
    case_id_: strawberry.Private[UUID | None]
    at: datetime
    actor: str = strawberry.field(description="Who revealed it: user:<id> or api_key:<id>.")
    actor_name: str | None = strawberry.field(description="The user's display name, when a user did.")
    field: RevealFieldType
    reason: str

    @strawberry.field
    async def resident(self, info: Info) -> Resident | None:
        return await load_resident(info, self.resident_id)

    @strawberry.field(description="The case named with the reveal (the assignee's rule), if any.")
    def case_id(self) -> strawberry.ID | None:
        return strawberry.ID(to_global_id("Case", self.case_id_)) if self.case_id_ else None

    @classmethod
    def from_row(cls, row: Row) -> PersonalDataReveal:
        return cls(resident_id=row.resident_id, case_id_=row.case_id, at=row.at, actor=row.actor,
                   actor_name=row.actor_name, field=RevealField(row.field), reason=row.reason or "")


def _after(after: str | None) -> int | None:
    cursor = decode_cursor(after)
    if cursor is None:
        return None
    # ASCII digits only ('²' is a digit to isdigit) and within a bigint.
    if not (cursor.isascii() and cursor.isdigit() and len(cursor) <= 18):
        raise invalid("游标 after 无效，须为本接口给出的游标。after is not a cursor this API gave out.", "after")
    return int(cursor)


async def personal_data_reveals(info: Info, project_id: strawberry.ID, resident_id: strawberry.ID | None,
                                first: int | None, after: str | None) -> Connection[PersonalDataReveal]:
    project = await required_project_in_reach(info, project_id)
    if not info.context.require().can(Permission.AUDIT_READ, project):
        raise DomainError(ErrorCode.FORBIDDEN, f"您无权查看该项目的查看记录。This needs the permission "
                                               f"{Permission.AUDIT_READ.value} on the project.")
    resident = from_global_id(resident_id, "Resident", "residentId") if resident_id else None
    limit = page_size(first)
    rows = await reveals_page(info.context.db, project, resident, _after(after), limit + 1)
    edges = [Edge(cursor=encode_cursor(str(r.id)), node=PersonalDataReveal.from_row(r)) for r in rows[:limit]]
    return Connection(edges=edges, total_count=rows[0].total if rows else 0,
                      page_info=PageInfo(has_next_page=len(rows) > limit, end_cursor=edges[-1].cursor if edges else None))
