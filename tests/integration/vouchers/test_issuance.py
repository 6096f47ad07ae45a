"""Issuing vouchers in every mode, on both databases: who gets one, how many, and each refusal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.factories.identity import make_id_number
from tests.factories.vouchers import OFFICER, TODAY, person, terms, worker

from skillvoucher.core import Forbidden, Invalid
from skillvoucher.identity import PiiCipher, PopulationGroup, Principal, Role
from skillvoucher.vouchers import (
    AgeRange,
    AlreadyServed,
    CapReached,
    Eligibility,
    NotClaimable,
    NotEligible,
    PolicyKind,
    PolicyNotOpen,
    Validity,
    Voucher,
    VoucherStateRefused,
    YearlyLimitReached,
    claim_from_policy,
    define_policy,
    expire_lapsed,
    issue_to_listed,
    revoke_voucher,
    take_up,
)


def vouchers_of(session: Session, policy_id: int) -> list[Voucher]:
    return list(session.scalars(select(Voucher).where(Voucher.policy_id == policy_id).order_by(Voucher.person_id)))


def test_define_policy_refuses_bad_terms(session: Session) -> None:
    bad = [
        terms(name=" "),
        terms(closes_on=date(2026, 10, 1)),
        terms(validity=Validity()),
        terms(validity=Validity(until=date(2027, 1, 1), days_from_claim=30)),
        terms(kind=PolicyKind.GENERAL),  # a general voucher is not a fixed amount
        terms(quantity_cap=-1),
        terms(eligibility=Eligibility(regions=("350100",))),  # 福州 is outside 厦门
        terms(eligibility=Eligibility(male_age=AgeRange(60, 16))),
        terms(kind=PolicyKind.TARGETED),  # no class
    ]
    for policy_terms in bad:
        with pytest.raises(Invalid):
            define_policy(session, terms=policy_terms, today=TODAY, by=OFFICER)
    fuzhou_officer = Principal(Role.BUREAU_OFFICER, 5, region_code="350100")
    with pytest.raises(Forbidden):
        define_policy(session, terms=terms(), today=TODAY, by=fuzhou_officer)
    auditor = Principal(Role.AUDITOR, 6, region_code="350200")
    with pytest.raises(Forbidden):
        define_policy(session, terms=terms(), today=TODAY, by=auditor)


def test_claim_on_demand_checks_every_rule(session: Session, cipher: PiiCipher) -> None:
    policy_terms = terms(quantity_cap=2, validity=Validity(days_from_claim=90))
    policy = define_policy(session, terms=policy_terms, today=TODAY, by=OFFICER)
    first = person(session, cipher)
    voucher = claim_from_policy(session, policy_id=policy.id, person_id=first.id, today=TODAY, by=worker(first))
    assert voucher.state == "claimed"
    assert voucher.value_fen == 100_000
    assert voucher.expires_on == TODAY + timedelta(days=89)
    assert len(voucher.code) == 32
    with pytest.raises(AlreadyServed):
        claim_from_policy(session, policy_id=policy.id, person_id=first.id, today=TODAY, by=worker(first))

    employed = person(session, cipher, groups=PopulationGroup.ENTERPRISE_EMPLOYEE, employment_status="employed")
    with pytest.raises(NotEligible):
        claim_from_policy(session, policy_id=policy.id, person_id=employed.id, today=TODAY, by=worker(employed))
    outside = person(session, cipher, region_code="350102")  # 福州
    with pytest.raises(NotEligible):
        claim_from_policy(session, policy_id=policy.id, person_id=outside.id, today=TODAY, by=worker(outside))
    with pytest.raises(Forbidden):  # a worker claims for themselves only
        claim_from_policy(session, policy_id=policy.id, person_id=outside.id, today=TODAY, by=worker(first))

    second, third = person(session, cipher), person(session, cipher)
    claim_from_policy(session, policy_id=policy.id, person_id=second.id, today=TODAY, by=worker(second))
    with pytest.raises(CapReached):
        claim_from_policy(session, policy_id=policy.id, person_id=third.id, today=TODAY, by=worker(third))
    with pytest.raises(PolicyNotOpen):
        claim_from_policy(session, policy_id=policy.id, person_id=third.id, today=date(2027, 7, 1), by=worker(third))
    assert policy.issued_count == 2
    assert policy.committed_fen == 200_000
    assert len(vouchers_of(session, policy.id)) == 2


def test_budget_cap_and_closed_claims(session: Session, cipher: PiiCipher) -> None:
    policy = define_policy(session, terms=terms(budget_cap_fen=250_000), today=TODAY, by=OFFICER)
    people = [person(session, cipher) for _ in range(3)]
    for p in people[:2]:
        claim_from_policy(session, policy_id=policy.id, person_id=p.id, today=TODAY, by=worker(p))
    with pytest.raises(CapReached, match="budget"):
        claim_from_policy(session, policy_id=policy.id, person_id=people[2].id, today=TODAY, by=worker(people[2]))
    not_claimable = define_policy(session, terms=terms(claimable=False), today=TODAY, by=OFFICER)
    with pytest.raises(NotClaimable):
        claim_from_policy(
            session, policy_id=not_claimable.id, person_id=people[2].id, today=TODAY, by=worker(people[2])
        )


def test_age_range_by_gender(session: Session, cipher: PiiCipher) -> None:
    rule = Eligibility(male_age=AgeRange(16, 60), female_age=AgeRange(16, 50))
    policy = define_policy(session, terms=terms(eligibility=rule), today=TODAY, by=OFFICER)
    # 51-year-old: eligible if male, not if female (odd sequence digit = male).
    born = date(1975, 1, 1)
    man = person(session, cipher, id_number=make_id_number("350203", born, 11))
    woman = person(session, cipher, id_number=make_id_number("350203", born, 12))
    claim_from_policy(session, policy_id=policy.id, person_id=man.id, today=TODAY, by=worker(man))
    with pytest.raises(NotEligible, match="age"):
        claim_from_policy(session, policy_id=policy.id, person_id=woman.id, today=TODAY, by=worker(woman))


def test_yearly_limit_across_policies(session: Session, cipher: PiiCipher) -> None:
    someone = person(session, cipher)
    policies = [
        define_policy(session, terms=terms(name=f"政策{i}", yearly_limit=2), today=TODAY, by=OFFICER) for i in range(3)
    ]
    for policy in policies[:2]:
        claim_from_policy(session, policy_id=policy.id, person_id=someone.id, today=TODAY, by=worker(someone))
    with pytest.raises(YearlyLimitReached):
        claim_from_policy(session, policy_id=policies[2].id, person_id=someone.id, today=TODAY, by=worker(someone))


def test_listed_persons_report_each_bad_row(session: Session, cipher: PiiCipher) -> None:
    policy = define_policy(session, terms=terms(quantity_cap=3), today=TODAY, by=OFFICER)
    good, served, employed = (
        person(session, cipher),
        person(session, cipher),
        person(session, cipher, groups=PopulationGroup.ENTERPRISE_EMPLOYEE),
    )
    claim_from_policy(session, policy_id=policy.id, person_id=served.id, today=TODAY, by=worker(served))
    good_number = cipher.decrypt("id_number", good.id_number_encrypted)
    rows = [
        (2, good_number),
        (3, "35020319900307001X"),  # bad check character
        (4, make_id_number("350203", date(1991, 1, 1), 999)),  # valid but not registered
        (5, good_number),  # duplicate
        (6, cipher.decrypt("id_number", served.id_number_encrypted)),
        (7, cipher.decrypt("id_number", employed.id_number_encrypted)),
    ]
    result = issue_to_listed(session, cipher, policy_id=policy.id, rows=rows, today=TODAY, by=OFFICER)
    assert result.issued == 1
    assert [p.row for p in result.problems] == [3, 4, 5, 6, 7]
    assert "row 2" in result.problems[2].message
    assert "already" in result.problems[3].message
    again = issue_to_listed(session, cipher, policy_id=policy.id, rows=rows[:1], today=TODAY, by=OFFICER)
    assert again.issued == 0
    assert "already" in again.problems[0].message
    assert len(vouchers_of(session, policy.id)) == 2


def test_take_up_expire_and_revoke(session: Session, cipher: PiiCipher) -> None:
    policy = define_policy(
        session, terms=terms(validity=Validity(days_from_claim=30), claimable=False), today=TODAY, by=OFFICER
    )
    a, b, c = (person(session, cipher) for _ in range(3))
    rows = [(i + 2, cipher.decrypt("id_number", p.id_number_encrypted)) for i, p in enumerate((a, b, c))]
    assert issue_to_listed(session, cipher, policy_id=policy.id, rows=rows, today=TODAY, by=OFFICER).issued == 3
    va, vb, vc = vouchers_of(session, policy.id)
    assert va.state == "issued"
    assert va.expires_on == policy.closes_on
    with pytest.raises(Forbidden):
        take_up(session, voucher_id=va.id, today=TODAY, by=worker(b))
    take_up(session, voucher_id=va.id, today=TODAY, by=worker(a))
    assert va.state == "claimed"
    assert va.expires_on == TODAY + timedelta(days=29)
    with pytest.raises(VoucherStateRefused):
        take_up(session, voucher_id=va.id, today=TODAY, by=worker(a))

    with pytest.raises(Invalid):
        revoke_voucher(session, voucher_id=vb.id, reason=" ", by=OFFICER)
    revoke_voucher(session, voucher_id=vb.id, reason="重复发放", by=OFFICER)
    assert vb.state == "revoked"
    with pytest.raises(VoucherStateRefused):
        revoke_voucher(session, voucher_id=vb.id, reason="again", by=OFFICER)

    # The claimed one lapses 30 days after its claim, the unclaimed one when the policy closes.
    day_after = TODAY + timedelta(days=30)
    assert expire_lapsed(session, today=day_after, limit=1) == 1
    assert expire_lapsed(session, today=day_after, limit=1) == 0
    session.expire_all()
    assert (va.state, vb.state, vc.state) == ("expired", "revoked", "issued")
    assert expire_lapsed(session, today=policy.closes_on + timedelta(days=1)) == 1
    session.expire_all()
    assert vc.state == "expired"
    assert session.scalar(select(func.count()).select_from(Voucher).where(Voucher.state == "expired")) == 2


def test_offers_leave_out_a_policy_the_catalogue_no_longer_prices(session: Session, cipher: PiiCipher) -> None:
    from tests.factories.training import CARE, demand

    from skillvoucher.training import DemandEntry
    from skillvoucher.vouchers import CatalogueValue, OccupationLevel, Usage, claimable_offers

    entry_id = demand(session, valid_from=date(2026, 1, 1))
    usage = Usage((OccupationLevel(CARE, 4),))
    no_face = terms(kind=PolicyKind.NO_FACE_VALUE, value=CatalogueValue(), usage=usage)
    policy = define_policy(session, terms=no_face, today=TODAY, by=OFFICER)
    someone = person(session, cipher)
    [offer] = claimable_offers(session, person_id=someone.id, today=TODAY)
    assert (offer.policy_id, offer.value_fen) == (policy.id, 150_000)
    entry = session.get(DemandEntry, entry_id)
    assert entry is not None
    entry.valid_to = TODAY - timedelta(days=1)  # the standard has lapsed
    assert claimable_offers(session, person_id=someone.id, today=TODAY) == []
