"""The member's own account page."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from portal.auth import services as accounts
from portal.auth.forms import ChangePasswordForm, LanguageForm
from portal.extensions import db
from portal.security import verify_password

bp = Blueprint("members", __name__, template_folder="templates")


def _render_account(password_form=None, language_form=None):
    return render_template(
        "members/account.html",
        password_form=password_form or ChangePasswordForm(formdata=None),
        language_form=language_form or LanguageForm(formdata=None, locale=current_user.locale),
    )


@bp.route("/me")
@login_required
def account():
    return _render_account()


@bp.route("/me/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.current_password.data):
            accounts.set_password(current_user, form.password.data)
            db.session.commit()
            # This session stays (with the new session version); every other one has ended.
            login_user(current_user._get_current_object())
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("members.account"))
        form.current_password.errors.append(_("This is not your current password."))
    return _render_account(password_form=form)


@bp.route("/me/language", methods=["POST"])
@login_required
def change_language():
    form = LanguageForm()
    if form.validate_on_submit():
        current_user.locale = form.locale.data
        db.session.commit()
        return redirect(url_for("members.account"))
    return _render_account(language_form=form)
