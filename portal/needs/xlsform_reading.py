"""How the rows of an XLSForm workbook become a survey: which columns hold what, in which
language, which types are questions, which are dropped (metadata, groups, notes) and which are
refused. Nothing here touches the file or the database (portal.needs.xlsform does)."""

import re
from dataclasses import dataclass

from babel import Locale
from flask_babel import lazy_gettext as _l

from portal.errors import DomainError
from portal.i18n import LOCALES
from portal.needs.expressions import (
    Bounds,
    ExpressionError,
    format_relevant,
    parse_constraint,
    parse_relevant,
)
from portal.needs.models import Choice, Question, QuestionKind, Sector, Survey
from portal.needs.rules import YES_NO_CODES, check_gcm, check_hxl, check_name, survey_problems

# Kobo and ODK record these about the device and the session, not about the council.
METADATA_TYPES = frozenset({
    "start", "end", "today", "deviceid", "imei", "username", "email", "audit", "simserial",
    "subscriberid", "phonenumber", "start-geopoint", "background-audio", "uuid"})
KINDS = {"integer": QuestionKind.INTEGER, "decimal": QuestionKind.DECIMAL,
         "date": QuestionKind.DATE, "text": QuestionKind.SHORT_TEXT}
SELECT_KINDS = {"select_one": QuestionKind.SINGLE, "select_multiple": QuestionKind.MULTIPLE}
_TYPE_SPELLINGS = (("select all that apply", "select_multiple"),
                   ("select multiple", "select_multiple"), ("select one", "select_one"),
                   ("begin group", "begin_group"), ("end group", "end_group"),
                   ("begin repeat", "begin_repeat"), ("end repeat", "end_repeat"))
_GEO = _l("Locations (geopoint, geotrace, geoshape) are not collected here.")
_MEDIA = _l("Files, pictures, sound, video and barcodes are not collected here.")
REFUSED_TYPES = {
    "calculate": _l("Calculated fields (calculate) cannot be honoured: councils answer every "
                    "question themselves."),
    "begin_repeat": _l("Repeats are not supported: a report has one answer per question."),
    **dict.fromkeys(("geopoint", "geotrace", "geoshape"), _GEO),
    **dict.fromkeys(("image", "audio", "video", "file", "barcode"), _MEDIA),
}
# The columns we read; any other is ignored with a warning. Text columns have a version per
# language: `label::Arabic (ar)`, or a bare `label` in the default language.
COLUMNS = {"survey": ("type", "name", "required", "relevant", "constraint", "appearance", "hxl",
                      "sector", "gcm"),
           "choices": ("list_name", "name", "sector"),
           "settings": ("version", "default_language")}
TEXT_COLUMNS = {"survey": ("label", "hint", "constraint_message"), "choices": ("label",),
                "settings": ("form_title", "description")}
REQUIRED_COLUMNS = {"survey": ("type", "name"), "choices": ("list_name", "name"), "settings": ()}
TRUE, FALSE = {"yes", "true", "true()", "1"}, {"no", "false", "false()", "0", ""}
ENGLISH_NAMES = {Locale.parse(code).get_display_name("en").lower(): code for code in LOCALES}


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number, {header: text}) of non-empty rows


def locale_of(language: str) -> str | None:
    """Our locale for an XLSForm language: "Arabic (ar)", "ar" or "Arabic"; None if we have
    none."""
    bracketed = re.search(r"\(([^()]*)\)\s*$", language)
    code = (bracketed.group(1) if bracketed else language).strip().lower().replace("_", "-")
    return code if code in LOCALES else ENGLISH_NAMES.get(code)


def located(sheet: str, row: int, column: str | None, message) -> str:
    if column:
        return str(_l("Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(problem)s",
                      sheet=sheet, row=row, column=column, problem=message))
    return str(_l("Sheet “%(sheet)s”, row %(row)s: %(problem)s", sheet=sheet, row=row,
                  problem=message))


class Reading:
    """One workbook read into an unsaved survey, noting problems and warnings on the way."""

    def __init__(self, sheets: dict[str, Sheet]):
        self.sheets = sheets
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.seen: set[tuple[str, int, str]] = set()
        self.ignored: list[str] = []  # columns and appearance values, for one warning
        self.languages: list[str] = []  # languages we do not offer
        self.layouts = {name: self._layout(sheet) for name, sheet in sheets.items()}
        self.default = "en"

    def survey(self) -> Survey:
        if "survey" not in self.sheets:
            self.problems.append(str(_l("The workbook has no sheet named “%(sheet)s”.",
                                        sheet="survey")))
            return Survey()
        settings_row, settings = self._settings()
        survey = Survey(default_locale=self.default, version=1,
                        title=self._texts("settings", settings, "form_title"),
                        description=self._texts("settings", settings, "description"))
        rows = self._questions(survey) if self._has_columns("survey") else {}
        for name, message in survey_problems(survey):
            if name is None:
                self._problem("settings", settings_row, "form_title", message)
            else:
                self._problem("survey", rows[name], None, message)
        self._warn()
        return survey

    def _layout(self, sheet: Sheet) -> dict[str, list[tuple[str, str | None]]]:
        """The columns holding each field we read: (header, locale; None: the default's)."""
        layout: dict[str, list[tuple[str, str | None]]] = {}
        for header in filter(None, sheet.header):
            field, _, language = header.partition("::")
            field = field.strip().lower().replace(" ", "_")  # "list name" is list_name
            if field in COLUMNS[sheet.name] and not language:
                layout[field] = [(header, None)]
            elif field in TEXT_COLUMNS[sheet.name]:
                locale = locale_of(language) if language else None
                if language and locale is None:
                    self.languages.append(language.strip())
                else:
                    layout.setdefault(field, []).append((header, locale))
            else:
                self.ignored.append(str(_l("column “%(column)s” (sheet “%(sheet)s”)",
                                           column=header, sheet=sheet.name)))
        return layout

    def _has_columns(self, sheet: str) -> bool:
        missing = [field for field in REQUIRED_COLUMNS[sheet] if field not in self.layouts[sheet]]
        for field in missing:
            self._problem(sheet, 1, field, _l("This column is missing."))
        return not missing

    def _cell(self, sheet: str, cells: dict[str, str], field: str) -> str:
        columns = self.layouts.get(sheet, {}).get(field)
        return cells.get(columns[0][0], "") if columns else ""

    def _texts(self, sheet: str, cells: dict[str, str], field: str) -> dict[str, str]:
        """A text per locale; a bare column gives the default language's when no
        `field::<its language>` column does."""
        texts: dict[str, str] = {}
        for header, locale in sorted(self.layouts.get(sheet, {}).get(field, []),
                                     key=lambda column: column[1] is None):
            if cells.get(header):
                texts.setdefault(locale or self.default, cells[header])
        return texts

    def _problem(self, sheet: str, row: int, field: str | None, message) -> None:
        if (sheet, row, str(message)) in self.seen:
            return  # the rules repeat what a column's own check already said
        self.seen.add((sheet, row, str(message)))
        columns = self.layouts.get(sheet, {}).get(field or "")
        self.problems.append(located(sheet, row, columns[0][0] if columns else field, message))

    def _settings(self) -> tuple[int, dict[str, str]]:
        """The settings row (and its number); sets the default language."""
        sheet = self.sheets.get("settings")
        number, cells = sheet.rows[0] if sheet and sheet.rows else (2, {})
        language = self._cell("settings", cells, "default_language")
        labels = [locale for _, locale in self.layouts["survey"].get("label", []) if locale]
        if not language:
            self.default = labels[0] if labels else "en"
        elif locale_of(language):
            self.default = locale_of(language)
        else:
            self._problem("settings", number, "default_language",
                          _l("“%(value)s” is not one of the portal's languages: %(codes)s.",
                             value=language, codes=", ".join(LOCALES)))
        return number, cells

    def _warn(self) -> None:
        for language in dict.fromkeys(self.languages):
            self.warnings.append(str(_l("The columns in “%(language)s” were ignored: the portal "
                                        "does not offer that language.", language=language)))
        if self.ignored:
            self.warnings.append(str(_l("Ignored, as they do not matter here: %(items)s.",
                                        items="; ".join(dict.fromkeys(self.ignored)))))

    def _questions(self, survey: Survey) -> dict[str, int]:
        """Adds the survey sheet's questions to ``survey``; returns each name's row."""
        lists, rows = self._choice_lists(), {}
        groups: list[str | None] = []  # the conditions of the groups a row is in
        notes: list[tuple[int, dict[str, str]]] = []  # notes waiting for the next question
        for number, cells in self.sheets["survey"].rows:
            kind = _type(self._cell("survey", cells, "type"))
            word = kind.partition(" ")[0]
            if word in METADATA_TYPES or word == "end_repeat":
                continue
            if word in ("begin_group", "note"):
                self.ignored += [_appearance(value) for value in self._appearances(cells)]
            if word == "begin_group":
                groups.append(self._relevant(number, cells))
            elif word == "end_group":
                groups = groups[:-1]
            elif word == "note":
                notes.append((number, self._texts("survey", cells, "label")))
            elif word or self._cell("survey", cells, "name"):
                question = self._question(number, cells, kind, lists)
                name = question and question.name
                if not name:
                    continue  # refused, or nameless: check_name said so
                if name in rows:
                    self._problem("survey", number, "name", _l(
                        "Row %(row)s already has a question named “%(name)s”.",
                        row=rows[name], name=name))
                else:
                    question.position = len(survey.questions)
                    question.hint = _joined([texts for _, texts in notes] + [question.hint])
                    question.relevant = _all_of([*groups, question.relevant])
                    survey.questions.append(question)
                    rows[name], notes = number, []
        for number, _ in notes:
            self.warnings.append(located("survey", number, None, _l(
                "A note after the last question was ignored.")))
        return rows

    def _question(self, number: int, cells: dict[str, str], kind: str,
                  lists: dict) -> Question | None:
        question = Question(name=self._cell("survey", cells, "name"), choices=[])
        if not self._kind(question, number, kind, lists, self._appearances(cells)):
            return None
        bounds = self._parsed(number, cells, "constraint", parse_constraint) or Bounds()
        question.min_value, question.max_value = bounds.min_value, bounds.max_value
        question.max_length = bounds.max_length
        question.relevant = self._relevant(number, cells)
        question.required = self._required(number, cells)
        question.label = self._texts("survey", cells, "label")
        question.hint = self._texts("survey", cells, "hint")
        question.constraint_message = self._texts("survey", cells, "constraint_message")
        question.sector = self._sector("survey", number, cells)
        for field, check in (("name", check_name), ("hxl", check_hxl), ("gcm", _gcm)):
            try:
                value = check(self._cell("survey", cells, field) or None)
            except DomainError as error:
                self._problem("survey", number, field, error.message)
            else:
                setattr(question, {"gcm": "gcm_objective"}.get(field, field), value)
        return question

    def _kind(self, question: Question, number: int, kind: str, lists: dict,
              appearances: list[str]) -> bool:
        """Sets the question's kind and choices from its XLSForm type; False if refused."""
        word, _, list_name = kind.partition(" ")
        if word in KINDS and not list_name:
            multiline = word == "text" and "multiline" in appearances
            question.kind = QuestionKind.LONG_TEXT if multiline else KINDS[word]
            self.ignored += [_appearance(value) for value in appearances
                             if not multiline or value != "multiline"]
            return True
        if word in SELECT_KINDS and list_name and " " not in list_name:
            if list_name not in lists:
                self._problem("survey", number, "type", _l(
                    "The choice list “%(list)s” does not exist.", list=list_name))
                return False
            question.kind = SELECT_KINDS[word]
            question.choices = [Choice(position=position, code=code, label=label, sector=sector)
                                for position, (code, label, sector) in enumerate(lists[list_name])]
            if word == "select_one" and sorted(YES_NO_CODES) == sorted(
                    choice.code for choice in question.choices):
                question.kind = QuestionKind.YES_NO
                question.choices.sort(key=lambda choice: YES_NO_CODES.index(choice.code))
            self.ignored += [_appearance(value) for value in appearances]
            return True
        self._problem("survey", number, "type", REFUSED_TYPES.get(word) or _l(
            "The type “%(type)s” is not supported: use integer, decimal, text, date, "
            "select_one, select_multiple, note or a group.", type=kind) if word else
            _l("The type is missing."))
        return False

    def _appearances(self, cells: dict[str, str]) -> list[str]:
        return self._cell("survey", cells, "appearance").split()

    def _relevant(self, number: int, cells: dict[str, str]) -> str | None:
        return self._parsed(number, cells, "relevant",
                            lambda text: format_relevant(parse_relevant(text)))

    def _parsed(self, number: int, cells: dict[str, str], field: str, parse):
        """``parse`` of the column's text (None when empty or broken, with a problem)."""
        text = self._cell("survey", cells, field)
        try:
            return parse(text) if text else None
        except ExpressionError as error:
            self._problem("survey", number, field, error.message)
            return None

    def _required(self, number: int, cells: dict[str, str]) -> bool:
        text = self._cell("survey", cells, "required").lower()
        if text not in TRUE | FALSE:
            self._problem("survey", number, "required",
                          _l("Write yes or no (or true, false, 1, 0)."))
        return text in TRUE

    def _sector(self, sheet: str, number: int, cells: dict[str, str]) -> Sector | None:
        text = self._cell(sheet, cells, "sector").lower()
        try:
            return Sector(text) if text else None
        except ValueError:
            self._problem(sheet, number, "sector", _l(
                "“%(value)s” is not a sector; the sectors are %(codes)s.",
                value=text, codes=", ".join(Sector)))
            return None

    def _choice_lists(self) -> dict[str, list[tuple[str, dict[str, str], Sector | None]]]:
        """Each list's choices: (code, label per locale, sector)."""
        lists: dict[str, list] = {}
        sheet = self.sheets.get("choices")
        if sheet is None or not sheet.rows or not self._has_columns("choices"):
            return lists
        for number, cells in sheet.rows:
            list_name = self._cell("choices", cells, "list_name")
            if list_name:
                lists.setdefault(list_name, []).append((
                    self._cell("choices", cells, "name"), self._texts("choices", cells, "label"),
                    self._sector("choices", number, cells)))
        return lists


def _type(text: str) -> str:
    """An XLSForm type in one spelling: "select one L" is "select_one L", "begin group" is
    "begin_group"; the type in lower case, a list's name as written."""
    text = " ".join(text.split())
    for spelling, canonical in _TYPE_SPELLINGS:
        if text.lower().startswith(spelling):
            text = canonical + text[len(spelling):]
    word, space, rest = text.partition(" ")
    return word.lower() + space + rest


def _appearance(value: str) -> str:
    return str(_l("appearance “%(value)s”", value=value))


def _gcm(text: str | None) -> int | None:
    if text is not None and not text.isdigit():
        raise DomainError(_l("“%(value)s” is not a whole number.", value=text))
    return check_gcm(int(text)) if text else None


def _joined(texts: list[dict[str, str]]) -> dict[str, str]:
    """Notes and a hint, per language, one paragraph each."""
    joined: dict[str, str] = {}
    for part in texts:
        for locale, text in part.items():
            joined[locale] = f"{joined[locale]}\n\n{text}" if locale in joined else text
    return joined


def _all_of(conditions: list[str | None]) -> str | None:
    """The canonical condition of a question and the groups around it, all holding."""
    parts = [condition for condition in conditions if condition]
    if len(parts) < 2:
        return parts[0] if parts else None
    return format_relevant(parse_relevant(" and ".join(f"({part})" for part in parts)))
