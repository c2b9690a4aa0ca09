"""XLSForm import and export: the `survey`, `choices` and `settings` sheets of KoboToolbox/ODK.

An upload is untrusted, so the limits come before any parsing: the file's size, what its zip
members would unpack to (a zip bomb is small on the wire), then each sheet's rows, counted while
openpyxl streams them (read-only, its XML parsed through defusedxml). What a real Kobo form holds
that does not matter here (metadata rows, groups, notes, Kobo's own columns) is dropped with a
warning; what cannot be honoured is refused, every problem at once, each naming sheet, row and
column. Export writes the same format, so that import(export(survey)) is the same survey.

Beyond XLSForm, three optional columns of the survey sheet carry what Kobo has no place for —
`hxl`, `sector` (also on the choices sheet) and `gcm` — and `description::<Language> (<code>)`
columns of the settings sheet the survey's description.
"""

import zipfile
from io import BytesIO
from typing import BinaryIO

from babel import Locale
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.xml import DEFUSEDXML

from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import LOCALES, format_number
from portal.needs.expressions import Bounds, format_constraint
from portal.needs.models import Question, QuestionKind, Survey
from portal.needs.rules import CHOICE_KINDS
from portal.needs.xlsform_reading import COLUMNS, Reading, Sheet

if not DEFUSEDXML:  # openpyxl would parse uploads with the standard library's XML parser
    raise ImportError("defusedxml must be installed: XLSForm uploads are untrusted XML")

MAX_BYTES = 2 * 1024 * 1024  # the request limit (MAX_CONTENT_LENGTH)
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 2000


class XLSFormError(DomainError):
    """The workbook cannot become a survey; ``problems`` says every reason, each with its
    sheet, row and column, translated."""

    def __init__(self, problems: list):
        self.problems = [str(problem) for problem in problems]
        super().__init__(ngettext("The form was not imported: %(number)s problem.",
                                  "The form was not imported: %(number)s problems.",
                                  len(self.problems), number=format_number(len(self.problems))))


def read_survey(stream: BinaryIO, created_by=None) -> tuple[Survey, list[str]]:
    """A new survey from an XLSForm workbook, added and flushed as the first version of its
    own lineage, with warnings about what was ignored; XLSFormError when it cannot be."""
    reading = Reading(_read_sheets(_checked_zip(stream)))
    survey = reading.survey()
    if reading.problems:
        raise XLSFormError(reading.problems)
    survey.created_by = created_by
    db.session.add(survey)
    db.session.flush()
    survey.lineage_id = survey.id
    db.session.flush()
    return survey, reading.warnings


def _checked_zip(stream: BinaryIO) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise XLSFormError([_l("The file is larger than %(size)s MB.",
                               size=format_number(MAX_BYTES // 2**20))])
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            # Declared sizes bound what zipfile will ever inflate, so their sum is honest.
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise XLSFormError([_l("The file is not an Excel workbook: save the form as .xlsx "
                               "and try again.")]) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise XLSFormError([_l("The workbook would unpack to more than %(size)s MB.",
                               size=format_number(MAX_UNPACKED_BYTES // 2**20))])
    return data


def _read_sheets(data: bytes) -> dict[str, Sheet]:
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
        try:
            titles = {title.strip().lower(): title for title in workbook.sheetnames}
            return {name: _read_sheet(workbook[titles[name]], name) for name in COLUMNS
                    if name in titles}
        finally:
            workbook.close()
    except XLSFormError:
        raise
    except Exception as error:  # a damaged file: openpyxl raises whatever its parsers meet
        raise XLSFormError([_l("The workbook cannot be read: it is damaged or not a "
                               "spreadsheet.")]) from error


def _read_sheet(worksheet, name: str) -> Sheet:
    worksheet.reset_dimensions()  # a file's declared dimensions may hide columns or lie
    header, rows = [], []
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            raise XLSFormError([_l("Sheet “%(sheet)s” has more than %(limit)s rows.",
                                   sheet=name, limit=format_number(MAX_ROWS))])
        texts = [_text(value) for value in values]
        if number == 1:
            header = texts
        elif any(texts):
            rows.append((number, {column: text for column, text in zip(header, texts, strict=False)
                                  if column}))
    return Sheet(name, header, rows)


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


XLSFORM_TYPES = {QuestionKind.INTEGER: "integer", QuestionKind.DECIMAL: "decimal",
                 QuestionKind.DATE: "date", QuestionKind.SHORT_TEXT: "text",
                 QuestionKind.LONG_TEXT: "text", QuestionKind.SINGLE: "select_one",
                 QuestionKind.YES_NO: "select_one", QuestionKind.MULTIPLE: "select_multiple"}


def write_survey(survey: Survey) -> bytes:
    """``survey`` as an XLSForm workbook that read_survey reads back as the same survey; every
    text cell is a string, never a formula."""
    locales = _locales(survey)
    lists = _list_names(survey)
    workbook = Workbook(write_only=True)

    def sheet(name: str, header: list[str], rows: list[list[str]]) -> None:
        worksheet = workbook.create_sheet(name)
        for values in [header, *rows]:
            worksheet.append([_string_cell(worksheet, value) for value in values])

    def texts(values: dict[str, str]) -> list[str]:
        return [values.get(locale, "") for locale in locales]

    def columns(field: str) -> list[str]:
        return [f"{field}::{language_name(locale)}" for locale in locales]

    sheet("survey", ["type", "name", *columns("label"), *columns("hint"), "required", "relevant",
                     "constraint", *columns("constraint_message"), "appearance", "hxl", "sector",
                     "gcm"],
          [[_type(question, lists), question.name, *texts(question.label),
            *texts(question.hint), "yes" if question.required else "", question.relevant or "",
            format_constraint(Bounds(question.min_value, question.max_value,
                                     question.max_length)) or "",
            *texts(question.constraint_message),
            "multiline" if question.kind == QuestionKind.LONG_TEXT else "", question.hxl or "",
            str(question.sector or ""), str(question.gcm_objective or "")]
           for question in survey.questions])
    sheet("choices", ["list_name", "name", *columns("label"), "sector"],
          [[list_name, choice.code, *texts(choice.label), str(choice.sector or "")]
           for list_name, question in _first_questions(survey, lists)
           for choice in question.choices])
    sheet("settings", ["form_title", *columns("form_title"), *columns("description"), "version",
                       "default_language"],
          [[survey.title.get(survey.default_locale, ""), *texts(survey.title),
            *texts(survey.description), f"{survey.lineage_id or survey.id}.{survey.version}",
            language_name(survey.default_locale)]])
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def language_name(locale: str) -> str:
    """How XLSForm names a language: "Arabic (ar)"."""
    return f"{Locale.parse(locale).get_display_name('en')} ({locale})"


def _locales(survey: Survey) -> list[str]:
    """The default language, then every other language some text of the survey is in."""
    texts = [survey.title, survey.description]
    for question in survey.questions:
        texts += [question.label, question.hint, question.constraint_message]
        texts += [choice.label for choice in question.choices]
    used = {locale for values in texts for locale, text in values.items() if text}
    return [survey.default_locale] + [locale for locale in LOCALES
                                      if locale in used and locale != survey.default_locale]


def _list_names(survey: Survey) -> dict[str, str]:
    """The choice list of each choice question, by name: questions with the same choices share
    one, and a yes/no list is called yes_no, as Kobo calls it."""
    by_choices: dict[tuple, str] = {}
    names = {}
    for question in survey.questions:
        if question.kind not in CHOICE_KINDS:
            continue
        key = tuple((choice.code, tuple(sorted(choice.label.items())), choice.sector)
                    for choice in question.choices)
        if key not in by_choices:
            taken = set(by_choices.values())
            name = "yes_no" if question.kind == QuestionKind.YES_NO else question.name
            name = question.name if name in taken else name
            while name in taken:
                name += "_list"
            by_choices[key] = name
        names[question.name] = by_choices[key]
    return names


def _first_questions(survey: Survey, lists: dict[str, str]) -> list[tuple[str, Question]]:
    """Each list once, with the first question that uses it."""
    first: dict[str, Question] = {}
    for question in survey.questions:
        if question.name in lists:
            first.setdefault(lists[question.name], question)
    return list(first.items())


def _type(question: Question, lists: dict[str, str]) -> str:
    kind = XLSFORM_TYPES[question.kind]
    return f"{kind} {lists[question.name]}" if question.name in lists else kind


def _string_cell(worksheet, value: str):
    """A cell holding ``value`` as text: openpyxl would store "=…" as a formula."""
    cell = WriteOnlyCell(worksheet, value or None)
    if value:
        cell.data_type = "s"
    return cell
