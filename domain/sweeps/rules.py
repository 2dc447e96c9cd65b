"""拉网式排查 What an HQ sweep may be. Pure.

- Headquarters' checklist: 1–100 items, each a code unique in the sweep, its text and the hazard
  category it looks for; fixed once launched.
- Sent to every project of the company, or to those named; due at a time within 90 days.
- A project records each item ok, hazard or not applicable, and submits when every item has a
  result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from domain.errors import invalid
from domain.hazards.rules import CATEGORY_LABELS

STATE_LABELS = {"draft": "草稿", "launched": "进行中", "closed": "已结束"}
PROJECT_STATE_LABELS = {"pending": "未开始", "in_progress": "排查中", "submitted": "已提交"}
RESULT_LABELS = {"ok": "正常", "hazard": "有隐患", "na": "不适用"}
MAX_ITEMS = 100
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


@dataclass(frozen=True, slots=True)
class SweepItem:
    code: str
    text: str
    category: str

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "text": self.text, "category": self.category}


def check_checklist(items: tuple[SweepItem, ...]) -> tuple[SweepItem, ...]:
    if not 1 <= len(items) <= MAX_ITEMS:
        raise invalid(f"排查清单须有1–{MAX_ITEMS}项。The checklist takes 1–{MAX_ITEMS} items.", "checklist")
    seen: set[str] = set()
    checked = []
    for item in items:
        code, text = item.code.strip(), item.text.strip()
        if not _CODE.match(code) or code in seen:
            raise invalid("每项的编号须唯一，1–20位字母、数字、-、_。Each item needs a unique code of 1–20 letters, digits, "
                          "- or _.", "checklist")
        if not 1 <= len(text) <= 200:
            raise invalid("每项的内容为1–200个字。Each item's text takes 1–200 characters.", "checklist")
        if item.category not in CATEGORY_LABELS:
            raise invalid("未知的隐患类别。Unknown category.", "checklist")
        seen.add(code)
        checked.append(SweepItem(code, text, item.category))
    return tuple(checked)


def check_due(due_at: datetime, now: datetime) -> datetime:
    if due_at.tzinfo is None or due_at <= now or due_at - now > timedelta(days=90):
        raise invalid("截止时间须在将来90天之内（带时区）。The due time is in the next 90 days, with its time zone.", "dueAt")
    return due_at
