"""What a production start (PORTAL_ENV=production) requires: the address the portal is reached
at, requests for that host only, and no demo account."""

from urllib.parse import urlsplit

import click
from flask import Flask
from sqlalchemy import func, select
from werkzeug.exceptions import SecurityError
from werkzeug.wsgi import get_host

from portal.auth.models import User
from portal.extensions import db

EXAMPLE_URL = "https://portal.momd.gov.iq"


class ProductionError(RuntimeError):
    """The portal must not serve as configured; the message tells the operator what to do."""


def is_production(app: Flask) -> bool:
    return app.config["PORTAL_ENV"] == "production"


def trust_only_the_portal_host(app: Flask) -> None:
    """Require PORTAL_BASE_URL and refuse requests naming another host (400), so that no page
    or link is ever built on a Host header an attacker chose."""
    base_url = app.config["PORTAL_BASE_URL"]
    if not base_url:
        raise ProductionError(
            "PORTAL_BASE_URL must be set when PORTAL_ENV=production: the address people reach "
            f"the portal at, such as {EXAMPLE_URL}. Links in mail are built on it, and "
            "requests for any other host are refused.")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProductionError(
            f"PORTAL_BASE_URL must be an absolute address such as {EXAMPLE_URL}, "
            f"not {base_url!r}.")
    app.config["TRUSTED_HOSTS"] = [parts.hostname]
    app.wsgi_app = HostGuard(app.wsgi_app, parts.netloc, app.config["TRUSTED_HOSTS"])


class HostGuard:
    """WSGI middleware in front of Flask's own TRUSTED_HOSTS check.

    It answers an untrusted host with a plain 400 itself: Flask finds out before it can build
    any URL, and our error page (which links to other pages) could not be drawn. A health
    check may address the portal by IP, so /healthz is passed on as if sent to the portal's
    host; it answers the same to everyone and builds no link.
    """

    def __init__(self, wsgi_app, portal_host: str, trusted_hosts: list[str]):
        self.wsgi_app, self.portal_host, self.trusted_hosts = wsgi_app, portal_host, trusted_hosts

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/healthz":
            environ = {**environ, "HTTP_HOST": self.portal_host}
        else:
            try:
                get_host(environ, self.trusted_hosts)
            except SecurityError as error:
                return error(environ, start_response)
        return self.wsgi_app(environ, start_response)


def refuse_demo_accounts(app: Flask) -> None:
    """Refuse to serve while `demo load` accounts exist: their credentials have been printed
    and stored in a file, and their data is invented.

    Commands are let through (the flask command loads the app inside a click context), so that
    an operator can migrate the database and remove the demo accounts.
    """
    if click.get_current_context(silent=True) is not None:
        return
    with app.app_context():
        count = db.session.scalar(select(func.count(User.id)).where(
            User.is_demo, User.deleted_at.is_(None)))
        db.session.remove()
    if count:
        raise ProductionError(
            f"Refusing to serve with PORTAL_ENV=production: {count} demo accounts exist "
            "(made by `flask --app wsgi demo load`). Remove them and the demo councils with "
            "`flask --app wsgi demo remove`, then start again.")
