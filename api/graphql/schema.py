"""The GraphQL schema: root types, mutations and the request limits."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from api.graphql.admission import Admission
from api.graphql.execution import SettledExecution
from api.graphql.extensions import (
    BoundedParsing, IntrospectionForMembers, NamedOperation, OperationTracing, RequestLimits, StorableText,
)
from api.graphql.mutations import (
    assign_role, create_api_key, create_project, create_staff, create_user, login, logout, refresh_token,
    reveal_staff_phone, revoke_api_key, revoke_role,
)
from api.graphql.mutations import (
    accept_case, approve_decline, cancel_case, commit_case, confirm_case, deny_decline, dispatch_case, link_repeat_case,
    miss_promise, pause_case, register_case, reject_case, report_undispatchable, request_decline, resolve_case,
    resume_case, return_visit, start_case,
)
from api.graphql.mutations import add_duty_shift, record_reply_delivery, remove_duty_shift, revise_written_reply
from api.graphql.mutations import add_delivery_channel, mark_notifications_read, retry_dead_letter, set_delivery_channel_active
from api.graphql.mutations import replay_delivery
from api.graphql.mutations import set_kpi_weights, set_project_working_hours
from api.graphql.mutations import update_project
from api.graphql.mutations import acknowledge_alert, resolve_alert, set_alert_settings
from api.graphql.mutations import draft_bulletin, publish_bulletin, review_case, withdraw_bulletin
from api.graphql.mutations import approve_notice, draft_notice, return_notice, submit_notice, update_notice, withdraw_notice
from api.graphql.mutations import resident_mark_notice_read
from api.graphql.mutations import (
    create_knowledge_article, revise_knowledge_article, set_knowledge_article_active, use_knowledge_article,
)
from api.graphql.mutations import complete_improvement_action, raise_improvement_action, verify_improvement_action
from api.graphql.mutations import record_staff_visit
from api.graphql.mutations import set_praised_staff
from api.graphql.mutations import accept_hazard_risk, assign_hazard, record_hazard_rectification, report_hazard, verify_hazard
from api.graphql.mutations import create_sweep, launch_sweep, record_sweep_result, submit_sweep
from api.graphql.mutations import close_sweep, update_sweep
from api.graphql.mutations import (
    add_patrol_point, case_from_patrol_visit, create_patrol_plan, create_patrol_route, finish_patrol_run, record_patrol_visit,
    start_patrol_run,
)
from api.graphql.mutations import (
    cancel_patrol_run, set_patrol_plan_active, set_patrol_point_active, set_patrol_route_active, update_patrol_plan,
    update_patrol_point, update_patrol_route,
)
from api.graphql.mutations import acknowledge_handover, add_log_entry, close_log_item, hand_over_shift, open_shift_log
from api.graphql.mutations import create_inspection_checklist, record_inspection, set_inspection_checklist_active
from api.graphql.mutations import remove_calendar_day, remove_sla_override, set_calendar_day, set_escalation_ladder, set_sla_policy
from api.graphql.mutations import advance_decision_feedback, report_decision_feedback
from api.graphql.mutations import add_case_category, set_case_category_archived, update_case_category
from api.graphql.mutations import (
    add_outside_body, mark_referral_letter_printed, record_referral_feedback, refer_case, rotate_outside_body_secret,
    update_outside_body, withdraw_referral,
)
from api.graphql.mutations import (
    add_gov_bridge, answer_gov_order, gov_integration, rotate_gov_bridge_secret, set_gov_bridge_active, set_gov_city_deadlines,
)
from api.graphql.mutations import (
    confirm_resident, create_building, create_unit, move_in_resident, move_out_resident, register_resident, update_building,
    update_resident, update_unit,
)
from api.graphql.mutations import erase_resident, import_archive, reveal_resident_data
from api.graphql.mutations import (
    resident_cancel_case, resident_confirm_case, resident_rate_case, resident_register_case, resident_reject_case,
    resident_sign_in,
)
from api.graphql.mutations import (
    add_resident_contact, create_parking_space, register_pet, register_vehicle, remove_pet, remove_resident_contact,
    remove_vehicle, update_parking_space, update_pet, update_vehicle,
)
from api.graphql.mutations import (
    cancel_bill, charge_one_off, create_charge_item, generate_bills, record_payment, reverse_payment, set_charge_override,
    set_charge_rate, update_charge_item, waive_bill,
)
from api.graphql.mutations import clear_overpaid_payment
from api.graphql.mutations import (
    add_payment_integration, rotate_payment_integration_secret, set_payment_integration_active,
    create_reminder_schedule, hold_fee_reminders, record_fee_reminder, release_fee_hold, set_fee_settings,
    update_reminder_schedule,
    cancel_survey_campaign, close_survey_campaign, create_survey_campaign, create_survey_questionnaire, enter_survey_response,
    open_survey_campaign, resident_answer_survey, set_survey_questionnaire_active,
)
from api.graphql.mutations import (
    add_telephony_integration, link_call_to_case, rotate_telephony_integration_secret, set_telephony_integration_active,
)
from api.graphql.mutations import set_project_staffing
from api.graphql.queries import Query
from api.graphql.scalars import SCALARS
from api.graphql.subscriptions import Subscription
from api.graphql.types.project import Project

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 2_000
MAX_BATCH = 10
LIMITS = RequestLimits.of(max_depth=MAX_DEPTH, max_aliases=MAX_ALIASES)


@strawberry.type
class Mutation:
    login = login.login
    refresh_token = refresh_token.refresh_token
    logout = logout.logout
    create_project = create_project.create_project
    create_staff = create_staff.create_staff
    create_user = create_user.create_user
    assign_role = assign_role.assign_role
    revoke_role = revoke_role.revoke_role
    create_api_key = create_api_key.create_api_key
    revoke_api_key = revoke_api_key.revoke_api_key
    reveal_staff_phone = reveal_staff_phone.reveal_staff_phone
    # 档案 the archive's personal data
    reveal_resident_data = reveal_resident_data.reveal_resident_data
    erase_resident = erase_resident.erase_resident
    # 工单 cases
    register_case = register_case.register_case
    commit_case = commit_case.commit_case
    dispatch_case = dispatch_case.dispatch_case
    report_undispatchable = report_undispatchable.report_undispatchable
    accept_case = accept_case.accept_case
    start_case = start_case.start_case
    pause_case = pause_case.pause_case
    resume_case = resume_case.resume_case
    resolve_case = resolve_case.resolve_case
    miss_promise = miss_promise.miss_promise
    confirm_case = confirm_case.confirm_case
    reject_case = reject_case.reject_case
    return_visit = return_visit.return_visit
    cancel_case = cancel_case.cancel_case
    request_decline = request_decline.request_decline
    approve_decline = approve_decline.approve_decline
    deny_decline = deny_decline.deny_decline
    link_repeat_case = link_repeat_case.link_repeat_case
    # 工单类别 the company's case categories
    add_case_category = add_case_category.add_case_category
    update_case_category = update_case_category.update_case_category
    set_case_category_archived = set_case_category_archived.set_case_category_archived
    # 书面答复 written replies
    revise_written_reply = revise_written_reply.revise_written_reply
    record_reply_delivery = record_reply_delivery.record_reply_delivery
    # 值班 duty roster
    add_duty_shift = add_duty_shift.add_duty_shift
    remove_duty_shift = remove_duty_shift.remove_duty_shift
    # 时效 SLA set-up
    set_sla_policy = set_sla_policy.set_sla_policy
    remove_sla_override = remove_sla_override.remove_sla_override
    set_escalation_ladder = set_escalation_ladder.set_escalation_ladder
    set_calendar_day = set_calendar_day.set_calendar_day
    remove_calendar_day = remove_calendar_day.remove_calendar_day
    set_project_working_hours = set_project_working_hours.set_project_working_hours
    update_project = update_project.update_project
    # 站内通知 inbox
    mark_notifications_read = mark_notifications_read.mark_notifications_read
    # 通知渠道 delivery channels
    add_delivery_channel = add_delivery_channel.add_delivery_channel
    set_delivery_channel_active = set_delivery_channel_active.set_delivery_channel_active
    replay_delivery = replay_delivery.replay_delivery
    # 考评 evaluation
    set_kpi_weights = set_kpi_weights.set_kpi_weights
    # 预警 early warning
    acknowledge_alert = acknowledge_alert.acknowledge_alert
    resolve_alert = resolve_alert.resolve_alert
    set_alert_settings = set_alert_settings.set_alert_settings
    # 品质检查 quality inspections
    create_inspection_checklist = create_inspection_checklist.create_inspection_checklist
    set_inspection_checklist_active = set_inspection_checklist_active.set_inspection_checklist_active
    record_inspection = record_inspection.record_inspection
    # 案例研判与内部通报 case reviews and bulletins
    review_case = review_case.review_case
    draft_bulletin = draft_bulletin.draft_bulletin
    publish_bulletin = publish_bulletin.publish_bulletin
    withdraw_bulletin = withdraw_bulletin.withdraw_bulletin
    # 通知公告 notices to residents
    draft_notice = draft_notice.draft_notice
    update_notice = update_notice.update_notice
    submit_notice = submit_notice.submit_notice
    approve_notice = approve_notice.approve_notice
    return_notice = return_notice.return_notice
    withdraw_notice = withdraw_notice.withdraw_notice
    # 统一话术 / 知识库 standard wordings and knowledge
    create_knowledge_article = create_knowledge_article.create_knowledge_article
    revise_knowledge_article = revise_knowledge_article.revise_knowledge_article
    set_knowledge_article_active = set_knowledge_article_active.set_knowledge_article_active
    use_knowledge_article = use_knowledge_article.use_knowledge_article
    # 投诉回访员工 return visits to the staff a complaint was about
    record_staff_visit = record_staff_visit.record_staff_visit
    # 受表扬员工 the staff a praise names, changed after intake
    set_praised_staff = set_praised_staff.set_praised_staff
    # 持续改进 corrective actions
    raise_improvement_action = raise_improvement_action.raise_improvement_action
    complete_improvement_action = complete_improvement_action.complete_improvement_action
    verify_improvement_action = verify_improvement_action.verify_improvement_action
    # 隐患台账 the hazard register
    report_hazard = report_hazard.report_hazard
    assign_hazard = assign_hazard.assign_hazard
    record_hazard_rectification = record_hazard_rectification.record_hazard_rectification
    verify_hazard = verify_hazard.verify_hazard
    accept_hazard_risk = accept_hazard_risk.accept_hazard_risk
    # 拉网式排查 HQ dragnet sweeps
    create_sweep = create_sweep.create_sweep
    launch_sweep = launch_sweep.launch_sweep
    record_sweep_result = record_sweep_result.record_sweep_result
    submit_sweep = submit_sweep.submit_sweep
    update_sweep = update_sweep.update_sweep
    close_sweep = close_sweep.close_sweep
    # 巡查 patrols
    create_patrol_route = create_patrol_route.create_patrol_route
    add_patrol_point = add_patrol_point.add_patrol_point
    create_patrol_plan = create_patrol_plan.create_patrol_plan
    start_patrol_run = start_patrol_run.start_patrol_run
    record_patrol_visit = record_patrol_visit.record_patrol_visit
    finish_patrol_run = finish_patrol_run.finish_patrol_run
    case_from_patrol_visit = case_from_patrol_visit.case_from_patrol_visit
    update_patrol_route = update_patrol_route.update_patrol_route
    set_patrol_route_active = set_patrol_route_active.set_patrol_route_active
    update_patrol_point = update_patrol_point.update_patrol_point
    set_patrol_point_active = set_patrol_point_active.set_patrol_point_active
    update_patrol_plan = update_patrol_plan.update_patrol_plan
    set_patrol_plan_active = set_patrol_plan_active.set_patrol_plan_active
    cancel_patrol_run = cancel_patrol_run.cancel_patrol_run
    # 交接班 shift logs and handover
    open_shift_log = open_shift_log.open_shift_log
    add_log_entry = add_log_entry.add_log_entry
    close_log_item = close_log_item.close_log_item
    hand_over_shift = hand_over_shift.hand_over_shift
    acknowledge_handover = acknowledge_handover.acknowledge_handover
    # 量化考核 people's figures: the month's headcount and costs
    set_project_staffing = set_project_staffing.set_project_staffing
    # 外部单位与转办 outside bodies and referrals
    add_outside_body = add_outside_body.add_outside_body
    update_outside_body = update_outside_body.update_outside_body
    rotate_outside_body_secret = rotate_outside_body_secret.rotate_outside_body_secret
    refer_case = refer_case.refer_case
    record_referral_feedback = record_referral_feedback.record_referral_feedback
    withdraw_referral = withdraw_referral.withdraw_referral
    mark_referral_letter_printed = mark_referral_letter_printed.mark_referral_letter_printed
    # 决策反馈 decision feedback
    report_decision_feedback = report_decision_feedback.report_decision_feedback
    advance_decision_feedback = advance_decision_feedback.advance_decision_feedback
    # 12345 热线对接 the government hotline bridge, a signed integration like the two below
    add_gov_integration = gov_integration.add_gov_integration
    set_gov_integration_active = gov_integration.set_gov_integration_active
    rotate_gov_integration_secret = gov_integration.rotate_gov_integration_secret
    add_gov_bridge = add_gov_bridge.add_gov_bridge
    set_gov_bridge_active = set_gov_bridge_active.set_gov_bridge_active
    rotate_gov_bridge_secret = rotate_gov_bridge_secret.rotate_gov_bridge_secret
    set_gov_city_deadlines = set_gov_city_deadlines.set_gov_city_deadlines
    answer_gov_order = answer_gov_order.answer_gov_order
    # 档案 the property archive
    create_building = create_building.create_building
    update_building = update_building.update_building
    create_unit = create_unit.create_unit
    update_unit = update_unit.update_unit
    register_resident = register_resident.register_resident
    update_resident = update_resident.update_resident
    confirm_resident = confirm_resident.confirm_resident
    move_in_resident = move_in_resident.move_in_resident
    move_out_resident = move_out_resident.move_out_resident
    add_resident_contact = add_resident_contact.add_resident_contact
    remove_resident_contact = remove_resident_contact.remove_resident_contact
    create_parking_space = create_parking_space.create_parking_space
    update_parking_space = update_parking_space.update_parking_space
    register_vehicle = register_vehicle.register_vehicle
    update_vehicle = update_vehicle.update_vehicle
    remove_vehicle = remove_vehicle.remove_vehicle
    register_pet = register_pet.register_pet
    update_pet = update_pet.update_pet
    remove_pet = remove_pet.remove_pet
    import_archive = import_archive.import_archive
    # 住户 the resident's own calls (owner apps)
    resident_sign_in = resident_sign_in.resident_sign_in
    resident_register_case = resident_register_case.resident_register_case
    resident_confirm_case = resident_confirm_case.resident_confirm_case
    resident_mark_notice_read = resident_mark_notice_read.resident_mark_notice_read
    resident_reject_case = resident_reject_case.resident_reject_case
    resident_rate_case = resident_rate_case.resident_rate_case
    resident_cancel_case = resident_cancel_case.resident_cancel_case
    # 费用收缴 fees
    create_charge_item = create_charge_item.create_charge_item
    update_charge_item = update_charge_item.update_charge_item
    set_charge_rate = set_charge_rate.set_charge_rate
    set_charge_override = set_charge_override.set_charge_override
    generate_bills = generate_bills.generate_bills
    charge_one_off = charge_one_off.charge_one_off
    record_payment = record_payment.record_payment
    reverse_payment = reverse_payment.reverse_payment
    clear_overpaid_payment = clear_overpaid_payment.clear_overpaid_payment
    waive_bill = waive_bill.waive_bill
    cancel_bill = cancel_bill.cancel_bill
    # 缴费对接 payment integrations
    add_payment_integration = add_payment_integration.add_payment_integration
    rotate_payment_integration_secret = rotate_payment_integration_secret.rotate_payment_integration_secret
    set_payment_integration_active = set_payment_integration_active.set_payment_integration_active
    # 话务记录 call records
    add_telephony_integration = add_telephony_integration.add_telephony_integration
    rotate_telephony_integration_secret = rotate_telephony_integration_secret.rotate_telephony_integration_secret
    set_telephony_integration_active = set_telephony_integration_active.set_telephony_integration_active
    link_call_to_case = link_call_to_case.link_call_to_case
    # 催缴 reminders
    set_fee_settings = set_fee_settings.set_fee_settings
    create_reminder_schedule = create_reminder_schedule.create_reminder_schedule
    update_reminder_schedule = update_reminder_schedule.update_reminder_schedule
    record_fee_reminder = record_fee_reminder.record_fee_reminder
    hold_fee_reminders = hold_fee_reminders.hold_fee_reminders
    release_fee_hold = release_fee_hold.release_fee_hold
    # 满意度调查 satisfaction surveys
    create_survey_questionnaire = create_survey_questionnaire.create_survey_questionnaire
    set_survey_questionnaire_active = set_survey_questionnaire_active.set_survey_questionnaire_active
    create_survey_campaign = create_survey_campaign.create_survey_campaign
    open_survey_campaign = open_survey_campaign.open_survey_campaign
    close_survey_campaign = close_survey_campaign.close_survey_campaign
    cancel_survey_campaign = cancel_survey_campaign.cancel_survey_campaign
    enter_survey_response = enter_survey_response.enter_survey_response
    resident_answer_survey = resident_answer_survey.resident_answer_survey
    # 死信 dead letters
    retry_dead_letter = retry_dead_letter.retry_dead_letter


class Schema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        # The view codes every error and logs internal ones; client mistakes are not noise.
        return None


schema = Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=[Project],
    execution_context_class=SettledExecution,
    config=StrawberryConfig(batching_config={"max_operations": MAX_BATCH}, scalar_map=SCALARS),
    extensions=[
        # Factories: strawberry builds fresh extension instances per request.
        BoundedParsing.of(max_tokens=MAX_TOKENS),  # the documents seen before kept
        LIMITS,
        Admission,  # authentication, size bounds, then validation off the event loop (cached)
        IntrospectionForMembers,
        StorableText,
        NamedOperation,
        OperationTracing,
    ],
)
