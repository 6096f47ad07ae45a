from __future__ import annotations

import pytest

from skillvoucher.identity.authz import (
    RULES,
    Permission,
    Principal,
    Resource,
    Role,
    can,
    region_covers,
    region_prefix,
)

PROVINCE = Principal(Role.BUREAU_OFFICER, 1, region_code="350000")
CITY = Principal(Role.BUREAU_OFFICER, 2, region_code="350200")
COUNTY = Principal(Role.BUREAU_OFFICER, 3, region_code="350203")
AUDITOR = Principal(Role.AUDITOR, 4, region_code="350200")
ADMIN = Principal(Role.ADMIN, 5)
STAFF = Principal(Role.INSTITUTION_STAFF, 6, institution_id=10)
KEY = Principal(Role.INSTITUTION_STAFF, 7, institution_id=10, via_api_key=True)
WORKER = Principal(Role.WORKER, 42)
ASSESSOR = Principal(Role.ASSESSOR, 8, assessment_body_id=3)


@pytest.mark.parametrize(
    ("scope", "code", "covered"),
    [
        ("350000", "350000", True),
        ("350000", "350203", True),
        ("350000", "350200", True),
        ("350000", "360000", False),
        ("350200", "350203", True),
        ("350200", "350100", False),
        ("350203", "350203", True),
        ("350203", "350205", False),
        ("460000", "469001", True),  # a county-level city directly under Hainan province
        ("110000", "110105", True),  # a district of a municipality
    ],
)
def test_region_scope_follows_the_code_hierarchy(scope: str, code: str, covered: bool) -> None:
    assert region_covers(scope, code) is covered


def test_region_prefix() -> None:
    assert [region_prefix(c) for c in ("350000", "350200", "350203")] == ["35", "3502", "350203"]


def test_officers_read_persons_in_their_region_only() -> None:
    xiamen_person = Resource(region_code="350203")
    fuzhou_person = Resource(region_code="350102")
    assert can(PROVINCE, Permission.PERSON_READ, xiamen_person)
    assert can(PROVINCE, Permission.PERSON_READ, fuzhou_person)
    assert can(CITY, Permission.PERSON_READ, xiamen_person)
    assert not can(CITY, Permission.PERSON_READ, fuzhou_person)
    assert not can(COUNTY, Permission.PERSON_READ, Resource(region_code="350205"))
    assert can(AUDITOR, Permission.PERSON_READ, xiamen_person)
    assert can(ADMIN, Permission.PERSON_READ, fuzhou_person)
    for outsider in (STAFF, KEY, WORKER, ASSESSOR):
        assert not can(outsider, Permission.PERSON_READ, xiamen_person)


def test_auditors_hold_no_writing_permission() -> None:
    for permission, rule in RULES.items():
        if rule.writes:
            assert not can(AUDITOR, permission)
            assert not can(AUDITOR, permission, Resource(region_code="350203", institution_id=10))


def test_staff_management_is_scoped_and_officers_cannot_make_admins() -> None:
    assert can(CITY, Permission.STAFF_MANAGE, Resource(region_code="350203", staff_role=Role.BUREAU_OFFICER))
    assert not can(CITY, Permission.STAFF_MANAGE, Resource(region_code="350102", staff_role=Role.AUDITOR))
    assert not can(CITY, Permission.STAFF_MANAGE, Resource(region_code="350203", staff_role=Role.ADMIN))
    assert can(ADMIN, Permission.STAFF_MANAGE, Resource(region_code=None, staff_role=Role.ADMIN))
    assert not can(STAFF, Permission.STAFF_MANAGE)


def test_institution_keys_belong_to_their_institution_and_keys_cannot_make_keys() -> None:
    assert can(STAFF, Permission.API_KEY_MANAGE, Resource(institution_id=10))
    assert not can(STAFF, Permission.API_KEY_MANAGE, Resource(institution_id=11))
    assert not can(KEY, Permission.API_KEY_MANAGE, Resource(institution_id=10))
    assert not can(CITY, Permission.API_KEY_MANAGE, Resource(institution_id=10))


def test_worker_pages_are_the_workers_own() -> None:
    assert can(WORKER, Permission.WORKER_SELF, Resource(person_id=42))
    assert not can(WORKER, Permission.WORKER_SELF, Resource(person_id=43))
    assert not can(CITY, Permission.WORKER_SELF)


def test_every_principal_has_an_account_page_and_actors_are_labelled() -> None:
    for principal in (PROVINCE, AUDITOR, ADMIN, STAFF, KEY, WORKER, ASSESSOR):
        assert can(principal, Permission.ACCOUNT_SELF)
    assert KEY.actor.label == "api_key:7"
    assert WORKER.actor.label == "worker:42"
    assert CITY.actor.label == "staff:2"
