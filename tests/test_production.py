"""A production start (PORTAL_ENV=production): the portal's own address is required, requests
for another host are refused, a health check by IP still answers, demo accounts stop it."""

import subprocess

import click
import pytest
from sqlalchemy import func, select, update

from portal import create_app
from portal.auth.models import User
from portal.database import utcnow
from portal.extensions import db
from portal.mail import OutboxMessage
from portal.production import ProductionError

PORTAL = "portal.example.org"


@pytest.fixture
def production(app):
    """Make a production app on the test database, with these settings changed."""

    def make(**settings):
        return create_app({**app.config, "PORTAL_ENV": "production",
                           "PORTAL_BASE_URL": f"https://{PORTAL}", **settings})

    return make


def test_a_production_start_needs_the_portal_address(production):
    with pytest.raises(ProductionError, match="PORTAL_BASE_URL must be set"):
        production(PORTAL_BASE_URL=None)
    with pytest.raises(ProductionError, match="absolute address"):
        production(PORTAL_BASE_URL=PORTAL)


@pytest.mark.parametrize(("headers", "status"), [
    ({"Host": PORTAL}, 200), ({"Host": f"{PORTAL}:443"}, 200), ({"Host": "evil.com"}, 400),
    ({"Host": "10.0.0.7"}, 400), ({"Host": f"evil.com/{PORTAL}"}, 400)])
def test_only_the_portal_host_is_served(production, headers, status):
    response = production().test_client().get("/about", headers=headers)
    assert response.status_code == status


def test_a_forwarded_host_is_checked_too(production):
    client = production(PROXY_COUNT=1).test_client()
    assert client.get("/about", headers={"Host": PORTAL}).status_code == 200
    response = client.get("/about", headers={"Host": PORTAL, "X-Forwarded-Host": "evil.com"})
    assert response.status_code == 400


def test_a_reset_asked_for_another_host_mails_nothing(app, production, make_user):
    make_user()
    client = production().test_client()
    response = client.post("/auth/reset", data={"email": "member@example.org"},
                           headers={"Host": "evil.com"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


@pytest.mark.parametrize("headers", [{"Host": "10.0.0.7:8000"}, {"Host": "evil.com"},
                                     {"X-Forwarded-Host": "10.0.0.7"}])
def test_the_health_check_answers_whatever_the_host(production, headers):
    response = production(PROXY_COUNT=1).test_client().get("/healthz", headers=headers)
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def _make_demo_account(app, make_user) -> int:
    user_id = make_user(email="admin@demo.momd.gov.iq")
    with app.app_context():
        db.session.execute(update(User).values(is_demo=True))
        db.session.commit()
    return user_id


def test_a_production_start_refuses_to_serve_with_demo_accounts(app, production, make_user):
    _make_demo_account(app, make_user)
    with pytest.raises(ProductionError, match="flask --app wsgi demo remove"):
        production()
    with app.app_context():
        db.session.execute(update(User).values(deleted_at=utcnow()))  # anonymized
        db.session.commit()
    assert production().test_client().get("/about", headers={"Host": PORTAL}).status_code == 200


def test_commands_still_run_with_demo_accounts(app, production, make_user):
    """`flask db upgrade` and `flask demo remove` load the app in a click context."""
    _make_demo_account(app, make_user)
    with click.Context(click.Command("demo")):
        production()


def test_development_serves_any_host(client):
    assert client.get("/about", headers={"Host": "10.0.0.7:5000"}).status_code == 200


def test_make_run_puts_its_port_in_mailed_links():
    dry_run = subprocess.run(["make", "-n", "run", "PORT=8080"], capture_output=True, text=True,
                             check=True, env={"PATH": "/usr/bin:/bin"})
    assert "PORTAL_BASE_URL='http://127.0.0.1:8080' " in dry_run.stdout
