"""The member's own account: an overview at /me, and a page for each part (profile, sharing,
councils, password and devices, language, time zone, my data, deletion)."""

import json
from datetime import datetime

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.auth import services as accounts
from portal.auth.forms import ChangePasswordForm, LanguageForm
from portal.auth.models import User
from portal.auth.views import password_confirmed
from portal.errors import commit_or_flash
from portal.extensions import db
from portal.i18n import localize_digits
from portal.members import export_labels, services
from portal.members.choices import DEFAULT_SHARED
from portal.members.forms import DeleteAccountForm, ProfileForm, SharingForm, TimeZoneForm
from portal.security import local_path

bp = Blueprint("members", __name__, template_folder="templates")


def _user():
    return current_user._get_current_object()


def _time_zone_form(**kwargs) -> TimeZoneForm:
    profile = current_user.profile
    return TimeZoneForm(country=profile.country if profile else None, **kwargs)


def _posted_or_stored(make_form, **stored):
    """The form of a page: on POST it holds what was sent and nothing else (a field left out
    is empty); on GET it shows what is saved."""
    return make_form() if request.method == "POST" else make_form(**stored)


@bp.route("/me")
@login_required
def account():
    """A light overview: each part of the account is a page of its own, so this one carries
    no form and no long list of options."""
    memberships = current_user.memberships
    return render_template(
        "members/account.html",
        home=next((m for m in memberships if m.is_home), None),
        councils=sum(m.status.value == "approved" for m in memberships),
        shared=[label for _code, label, _value in services.shared_with_leaders(_user())],
    )


@bp.route("/me/profile", methods=["GET", "POST"])
@login_required
def update_profile():
    form = _posted_or_stored(ProfileForm, obj=current_user.profile)
    if form.validate_on_submit():
        answers = {name: form[name].data for name in (*services.PLAIN_FIELDS,
                                                      *services.SENSITIVE_FIELDS)}
        if commit_or_flash(lambda: services.update_profile(_user(), **answers),
                           _("Your profile is saved.")):
            return redirect(url_for("members.update_profile"))
    return render_template("members/profile.html", form=form)


@bp.route("/me/sharing", methods=["GET", "POST"])
@login_required
def update_sharing():
    profile = current_user.profile
    form = _posted_or_stored(SharingForm,
                             shared=profile.shared_with_leaders if profile else DEFAULT_SHARED)
    if form.validate_on_submit() and commit_or_flash(
            lambda: services.update_sharing(_user(), form.shared.data or []),
            _("Your choice of what council leaders can see is saved.")):
        return redirect(url_for("members.update_sharing"))
    return render_template("members/sharing.html", form=form,
                           preview=services.shared_with_leaders(_user()))


@bp.route("/me/councils")
@login_required
def councils():
    """The member's councils, each with its actions (make home, leave, withdraw a request);
    the table is the councils package's own template."""
    _load_memberships()
    return render_template("members/councils.html")


def _load_memberships() -> None:
    """Load the account's memberships with each council and its names in every language in
    three statements, where the table would otherwise load one council's names at a time.
    members sits below councils and does not import it: the classes are reached through the
    account's relationships."""
    council = User.memberships.property.mapper.class_.council
    names = council.property.mapper.class_.translations
    db.session.scalars(select(User).where(User.id == current_user.id).options(
        selectinload(User.memberships).joinedload(council).selectinload(names))).one()


@bp.route("/me/time-zone", methods=["GET", "POST"])
@login_required
def change_time_zone():
    form = _posted_or_stored(_time_zone_form, time_zone=current_user.time_zone or "")
    if form.validate_on_submit() and commit_or_flash(
            lambda: services.set_time_zone(_user(), form.time_zone.data or None),
            _("Your time zone is saved.")):
        return redirect(url_for("members.change_time_zone"))
    return render_template("members/time_zone.html", form=form)


@bp.route("/me/data.json")
@login_required
def download_data():
    data = services.export_data(_user())
    db.session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": "attachment; filename=my-data.json",
        "Cache-Control": "no-store",
    })


@bp.route("/me/data")
@login_required
def data_page():
    """What /me/data.json holds, as a page in the member's language. It shows the same data,
    so it is the same audit event (member.data_exported) as the download."""
    data = services.export_data(_user())
    db.session.commit()
    return render_template(
        "members/data.html", data=data, moment=datetime.fromisoformat, digits=localize_digits,
        **export_labels.template_labels(),
    )


@bp.route("/me/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit() and password_confirmed(_user(), form.password):
        services.delete_account(_user())
        db.session.commit()
        session.clear()
        logout_user()  # after clear(): it also tells the browser to drop a remember cookie
        flash(_("Your account is deleted, and your personal data with it."), "success")
        return redirect(url_for("main.home"))
    return render_template("members/delete.html", form=form)


@bp.route("/me/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; the devices kept logged in are listed on the same page."""
    form = ChangePasswordForm()
    form.account_email = current_user.email
    if form.validate_on_submit() and password_confirmed(_user(), form.current_password):
        accounts.change_password(_user(), form.password.data)
        db.session.commit()
        # This session stays (with the new session version); every other one has ended.
        login_user(_user())
        flash(_("Your password is changed. Other devices have been logged out."), "success")
        return redirect(url_for("members.change_password"))
    return render_template("members/password.html", form=form)


@bp.route("/me/language", methods=["GET", "POST"])
@login_required
def change_language():
    """Save the account's language. The language menu of every page posts here with ``next``
    and goes back to that page; the language page comes back to itself, saying so in the
    language just chosen."""
    form = _posted_or_stored(LanguageForm, locale=current_user.locale)
    if not form.validate_on_submit():
        return render_template("members/language.html", form=form)
    current_user.locale = form.locale.data
    db.session.commit()
    back = local_path(request.form.get("next"))
    if back:
        return redirect(back)
    with force_locale(form.locale.data):
        flash(_("Your language is saved."), "success")
    return redirect(url_for("members.change_language"))
