"""A round's sent reports as a table: one row per report, one column per question (one per
choice of a multiple-choice question), a row of labels and a row of HXL hashtags on top, so that
HXL tools read the file as it is. Codes, not labels, in the cells: a spreadsheet filters on
them. Callers commit the audit event before the first row leaves.
"""

import io
from collections.abc import Callable, Iterator
from datetime import date
from itertools import groupby
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.councils.models import Council
from portal.extensions import db
from portal.i18n import DEFAULT_TIME_ZONE
from portal.needs.models import (
    SENT_STATUSES,
    Answer,
    NeedsReport,
    NeedsRound,
    Question,
    QuestionKind,
    localized,
)

BATCH = 500  # rows read from the database at a time while a file is written
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAGHDAD = ZoneInfo(DEFAULT_TIME_ZONE)


class Report(NamedTuple):
    """One sent report: its council, when it was sent, and its answers by question id."""

    country: str
    council: str
    reported_on: date | None
    status: str
    answers: dict[int, list]  # question id: rows of (choice, number, text, day)


class Column(NamedTuple):
    label: str
    tag: str
    value: Callable[[Report], object]


def columns(needs_round: NeedsRound, locale: str) -> list[Column]:
    """The council's columns, then each question's, labelled in ``locale`` (else the survey's
    default language)."""
    fixed = [
        Column(_("Country code"), "#country+code", lambda r: r.country),
        Column(_("Council"), "#org+name", lambda r: r.council),
        Column(_("Date reported"), "#date+reported", lambda r: r.reported_on),
        Column(_("Status"), "#status", lambda r: r.status),
    ]
    default = needs_round.survey.default_locale
    for question in _questions(needs_round):
        label = localized(question.label, locale, default)[0] or question.name
        fixed += _question_columns(question, label, locale, default)
    return fixed


def _questions(needs_round: NeedsRound) -> list[Question]:
    query = (select(Question).where(Question.survey_id == needs_round.survey_id)
             .options(selectinload(Question.choices)).order_by(Question.position))
    return list(db.session.scalars(query))


def _question_columns(question: Question, label: str, locale: str, default: str) -> list[Column]:
    """A column per choice of a multiple-choice question (1 chosen, 0 not, empty when the
    question was not answered), else one. Cells are read from plain values: the rows are
    written after the audit event's commit has expired every loaded object."""
    qid, kind = question.id, question.kind
    if kind != QuestionKind.MULTIPLE:
        return [Column(label, question.hxl or "", lambda r: _value(qid, kind, r))]
    return [Column(_("%(question)s: %(choice)s", question=label,
                     choice=localized(choice.label, locale, default)[0] or choice.code),
                   f"{question.hxl}+{choice.code}" if question.hxl else "",
                   lambda r, code=choice.code: _chosen(qid, code, r))
            for choice in question.choices]


def _value(question_id: int, kind: QuestionKind, report: Report):
    answers = report.answers.get(question_id)
    if not answers:
        return None
    answer = answers[0]
    if kind in (QuestionKind.INTEGER, QuestionKind.DECIMAL):
        number = answer.number
        return int(number) if number is not None and number.is_integer() else number
    if kind == QuestionKind.DATE:
        return answer.day
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return answer.text
    return answer.choice


def _chosen(question_id: int, code: str, report: Report) -> int | None:
    answers = report.answers.get(question_id)
    if not answers:
        return None
    return int(any(answer.choice == code for answer in answers))


def _sent(round_id: int):
    return (NeedsReport.round_id == round_id, NeedsReport.status.in_(SENT_STATUSES))


def record_export(needs_round: NeedsRound, file_format: str) -> None:
    """Every export is on record, with how many reports it held."""
    count = db.session.scalar(select(func.count()).select_from(NeedsReport)
                              .where(*_sent(needs_round.id)))
    audit.record("needs.exported", needs_round, format=file_format, reports=count)


def reports(round_id: int) -> Iterator[Report]:
    """The round's sent reports by country and council, read in batches (one statement)."""
    query = (select(NeedsReport.id, Council.country, Council.name, NeedsReport.submitted_at,
                    NeedsReport.status, Answer.question_id, Answer.choice, Answer.number,
                    Answer.text, Answer.day)
             .join(NeedsReport.council).outerjoin(NeedsReport.answers)
             .where(*_sent(round_id))
             .order_by(Council.country, Council.name, NeedsReport.id)
             .execution_options(yield_per=BATCH))
    for _id, rows in groupby(db.session.execute(query), key=lambda row: row[0]):
        rows = list(rows)
        first = rows[0]
        answers: dict[int, list] = {}
        for row in rows:
            if row.question_id is not None:
                answers.setdefault(row.question_id, []).append(row)
        sent = first.submitted_at.astimezone(BAGHDAD).date() if first.submitted_at else None
        yield Report(first.country, first.name, sent, first.status.value, answers)


def rows(round_id: int, cols: list[Column]) -> Iterator[list]:
    """The hashtag row, then a row per report."""
    yield [column.tag for column in cols]
    for report in reports(round_id):
        yield [column.value(report) for column in cols]


def xlsx(round_id: int, cols: list[Column]) -> bytes:
    """The table as a workbook written row by row (openpyxl's write-only mode). Every text is
    a string cell, so a value starting with "=" stays text instead of becoming a formula."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("reports")
    sheet.append([_string(sheet, column.label) for column in cols])
    for row in rows(round_id, cols):
        sheet.append([_string(sheet, value) if isinstance(value, str) else value
                      for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _string(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
    cell.data_type = "s"
    return cell
