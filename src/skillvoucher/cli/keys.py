"""`skillvoucher keys …`: fresh secrets for production settings, and rotating the voucher QR signing key."""

from __future__ import annotations

from skillvoucher.cli.context import console, err_console, runtime
from skillvoucher.core import Actor
from skillvoucher.settings import KEY_NAMES, new_key
from skillvoucher.vouchers import rotate_keys


def generate_command() -> None:
    """Print new random keys as SKILLVOUCHER_* lines for an environment file."""
    for name in KEY_NAMES:
        console.print(f"SKILLVOUCHER_{name.upper()}={new_key()}", soft_wrap=True)


def rotate_voucher_signing_command() -> None:
    """Make a new signing key for voucher QR codes and retire the others; prints the new key id.

    Codes already shown keep verifying: retired keys stay published until every code they signed has expired.
    """
    with runtime() as rt:
        with rt.uow.begin() as session:
            kid = rotate_keys(session, rt.cipher, rt.clock.now(), actor=Actor.operator("cli"))
        err_console.print("new voucher signing key (the previous ones are retired):")
        console.print(kid, soft_wrap=True)
