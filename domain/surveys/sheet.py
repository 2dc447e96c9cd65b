"""调查结果 A campaign's results as a workbook (docs/resident-services.md §7.2), pure: rows in, bytes
out. 概况 the campaign's figures, 楼栋 by building, 答卷 one row per response with each question's
answer (written answers only when the reader may read the archive; they may name people)."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter

from domain.sla.calendar import CHINA
from domain.surveys.model import CHANNEL_LABELS, STATE_LABELS


def _score(value: Decimal | None) -> str:
    return f"{value:.2f}" if value is not None else ""


def survey_sheet(campaign: Any, score: Decimal | None, buildings: Sequence[Any], questions: Sequence[Any],
                 responses: Sequence[Any], answers: Sequence[Any], *, texts: bool) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    bold = book.add_format({"bold": True})
    sample = campaign.sample_size or 0
    summary = book.add_worksheet("概况 Summary")
    for n, (label, value) in enumerate((("调查活动 Campaign", campaign.title), ("问卷 Questionnaire", campaign.questionnaire_title),
                                        ("状态 State", STATE_LABELS[campaign.state]), ("样本户数 Sample", str(sample)),
                                        ("已答户数 Responses", str(campaign.answered)),
                                        ("回收率 Response rate", f"{campaign.answered / sample:.2%}" if sample else ""),
                                        ("得分 Score", _score(score)))):
        summary.write_string(n, 0, label, bold)
        summary.write_string(n, 1, value)
    summary.set_column(0, 1, 24)

    by_building = book.add_worksheet("楼栋 Buildings")
    for col, name in enumerate(("楼栋 Building", "样本 Sample", "已答 Responses", "回收率 Rate", "得分 Score")):
        by_building.write_string(0, col, name, bold)
    for n, b in enumerate(buildings, start=1):
        by_building.write_string(n, 0, b.name)
        by_building.write_number(n, 1, b.sample_size)
        by_building.write_number(n, 2, b.responses)
        by_building.write_string(n, 3, f"{b.responses / b.sample_size:.2%}" if b.sample_size else "")
        by_building.write_string(n, 4, _score(b.score))

    given: dict[Any, dict[Any, str]] = defaultdict(dict)
    kinds = {q.id: q.kind for q in questions}
    for a in answers:
        kind = kinds.get(a.question_id)
        if kind == "rating":
            given[a.response_id][a.question_id] = str(a.rating)
        elif kind == "text":
            given[a.response_id][a.question_id] = (a.text or "") if texts else "（需档案权限 archive:read）"
        else:
            given[a.response_id][a.question_id] = a.labels or ""
    sheet = book.add_worksheet("答卷 Responses")
    fixed = ("楼栋 Building", "单元 Entrance", "房号 Flat", "渠道 Channel", "提交时间 Submitted", "得分 Score")
    for col, name in enumerate((*fixed, *(f"{q.position}. {q.text}" for q in questions))):
        sheet.write_string(0, col, name, bold)
    for n, r in enumerate(responses, start=1):
        values = (r.building, r.entrance, r.number, CHANNEL_LABELS[r.channel],
                  r.submitted_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M"), _score(r.score),
                  *(given[r.id].get(q.id, "") for q in questions))
        for col, value in enumerate(values):
            sheet.write_string(n, col, str(value))
    book.close()
    return out.getvalue()
