"""Staff management of councils: create, edit, suspend, decide proposals, appoint leaders."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from portal.auth.services import find_by_email
from portal.councils import services
from portal.councils.forms import CouncilTextsForm, DecisionForm, LeaderForm, StatusForm
from portal.councils.models import Council, CouncilStatus
from portal.errors import commit_or_flash
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.pagination import page_number
from portal.permissions import staff_required

bp = Blueprint("councils_admin", __name__, url_prefix="/staff/councils",
               template_folder="templates")


def _council(slug: str) -> Council:
    council = services.find_council(slug)
    if council is None:
        abort(404)
    return council


def _back(council: Council):
    return redirect(url_for("councils_admin.edit", slug=council.slug))


@bp.route("/")
@staff_required
def index():
    """Proposals waiting for a decision, then every council, 50 a page with their counts."""
    page = services.councils_page(page_number())
    proposed = services.councils_page(1, CouncilStatus.PROPOSED).items
    counts = services.approved_counts([c.id for c in page.items])
    return render_template("councils/admin_index.html", page=page, counts=counts,
                           proposed=proposed)


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def create():
    form = CouncilTextsForm()
    if form.validate_on_submit():
        default = form.texts()[form.default_locale.data]
        council = services.create_council(default.name, form.country.data, default.city,
                                          default.description, locale=form.default_locale.data)
        services.update_council(council, form.country.data, form.default_locale.data,
                                form.texts())
        db.session.commit()
        flash(_("The council is created."), "success")
        return _back(council)
    return render_template("councils/admin_form.html", form=form, council=None)


@bp.route("/<slug>", methods=["GET", "POST"])
@staff_required
def edit(slug: str):
    council = _council(slug)
    form = CouncilTextsForm(data=CouncilTextsForm.data_of(council))
    if form.validate_on_submit() and commit_or_flash(
            lambda: services.update_council(council, form.country.data,
                                            form.default_locale.data, form.texts()),
            _("The council is saved.")):
        return _back(council)
    return render_template(
        "councils/admin_form.html", form=form, council=council,
        status_form=StatusForm(formdata=None, status=council.status.value),
        decision_form=DecisionForm(formdata=None), leader_form=LeaderForm(formdata=None),
        remove_form=ConfirmForm(formdata=None), leaders=services.leaders(council))


@bp.route("/<slug>/status", methods=["POST"])
@staff_required
def change_status(slug: str):
    council = _council(slug)
    form = StatusForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: services.set_status(council, CouncilStatus(form.status.data)),
                        _("The status is saved."))
    return _back(council)


@bp.route("/<slug>/decision", methods=["POST"])
@staff_required
def decide_proposal(slug: str):
    council = _council(slug)
    form = DecisionForm()
    if form.validate_on_submit():
        approve = form.decision.data == "approve"
        commit_or_flash(lambda: services.decide_proposal(council, approve, form.reason.data or ""),
                        _("The proposal is approved.") if approve
                        else _("The proposal is rejected."))
    return _back(council)


@bp.route("/<slug>/leaders", methods=["POST"])
@staff_required
def appoint_leader(slug: str):
    council = _council(slug)
    form = LeaderForm()
    if not form.validate_on_submit():
        flash(_("Please enter the email address of a registered member."), "error")
        return _back(council)
    user = find_by_email(form.email.data)
    if user is None or not user.is_active:
        flash(_("No member is registered with this email address."), "error")
        return _back(council)
    commit_or_flash(lambda: services.set_leader(council, user, True),
                    _("%(name)s is now a leader of this council.", name=user.display_name))
    return _back(council)


@bp.route("/<slug>/leaders/<int:user_id>/remove", methods=["POST"])
@staff_required
def remove_leader(slug: str, user_id: int):
    council = _council(slug)
    user = next((u for u in services.leaders(council) if u.id == user_id), None)
    if user is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        commit_or_flash(lambda: services.set_leader(council, user, False),
                        _("%(name)s is no longer a leader of this council.",
                          name=user.display_name))
    return _back(council)
