"""Part of a flat number as an agent types it on a call — "3-1-1202", "3栋1单元1202", "3#1202",
"1202" — turned into what to match (docs/archive.md §5.1). Pure.

The last group of letters and digits is the flat number: alone it is any part of the number
(`LIKE '%1202%'`), after other groups it is the whole number. The groups before it are the
building's and then the entrance's letters and digits ("3号楼" → "3", "A座" → "A"), so the words
people put between them (栋, 号楼, 单元, 座, #, -) do not matter."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from domain.errors import invalid

_GROUP = re.compile(r"[0-9A-Z]+")
_DIGIT = re.compile(r"\d")
# What counts of a stored building name or entrance when compared with a typed group.
KEY_PATTERN = "[^0-9A-Z]"


@dataclass(frozen=True)
class FlatQuery:
    number: str  # the flat number, or part of it when `partial`
    partial: bool
    building: str | None = None  # the building's letters and digits
    entrance: str | None = None  # the entrance's (单元) letters and digits


def parse_flat_query(typed: str) -> FlatQuery | None:
    """None when there is nothing to look for: no digit at all, or more than three groups."""
    text = unicodedata.normalize("NFKC", typed).upper()  # full-width ３－１２０２ as typed by a Chinese IME
    groups = _GROUP.findall(text)
    if not groups or len(groups) > 3 or not _DIGIT.search(text):
        return None
    *place, number = groups
    if not place:
        return FlatQuery(number=number, partial=True)
    return FlatQuery(number=number, partial=False, building=place[0], entrance=place[1] if len(place) > 1 else None)


def required_flat_query(typed: str, field: str) -> FlatQuery:
    """What to look for, or VALIDATION on `field` when the text holds nothing to look for."""
    query = parse_flat_query(typed)
    if query is None:
        raise invalid("房号格式无法识别（如 3-1-1202、3栋1202 或 1202）。"
                      "Not a flat number (e.g. 3-1-1202, 3栋1202 or 1202).", field)
    return query
