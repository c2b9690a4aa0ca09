"""Diaspora Council Portal of Iraq's Ministry of Migration and Displaced."""

import logging
from pathlib import Path

from flask import Flask
from flask.logging import default_handler
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from portal import config, i18n, models, production  # noqa: F401  (models: every table)
from portal.announcements import reading as announcements_reading
from portal.announcements.mailing import fan_out_due
from portal.announcements.routes import bp as announcements_bp
from portal.announcements.staff import bp as announcements_staff_bp
from portal.auth.remember import devices_of
from portal.auth.routes import bp as auth_bp
from portal.auth.services import load_session_user
from portal.auth.two_factor import bp as two_factor_bp
from portal.auth.two_factor import require_two_factor_for_staff
from portal.auth.views import resume_remembered_session
from portal.bench import bench_cli
from portal.cli import demo_cli, users_cli
from portal.councils.cli import councils_cli
from portal.councils.labels import template_labels
from portal.councils.manage import bp as councils_admin_bp
from portal.councils.routes import bp as councils_bp
from portal.councils.routes import council_text
from portal.database import MAX_ID
from portal.extensions import babel, csrf, db, login_manager, migrate
from portal.forms import ITEM_ID
from portal.mail import outbox_cli
from portal.main.routes import bp as main_bp
from portal.main.routes import render_error
from portal.members.routes import bp as members_bp
from portal.needs.cli import surveys_cli
from portal.needs.dashboard_routes import bp as needs_dashboard_bp
from portal.needs.review_routes import bp as needs_review_bp
from portal.needs.rounds import send_reminders
from portal.needs.rounds_staff import bp as needs_rounds_bp
from portal.needs.routes import bp as needs_bp
from portal.needs.surveys import bp as needs_surveys_bp
from portal.posts import labels as posts_labels
from portal.posts import moderation_routes as posts_moderation
from portal.posts import reading as posts_reading
from portal.posts import routes as posts_routes
from portal.posts.personal_data import posts_data
from portal.security import enforce_session_lifetime, set_security_headers
from portal.staff.accounts import bp as staff_accounts_bp
from portal.staff.routes import bp as staff_bp
from portal.throttle import limit_writes


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, static_folder="../static")
    app.config.update(config.from_environment(app.instance_path))
    app.config.update(overrides or {})
    if production.is_production(app):  # inside ProxyFix, which may set the Host first
        production.trust_only_the_portal_host(app)

    if proxies := app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    default_handler.addFilter(ONE_LINE_VALUES)  # the same object every time: added once
    # Every <int:…> in a route is an id: a larger number is a 404, not an overflow (a 500).
    app.url_map.converters["int"] = IdConverter
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"),
                    render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   timezone_selector=i18n.select_time_zone,
                   default_locale=app.config["PORTAL_DEFAULT_LOCALE"])
    i18n.init_app(app)
    app.after_request(set_security_headers)
    app.context_processor(template_labels)
    app.context_processor(posts_labels.template_labels)
    app.add_template_global(council_text)
    app.add_template_global(ITEM_ID, "ITEM_ID")
    _init_login(app)
    _register_blueprints(app)
    _register_errors(app)
    _register_cli(app)
    if production.is_production(app):
        production.refuse_demo_accounts(app)
    return app


class IdConverter(IntegerConverter):
    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


class _OneLineValues(logging.Filter):
    """Escape line breaks in logged values, so text a user typed cannot forge log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                arg.replace("\r", "\\r").replace("\n", "\\n") if isinstance(arg, str) else arg
                for arg in record.args)
        return True


ONE_LINE_VALUES = _OneLineValues()


def _init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_session_user)
    # Our own remember-me tokens (never Flask-Login's): before any hook asks for current_user.
    app.before_request(resume_remembered_session)
    app.add_template_global(devices_of, "remembered_devices")


def _register_blueprints(app: Flask) -> None:
    for blueprint in (main_bp, auth_bp, two_factor_bp, members_bp, councils_bp, councils_admin_bp,
                      staff_bp, staff_accounts_bp, needs_bp, needs_rounds_bp,
                      needs_review_bp, needs_dashboard_bp, needs_surveys_bp,
                      announcements_bp, announcements_staff_bp, posts_routes.bp,
                      posts_moderation.bp):
        app.register_blueprint(blueprint)
    # The home page and the council page show the latest announcements meant for the reader.
    app.add_template_global(announcements_reading.latest, "latest_announcements")
    app.add_template_global(announcements_reading.for_council, "council_announcements")
    app.add_template_global(announcements_reading.seen_since, "announcements_seen_since")
    app.add_template_global(posts_routes.discussion, "council_discussion")
    app.add_template_global(posts_reading.as_text, "as_post_text")
    app.before_request(enforce_session_lifetime)
    app.before_request(require_two_factor_for_staff)
    app.before_request(limit_writes)


def _register_errors(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(Exception, _log_and_render(app, render_error))


def _log_and_render(app: Flask, render):
    def handler(error: Exception):
        app.logger.exception("Unhandled error")
        return render(error)

    return handler


def _register_cli(app: Flask) -> None:
    for group in (users_cli, councils_cli, surveys_cli, demo_cli, outbox_cli, bench_cli):
        app.cli.add_command(group)
    # Mail written on a schedule by each pass of `flask outbox work` (portal.mail.run_jobs).
    app.extensions["outbox_jobs"] = (send_reminders, fan_out_due)
    # What a member's data export holds besides the members package's own (members.services).
    app.extensions["member_data"] = (posts_data,)
