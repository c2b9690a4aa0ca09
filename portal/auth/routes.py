"""Register, verify, log in and out, reset a forgotten password."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from portal.auth import remember, services
from portal.auth.forms import EmailForm, LoginForm, RegisterForm, ResetPasswordForm
from portal.auth.two_factor import start_second_step
from portal.auth.views import finish_login
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.i18n import select_locale
from portal.security import local_path
from portal.throttle import limit_per_address

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")


def _safe_next(target: str | None) -> str:
    """Only redirect to a path on this site, never to another host."""
    return local_path(target) or url_for("members.account")


@bp.route("/register", methods=["GET", "POST"])
@limit_per_address("register", 60, 3600)  # a sign-up evening on one Wi-Fi
def register():
    if current_user.is_authenticated:
        return redirect(url_for("members.account"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = select_locale()
    if form.validate_on_submit():
        services.register(form.email.data, form.display_name.data, form.password.data,
                          form.locale.data)
        db.session.commit()
        return render_template("auth/check_email.html", email=form.email.data)
    return render_template("auth/register.html", form=form)


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    """GET only shows a button: mail scanners that fetch links must not use the token up."""
    user = services.user_for_verification(token)
    if user is None:
        return render_template("auth/link_invalid.html"), 400
    form = ConfirmForm()
    if form.validate_on_submit():
        services.mark_verified(user)
        db.session.commit()
        flash(_("Thank you, your email address is confirmed. You can log in now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/verify.html", form=form, user=user)


@bp.route("/verify/resend", methods=["GET", "POST"])
@limit_per_address("resend", 30, 3600)
def resend_verification():
    form = EmailForm()
    if form.validate_on_submit():
        user = services.find_by_email(form.email.data)
        if user and user.is_active and not user.email_verified_at:
            services.send_verification(user)
            db.session.commit()
        return render_template("auth/check_email.html", email=form.email.data)
    return render_template("auth/resend.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limit_per_address("login", 120, 15 * 60)  # accounts lock after 5 failures
def login():
    if current_user.is_authenticated:
        return redirect(url_for("members.account"))
    form = LoginForm()
    if form.validate_on_submit():
        return _attempt_login(form)
    return render_template("auth/login.html", form=form)


def _attempt_login(form: LoginForm):
    try:
        user = services.authenticate(form.email.data, form.password.data)
    except DomainError as refusal:
        db.session.commit()  # the failed attempt stays on record
        flash(str(refusal.message), "error")
        return render_template("auth/login.html", form=form)
    db.session.commit()  # an upgraded password hash, also when a second step follows
    if not user.email_verified_at:
        flash(_("Please confirm your email address first: follow the link in the mail "
                "we sent you, or ask for a new one below."), "error")
        return redirect(url_for("auth.resend_verification"))
    next_url = _safe_next(request.args.get("next"))
    if user.has_two_factor:
        return start_second_step(user, form.remember.data, next_url)
    return finish_login(user, form.remember.data, next_url)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    services.end_sessions(current_user)
    db.session.commit()
    session.clear()
    logout_user()  # after clear(): it leaves the note that removes the remember-me cookie
    flash(_("You are logged out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/devices/<int(max=2147483647):token_id>/revoke", methods=["POST"])
@login_required
def revoke_device(token_id: int):
    """Stop keeping one device logged in (listed on the password page)."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    remember.revoke(current_user, token_id)
    db.session.commit()
    flash(_("That device is no longer kept logged in."), "success")
    return redirect(url_for("members.change_password"))  # where the devices are listed


@bp.route("/reset", methods=["GET", "POST"])
@limit_per_address("reset", 30, 3600)
def reset_request():
    form = EmailForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("auth/check_email.html", email=form.email.data, reset=True)
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = services.user_for_reset(token)
    if user is None:
        return render_template("auth/link_invalid.html"), 400
    form = ResetPasswordForm()
    form.account_email = user.email
    if form.validate_on_submit():
        services.complete_reset(user, form.password.data)
        db.session.commit()
        flash(_("Your password is changed. Please log in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
