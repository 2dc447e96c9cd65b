"""What erasure looks for (domain/archive/erasure.py): the name, and each number however a person
typed it into a description. The pattern is PostgreSQL's; Python's `re` reads this subset alike."""

from __future__ import annotations

import re

from domain.archive.erasure import copies_mask, copies_pattern, erased_text


def masked(pattern: str | None, text: str) -> str:
    assert pattern is not None
    return re.sub(pattern, "***", text)


def test_the_name_and_every_way_of_typing_the_phone():
    p = copies_pattern("王建国", ["13800138000"])
    said = "王建国来电：138 0013 8000、138-0013-8000、+86 13800138000、8613800138000、138.0013.8000"
    assert masked(p, said) == "***来电：***、***、***、***、***"
    assert masked(p, "王建来电 13800138001") == "王建来电 13800138001"  # another name, another number


def test_numbers_of_every_kind_and_names_as_literals():
    p = copies_pattern("A.B(C)", ["11010519491231002X", "wang.jg@example.com", "010-6512 3456"])
    assert masked(p, "A.B(C) 与 AxB(C)") == "*** 与 AxB(C)"
    assert masked(p, "证件 11010519491231002X，邮箱 wang.jg@example.com，座机 01065123456") == "证件 ***，邮箱 ***，座机 ***"


def test_nothing_to_look_for():
    assert copies_pattern("王", []) is None  # one character names no one; rewriting every 王 would ruin the text
    assert copies_pattern(" ", ["", "  "]) is None
    assert copies_pattern("王", ["13800138000"]) == copies_pattern("", ["13800138000"])


def test_an_address_account_or_id_number_in_any_case_and_the_name_in_its_own():
    p = copies_pattern("Li Na", ["wang.jg@example.com", "Wxid_Li2024", "11010519491231002X"])
    said = "Li Na / li na，邮箱 Wang.JG@Example.COM，微信 wxid_li2024，证件 11010519491231002x"
    assert masked(p, said) == "*** / li na，邮箱 ***，微信 ***，证件 ***"


def test_the_mask_never_lengthens_what_it_replaces():
    assert (copies_mask("王芳"), copies_mask(" 王芳 "), copies_mask("王建国"), copies_mask("王")) == ("**", "**", "***", "***")
    p = copies_pattern("王芳", ["13800138000"])
    assert erased_text(p, "王芳来电 13800138000", copies_mask("王芳")) == "**来电 **"
