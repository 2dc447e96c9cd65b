"""巡查 What routes, points, plans and visits may be. Pure.

- A route is a named walk of a project (安全巡查, 工程巡检, 环境巡查, 绿化, 巡访), its points in order.
- A point names a place and up to twenty things to look at; its token (16 random bytes in
  base32, printed as a QR code holding `fc:pp:<token>`) proves the walker stood there.
- A plan gives the route to one person or one department, daily, on weekdays or on days of the
  month, in a window of up to a day starting at a Beijing time of day.
- A visit is ok, an issue or not applicable, with a note, up to nine https photo links and, on a
  巡访 walk, the owner talked with.
"""

from __future__ import annotations

import base64
import secrets
from datetime import date

from domain.errors import DomainError, ErrorCode, ErrorReason, invalid

KIND_LABELS = {"safety": "安全巡查", "engineering": "工程巡检", "cleaning": "环境巡查", "greening": "绿化巡查", "visit": "巡访"}
CADENCE_LABELS = {"daily": "每天", "weekly": "每周", "monthly": "每月"}
RUN_STATE_LABELS = {"scheduled": "待巡查", "in_progress": "巡查中", "done": "已完成", "missed": "漏巡", "cancelled": "已取消"}
RESULT_LABELS = {"ok": "正常", "issue": "有问题", "na": "不适用"}
MAX_CHECKS, MAX_PHOTOS = 20, 9
QR_PREFIX = "fc:pp:"
TOKEN_LENGTH = 26  # 16 bytes in base32, unpadded
TAIL_LENGTH = 6  # printed under each code on the sheet


def new_token() -> str:
    return base64.b32encode(secrets.token_bytes(16)).decode().rstrip("=")


def token_of(scanned: str) -> str:
    """What a QR code or a typed code names: the token, with or without its prefix, any case."""
    value = scanned.strip()
    if value.lower().startswith(QR_PREFIX):
        value = value[len(QR_PREFIX):]
    return value.upper()


def check_name(name: str, field: str = "name") -> str:
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise invalid("名称为1–100个字。The name takes 1–100 characters.", field)
    return name


def check_place(place: str) -> str:
    place = place.strip()
    if len(place) > 200:
        raise invalid("位置说明不超过200字。The place takes up to 200 characters.", "place")
    return place


def check_checks(checks: tuple[str, ...]) -> tuple[str, ...]:
    items = tuple(c.strip() for c in checks if c.strip())
    if len(items) > MAX_CHECKS or any(len(c) > 100 for c in items):
        raise invalid(f"检查项最多{MAX_CHECKS}条，每条不超过100字。At most {MAX_CHECKS} checks of up to 100 characters.",
                      "checks")
    return items


def check_schedule(cadence: str, weekdays: tuple[int, ...], month_days: tuple[int, ...], window_minutes: int,
                   starts_on: date, ends_on: date | None) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if cadence not in CADENCE_LABELS:
        raise invalid("未知的频次。Unknown cadence.", "cadence")
    days = tuple(sorted(set(weekdays))) if cadence == "weekly" else ()
    mdays = tuple(sorted(set(month_days))) if cadence == "monthly" else ()
    if cadence == "weekly" and (not days or not all(1 <= d <= 7 for d in days)):
        raise invalid("每周巡查须选择星期几（1=周一 … 7=周日）。A weekly plan names its weekdays, 1 = Monday … 7 = Sunday.",
                      "weekdays")
    if cadence == "monthly" and (not mdays or not all(1 <= d <= 31 for d in mdays)):
        raise invalid("每月巡查须选择日期（1–31）。A monthly plan names its days of the month, 1–31.", "monthDays")
    if not 10 <= window_minutes <= 1440:
        raise invalid("巡查时段为10分钟到24小时。The window lasts 10 minutes to 24 hours.", "windowMinutes")
    if ends_on is not None and ends_on < starts_on:
        raise dates_refused("结束日期不能早于开始日期（同一天为只巡一天）。The plan cannot end before it starts (the same day "
                            "is a one-day plan).")
    return days, mdays


def dates_refused(message: str) -> DomainError:
    """VALIDATION with reason PATROL_PLAN_DATES, on endsOn: a plan's dates that make no span."""
    return DomainError(ErrorCode.VALIDATION, message, "endsOn", reason=ErrorReason.PATROL_PLAN_DATES)


def check_new_end(ends_on: date | None, was: date | None, today: date) -> None:
    """An edited plan may not be given an end already past: that would rewrite what the plan asked
    of days walked. Stopping a plan today is switching it off; an old end kept as it was is fine."""
    if ends_on is not None and ends_on != was and ends_on < today:
        raise dates_refused("新的结束日期不能早于今天；要立即停止请停用计划。The new end cannot be before today; to stop the plan "
                            "now, switch it off.")


def check_visit(result: str, note: str, photos: tuple[str, ...], talk_note: str | None) -> tuple[str, str | None]:
    if result not in RESULT_LABELS:
        raise invalid("结果须为正常、有问题或不适用。The result is ok, issue or na.", "result")
    note = note.strip()
    if len(note) > 1000:
        raise invalid("备注不超过1,000字。The note takes up to 1,000 characters.", "note")
    if result == "issue" and not note:
        raise invalid("有问题时请写明问题。Say what the issue is.", "note")
    if len(photos) > MAX_PHOTOS or any(not p.startswith("https://") or len(p) > 500 for p in photos):
        raise invalid(f"照片最多{MAX_PHOTOS}张（https 链接）。At most {MAX_PHOTOS} photos, as https:// links.", "photos")
    talk = talk_note.strip() if talk_note is not None else None
    if talk is not None and len(talk) > 1000:
        raise invalid("沟通记录不超过1,000字。The talk note takes up to 1,000 characters.", "talk")
    return note, talk
