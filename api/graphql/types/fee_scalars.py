"""Money over the wire (docs/resident-services.md §4): GraphQL `Int` is 32-bit and a project's
month exceeds it, so amounts are `Fen` — an integer of fen, a JSON number exact up to 2⁵³, taken
as a number or a string of digits — and rates `Rate1e4` (元 × 10,000), the same shape."""

from __future__ import annotations

from typing import NewType

from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.types.scalar import ScalarDefinition

from domain.fees.money import MAX_FEN


def _whole(name: str, value: object) -> int:
    if isinstance(value, bool):
        raise StrawberryInputCoercionError(f"{name} must be a whole number, not a boolean.")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.lstrip("-").isdigit() and len(value) <= 17:
        number = int(value)
    else:
        raise StrawberryInputCoercionError(f"{name} must be a whole number (or a string of digits).")
    if abs(number) > MAX_FEN:
        raise StrawberryInputCoercionError(f"{name} must be at most 2^53 - 1 in size.")
    return number


Fen = NewType("Fen", int)
Rate1e4 = NewType("Rate1e4", int)

FEE_SCALARS = {
    Fen: ScalarDefinition(
        name="Fen", description="金额（分） An amount in fen (1 元 = 100 fen), a whole number exact up to 2^53; a string of "
                                "digits is taken too.",
        specified_by_url=None, serialize=int, parse_value=lambda v: _whole("Fen", v), parse_literal=None, origin=Fen),
    Rate1e4: ScalarDefinition(
        name="Rate1e4", description="单价 A rate in 元 × 10,000 (2.35 元 → 23500), a whole number.",
        specified_by_url=None, serialize=int, parse_value=lambda v: _whole("Rate1e4", v), parse_literal=None, origin=Rate1e4),
}
