"""Money is an integer number of fen (分). Never a float."""

from __future__ import annotations

from typing import NewType

Fen = NewType("Fen", int)


def yuan_to_fen(yuan: str) -> Fen:
    """Parse a decimal yuan amount such as "1500" or "1500.50" exactly."""
    from decimal import Decimal, InvalidOperation

    try:
        amount = Decimal(yuan.strip())
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {yuan!r}") from error
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"amount has more than two decimals: {yuan!r}")
    return Fen(int(fen))


def format_yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"
