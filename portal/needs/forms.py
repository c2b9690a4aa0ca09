"""Forms of the survey builder. They only collect what staff typed: whether the survey is well
formed is decided by portal.needs.rules when the builder's services save it, and the problems
they find come back onto these fields (``show``), so that nothing typed is lost."""

from functools import cache

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    Field,
    FloatField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import Optional, ValidationError

from portal.forms import BaseForm, WholeNumberField, in_language, number_between
from portal.forms import max_length as at_most  # QuestionForm has a field `max_length`
from portal.forms import required as required_field  # and one named `required`
from portal.i18n import AUTONYMS, LOCALES, ascii_digits, format_number, text_direction
from portal.needs.builder import ChoiceDraft, QuestionDraft, SurveyProblems
from portal.needs.expressions import ExpressionError, Junction, Test, parse_relevant
from portal.needs.labels import GCM_OBJECTIVE, IRAQ_PRIORITY_OBJECTIVES, QUESTION_KIND, SECTOR
from portal.needs.models import Question, QuestionKind, Sector, Survey

MAX_CHOICE_ROWS = 100
BLANK_CHOICE_ROWS = 3
OPERATORS = {"=": _l("equals"), "!=": _l("does not equal"), "selected": _l("includes (selected)")}


def _typed_in(code: str) -> dict:
    return {"lang": code, "dir": text_direction(code)}


def _texts(form, prefix: str) -> dict[str, str]:
    """{locale: text} of the fields ``<prefix>_<locale>``, leaving out the empty ones."""
    return {code: form[f"{prefix}_{code}"].data for code in LOCALES
            if form[f"{prefix}_{code}"].data}


def _per_locale(form_class, prefix: str, label, limit: int, area: bool = False) -> None:
    """``<prefix>_<locale>`` for every language (WTForms takes fields set on the class)."""
    kind = TextAreaField if area else StringField
    for code in LOCALES:
        setattr(form_class, f"{prefix}_{code}", kind(
            in_language(label, code), validators=[Optional(), at_most(limit)],
            render_kw=_typed_in(code)))


class ProblemsField(Field):
    """No input of its own: it carries the rules' messages about a group of inputs (the
    choices), for the error summary; the template shows them at the group."""

    def widget(self, field, **kwargs) -> str:
        return ""

    def process_formdata(self, valuelist):
        self.data = None


class SurveyTextsForm(BaseForm):
    """A survey's title and description in any of the portal's languages, and its default
    language (readers whose language has no text see that one's)."""

    default_locale = SelectField(
        _l("Default language"), choices=[SelectChoice(c, AUTONYMS[c]) for c in LOCALES],
        description=_l("Readers whose language has no translation see the texts in this one."))

    def texts(self) -> tuple[dict[str, str], dict[str, str]]:
        return _texts(self, "title"), _texts(self, "description")

    def show(self, problems: SurveyProblems) -> list[str]:
        """Put the rules' messages on their fields: a question's on the default language,
        which lacks its text. Returns what is left to flash (nothing)."""
        self[f"title_{self.default_locale.data}"].errors.extend(problems.parts.get("title", []))
        self.default_locale.errors.extend(problems.elsewhere)
        return []

    @staticmethod
    def data_of(survey: Survey) -> dict:
        data = {"default_locale": survey.default_locale}
        for code in LOCALES:
            data[f"title_{code}"] = survey.title.get(code, "")
            data[f"description_{code}"] = survey.description.get(code, "")
        return data


_per_locale(SurveyTextsForm, "title", _l("Title"), 200)
_per_locale(SurveyTextsForm, "description", _l("Description"), 4000, area=True)


class NumberField(FloatField):
    """A number typed in any digits our readers use, with a decimal point or comma (٫ too)."""

    widget = widgets.TextInput()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, render_kw={"inputmode": "decimal", "dir": "ltr"}, **kwargs)

    def process_formdata(self, valuelist):
        typed = [ascii_digits(v).replace("٫", ".").replace(",", ".") for v in valuelist]
        super().process_formdata(typed)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return str(int(self.data)) if float(self.data).is_integer() else str(self.data)


class ObjectiveLabel(LazyString):
    """"4. Ensure that all migrants have proof of legal identity…" in the reader's language
    and digits."""

    def __init__(self, number: int):
        super().__init__(lambda: f"{format_number(number)}. {GCM_OBJECTIVE[number]}")


def _objective_choices() -> list[SelectChoice]:
    """No objective, then the ten Iraq's review names (2 the most important, first), then
    the others, each group labelled."""
    named, others = _l("Named in Iraq's national review"), _l("Other objectives")
    rest = [n for n in GCM_OBJECTIVE if n not in IRAQ_PRIORITY_OBJECTIVES]
    return ([SelectChoice("", "—")]
            + [SelectChoice(str(n), ObjectiveLabel(n), optgroup=named)
               for n in IRAQ_PRIORITY_OBJECTIVES]
            + [SelectChoice(str(n), ObjectiveLabel(n), optgroup=others) for n in rest])


def _sector_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("None (counted as other needs)"))] + [
        SelectChoice(sector.value, SECTOR[sector]) for sector in Sector]


class QuestionForm(BaseForm):
    """One question; ``question_form(rows)`` adds that many rows of choices."""

    name = StringField(_l("Name"), validators=[required_field(), at_most(64)],
                       render_kw={"dir": "ltr", "autocapitalize": "none", "spellcheck": "false"},
                       description=_l("Stable: answers and exports are keyed on it. Lowercase "
                                      "letters, digits and _, starting with a letter."))
    kind = SelectField(_l("Kind of answer"), choices=[
        SelectChoice(kind.value, label) for kind, label in QUESTION_KIND.items()])
    required = BooleanField(_l("An answer is required"))
    min_value = NumberField(_l("Smallest allowed answer"), validators=[Optional()])
    max_value = NumberField(_l("Largest allowed answer"), validators=[Optional()])
    max_length = WholeNumberField(_l("Longest allowed answer (characters)"),
                                  validators=[Optional(), number_between(1, 100_000)])
    sector = SelectField(_l("Needs sector"), choices=_sector_choices(), default="")
    gcm_objective = SelectField(_l("GCM objective"), choices=_objective_choices(), default="")
    hxl = StringField(_l("HXL hashtag"), validators=[Optional(), at_most(120)],
                      render_kw={"dir": "ltr", "autocapitalize": "none", "spellcheck": "false"},
                      description=_l("For example #affected+ind; it heads this question's "
                                     "column in the exports."))
    condition_question = SelectField(_l("Show this question only when the answer to"),
                                     choices=[], default="", validate_choice=False)
    condition_operator = SelectField(_l("Comparison"), default="=", choices=[
        SelectChoice(op, label) for op, label in OPERATORS.items()])
    condition_value = StringField(
        _l("Value"), validators=[Optional(), at_most(64)],
        render_kw={"dir": "ltr", "list": "choice-codes"},
        description=_l("For a question with choices, the code of one of its choices."))
    condition_expression = StringField(
        _l("Condition (XLSForm expression)"), validators=[Optional(), at_most(2000)],
        render_kw={"dir": "ltr", "spellcheck": "false"},
        description=_l("For example ${docs_problem} = 'yes' and selected(${docs_kinds}, "
                       "'passport'). Leave it empty to use the fields above instead."))
    choice_list = ProblemsField(_l("Choices"))

    def __init__(self, *args, earlier: list[Question] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.condition_question.choices = [SelectChoice("", "—")] + [
            SelectChoice(q.name, q.name) for q in earlier]
        self.earlier_names = {q.name for q in earlier}

    @property
    def rows(self) -> int:
        return sum(1 for name in self._fields if name.startswith("choice_code_"))

    def validate_condition_question(self, field) -> None:
        if field.data and field.data not in self.earlier_names:
            raise ValidationError(gettext("Please choose one of the options."))

    def validate_condition_value(self, field) -> None:
        if self.condition_question.data and not field.data:
            raise ValidationError(gettext("Please give the value the answer is compared with."))

    def validate_condition_expression(self, field) -> None:
        if field.data:
            try:
                parse_relevant(field.data)
            except ExpressionError as error:
                raise ValidationError(str(error.message)) from None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data == QuestionKind.YES_NO:  # its rows are not read
            return valid
        for n in range(self.rows):
            if not self[f"choice_code_{n}"].data and (_texts(self, f"choice_label_{n}")
                                                      or self[f"choice_sector_{n}"].data):
                self[f"choice_code_{n}"].errors.append(gettext("Please give the choice a code."))
                valid = False
        return valid

    def relevant(self) -> str | None:
        """The condition in canonical XLSForm text, or None: always shown."""
        if self.condition_expression.data:
            return parse_relevant(self.condition_expression.data).format()
        if self.condition_question.data:
            return Test(self.condition_operator.data, self.condition_question.data,
                        self.condition_value.data).format()
        return None

    def draft(self) -> QuestionDraft:
        """What was typed, as the builder's services take it (after validate)."""
        choices = [] if self.kind.data == QuestionKind.YES_NO else [
            ChoiceDraft(self[f"choice_code_{n}"].data, _texts(self, f"choice_label_{n}"),
                        Sector(self[f"choice_sector_{n}"].data)
                        if self[f"choice_sector_{n}"].data else None)
            for n in range(self.rows) if self[f"choice_code_{n}"].data]
        return QuestionDraft(
            name=self.name.data, kind=QuestionKind(self.kind.data), required=self.required.data,
            min_value=self.min_value.data, max_value=self.max_value.data,
            max_length=self.max_length.data, relevant=self.relevant(),
            sector=Sector(self.sector.data) if self.sector.data else None,
            gcm_objective=int(self.gcm_objective.data) if self.gcm_objective.data else None,
            hxl=self.hxl.data or None, label=_texts(self, "label"), hint=_texts(self, "hint"),
            constraint_message=_texts(self, "constraint_message"), choices=choices)

    def show(self, problems: SurveyProblems, default_locale: str) -> list[str]:
        """Put the rules' messages on their fields; returns those about other questions."""
        condition = "condition_expression" if self.condition_expression.data \
            else "condition_value"
        fields = {"label": f"label_{default_locale}", "choices": "choice_list",
                  "condition": condition}
        for part, messages in problems.parts.items():
            self[fields.get(part, part)].errors.extend(messages)
        return problems.elsewhere

    @property
    def uses_expression(self) -> bool:
        """Whether the condition is shown as an expression: it is more than one test."""
        return bool(self.condition_expression.data)

    @staticmethod
    def data_of(question: Question) -> dict:
        data = {name: getattr(question, name) for name in (
            "name", "required", "min_value", "max_value", "max_length", "hxl")}
        data |= {"kind": question.kind.value,
                 "sector": question.sector.value if question.sector else "",
                 "gcm_objective": str(question.gcm_objective or "")}
        for prefix in ("label", "hint", "constraint_message"):
            for code in LOCALES:
                data[f"{prefix}_{code}"] = getattr(question, prefix).get(code, "")
        data |= _condition_data(question.relevant)
        if question.kind != QuestionKind.YES_NO:
            for n, choice in enumerate(question.choices):
                data[f"choice_code_{n}"] = choice.code
                data[f"choice_sector_{n}"] = choice.sector.value if choice.sector else ""
                for code in LOCALES:
                    data[f"choice_label_{n}_{code}"] = choice.label.get(code, "")
        return data


def _condition_data(relevant: str | None) -> dict:
    """One test fills the three condition fields; more are shown as their expression."""
    if not relevant:
        return {}
    try:
        condition = parse_relevant(relevant)
    except ExpressionError:
        return {"condition_expression": relevant}
    if isinstance(condition, Junction):
        return {"condition_expression": condition.format()}
    return {"condition_question": condition.name, "condition_operator": condition.op,
            "condition_value": condition.value}


def _row_labels(n: int) -> tuple[LazyString, LazyString, LazyString]:
    """The labels of row ``n``'s code, label and sector, numbered in the reader's digits."""
    def number() -> str:
        return format_number(n + 1)

    return (LazyString(lambda: gettext("Code of choice %(number)s", number=number())),
            LazyString(lambda: gettext("Label of choice %(number)s", number=number())),
            LazyString(lambda: gettext("Sector of choice %(number)s", number=number())))


@cache  # a form class per number of rows, built once
def question_form(rows: int) -> type[QuestionForm]:
    """QuestionForm with ``rows`` rows of choices: a code, a label per language, a sector."""
    fields = {}
    for n in range(min(rows, MAX_CHOICE_ROWS)):
        code_label, label_label, sector_label = _row_labels(n)
        fields[f"choice_code_{n}"] = StringField(
            code_label, validators=[Optional(), at_most(64)],
            render_kw={"dir": "ltr", "autocapitalize": "none", "spellcheck": "false"})
        for code in LOCALES:
            fields[f"choice_label_{n}_{code}"] = StringField(
                in_language(label_label, code), validators=[Optional(), at_most(300)],
                render_kw=_typed_in(code))
        fields[f"choice_sector_{n}"] = SelectField(sector_label, choices=_sector_choices(),
                                                   default="")
    return type(f"QuestionForm{rows}", (QuestionForm,), fields)


_per_locale(QuestionForm, "label", _l("Question"), 1000)
_per_locale(QuestionForm, "hint", _l("Help text"), 2000, area=True)
_per_locale(QuestionForm, "constraint_message", _l("Message for an answer out of bounds"), 500)


class UploadForm(BaseForm):
    workbook = FileField(_l("XLSForm workbook (.xlsx)"), validators=[
        FileRequired(_l("Please choose a file.")),
        FileAllowed(["xlsx"], _l("Please choose an .xlsx workbook."))])
