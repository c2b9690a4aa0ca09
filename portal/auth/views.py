"""View helpers shared by the account pages (auth, two-factor, members): they start and resume
sessions, carry the remember-me cookie and turn a refused password into a form error. They
talk HTTP and commit; the rules are in ``services``, ``remember`` and ``totp``."""

import time

from flask import after_this_request, current_app, flash, redirect, request, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from portal.auth import remember, services
from portal.auth.models import User
from portal.errors import DomainError
from portal.extensions import db

# Flask-Login's cookie name, on purpose: its logout_user() removes our cookie too, and a cookie
# it issued before we took over is caught (and dropped) here before it could read it.
REMEMBER_COOKIE = "remember_token"


def finish_login(user: User, remember_device: bool, next_url: str):
    """Start a fresh session for a user who passed every check, and go where they were going.

    The only place a remember-me token is made: after the whole login (password and, where
    on, the second factor), and never for ministry accounts.
    """
    session.clear()
    login_user(user)
    session["auth_at"] = time.time()
    services.record_login(user)
    cookie = None
    if remember_device and not user.is_staff:
        cookie = remember.issue(user, request.user_agent.string)
    db.session.commit()
    flash(_("Welcome, %(name)s.", name=user.display_name), "success")
    response = redirect(next_url)
    if cookie:
        _set_remember_cookie(response, cookie)
    return response


def _set_remember_cookie(response, value: str):
    response.set_cookie(REMEMBER_COOKIE, value, max_age=int(remember.LIFETIME.total_seconds()),
                        httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def resume_remembered_session():
    """Before each request without a session: redeem a remember-me cookie, rotating it.

    Asks the session, not ``current_user``, whether someone is signed in, so that Flask-Login
    never gets to read the cookie in its own format. Static files are left alone: they need
    no session, and a page's parallel requests must not spend one cookie twice.
    """
    cookie = request.cookies.get(REMEMBER_COOKIE)
    if not cookie or "_user_id" in session or request.endpoint == "static":
        return
    resumed = services.resume_remembered(cookie)
    db.session.commit()
    if resumed is None:
        logout_user()  # the cookie is removed, and Flask-Login does not read it meanwhile
        return
    user, replacement = resumed
    login_user(user, fresh=False)
    session["auth_at"] = time.time()
    after_this_request(lambda response: _set_remember_cookie(response, replacement))


def password_confirmed(user: User, field) -> bool:
    """Whether ``field`` holds the user's password (``services.confirm_password``). When not,
    the reason goes on the field, and the failure's record (count, audit event) is committed."""
    try:
        services.confirm_password(user, field.data)
    except DomainError as refusal:
        db.session.commit()
        field.errors.append(str(refusal.message))
        return False
    return True
