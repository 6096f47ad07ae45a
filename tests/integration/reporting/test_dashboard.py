"""The dashboard's tables on both databases: by policy and kind, sub-regions that add up to the scope, the way down
from a reader's scope, and filters."""

from __future__ import annotations

from sqlalchemy.orm import Session
from tests.factories.stats import FUJIAN, HULI, SIMING, XIAMEN, counted_world

from skillvoucher.reporting import PARTITIONS, TABLES, Filters, Totals, dashboard, scope_path, table
from skillvoucher.stats import NATIONAL, Subject, count


def test_policies_and_kinds_are_named_and_add_up(session: Session) -> None:
    world = counted_world(session)
    policies = table(session, XIAMEN, "policies")
    assert [(row.key, row.label, row.totals.issued) for row in policies] == [
        (str(world.face_policy), "厦门市失业人员培训券", 20_000),
        (str(world.general_policy), "厦门市农民工通用培训券", 5_234),
        ("0", "不属于任何券种（开班数）", 0),  # approved classes, under no policy
    ]
    kinds = {row.key: (row.totals.issued, row.totals.classes) for row in table(session, XIAMEN, "kinds")}
    assert kinds == {"face_value": (20_000, 0), "general": (5_234, 0), "none": (0, 5)}
    assert table(session, XIAMEN, "kinds", Filters(kind="general"))[0].totals.used == 1_500
    assert table(session, XIAMEN, "policies", Filters(policy_id=world.fuzhou_policy)) == []


def test_every_partition_adds_up_to_the_headline(session: Session) -> None:
    counted_world(session)
    for code in (NATIONAL, FUJIAN, XIAMEN, SIMING):
        for filters in (Filters(), Filters(month_from=202602, month_to=202602), Filters(kind="face_value")):
            board = dashboard(session, code, filters)
            assert set(board.tables) == set(TABLES)
            for name in PARTITIONS:
                rows = board.tables[name]
                if name == "regions" and code == SIMING:
                    assert rows == []  # a county has no sub-regions
                    continue
                assert sum((row.totals for row in rows), Totals()) == board.totals, (code, filters, name)
    xiamen = dashboard(session, XIAMEN)
    assert (xiamen.totals.issued, xiamen.totals.used) == (25_234, 8_500)
    assert dashboard(session, FUJIAN).totals.issued == 75_234  # with Fuzhou


def test_counts_at_the_scope_itself_get_a_row_of_their_own(session: Session) -> None:
    world = counted_world(session)
    count(
        session, Subject(XIAMEN, 0, world.face_policy, 202604, kind="face_value"), issued=7
    )  # registered at the city, in no county
    rows = table(session, XIAMEN, "regions")
    assert (rows[-1].key, rows[-1].totals.issued) == (XIAMEN, 7)
    assert {row.key: row.totals.issued for row in rows}[HULI] == 9_234
    assert sum((row.totals for row in rows), Totals()) == dashboard(session, XIAMEN).totals


def test_the_way_down_starts_at_the_readers_own_scope(session: Session) -> None:
    assert [scope.code for scope in scope_path(session, SIMING, XIAMEN)] == [XIAMEN, SIMING]
    assert [scope.code for scope in scope_path(session, SIMING, None)] == [NATIONAL, FUJIAN, XIAMEN, SIMING]
    assert [scope.name for scope in scope_path(session, XIAMEN, XIAMEN)] == ["厦门市"]
