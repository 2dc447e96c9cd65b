"""The archive's import template (docs/archive.md §6.2): 说明 first, then every sheet with its
headers and no rows — the layout every export writes too (`export.py`)."""

from __future__ import annotations

import io

from domain.archive.export import ABOUT, GUIDE, ArchiveBook
from domain.archive.sheets import SHEETS, Sheet


def template(sheets: tuple[Sheet, ...] = SHEETS, rules: tuple[tuple[str, str], ...] = GUIDE,
             about: dict[str, tuple[str, str]] | None = None) -> bytes:
    """The template workbook as bytes (a few kilobytes); another import's sheets bring their guide."""
    out = io.BytesIO()
    book = ArchiveBook(out)
    book.guide(sheets, rules, ABOUT if about is None else about)
    for sheet in sheets:
        book.sheet(sheet)
    book.close()
    return out.getvalue()
