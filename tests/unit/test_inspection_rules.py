"""品质检查 rules on hand-computed inspections: the score, what a checklist and an inspection must be."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from domain.errors import DomainError, ErrorCode
from domain.inspections.model import (
    Finding, Item, ItemSpec, Result, case_description, category_of, check, checklist, score,
)

TODAY = date(2026, 12, 1)
ITEMS = [Item(uuid.uuid4(), 1, "大堂地面洁净", 10, "cleaning"), Item(uuid.uuid4(), 2, "消防通道畅通", 20, "security"),
         Item(uuid.uuid4(), 3, "电梯轿厢整洁", 5, "engineering")]
A, B, C = (i.id for i in ITEMS)


def refused(field: str, fn, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as e:
        fn(*args, **kwargs)
    assert (e.value.code, e.value.field) == (ErrorCode.VALIDATION, field)
    return e.value.message


def submit(results, findings=(), on=TODAY):
    return check(ITEMS, results, findings, inspected_on=on, today=TODAY, submit=True)


def test_the_score_is_points_over_the_points_of_the_applicable_items():
    full = submit([Result(A, 10), Result(B, 20), Result(C, 5)])
    assert (full.awarded, full.possible, full.score) == (35, 35, 100.0)
    # 8 + 15 + 5 = 28 of 35 → 80.
    s = submit([Result(A, 8, "墙角有污渍"), Result(B, 15, "杂物堆放"), Result(C, 5)])
    assert (s.awarded, s.possible, s.score) == (28, 35, pytest.approx(80.0))
    # The lift item does not apply: 8 + 15 of 30 → 76.666…
    assert submit([Result(A, 8, "污渍"), Result(B, 15, "杂物"), Result(C, None)]).score == pytest.approx(2300 / 30)
    assert submit([Result(A, 0, "未清洁"), Result(B, 0, "堵塞"), Result(C, 0, "脏")]).score == 0.0
    assert score(ITEMS, [Result(A, 5)]).score == 50.0


def test_a_draft_may_be_partial_and_has_no_score():
    assert check(ITEMS, [Result(A, 3)], [], inspected_on=TODAY, today=TODAY, submit=False) is None
    assert "2, 3" in refused("results", submit, [Result(A, 10)])


def test_bad_results_are_refused():
    refused("results", submit, [Result(A, 11), Result(B, 20), Result(C, 5)])  # over the item's points
    refused("results", submit, [Result(A, -1, "x"), Result(B, 20), Result(C, 5)])
    refused("results", submit, [Result(uuid.uuid4(), 1), Result(A, 10), Result(B, 20), Result(C, 5)])  # not on the checklist
    refused("results", submit, [Result(A, 10), Result(A, 9, "x"), Result(B, 20), Result(C, 5)])  # twice
    assert "扣分说明" in refused("results", submit, [Result(A, 9), Result(B, 20), Result(C, 5)])  # a deduction without a reason
    refused("results", submit, [Result(A, None), Result(B, None), Result(C, None)])  # nothing to score
    refused("inspectedOn", submit, [Result(A, 10), Result(B, 20), Result(C, 5)], on=date(2026, 12, 2))
    refused("inspectedOn", submit, [Result(A, 10), Result(B, 20), Result(C, 5)], on=date(1999, 12, 31))


def test_findings_belong_to_deductions():
    ok = [Result(A, 6, "污渍"), Result(B, 20), Result(C, 5)]
    assert submit(ok, [Finding(A, "大堂东侧地面油污未清理")]).score == pytest.approx(3100 / 35)
    refused("findings", submit, ok, [Finding(B, "满分项不应有整改")])
    refused("findings", submit, ok, [Finding(uuid.uuid4(), "不在表上")])
    refused("findings", submit, ok, [Finding(A, "一"), Finding(A, "二")])
    refused("findings", submit, ok, [Finding(A, "  ")])
    refused("findings", submit, ok, [Finding(A, "投诉", kind="complaint")])
    refused("findings", submit, ok, [Finding(A, "x", severity="urgent")])
    refused("findings", submit, ok, [Finding(A, "x", category="Not A Code")])
    na = [Result(A, None), Result(B, 20), Result(C, 5)]
    refused("findings", submit, na, [Finding(A, "不适用项不应有整改")])


def test_checklists_are_validated_and_trimmed():
    name, items = checklist(" 月度品质检查 ", [ItemSpec(" 大堂 ", 10, " 看地面 ", "cleaning")])
    assert name == "月度品质检查" and items == (ItemSpec("大堂", 10, "看地面", "cleaning"),)
    refused("items", checklist, "空表", [])
    refused("name", checklist, " ", [ItemSpec("a", 1)])
    refused("name", checklist, "名" * 101, [ItemSpec("a", 1)])
    refused("items", checklist, "表", [ItemSpec("a", 0)])
    refused("items", checklist, "表", [ItemSpec("a", 101)])
    refused("items", checklist, "表", [ItemSpec(" ", 5)])
    refused("items", checklist, "表", [ItemSpec("a", 5, department_kind="kitchen")])
    refused("items", checklist, "表", [ItemSpec("a", 5), ItemSpec("a", 3)])
    refused("items", checklist, "表", [ItemSpec(f"项{i}", 1) for i in range(101)])


def test_a_findings_case_names_the_inspection_and_the_item():
    f = Finding(B, " 3号楼消防通道堆放纸箱 ")
    assert case_description("月度品质检查", date(2026, 11, 28), ITEMS[1], f) == (
        "品质检查「月度品质检查」2026-11-28 第2项「消防通道畅通」：3号楼消防通道堆放纸箱")
    assert category_of(f, ITEMS[1]) == "safety" and category_of(Finding(A, "x", category="pests"), ITEMS[0]) == "pests"
    assert category_of(Finding(A, "x"), Item(uuid.uuid4(), 4, "前台礼仪", 5, "customer_service")) == "other"
