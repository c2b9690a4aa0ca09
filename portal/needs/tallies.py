"""Keeping the dashboard's tallies: the sent answers of a round in a country, counted again
from the answers in one grouped INSERT … SELECT whenever one of its reports is sent, so a tally
can never drift from what the councils sent."""

from sqlalchemy import delete, func, insert, select, update

from portal.councils.models import Council
from portal.councils.services import council_moved
from portal.extensions import db
from portal.needs.models import SENT_STATUSES, Answer, NeedsReport, NeedsRound, Tally, new_stamp


def retally(round_id: int, country: str) -> None:
    """Count again one round's sent answers in one country."""
    db.session.execute(delete(Tally).where(Tally.round_id == round_id,
                                           Tally.country == country))
    _count(NeedsReport.round_id == round_id, Council.country == country)
    restamp(NeedsRound.id == round_id)


def retally_everything() -> None:
    """Count every round again: after bulk loads (demo, bench)."""
    db.session.execute(delete(Tally))
    _count()
    restamp()


def restamp(*conditions) -> None:
    """What these rounds' dashboards show has changed: pages kept rendered are stale."""
    db.session.execute(update(NeedsRound).where(*conditions).values(figures_stamp=new_stamp())
                       .execution_options(synchronize_session=False))


@council_moved.connect
def _recount_moved(council: Council, was: str) -> None:
    """A council's sent answers now count in its new country, no longer in its old one."""
    db.session.flush()
    rounds = db.session.scalars(select(NeedsReport.round_id).where(
        NeedsReport.council_id == council.id, NeedsReport.status.in_(SENT_STATUSES)))
    for round_id in rounds.all():
        retally(round_id, was)
        retally(round_id, council.country)


def _count(*conditions) -> None:
    group = (NeedsReport.round_id, Council.country, Answer.question_id, Answer.choice)
    counted = (select(*group, func.count(), func.sum(Answer.number), func.min(Answer.number),
                      func.max(Answer.number))
               .select_from(Answer).join(Answer.report).join(NeedsReport.council)
               .where(NeedsReport.status.in_(SENT_STATUSES), *conditions).group_by(*group))
    columns = ("round_id", "country", "question_id", "choice", "answers", "total", "low", "high")
    db.session.execute(insert(Tally).from_select(columns, counted))
