"""Two-factor authentication pages: enrolment, the code prompt after the password, new recovery
codes, turning off."""

import time

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from portal.auth import services, totp
from portal.auth.forms import (
    CodeForm,
    DisableTwoFactorForm,
    EnableTwoFactorForm,
    RecoveryCodesForm,
)
from portal.auth.models import User
from portal.auth.views import finish_login, password_confirmed
from portal.extensions import db
from portal.throttle import limit_per_address

bp = Blueprint("auth_two_factor", __name__, url_prefix="/auth/2fa", template_folder="templates")
PENDING_KEY, PENDING_SECONDS = "2fa_pending", 300


def start_second_step(user: User, remember: bool, next_url: str):
    """After a correct password: remember who is half logged in, for five minutes only."""
    session.clear()
    session[PENDING_KEY] = {"id": user.get_id(), "remember": remember, "next": next_url,
                            "until": time.time() + PENDING_SECONDS}
    return redirect(url_for("auth_two_factor.verify"))


def _pending_user() -> User | None:
    pending = session.get(PENDING_KEY)
    if not pending or pending.get("until", 0) < time.time():
        return None
    return services.load_session_user(pending["id"])


@bp.route("/verify", methods=["GET", "POST"])
@limit_per_address("2fa", 30, 15 * 60)
def verify():
    user = _pending_user()
    if user is None:
        flash(_("Please log in again."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if services.login_blocked_for(user.email) or not totp.verify(user, form.code.data):
            db.session.rollback()  # SQLite: end the failed spend's write before counting it
            services.record_failed_login(user.email)
            db.session.commit()
            form.code.errors.append(_("This code is not valid. Codes change every 30 seconds "
                                      "and work only once."))
        else:
            pending = session.pop(PENDING_KEY)
            return finish_login(user, pending["remember"], pending["next"])
    return render_template("auth/two_factor_verify.html", form=form)


def _user() -> User:
    return current_user._get_current_object()


@bp.route("/setup", methods=["GET", "POST"])
@login_required
def setup():
    """Show a new secret as a QR code and text; enable it once a code and the password match."""
    user = _user()
    if user.has_two_factor:
        return _render_on(user)
    if not user.totp_pending_secret:  # kept on the server until confirmed, never in the cookie
        user.totp_pending_secret = totp.new_secret()
        db.session.commit()
    secret = user.totp_pending_secret
    form = EnableTwoFactorForm()
    if form.validate_on_submit() and password_confirmed(user, form.password):
        step = totp.enrolment_step(secret, form.code.data)
        if step is not None:
            codes = totp.enable(user, secret, step)
            return _show_codes(user, codes, _("Two-factor authentication is on"))
        form.code.errors.append(_("This code is not valid. Check the time on your phone "
                                  "and try the next code."))
    return render_template("auth/two_factor_setup.html", form=form, secret=secret,
                           qr_code=totp.qr_code_data_uri(user, secret))


def _render_on(user: User, disable_form=None, codes_form=None):
    """The page of an account with 2FA on: new recovery codes, and turning it off."""
    return render_template(
        "auth/two_factor_on.html", remaining=totp.remaining_recovery_codes(user),
        form=disable_form or DisableTwoFactorForm(formdata=None),
        codes_form=codes_form or RecoveryCodesForm(formdata=None, prefix="codes"))


def _show_codes(user: User, codes: list[str], title: str):
    """Commit, then show the new recovery codes: this once, never again."""
    db.session.commit()
    login_user(user)  # this session continues, with the new session version if it changed
    return render_template("auth/two_factor_codes.html", codes=codes, title=title)


@bp.route("/recovery-codes", methods=["POST"])
@login_required
def recovery_codes():
    """New recovery codes, the password confirmed; the old ones stop working."""
    user = _user()
    if not user.has_two_factor:
        return redirect(url_for("auth_two_factor.setup"))
    form = RecoveryCodesForm(prefix="codes")
    if form.validate_on_submit() and password_confirmed(user, form.password):
        codes = totp.regenerate_recovery_codes(user)
        return _show_codes(user, codes, _("New recovery codes"))
    return _render_on(user, codes_form=form)


@bp.route("/disable", methods=["POST"])
@login_required
def disable():
    if current_user.is_staff:  # mandatory for ministry accounts
        abort(403)
    user = _user()
    if not user.has_two_factor:
        return redirect(url_for("auth_two_factor.setup"))
    form = DisableTwoFactorForm()
    if form.validate_on_submit() and password_confirmed(user, form.password):
        totp.disable(user)
        db.session.commit()
        login_user(user)
        flash(_("Two-factor authentication is off."), "success")
        return redirect(url_for("members.account"))
    return _render_on(user, disable_form=form)


def require_two_factor_for_staff():
    """Staff and admins reach nothing but enrolment and logging out until 2FA is on."""
    if not (current_user.is_authenticated and current_user.is_staff):
        return None
    allowed = {"auth_two_factor.setup", "auth.logout", "static", "main.healthz"}
    if not current_user.has_two_factor and request.endpoint not in allowed:
        flash(_("Ministry accounts must use two-factor authentication. Please set it up now."),
              "info")
        return redirect(url_for("auth_two_factor.setup"))
    return None
