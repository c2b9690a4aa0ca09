"""What makes a survey well formed, checked the same way in the builder and on XLSForm import.

Each check raises DomainError with a translated message; ``survey_problems`` lists every problem
of a whole survey, each with the name of the question it concerns (None: the survey itself).
"""

import re

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError
from portal.needs.expressions import ExpressionError, Test, names_in, parse_relevant
from portal.needs.models import QuestionKind, Survey

NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
# Names a leader's form uses for itself: a question named so would be overwritten by them.
RESERVED_NAMES = frozenset({"csrf_token", "action", "revision", "submit", "next", "lang"})
# HXL 1.1: a hashtag, then attributes, each a letter followed by letters, digits or "_".
HXL_PATTERN = re.compile(r"#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*")
YES_NO_CODES = ("yes", "no")
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO)


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name or ""):
        raise DomainError(_l("A name starts with a lowercase letter and has only lowercase "
                             "letters, digits and _ (at most 64)."))
    if name in RESERVED_NAMES:
        raise DomainError(_l("“%(name)s” is used by the form itself; choose another name.",
                             name=name))
    return name


def check_hxl(tag: str | None) -> str | None:
    """The hashtag in its normal form (lower case, no spaces), or None when empty."""
    normal = re.sub(r"\s+", "", tag or "").lower()
    if not normal:
        return None
    if not HXL_PATTERN.fullmatch(normal):
        raise DomainError(_l("“%(tag)s” is not an HXL hashtag, such as #affected+ind.",
                             tag=tag))
    return normal


def check_gcm(number: int | None) -> int | None:
    if number is not None and not 1 <= number <= 23:
        raise DomainError(_l("The Global Compact has objectives 1 to 23."))
    return number


def survey_problems(survey: Survey) -> list[tuple[str | None, str]]:
    """Every problem of ``survey``, in question order; an empty list when it is well formed."""
    return [(name, message) for name, _part, message in field_problems(survey)]


def field_problems(survey: Survey) -> list[tuple[str | None, str, str]]:
    """survey_problems with the part at fault — "title", "name", "hxl", "gcm_objective",
    "label", "max_value", "max_length", "choices" or "condition" — so that the builder shows
    each message beside the input it concerns."""
    problems: list[tuple[str | None, str, str]] = []
    if not survey.title.get(survey.default_locale):
        problems.append((None, "title",
                         str(_l("The survey needs a title in its default language."))))
    earlier: dict[str, object] = {}
    for question in survey.questions:
        for part, message in _question_problems(question, survey.default_locale, earlier):
            problems.append((question.name, part, str(message)))
        earlier[question.name] = question
    return problems


def _question_problems(question, default_locale: str, earlier: dict) -> list[tuple[str, object]]:
    problems = []
    for part, check in (("name", lambda: check_name(question.name)),
                        ("hxl", lambda: check_hxl(question.hxl)),
                        ("gcm_objective", lambda: check_gcm(question.gcm_objective))):
        try:
            check()
        except DomainError as error:
            problems.append((part, error.message))
    if question.name in earlier:
        problems.append(("name", _l("Two questions are named “%(name)s”.", name=question.name)))
    if not question.label.get(default_locale):
        problems.append(("label",
                         _l("The question needs a label in the survey's default language.")))
    problems += _bounds_problems(question)
    problems += [("choices", message) for message in _choice_problems(question, default_locale)]
    if question.relevant:
        problems += [("condition", message)
                     for message in _condition_problems(question.relevant, earlier)]
    return problems


def _bounds_problems(question) -> list[tuple[str, object]]:
    low, high = question.min_value, question.max_value
    if low is not None and high is not None and low > high:
        return [("max_value", _l("The smallest allowed answer is larger than the largest."))]
    if question.max_length is not None and question.max_length < 1:
        return [("max_length", _l("The maximum length must be at least 1."))]
    return []


def _choice_problems(question, default_locale: str) -> list:
    codes = [choice.code for choice in question.choices]
    if question.kind not in CHOICE_KINDS:
        return [_l("Only choice questions have choices.")] if codes else []
    if question.kind == QuestionKind.YES_NO and tuple(codes) != YES_NO_CODES:
        return [_l("A yes/no question has exactly the choices yes and no.")]
    problems = []
    if len(codes) < 2:
        problems.append(_l("A choice question needs at least two choices."))
    if len(set(codes)) != len(codes):
        problems.append(_l("Two choices have the same code."))
    for choice in question.choices:
        if not NAME_PATTERN.fullmatch(choice.code):
            problems.append(_l("The choice code “%(code)s” must start with a lowercase letter "
                               "and have only lowercase letters, digits and _.", code=choice.code))
        elif not choice.label.get(default_locale):
            problems.append(_l("The choice “%(code)s” needs a label in the survey's default "
                               "language.", code=choice.code))
    return problems


def _condition_problems(relevant: str, earlier: dict) -> list:
    try:
        condition = parse_relevant(relevant)
    except ExpressionError as error:
        return [error.message]
    unknown = sorted(names_in(condition) - earlier.keys())
    if unknown:
        return [_l("The condition reads “%(name)s”, which is not an earlier question.",
                   name=unknown[0])]
    return [_l("The condition compares “%(name)s” with “%(value)s”, which is not one of its "
               "choices.", name=test.name, value=test.value)
            for test in _tests(condition) if _unknown_choice(test, earlier[test.name])]


def _tests(condition) -> list[Test]:
    return [condition] if isinstance(condition, Test) else [
        test for part in condition.parts for test in _tests(part)]


def _unknown_choice(test: Test, question) -> bool:
    return question.kind in CHOICE_KINDS and test.value not in {c.code for c in question.choices}
