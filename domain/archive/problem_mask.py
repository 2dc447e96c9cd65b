"""The masking of an import's problems, applied as each problem is made (`Report.add`), so no
report — the CLI's --report, the job's row, its report workbook, the API — shows a clear phone or
ID number: one that reached a problem other than by its own column — a formula in the phone
column, a number typed one column over into a date or the project code, data under no header —
is masked there too. Any run of 7 or more digits (an ID number's final X), or a mobile written
with spaces or dashes, is taken for one: a clear value must not outlive the upload's 24 hours."""

from __future__ import annotations

import re
from typing import Any

from tenants.personal_data import mask_id_number, mask_phone, normalize

# A mobile written 3-4-4 with spaces or dashes, or any unbroken run of 7+ digits (an ID's final X).
_NUMBER = re.compile(r"(?<![0-9])(?:1\d{2}([ \-])\d{4}\1\d{4}|\d{7,}(?:[Xx](?![A-Za-z]))?)(?![0-9])")
_FIELDS = ("value", "problem", "english")


def mask_number(number: str) -> str:
    """One number, as long as an ID card's (the ID mask), a mobile's (the phone mask) or shorter
    (its last four characters alone: a 7-digit landline keeps no more than a mobile does)."""
    found = normalize(number)
    if len(found) >= 15:
        return mask_id_number(found)
    if len(found) >= 11:
        return mask_phone(found)
    return "*" * max(len(found) - 4, 0) + found[-4:]


def mask_numbers(text: str) -> str:
    return _NUMBER.sub(lambda m: mask_number(m.group(0)), text)


def masked_problem(problem: dict[str, Any]) -> dict[str, Any]:
    return {k: mask_numbers(v) if k in _FIELDS and isinstance(v, str) else v for k, v in problem.items()}
