"""A response's answers checked against its questionnaire (docs/resident-services.md §7.2), pure:
every required question answered, each answer of its question's kind, options only of its own
question; each answer scored, and the response's weighted score. A refusal names the question
(第 N 题) so whoever enters the answers can find it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from domain.errors import invalid
from domain.surveys.scoring import answer_score, response_score

MAX_TEXT = 1000


@dataclass(frozen=True, slots=True)
class Question:
    id: UUID
    position: int
    kind: str
    text: str
    required: bool
    weight: int
    options: Mapping[UUID, int] = field(default_factory=dict)  # option id → its score


@dataclass(frozen=True, slots=True)
class Answer:
    """As given: the question, and the options, rating or text its kind takes."""

    question_id: UUID
    option_ids: tuple[UUID, ...] = ()
    rating: int | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Checked:
    question_id: UUID
    option_ids: tuple[UUID, ...]
    rating: int | None
    text: str | None
    score: int | None


@dataclass(frozen=True, slots=True)
class CheckedResponse:
    answers: tuple[Checked, ...]
    score: Decimal | None


def _empty(a: Answer) -> bool:
    return not a.option_ids and a.rating is None and not (a.text or "").strip()


def _check_one(q: Question, a: Answer) -> Checked:
    english = f"Question {q.position}"
    if q.kind == "rating":
        if a.option_ids or a.text or a.rating is None or not 1 <= a.rating <= 5:
            raise invalid(f"第 {q.position} 题「{q.text[:20]}」须评 1 到 5 分。{english} takes a rating from 1 to 5.", "answers")
        return Checked(q.id, (), a.rating, None, answer_score("rating", rating=a.rating))
    if q.kind == "text":
        text = (a.text or "").strip()
        if a.option_ids or a.rating is not None or not 1 <= len(text) <= MAX_TEXT:
            raise invalid(f"第 {q.position} 题「{q.text[:20]}」须填写 1 到 {MAX_TEXT} 个字的文字。"
                          f"{english} takes a text of 1 to {MAX_TEXT} characters.", "answers")
        return Checked(q.id, (), None, text, None)
    chosen = tuple(dict.fromkeys(a.option_ids))
    if a.rating is not None or a.text or any(o not in q.options for o in chosen):
        raise invalid(f"第 {q.position} 题「{q.text[:20]}」的选项须为该题自己的选项。{english} takes options of its own only.", "answers")
    if q.kind == "single" and len(chosen) != 1:
        raise invalid(f"第 {q.position} 题「{q.text[:20]}」为单选题，请选一项。{english} is single choice: choose one option.", "answers")
    if q.kind == "multiple" and not chosen:
        raise invalid(f"第 {q.position} 题「{q.text[:20]}」为多选题，请至少选一项。"
                      f"{english} is multiple choice: choose at least one option.", "answers")
    score = answer_score(q.kind, option_score=q.options[chosen[0]]) if q.kind == "single" else None
    return Checked(q.id, chosen, None, None, score)


def check(questions: Sequence[Question], answers: Sequence[Answer]) -> CheckedResponse:
    by_id = {q.id: q for q in questions}
    given: dict[UUID, Answer] = {}
    for a in answers:
        if a.question_id not in by_id:
            raise invalid("有答案不属于本问卷的题目。An answer names a question that is not of this questionnaire.", "answers")
        if a.question_id in given:
            q = by_id[a.question_id]
            raise invalid(f"第 {q.position} 题「{q.text[:20]}」答了两次。Question {q.position} is answered twice.", "answers")
        given[a.question_id] = a
    checked = []
    for q in sorted(questions, key=lambda q: q.position):
        found = given.get(q.id)
        if found is None or _empty(found):
            if q.required:
                raise invalid(f"第 {q.position} 题「{q.text[:20]}」为必答题。Question {q.position} is required.", "answers")
            continue
        checked.append(_check_one(q, found))
    if not checked:
        raise invalid("请至少回答一题。Answer at least one question.", "answers")
    return CheckedResponse(tuple(checked), response_score((by_id[c.question_id].weight, c.score) for c in checked))
