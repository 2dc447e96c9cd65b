"""客情预警 Early-warning alerts and the company's thresholds."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.actor import Actor, actor_of
from api.graphql.types.case import Case
from api.graphql.types.node import Node, to_global_id
from domain.alerts.reads import alert_row, alert_rows, alert_settings
from domain.alerts.repository import SETTING_NAMES
from domain.errors import invalid
from domain.reads import Row

RULE_LABELS = {"skip_level": "越级投诉 Skip-level complaint", "risk_words": "风险词 Risk words",
               "cluster": "群发诉求 Cluster", "repeat_complainant": "重复投诉 Repeat complainant",
               "sla_breach": "超时率 SLA breach rate", "satisfaction": "满意度 Satisfaction",
               "collection": "收费率下滑 Collection falling", "hazard": "重大隐患 Major hazard"}
COLOUR_LABELS = {"yellow": "黄色 Yellow", "orange": "橙色 Orange", "red": "红色 Red"}


@strawberry.type(description="预警 An early-warning alert: one per rule and scope while open.")
class Alert(Node):
    rule: str = strawberry.field(description="skip_level, risk_words, cluster, repeat_complainant, sla_breach, satisfaction, "
                                             "collection or hazard")
    colour: str = strawberry.field(description="yellow, orange or red")
    title: str
    detail: str
    case_ids: list[strawberry.ID]
    state: str = strawberry.field(description="open, acknowledged or resolved")
    project_id: strawberry.ID
    opened_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None = strawberry.field(description="user:<id> or api_key:<id>", deprecation_reason="Use acknowledger.")
    resolved_at: datetime | None
    resolved_by: str | None = strawberry.field(description="user:<id> or api_key:<id>", deprecation_reason="Use resolver.")
    resolution_note: str | None
    case_uuids: strawberry.Private[tuple[UUID, ...]] = ()

    @strawberry.field(description="工单 The alert's cases the caller may see, in the alert's order. Loaded together "
                                  "with every other alert's of the same request.")
    async def cases(self, info: Info) -> list[Case]:
        rows = await info.context.loaders.case_by_id.load_many(list(self.case_uuids))
        return [Case.from_row(r) for r in rows if r is not None]

    @strawberry.field(description="签收人 Who acknowledged it (also whoever resolved it without acknowledging first).")
    async def acknowledger(self, info: Info) -> Actor | None:
        return await actor_of(info, self.acknowledged_by) if self.acknowledged_by else None

    @strawberry.field(description="办结人 Who resolved it.")
    async def resolver(self, info: Info) -> Actor | None:
        return await actor_of(info, self.resolved_by) if self.resolved_by else None

    @strawberry.field
    def rule_label(self) -> str:
        return RULE_LABELS[self.rule]

    @strawberry.field
    def colour_label(self) -> str:
        return COLOUR_LABELS[self.colour]

    @classmethod
    def from_row(cls, r: Row) -> Alert:
        return cls(id=to_global_id("Alert", r.id), rule=r.rule, colour=r.colour, title=r.title, detail=r.detail,
                   case_ids=[to_global_id("Case", c) for c in r.case_ids], state=r.state, project_id=to_global_id("Project", r.project_id),
                   opened_at=r.opened_at, acknowledged_at=r.acknowledged_at, acknowledged_by=r.acknowledged_by,
                   resolved_at=r.resolved_at, resolved_by=r.resolved_by, resolution_note=r.resolution_note,
                   case_uuids=tuple(r.case_ids))


@strawberry.type(description="预警阈值 The company's early-warning settings.")
class AlertSettingsType:
    risk_words: list[str]
    cluster_orange: int
    cluster_red: int
    cluster_hours: int
    repeat_complaints: int
    repeat_days: int
    repeat_reopenings: int = strawberry.field(description="reopenings of one case that make its resident a repeat complainant")
    breach_orange: float = strawberry.field(description="share of a project's cases past a due time (L1 timer) that is orange")
    breach_red: float
    breach_days: int
    breach_min_cases: int = strawberry.field(description="no breach-rate verdict on fewer cases in the window")
    satisfaction_target: float
    satisfaction_min_visits: int = strawberry.field(description="no satisfaction verdict on fewer return visits in the month")
    satisfaction_drop: float = strawberry.field(description="a fall from last month's rate that is orange (0.10 = 10 points)")
    collection_target: float = strawberry.field(
        default=0.90, description="收缴率目标 a closed month's month-end collection rate under this is yellow")
    collection_drop: float = strawberry.field(
        default=0.05, description="a fall from last month's month-end rate that is orange (twice it, red; 0.05 = 5 points)")
    collection_min_bills: int = strawberry.field(default=20, description="no collection verdict on fewer bills in the month")


async def alerts(info: Info, state: str | None, first: int) -> list[Alert]:
    if state is not None and state not in ("open", "acknowledged", "resolved"):
        raise invalid("状态 state 只能是 open、acknowledged 或 resolved。state must be open, acknowledged or resolved.", "state")
    if not 1 <= first <= 200:
        raise invalid("数量 first 须在 1 到 200 之间。first must be between 1 and 200.", "first")
    return [Alert.from_row(r) for r in await alert_rows(info.context.db, state, first)]


async def alert(info: Info, alert_id: UUID) -> Alert | None:
    row = await alert_row(info.context.db, alert_id)
    return Alert.from_row(row) if row else None


async def settings_of(info: Info) -> AlertSettingsType:
    s = await alert_settings(info.context.db)
    return AlertSettingsType(**{n: list(s.risk_words) if n == "risk_words" else getattr(s, n) for n in SETTING_NAMES})
