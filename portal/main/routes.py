"""Public pages, health check and error pages."""

from flask import Blueprint, current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from portal.extensions import db
from portal.main.contact import office_hours, portal_domain, tel_uri

bp = Blueprint("main", __name__, template_folder="templates")


@bp.route("/")
def home():
    return render_template("main/home.html")


@bp.route("/about")
def about():
    return render_template("main/about.html")


@bp.route("/privacy")
def privacy():
    return render_template("main/privacy.html")


@bp.route("/contact")
def contact():
    config = current_app.config
    return render_template("main/contact.html", hours=office_hours(config["CONTACT_HOURS"]),
                           tel=tel_uri(config["CONTACT_PHONE"]),
                           domain=portal_domain(config["PORTAL_BASE_URL"]))


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


def _error_texts() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Please go back and "
                                  "try again.")),
        403: (_("Not allowed"), _("You do not have permission to see this page.")),
        404: (_("Page not found"), _("There is no page at this address. It may have moved, "
                                     "or the link may be mistyped.")),
        405: (_("Not allowed"), _("This page cannot be used in this way.")),
        413: (_("Too large"), _("What you sent is larger than the portal accepts.")),
        429: (_("Too many requests"), _("Please wait a little before you try again.")),
        500: (_("Something went wrong"), _("The error has been recorded. Please try again "
                                           "later.")),
    }


def render_error(error: Exception):
    code = error.code if isinstance(error, HTTPException) and error.code else 500
    if code >= 500:
        db.session.rollback()
    title, message = _error_texts().get(code, _error_texts()[500 if code >= 500 else 400])
    return render_template("errors/error.html", code=code, title=title, message=message), code
