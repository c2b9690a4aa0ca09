"""The survey builder (staff): surveys, their texts and questions, versions, XLSForm upload and
download. Every page works without JavaScript: reordering and deleting are POST buttons, a
condition is three fields, more choices come as blank rows."""

import re

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from portal.database import MAX_ID
from portal.errors import commit_or_flash
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.i18n import AUTONYMS, LOCALES, format_list
from portal.needs import builder
from portal.needs.builder import SurveyProblems
from portal.needs.forms import (
    BLANK_CHOICE_ROWS,
    MAX_CHOICE_ROWS,
    QuestionForm,
    SurveyTextsForm,
    UploadForm,
    question_form,
)
from portal.needs.labels import GCM_OBJECTIVE, IRAQ_PRIORITY_OBJECTIVES, QUESTION_KIND, SECTOR
from portal.needs.models import Question, QuestionKind, Survey, localized
from portal.needs.xlsform import XLSFormError, write_survey
from portal.pagination import page_number
from portal.permissions import staff_required

bp = Blueprint("needs_surveys", __name__, url_prefix="/staff/surveys",
               template_folder="templates")

_CHOICE_ROW = re.compile(r"choice_code_(\d{1,3})")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.context_processor
def _labels() -> dict:
    return {"localized": localized, "QUESTION_KIND": QUESTION_KIND, "SECTOR": SECTOR,
            "GCM_OBJECTIVE": GCM_OBJECTIVE, "PRIORITY": IRAQ_PRIORITY_OBJECTIVES,
            "missing_languages": missing_languages}


def missing_languages(survey: Survey, question: Question) -> Markup | None:
    """The languages some text of ``question`` lacks (its label, or its hint, constraint
    message or a choice's label where the default language has one), each named in itself."""
    texts = [question.label, question.hint, question.constraint_message,
             *(choice.label for choice in question.choices)]
    codes = [code for code in LOCALES
             if any(t.get(survey.default_locale) and not t.get(code) for t in texts)]
    return format_list([Markup('<span lang="{}">{}</span>').format(code, AUTONYMS[code])
                        for code in codes]) if codes else None


def _survey(survey_id: int) -> Survey:
    survey = builder.find_survey(survey_id) if survey_id <= MAX_ID else None
    if survey is None:
        abort(404)
    return survey


def _question(survey: Survey, question_id: int) -> Question:
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None:
        abort(404)
    return question


def _to_survey(survey: Survey, anchor: str | None = None):
    return redirect(url_for("needs_surveys.show", survey_id=survey.id, _anchor=anchor))


def _frozen_redirect(survey: Survey):
    """Editing pages of a frozen survey send back to it, where a new version is offered."""
    if request.method == "GET" and builder.is_frozen(survey):
        flash(_("Councils have answered this survey, so it cannot change any more. Make a new "
                "version to edit it."), "error")
        return _to_survey(survey)
    return None


def _saved(action, show, success: str) -> bool:
    """Run a builder service for a form: commit and flash ``success``; or roll back, put the
    rules' messages on the form's fields (``show``) and flash the rest. Returns whether it
    was saved."""
    return commit_or_flash(action, success, lambda error: show(error) if isinstance(
        error, SurveyProblems) else [error.message])


@bp.get("/")
@staff_required
def index():
    return render_template("needs/surveys/index.html", page=builder.surveys_page(page_number()))


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def create():
    form = SurveyTextsForm()
    created = []
    if form.validate_on_submit() and _saved(
            lambda: created.append(builder.create_survey(
                form.default_locale.data, *form.texts(), current_user)),
            form.show, _("The survey is created. Now add its questions.")):
        return _to_survey(created[0])
    return render_template("needs/surveys/texts.html", form=form, survey=None)


@bp.get("/<int:survey_id>")
@staff_required
def show(survey_id: int):
    survey = _survey(survey_id)
    return render_template("needs/surveys/show.html", survey=survey,
                           frozen=builder.is_frozen(survey), form=ConfirmForm(formdata=None))


@bp.route("/<int:survey_id>/texts", methods=["GET", "POST"])
@staff_required
def edit_texts(survey_id: int):
    survey = _survey(survey_id)
    if (back := _frozen_redirect(survey)) is not None:
        return back
    form = SurveyTextsForm(data=SurveyTextsForm.data_of(survey))
    if form.validate_on_submit() and _saved(
            lambda: builder.update_texts(survey, form.default_locale.data, *form.texts()),
            form.show, _("The survey's texts are saved.")):
        return _to_survey(survey)
    return render_template("needs/surveys/texts.html", form=form, survey=survey)


def _choice_rows(question: Question | None) -> int:
    """As many rows as were posted; on a first view, the question's choices and a few blank
    rows to add more."""
    if request.method == "POST":
        posted = [int(m[1]) for key in request.form if (m := _CHOICE_ROW.fullmatch(key))]
        rows = max(posted, default=-1) + 1
    else:
        has_rows = question is not None and question.kind != QuestionKind.YES_NO
        rows = (len(question.choices) if has_rows else 0) + BLANK_CHOICE_ROWS
    return min(max(rows, BLANK_CHOICE_ROWS), MAX_CHOICE_ROWS)


def _question_page(survey: Survey, question: Question | None):
    if (back := _frozen_redirect(survey)) is not None:
        return back
    earlier = survey.questions[:survey.questions.index(question)] if question \
        else list(survey.questions)
    form = question_form(_choice_rows(question))(
        data=QuestionForm.data_of(question) if question else None, earlier=earlier)
    saved = []
    if form.validate_on_submit() and _saved(
            lambda: saved.append(builder.save_question(survey, form.draft(), question)),
            lambda problems: form.show(problems, survey.default_locale),
            _("The question is saved.")):
        return _to_survey(survey, f"question-{saved[0].id}")
    codes = sorted({c.code for q in earlier for c in q.choices})
    return render_template("needs/surveys/question.html", form=form, survey=survey,
                           question=question, codes=codes, frozen=builder.is_frozen(survey))


@bp.route("/<int:survey_id>/questions/new", methods=["GET", "POST"])
@staff_required
def add_question(survey_id: int):
    return _question_page(_survey(survey_id), None)


@bp.route("/<int:survey_id>/questions/<int:question_id>", methods=["GET", "POST"])
@staff_required
def edit_question(survey_id: int, question_id: int):
    survey = _survey(survey_id)
    return _question_page(survey, _question(survey, question_id))


@bp.post("/<int:survey_id>/questions/<int:question_id>/move")
@staff_required
def move_question(survey_id: int, question_id: int):
    survey = _survey(survey_id)
    question = _question(survey, question_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None or not ConfirmForm().validate_on_submit():
        abort(400)
    commit_or_flash(lambda: builder.move_question(survey, question, offset),
                    _("The question is moved."))
    return _to_survey(survey, f"question-{question.id}")


@bp.route("/<int:survey_id>/questions/<int:question_id>/delete", methods=["GET", "POST"])
@staff_required
def delete_question(survey_id: int, question_id: int):
    """A page that asks first, then a POST that deletes."""
    survey = _survey(survey_id)
    question = _question(survey, question_id)
    if (back := _frozen_redirect(survey)) is not None:
        return back
    form = ConfirmForm()
    if form.validate_on_submit() and commit_or_flash(
            lambda: builder.delete_question(survey, question), _("The question is deleted.")):
        return _to_survey(survey)
    return render_template("needs/surveys/delete.html", survey=survey, question=question,
                           form=form)


@bp.post("/<int:survey_id>/versions")
@staff_required
def new_version(survey_id: int):
    survey = _survey(survey_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    made = []
    if commit_or_flash(lambda: made.append(builder.new_version(survey, current_user)),
                       _("This is the new version. Edit it, then publish it as a round.")):
        return _to_survey(made[0])
    return _to_survey(survey)


@bp.route("/import", methods=["GET", "POST"])
@staff_required
def import_xlsform():
    form, problems = UploadForm(), []
    if form.validate_on_submit():
        try:
            survey, warnings = builder.import_survey(form.workbook.data.stream, current_user)
        except XLSFormError as error:
            db.session.rollback()
            flash(str(error.message), "error")
            problems = error.problems
        else:
            db.session.commit()
            flash(_("The survey is imported."), "success")
            for warning in warnings:
                flash(warning, "info")
            return _to_survey(survey)
    return render_template("needs/surveys/import.html", form=form, problems=problems)


@bp.get("/<int:survey_id>/xlsform.xlsx")
@staff_required
def download(survey_id: int):
    survey = _survey(survey_id)
    name = f"survey-{survey.id}-v{survey.version}.xlsx"
    return Response(write_survey(survey), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
