"""Chinese text put together from pieces people typed (an apology, a reason, an outcome) the way
a person would write it: each piece a clause or a full sentence with its own punctuation, never
glued to the next by a bare space, never ending twice (。。) or not at all. Pure."""

from __future__ import annotations

# What may end a piece as typed: dropped before the piece takes the punctuation its place needs.
_TRAILING = " \t\r\n\u3000。．.，,；;、：:"
_TERMINAL = ("。", "！", "？", "…", "!", "?")


def clause(text: str | None) -> str:
    """A piece to be followed by more: stripped of the punctuation it was typed with."""
    return (text or "").strip().rstrip(_TRAILING)


def sentence(text: str | None) -> str:
    """A piece that stands alone: it ends in 。 unless it already ends in ！？ or …"""
    text = (text or "").strip()
    if text.endswith(_TERMINAL[1:]):
        return text
    text = clause(text)
    return f"{text}。" if text else ""


def items(texts: list[str] | tuple[str, ...]) -> str:
    """Choices in a sentence: 甲；乙；丙 (the caller ends the sentence)."""
    return "；".join(c for c in (clause(t) for t in texts) if c)


def place(building: str | None, unit: str | None, public_area: str | None, fallback: str) -> str:
    """Where a case is: 3号楼302室, or the public area, written as one phrase."""
    home = f"{building or ''}{f'{unit}室' if unit else ''}"
    return "，".join(p for p in (home, public_area) if p) or fallback
