"""Root query fields. Row-level security scopes every read to the caller's company and projects."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry

from api.context import Info
from api.graphql.permissions import Requires, RequiresAny
from api.graphql.queries_archive import ArchiveQueries
from api.graphql.queries_fee_reminders import FeeReminderQueries
from api.graphql.queries_calls import CallQueries
from api.graphql.queries_fees import FeeQueries
from api.graphql.queries_handover import HandoverQueries
from api.graphql.queries_centre import CentreQueries, HazardQueries
from api.graphql.queries_patrols import PatrolQueries
from api.graphql.queries_people import PeopleQueries
from api.graphql.queries_surveys import SurveyQueries
from api.graphql.types.survey import campaign as survey_campaign
from api.graphql.reach import case_in_reach, project_in_reach
from api.graphql.types.archive import load_building, load_unit
from api.graphql.types.fees import bill_node, bill_run_node, charge_item_node, payment_node
from api.graphql.types.resident import load_resident
from api.graphql.types.belongings import (
    parking_space_node, pet_node,
    vehicle_node,
)
from api.graphql.types.archive_import import archive_import
from api.graphql.types.alert import Alert, AlertSettingsType, alert, alerts, settings_of
from api.graphql.types.bulletin import Bulletin, BulletinState, Circular, bulletin, bulletins, circulars
from api.graphql.types.case import Case, CaseCategory, CaseKindType
from api.graphql.types.category import case_categories
from api.graphql.types.case_counts import CaseCounts, case_counts
from api.graphql.types.case_list import CaseFilter, CaseOrderType, case_connection
from api.graphql.types.dead_letter import DeadLetter, dead_letters
from api.graphql.types.decision_feedback import (
    DecisionFeedbackCandidate, DecisionFeedbackItem, DecisionFeedbackStatus, DecisionFeedbackSummary, decision_feedback_item,
    decision_feedback_items, decision_feedback_summary, feedback_candidates,
)
from api.graphql.types.delivery import Delivery, DeliveryChannel, deliveries, delivery_channels
from api.graphql.types.delivery import DeliveryPurpose, delivery, delivery_log
from api.graphql.types.gov_order import (
    GovBridge, GovCityDeadline, GovOrder, GovOrderStatus, gov_bridges, gov_city_deadlines, gov_integrations, gov_order, gov_orders,
)
from api.graphql.types.gov_rates import GovOrderRates, gov_order_rates
from api.graphql.types.inspection import Inspection, InspectionChecklist, checklist, checklists, inspection, inspections
from api.graphql.types.notification import Inbox, inbox
from api.graphql.types.hazard import hazard
from api.graphql.types.sweep import sweep
from api.graphql.types.improvement import improvement_action
from api.graphql.types.handover import shift_log, shift_log_entry
from api.graphql.types.knowledge import knowledge_article
from api.graphql.types.calls import call_record
from api.graphql.types.patrol import patrol_plan, patrol_point, patrol_route, patrol_run, patrol_visit
from api.graphql.types.notice import Notice, NoticeKind, NoticeState, notice, notice_connection
from api.graphql.types.overview import OrgOverview, org_overview
from api.graphql.types.kpi_drilldown import KpiDimension, KpiGrain, KpiPoint, KpiSlice, kpi_breakdown, kpi_series
from api.graphql.types.scorecard import KpiWeights, Scorecard, scorecards, weights
from api.graphql.types.progress import CaseProgress, case_progress
from api.graphql.types.resident_self import ResidentSelf, resident_self
from api.graphql.types.review import CaseReview, ReviewVerdict, SharedLesson, case_review, case_reviews, shared_lessons
from api.graphql.types.review import review_node
from api.graphql.types.sla_policy import (
    CalendarDay, EscalationLadder, OverdueCase, SlaPolicy, calendar_days, calendar_gaps, escalation_ladder, overdue_cases,
    sla_policies,
)
from api.graphql.types.roster import DispatchProposal, DutyShift, dispatch_proposals, duty_roster
from api.graphql.types.written_reply import WrittenReply, written_replies
from api.graphql.types.outside_body import OutsideBody, outside_bodies, outside_body
from api.graphql.types.referral import Referral, ReferralStatus, case_referrals, referral, referrals
from api.graphql.types.timeline import TimelineEntry, case_timeline
from api.graphql.types.actor import api_key
from api.graphql.types.node import Connection, Node, from_global_id, parse_global_id, to_global_id
from api.graphql.types.organization import Organization, project_connection
from api.graphql.types.project import Project
from api.graphql.types.viewer import User, Viewer
from domain.cases.queue import WORKING_STATES
from domain.directory import reads as directory
from domain.errors import not_found
from domain.kpi.month import WEIGHT_NAMES
from tenants.roles import Permission

# Further types node(id) resolves: the permission their own field needs, and its fetcher.
_NODES = {
    "Alert": (Permission.CASE_READ, alert),
    "ArchiveImport": (Permission.ARCHIVE_IMPORT, archive_import),
    "ApiKey": (Permission.API_KEY_MANAGE, api_key),
    "Bill": (Permission.FEE_READ, bill_node),
    "BillRun": (Permission.FEE_READ, bill_run_node),
    "Building": (Permission.PROJECT_READ, load_building),
    "ChargeItem": (Permission.FEE_READ, charge_item_node),
    "Payment": (Permission.FEE_READ, payment_node),
    "Bulletin": (Permission.PROJECT_READ, bulletin),
    "CaseReview": (Permission.CASE_READ, review_node),
    "DecisionFeedbackItem": (Permission.CASE_READ, decision_feedback_item),
    "Delivery": (Permission.CHANNEL_MANAGE, delivery),
    "GovOrder": (Permission.CASE_READ, gov_order),
    "Inspection": (Permission.PROJECT_READ, inspection),
    "InspectionChecklist": (Permission.PROJECT_READ, checklist),
    "KnowledgeArticle": (Permission.PROJECT_READ, knowledge_article),
    "ImprovementAction": (Permission.PROJECT_READ, improvement_action),
    "Hazard": (Permission.PROJECT_READ, hazard),
    "Sweep": (Permission.PROJECT_READ, sweep),
    "ShiftLog": (Permission.PROJECT_READ, shift_log),
    "ShiftLogEntry": (Permission.PROJECT_READ, shift_log_entry),
    "Notice": (Permission.PROJECT_READ, notice),
    "OutsideBody": (Permission.CASE_READ, outside_body),
    "ParkingSpace": (Permission.ARCHIVE_READ, parking_space_node),
    "CallRecord": (Permission.PROJECT_READ, call_record),
    "PatrolPlan": (Permission.PROJECT_READ, patrol_plan),
    "PatrolPoint": (Permission.PROJECT_READ, patrol_point),
    "PatrolRoute": (Permission.PROJECT_READ, patrol_route),
    "PatrolRun": (Permission.PROJECT_READ, patrol_run),
    "PatrolVisit": (Permission.PROJECT_READ, patrol_visit),
    "Pet": (Permission.ARCHIVE_READ, pet_node),
    "Referral": (Permission.CASE_READ, referral),
    "Resident": (Permission.ARCHIVE_READ, load_resident),
    "SurveyCampaign": (Permission.SURVEY_READ, survey_campaign),
    "Unit": (Permission.PROJECT_READ, load_unit),
    "Vehicle": (Permission.ARCHIVE_READ, vehicle_node),
}


@strawberry.type
class Query(ArchiveQueries, FeeQueries, FeeReminderQueries, SurveyQueries, CentreQueries, PatrolQueries, HandoverQueries,
            CallQueries, PeopleQueries, HazardQueries):
    @strawberry.field(permission_classes=[RequiresAny(Permission.ORG_READ, Permission.RESIDENT_SELF)],
                      description="Who is calling: a user, an integrator's key, or a resident (kind RESIDENT, who holds "
                                  "RESIDENT_SELF in their one project).")
    async def viewer(self, info: Info) -> Viewer:
        p = info.context.require()
        user = None
        if p.kind == "user":
            row = await info.context.loaders.user_by_id.load(p.id)
            user = User.from_row(row) if row else None
        return Viewer.of(p, user)

    @strawberry.field(permission_classes=[Requires(Permission.RESIDENT_SELF)],
                      description="住户本人 (resident tokens only) The signed-in resident's profile, flats and cases.")
    def resident_self(self, info: Info) -> ResidentSelf:
        return resident_self(info)

    @strawberry.field(permission_classes=[Requires(Permission.ORG_READ)], description="The caller's company.")
    async def organization(self, info: Info) -> Organization:
        row = await directory.organization(info.context.db)
        if row is None:
            raise not_found("The organization", zh="企业")
        return Organization.from_row(row)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)], description="Projects the caller may see.")
    async def projects(self, info: Info, first: int | None = 20, after: str | None = None) -> Connection[Project]:
        return await project_connection(info, first, after)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)], description="One project, or null if not visible.")
    async def project(self, info: Info, id: strawberry.ID) -> Project | None:
        row = await directory.project(info.context.db, from_global_id(id, "Project"))
        return Project.from_row(row) if row else None

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)], description="One case, or null if not visible.")
    async def case(self, info: Info, id: strawberry.ID) -> Case | None:
        row = await info.context.loaders.case_by_id.load(from_global_id(id, "Case"))
        return Case.from_row(row) if row else None

    @strawberry.field(permission_classes=[Requires(Permission.ORG_READ)],
                      description="工单类别 The company's case categories, in their order: the codes registerCase takes. "
                                  "With a kind, those that apply to it; archived ones only when asked.")
    async def case_categories(self, info: Info, kind: CaseKindType | None = None,
                              include_archived: bool = False) -> list[CaseCategory]:
        return await case_categories(info, kind, include_archived)

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)],
                      description="Cases the caller may see, newest first unless orderBy says otherwise.")
    async def cases(self, info: Info, filter: CaseFilter | None = None, first: int | None = 20,
                    after: str | None = None, order_by: CaseOrderType = CaseOrderType.RECEIVED_NEWEST) -> Connection[Case]:
        return await case_connection(info, filter, first, after, order_by)

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)],
                      description="工作台 The queue's tab counts over the caller's projects, or one project of theirs "
                                  "(NOT_FOUND for one out of reach).")
    async def case_counts(self, info: Info, project_id: strawberry.ID | None = None) -> CaseCounts:
        return await case_counts(info, await project_in_reach(info, project_id))

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)],
                      description="A case's history, oldest first; NOT_FOUND if not visible.")
    async def case_timeline(self, info: Info, case_id: strawberry.ID) -> list[TimelineEntry]:
        return await case_timeline(info, await case_in_reach(info, case_id))

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)],
                      description="进度 The resident's view of a case (what an owner app shows); null if not visible.")
    async def case_progress(self, info: Info, case_id: strawberry.ID) -> CaseProgress | None:
        return await case_progress(info, from_global_id(case_id, "Case", "caseId"))

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)],
                      description="书面答复 A case's written replies, newest version first.")
    async def written_replies(self, info: Info, case_id: strawberry.ID) -> list[WrittenReply]:
        return await written_replies(info, await case_in_reach(info, case_id))

    @strawberry.field(permission_classes=[Requires(Permission.CASE_WORK)], description="我的工单 Open cases assigned to the caller.")
    async def my_queue(self, info: Info, first: int | None = 20, after: str | None = None,
                       order_by: CaseOrderType = CaseOrderType.RECEIVED_NEWEST) -> Connection[Case]:
        p = info.context.require()
        mine = CaseFilter(assignee_id=to_global_id("User", p.id), states=list(WORKING_STATES))
        return await case_connection(info, mine, first, after, order_by)

    @strawberry.field(permission_classes=[Requires(Permission.STAFF_READ)],
                      description="值班表 A project's shifts overlapping [from, to), at most 31 days.")
    async def duty_roster(self, info: Info, project_id: strawberry.ID, from_: Annotated[datetime, strawberry.argument(name="from")],
                          to: datetime) -> list[DutyShift]:
        return await duty_roster(info, await project_in_reach(info, project_id), from_, to)

    @strawberry.field(permission_classes=[Requires(Permission.CASE_DISPATCH)],
                      description="派单建议 Who is on duty now for this case, best first; "
                                  "empty: nobody — dispatching to whoever is on duty then escalates.")
    async def dispatch_proposals(self, info: Info, case_id: strawberry.ID) -> list[DispatchProposal]:
        return await dispatch_proposals(info, await case_in_reach(info, case_id))

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)],
                      description="超时工单 Overdue cases (as Case.overdue says), most overdue first, across the caller's projects.")
    async def overdue_cases(self, info: Info, project_id: strawberry.ID | None = None, first: int = 50) -> list[OverdueCase]:
        return await overdue_cases(info, await project_in_reach(info, project_id), first)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="时效标准 The policy matrix in force: a project's (its overrides over the company's), or the company's.")
    async def sla_policies(self, info: Info, project_id: strawberry.ID | None = None) -> list[SlaPolicy]:
        return await sla_policies(info, await project_in_reach(info, project_id))

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)], description="升级阶梯 The company's escalation ladder.")
    async def escalation_ladder(self, info: Info) -> EscalationLadder:
        return await escalation_ladder(info)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)], description="节假日 Days the company entered for a year.")
    async def calendar_days(self, info: Info, year: int) -> list[CalendarDay]:
        return await calendar_days(info, year)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="Years a deadline needed and no holiday calendar covers: enter their days.")
    async def calendar_gaps(self, info: Info) -> list[int]:
        return await calendar_gaps(info)

    @strawberry.field(permission_classes=[Requires(Permission.ORG_READ)], description="站内通知 The caller's inbox, newest first.")
    async def notifications(self, info: Info, unread_only: bool = False, first: int = 20) -> Inbox:
        return await inbox(info, unread_only, first)

    @strawberry.field(permission_classes=[Requires(Permission.CHANNEL_MANAGE)], description="通知渠道 The company's delivery channels.")
    async def delivery_channels(self, info: Info) -> list[DeliveryChannel]:
        return await delivery_channels(info)

    @strawberry.field(permission_classes=[Requires(Permission.CHANNEL_MANAGE)],
                      description="投递记录 A channel's deliveries, newest first.")
    async def deliveries(self, info: Info, channel_id: strawberry.ID, first: int = 50) -> list[Delivery]:
        return await deliveries(info, from_global_id(channel_id, "DeliveryChannel", "channelId"), first)

    @strawberry.field(permission_classes=[Requires(Permission.CHANNEL_MANAGE)],
                      description="投递日志 Every delivery — to channels, outside bodies and 12345 bridges — newest first.")
    async def delivery_log(self, info: Info, purpose: DeliveryPurpose | None = None, status: str | None = None,
                           topic: str | None = None, project_id: strawberry.ID | None = None, first: int = 50) -> list[Delivery]:
        project = await project_in_reach(info, project_id)
        return await delivery_log(info, purpose=purpose, status=status, topic=topic, project_id=project, first=first)

    @strawberry.field(permission_classes=[Requires(Permission.EVENTS_MANAGE)],
                      description="死信 Events consumers gave up on, newest first.")
    async def dead_letters(self, info: Info, include_retried: bool = False, first: int = 50) -> list[DeadLetter]:
        return await dead_letters(info, include_retried, first)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="总部看板 Every project the caller may see: open, overdue, breaches today and this month's figures.")
    async def org_overview(self, info: Info, month: date | None = None) -> OrgOverview:
        return await org_overview(info, month)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="钻取 A month's figures by category, kind or building, over the caller's projects or one of them.")
    async def kpi_breakdown(self, info: Info, by: KpiDimension, month: date | None = None,
                            project_id: strawberry.ID | None = None) -> list[KpiSlice]:
        return await kpi_breakdown(info, month, by, await project_in_reach(info, project_id))

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="趋势 The figures day by day or month by month (inclusive range), over the caller's projects or one.")
    async def kpi_series(self, info: Info, from_: Annotated[date, strawberry.argument(name="from")], to: date,
                         grain: KpiGrain = KpiGrain.DAY, project_id: strawberry.ID | None = None) -> list[KpiPoint]:
        return await kpi_series(info, from_, to, grain, await project_in_reach(info, project_id))

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="月度考评 Every project's month scored, best first (headquarters: every project of the company).")
    async def scorecards(self, info: Info, month: date | None = None) -> list[Scorecard]:
        return await scorecards(info, month)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)], description="考评权重 The company's weights.")
    async def kpi_weights(self, info: Info) -> KpiWeights:
        w = await weights(info)
        return KpiWeights(**{n: getattr(w, n) for n in WEIGHT_NAMES})

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)],
                      description="客情预警 Alerts of the caller's projects, red first, newest first; "
                                  "by state (open, acknowledged, resolved).")
    async def alerts(self, info: Info, state: str | None = "open", first: int = 50) -> list[Alert]:
        return await alerts(info, state, first)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="预警阈值 The company's risk words and thresholds.")
    async def alert_settings(self, info: Info) -> AlertSettingsType:
        return await settings_of(info)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="检查表 The company's inspection checklists, newest first (switched-off ones too unless asked).")
    async def inspection_checklists(self, info: Info, include_inactive: bool = True) -> list[InspectionChecklist]:
        return await checklists(info, None, include_inactive)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="品质检查 Inspections of a Beijing month (this one by default), "
                                  "of one project or all visible, newest first.")
    async def inspections(self, info: Info, project_id: strawberry.ID | None = None, month: date | None = None) -> list[Inspection]:
        return await inspections(info, await project_in_reach(info, project_id), month)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)], description="One inspection, or null if not visible.")
    async def inspection(self, info: Info, id: strawberry.ID) -> Inspection | None:
        return await inspection(info, from_global_id(id, "Inspection"))

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)],
                      description="案例研判 Reviews of the caller's projects, latest first; by project, verdict, shared.")
    async def case_reviews(self, info: Info, project_id: strawberry.ID | None = None, verdict: ReviewVerdict | None = None,
                           shared: bool | None = None, first: int = 50) -> list[CaseReview]:
        return await case_reviews(info, await project_in_reach(info, project_id),
                                  verdict.value if verdict else None, shared, first)

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)], description="案例研判 A case's review, or null if it has none.")
    async def case_review(self, info: Info, case_id: strawberry.ID) -> CaseReview | None:
        return await case_review(info, await case_in_reach(info, case_id))

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)],
                      description="全公司分享 Lessons of reviews shared with every project of the company, latest first.")
    async def shared_lessons(self, info: Info, first: int = 50) -> list[SharedLesson]:
        return await shared_lessons(info, first)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="内部通报 Bulletins of the caller's projects, latest month first (drafts only for publishers).")
    async def bulletins(self, info: Info, project_id: strawberry.ID | None = None, state: BulletinState | None = None,
                        first: int = 50) -> list[Bulletin]:
        return await bulletins(info, await project_in_reach(info, project_id),
                               state.value if state else None, first)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="通知公告 A project's notices to residents, newest first (drafts and pending ones only for "
                                  "its drafters and approvers). One notice: node(id).")
    async def notices(self, info: Info, project_id: strawberry.ID, state: NoticeState | None = None, kind: NoticeKind | None = None,
                      first: int | None = 20, after: str | None = None) -> Connection[Notice]:
        return await notice_connection(info, project_id, state.value if state else None, kind.value if kind else None, first, after)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)], description="内部通报 One bulletin, or null if not visible.")
    async def bulletin(self, info: Info, id: strawberry.ID) -> Bulletin | None:
        return await bulletin(info, from_global_id(id, "Bulletin"))

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="全公司通报 Bulletins about other projects circulated to the caller's, newest first.")
    async def circulars(self, info: Info, first: int = 50) -> list[Circular]:
        return await circulars(info, first)

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)],
                      description="外部单位 A project's outside bodies, by kind and name (switched-off ones too).")
    async def outside_bodies(self, info: Info, project_id: strawberry.ID) -> list[OutsideBody]:
        return await outside_bodies(info, await project_in_reach(info, project_id))

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)],
                      description="转办 Referrals of the caller's projects (or one), newest first; by status.")
    async def referrals(self, info: Info, project_id: strawberry.ID | None = None, status: ReferralStatus | None = None,
                        first: int = 50) -> list[Referral]:
        return await referrals(info, await project_in_reach(info, project_id), status, first)

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)], description="转办 A case's referrals, newest first.")
    async def case_referrals(self, info: Info, case_id: strawberry.ID) -> list[Referral]:
        return await case_referrals(info, await case_in_reach(info, case_id))

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)],
                      description="决策反馈候选 A Beijing month's recurring out-of-remit problems (referred, returned by 12345, "
                                  "declined) by project, case category and outside body, most cases first.")
    async def decision_feedback_candidates(self, info: Info, project_id: strawberry.ID | None = None, month: date | None = None,
                                           min_cases: int = 3) -> list[DecisionFeedbackCandidate]:
        return await feedback_candidates(info, await project_in_reach(info, project_id),
                                         month, min_cases)

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)],
                      description="决策反馈 Items of the caller's projects (headquarters: every project), newest first; by status.")
    async def decision_feedback(self, info: Info, project_id: strawberry.ID | None = None,
                                status: DecisionFeedbackStatus | None = None, first: int = 50) -> list[DecisionFeedbackItem]:
        return await decision_feedback_items(info, await project_in_reach(info, project_id),
                                             status, first)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="决策反馈汇总 Items by status per project and in total, with the oldest open item's age.")
    async def decision_feedback_summary(self, info: Info) -> DecisionFeedbackSummary:
        return await decision_feedback_summary(info)

    @strawberry.field(permission_classes=[Requires(Permission.GOV_BRIDGE_MANAGE)],
                      description="12345 热线对接 A project's 12345 bridges, oldest first (their secrets are never shown).")
    async def gov_integrations(self, info: Info, project_id: strawberry.ID) -> list[GovBridge]:
        return await gov_integrations(info, project_id)

    @strawberry.field(permission_classes=[Requires(Permission.GOV_BRIDGE_MANAGE)],
                      description="12345 对接 Bridges of the caller's projects (or one), oldest first; secrets are never shown.",
                      deprecation_reason="Use govIntegrations, one project's as for the other signed integrations; "
                                         "this one keeps working.")
    async def gov_bridges(self, info: Info, project_id: strawberry.ID | None = None) -> list[GovBridge]:
        return await gov_bridges(info, await project_in_reach(info, project_id))

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)],
                      description="12345 工单 Orders of the caller's projects (or one), newest first; by status.")
    async def gov_orders(self, info: Info, project_id: strawberry.ID | None = None, status: GovOrderStatus | None = None,
                         first: int = 50) -> list[GovOrder]:
        return await gov_orders(info, await project_in_reach(info, project_id), status, first)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="城市时限 12345 deadlines the company set per city; with a city, all four urgencies as they apply there.")
    async def gov_city_deadlines(self, info: Info, city: str | None = None) -> list[GovCityDeadline]:
        return await gov_city_deadlines(info, city)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="12345 三率 A Beijing month's response, resolution and satisfaction rates: one project, or every "
                                  "project the caller sees and the total.")
    async def gov_order_rates(self, info: Info, project_id: strawberry.ID | None = None, month: date | None = None) -> GovOrderRates:
        return await gov_order_rates(info, await project_in_reach(info, project_id), month)

    @strawberry.field(permission_classes=[Requires(Permission.ORG_READ)], description="Any object by global id.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        type_name, value = parse_global_id(id)
        if type_name == "Project":
            row = await directory.project(info.context.db, value)
            return Project.from_row(row) if row else None
        if type_name == "Organization":
            row = await directory.organization(info.context.db)
            return Organization.from_row(row) if row and row.org_id == value else None
        if type_name == "Case":
            info.context.require(Permission.CASE_READ)
            row = await info.context.loaders.case_by_id.load(value)
            return Case.from_row(row) if row else None
        if type_name == "User":
            row = await info.context.loaders.user_by_id.load(value)
            return User.from_row(row) if row else None
        if type_name in _NODES:
            permission, fetch = _NODES[type_name]
            info.context.require(permission)
            return await fetch(info, value)
        return None
