"""Roles and what they may do: the one table of role → permissions (DESIGN §2)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ORG_ADMIN = "org_admin"
    HQ_SUPERVISOR = "hq_supervisor"
    HQ_QUALITY = "hq_quality"
    PROJECT_MANAGER = "project_manager"
    CS_SUPERVISOR = "cs_supervisor"
    CS_AGENT = "cs_agent"
    DISPATCHER = "dispatcher"
    TECHNICIAN = "technician"
    STAFF = "staff"


# Headquarters roles span every project of the company; the others belong to one project.
ORG_WIDE_ROLES = frozenset({Role.ORG_ADMIN, Role.HQ_SUPERVISOR, Role.HQ_QUALITY})

ROLE_LABELS: dict[Role, str] = {
    Role.ORG_ADMIN: "企业管理员 Organization admin",
    Role.HQ_SUPERVISOR: "总部督导 HQ supervisor",
    Role.HQ_QUALITY: "总部品质 HQ quality",
    Role.PROJECT_MANAGER: "项目经理 Project manager",
    Role.CS_SUPERVISOR: "客服主管 CS supervisor",
    Role.CS_AGENT: "客服专员 CS agent",
    Role.DISPATCHER: "调度员 Dispatcher",
    Role.TECHNICIAN: "维修工 Technician",
    Role.STAFF: "员工 Staff",
}


class Permission(StrEnum):
    ORG_READ = "org:read"
    PROJECT_READ = "project:read"
    PROJECT_CREATE = "project:create"
    PROJECT_UPDATE = "project:update"
    STAFF_READ = "staff:read"
    STAFF_MANAGE = "staff:manage"
    USER_MANAGE = "user:manage"
    ROLE_ASSIGN = "role:assign"
    API_KEY_MANAGE = "api_key:manage"
    AUDIT_READ = "audit:read"
    # Unmasked phone and ID numbers; every such read is audited.
    PERSONAL_DATA_READ = "personal_data:read"
    CASE_READ = "case:read"
    CASE_CREATE = "case:create"  # any staff member, on any channel (首问)
    CASE_COMMIT = "case:commit"  # promise the resident a deadline, link a repeat: whoever takes the call
    CASE_DISPATCH = "case:dispatch"  # dispatch, report undispatchable, request a decline, miss a promise, cancel
    CASE_WORK = "case:work"  # accept, start, pause, resume, resolve what one is assigned
    CASE_FOLLOW_UP = "case:follow_up"  # the resident's confirmation or rejection, return visits
    CASE_SUPERVISE = "case:supervise"  # approve or deny declines, loosen commitments, cancel
    ROSTER_MANAGE = "roster:manage"  # plan who is on duty
    ALERT_HANDLE = "alert:handle"  # acknowledge and resolve early-warning alerts
    EVALUATION_MANAGE = "evaluation:manage"  # the weights of the monthly evaluation
    EVENTS_MANAGE = "events:manage"  # dead letters: see them, send them again
    CHANNEL_MANAGE = "channel:manage"  # where notifications are delivered (webhooks, e-mail, group robots)
    SLA_MANAGE = "sla:manage"  # policies and ladder (company-wide: defaults; on a project: its overrides), calendar days
    INSPECTION_MANAGE = "inspection:manage"  # HQ quality inspections: checklists, inspections, findings (品质检查)
    REVIEW_MANAGE = "review:manage"  # mark representative cases with root cause and lessons (案例研判)
    BULLETIN_PUBLISH = "bulletin:publish"  # internal bulletins praising or criticising departments (内部通报)
    OUTSIDE_BODY_MANAGE = "outside_body:manage"  # a project's register of outside bodies (外部单位)
    CASE_REFER = "case:refer"  # refer a case to an outside body, record its answer, withdraw (转办)
    GOV_BRIDGE_MANAGE = "gov_bridge:manage"  # 12345 bridges and each city's deadlines
    GOV_ORDER_ANSWER = "gov_order:answer"  # answer a 12345 order back: progress, result, not within our remit
    DECISION_FEEDBACK_MANAGE = "decision_feedback:manage"  # report and advance decision feedback (决策反馈)
    CATEGORY_MANAGE = "category:manage"  # the company's case categories: add, rename, archive (工单类别)
    ARCHIVE_READ = "archive:read"  # the property archive's people and their stays, masked (档案)
    ARCHIVE_MANAGE = "archive:manage"  # create and edit buildings, flats, residents, move in and out
    ARCHIVE_IMPORT = "archive:import"  # load the archive from Excel
    PERSONAL_DATA_ERASE = "personal_data:erase"  # erase a resident's personal data on request (PIPL)
    # An integrator's backend vouches for a person and exchanges its key for their resident token (住户登录).
    RESIDENT_SIGN_IN = "resident:sign_in"
    # What a resident token holds, and nothing else: the resident's own calls (住户本人).
    RESIDENT_SELF = "resident:self"
    FEE_READ = "fee:read"  # bills, payments, arrears (查看收费)
    FEE_MANAGE = "fee:manage"  # charge items, rates, overrides, bill runs, one-off charges (收费设置)
    FEE_COLLECT = "fee:collect"  # record payments at the desk (收款)
    FEE_ADJUST = "fee:adjust"  # reverse payments, waive and cancel bills (减免冲正)
    FEE_IMPORT = "fee:import"  # load opening balances from Excel (导入期初)
    NOTICE_DRAFT = "notice:draft"  # draft, edit and submit notices to residents (通知公告)
    NOTICE_PUBLISH = "notice:publish"  # approve, return and withdraw notices (审核发布)
    # Standard wordings and answers (统一话术 / 知识库): company-wide for headquarters' own, on a project for its own.
    KNOWLEDGE_MANAGE = "knowledge:manage"
    IMPROVEMENT_RAISE = "improvement:raise"  # raise corrective actions and complete them for their owners (持续改进)
    IMPROVEMENT_VERIFY = "improvement:verify"  # verify or return a completed corrective action (总部验证)
    HANDOVER_WRITE = "handover:write"  # shift logs, open items, handover acknowledgements (交接班)
    SURVEY_READ = "survey:read"  # satisfaction survey campaigns and their results (查看调查结果)
    # Company-wide: the company's questionnaires and any campaign; on a project: its campaigns (问卷与调查活动).
    SURVEY_MANAGE = "survey:manage"
    SURVEY_CONDUCT = "survey:conduct"  # enter a sampled flat's answers taken by phone, visit or on paper (录入调查)
    PATROL_MANAGE = "patrol:manage"  # patrol routes, points (their QR codes) and plans (巡查路线与计划)
    PATROL_RECORD = "patrol:record"  # walk a run: start, record visits at its points, finish (巡查打卡)
    CALLS_MANAGE = "calls:manage"  # telephony integrations: add, rotate their secret, switch (话务对接)
    KPI_STAFFING = "kpi:staffing"  # a project's monthly headcount and costs (人员与成本)
    HAZARD_REPORT = "hazard:report"  # report a hazard seen on the estate (隐患上报)
    HAZARD_MANAGE = "hazard:manage"  # assign a hazard's owner and deadline, record its rectification for them (隐患整改)
    HAZARD_VERIFY = "hazard:verify"  # verify a rectification, or accept a hazard's risk (隐患验证)
    SWEEP_MANAGE = "sweep:manage"  # headquarters' dragnet sweeps: create and launch (拉网式排查)
    SWEEP_RECORD = "sweep:record"  # a project's sweep results and their submission (排查登记)


P = Permission
_READ = {P.ORG_READ, P.PROJECT_READ, P.STAFF_READ, P.CASE_READ, P.ARCHIVE_READ, P.FEE_READ, P.SURVEY_READ}
_FRONT_DESK = {P.CASE_CREATE, P.CASE_COMMIT, P.CASE_DISPATCH, P.CASE_FOLLOW_UP}
# Every project role walks the estate (巡访) and reports what it sees there; read-only keys do not.
_PATROL = {P.PATROL_RECORD, P.HAZARD_REPORT}
_SUPERVISE = _FRONT_DESK | {P.CASE_SUPERVISE, P.CASE_WORK, P.ROSTER_MANAGE, P.ALERT_HANDLE, P.CASE_REFER, P.GOV_ORDER_ANSWER,
                             P.DECISION_FEEDBACK_MANAGE}

# Held by resident principals only: in no role, not grantable to a key.
RESIDENT_ONLY = frozenset({P.RESIDENT_SELF})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ORG_ADMIN: frozenset(Permission) - RESIDENT_ONLY,
    # Headquarters takes skip-level calls (hq_hotline): it registers, promises and links repeats.
    Role.HQ_SUPERVISOR: frozenset(_READ | {P.AUDIT_READ, P.CASE_CREATE, P.CASE_COMMIT, P.CASE_FOLLOW_UP, P.ALERT_HANDLE, P.REVIEW_MANAGE,
                                          P.DECISION_FEEDBACK_MANAGE}),
    Role.HQ_QUALITY: frozenset(_READ | {P.AUDIT_READ, P.CASE_CREATE, P.CASE_COMMIT, P.CASE_FOLLOW_UP, P.CASE_SUPERVISE, P.EVALUATION_MANAGE,
                                          P.ALERT_HANDLE, P.INSPECTION_MANAGE, P.REVIEW_MANAGE, P.BULLETIN_PUBLISH,
                                          P.DECISION_FEEDBACK_MANAGE, P.KNOWLEDGE_MANAGE, P.IMPROVEMENT_RAISE,
                                          P.IMPROVEMENT_VERIFY, P.SURVEY_MANAGE, P.HAZARD_VERIFY, P.SWEEP_MANAGE}),
    Role.PROJECT_MANAGER: frozenset(_READ | _SUPERVISE | {P.PROJECT_UPDATE, P.STAFF_MANAGE, P.AUDIT_READ, P.PERSONAL_DATA_READ,
                                                      P.SLA_MANAGE, P.OUTSIDE_BODY_MANAGE, P.GOV_BRIDGE_MANAGE,
                                                      P.ARCHIVE_MANAGE, P.ARCHIVE_IMPORT, P.PERSONAL_DATA_ERASE,
                                                      P.FEE_MANAGE, P.FEE_COLLECT, P.FEE_ADJUST, P.FEE_IMPORT, P.NOTICE_DRAFT,
                                                      P.NOTICE_PUBLISH, P.KNOWLEDGE_MANAGE, P.IMPROVEMENT_RAISE,
                                                      P.SURVEY_MANAGE, P.SURVEY_CONDUCT, P.PATROL_MANAGE, P.HANDOVER_WRITE,
                                                      P.CALLS_MANAGE, P.KPI_STAFFING,
                                                      P.HAZARD_MANAGE, P.HAZARD_VERIFY, P.SWEEP_RECORD} | _PATROL),
    Role.CS_SUPERVISOR: frozenset(_READ | _SUPERVISE | {P.AUDIT_READ, P.PERSONAL_DATA_READ, P.OUTSIDE_BODY_MANAGE,
                                                    P.ARCHIVE_MANAGE, P.ARCHIVE_IMPORT, P.FEE_COLLECT, P.FEE_ADJUST,
                                                    P.NOTICE_DRAFT, P.NOTICE_PUBLISH, P.IMPROVEMENT_RAISE,
                                                    P.SURVEY_MANAGE, P.SURVEY_CONDUCT, P.PATROL_MANAGE, P.HANDOVER_WRITE,
                                                    P.HAZARD_MANAGE, P.HAZARD_VERIFY, P.SWEEP_RECORD} | _PATROL),
    Role.CS_AGENT: frozenset(_READ | _FRONT_DESK | _PATROL | {P.PERSONAL_DATA_READ, P.ARCHIVE_MANAGE, P.FEE_COLLECT,
                                                               P.NOTICE_DRAFT, P.SURVEY_CONDUCT, P.HANDOVER_WRITE}),
    Role.DISPATCHER: frozenset(_READ | _FRONT_DESK | _PATROL | {P.PERSONAL_DATA_READ, P.HANDOVER_WRITE, P.HAZARD_MANAGE}),
    Role.TECHNICIAN: frozenset(_PATROL | {P.ORG_READ, P.PROJECT_READ, P.CASE_READ, P.CASE_CREATE, P.CASE_WORK}),
    Role.STAFF: frozenset(_PATROL | {P.ORG_READ, P.PROJECT_READ, P.CASE_READ, P.CASE_CREATE}),
}

# Integrator keys never manage people, roles or keys.
API_KEY_READ = frozenset(_READ)
# Read-write keys drive intake and the resident's side (owner apps, hotline bridges).
API_KEY_READ_WRITE = frozenset(_READ | {P.PROJECT_UPDATE, P.STAFF_MANAGE, P.CASE_CREATE, P.CASE_FOLLOW_UP})
# What a company may grant a key instead (createApiKey(permissions)), on top of reading: the case
# transitions an integrator drives. Approvals and the assignee's own work stay with people.
# resident:sign_in is granted on purpose only: whoever holds the key may sign in any resident of its projects.
API_KEY_GRANTABLE = frozenset((API_KEY_READ_WRITE - _READ) | {P.CASE_COMMIT, P.CASE_DISPATCH, P.CASE_REFER, P.ARCHIVE_MANAGE,
                                                              P.RESIDENT_SIGN_IN,
                                                              P.FEE_COLLECT, P.NOTICE_DRAFT, P.SURVEY_CONDUCT,
                                                              P.PATROL_RECORD})
