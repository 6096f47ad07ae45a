"""Every table of the product, for Alembic. New domain model modules are added here."""

from sqlalchemy import MetaData

from skillvoucher.audit import models as audit_models
from skillvoucher.catalog import models as catalog_models
from skillvoucher.db.base import Base
from skillvoucher.enrolment import models as enrolment_models
from skillvoucher.essc.emulator import models as essc_emulator_models
from skillvoucher.identity import account_models
from skillvoucher.identity import models as identity_models
from skillvoucher.jobs import models as job_models
from skillvoucher.stats import models as stats_models
from skillvoucher.training import course_models, demand_models, institution_models
from skillvoucher.vouchers import models as voucher_models

MODEL_MODULES = (
    audit_models,
    catalog_models,
    identity_models,
    account_models,
    essc_emulator_models,
    institution_models,
    demand_models,
    course_models,
    job_models,
    voucher_models,
    enrolment_models,
    stats_models,
)


def target_metadata() -> MetaData:
    return Base.metadata
