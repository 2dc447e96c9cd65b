"""The fields a signed integration's JSON carries, read with the coded VALIDATION error that names
the field: ids as the API's global ids (`Unit:…`, `Case:…`) or bare UUIDs, an integrator's own ids,
times in ISO 8601. Payments (api/inbound/payments.py) and calls (api/inbound/calls.py) read theirs
here."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from api.graphql.types.node import parse_global_id
from domain.errors import invalid


def global_id(payload: dict[str, Any], field: str, type_name: str) -> UUID:
    value = payload.get(field)
    if not isinstance(value, str):
        raise invalid(f"须为 {type_name} 的 ID：{field}。{field} must be the id of a {type_name}.", field)
    try:
        return UUID(value)
    except ValueError:
        pass
    named, raw = parse_global_id(value, field)
    if named != type_name:
        raise invalid(f"须为 {type_name} 的 ID：{field}。{field} must be the id of a {type_name}.", field)
    return raw


def text_id(payload: dict[str, Any], field: str) -> str:
    value = payload.get(field)
    if not (isinstance(value, str) and 1 <= len(value) <= 100 and value.isascii() and value.isprintable()):
        raise invalid(f"须为 1 到 100 个 ASCII 字符：{field}。{field} must be 1–100 printable ASCII characters.", field)
    return value


def when(payload: dict[str, Any], field: str) -> datetime:
    value = payload.get(field)
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else _bad_when(field)
    except ValueError:
        return _bad_when(field)


def _bad_when(field: str) -> datetime:
    raise invalid(f"时间须为 ISO 8601 格式，例如 2026-12-07T10:15:00+08:00：{field}。"
                  f"{field} must be an ISO 8601 time with its offset.", field)
