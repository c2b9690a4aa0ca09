"""Council leaders' needs reports: the rounds open for their councils, the survey form, and
each report's state, the ministry's comments and its timeline.

Only a council's leaders reach its reports; for everyone else (members, other councils'
leaders, staff, who have their own pages) these pages do not exist: 404.
"""

from datetime import date
from typing import NamedTuple

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import validate_csrf
from markupsafe import Markup
from wtforms.validators import ValidationError

from portal.errors import DomainError
from portal.extensions import csrf, db
from portal.i18n import text_direction
from portal.needs import reports, rounds
from portal.needs.labels import REPORT_STATUS
from portal.needs.models import NeedsReport, Question, localized
from portal.needs.reading import Value, number_text
from portal.pagination import page_number

bp = Blueprint("needs", __name__, url_prefix="/needs", template_folder="templates")


@bp.app_template_global("report_answers")
def report_answers(report: NeedsReport) -> list[reports.AnswerRow]:
    """For the answers_table macro (needs/answers.html), on leaders' and staff pages alike."""
    return reports.answer_rows(report, str(get_locale()))


@bp.app_template_global("needs_text")
def needs_text(texts: dict[str, str], default_locale: str) -> tuple[str, str]:
    """A survey's, question's or choice's text for this reader, and the language it is in."""
    return localized(texts, str(get_locale()), default_locale)


@bp.app_template_global("lang_attrs")
def lang_attrs(lang: str) -> Markup:
    """` lang="en" dir="ltr"` for a text in another language than the page's (a survey's
    text without a translation), nothing otherwise. Needs no template context, so that
    macros imported without it (answers_table) can use it."""
    if lang == str(get_locale()):
        return Markup("")
    return Markup(' lang="{}" dir="{}"').format(lang, text_direction(lang))


@bp.app_context_processor
def labels() -> dict:
    """The reports' states by name, on the leaders' and the staff's pages alike."""
    return {"REPORT_STATUS": REPORT_STATUS}


@bp.route("/")
@login_required
def index():
    """The open rounds of the councils the leader leads, then their reports, latest first."""
    open_rounds = rounds.open_rounds_for(current_user)
    page = reports.reports_page(current_user, page_number())
    if not (open_rounds or page.items or rounds.leads_any(current_user)):
        abort(404)
    return render_template("needs/reports/index.html", open_rounds=open_rounds, page=page)


@bp.route("/reports/<int:report_id>")
@login_required
def report(report_id: int):
    found = reports.leader_report(current_user, report_id)
    if found is None:
        abort(404)
    return render_template("needs/reports/report.html", report=found,
                           can_edit=reports.can_edit(found, found.round))


class Field(NamedTuple):
    """A question as the form shows it: texts in the reader's language (``*_lang`` says
    which), what is in its input, and why it was refused."""

    question: Question
    label: str
    label_lang: str
    hint: str
    hint_lang: str
    typed: list[str]
    error: str | None
    choices: list[tuple[str, str, str]]  # code, label, its language


def _fields(survey, typed: dict[str, list[str]], errors: dict[str, str]) -> list[Field]:
    locale, default = str(get_locale()), survey.default_locale
    return [Field(question, *localized(question.label, locale, default),
                  *localized(question.hint, locale, default), typed.get(question.name, []),
                  errors.get(question.name),
                  [(choice.code, *localized(choice.label, locale, default))
                   for choice in question.choices])
            for question in reports.questions_of(survey)]


def _typed(value: Value) -> list[str]:
    """A stored answer as its input shows it: numbers in the reader's digits."""
    if isinstance(value, list):
        return value
    if isinstance(value, int | float):
        return [number_text(value)]
    return [value.isoformat() if isinstance(value, date) else value]


def _form_page(found: rounds.OpenRound, typed: dict[str, list[str]],
               errors: dict[str, str] | None = None, newer: NeedsReport | None = None,
               status: int = 200):
    needs_round, council, report = found
    page = render_template(
        "needs/reports/form.html", needs_round=needs_round, council=council, report=report,
        fields=_fields(needs_round.survey, typed, errors or {}), newer=newer,
        revision=report.revision if report else 0, can_save=council.is_active)
    return page, status


def _token_is_valid() -> bool:
    """This view checks its own CSRF token (it is exempt from CSRFProtect's check), so that a
    token that expired while a leader typed brings the form back with their answers instead
    of an error page. Fails closed: without a valid token nothing is saved."""
    if not current_app.config["WTF_CSRF_ENABLED"]:
        return True
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


def _away(found: rounds.OpenRound):
    """Where a leader goes when the form is not theirs to change: the report, or their list."""
    report = found.report
    return redirect(url_for("needs.report", report_id=report.id) if report and report.id
                    else url_for("needs.index"))


@bp.route("/rounds/<int:round_id>/councils/<slug>", methods=["GET", "POST"])
@csrf.exempt
@login_required
def report_form(round_id: int, slug: str):
    found = rounds.leader_round(current_user, round_id, slug)
    if found is None:
        abort(404)
    if request.method == "GET":
        if not reports.can_edit(found.report, found.round):
            flash(_("This report can no longer be changed."), "info")
            return _away(found)
        stored = reports.answers_of(found.report) if found.report else {}
        return _form_page(found, {name: _typed(value) for name, value in stored.items()})
    sent = request.form.to_dict(flat=False)
    if not _token_is_valid():
        flash(_("Your answers were not saved: the page had been open too long. They are "
                "still in the form below; please save or submit again."), "error")
        return _form_page(found, sent, status=400)
    return _save(found, sent)


def _save(found: rounds.OpenRound, sent: dict[str, list[str]]):
    submit = request.form.get("action") == "submit"
    try:
        report = reports.save_answers(
            *found, sent, str(get_locale()), request.form.get("revision", -1, type=int),
            current_user, submit)
    except reports.InvalidAnswers as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return _form_page(found, refused.reading.typed, refused.reading.errors, status=422)
    except reports.StaleReport as stale:
        db.session.rollback()
        return _after_conflict(found, sent, stale)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return _away(found)
    db.session.commit()
    if submit:
        flash(_("Your report is submitted. The ministry will review it."), "success")
        return redirect(url_for("needs.report", report_id=report.id))
    flash(_("Your draft is saved. You can come back to it until the round closes."), "success")
    return redirect(url_for("needs.report_form", round_id=found.round.id,
                            slug=found.council.slug))


def _after_conflict(found: rounds.OpenRound, sent: dict[str, list[str]],
                    stale: reports.StaleReport):
    """Another leader saved first: their answers are shown beside the form, which keeps what
    this leader typed and now carries the newer revision, so that saving again is a choice."""
    found = rounds.leader_round(current_user, found.round.id, found.council.slug)
    if not reports.can_edit(found.report, found.round):
        flash(_("Another leader of the council submitted this report meanwhile."), "error")
        return _away(found)
    flash(str(stale.message), "error")
    return _form_page(found, sent, newer=found.report, status=409)

