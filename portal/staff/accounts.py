"""The ministry's own accounts, for admins: who has which role, and resetting the two-factor
authentication of an officer who lost both phone and recovery codes."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal.auth import totp
from portal.auth.models import Role, User
from portal.database import MAX_ID
from portal.errors import commit_or_flash
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.pagination import NumberedPage, numbered_limits, numbered_page, page_number
from portal.permissions import admin_required

bp = Blueprint("staff_accounts", __name__, url_prefix="/staff/accounts",
               template_folder="templates")


def ministry_accounts(page: int) -> NumberedPage:
    """One page of staff and admin accounts (deleted ones left out), by email address."""
    query = (select(User).where(User.role.in_([Role.STAFF, Role.ADMIN]),
                                User.deleted_at.is_(None)).order_by(User.email))
    return numbered_page(list(db.session.scalars(numbered_limits(query, page))), page)


@bp.get("/")
@admin_required
def index():
    return render_template("staff/accounts.html", page=ministry_accounts(page_number()),
                           form=ConfirmForm(formdata=None))


@bp.post("/<int:user_id>/reset-2fa")
@admin_required
def reset_two_factor(user_id: int):
    user = db.session.get(User, user_id) if user_id <= MAX_ID else None
    if user is None:
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    commit_or_flash(lambda: totp.reset_staff(user),
                    _("Two-factor authentication is reset: %(name)s sets it up again at the "
                      "next login.", name=user.display_name))
    return redirect(url_for("staff_accounts.index"))
