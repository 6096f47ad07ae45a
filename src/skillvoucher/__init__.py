"""skillvoucher: vocational training vouchers (职业培训券) end to end."""

__version__ = "0.1.0"
