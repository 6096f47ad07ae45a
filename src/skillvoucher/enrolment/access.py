"""Authorization, the acting user and the audit record for enrolment actions: the helpers the catalogues use."""

from skillvoucher.training.access import OPERATOR, actor_of, authorize, may, record

__all__ = ["OPERATOR", "actor_of", "authorize", "may", "record"]
