from __future__ import annotations

import strawberry

from api.graphql.types.node import Node, to_global_id
from domain.reads import Row


@strawberry.type(description="员工 A staff member. The phone is shown masked; revealStaffPhone shows it and is audited.")
class Staff(Node):
    name: str
    title: str
    phone_masked: str | None
    active: bool
    department_kind: str | None
    department_name: str | None

    @classmethod
    def from_row(cls, row: Row) -> Staff:
        return cls(
            id=to_global_id("Staff", row.id), name=row.name, title=row.title, phone_masked=row.phone_masked,
            active=row.active, department_kind=row.department_kind, department_name=row.department_name,
        )
