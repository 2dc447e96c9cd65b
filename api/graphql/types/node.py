"""Relay plumbing: opaque global ids, cursors, connections."""

from __future__ import annotations

import base64
import binascii
from typing import Generic, TypeVar
from uuid import UUID

import strawberry

from domain.errors import invalid

T = TypeVar("T")
MAX_PAGE = 100


@strawberry.interface(description="An object with a global id.")
class Node:
    id: strawberry.ID


def to_global_id(type_name: str, value: UUID) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{value}".encode()).decode().rstrip("="))


def parse_global_id(gid: str, field: str = "id") -> tuple[str, UUID]:
    try:
        type_name, raw = _b64decode(gid).split(":", 1)
        return type_name, UUID(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid(f"「{field}」不是有效的 ID。{field} is not a valid id.", field) from None


def from_global_id(gid: str, expected: str, field: str = "id") -> UUID:
    type_name, value = parse_global_id(gid, field)
    if type_name != expected:
        raise invalid(f"「{field}」须为 {expected} 的 ID，而不是 {type_name} 的。"
                      f"{field} must be the id of a {expected}, not of a {type_name}.", field)
    return value


_CURSOR = "c1:"  # versioned, so a cursor from elsewhere is refused rather than misread


def _b64decode(value: str) -> str:
    return base64.b64decode((value + "=" * (-len(value) % 4)).encode(), altchars=b"-_", validate=True).decode()


def encode_cursor(value: str) -> str:
    return base64.urlsafe_b64encode((_CURSOR + value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        decoded = _b64decode(cursor)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        decoded = ""
    if not decoded.startswith(_CURSOR) or not decoded.isprintable():
        raise invalid("游标 after 无效，须为本接口给出的游标。after is not a cursor this API gave out.", "after")
    return decoded[len(_CURSOR):]


def page_size(first: int | None, default: int = 20) -> int:
    n = default if first is None else first
    if not 0 <= n <= MAX_PAGE:
        raise invalid(f"数量 first 须在 0 到 {MAX_PAGE} 之间。first must be between 0 and {MAX_PAGE}.", "first")
    return n


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int
