"""Part of a flat number as agents type it (docs/archive.md §5.1)."""

from __future__ import annotations

import pytest

from domain.archive.flat_query import FlatQuery, parse_flat_query


@pytest.mark.parametrize(("typed", "expected"), [
    ("1202", FlatQuery(number="1202", partial=True)),
    (" 02 ", FlatQuery(number="02", partial=True)),
    ("3-1-1202", FlatQuery(number="1202", partial=False, building="3", entrance="1")),
    ("3栋1单元1202", FlatQuery(number="1202", partial=False, building="3", entrance="1")),
    ("3号楼2单元1502室", FlatQuery(number="1502", partial=False, building="3", entrance="2")),
    ("3栋1202", FlatQuery(number="1202", partial=False, building="3")),
    ("3#1202", FlatQuery(number="1202", partial=False, building="3")),
    ("2-1502", FlatQuery(number="1502", partial=False, building="2")),
    ("a座-1202", FlatQuery(number="1202", partial=False, building="A")),
    ("B2-1502b", FlatQuery(number="1502B", partial=False, building="B2")),
    ("３－１－１２０２", FlatQuery(number="1202", partial=False, building="3", entrance="1")),  # full-width, as an IME types
])
def test_groups_become_building_entrance_and_number(typed, expected):
    assert parse_flat_query(typed) == expected


@pytest.mark.parametrize("typed", ["", "  ", "东区", "A座", "1-2-3-4", "---"])
def test_nothing_to_look_for(typed):
    assert parse_flat_query(typed) is None
