"""Keeping the dashboard's tallies: the sent answers of a round in a country, counted again
from the answers in one grouped INSERT … SELECT whenever one of its reports is sent, so a tally
can never drift from what the councils sent."""

from sqlalchemy import delete, func, insert, select

from portal.councils.models import Council
from portal.extensions import db
from portal.needs.models import SENT_STATUSES, Answer, NeedsReport, Tally


def retally(round_id: int, country: str) -> None:
    """Count again one round's sent answers in one country."""
    db.session.execute(delete(Tally).where(Tally.round_id == round_id,
                                           Tally.country == country))
    _count(NeedsReport.round_id == round_id, Council.country == country)


def retally_everything() -> None:
    """Count every round again: after bulk loads (demo, bench) or a council moved country."""
    db.session.execute(delete(Tally))
    _count()


def _count(*conditions) -> None:
    group = (NeedsReport.round_id, Council.country, Answer.question_id, Answer.choice)
    counted = (select(*group, func.count(), func.sum(Answer.number), func.min(Answer.number),
                      func.max(Answer.number))
               .select_from(Answer).join(Answer.report).join(NeedsReport.council)
               .where(NeedsReport.status.in_(SENT_STATUSES), *conditions).group_by(*group))
    columns = ("round_id", "country", "question_id", "choice", "answers", "total", "low", "high")
    db.session.execute(insert(Tally).from_select(columns, counted))
