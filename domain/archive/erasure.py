"""What erasure looks for in the text others wrote about a resident (docs/archive.md §3, 删除): their
name, their phone and ID number, their contacts' values — as one PostgreSQL regular expression that
every stored copy is rewritten with (to ***). Pure.

A phone is matched however it was typed into a description: with or without +86, with spaces,
dots or dashes between the digits ("138 0013 8000", "138-0013-8000", "+86 13800138000"). A name of
one character is not looked for: rewriting every 王 of every text would destroy the cases' sense,
and one character names no one."""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "***"
SHORT_MASK = "**"  # for a two-character name: masking must never lengthen a text past its column's limit
_SEP = "[ .-]?"  # one optional separator between two digits, as people group a number
_PHONE_LIKE = re.compile(r"^\+?[\d\s().-]{7,}$")


def _literal(value: str, *, fold: bool = False) -> str:
    """`value` as a literal in a PostgreSQL advanced regular expression; with `fold`, each Latin
    letter in either case (an e-mail address, a WeChat account or an ID number's X is the same
    typed Wang@Example.com or x). A name keeps its case: folding a short one would mask more words."""
    escaped = re.sub(r"([\\^$.|?*+()\[\]{}-])", r"\\\1", value)
    if not fold:
        return escaped
    return re.sub(r"[A-Za-z]", lambda m: f"[{m[0].lower()}{m[0].upper()}]", escaped)


def _phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return r"(\+?86[ -]?)?" + _SEP.join(digits)


def copies_pattern(name: str, numbers: Iterable[str]) -> str | None:
    """One alternation of everything to rewrite, longest first (so a number is never half-masked
    by a shorter one); None when there is nothing to look for."""
    parts: set[str] = set()
    name = name.strip()
    if len(name) >= 2:
        parts.add(_literal(name))
    for value in numbers:
        value = value.strip()
        if not value:
            continue
        if _PHONE_LIKE.match(value) and sum(c.isdigit() for c in value) >= 7:
            parts.add(_phone(value))
        elif len(value) >= 2:
            parts.add(_literal(value, fold=True))
    if not parts:
        return None
    return "|".join(f"({p})" for p in sorted(parts, key=len, reverse=True))


def copies_mask(name: str) -> str:
    """What every copy becomes: *** unless the shortest thing looked for is a two-character name
    (王芳), which *** would lengthen — a description at its 5,000 characters would then break its
    limit and the erasure fail for good. Numbers, addresses and accounts are longer than three."""
    return SHORT_MASK if len(name.strip()) == 2 else MASK


def erased_text(pattern: str | None, value: str, mask: str = MASK) -> str:
    """`value` with every copy `pattern` finds masked, as the database rewrites stored text (the
    pattern is written in the part of PostgreSQL's syntax Python's `re` reads alike)."""
    return value if pattern is None else re.sub(pattern, mask, value)
