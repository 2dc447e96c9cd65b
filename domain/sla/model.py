"""时效设置 The company's SLA set-up as a thing that changes: policy cells (company defaults and
project overrides), the ladder and the company's own calendar days. Each change is checked here
and records its audit entry; the unit of work writes it at commit. Changes apply to targets
started afterwards; running clocks keep the deadline they were given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.errors import invalid, not_found
from domain.sla.policy import Ladder, Policy, check_ladder, check_policy
from domain.unit_of_work import Aggregate, AuditEntry


@dataclass(kw_only=True)
class SlaSettings(Aggregate):
    org_id: UUID

    def set_policy(self, *, project_id: UUID | None, kind: str, severity: str, policy: Policy, project_found: bool) -> Policy:
        check_policy(policy)
        if not project_found:
            raise not_found("The project", "projectId", zh="项目")
        self.audit.append(AuditEntry(action="sla.policy_set", entity="sla_policy", entity_id=None, project_id=project_id,
                                     data={"kind": kind, "severity": severity, "clock": policy.clock.value,
                                           "minutes": [policy.commit, policy.arrive, policy.resolve, policy.visit]}))
        return policy

    def override_removed(self, *, project_id: UUID, kind: str, severity: str, found: bool) -> None:
        if not found:
            raise not_found("An override for this project, kind and severity", "projectId", zh="此项目、类型和级别的单独时限规则")
        self.audit.append(AuditEntry(action="sla.override_removed", entity="sla_policy", entity_id=None, project_id=project_id,
                                     data={"kind": kind, "severity": severity}))

    def set_ladder(self, ladder: Ladder) -> Ladder:
        check_ladder(ladder)
        self.audit.append(AuditEntry(action="sla.ladder_set", entity="sla_ladder", entity_id=None,
                                     data={"percent": [ladder.remind, ladder.l1, ladder.l2, ladder.l3]}))
        return ladder

    def set_day(self, *, day: date, working: bool, name: str) -> str:
        """The day's name, trimmed."""
        name = (name or "").strip()
        if not 1 <= len(name) <= 50:
            raise invalid("请填写日期名称（1 到 50 个字符），例如春节或春节调休。"
                          "Name the day (1–50 characters), e.g. 春节 or 春节调休.", "name")
        if not 2000 <= day.year <= 2100:
            raise invalid("日期须在 2000 到 2100 年之间。The day must fall between 2000 and 2100.", "day")
        self.audit.append(AuditEntry(action="calendar.day_set", entity="calendar_day", entity_id=None,
                                     data={"day": day.isoformat(), "working": working, "name": name}))
        return name

    def day_removed(self, *, day: date, found: bool) -> None:
        if not found:
            raise not_found("That calendar day", "day", zh="该日历日")
        self.audit.append(AuditEntry(action="calendar.day_removed", entity="calendar_day", entity_id=None,
                                     data={"day": day.isoformat()}))
