"""Staff publish a survey as a round, follow which councils it reaches and where each report
stands, and reopen a closed round for one council."""

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import Optional

from portal.councils.services import active_countries, named_councils
from portal.errors import DomainError, commit_or_flash
from portal.extensions import db
from portal.forms import BaseForm, max_length, required
from portal.i18n import country_name, sort_key
from portal.needs import rounds
from portal.needs.models import NeedsRound, RoundScope, Survey
from portal.pagination import page_number
from portal.permissions import staff_required

bp = Blueprint("needs_rounds", __name__, url_prefix="/staff", template_folder="templates")


class PublishForm(BaseForm):
    label = StringField(_l("Label of the round"), [required(), max_length(rounds.LABEL_LENGTH)],
                        description=_l("Such as 2026-Q4. Leaders see it beside the survey's "
                                       "title."))
    scope = RadioField(_l("Who answers"), default=RoundScope.ALL.value, choices=[
        SelectChoice(RoundScope.ALL.value, _l("Every council")),
        SelectChoice(RoundScope.COUNTRIES.value, _l(
            "The councils of the countries chosen below, including councils created there "
            "while it is open")),
        SelectChoice(RoundScope.COUNCILS.value, _l("The councils named below"))])
    countries = SelectMultipleField(_l("Countries"), choices=[], validate_choice=False,
                                    widget=widgets.ListWidget(prefix_label=False),
                                    option_widget=widgets.CheckboxInput())
    councils = StringField(_l("Councils"), [Optional(), max_length(4000)],
                           description=_l("Their short names as in their addresses, such as "
                                          "tr-istanbul, separated by spaces or commas."))
    opens_on = DateField(_l("Opens on"), [required()])
    closes_on = DateField(_l("Closes on (the last day, until midnight Baghdad time)"),
                          [required()])


class ReopenForm(BaseForm):
    council = HiddenField(validators=[required()])
    until = DateField(_l("Reopen until"), [required()])


def _survey(survey_id: int) -> Survey:
    return db.session.get(Survey, survey_id) or abort(404)


def _publish(survey: Survey, form: PublishForm) -> NeedsRound:
    scope = form.scope.data
    if scope == RoundScope.COUNTRIES and not form.countries.data:
        raise DomainError(_l("Please choose at least one country."))
    if scope == RoundScope.COUNCILS and not (form.councils.data or "").strip(", "):
        raise DomainError(_l("Please name at least one council."))
    return rounds.publish(
        survey, form.label.data,
        countries=form.countries.data if scope == RoundScope.COUNTRIES else (),
        councils=named_councils(form.councils.data) if scope == RoundScope.COUNCILS else (),
        opens_on=form.opens_on.data, closes_on=form.closes_on.data, actor=current_user)


@bp.route("/surveys/<int:survey_id>/rounds/new", methods=["GET", "POST"])
@staff_required
def publish(survey_id: int):
    """The publish form: a label, who answers and the days it is open."""
    survey = _survey(survey_id)
    today = rounds.baghdad_today()
    form = PublishForm(data={"opens_on": today,
                             "closes_on": today + timedelta(days=rounds.ROUND_DAYS)})
    form.countries.choices = sorted(
        (SelectChoice(code, country_name(code)) for code in active_countries()),
        key=lambda choice: sort_key(choice.label))
    if form.validate_on_submit():
        try:
            needs_round = _publish(survey, form)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The round is published."), "success")
            return redirect(url_for("needs_rounds.show", round_id=needs_round.id))
    earlier = db.session.scalars(select(NeedsRound).where(NeedsRound.survey_id == survey.id)
                                 .order_by(NeedsRound.opens_on.desc())).all()
    return render_template("needs/rounds/publish.html", survey=survey, form=form,
                           earlier=earlier)


@bp.route("/rounds/<int:round_id>")
@staff_required
def show(round_id: int):
    """The round's councils, 50 a page, each with its report's state and a reopen form."""
    needs_round = db.session.get(NeedsRound, round_id) or abort(404)
    return render_template(
        "needs/rounds/show.html", needs_round=needs_round,
        page=rounds.reached_page(needs_round, page_number()),
        counts=rounds.status_counts(needs_round), today=rounds.baghdad_today())


@bp.route("/rounds/<int:round_id>/reopen", methods=["POST"])
@staff_required
def reopen(round_id: int):
    needs_round = db.session.get(NeedsRound, round_id) or abort(404)
    form = ReopenForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: rounds.reopen(needs_round, named_councils(form.council.data)[0],
                                              form.until.data, current_user),
                        _("The round is reopened for this council."))
    else:
        flash(next(iter(form.errors.values()))[0], "error")
    return redirect(url_for("needs_rounds.show", round_id=round_id, page=page_number()))
