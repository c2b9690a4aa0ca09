"""A leader's answers read from the survey form: each value checked against its question, and
conditions applied in question order on the server, so that nothing depends on JavaScript.

A question whose condition does not hold is skipped: whatever was sent for it is dropped, and
later conditions see it as unanswered. Numbers are read in the notation of the leader's language
(``1.234,5`` in German, ``١٢٣٤٫٥`` in Sorani, ``۱۲۳۴٫۵`` in Persian) or in plain ``1234.5``.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

from portal.errors import DomainError
from portal.forms import length_message, number_message
from portal.i18n import ascii_digits, format_number, localize_digits
from portal.needs.expressions import Condition, parse_relevant
from portal.needs.models import Question, QuestionKind, localized

Value = int | float | str | date | list[str]
# Text answers without a limit of their own still have one: a form is not a file store.
TEXT_LIMITS = {QuestionKind.SHORT_TEXT: 200, QuestionKind.LONG_TEXT: 5000}
NUMBER_KINDS = (QuestionKind.INTEGER, QuestionKind.DECIMAL)
LARGEST = Decimal(10) ** 12  # larger is a typing slip (and would lose digits as a float)

_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n") | {127: None}


@dataclass
class Reading:
    """``values``: the valid answers of the questions shown; ``errors``: a message for each
    question whose answer was refused; ``typed``: what was sent, to show the form again."""

    values: dict[str, Value] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    typed: dict[str, list[str]] = field(default_factory=dict)


@lru_cache(maxsize=512)
def _condition(text: str) -> Condition:
    return parse_relevant(text)


def condition_value(value: Value | None) -> str | list[str] | None:
    """An answer as a condition compares it: codes as they are, a number as plain digits."""
    if value is None or isinstance(value, list | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return format(Decimal(str(value)).normalize(), "f")


def is_shown(question: Question, earlier: Mapping[str, str | list[str] | None]) -> bool:
    """Whether the question applies, given the earlier answers (in condition_value form)."""
    return not question.relevant or _condition(question.relevant).holds(earlier)


def read_answers(questions: list[Question], sent: Mapping[str, list[str]], locale: str,
                 complete: bool) -> Reading:
    """Check every answer ``sent`` (each input's values by name) in question order.
    ``complete``: a submission, where a required question must be answered; a draft may wait."""
    reading, earlier = Reading(), {}
    for question in questions:
        raw = [str(value) for value in sent.get(question.name, [])]
        reading.typed[question.name] = raw
        earlier[question.name] = None
        if not is_shown(question, earlier):
            continue
        try:
            value = _value(question, raw, locale)
        except DomainError as error:
            reading.errors[question.name] = str(error.message)
            continue
        if value is None:
            if complete and question.required:
                reading.errors[question.name] = gettext("Please answer this question.")
            continue
        reading.values[question.name] = value
        earlier[question.name] = condition_value(value)
    return reading


def _value(question: Question, raw: list[str], locale: str) -> Value | None:
    kind = question.kind
    if kind == QuestionKind.MULTIPLE:
        return _chosen(question, raw)
    text = raw[0].translate(_CONTROL).strip() if raw else ""
    if not text:
        return None
    if kind in (QuestionKind.YES_NO, QuestionKind.SINGLE):
        return _chosen(question, [text])[0]
    if kind in NUMBER_KINDS:
        return _number(question, text, locale)
    if kind == QuestionKind.DATE:
        return _day(text)
    return _text(question, text)


def _chosen(question: Question, raw: list[str]) -> list[str] | None:
    codes = [choice.code for choice in question.choices]
    picked = {value.strip() for value in raw} - {""}
    if picked - set(codes):
        raise DomainError(_l("Please choose one of the options."))
    return [code for code in codes if code in picked] or None


def _day(text: str) -> date:
    text = ascii_digits(text)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise DomainError(_l("Please enter a date."))


def _text(question: Question, text: str) -> str:
    if question.kind == QuestionKind.SHORT_TEXT:
        text = " ".join(text.split())
    else:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    limit = question.max_length or TEXT_LIMITS[question.kind]
    if len(text) > limit:
        raise DomainError(_own_message(question) or length_message(0, limit))
    return text


def _own_message(question: Question) -> str | None:
    """The survey's own message for an answer out of bounds, in the reader's language."""
    text, _lang = localized(question.constraint_message, str(get_locale()),
                            question.survey.default_locale)
    return text or None


def _number(question: Question, text: str, locale: str) -> int | float:
    number = parse_number(text, locale)
    if number is None or abs(number) >= LARGEST:
        raise DomainError(_l("Please enter a number."))
    if question.kind == QuestionKind.INTEGER:
        if number != number.to_integral_value():
            raise DomainError(_l("Please enter a whole number."))
        number = int(number)
    low, high = question.min_value, question.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise DomainError(_own_message(question) or _bounds_message(low, high))
    return number if isinstance(number, int) else float(number)


def _bounds_message(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return str(number_message(low, high))
    if low is not None:
        return gettext("Please enter a number of at least %(min)s.", min=format_number(low))
    return gettext("Please enter a number of at most %(max)s.", max=format_number(high))


def _symbols(locale: str) -> tuple[str, str]:
    """The decimal and group marks of the locale's own digits (١٢٣٤٫٥ in Sorani)."""
    return (get_decimal_symbol(locale, numbering_system="default"),
            get_group_symbol(locale, numbering_system="default"))


# The minus sign, and the direction marks Arabic and Persian numbers carry around it.
_MARKS = str.maketrans({"\u2212": "-", "\u200e": None, "\u200f": None, "\u061c": None})
_PLAIN = re.compile(r"-?\d+(\.\d+)?")
_GROUPED = re.compile(r"-?(\d{1,3}(G\d{3})+|\d+)(D\d+)?")


def parse_number(text: str, locale: str) -> Decimal | None:
    """A number as the reader's language writes it, or as plain digits with a point; None when
    it is neither. Groups must have three digits, so "2.5" is never read as 25 in German."""
    text = ascii_digits(text).translate(_MARKS).strip()
    decimal, group = _symbols(locale)
    marked = "".join("D" if char in (decimal, "\u066b") else
                     "G" if char in (group, "\u066c") or char.isspace() else char
                     for char in text)
    if _GROUPED.fullmatch(marked):
        text = marked.replace("G", "").replace("D", ".")
    elif not _PLAIN.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def number_text(value: int | float) -> str:
    """A stored number written back into the form in the reader's notation, every digit kept
    (parse_number reads it back to the same value)."""
    return localize_digits(format_decimal(value, locale=get_locale(), numbering_system="default",
                                          group_separator=False, decimal_quantization=False))
