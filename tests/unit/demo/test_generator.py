from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from stdnum.cn import ric

from skillvoucher.catalog import reference
from skillvoucher.demo import age_on, county_weights, generate_persons
from skillvoucher.demo.persons import RegionWeights
from skillvoucher.identity.rules import EmploymentStatus, PopulationGroup

TODAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def weights() -> RegionWeights:
    by_province: dict[str, list[str]] = {}
    for row in reference.regions():
        if row.level == "county":
            by_province.setdefault(row.province_code, []).append(row.code)
    return county_weights(by_province)


def test_persons_have_valid_ids_of_existing_regions(weights: RegionWeights) -> None:
    counties = set(weights.codes)
    persons = list(generate_persons(3000, regions=weights, today=TODAY, seed=7))
    assert len({p.id_number for p in persons}) == 3000
    for person in persons:
        # stdnum judges the checksum; its historic region table would reject regions created after the birth year
        assert ric.calc_check_digit(person.id_number) == person.id_number[17]  # it skips the last character
        assert person.id_number[:6] == person.region_code in counties
        assert person.birth_date == ric.get_birth_date(person.id_number)
        assert person.gender == ("M" if int(person.id_number[16]) % 2 else "F")
        assert person.phone is None or (len(person.phone) == 11 and person.phone[0] == "1")
        assert 2 <= len(person.name) <= 4


def test_ages_fit_population_groups(weights: RegionWeights) -> None:
    for person in generate_persons(5000, regions=weights, today=TODAY, seed=8):
        age = age_on(person.birth_date, TODAY)
        groups = PopulationGroup(person.population_groups)
        if PopulationGroup.GRADUATING_STUDENT in groups:
            assert 21 <= age <= 24
            assert person.employment_status == EmploymentStatus.STUDENT
        if person.employment_status == EmploymentStatus.RETIRED:
            assert 60 <= age <= 75
            assert groups == PopulationGroup(0)
        else:
            assert 18 <= age <= 59
            assert person.gender == "M" or age <= 54
        if PopulationGroup.UNEMPLOYED in groups:
            assert person.employment_status == EmploymentStatus.UNEMPLOYED


def test_same_seed_same_people_and_population_weighting(weights: RegionWeights) -> None:
    first = list(generate_persons(20_000, regions=weights, today=TODAY, seed=1))
    again = list(generate_persons(20_000, regions=weights, today=TODAY, seed=1))
    assert first == again
    provinces = Counter(p.region_code[:2] for p in first)
    assert provinces["44"] > 10 * provinces["54"]  # Guangdong (126 million) versus Tibet (3.6 million)
    assert "71" not in provinces
    assert "81" not in provinces


def test_no_regions_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="load reference data"):
        county_weights({})
