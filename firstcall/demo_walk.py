"""One demo case walked through the real case rules (domain/cases/model.py) at plausible times —
busy mornings, quiet nights, slower weekends; mostly repairs; a few broken promises, rejections,
referrals, declines and dissatisfied return visits. Each story is one the rules could have
produced: a promise that will be missed gets its apology and new deadline (said in time, or
after the L1 escalation told the supervisor), a referral goes to a body on the project's
register, and the work takes about as long as the policy allows. Pure: no database."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.cases.defaults import AUTO_CONFIRM_SILENCE
from domain.cases.model import Actor, Case, WrittenReply
from domain.cases.states import CaseKind, Channel, Satisfaction, Severity, State
from domain.errors import DomainError
from domain.sla.policy import DEFAULTS, Policy
from domain.sla.calendar import Calendar, ClockKind

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
    CaseKind.REPAIR: (("water_power", 30), ("leakage", 15), ("doors_windows", 15), ("facilities", 15), ("elevator", 10),
                      ("public_area", 15)),
    CaseKind.COMPLAINT: (("noise", 25), ("parking", 20), ("sanitation", 15), ("renovation", 15), ("pets", 10), ("fees", 10),
                         ("public_area", 5)),
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
    weights = (1, 1, 1, 1, 1, 2, 4, 8, 12, 12, 11, 9, 7, 8, 9, 10, 10, 9, 8, 7, 6, 4, 3, 2)
    return pick(rng, list(enumerate(weights))) + rng.random()


# How fast the desk moves, by severity: an emergency is answered and reached in minutes.
SPEED = {Severity.EMERGENCY: 0.25, Severity.MAJOR: 0.5, Severity.GENERAL: 1.0}
# The company's policies (project None) and each project's overrides, by kind and severity.
Policies = dict[tuple[uuid.UUID | None, CaseKind, Severity], Policy]


def policy_of(policies: Policies, project_id: uuid.UUID, kind: CaseKind, severity: Severity) -> Policy:
    """The policy the SLA recorder would read: the project's override, else the company's, else the defaults."""
    return (policies.get((project_id, kind, severity)) or policies.get((None, kind, severity))
            or Policy(ClockKind.ALWAYS, *DEFAULTS[severity]))


@dataclass(frozen=True)
class Body:
    """An outside body on the project's register (外部单位)."""

    id: uuid.UUID
    name: str
    feedback_days: int


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
    bodies: list[Body] = field(default_factory=list)
    calendar: Calendar = field(default_factory=Calendar)  # its working hours, the company's own days


@dataclass(frozen=True)
class Referral:
    body: Body
    reason: str
    action: str


@dataclass
class Walked:
    case: Case
    category: str
    description: str
    unit: tuple[uuid.UUID, uuid.UUID] | None
    public_area: str | None
    resident: uuid.UUID | None
    policy: Policy
    calendar: Calendar
    reply: WrittenReply | None = None
    referral: Referral | None = None


class Clock:
    """The case's own time: each step happens some minutes after the last, unless that is
    after `now` — then the story stops there and the case stays open as it is."""

    def __init__(self, t: datetime, now: datetime) -> None:
        self.t, self.now = t, now

    def step(self, minutes: float, command: Callable[[datetime], None]) -> bool:
        return self.at(self.t + timedelta(minutes=max(minutes, 0.5)), command)

    def at(self, t: datetime, command: Callable[[datetime], None]) -> bool:
        t = max(t, self.t + timedelta(seconds=30))
        if t >= self.now:
            return False
        self.t = t
        command(t)
        return True


WORKERS = (CaseKind.REPAIR, CaseKind.REQUEST, CaseKind.COMPLAINT, CaseKind.REPORT)
REFERRABLE = (CaseKind.COMPLAINT, CaseKind.REPORT)


def walk(rng: random.Random, desk: Desk, org_id: uuid.UUID, received: datetime, now: datetime,
         policies: Policies | None = None) -> Walked:
    """One case through the rules, step by step, until its story ends or reaches `now`."""
    kind, severity = pick(rng, KINDS), pick(rng, SEVERITIES)
    if kind is not CaseKind.REPAIR and severity is Severity.EMERGENCY:
        severity = Severity.MAJOR
    category = pick(rng, CATEGORIES[kind])
    unit = rng.choice(desk.units) if desk.units and rng.random() < 0.7 else None
    resident = rng.choice(desk.residents.get(unit[0], [None])) if unit else None
    policy = policy_of(policies or {}, desk.project_id, kind, severity)
    w = Walked(case=Case.register(org_id=org_id, project_id=desk.project_id, kind=kind, severity=severity,
                                  channel=pick(rng, CHANNELS), receiver=Actor(rng.choice((desk.agent, desk.dispatcher))),
                                  now=received),
               category=category, description=rng.choice(TEXTS[category]), unit=unit,
               public_area=None if unit else rng.choice(("1号楼大堂", "地下车库", "中心花园", "南门岗亭", "会所")), resident=resident,
               policy=policy, calendar=desk.calendar)
    # Some recent cases are still waiting on someone: the demo's open queues and overdue list.
    if now - received < STALL_WINDOW and rng.random() < 0.35:
        now = received + timedelta(minutes=rng.uniform(5, 240))
    c, clock, speed = w.case, Clock(received, now), SPEED[severity]
    agent, sup = Actor(desk.agent), Actor(desk.supervisor, supervisor=True)
    handler = Actor(desk.tech if kind in WORKERS else desk.agent)  # inquiries and praise: the agent answers

    roll = rng.random()
    if roll < 0.04 and kind is CaseKind.REQUEST:  # answered within the commitment time, by a supervisor's decision
        w.reply = WrittenReply("该事项不属于物业服务合同约定的服务内容", "《物业服务合同》第三条",
                               ("可联系小区合作的搬家公司，约两小时内上门", "周末志愿者服务队可协助"))
        if clock.step(rng.uniform(0.1, 0.4) * policy.commit, lambda n: c.request_decline("超出物业服务范围", actor=agent, now=n)):
            clock.step(rng.uniform(0.1, 0.4) * policy.commit, lambda n: c.approve_decline(w.reply, actor=sup, now=n))
        return w
    # The promise: the policy's resolution deadline or a little sooner, counted from the call on
    # the policy's clock, as commitCase counts it.
    deadline = policy.deadline(received, calendar=desk.calendar)
    due = received + (deadline - received) * rng.choice((0.5, 0.75, 1.0))
    if not clock.step(rng.uniform(0.05, 0.6) * policy.commit,
                      lambda n: c.commit(due, default_due=deadline, actor=agent, now=n)):
        return w
    if roll < 0.02:  # withdrawn by the resident before anyone went
        clock.step(rng.uniform(2, 20) * speed, lambda n: c.cancel("业主已自行解决", actor=agent, now=n, by_resident=True))
        return w
    if roll < 0.1 and kind in REFERRABLE and desk.bodies:
        body = desk.bodies[0]
        w.referral = Referral(body, f"属于{body.name}职责范围，需由其依法处理。", "请派员到现场核查并处理，处理结果请书面反馈。")
        if clock.step(rng.uniform(30, 240), lambda n: c.refer(body.name, w.referral.reason, actor=sup, now=n)):
            clock.step(rng.uniform(600, 7200), lambda n: c.referral_answered(f"{body.name}已到现场处理完毕。", actor=sup, now=n))
        _follow_up(rng, w, desk, clock)
        return w
    for _ in range(3):  # the work, and again after a rejection or a dissatisfied visit
        if not _work(rng, w, handler, agent, clock, speed):
            return w
        _follow_up(rng, w, desk, clock)
        if c.state is not State.REOPENED:
            break
    return w


def _work(rng: random.Random, w: Walked, handler: Actor, agent: Actor, clock: Clock, speed: float) -> bool:
    c = w.case
    round_start = clock.t
    steps = [
        (rng.uniform(2, 20) * speed, lambda n: c.dispatch(assignee_id=handler.id, department_id=None, actor=agent, now=n)),
        (rng.uniform(2, 15) * speed, lambda n: c.accept(actor=handler, now=n)),
        (rng.uniform(10, 60) * speed, lambda n: c.start(actor=handler, now=n)),
    ]
    if rng.random() < 0.05:
        steps += [(rng.uniform(5, 30), lambda n: c.pause("需业主在家开门", actor=handler, now=n)),
                  (rng.uniform(60, 1440), lambda n: c.resume(actor=handler, now=n))]
    if not all(clock.step(minutes, command) for minutes, command in steps):
        return False
    assert c.commitment_due is not None
    if c.reopen_count == 0:  # the first round works to the promise
        deadline = c.commitment_due
    else:  # after a reopening, to the policy's resolution time from the reopening
        deadline = w.policy.deadline(round_start, calendar=w.calendar)
    left = max(deadline - clock.t, timedelta(minutes=10))
    finish = clock.t + left * rng.uniform(0.1, 0.8)
    if c.reopen_count == 0 and rng.random() < 0.08:  # parts to order, a second trade to wait for
        finish = c.commitment_due + left * rng.uniform(0.1, 1.5)
    if c.reopen_count == 0 and finish > c.commitment_due and not _miss_promise(rng, c, agent, clock, finish):
        return False
    return clock.at(finish, lambda n: c.resolve(rng.choice(RESULTS), actor=handler, now=n))


def _miss_promise(rng: random.Random, c: Case, agent: Actor, clock: Clock, finish: datetime) -> bool:
    """致歉与补救: said before the deadline, or — as often happens — only after it passed and the
    L1 escalation sent the supervisor to the phone."""
    assert c.commitment_due is not None
    budget = c.commitment_due - c.received_at
    if rng.random() < 0.4 and c.commitment_due - clock.t > timedelta(minutes=2):
        when = clock.t + (c.commitment_due - clock.t) * rng.uniform(0.3, 0.9)
    else:
        when = c.commitment_due + budget * rng.uniform(0.05, 0.7)
    new_due = max(finish, when) + timedelta(hours=rng.choice((1, 2, 4)))
    return clock.at(when, lambda n: c.miss_promise(
        apology="非常抱歉未能按时完成", reason="配件需要从厂家调货", remedy="先做临时处理，免收上门费",
        new_due=max(new_due, n + timedelta(hours=1)), actor=agent, now=n))


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


def generate(org_id: uuid.UUID, desks: list[Desk], now: datetime, *, days: int = DAYS, seed: int = 2026,
             policies: Policies | None = None) -> list[Walked]:
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
                    walked.append(walk(rng, desk, org_id, received, now, policies))
                except DomainError as e:  # a generator bug, not a demo to show
                    raise AssertionError(f"history broke a rule: {e.message}") from e
    walked.sort(key=lambda w: w.case.received_at)
    return walked


def _poisson(rng: random.Random, mean: float) -> int:
    n, limit, p = 0, pow(2.718281828459045, -mean), rng.random()
    while p > limit:
        n, p = n + 1, p * rng.random()
    return n
