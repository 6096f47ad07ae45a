"""`skillvoucher keys rotate-voucher-signing`: a new QR signing key, the old one retired but still published."""

from __future__ import annotations

from sqlalchemy import select
from tests.factories.cli import cli_runner

from skillvoucher.app import Runtime
from skillvoucher.cli.main import app
from skillvoucher.vouchers import VoucherSigningKey, published_jwks


def test_rotation_prints_the_new_key_id(runtime: Runtime) -> None:
    runner = cli_runner(runtime)
    first = runner.invoke(app, ["keys", "rotate-voucher-signing"])
    second = runner.invoke(app, ["keys", "rotate-voucher-signing"])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    first_kid, second_kid = first.stdout.strip(), second.stdout.strip()
    assert first_kid != second_kid
    with runtime.uow.read() as session:
        rows = session.execute(select(VoucherSigningKey.kid, VoucherSigningKey.retired_at))
        retired = {row.kid: row.retired_at for row in rows}
        published = [key["kid"] for key in published_jwks(session, runtime.clock.now())["keys"]]
    assert retired[second_kid] is None
    assert retired[first_kid] is not None
    assert published == [second_kid, first_kid]
