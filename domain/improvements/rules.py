"""持续改进 What a corrective action may be. Pure.

- Raised from something that showed the need — a case review, an alert, an inspection, a hazard,
  a sweep — or from nothing in particular (其他); the source is of the same project.
- Owned by one person with a role in the project, due on a Beijing day not yet past.
- Done by its owner (or whoever may raise actions there) with evidence: what was done, and
  up to nine files or photos.
- Verified by headquarters: passed, or returned with the reason and a new due date — the ladder
  starts again from there.
"""

from __future__ import annotations

from datetime import date

from domain.errors import invalid

SOURCE_LABELS = {"case_review": "案例研判", "alert": "客情预警", "inspection": "品质检查", "hazard": "隐患", "sweep": "排查",
                 "other": "其他"}
STATE_LABELS = {"open": "整改中", "done": "待验证", "verified": "已验证"}
MAX_FILES = 9


def check_title(title: str) -> str:
    title = title.strip()
    if not 1 <= len(title) <= 100:
        raise invalid("标题为1–100个字。The title takes 1–100 characters.", "title")
    return title


def check_description(text: str) -> str:
    text = text.strip()
    if len(text) > 2000:
        raise invalid("说明不超过2,000字。The description takes up to 2,000 characters.", "description")
    return text


def check_due(due_on: date, today: date, field: str = "dueOn") -> date:
    if due_on < today:
        raise invalid("完成期限不能早于今天。The due date cannot be in the past.", field)
    if (due_on - today).days > 366:
        raise invalid("完成期限不超过一年。The due date is at most a year ahead.", field)
    return due_on


def check_evidence(note: str, files: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    note = note.strip()
    if not 1 <= len(note) <= 2000:
        raise invalid("请写明整改做了什么（1–2,000字）。Say what was done, 1–2,000 characters.", "evidenceNote")
    if len(files) > MAX_FILES or any(not f.startswith("https://") or len(f) > 500 for f in files):
        raise invalid(f"佐证材料最多{MAX_FILES}个 https 链接。At most {MAX_FILES} https:// links as evidence.", "evidenceFiles")
    return note, files


def check_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not 1 <= len(reason) <= 200:
        raise invalid("退回须写明原因（1–200字）。A return needs its reason, 1–200 characters.", "note")
    return reason
