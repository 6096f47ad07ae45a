"""A batch walks only the band of person ids registered in its policy's regions, and still serves all of them."""

from __future__ import annotations

from sqlalchemy import select
from tests.factories.vouchers import OFFICER, TODAY, person, terms

from skillvoucher.app import Runtime
from skillvoucher.identity import Principal, Role
from skillvoucher.jobs import run_job
from skillvoucher.vouchers import Eligibility, Voucher, batch_progress, batch_step, define_policy, start_batch

FUJIAN_OFFICER = Principal(Role.BUREAU_OFFICER, 2, region_code="350000")


def _register(runtime: Runtime, region_code: str, how_many: int) -> list[int]:
    with runtime.uow.begin() as session:
        return [person(session, runtime.cipher, region_code=region_code).id for _ in range(how_many)]


def test_a_batch_walks_its_regions_band_of_person_ids(runtime: Runtime) -> None:
    _register(runtime, "110101", 5)  # Beijing, before the band
    xiamen = _register(runtime, "350203", 4) + _register(runtime, "350206", 3)
    _register(runtime, "350102", 2)  # Fuzhou: the same province, not the policy's city
    xiamen += _register(runtime, "350203", 2)  # registered later, still in Xiamen
    _register(runtime, "440106", 5)  # Guangzhou, after the band
    with runtime.uow.begin() as session:
        policy = define_policy(session, terms=terms(claimable=False), today=TODAY, by=OFFICER)
        job = start_batch(session, policy_id=policy.id, today=TODAY, by=OFFICER)
        assert (job.params["first"], job.params["last"]) == (xiamen[0] - 1, xiamen[-1])
    finished = run_job(runtime.uow, job.id, batch_step(chunk_persons=3))
    assert finished.result == {"issued": len(xiamen), "stopped_by_cap": False}
    assert batch_progress(finished) == 1.0
    with runtime.uow.read() as session:
        served = list(session.scalars(select(Voucher.person_id).where(Voucher.policy_id == policy.id)))
    assert sorted(served) == xiamen


def test_named_regions_make_the_band_and_a_region_without_persons_finishes_at_once(runtime: Runtime) -> None:
    fuzhou = _register(runtime, "350102", 2)
    _register(runtime, "440106", 3)
    xiamen = _register(runtime, "350203", 2)
    with runtime.uow.begin() as session:
        both = terms(region_code="350000", eligibility=Eligibility(regions=("350100", "350200")), claimable=False)
        policy = define_policy(session, terms=both, today=TODAY, by=FUJIAN_OFFICER)
        job = start_batch(session, policy_id=policy.id, today=TODAY, by=FUJIAN_OFFICER)
        assert (job.params["first"], job.params["last"]) == (fuzhou[0] - 1, xiamen[-1])
        empty = define_policy(session, terms=terms(region_code="350500", claimable=False), today=TODAY, by=None)
        nobody = start_batch(session, policy_id=empty.id, today=TODAY, by=None)
    assert run_job(runtime.uow, job.id, batch_step()).result["issued"] == 4
    assert run_job(runtime.uow, nobody.id, batch_step()).result == {"issued": 0, "stopped_by_cap": False}
