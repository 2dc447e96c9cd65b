"""The permissions of the one role → permissions table (tenants/roles.py) as a GraphQL enum, each
value saying what it lets the caller do — the console builds its menus from `viewer`."""

from __future__ import annotations

from enum import Enum

import strawberry

from tenants.roles import Permission as P

MEANINGS: dict[P, str] = {
    P.ORG_READ: "查看企业 See the company, its people and one's own inbox.",
    P.PROJECT_READ: "查看项目 See projects, their set-up (SLA, calendar, checklists) and their figures.",
    P.PROJECT_CREATE: "新建项目 Create projects.",
    P.PROJECT_UPDATE: "维护项目 Change a project: its working hours, buildings and units.",
    P.STAFF_READ: "查看员工 See staff, departments and the duty roster.",
    P.STAFF_MANAGE: "管理员工 Add staff and departments.",
    P.USER_MANAGE: "管理账号 Create logins.",
    P.ROLE_ASSIGN: "分配角色 Give and take back roles.",
    P.API_KEY_MANAGE: "管理接口密钥 Create and revoke integrators' API keys.",
    P.AUDIT_READ: "查看审计 Read the audit trail.",
    P.PERSONAL_DATA_READ: "查看个人信息 See phone and ID numbers unmasked (each read is audited).",
    P.CASE_READ: "查看工单 See cases, their history, referrals, alerts and outside bodies.",
    P.CASE_CREATE: "登记工单 Register a case on any channel (首问: the registrant is its first receiver).",
    P.CASE_COMMIT: "承诺 Promise the resident a deadline (within the policy) and link a repeat to the earlier case.",
    P.CASE_DISPATCH: "派单 Dispatch, report that nobody can be sent, request a decline, miss a promise, cancel.",
    P.CASE_WORK: "处理 Accept, start, pause, resume and resolve the cases one is assigned.",
    P.CASE_FOLLOW_UP: "回访 Record the resident's confirmation or rejection and the return visit.",
    P.CASE_SUPERVISE: "主管审批 Approve or deny declines, loosen a promise, cancel for the company.",
    P.ROSTER_MANAGE: "排班 Plan who is on duty.",
    P.ALERT_HANDLE: "处理预警 Acknowledge and resolve early-warning alerts.",
    P.EVALUATION_MANAGE: "考评设置 Set the weights of the monthly evaluation.",
    P.EVENTS_MANAGE: "死信 See events consumers gave up on and send them again.",
    P.CHANNEL_MANAGE: "通知渠道 Manage delivery channels (webhooks, e-mail, group robots) and the delivery log.",
    P.SLA_MANAGE: "时效设置 Set SLA policies and the ladder (company-wide: defaults; on a project: its overrides), calendar days.",
    P.INSPECTION_MANAGE: "品质检查 Manage inspection checklists and record inspections.",
    P.REVIEW_MANAGE: "案例研判 Review representative cases: root cause and lessons.",
    P.BULLETIN_PUBLISH: "内部通报 Draft, publish and withdraw internal bulletins.",
    P.NOTICE_DRAFT: "起草通知 Draft, edit and submit notices to residents.",
    P.NOTICE_PUBLISH: "审核发布通知 Approve, return and withdraw notices to residents.",
    P.IMPROVEMENT_RAISE: "整改措施 Raise corrective actions from reviews, alerts and inspections, and complete them for their owners.",
    P.IMPROVEMENT_VERIFY: "整改验证 Verify a completed corrective action, or return it with a new due date.",
    P.HANDOVER_WRITE: "交接班 Write the shift log, close its open items, hand over and acknowledge a handover.",
    P.KNOWLEDGE_MANAGE: "维护话术与知识库 Write the standard wordings, answers and service catalogue (company-wide: headquarters' own).",
    P.SURVEY_READ: "查看调查结果 See satisfaction survey campaigns and their results.",
    P.SURVEY_MANAGE: "问卷与调查活动 Company-wide: the company's questionnaires; on a project: its survey campaigns.",
    P.SURVEY_CONDUCT: "录入调查 Enter a sampled flat's survey answers taken by phone, visit or on paper.",
    P.PATROL_MANAGE: "巡查管理 Patrol routes, their points and QR codes, and plans of who walks them when.",
    P.PATROL_RECORD: "巡查打卡 Walk a patrol run: start it, record each point (scanned or picked), finish it.",
    P.CALLS_MANAGE: "话务对接 Add telephony integrations, rotate their signing secret, switch them on or off.",
    P.KPI_STAFFING: "人员与成本 Enter a project's monthly headcount and labour and other costs.",
    P.HAZARD_REPORT: "隐患上报 Report a hazard seen on the estate, from a patrol, an inspection, a case or by hand.",
    P.HAZARD_MANAGE: "隐患整改 Assign a hazard's owner and deadline, and record its rectification for them.",
    P.HAZARD_VERIFY: "隐患验证 Verify a hazard's rectification (not one's own), or accept its risk with the reason.",
    P.SWEEP_MANAGE: "拉网式排查 Create headquarters' dragnet sweeps and launch them to the projects.",
    P.SWEEP_RECORD: "排查登记 Record a project's sweep results item by item, and submit them.",
    P.OUTSIDE_BODY_MANAGE: "外部单位 Keep a project's register of outside bodies.",
    P.CASE_REFER: "转办 Refer a case to an outside body, record its answer, withdraw the referral.",
    P.GOV_BRIDGE_MANAGE: "12345 对接 Manage 12345 bridges and each city's deadlines.",
    P.GOV_ORDER_ANSWER: "答复 12345 Answer a 12345 order back: progress, result, not within our remit.",
    P.DECISION_FEEDBACK_MANAGE: "决策反馈 Report decision feedback to government and advance it.",
    P.CATEGORY_MANAGE: "工单类别 Add, rename, archive and restore the company's case categories.",
    P.ARCHIVE_READ: "查看档案 See the property archive: residents, where they live and their cases (phone and ID masked).",
    P.ARCHIVE_MANAGE: "维护档案 Create and edit buildings, flats and residents; move residents in and out.",
    P.ARCHIVE_IMPORT: "导入档案 Load the property archive from Excel.",
    P.FEE_READ: "查看收费 See bills, payments and arrears.",
    P.FEE_MANAGE: "收费设置 Charge items, rates, overrides, bill runs and one-off charges.",
    P.FEE_COLLECT: "收款 Record payments at the desk.",
    P.FEE_ADJUST: "减免冲正 Reverse payments, waive and cancel bills.",
    P.FEE_IMPORT: "导入期初 Load opening balances (unpaid bills) from Excel.",
    P.PERSONAL_DATA_ERASE: "删除个人信息 Erase a resident's personal data on their request (PIPL); cases stay, anonymised.",
    P.RESIDENT_SIGN_IN: "住户登录 (API keys only) Exchange the key for a resident's token, vouching for who they are.",
    P.RESIDENT_SELF: "住户本人 (resident tokens only) The resident's own flats and cases: register, confirm, reject, rate, withdraw.",
}

PermissionType = strawberry.enum(
    Enum("Permission", {p.name: strawberry.enum_value(p.value, description=f"`{p.value}` · {MEANINGS[p]}") for p in P}),
    name="Permission",
    description="权限 What a caller may do; the value in error messages is the text in backquotes.",
)


def as_enum(permissions) -> list[PermissionType]:
    return [PermissionType[P(p).name] for p in sorted(permissions, key=lambda p: list(P).index(P(p)))]
