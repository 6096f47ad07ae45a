from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories.training import institution_row

from skillvoucher.core import Forbidden, Invalid, utc_now
from skillvoucher.identity.account_models import ApiKey
from skillvoucher.identity.api_keys import create_api_key, institution_api_keys, principal_for_api_key, revoke_api_key
from skillvoucher.identity.authz import Principal, Role

STAFF = Principal(Role.INSTITUTION_STAFF, 1, institution_id=10)
OTHER = Principal(Role.INSTITUTION_STAFF, 2, institution_id=11)


@pytest.fixture(autouse=True)
def institutions(session: Session) -> None:
    """Keys belong to institutions that exist (a foreign key)."""
    for institution_id in (10, 11):
        institution_row(session, id=institution_id)


def test_key_is_shown_once_stored_hashed_and_speaks_for_its_institution(session: Session) -> None:
    key, clear = create_api_key(session, institution_id=10, name="教务系统", by=STAFF, now=utc_now())
    stored = session.scalars(select(ApiKey.key_hash)).all()
    assert all(clear.encode() not in value for value in stored)
    principal = principal_for_api_key(session, key=clear, now=utc_now())
    assert principal is not None
    assert (principal.institution_id, principal.via_api_key, principal.role) == (10, True, Role.INSTITUTION_STAFF)
    assert key.last_used_at is not None
    assert [k.id for k in institution_api_keys(session, 10)] == [key.id]


def test_revoked_or_unknown_keys_are_refused(session: Session) -> None:
    key, clear = create_api_key(session, institution_id=10, name="教务系统", by=STAFF, now=utc_now())
    assert principal_for_api_key(session, key="svk_not-a-real-key", now=utc_now()) is None
    assert principal_for_api_key(session, key="Bearer nonsense", now=utc_now()) is None
    with pytest.raises(Forbidden):
        revoke_api_key(session, key_id=key.id, by=OTHER, now=utc_now())
    revoke_api_key(session, key_id=key.id, by=STAFF, now=utc_now())
    assert principal_for_api_key(session, key=clear, now=utc_now()) is None


def test_keys_are_managed_only_for_ones_own_institution(session: Session) -> None:
    with pytest.raises(Forbidden):
        create_api_key(session, institution_id=10, name="x", by=OTHER, now=utc_now())
    with pytest.raises(Invalid):
        create_api_key(session, institution_id=10, name="  ", by=STAFF, now=utc_now())
