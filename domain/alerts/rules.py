"""The early-warning rules of DESIGN §5 that a new case can trip, as pure functions: skip-level
complaints, risk words, clusters of residents reporting the same problem, repeat complainants.
Each returns what the alert should say; deduplication and the lifecycle live in the repository."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from domain.errors import invalid

DEFAULT_RISK_WORDS = ("媒体", "记者", "曝光", "律师", "起诉", "上访", "拉横幅", "业委会", "集体", "退费", "投诉到底", "12345")
COLOURS = ("yellow", "orange", "red")


@dataclass(frozen=True)
class AlertSettings:
    risk_words: tuple[str, ...] = DEFAULT_RISK_WORDS
    cluster_orange: int = 5
    cluster_red: int = 10
    cluster_hours: int = 24
    repeat_complaints: int = 3
    repeat_days: int = 30
    repeat_reopenings: int = 2
    breach_orange: float = 0.10
    breach_red: float = 0.20
    breach_days: int = 7
    breach_min_cases: int = 20
    satisfaction_target: float = 0.90
    satisfaction_min_visits: int = 10
    satisfaction_drop: float = 0.10
    # 收费率下滑 (docs/resident-services.md §6.7): a closed month's month-end collection rate.
    collection_target: float = 0.90
    collection_drop: float = 0.05
    collection_min_bills: int = 20

    def check(self) -> AlertSettings:
        words = tuple(dict.fromkeys(w.strip() for w in self.risk_words if w and w.strip()))
        if len(words) > 200 or any(len(w) > 20 for w in words):
            raise invalid("风险词最多 200 个，每个不超过 20 字。At most 200 risk words of at most 20 characters each.", "riskWords")
        if not 2 <= self.cluster_orange < self.cluster_red <= 1000:
            raise invalid("聚集阈值须满足：2 ≤ 橙色 < 红色 ≤ 1000 位住户。"
                          "Cluster thresholds: 2 ≤ orange < red ≤ 1000 residents.", "clusterOrange")
        if not 1 <= self.cluster_hours <= 720:
            raise invalid("聚集时长 clusterHours 须在 1 到 720 之间。clusterHours must be between 1 and 720.", "clusterHours")
        if not 2 <= self.repeat_complaints <= 100 or not 1 <= self.repeat_days <= 365:
            raise invalid("重复投诉：1 到 365 天内 2 到 100 次投诉。"
                          "Repeat complainant: 2–100 complaints within 1–365 days.", "repeatComplaints")
        if not 1 <= self.repeat_reopenings <= 20:
            raise invalid("重复返工次数 repeatReopenings 须在 1 到 20 之间。repeatReopenings must be between 1 and 20.", "repeatReopenings")
        if not 0 < self.breach_orange < self.breach_red <= 1:
            raise invalid("超时率须满足：0 < 橙色 < 红色 ≤ 1。SLA breach rates: 0 < orange < red ≤ 1.", "breachOrange")
        if not 1 <= self.breach_days <= 90:
            raise invalid("超时统计天数 breachDays 须在 1 到 90 之间。breachDays must be between 1 and 90.", "breachDays")
        if not 1 <= self.breach_min_cases <= 100000:
            raise invalid("超时最少工单数 breachMinCases 须在 1 到 100000 之间。"
                          "breachMinCases must be between 1 and 100000.", "breachMinCases")
        if not 0 < self.satisfaction_target <= 1:
            raise invalid("满意度目标 satisfactionTarget 须大于 0 且不超过 1。"
                          "satisfactionTarget must be above 0 and at most 1.", "satisfactionTarget")
        if not 1 <= self.satisfaction_min_visits <= 100000:
            raise invalid("最少回访数 satisfactionMinVisits 须在 1 到 100000 之间。"
                          "satisfactionMinVisits must be between 1 and 100000.", "satisfactionMinVisits")
        if not 0 < self.satisfaction_drop <= 1:
            raise invalid("满意度降幅 satisfactionDrop 须大于 0 且不超过 1。"
                          "satisfactionDrop must be above 0 and at most 1.", "satisfactionDrop")
        if not 0 < self.collection_target <= 1:
            raise invalid("收缴率目标 collectionTarget 须大于 0 且不超过 1。"
                          "collectionTarget must be above 0 and at most 1.", "collectionTarget")
        if not 0 < self.collection_drop <= 1:
            raise invalid("收缴率降幅 collectionDrop 须大于 0 且不超过 1。"
                          "collectionDrop must be above 0 and at most 1.", "collectionDrop")
        if not 1 <= self.collection_min_bills <= 1000000:
            raise invalid("最少账单数 collectionMinBills 须在 1 到 1000000 之间。"
                          "collectionMinBills must be between 1 and 1,000,000.", "collectionMinBills")
        return replace(self, risk_words=words)


@dataclass(frozen=True)
class Raised:
    rule: str
    scope_key: str
    colour: str
    title: str
    detail: str
    case_ids: tuple[str, ...] = field(default_factory=tuple)


def skip_level(case_id: str, number: str, kind: str, channel: str) -> Raised | None:
    if kind != "complaint" or channel not in ("hq_hotline", "gov_12345"):
        return None
    via = "总部热线" if channel == "hq_hotline" else "12345政务热线"
    return Raised("skip_level", f"case:{case_id}", "red", f"越级投诉：工单 {number}", f"业主通过{via}投诉，需立即跟进。", (case_id,))


def risk_words(case_id: str, number: str, text: str, words: tuple[str, ...]) -> Raised | None:
    found = [w for w in words if w in text]
    if not found:
        return None
    colour = "red" if len(found) >= 2 else "orange"
    return Raised("risk_words", f"case:{case_id}", colour, f"风险词：工单 {number}", f"诉求中出现：{'、'.join(found)}。", (case_id,))


def cluster(scope_key: str, place: str, category: str, residents: int, case_ids: tuple[str, ...], s: AlertSettings) -> Raised | None:
    """≥ orange distinct residents of one building (or project) about one category within the window."""
    if residents < s.cluster_orange:
        return None
    colour = "red" if residents >= s.cluster_red else "orange"
    return Raised("cluster", scope_key, colour, f"群发诉求：{place}「{category}」",
                  f"{s.cluster_hours}小时内{residents}位住户反映同类问题。", case_ids)


def repeat_complainant(resident_id: str, name: str, complaints: int, case_ids: tuple[str, ...], s: AlertSettings) -> Raised | None:
    if complaints < s.repeat_complaints:
        return None
    return Raised("repeat_complainant", f"resident:{resident_id}", "orange", f"重复投诉：{name}",
                  f"{s.repeat_days}天内投诉{complaints}次。", case_ids)
