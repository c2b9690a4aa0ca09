"""The dashboard's figures on a known set of reports: counts, sums and series, never a draft."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.needs import dashboard
from portal.needs.dashboard import Stats
from portal.needs.models import NeedsReport, NeedsRound, ReportStatus, Sector, Survey
from portal.needs.tallies import retally
from tests.needs.dashboard_data import (
    BERLIN,
    ISTANBUL,
    add_round,
    known_reports,
    new_version,
    report,
)


@pytest.fixture
def known(app, needs_world):
    with app.test_request_context():
        ids = known_reports(needs_world)
        yield needs_world | {"cities": ids}
        db.session.rollback()


def figures_of(board: dashboard.Dashboard) -> dict[str, dashboard.Figures]:
    return {f.question.name: f for f in board.figures}


def one_round(known, country=None) -> dashboard.Dashboard:
    return dashboard.build([db.session.get(NeedsRound, known["round_id"])], country)


def test_choices_are_counted_by_country(known):
    board = one_round(known)
    r = known["round_id"]
    figures = figures_of(board)
    docs, kinds, intent = figures["docs_problem"], figures["docs_kinds"], figures["return_intent"]
    assert docs.counts == {(r, "TR", "yes"): 2, (r, "DE", "no"): 1}
    assert (docs.count(r, "yes"), docs.count(r, "no"), docs.count(r, "yes", ["DE"])) == (2, 1, 0)
    # A multiple-choice answer is a row per chosen code: each is counted.
    assert kinds.counts == {(r, "TR", "passport"): 2, (r, "TR", "national_card"): 1}
    assert [kinds.count(r, c.code) for c in kinds.choices] == [2, 1, 0]
    assert intent.counts == {(r, "TR", "few"): 1, (r, "TR", "half"): 1, (r, "DE", "none"): 1}


def test_numbers_are_counted_summed_and_bounded_by_country(known):
    figures = figures_of(one_round(known))
    r = known["round_id"]
    homes = figures["households"]
    assert homes.stats(r, ["TR"]) == Stats(2, 30, 10, 20)
    assert homes.stats(r, ["TR"]).mean == 15
    assert homes.stats(r, ["DE"]) == Stats(1, 5, 5, 5)
    assert homes.stats(r) == Stats(3, 35, 5, 20)
    assert homes.stats(r, ["DE", "TR"]) == homes.stats(r)  # countries taken together
    assert homes.stats(r).mean == pytest.approx(35 / 3)
    assert figures["share_abroad"].stats(r) == Stats(2, 15, 2.5, 12.5)
    assert figures["docs_people"].stats(r) == Stats(2, 10, 4, 6)


def test_text_and_dates_are_only_counted(known):
    figures = figures_of(one_round(known))
    r = known["round_id"]
    assert figures["notes"].stats(r) == Stats(1)
    assert figures["meeting_day"].stats(r, ["TR"]) == Stats(1)
    assert figures["notes"].stats(r).mean is None


def test_drafts_are_never_counted(known):
    board = one_round(known)
    r = known["round_id"]
    assert board.countries == ["DE", "TR"]  # Stockholm's report is a draft
    assert board.sent(r) == 3
    assert figures_of(board)["docs_kinds"].count(r, "civil_records") == 0
    stockholm = db.session.scalar(select(NeedsReport).where(
        NeedsReport.council_id == known["cities"]["stockholm"]))
    stockholm.status = ReportStatus.SUBMITTED
    db.session.flush()
    retally(r, "SE")  # as sending it does
    board = one_round(known)
    assert board.countries == ["DE", "SE", "TR"]
    assert figures_of(board)["households"].stats(r) == Stats(4, 1035, 5, 1000)


def test_a_country_filter_keeps_that_country_only(known):
    board = one_round(known, "DE")
    r = known["round_id"]
    homes = figures_of(board)["households"]
    assert homes.stats(r) == Stats(1, 5, 5, 5)
    assert figures_of(board)["docs_problem"].count(r, "yes") == 0
    assert board.shown_countries == ["DE"]
    assert board.countries == ["DE", "TR"]  # what the filter can choose from


def test_rounds_of_a_survey_are_a_series_never_a_sum(known):
    """Q3 on the first version, Q4 (the known reports), 2027-Q1 on a second version: one value
    per round, the questions of both versions matched by name."""
    first = db.session.get(Survey, known["survey_id"])
    q3 = add_round(first, "2026-Q3", date(2026, 7, 1))
    report(q3, known["cities"]["istanbul"], ReportStatus.ACKNOWLEDGED, {"households": 7})
    report(q3, known["cities"]["berlin"], ReportStatus.SUBMITTED,
           BERLIN | {"households": 3})
    second = new_version(first)
    q1 = add_round(second, "2027-Q1", date(2027, 1, 1))
    report(q1, known["cities"]["istanbul"], ReportStatus.SUBMITTED,
           ISTANBUL | {"households": 9})
    db.session.flush()
    rounds = dashboard.lineage_rounds(dashboard.every_round(), first.id)
    assert [r.label for r in rounds] == ["2026-Q3", "2026-Q4", "2027-Q1"]
    board = dashboard.build(rounds)
    homes = figures_of(board)["households"]
    assert homes.question.survey_id == second.id  # labels of the newest version
    assert [homes.stats(r.id) for r in rounds] == [Stats(2, 10, 3, 7), Stats(3, 35, 5, 20),
                                                    Stats(1, 9, 9, 9)]
    docs = figures_of(board)["docs_problem"]
    assert [docs.count(r.id, "yes") for r in rounds] == [0, 2, 1]
    assert [board.sent(r.id) for r in rounds] == [2, 3, 1]
    assert len(board.figures) == 8  # one per question name, not per version


def test_questions_are_grouped_by_sector_and_by_objective(known):
    board = one_round(known)
    sectors = {sector: [f.question.name for f in found]
               for sector, _title, found in board.by_sector()}
    assert sectors == {
        Sector.DOCUMENTATION: ["docs_problem", "docs_kinds", "docs_people"],
        Sector.RETURN: ["return_intent"], Sector.INFORMATION: ["notes"],
        Sector.OTHER: ["households", "share_abroad", "meeting_day"]}
    objectives = [(number, [f.question.name for f in found])
                  for number, _title, found in board.by_objective()]
    # Iraq's priority objectives first, in the review's order (1 before 4 before 21).
    assert objectives == [(1, ["households"]), (4, ["docs_problem", "docs_kinds"]),
                          (21, ["return_intent"]),
                          (None, ["docs_people", "share_abroad", "meeting_day", "notes"])]
