"""The member's own account page: profile, sharing, password, language, my data, deletion."""

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
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import services as accounts
from portal.auth.forms import ChangePasswordForm, LanguageForm
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


def _render_account(password_form=None, language_form=None, profile_form=None,
                    sharing_form=None, time_zone_form=None):
    user, profile = _user(), current_user.profile
    shared = profile.shared_with_leaders if profile else DEFAULT_SHARED
    return render_template(
        "members/account.html",
        password_form=password_form or ChangePasswordForm(formdata=None),
        language_form=language_form or LanguageForm(formdata=None, locale=user.locale),
        profile_form=profile_form or ProfileForm(formdata=None, obj=profile),
        sharing_form=sharing_form or SharingForm(formdata=None, shared=shared),
        time_zone_form=time_zone_form or _time_zone_form(formdata=None,
                                                         time_zone=user.time_zone or ""),
        shared_preview=services.shared_with_leaders(user),
    )


@bp.route("/me")
@login_required
def account():
    return _render_account()


@bp.route("/me/profile", methods=["POST"])
@login_required
def update_profile():
    form = ProfileForm()
    if form.validate_on_submit():
        answers = {name: form[name].data for name in (*services.PLAIN_FIELDS,
                                                      *services.SENSITIVE_FIELDS)}
        if commit_or_flash(lambda: services.update_profile(_user(), **answers),
                           _("Your profile is saved.")):
            return redirect(url_for("members.account"))
    return _render_account(profile_form=form)


@bp.route("/me/sharing", methods=["POST"])
@login_required
def update_sharing():
    form = SharingForm()
    if form.validate_on_submit():
        services.update_sharing(_user(), form.shared.data or [])
        db.session.commit()
        flash(_("Your choice of what council leaders can see is saved."), "success")
        return redirect(url_for("members.account"))
    return _render_account(sharing_form=form)


@bp.route("/me/time-zone", methods=["POST"])
@login_required
def change_time_zone():
    form = _time_zone_form()
    if form.validate_on_submit() and commit_or_flash(
            lambda: services.set_time_zone(_user(), form.time_zone.data or None),
            _("Your time zone is saved.")):
        return redirect(url_for("members.account"))
    return _render_account(time_zone_form=form)


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


@bp.route("/me/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    form.account_email = current_user.email
    if form.validate_on_submit() and password_confirmed(_user(), form.current_password):
        accounts.change_password(_user(), form.password.data)
        db.session.commit()
        # This session stays (with the new session version); every other one has ended.
        login_user(_user())
        flash(_("Your password is changed. Other devices have been logged out."), "success")
        return redirect(url_for("members.account"))
    return _render_account(password_form=form)


@bp.route("/me/language", methods=["POST"])
@login_required
def change_language():
    """Save the account's language (the language menu and the account page post here), then
    go back to the page the person was on."""
    form = LanguageForm()
    if form.validate_on_submit():
        current_user.locale = form.locale.data
        db.session.commit()
        return redirect(local_path(request.form.get("next")) or url_for("members.account"))
    return _render_account(language_form=form)
