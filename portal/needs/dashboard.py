"""What the councils have sent, counted: the needs dashboard's figures.

Every figure comes from grouped SQL over the tallies of the sent reports (SENT_STATUSES, never a
draft; portal.needs.tallies): one statement counts the choices of every choice question, one
counts, sums and bounds the numbers (and counts the text and date answers) of every other
question, one counts the reports — per round, question and country — whatever the number of
questions or reports. Rounds stay apart:
a household counted in Q2 and again in Q3 is one household, so a series across rounds is one
value per round, never a sum over them.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import func, literal, select
from sqlalchemy.orm import contains_eager, selectinload

from portal.councils.models import Council
from portal.extensions import db
from portal.needs.labels import GCM_OBJECTIVE, IRAQ_PRIORITY_OBJECTIVES, SECTOR
from portal.needs.models import (
    SENT_STATUSES,
    Choice,
    NeedsReport,
    NeedsRound,
    Question,
    QuestionKind,
    Sector,
    Survey,
    Tally,
)
from portal.needs.rules import CHOICE_KINDS

NUMBER_KINDS = (QuestionKind.INTEGER, QuestionKind.DECIMAL)


class Stats(NamedTuple):
    """How many answered, and the sum and bounds of their numbers (None for text and dates)."""

    count: int = 0
    total: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count and self.total is not None else None


def combine(parts: Iterable[Stats]) -> Stats:
    """The statistics of several countries of one round taken together."""
    parts = [part for part in parts if part.count]
    numbers = [part for part in parts if part.total is not None]
    if not numbers:
        return Stats(sum(part.count for part in parts))
    return Stats(sum(part.count for part in parts), sum(part.total for part in numbers),
                 min(part.low for part in numbers), max(part.high for part in numbers))


@dataclass
class Figures:
    """One question's aggregates. ``question`` is the newest version's row (labels, kind,
    sector); ``choices`` every code any version offered, the newest version's first."""

    question: Question
    choices: list[Choice]
    counts: dict[tuple[int, str, str], int] = field(default_factory=dict)  # round, country, code
    values: dict[tuple[int, str], Stats] = field(default_factory=dict)  # round, country
    totals: dict[tuple[int, str], int] = field(default_factory=dict)  # round, code

    @property
    def is_choice(self) -> bool:
        return self.question.kind in CHOICE_KINDS

    @property
    def is_number(self) -> bool:
        return self.question.kind in NUMBER_KINDS

    def count(self, round_id: int, code: str, countries: Iterable[str] | None = None) -> int:
        """How many reports chose ``code``: in these countries, or in all of them."""
        if countries is None:
            return self.totals.get((round_id, code), 0)
        return sum(self.counts.get((round_id, country, code), 0) for country in countries)

    def stats(self, round_id: int, countries: Iterable[str] | None = None) -> Stats:
        if countries is None:
            return combine(s for (r, _c), s in self.values.items() if r == round_id)
        return combine(self.values.get((round_id, country), Stats()) for country in countries)


@dataclass
class Dashboard:
    """The figures of one round, or of every round of a survey (oldest first), for one country
    or all of them."""

    rounds: list[NeedsRound]
    country: str | None
    reports: dict[tuple[int, str], int]  # sent reports by round and country, whatever the filter
    figures: list[Figures]

    @property
    def countries(self) -> list[str]:
        """The countries of the councils that sent a report in these rounds."""
        return sorted({country for _round, country in self.reports})

    @property
    def shown_countries(self) -> list[str]:
        return [self.country] if self.country else self.countries

    def sent(self, round_id: int, country: str | None = None) -> int:
        return sum(n for (r, c), n in self.reports.items()
                   if r == round_id and country in (None, c))

    def by_sector(self) -> list[tuple[Sector, str, list[Figures]]]:
        """The questions in sections, one per needs sector (a question without one: other)."""
        return [(sector, str(SECTOR[sector]), found) for sector in Sector
                if (found := [f for f in self.figures if f.question.counted_sector == sector])]

    def by_objective(self) -> list[tuple[int | None, str, list[Figures]]]:
        """The questions in sections, one per GCM objective, those Iraq's review names first;
        questions tied to none last (their title: None, the page names it)."""
        order = [*IRAQ_PRIORITY_OBJECTIVES,
                 *sorted(set(GCM_OBJECTIVE) - set(IRAQ_PRIORITY_OBJECTIVES)), None]
        return [(number, str(GCM_OBJECTIVE[number]) if number else "", found) for number in order
                if (found := [f for f in self.figures if f.question.gcm_objective == number])]


def every_round() -> list[NeedsRound]:
    """Every round with its survey, newest first: the dashboard's choice of rounds (a few a
    year, so a short list)."""
    query = (select(NeedsRound).join(NeedsRound.survey).options(contains_eager(NeedsRound.survey))
             .order_by(NeedsRound.opens_on.desc(), NeedsRound.id.desc()))
    return list(db.session.scalars(query))


def lineage_rounds(rounds: Iterable[NeedsRound], lineage_id: int) -> list[NeedsRound]:
    """The rounds of every version of one survey, oldest first: a series."""
    found = [r for r in rounds if (r.survey.lineage_id or r.survey.id) == lineage_id]
    return sorted(found, key=lambda r: (r.opens_on, r.id))


def build(rounds: list[NeedsRound], country: str | None = None,
          question: str | None = None) -> Dashboard:
    """The dashboard of these rounds (one, or a survey's series), for one country or all;
    only the question named ``question`` when given (a chart). A series is counted per round
    only (its table and chart are the chosen country's, or all countries'), so its statements
    read no council unless a country is chosen."""
    questions = _questions({r.survey_id for r in rounds}, question)
    figures = _figures(questions)
    by_id = {q.id: figures[q.name] for q in questions}
    answers = _Answers([r.id for r in rounds], country, by_country=len(rounds) == 1)
    for round_id, question_id, place, code, count in answers.choice_counts(by_id):
        found = by_id[question_id]
        found.counts[round_id, place, code] = count
        found.totals[round_id, code] = found.totals.get((round_id, code), 0) + count
    for round_id, question_id, place, *stats in answers.values(by_id):
        by_id[question_id].values[round_id, place] = Stats(*stats)
    return Dashboard(rounds, country, _reports(answers.round_ids), list(figures.values()))


def _questions(survey_ids: set[int], name: str | None) -> list[Question]:
    """The questions of these survey versions, the newest version's first, in its order."""
    query = (select(Question).join(Question.survey).where(Question.survey_id.in_(survey_ids))
             .options(selectinload(Question.choices), contains_eager(Question.survey))
             .order_by(Survey.version.desc(), Question.position))
    if name is not None:
        query = query.where(Question.name == name)
    return list(db.session.scalars(query))


def _figures(questions: list[Question]) -> dict[str, Figures]:
    """One Figures per question name (versions of a question share it), the codes of every
    version's choices gathered."""
    figures: dict[str, Figures] = {}
    for question in questions:
        found = figures.setdefault(question.name, Figures(question, []))
        known = {choice.code for choice in found.choices}
        found.choices += [choice for choice in question.choices if choice.code not in known]
    return figures


class _Answers:
    """The grouped statements over the tallies of some rounds (of one country when given), by
    round, question and — when ``by_country`` — country: a few hundred rows a round, whatever
    the number of reports (portal.needs.tallies keeps them)."""

    def __init__(self, round_ids: list[int], country: str | None, by_country: bool):
        self.round_ids, self.country = round_ids, country
        self.place = Tally.country if by_country else literal(country or "")
        self.groups = (Tally.round_id, Tally.question_id) + (
            (Tally.country,) if by_country else ())

    def _select(self, ids: list[int], *columns):
        query = (select(Tally.round_id, Tally.question_id, self.place, *columns)
                 .where(Tally.round_id.in_(self.round_ids), Tally.question_id.in_(ids)))
        if self.country:
            query = query.where(Tally.country == self.country)
        return query

    def choice_counts(self, questions: dict[int, Figures]):
        ids = [qid for qid, f in questions.items() if f.is_choice]
        query = self._select(ids, Tally.choice, func.sum(Tally.answers)).group_by(
            *self.groups, Tally.choice)
        return db.session.execute(query).all() if ids else []

    def values(self, questions: dict[int, Figures]):
        ids = [qid for qid, f in questions.items() if not f.is_choice]
        query = self._select(ids, func.sum(Tally.answers), func.sum(Tally.total),
                             func.min(Tally.low), func.max(Tally.high))
        query = query.group_by(*self.groups)
        return db.session.execute(query).all() if ids else []


def _reports(round_ids: list[int]) -> dict[tuple[int, str], int]:
    group = (NeedsReport.round_id, Council.country)
    query = (select(*group, func.count()).join(NeedsReport.council)
             .where(NeedsReport.round_id.in_(round_ids), NeedsReport.status.in_(SENT_STATUSES))
             .group_by(*group))
    return {(round_id, country): n for round_id, country, n in db.session.execute(query)}
