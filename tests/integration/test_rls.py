"""The wall: every tenant table has forced row-level security, and the application role sees and
writes nothing outside the tenant set on its transaction."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from domain.patrols.rules import new_token
from tenants.context import TenantScope
from tests.conftest import make_org

TENANT_TABLES_SQL = text(
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped "
    "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1"
)


async def tenant_tables(owner_engine) -> list[str]:
    async with owner_engine.connect() as conn:
        return [r[0] for r in await conn.execute(TENANT_TABLES_SQL)]


async def test_every_table_with_org_id_has_forced_rls_and_a_checked_policy(owner_engine):
    tables = await tenant_tables(owner_engine)
    assert len(tables) >= 20
    async with owner_engine.connect() as conn:
        for table in tables:
            flags = (await conn.execute(text(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = :t"), {"t": table})).one()
            assert flags == (True, True), f"{table} lacks ENABLE/FORCE ROW LEVEL SECURITY"
            policies = (await conn.execute(text(
                "SELECT qual, with_check FROM pg_policies WHERE tablename = :t AND 'firstcall_app' = ANY(roles)"),
                {"t": table})).all()
            assert len(policies) == 1, f"{table} needs exactly one policy for the application role"
            qual, check = policies[0]
            assert "app_org_id()" in qual and "app_org_id()" in check, f"{table} policy must read the tenant setting"
            assert "SELECT app_org_id()" in qual, f"{table} policy must read settings once per statement"


async def test_application_role_cannot_bypass_rls(owner_engine):
    async with owner_engine.connect() as conn:
        role = (await conn.execute(text(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'firstcall_app'"))).one()
        assert tuple(role) == (False, False, False, False)
        owned = (await conn.execute(text(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'firstcall_app'"))).scalar()
        assert owned == 0


async def test_empty_setting_means_nothing_is_visible(platform, owner_engine):
    await make_org(owner_engine)
    for table in await tenant_tables(owner_engine):
        async with platform.transaction(None) as conn:
            assert (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar() == 0, table
    # After a transaction the setting reads '' on the same pooled connection: still nothing.
    async with platform.engine.connect() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        assert await driver.fetchval("SELECT count(*) FROM projects") == 0


@pytest.fixture
async def two_orgs_with_rows(owner_engine, gql):
    """Two companies with a row in every tenant table (through the real paths where they exist)."""
    a, b = await make_org(owner_engine), await make_org(owner_engine)
    for org in (a, b):
        token = await gql.login(org)
        body = await gql("mutation { createApiKey(input: {name: \"k\"}) { errors { code } } }", token=token)
        assert body["data"]["createApiKey"]["errors"] == []
        async with owner_engine.begin() as conn:
            p = org.projects["P1"]
            bid, uid = uuid.uuid4(), uuid.uuid4()
            await conn.execute(text("INSERT INTO buildings (org_id, project_id, id, name) VALUES (:o, :p, :b, '1号楼')"),
                               {"o": org.org_id, "p": p, "b": bid})
            await conn.execute(text("INSERT INTO units (org_id, project_id, id, building_id, number, floor) "
                                    "VALUES (:o, :p, :u, :b, '101', 1)"),
                               {"o": org.org_id, "p": p, "u": uid, "b": bid})
            await conn.execute(text("INSERT INTO residents (org_id, project_id, name) VALUES (:o, :p, '张三')"),
                               {"o": org.org_id, "p": p})
            await _archive_rows(conn, org.org_id, p, uid)
            await conn.execute(text("INSERT INTO staff (org_id, project_id, name) VALUES (:o, :p, '李四')"), {"o": org.org_id, "p": p})
            await conn.execute(text("INSERT INTO processed_events (org_id, consumer, event_id) VALUES (:o, 'test', gen_random_uuid())"),
                               {"o": org.org_id})
            await _case_rows(conn, org, p, uid)
            await _fee_rows(conn, org.org_id, p, uid)
    return a, b


async def _fee_rows(conn, org_id, project_id, unit_id) -> None:
    """An item with a rate and an override, a run, a bill paid, waived in part, and its receipt (resident-services §6)."""
    ids = {"o": org_id, "p": project_id, "u": unit_id, "i": uuid.uuid4(), "b": uuid.uuid4(), "pay": uuid.uuid4()}
    await conn.execute(text("INSERT INTO charge_items (org_id, project_id, id, code, name, kind, basis, starts_on) "
                            "VALUES (:o, :p, :i, 'WYF', '物业费', 'property', 'area', '2026-01-01')"), ids)
    await conn.execute(text("INSERT INTO charge_rates (org_id, project_id, charge_item_id, effective_from, rate_1e4) "
                            "VALUES (:o, :p, :i, '2026-01-01', 23500)"), ids)
    await conn.execute(text("INSERT INTO charge_overrides (org_id, project_id, charge_item_id, unit_id, excluded, reason) "
                            "VALUES (:o, :p, :i, :u, true, '自持')"), ids)
    await conn.execute(text("INSERT INTO bill_runs (org_id, project_id, periods, charge_item_ids, created_by) "
                            "VALUES (:o, :p, daterange('2026-01-01', '2026-01-31', '[]'), ARRAY[CAST(:i AS uuid)], 'user:x')"), ids)
    await conn.execute(text("INSERT INTO bills (org_id, project_id, id, unit_id, charge_item_id, period, period_end, due_on, "
                            "amount_fen, paid_fen, waived_fen, source) VALUES (:o, :p, :b, :u, :i, '2026-01-01', '2026-01-31', "
                            "'2026-01-15', 21002, 20000, 1002, 'run')"), ids)
    await conn.execute(text("INSERT INTO payments (org_id, project_id, id, unit_id, amount_fen, method, receipt_no, paid_at, "
                            "recorded_by) VALUES (:o, :p, :pay, :u, 20000, 'cash', 'SJ-P1-20260115-0001', now(), 'user:x')"), ids)
    await conn.execute(text("INSERT INTO payment_allocations (org_id, project_id, payment_id, bill_id, amount_fen) "
                            "VALUES (:o, :p, :pay, :b, 20000)"), ids)
    await conn.execute(text("INSERT INTO bill_adjustments (org_id, project_id, bill_id, kind, amount_fen, reason, by) "
                            "VALUES (:o, :p, :b, 'waive', 1002, '困难户', 'user:x')"), ids)
    await conn.execute(text("INSERT INTO receipt_numbers (org_id, project_id, day, last) VALUES (:o, :p, '2026-01-15', 1)"), ids)
    # 缴费对接 an integrator and the payment it told us of (§6.4)
    ids["int"] = uuid.uuid4()
    await conn.execute(text("INSERT INTO payment_integrations (org_id, project_id, id, name, secret_enc, created_by) "
                            "VALUES (:o, :p, :int, '业主App支付', '\\x00', 'user:x')"), ids)
    await conn.execute(text("INSERT INTO payments (org_id, project_id, unit_id, amount_fen, method, source, integration_id, external_id, "
                            "receipt_no, paid_at, unallocated_fen, problem, recorded_by) VALUES (:o, :p, :u, 500, 'wechat', 'integration', "
                            ":int, '4200001', 'SJ-P1-20260115-0002', now(), 500, 'OVERPAID', 'payment_integration:x')"), ids)
    # 催缴 reminders: settings, a schedule, one automatic reminder and a hold.
    await conn.execute(text("INSERT INTO fee_settings (org_id, project_id) VALUES (:o, :p)"), ids)
    ids["s"] = (await conn.execute(text("INSERT INTO reminder_schedules (org_id, project_id, name, min_overdue_days, every_days, "
                                        "created_by) VALUES (:o, :p, '逾期一月', 30, 7, 'user:x') RETURNING id"), ids)).scalar()
    await conn.execute(text("INSERT INTO fee_reminders (org_id, project_id, unit_id, schedule_id, way, month, sent_on, by) "
                            "VALUES (:o, :p, :u, :s, 'auto', '2026-03-01', '2026-03-20', 'system:x')"), ids)
    await conn.execute(text("INSERT INTO fee_holds (org_id, project_id, unit_id, until, reason, by) "
                            "VALUES (:o, :p, :u, '2026-04-30', '协商中', 'user:x')"), ids)


async def _archive_rows(conn, org_id, project_id, unit_id) -> None:
    """A person, their stay, contact, space, car and dog (docs/archive.md §2), and the day's accuracy (§7)."""
    ids = {"o": org_id, "p": project_id, "u": unit_id, "r": uuid.uuid4(), "s": uuid.uuid4()}
    await conn.execute(text("INSERT INTO residents (org_id, project_id, id, name) VALUES (:o, :p, :r, '王五')"), ids)
    await conn.execute(text("INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, primary_contact) "
                            "VALUES (:o, :p, :u, :r, 'owner', true)"), ids)
    await conn.execute(text("INSERT INTO resident_contacts (org_id, project_id, resident_id, kind, label, value_enc, value_hash, "
                            "value_masked) VALUES (:o, :p, :r, 'emergency', '女儿', '\\x00', '\\x01', '138****0000')"), ids)
    await conn.execute(text("INSERT INTO parking_spaces (org_id, project_id, id, area, number, unit_id, holder_id) "
                            "VALUES (:o, :p, :s, '地下B1', '018', :u, :r)"), ids)
    await conn.execute(text("INSERT INTO vehicles (org_id, project_id, resident_id, plate, space_id) "
                            "VALUES (:o, :p, :r, '浙A12345', :s)"), ids)
    await conn.execute(text("INSERT INTO pets (org_id, project_id, resident_id, unit_id, name, species) "
                            "VALUES (:o, :p, :r, :u, '旺财', 'dog')"), ids)
    await conn.execute(text("INSERT INTO archive_accuracy (org_id, project_id, day, records_checked, records_with_problems, no_phone, "
                            "owner_no_id, no_move_in, unit_unaccounted, unit_no_area, not_verified, vaccination_due, "
                            "vehicle_expired) VALUES (:o, :p, current_date, 6, 3, 1, 1, 1, 0, 1, 1, 1, 0)"), ids)
    await conn.execute(text("INSERT INTO archive_accuracy_live (org_id, project_id, day, records_checked, records_with_problems) "
                            "VALUES (:o, :p, current_date, 6, 3)"), ids)
    # An uploaded workbook and its import (docs/archive.md §6.4).
    await conn.execute(text("INSERT INTO archive_uploads (org_id, project_id, id, created_by, size, sha256, file_enc) "
                            "VALUES (:o, :p, :s, 'user:x', 1, repeat('0', 64), '\\x00')"), ids)
    await conn.execute(text("INSERT INTO archive_imports (org_id, project_id, upload_id, dry_run, created_by) "
                            "VALUES (:o, :p, :s, true, 'user:x')"), ids)
    # Resident access (docs/resident-services.md §3): a bound WeChat identity and a rate window.
    await conn.execute(text("INSERT INTO resident_identities (org_id, project_id, resident_id, kind, app_id, value_hash, bound_by) "
                            "VALUES (:o, :p, :r, 'wechat_openid', 'wx1', '\\x02', gen_random_uuid())"), ids)
    await conn.execute(text("INSERT INTO resident_quota (org_id, resident_id, bucket, window_start) "
                            "VALUES (:o, :r, 'request', date_trunc('hour', now()))"), ids)
    # 通知公告 a notice aimed at the flat, which reached it and was read there
    ids["n"] = (await conn.execute(text("INSERT INTO notices (org_id, project_id, title, body, kind, audience, state, author) "
                                        "VALUES (:o, :p, '停水', '明日停水', 'general', 'units', 'published', 'user:x') RETURNING id"),
                                   ids)).scalar()
    await conn.execute(text("INSERT INTO notice_targets (org_id, project_id, notice_id, unit_id) VALUES (:o, :p, :n, :u)"), ids)
    await conn.execute(text("INSERT INTO notice_recipients (org_id, project_id, notice_id, unit_id) VALUES (:o, :p, :n, :u)"), ids)
    await conn.execute(text("INSERT INTO notice_reads (org_id, project_id, notice_id, unit_id, resident_id) VALUES (:o, :p, :n, :u, :r)"),
                       ids)
    # 知识库 a project's own answer, its first version, and a use at the project's desk
    ids["ka"] = (await conn.execute(text(
        "INSERT INTO knowledge_articles (org_id, project_id, kind, title, body, created_by, updated_by, search_text) "
        "VALUES (:o, :p, 'answer', '停车收费', '首小时免费', 'user:x', 'user:x', '停车收费 首小时免费') RETURNING id"), ids)).scalar()
    await conn.execute(text("INSERT INTO knowledge_versions (org_id, project_id, article_id, version, title, body, by) "
                            "VALUES (:o, :p, :ka, 1, '停车收费', '首小时免费', 'user:x')"), ids)
    await conn.execute(text("INSERT INTO knowledge_uses (org_id, project_id, article_id, day) VALUES (:o, :p, :ka, current_date)"),
                       ids)
    # 持续改进 a corrective action of the project, its ladder's timer and a rung it climbed
    ids["ia"] = (await conn.execute(text(
        "INSERT INTO improvement_actions (org_id, project_id, source, title, owner_user_id, due_on, raised_by) "
        "SELECT :o, :p, 'other', '消防通道清理', min(id::text)::uuid, current_date + 7, 'user:x' FROM users "
        "WHERE org_id = :o RETURNING id"), ids)).scalar()
    await conn.execute(text("INSERT INTO item_timers (org_id, project_id, subject_kind, subject_id, level, due_at) "
                            "VALUES (:o, :p, 'action', :ia, 'l1', now() + interval '7 days')"), ids)
    await conn.execute(text("INSERT INTO item_escalations (org_id, project_id, subject_kind, subject_id, level, due_at, fired_at, "
                            "recipients) VALUES (:o, :p, 'action', :ia, 'remind', now(), now(), '{}')"), ids)
    # 交接班 a handed-over shift log, the next one with the carried item, and the acknowledgement
    ids["sl"], ids["sl2"] = uuid.uuid4(), uuid.uuid4()
    for log, shift, state in (("sl", "- interval '8 hours'", "handed_over"), ("sl2", "", "open")):
        await conn.execute(text(
            "INSERT INTO shift_logs (org_id, project_id, id, shift_start, shift_end, author_user_id, state, handed_over_at) "
            f"SELECT :o, :p, :{log}, now() {shift}, now() {shift} + interval '8 hours', min(id::text)::uuid, :st, "
            "CASE WHEN :st = 'open' THEN NULL ELSE now() END FROM users WHERE org_id = :o"), {**ids, "st": state})
    await conn.execute(text("UPDATE shift_logs SET next_log_id = :sl2 WHERE id = :sl"), ids)
    ids["se"] = (await conn.execute(text("INSERT INTO shift_log_entries (org_id, project_id, log_id, kind, text, author) "
                                         "VALUES (:o, :p, :sl, 'open_item', '门禁维修', 'user:x') RETURNING id"), ids)).scalar()
    await conn.execute(text("INSERT INTO shift_log_entries (org_id, project_id, log_id, kind, text, author, carried_from, carry_count) "
                            "VALUES (:o, :p, :sl2, 'open_item', '门禁维修', 'user:x', :se, 1)"), ids)
    await conn.execute(text("INSERT INTO handover_acks (org_id, project_id, log_id, user_id) "
                            "SELECT :o, :p, :sl2, min(id::text)::uuid FROM users WHERE org_id = :o"), ids)
    # 话务记录 a telephony integration and a call it told us of
    ids["ti"] = uuid.uuid4()
    await conn.execute(text("INSERT INTO telephony_integrations (org_id, project_id, id, name, secret_enc, created_by) "
                            "VALUES (:o, :p, :ti, '呼叫中心', '\\x00', 'user:x')"), ids)
    await conn.execute(text("INSERT INTO call_records (org_id, project_id, integration_id, external_id, direction, caller_phone_hash, "
                            "caller_phone_masked, queued_at, answered_at, ended_at, abandoned) VALUES (:o, :p, :ti, 'CTI-1', "
                            "'in', '\\x01', '138****8000', now() - interval '5 minutes', now() - interval '4 minutes', now(), false)"),
                       ids)
    # 满意度调查 a questionnaire of one question and option, a campaign that sampled the flat, its answer
    ids["sq"] = (await conn.execute(text("INSERT INTO survey_questionnaires (org_id, title, created_by) VALUES (:o, '年度调查', 'user:x') "
                                         "RETURNING id"), ids)).scalar()
    ids["sqq"] = (await conn.execute(text("INSERT INTO survey_questions (org_id, questionnaire_id, position, kind, text, weight) "
                                          "VALUES (:o, :sq, 1, 'single', '保洁', 10) RETURNING id"), ids)).scalar()
    ids["so"] = (await conn.execute(text("INSERT INTO survey_options (org_id, question_id, position, label, score) "
                                         "VALUES (:o, :sqq, 1, '满意', 100) RETURNING id"), ids)).scalar()
    ids["sc"] = (await conn.execute(text(
        "INSERT INTO survey_campaigns (org_id, project_id, questionnaire_id, title, opens_at, closes_at, sample_mode, seed, state, "
        "opened_at, created_by) VALUES (:o, :p, :sq, '一季度', now(), now() + interval '7 days', 'all', 's', 'open', now(), 'user:x') "
        "RETURNING id"), ids)).scalar()
    await conn.execute(text("INSERT INTO survey_samples (org_id, project_id, campaign_id, unit_id, building_id) "
                            "SELECT :o, :p, :sc, id, building_id FROM units WHERE id = :u"), ids)
    ids["sr"] = (await conn.execute(text("INSERT INTO survey_responses (org_id, project_id, campaign_id, unit_id, channel, entered_by, "
                                         "score) VALUES (:o, :p, :sc, :u, 'phone', 'user:x', 100) RETURNING id"), ids)).scalar()
    await conn.execute(text("INSERT INTO survey_answers (org_id, project_id, response_id, question_id, option_ids, score) "
                            "VALUES (:o, :p, :sr, :sqq, ARRAY[CAST(:so AS uuid)], 100)"), ids)
    # 巡查 a route with one point, a plan given to a user, a run of it and the visit at the point
    ids["pr"] = (await conn.execute(text("INSERT INTO patrol_routes (org_id, project_id, name, kind, created_by) "
                                         "VALUES (:o, :p, '消防巡查', 'safety', 'user:x') RETURNING id"), ids)).scalar()
    ids["pp"] = (await conn.execute(text("INSERT INTO patrol_points (org_id, project_id, route_id, position, name, token) "
                                         "VALUES (:o, :p, :pr, 1, '消防泵房', :tok) RETURNING id"),
                                    ids | {"tok": new_token()})).scalar()
    ids["pl"] = (await conn.execute(text(
        "INSERT INTO patrol_plans (org_id, project_id, route_id, assignee_user_id, cadence, window_start, window_minutes, "
        "starts_on, created_by) SELECT :o, :p, :pr, min(id::text)::uuid, 'daily', '09:00', 60, current_date, 'user:x' "
        "FROM users WHERE org_id = :o RETURNING id"), ids)).scalar()
    ids["run"] = (await conn.execute(text(
        "INSERT INTO patrol_runs (org_id, project_id, plan_id, route_id, due_from, due_until, points_total) "
        "VALUES (:o, :p, :pl, :pr, now(), now() + interval '1 hour', 1) RETURNING id"), ids)).scalar()
    await conn.execute(text("INSERT INTO patrol_visits (org_id, project_id, run_id, point_id, at, scanned, result, by) "
                            "VALUES (:o, :p, :run, :pp, now(), true, 'ok', 'user:x')"), ids)
    # 隐患台账 a reported hazard and its day's counter
    await conn.execute(text("INSERT INTO hazard_numbers (org_id, project_id, day, last) VALUES (:o, :p, current_date, 1)"), ids)
    ids["hz"] = (await conn.execute(text(
        "INSERT INTO hazards (org_id, project_id, number, source, title, category, grade, deadline, reported_by) "
        "VALUES (:o, :p, 'YH-X-20260101-01', 'report', '消防通道堵塞', 'fire', 'general', now() + interval '7 days', 'user:x') "
        "RETURNING id"), ids)).scalar()
    # 拉网式排查 a launched sweep, the project's part and a result that found the hazard
    ids["sw"] = (await conn.execute(text(
        "INSERT INTO sweeps (org_id, title, checklist, due_at, state, launched_at, created_by) VALUES (:o, '燃气排查', "
        "'[{\"code\": \"G1\", \"text\": \"燃气表间\", \"category\": \"gas\"}]', now() + interval '3 days', 'launched', "
        "now(), 'user:x') RETURNING id"), ids)).scalar()
    await conn.execute(text("INSERT INTO sweep_projects (org_id, project_id, sweep_id) VALUES (:o, :p, :sw)"), ids)
    await conn.execute(text("INSERT INTO sweep_results (org_id, project_id, sweep_id, item_code, result, hazard_id, by) "
                            "VALUES (:o, :p, :sw, 'G1', 'hazard', :hz, 'user:x')"), ids)


async def _case_rows(conn, org, project_id, unit_id) -> None:
    """A row in each case table, so the wall is tested on them like on the rest."""
    ids = {"o": org.org_id, "p": project_id, "u": unit_id, "c": uuid.uuid4(), "admin": org.admin_id}
    ids["cat"] = (await conn.execute(text("SELECT id FROM case_categories WHERE org_id = :o LIMIT 1"), ids)).scalar()
    ids["d"] = (await conn.execute(text("SELECT id FROM departments WHERE org_id = :o AND project_id = :p LIMIT 1"), ids)).scalar()
    await conn.execute(text(
        "INSERT INTO cases (org_id, project_id, id, number, kind, severity, channel, category_id, unit_id, first_receiver_id, "
        "description, state, received_at) VALUES (:o, :p, :c, 'GD-P1-20261122-0001', 'repair', 'general', 'phone', :cat, :u, "
        ":admin, '厨房漏水', 'received', now())"), ids)
    await conn.execute(text("INSERT INTO case_numbers (org_id, project_id, day, last) VALUES (:o, :p, current_date, 1)"), ids)
    # 投诉回访员工 a return visit to the staff member a case was about
    await conn.execute(text("INSERT INTO staff_visits (org_id, project_id, case_id, user_id, outcome, note, by) "
                            "VALUES (:o, :p, :c, :admin, 'acknowledged', '已沟通', 'user:x')"), ids)
    ids["r"] = (await conn.execute(text(
        "INSERT INTO written_replies (org_id, project_id, case_id, version, reason, basis, alternatives, created_by) "
        "VALUES (:o, :p, :c, 1, '原因', '依据', ARRAY['替代方案'], :admin) RETURNING id"), ids)).scalar()
    await conn.execute(text("INSERT INTO written_reply_deliveries "
                            "(org_id, project_id, reply_id, via, recipient, delivered_at, recorded_by) "
                            "VALUES (:o, :p, :r, 'post', '业主', now(), 'user:x')"), ids)
    await conn.execute(text("INSERT INTO duty_shifts (org_id, project_id, department_id, user_id, starts_at, ends_at) "
                            "VALUES (:o, :p, :d, :admin, now(), now() + interval '8 hours')"), ids)
    await conn.execute(text("INSERT INTO idempotency_keys (org_id, principal, key, operation, request_hash) "
                            "VALUES (:o, 'user:x', 'k1', 'test', '\\x00')"), ids)
    await conn.execute(text("INSERT INTO calendar_days (org_id, day, working, name) VALUES (:o, '2027-02-06', true, '调休')"), ids)
    await conn.execute(text("INSERT INTO calendar_gaps (org_id, year) VALUES (:o, 2027)"), ids)
    await conn.execute(text("INSERT INTO case_targets (org_id, project_id, case_id, target, clock, started_at, budget_minutes, due_at) "
                            "VALUES (:o, :p, :c, 'resolve', 'always', now(), 60, now() + interval '1 hour')"), ids)
    await conn.execute(text("INSERT INTO sla_timers (org_id, project_id, case_id, target, round, level, due_at) "
                            "VALUES (:o, :p, :c, 'resolve', 0, 'l1', now() + interval '1 hour')"), ids)
    await conn.execute(text("INSERT INTO escalations (org_id, project_id, case_id, level, reason, recipients) "
                            "VALUES (:o, :p, :c, 'l1', 'undispatchable', ARRAY[:admin]::uuid[])"), ids)
    await conn.execute(text("INSERT INTO notifications (org_id, user_id, project_id, case_id, event_id, topic, title, body) "
                            "VALUES (:o, :admin, :p, :c, gen_random_uuid(), 'case.escalated', '一级升级', '已到时限')"), ids)
    ids["ch"] = (await conn.execute(text(
        "INSERT INTO delivery_channels (org_id, kind, name, target, topics, created_by) "
        "VALUES (:o, 'email', '值班', 'duty@example.com', ARRAY['case.escalated'], 'user:x') RETURNING id"), ids)).scalar()
    ids["dl"] = (await conn.execute(text(
        "INSERT INTO deliveries (org_id, channel_id, project_id, event_id, topic, title, body, data) "
        "VALUES (:o, :ch, :p, gen_random_uuid(), 'case.escalated', 't', 'b', '{}') RETURNING id"), ids)).scalar()
    await conn.execute(text("INSERT INTO delivery_attempts (org_id, delivery_id, ok, status_code, duration_ms) "
                            "VALUES (:o, :dl, true, 200, 12)"), ids)
    await conn.execute(text("INSERT INTO inbound_receipts (org_id, source, delivery_id, answer) "
                            "VALUES (:o, 'body:x', gen_random_uuid()::text, '{}')"), ids)
    await conn.execute(text("INSERT INTO dead_letters (org_id, message_id, event_id, topic, attempts, error) "
                            "VALUES (:o, gen_random_uuid()::text, gen_random_uuid(), 'case.escalated', 21, 'boom')"), ids)
    await conn.execute(text("INSERT INTO kpi_project_day (org_id, project_id, day, received) VALUES (:o, :p, current_date, 1)"), ids)
    await conn.execute(text("INSERT INTO kpi_project_month (org_id, project_id, month, received) "
                            "VALUES (:o, :p, date_trunc('month', now())::date, 1)"), ids)
    await conn.execute(text("INSERT INTO kpi_project_live (org_id, project_id, open) VALUES (:o, :p, 1)"), ids)
    await conn.execute(text("INSERT INTO kpi_fee_month (org_id, project_id, month, due_fen, collected_fen, bills, units_billed) "
                            "VALUES (:o, :p, '2026-01-01', 21002, 20000, 1, 1)"), ids)
    await conn.execute(text("INSERT INTO kpi_call_month (org_id, project_id, month, offered, answered, answered_3_rings) "
                            "VALUES (:o, :p, '2026-01-01', 10, 9, 7)"), ids)
    # The reminder sweep's memory (fee_reminder_marks gets its row from the bill above, by trigger).
    await conn.execute(text("INSERT INTO fee_reminder_sweeps (org_id, project_id, swept_changes, swept_on) "
                            "VALUES (:o, :p, 1, current_date)"), ids)
    # 量化考核 a person's month and the project's staffing
    await conn.execute(text("INSERT INTO kpi_person_month (org_id, project_id, month, user_id, handled) "
                            "SELECT :o, :p, date_trunc('month', now())::date, min(id::text)::uuid, 1 FROM users WHERE org_id = :o"), ids)
    await conn.execute(text("INSERT INTO project_staffing (org_id, project_id, month, headcount, labour_cost_fen, other_cost_fen, by) "
                            "VALUES (:o, :p, '2026-01-01', 12, 3600000, 400000, 'user:x')"), ids)
    await conn.execute(text("INSERT INTO kpi_category_month (org_id, project_id, month, kind, category_id, received) "
                            "VALUES (:o, :p, date_trunc('month', now())::date, 'repair', :cat, 1)"), ids)
    await conn.execute(text("INSERT INTO kpi_project_score (org_id, project_id, month, score, standard_score, rank) "
                            "VALUES (:o, :p, date_trunc('month', now())::date, 80, 50, 1)"), ids)
    await conn.execute(text("INSERT INTO kpi_weights (org_id, response, resolution, satisfaction, first_contact, on_time, "
                            "per_complaint_per_1000, per_broken_promise, updated_by) VALUES (:o, 25, 25, 30, 10, 10, 2, 1, 'user:x') "
                            "ON CONFLICT DO NOTHING"), ids)
    await conn.execute(text("INSERT INTO alert_settings (org_id, risk_words, cluster_orange, cluster_red, cluster_hours, "
                            "repeat_complaints, repeat_days, updated_by) VALUES (:o, ARRAY['媒体'], 5, 10, 24, 3, 30, 'user:x')"), ids)
    await conn.execute(text("INSERT INTO alerts (org_id, project_id, rule, scope_key, colour, title, detail, case_ids) "
                            "VALUES (:o, :p, 'risk_words', 'case:' || CAST(:c AS uuid)::text, 'orange', '风险词', '媒体', "
                            "ARRAY[CAST(:c AS uuid)])"), ids)
    # 案例研判 and 内部通报
    await conn.execute(text("INSERT INTO case_reviews (org_id, project_id, case_id, verdict, root_cause_category, root_cause, lessons, "
                            "reviewed_by) VALUES (:o, :p, :c, 'exemplary', 'process', '首问负责到底', '当日闭环', 'user:x')"), ids)
    ids["b"] = (await conn.execute(text(
        "INSERT INTO bulletins (org_id, project_id, kind, title, body, month, drafted_by) "
        "VALUES (:o, :p, 'praise', '表扬', '处理及时', date_trunc('month', now())::date, 'user:x') RETURNING id"), ids)).scalar()
    await conn.execute(text("INSERT INTO bulletin_cases (org_id, project_id, bulletin_id, case_id, position) "
                            "VALUES (:o, :p, :b, :c, 0)"), ids)
    await conn.execute(text("INSERT INTO bulletin_circulation "
                            "(org_id, project_id, bulletin_id, kind, title, body, month, subject, figures, "
                            "published_at) VALUES (:o, :p, :b, 'praise', '表扬', '处理及时', "
                            "date_trunc('month', now())::date, '项目', '{}', now())"), ids)
    await conn.execute(text("INSERT INTO case_review_circulation (org_id, project_id, review_id, case_number, source_project, verdict, "
                            "root_cause_category, root_cause, lessons, corrective_actions, tags, version, reviewed_at) "
                            "SELECT org_id, project_id, id, 'GD-1', '项目', verdict, root_cause_category, root_cause, lessons, "
                            "corrective_actions, tags, version, reviewed_at FROM case_reviews WHERE org_id = :o"), ids)
    # 外部单位、转办、12345 outside bodies, referrals and the 12345 bridge
    ids["ob"] = (await conn.execute(text(
        "INSERT INTO outside_bodies (org_id, project_id, kind, name, delivery, created_by) "
        "VALUES (:o, :p, 'street_office', '街道办', 'letter', 'user:x') RETURNING id"), ids)).scalar()
    ids["rf"] = (await conn.execute(text(
        "INSERT INTO referrals (org_id, project_id, case_id, body_id, reason, requested_action, created_by, due_at) "
        "VALUES (:o, :p, :c, :ob, '违建', '请查处', 'user:x', now() + interval '5 days') RETURNING id"), ids)).scalar()
    await conn.execute(text("INSERT INTO referral_updates (org_id, project_id, referral_id, kind, via, actor) "
                            "VALUES (:o, :p, :rf, 'sent', 'system', 'user:x')"), ids)
    await conn.execute(text("INSERT INTO gov_city_deadlines (org_id, city, urgency, response_minutes, resolve_minutes) "
                            "VALUES (:o, '深圳', 'day', 60, 1440)"), ids)
    ids["gb"] = (await conn.execute(text(
        "INSERT INTO gov_bridges (org_id, project_id, name, city, callback_url, secret_enc, receiver_id, created_by) "
        "VALUES (:o, :p, '12345', '深圳', 'https://12345.example.gov/cb', '\\x00', :admin, 'user:x') RETURNING id"), ids)).scalar()
    await conn.execute(text(
        "INSERT INTO gov_orders (org_id, project_id, bridge_id, case_id, order_number, category, urgency, content, received_at, "
        "response_due, resolve_due) VALUES (:o, :p, :gb, :c, 'SZ-1', '噪音', 'day', '施工噪音', now(), now(), now())"), ids)
    # 决策反馈 decision feedback
    ids["df"] = (await conn.execute(text(
        "INSERT INTO decision_feedback_items (org_id, project_id, category_id, body_id, period, title, summary, case_count, "
        "reported_at, reported_by) VALUES (:o, :p, :cat, :ob, date_trunc('month', now())::date, '违建反复', '三次转办', 3, now(), "
        "'user:x') RETURNING id"), ids)).scalar()
    await conn.execute(text("INSERT INTO decision_feedback_cases (org_id, project_id, item_id, case_id) VALUES (:o, :p, :df, :c)"), ids)
    await conn.execute(text("INSERT INTO decision_feedback_steps (org_id, project_id, item_id, status, evidence, actor, at) "
                            "VALUES (:o, :p, :df, 'reported', '三次转办', 'user:x', now())"), ids)
    # 品质检查 quality inspections
    ids["ck"] = (await conn.execute(text("INSERT INTO inspection_checklists (org_id, name, created_by) "
                                         "VALUES (:o, '月度品质检查', 'user:x') RETURNING id"), ids)).scalar()
    ids["ci"] = (await conn.execute(text("INSERT INTO inspection_checklist_items (org_id, checklist_id, position, title, max_points) "
                                         "VALUES (:o, :ck, 1, '大堂地面洁净', 10) RETURNING id"), ids)).scalar()
    ids["in"] = (await conn.execute(text("INSERT INTO inspections (org_id, project_id, checklist_id, inspector_id, inspected_on) "
                                         "VALUES (:o, :p, :ck, :admin, current_date) RETURNING id"), ids)).scalar()
    await conn.execute(text("INSERT INTO inspection_results (org_id, project_id, inspection_id, checklist_id, item_id, points, comment) "
                            "VALUES (:o, :p, :in, :ck, :ci, 6, '地面油污')"), ids)
    await conn.execute(text("INSERT INTO inspection_findings (org_id, project_id, inspection_id, item_id, description, severity, kind, "
                            "category_code, case_id) VALUES (:o, :p, :in, :ci, '油污未清理', 'general', 'repair', 'sanitation', :c)"), ids)


async def test_tenant_a_sees_no_row_of_b_and_cannot_write_into_b(platform, owner_engine, two_orgs_with_rows):
    a, b = two_orgs_with_rows
    tables = await tenant_tables(owner_engine)
    for table in tables:
        async with owner_engine.connect() as conn:
            rows_b = (await conn.execute(text(f"SELECT to_jsonb(t) FROM {table} t WHERE org_id = :o"), {"o": b.org_id})).scalars().all()
            # Generated columns (cases.search_text) cannot be written; copy every other one.
            columns = (await conn.execute(text(
                "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
                "WHERE attrelid = CAST(:t AS regclass) AND attnum > 0 AND NOT attisdropped AND attgenerated = ''"),
                {"t": table})).scalar()
        assert rows_b, f"fixture should give {b.slug} a row in {table}"
        async with platform.transaction(TenantScope(a.org_id, None, "test")) as conn:
            seen = (await conn.execute(text(f"SELECT count(*) FROM {table} WHERE org_id <> :o"), {"o": a.org_id})).scalar()
            mine = (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar()
        assert seen == 0, f"tenant A saw rows of another company in {table}"
        assert mine > 0, f"tenant A should see its own rows in {table}"
        # Insert a copy of B's row while A is the tenant. Policies are checked before unique
        # constraints, so the copy is refused by the wall, not by a duplicate key.
        overriding = "OVERRIDING SYSTEM VALUE" if table == "audit_log" else ""
        with pytest.raises(DBAPIError) as refused:
            async with platform.transaction(TenantScope(a.org_id, None, "test")) as conn:
                await conn.execute(
                    text(f"INSERT INTO {table} ({columns}) {overriding} SELECT {columns} "
                         f"FROM jsonb_populate_record(NULL::{table}, CAST(:r AS jsonb))"),
                    {"r": json.dumps(rows_b[0])},
                )
        assert getattr(refused.value.orig, "sqlstate", None) in ("42501",), f"{table}: {refused.value}"


async def test_moving_a_row_to_another_company_is_refused(platform, org, other_org):
    with pytest.raises(DBAPIError) as refused:
        async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
            await conn.execute(text("UPDATE projects SET org_id = :b WHERE id = :p"),
                               {"b": other_org.org_id, "p": org.projects["P1"]})
    assert refused.value.orig.sqlstate in ("42501", "23503")


async def test_project_scope_hides_other_projects_of_the_same_company(platform, org):
    p1, p2 = org.projects["P1"], org.projects["P2"]
    async with platform.transaction(TenantScope(org.org_id, frozenset({p1}), "test")) as conn:
        assert [r[0] for r in await conn.execute(text("SELECT id FROM projects"))] == [p1]
        assert (await conn.execute(text("SELECT count(*) FROM departments WHERE project_id = :p"), {"p": p2})).scalar() == 0
        assert (await conn.execute(text("SELECT count(*) FROM departments"))).scalar() == 7
        # Company-level rows (no project) belong to the company-wide scope only.
        assert (await conn.execute(text("SELECT count(*) FROM audit_log WHERE project_id IS NULL"))).scalar() == 0
    with pytest.raises(DBAPIError):
        async with platform.transaction(TenantScope(org.org_id, frozenset({p1}), "test")) as conn:
            await conn.execute(text("INSERT INTO departments (org_id, project_id, kind, name) VALUES (:o, :p, 'admin', 'x')"),
                               {"o": org.org_id, "p": p2})


async def test_definer_functions_reveal_only_a_company_id(platform, org):
    async with platform.transaction(None) as conn:
        assert (await conn.execute(text("SELECT org_id_for_slug(:s)"), {"s": org.slug})).scalar() == org.org_id
        assert (await conn.execute(text("SELECT org_id_for_slug('no-such-company')"))).scalar() is None
        # The functions run as the owner, but the caller's own reads stay walled.
        assert (await conn.execute(text("SELECT count(*) FROM users"))).scalar() == 0
