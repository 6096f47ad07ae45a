"""Counted figures for the statistics pages, files and API: real policies and institutions, and rollup counts added
through `stats.count_many` (what the voucher and enrolment services call), so that a test can have several months,
counties, kinds and groups without running a year of issuance.

`tests/integration/reporting/test_rollups.py` shows the same counts arising from the real actions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from skillvoucher.identity import PopulationGroup
from skillvoucher.stats import MEASURES, NO_POLICY, SLOTS, StatCount, Subject, count_many
from skillvoucher.stats.counting import KEY_COLUMNS
from skillvoucher.vouchers import CatalogueValue, FixedValue, PolicyKind, define_policy
from tests.factories.training import CARE, COOK, institution_row
from tests.factories.vouchers import terms

SIMING, HULI, XIAMEN, FUJIAN = "350203", "350206", "350200", "350000"
GULOU_FUZHOU = "350102"  # 福州市鼓楼区: in Fujian, outside Xiamen
TIANHE = "440106"  # 广州市天河区: outside Fujian
UNEMPLOYED, MIGRANT = int(PopulationGroup.UNEMPLOYED), int(PopulationGroup.RURAL_MIGRANT)
FACE_VALUE_FEN = 100_000  # ¥1000 a voucher


@dataclass
class Counted:
    """What was counted, so tests can say what the figures must be."""

    face_policy: int
    general_policy: int
    fuzhou_policy: int
    school: int
    # issued, used, held_fen … by (region, policy kind) and overall in Xiamen
    xiamen: dict[str, int] = field(default_factory=dict)


FACE, GENERAL = PolicyKind.FACE_VALUE.value, PolicyKind.GENERAL.value


def counted_world(session: Session) -> Counted:
    """Xiamen: a face-value and a general policy over three months in two counties; Fuzhou: another; enrolments with
    an occupation and an institution."""
    face = define_policy(session, terms=terms(name="厦门市失业人员培训券"), today=date(2026, 1, 1), by=None)
    general = define_policy(
        session,
        terms=terms(name="厦门市农民工通用培训券", kind=PolicyKind.GENERAL, value=CatalogueValue()),
        today=date(2026, 1, 1),
        by=None,
    )
    fuzhou = define_policy(
        session,
        terms=terms(name="福州市培训券", region_code="350100", value=FixedValue(80_000)),
        today=date(2026, 1, 1),
        by=None,
    )
    school = institution_row(session, name="厦门鹭岛职业培训学校")
    other_school = institution_row(session, name="厦门思明烹饪培训学校")
    care, cook = f"{CARE}:4", f"{COOK}:5"
    events: list[tuple[Subject, dict[str, int]]] = [
        # vouchers issued and taken up: no occupation yet
        (Subject(SIMING, UNEMPLOYED, face.id, 202601, kind=FACE), {"issued": 12_000, "claimed": 9_000, "expired": 300}),
        (Subject(SIMING, UNEMPLOYED | MIGRANT, general.id, 202602, kind=GENERAL), {"issued": 4_000, "claimed": 3_500}),
        (Subject(HULI, MIGRANT, face.id, 202602, kind=FACE), {"issued": 8_000, "claimed": 6_000, "revoked": 20}),
        (Subject(HULI, UNEMPLOYED, general.id, 202603, kind=GENERAL), {"issued": 1_234, "claimed": 1_000}),
        (Subject(GULOU_FUZHOU, UNEMPLOYED, fuzhou.id, 202602, kind=FACE), {"issued": 50_000, "claimed": 40_000}),
        # enrolments: used, then completed and certified, with the course's occupation and institution
        (
            Subject(SIMING, UNEMPLOYED, face.id, 202602, care, school, FACE),
            {
                "used": 5_000,
                "trainees": 4_800,
                "held_fen": 5_000 * FACE_VALUE_FEN,
                "completed": 3_000,
                "certified": 2_500,
            },
        ),
        (
            Subject(HULI, MIGRANT, face.id, 202603, cook, other_school, FACE),
            {"used": 2_000, "trainees": 2_000, "held_fen": 2_000 * FACE_VALUE_FEN, "completed": 1_200, "forfeited": 30},
        ),
        (
            Subject(SIMING, UNEMPLOYED | MIGRANT, general.id, 202603, care, school, GENERAL),
            {"used": 1_500, "trainees": 1_200, "held_fen": 1_500 * 150_050},
        ),
        (Subject(GULOU_FUZHOU, UNEMPLOYED, fuzhou.id, 202603, care, school, FACE), {"used": 9_999, "held_fen": 9_999}),
        # classes approved: under the course's region and no policy
        (Subject(SIMING, 0, NO_POLICY, 202601, care, school), {"classes": 3}),
        (Subject(HULI, 0, NO_POLICY, 202602, cook, other_school), {"classes": 2}),
    ]
    count_many(session, events)
    xiamen = {
        "issued": 12_000 + 4_000 + 8_000 + 1_234,
        "claimed": 9_000 + 3_500 + 6_000 + 1_000,
        "used": 5_000 + 2_000 + 1_500,
        "completed": 3_000 + 1_200,
        "certified": 2_500,
        "trainees": 4_800 + 2_000 + 1_200,
        "classes": 3 + 2,
        "held_fen": 7_000 * FACE_VALUE_FEN + 1_500 * 150_050,
        "siming_issued": 12_000 + 4_000,
        "huli_issued": 8_000 + 1_234,
        "face_issued": 12_000 + 8_000,
    }
    return Counted(face.id, general.id, fuzhou.id, school, xiamen)


def move_to_next_slot(session: Session, row: StatCount, amounts: Mapping[str, int]) -> None:
    """Move `amounts` of a counter row to its key's next slot, as concurrent writers leave counts: the sums stay."""
    key = {name: getattr(row, name) for name in KEY_COLUMNS}
    session.execute(
        update(StatCount)
        .where(*(getattr(StatCount, name) == value for name, value in key.items()))
        .values({measure: getattr(StatCount, measure) - amount for measure, amount in amounts.items()})
    )
    moved = {measure: amounts.get(measure, 0) for measure in MEASURES}
    session.execute(insert(StatCount).values({**key, "slot": (row.slot + 1) % SLOTS, **moved}))
