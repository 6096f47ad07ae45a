"""The `skillvoucher` command: one sub-command group per module in this package."""

from __future__ import annotations

import typer

from skillvoucher.cli import audit, catalogue, db, demo, keys, persons, reference, serve, staff, stats, vouchers

app = typer.Typer(
    help="skillvoucher — vocational training vouchers (职业培训券).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # tracebacks with local variables could show personal data
)
app.add_typer(db.app, name="db")
app.add_typer(reference.app, name="reference")
app.add_typer(persons.app, name="persons")
app.add_typer(staff.app, name="staff")
app.add_typer(audit.app, name="audit")
app.add_typer(demo.app, name="demo")
app.add_typer(catalogue.app, name="catalogue")
app.add_typer(vouchers.app, name="vouchers")
app.add_typer(stats.app, name="stats")
app.command("serve")(serve.serve_command)
keys_app = typer.Typer(help="Secret keys.", no_args_is_help=True)
keys_app.command("generate")(keys.generate_command)
keys_app.command("rotate-voucher-signing")(keys.rotate_voucher_signing_command)
app.add_typer(keys_app, name="keys")
