"""The ministry's review of needs reports: every report councils have sent, filtered and paged,
and one report's page with its answers, its timeline and the next steps staff may take."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.errors import commit_or_flash
from portal.needs import review
from portal.needs.labels import REPORT_STATUS
from portal.needs.models import NeedsReport, ReportStatus, localized
from portal.needs.review_forms import STEP_LABEL, DecisionForm, ReviewFilterForm
from portal.permissions import staff_required

bp = Blueprint("needs_review", __name__, url_prefix="/staff/needs", template_folder="templates")

@bp.context_processor
def labels() -> dict:
    """The decision form's buttons (the states' names come from the needs blueprint)."""
    return {"STEP_LABEL": STEP_LABEL}


# Ids are 32-bit: a larger number in the address is no report (and would overflow SQLite).
REPORT_URL = "/reports/<int(max=2147483647):report_id>"


@bp.get("/")
@staff_required
def reports():
    form = ReviewFilterForm(formdata=request.args, rounds=review.round_choices(),
                            councils=review.reporting_councils(), locale=str(get_locale()))
    cutoff = review.overdue_cutoff()
    page = None
    if form.validate():
        page = review.review_page(form.filters(), request.args.get("cursor"), cutoff)
    return render_template("needs/review/reports.html", form=form, page=page,
                           query=form.query(), cutoff=cutoff, is_overdue=review.is_overdue)


def _sent_report(report_id: int) -> NeedsReport:
    report = review.find_sent_report(report_id)
    if report is None:
        abort(404)
    return report


def _render_report(report: NeedsReport, form: DecisionForm):
    survey = report.round.survey
    return render_template(
        "needs/review/report.html", report=report, form=form,
        next_statuses=review.next_statuses(report),
        overdue=review.is_overdue(report, review.overdue_cutoff()),
        survey_title=localized(survey.title, str(get_locale()), survey.default_locale))


@bp.get(REPORT_URL)
@staff_required
def report(report_id: int):
    return _render_report(_sent_report(report_id), DecisionForm(formdata=None))


@bp.post(REPORT_URL)
@staff_required
def decide(report_id: int):
    """A step for the report. Refused (an older page, a step it cannot take, a return without
    a comment), the page comes back as the report is now, with the comment as typed."""
    report = _sent_report(report_id)
    form = DecisionForm()
    if form.validate():
        status = ReportStatus(form.status.data)
        moved = commit_or_flash(
            lambda: review.move_report(report, status, current_user._get_current_object(),
                                       form.comment.data or "", form.revision.data),
            _("The report is now “%(status)s”. Its council's leaders are told by email.",
              status=REPORT_STATUS[status]))
        if moved:
            return redirect(url_for("needs_review.report", report_id=report_id))
        report = _sent_report(report_id)
    return _render_report(report, form)
