from skillvoucher.cli.main import app

app(prog_name="skillvoucher")
