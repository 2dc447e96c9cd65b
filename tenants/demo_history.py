"""Months of history for the demo company: thousands of cases across its 12 projects, each walked
through the real case rules (domain/cases/model.py) at plausible times — busy mornings, quiet
nights, slower weekends; mostly repairs; a few broken promises, rejections, referrals, declines
and dissatisfied return visits — so that lists, timelines, progress feeds and HQ figures have
something true to show. Written once, by COPY, as cases with their audit rows; their outbox
events are not replayed (those notifications would be months late). The last days stay open
in every state, for the demo's queues and the trickle to work on."""

from __future__ import annotations

import json
import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.cases.defaults import AUTO_CONFIRM_SILENCE, DEFAULT_COMMITMENT
from domain.sla.policy import DEFAULTS
from domain.cases.model import Actor, Case, WrittenReply
from domain.cases.repository import CHINA, business_day, case_number
from domain.cases.states import CaseKind, Channel, Satisfaction, Severity, State
from domain.errors import DomainError

DAYS = 180
# Requests per household per day: about one a month for a large estate, with a floor so that
# a villa estate of ten households still has a history.
PER_HOUSEHOLD_DAY = 0.012
MIN_PER_DAY = 0.6
STALL_WINDOW = timedelta(days=3)

KINDS = ((CaseKind.REPAIR, 45), (CaseKind.REQUEST, 18), (CaseKind.INQUIRY, 15), (CaseKind.COMPLAINT, 10),
         (CaseKind.SUGGESTION, 5), (CaseKind.PRAISE, 4), (CaseKind.REPORT, 3))
SEVERITIES = ((Severity.GENERAL, 85), (Severity.MAJOR, 12), (Severity.EMERGENCY, 3))
CHANNELS = ((Channel.PHONE, 35), (Channel.WECHAT, 25), (Channel.APP, 15), (Channel.FRONT_DESK, 8), (Channel.WALK_IN, 5),
            (Channel.PATROL, 5), (Channel.STAFF_RELAY, 4), (Channel.EMAIL, 1), (Channel.HQ_HOTLINE, 1), (Channel.GOV_12345, 1))
CATEGORIES = {
    CaseKind.REPAIR: (("water_power", 30), ("leakage", 15), ("doors_windows", 15), ("facilities", 15), ("elevator", 10), ("public_area", 15)),
    CaseKind.COMPLAINT: (("noise", 25), ("parking", 20), ("sanitation", 15), ("renovation", 15), ("pets", 10), ("fees", 10), ("public_area", 5)),
    CaseKind.INQUIRY: (("fees", 40), ("parking", 20), ("renovation", 20), ("other", 20)),
    CaseKind.REQUEST: (("public_area", 30), ("other", 30), ("safety", 20), ("facilities", 20)),
    CaseKind.SUGGESTION: (("greening", 30), ("public_area", 30), ("facilities", 20), ("other", 20)),
    CaseKind.PRAISE: (("other", 40), ("sanitation", 20), ("safety", 20), ("greening", 20)),
    CaseKind.REPORT: (("safety", 50), ("renovation", 30), ("noise", 20)),
}
TEXTS = {
    "water_power": ("卫生间水龙头一直滴水", "家里跳闸，总闸合不上", "厨房下水道堵塞", "热水器没有热水，怀疑水压不够", "客厅插座没电"),
    "leakage": ("楼上渗水，卫生间天花板发霉", "下雨后阳台墙角渗水", "地下车库顶板滴水"),
    "doors_windows": ("入户门锁芯坏了，钥匙拧不动", "窗户关不严，漏风", "单元门禁刷卡没反应"),
    "facilities": ("楼道感应灯不亮", "小区健身器材螺丝松动", "信报箱门脱落"),
    "elevator": ("电梯运行有异响", "电梯按钮失灵，3楼按了不停", "电梯困人，请立即处理"),
    "public_area": ("楼道堆放杂物影响通行", "单元门口地砖松动", "请派人把十块瓷砖从304搬到隔壁展厅", "大堂玻璃门把手松了"),
    "noise": ("楼上夜间装修噪音扰民", "广场舞音响太大", "空调外机噪音很大"),
    "parking": ("车位被外来车辆占用", "地库道闸识别不了车牌", "月卡续费后仍无法进场"),
    "sanitation": ("垃圾桶满了没人清运", "楼道有异味，请保洁处理", "电梯轿厢很脏"),
    "renovation": ("邻居装修未办手续", "装修垃圾堆在楼道", "想咨询装修申报流程"),
    "pets": ("有人遛狗不牵绳", "草坪上狗粪没人清理"),
    "fees": ("物业费账单有疑问", "想开具物业费发票", "停车费怎么交"),
    "safety": ("消防通道被车辆堵住", "地下室有陌生人逗留", "楼顶天台门没锁"),
    "greening": ("建议在儿童乐园多种些树", "草坪需要修剪", "枯树枝有掉落风险"),
    "other": ("感谢保安师傅帮忙搬东西", "想了解小区活动安排", "快递柜使用问题"),
}
RESULTS = ("已更换配件，试用正常", "已疏通，业主现场确认", "已维修完毕", "已清理完毕", "已电话答复业主", "已协调处理")


def pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _hour(rng: random.Random) -> float:
    """When residents call: mornings and late afternoons, rarely at night."""
    return pick(rng, [(h, w) for h, w in enumerate((1, 1, 1, 1, 1, 2, 4, 8, 12, 12, 11, 9, 7, 8, 9, 10, 10, 9, 8, 7, 6, 4, 3, 2))]) + rng.random()


@dataclass
class Desk:
    """A project's people and places, as the history needs them."""

    project_id: uuid.UUID
    code: str
    households: int
    agent: uuid.UUID
    dispatcher: uuid.UUID
    tech: uuid.UUID
    supervisor: uuid.UUID
    manager: uuid.UUID
    units: list[tuple[uuid.UUID, uuid.UUID]] = field(default_factory=list)  # (unit, building)
    residents: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)


@dataclass
class Walked:
    case: Case
    category: str
    description: str
    unit: tuple[uuid.UUID, uuid.UUID] | None
    public_area: str | None
    resident: uuid.UUID | None
    reply: WrittenReply | None = None


class Clock:
    """The case's own time: each step happens some minutes after the last, unless that is
    after `now` — then the story stops there and the case stays open as it is."""

    def __init__(self, t: datetime, now: datetime) -> None:
        self.t, self.now = t, now

    def step(self, minutes: float, command: Callable[[datetime], None]) -> bool:
        t = self.t + timedelta(minutes=max(minutes, 0.5))
        if t >= self.now:
            return False
        self.t = t
        command(t)
        return True


WORKERS = (CaseKind.REPAIR, CaseKind.REQUEST, CaseKind.COMPLAINT, CaseKind.REPORT)


def walk(rng: random.Random, desk: Desk, org_id: uuid.UUID, received: datetime, now: datetime) -> Walked:
    """One case through the rules, step by step, until its story ends or reaches `now`."""
    kind, severity = pick(rng, KINDS), pick(rng, SEVERITIES)
    if kind is not CaseKind.REPAIR and severity is Severity.EMERGENCY:
        severity = Severity.MAJOR
    category = pick(rng, CATEGORIES[kind])
    unit = rng.choice(desk.units) if desk.units and rng.random() < 0.7 else None
    resident = rng.choice(desk.residents.get(unit[0], [None])) if unit else None
    w = Walked(case=Case.register(org_id=org_id, project_id=desk.project_id, kind=kind, severity=severity,
                                  channel=pick(rng, CHANNELS), receiver=Actor(rng.choice((desk.agent, desk.dispatcher))),
                                  now=received),
               category=category, description=rng.choice(TEXTS[category]), unit=unit,
               public_area=None if unit else rng.choice(("1号楼大堂", "地下车库", "中心花园", "南门岗亭", "会所")), resident=resident)
    # Some recent cases are still waiting on someone: the demo's open queues and overdue list.
    if now - received < STALL_WINDOW and rng.random() < 0.35:
        now = received + timedelta(minutes=rng.uniform(5, 240))
    c, clock = w.case, Clock(received, now)
    agent, sup = Actor(desk.agent), Actor(desk.supervisor, supervisor=True)
    handler = Actor(desk.tech if kind in WORKERS else desk.agent)  # inquiries and praise: the agent answers

    roll = rng.random()
    if roll < 0.02:  # withdrawn by the resident before anyone went
        clock.step(rng.uniform(5, 120), lambda n: c.cancel("业主已自行解决", actor=agent, now=n, by_resident=True))
        return w
    if roll < 0.04 and kind is CaseKind.REQUEST:
        w.reply = WrittenReply("该事项不属于物业服务合同约定的服务内容", "《物业服务合同》第三条",
                               ("可联系小区合作的搬家公司，约两小时内上门", "周末志愿者服务队可协助"))
        if clock.step(rng.uniform(5, 30), lambda n: c.request_decline("超出物业服务范围", actor=agent, now=n)):
            clock.step(rng.uniform(10, 90), lambda n: c.approve_decline(w.reply, actor=sup, now=n))
        return w
    policy = DEFAULT_COMMITMENT[severity]
    due_in = policy * rng.choice((0.5, 0.75, 1.0))
    if not clock.step(rng.uniform(1, 20), lambda n: c.commit(n + due_in, default_due=n + policy, actor=agent, now=n)):
        return w
    if roll < 0.06 and kind in (CaseKind.COMPLAINT, CaseKind.REPORT):
        if clock.step(rng.uniform(30, 240), lambda n: c.refer("街道办", "属于街道办职责范围", actor=sup, now=n)):
            clock.step(rng.uniform(600, 7200), lambda n: c.referral_answered("街道办已现场处理", actor=None, now=n))
        _follow_up(rng, w, desk, clock)
        return w
    for _ in range(3):  # the work, and again after a rejection or a dissatisfied visit
        if not _work(rng, w, handler, agent, clock, severity):
            return w
        _follow_up(rng, w, desk, clock)
        if c.state is not State.REOPENED:
            break
    return w


def _work(rng: random.Random, w: Walked, handler: Actor, agent: Actor, clock: Clock, severity: Severity) -> bool:
    c = w.case
    steps = [
        (rng.uniform(3, 40), lambda n: c.dispatch(assignee_id=handler.id, department_id=None, actor=agent, now=n)),
        (rng.uniform(2, 30), lambda n: c.accept(actor=handler, now=n)),
        (rng.uniform(10, 90), lambda n: c.start(actor=handler, now=n)),
    ]
    if rng.random() < 0.05:
        steps += [(rng.uniform(5, 30), lambda n: c.pause("需业主在家开门", actor=handler, now=n)),
                  (rng.uniform(60, 1440), lambda n: c.resume(actor=handler, now=n))]
    if not all(clock.step(minutes, command) for minutes, command in steps):
        return False
    low, high = {Severity.EMERGENCY: (0.3, 2), Severity.MAJOR: (1, 8), Severity.GENERAL: (0.5, 30)}[severity]
    if rng.random() < 0.08 and c.commitment_due is not None and c.commitment_due > clock.t:
        # The promise will be missed: said before it is, with apology, reason, remedy and a new time.
        before_due = (c.commitment_due - clock.t).total_seconds() / 60 * rng.uniform(0.3, 0.9)
        later = timedelta(hours=rng.choice((4, 12, 24)))
        if not clock.step(before_due, lambda n: c.miss_promise(
                apology="非常抱歉未能按时完成", reason="配件需要从厂家调货", remedy="先做临时处理，免收上门费",
                new_due=c.commitment_due + later, actor=agent, now=n)):
            return False
        low, high = later.total_seconds() / 3600 * 0.3, later.total_seconds() / 3600
    return clock.step(rng.uniform(low, high) * 60, lambda n: c.resolve(rng.choice(RESULTS), actor=handler, now=n))


def _follow_up(rng: random.Random, w: Walked, desk: Desk, clock: Clock) -> None:
    c = w.case
    if c.state is not State.RESOLVED:
        return
    answer = rng.random()
    if answer < 0.05:
        clock.step(rng.uniform(60, 1440), lambda n: c.reject("问题还在，没有修好", actor=None, now=n))
        return
    if answer < 0.25:  # the resident never answers: silence confirms
        silence = AUTO_CONFIRM_SILENCE.total_seconds() / 60 + rng.uniform(1, 60)
        if not clock.step(silence, lambda n: c.auto_confirm(now=n, silence=AUTO_CONFIRM_SILENCE)):
            return
    elif not clock.step(rng.uniform(30, 1800), lambda n: c.confirm(now=n)):
        return
    satisfaction = pick(rng, ((Satisfaction.SATISFIED, 80), (Satisfaction.BASICALLY_SATISFIED, 14), (Satisfaction.DISSATISFIED, 6)))
    score = {Satisfaction.SATISFIED: rng.choice((4, 5, 5)), Satisfaction.BASICALLY_SATISFIED: rng.choice((3, 4)),
             Satisfaction.DISSATISFIED: rng.choice((1, 2))}[satisfaction]
    comment = {Satisfaction.SATISFIED: "处理及时，很满意", Satisfaction.BASICALLY_SATISFIED: "基本满意，希望再快一点",
               Satisfaction.DISSATISFIED: "问题反复出现"}[satisfaction]
    visitor = Actor(desk.supervisor if c.handler_id != desk.supervisor else desk.manager)
    clock.step(rng.uniform(60, 2400), lambda n: c.return_visit(satisfaction, score, comment, visitor=visitor, now=n))


_DESKS = text(
    "SELECT p.id, p.code, p.households, "
    "  max(u.id::text) FILTER (WHERE r.role = 'cs_agent') AS agent, max(u.id::text) FILTER (WHERE r.role = 'dispatcher') AS dispatcher, "
    "  max(u.id::text) FILTER (WHERE r.role = 'technician') AS tech, max(u.id::text) FILTER (WHERE r.role = 'cs_supervisor') AS supervisor, "
    "  max(u.id::text) FILTER (WHERE r.role = 'project_manager') AS manager "
    "FROM projects p JOIN role_assignments r ON r.project_id = p.id JOIN users u ON u.id = r.user_id "
    "WHERE p.org_id = :o GROUP BY p.id, p.code, p.households ORDER BY p.code"
)


async def load_desks(conn, org_id: uuid.UUID) -> list[Desk]:
    desks = {}
    for r in await conn.execute(_DESKS, {"o": org_id}):
        desks[r.id] = Desk(r.id, r.code, r.households, *(uuid.UUID(getattr(r, k)) for k in
                                                          ("agent", "dispatcher", "tech", "supervisor", "manager")))
    for r in await conn.execute(text("SELECT project_id, id, building_id FROM units WHERE org_id = :o"), {"o": org_id}):
        desks[r.project_id].units.append((r.id, r.building_id))
    for r in await conn.execute(text("SELECT project_id, unit_id, id FROM residents WHERE org_id = :o"), {"o": org_id}):
        desks[r.project_id].residents.setdefault(r.unit_id, []).append(r.id)
    return list(desks.values())


def _transition_rows(org_id, w: Walked) -> list[tuple]:
    c = w.case
    return [(org_id, c.project_id, t.at, f"user:{t.actor_id}" if t.actor_id else "system", t.topic, "case", c.id,
             t.from_state.value if t.from_state else None, t.to_state.value, t.note, json.dumps(t.data, ensure_ascii=False, default=str))
            for t in c.transitions]


def _case_row(org_id, w: Walked, number: str, category_id: uuid.UUID) -> tuple:
    c = w.case
    unit, building = w.unit if w.unit else (None, None)
    return (org_id, c.project_id, c.id, number, c.kind.value, c.severity.value, c.channel.value, category_id, building, unit,
            w.public_area, w.resident, None, c.first_receiver_id, w.description, [], c.state.value, c.received_at,
            c.commitment_due, c.assignee_id, c.department_id, c.handler_id, c.paused_since, int(c.paused_total.total_seconds()),
            c.resolved_at, c.confirmed_at, c.auto_confirmed, c.reopen_count, c.rework_level, c.broken_promises,
            c.decline_from.value if c.decline_from else None, c.satisfaction.value if c.satisfaction else None,
            c.visit_score, c.visited_by, c.transitions[-1].at)


CASE_COLUMNS = (
    "org_id", "project_id", "id", "number", "kind", "severity", "channel", "category_id", "building_id", "unit_id",
    "public_area", "reporter_resident_id", "reporter_staff_id", "first_receiver_id", "description", "photos", "state",
    "received_at", "commitment_due", "assignee_id", "department_id", "handler_id", "paused_since", "paused_seconds",
    "resolved_at", "confirmed_at", "auto_confirmed", "reopen_count", "rework_level", "broken_promises", "decline_from",
    "satisfaction", "visit_score", "visited_by", "updated_at",
)
AUDIT_COLUMNS = ("org_id", "project_id", "at", "actor", "action", "entity", "entity_id", "from_state", "to_state", "note", "data")


def generate(org_id: uuid.UUID, desks: list[Desk], now: datetime, *, days: int = DAYS, seed: int = 2026) -> list[Walked]:
    rng = random.Random(seed)
    walked = []
    start = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    for desk in desks:
        rate = max(MIN_PER_DAY, desk.households * PER_HOUSEHOLD_DAY)
        for day in range(days + 1):
            midnight = start + timedelta(days=day)
            weekend = (midnight + timedelta(hours=8)).weekday() >= 5
            for _ in range(_poisson(rng, rate * (0.7 if weekend else 1.0))):
                # China's hours: local midnight is 16:00 UTC the day before.
                received = midnight - timedelta(hours=8) + timedelta(hours=_hour(rng))
                if received >= now:
                    continue
                try:
                    walked.append(walk(rng, desk, org_id, received, now))
                except DomainError as e:  # a generator bug, not a demo to show
                    raise AssertionError(f"history broke a rule: {e.message}") from e
    walked.sort(key=lambda w: w.case.received_at)
    return walked


def _poisson(rng: random.Random, mean: float) -> int:
    n, limit, p = 0, pow(2.718281828459045, -mean), rng.random()
    while p > limit:
        n, p = n + 1, p * rng.random()
    return n


async def add_history(engine: AsyncEngine, org_id: uuid.UUID, *, now: datetime | None = None, days: int = DAYS) -> int:
    """Adds the history once; a company that already has cases keeps what it has. Returns the
    number of cases written."""
    now = now or datetime.now(UTC)
    async with engine.begin() as conn:
        if (await conn.execute(text("SELECT 1 FROM cases WHERE org_id = :o LIMIT 1"), {"o": org_id})).first():
            return 0
        desks = await load_desks(conn, org_id)
        categories = {r.code: r.id for r in await conn.execute(
            text("SELECT code, id FROM case_categories WHERE org_id = :o"), {"o": org_id})}
        walked = generate(org_id, desks, now, days=days)
        codes = {d.project_id: d.code for d in desks}
        counters: dict[tuple, int] = defaultdict(int)
        cases, audit, replies, targets = [], [], [], []
        for w in walked:
            day = business_day(w.case.received_at)
            counters[(w.case.project_id, day)] += 1
            cases.append(_case_row(org_id, w, case_number(codes[w.case.project_id], day, counters[(w.case.project_id, day)]),
                                   categories[w.category]))
            audit.extend(_transition_rows(org_id, w))
            targets.extend(_target_rows(org_id, w))
            if w.reply is not None and w.case.state is State.DECLINED:
                declined = next(t for t in w.case.transitions if t.topic == "case.declined")
                replies.append((org_id, w.case.project_id, w.case.id, 1, w.reply.reason, w.reply.basis,
                                list(w.reply.alternatives), declined.actor_id, declined.at))
        raw = (await conn.get_raw_connection()).driver_connection
        await raw.copy_records_to_table("cases", records=cases, columns=CASE_COLUMNS)
        await raw.copy_records_to_table("audit_log", records=audit, columns=AUDIT_COLUMNS)
        await raw.copy_records_to_table("written_replies", records=replies, columns=(
            "org_id", "project_id", "case_id", "version", "reason", "basis", "alternatives", "created_by", "created_at"))
        await raw.copy_records_to_table("case_numbers", records=[(org_id, p, d, n) for (p, d), n in counters.items()],
                                        columns=("org_id", "project_id", "day", "last"))
        await raw.copy_records_to_table("case_targets", records=targets, columns=TARGET_COLUMNS)
    return len(cases)


TARGET_COLUMNS = ("org_id", "project_id", "case_id", "target", "round", "clock", "started_at", "budget_minutes", "due_at",
                  "met_at", "closed_by")


def _target_rows(org_id, w: Walked) -> list[tuple]:
    """The SLA record of a case the history made: when each target started, was due and was met —
    so that history counts in the figures (response and on-time rates). Timers are left out: their
    time is past, and firing them now would tell people of last month's cases."""
    c = w.case
    first = {}
    for t in c.transitions:
        first.setdefault(t.topic, t.at)
    commit, arrive, resolve, visit = DEFAULTS[c.severity]
    stopped = "cancelled" if c.state is State.CANCELLED else "declined" if c.state is State.DECLINED else None

    def row(target: str, start: datetime, due: datetime, met: datetime | None) -> tuple:
        closed_by = "met" if met else stopped
        return (org_id, c.project_id, c.id, target, 0, "always", start, (due - start).total_seconds() / 60, due,
                met or (first.get(f"case.{stopped}") if stopped else None), closed_by)

    rows = [row("commit", c.received_at, c.received_at + timedelta(minutes=commit), first.get("case.committed")),
            row("arrive", c.received_at, c.received_at + timedelta(minutes=arrive), first.get("case.started"))]
    if c.commitment_due is not None:
        resolved = c.resolved_at if c.state in (State.RESOLVED, State.CONFIRMED, State.CLOSED) else None
        rows.append(row("resolve", c.received_at, c.commitment_due, resolved))
    if c.confirmed_at is not None:
        rows.append(row("visit", c.confirmed_at, c.confirmed_at + timedelta(minutes=visit), first.get("case.closed")))
    return rows


_ROSTER_PEOPLE = text(
    "SELECT r.project_id, r.user_id, d.id AS department_id FROM role_assignments r "
    "JOIN departments d ON d.project_id = r.project_id AND d.kind = CASE r.role WHEN 'technician' THEN 'engineering' "
    "  WHEN 'staff' THEN 'security' ELSE 'customer_service' END "
    "WHERE r.org_id = :o AND r.role IN ('technician', 'staff', 'cs_agent')"
)


async def add_duty_roster(engine: AsyncEngine, org_id: uuid.UUID, *, now: datetime | None = None, days: int = 14) -> int:
    """Day and night shifts (08:00–20:00, 20:00–08:00 Beijing time) from yesterday for two weeks,
    so that dispatching to whoever is on duty works in the demo. Once per company."""
    now = now or datetime.now(UTC)
    async with engine.begin() as conn:
        if (await conn.execute(text("SELECT 1 FROM duty_shifts WHERE org_id = :o LIMIT 1"), {"o": org_id})).first():
            return 0
        people = list(await conn.execute(_ROSTER_PEOPLE, {"o": org_id}))
        first = datetime.combine(business_day(now), datetime.min.time(), tzinfo=CHINA) + timedelta(hours=8) - timedelta(days=1)
        rows = [(org_id, p.project_id, p.department_id, p.user_id, first + timedelta(hours=12 * i), first + timedelta(hours=12 * (i + 1)))
                for p in people for i in range(2 * days)]
        raw = (await conn.get_raw_connection()).driver_connection
        await raw.copy_records_to_table("duty_shifts", records=rows,
                                        columns=("org_id", "project_id", "department_id", "user_id", "starts_at", "ends_at"))
    return len(rows)
