"""隐患台账 What a hazard may be. Pure.

- Reported from a patrol visit, an inspection or a case of the same project, or by whoever saw it
  (随手拍 `report`, no source record); a sweep's results come with the sweeps.
- Graded; the grade gives the deadline when none is named: major 24 hours, significant 3 days,
  general 7 days, low 30 days.
- Rectified by its owner (or whoever manages hazards there) with a note and up to nine photos;
  verified by someone other than the owner — a failure sends it back with a new deadline — or its
  risk accepted with the reason.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.errors import invalid

SOURCE_LABELS = {"patrol": "巡查", "sweep": "排查", "inspection": "品质检查", "case": "工单", "report": "随手拍"}
CATEGORY_LABELS = {"fire": "消防", "electrical": "用电", "gas": "燃气", "elevator": "电梯", "structure": "结构",
                   "falling": "高空坠物", "water": "给排水", "traffic": "交通", "other": "其他"}
GRADE_LABELS = {"major": "重大", "significant": "较大", "general": "一般", "low": "低"}
STATE_LABELS = {"open": "待指派", "rectifying": "整改中", "rectified": "待验证", "verified": "已验证", "accepted": "风险接受"}
DEFAULT_SPAN = {"major": timedelta(hours=24), "significant": timedelta(days=3), "general": timedelta(days=7),
                "low": timedelta(days=30)}
MAX_PHOTOS = 9


def default_deadline(grade: str, now: datetime) -> datetime:
    return now + DEFAULT_SPAN[grade]


def check_text(value: str, field: str, *, low: int, high: int, zh: str) -> str:
    value = value.strip()
    if not low <= len(value) <= high:
        raise invalid(f"字数不符：{zh}为{low}–{high}个字。{field} takes {low}–{high:,} characters.", field)
    return value


def check_photos(photos: tuple[str, ...], field: str) -> tuple[str, ...]:
    if len(photos) > MAX_PHOTOS or any(not p.startswith("https://") or len(p) > 500 for p in photos):
        raise invalid(f"照片最多{MAX_PHOTOS}个 https 链接。At most {MAX_PHOTOS} https:// links.", field)
    return photos


def check_deadline(deadline: datetime, now: datetime, field: str = "deadline") -> datetime:
    if deadline.tzinfo is None:
        raise invalid("期限须带时区。The deadline needs its time zone.", field)
    if deadline <= now:
        raise invalid("整改期限须在将来。The deadline must be in the future.", field)
    if deadline - now > timedelta(days=366):
        raise invalid("整改期限不超过一年。The deadline is at most a year ahead.", field)
    return deadline
