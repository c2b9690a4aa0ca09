"""Limits on forms that write: per account for a signed-in person, never per shared address."""

from sqlalchemy import func, select

from portal.councils.models import Council
from portal.extensions import db
from tests.conftest import log_in


def proposal(n: int) -> dict:
    return {"name": f"Council {n}", "country": "SE", "city": f"Town {n}"}


def test_proposals_are_limited_per_account(app, world):
    member = app.test_client()
    log_in(member, world["outsider"])
    answers = [member.post("/councils/propose?lang=en", data=proposal(n)).status_code
               for n in range(40)]
    assert answers[:5] == [302] * 5 and set(answers[5:]) == {429}
    refused = member.post("/councils/propose?lang=en", data=proposal(99))
    assert "Please wait a little before you try again." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Council.status == "proposed")) == 5
    # Another member behind the same address is not held back.
    neighbour = app.test_client()
    log_in(neighbour, world["other_member"])
    assert neighbour.post("/councils/propose", data=proposal(100)).status_code == 302


def test_every_form_counts_towards_an_hourly_limit_per_account(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "WRITE_LIMIT_PER_HOUR", 3)
    member = app.test_client()
    log_in(member, world["member"])
    statuses = [member.post("/me/sharing", data={"shared": ["city"]}).status_code
                for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    other = app.test_client()
    log_in(other, world["other_member"])
    assert other.post("/me/sharing", data={"shared": ["city"]}).status_code == 302


def test_a_sign_up_evening_on_one_address_gets_through(app):
    """60 people registering from one Wi-Fi or one carrier's shared address in an hour."""
    client = app.test_client()

    def register(n: int) -> int:
        return client.post("/auth/register", data={
            "email": f"person{n}@example.org", "display_name": f"Person {n}",
            "password": "a long enough passphrase", "password_confirm": "a long enough passphrase",
            "locale": "ar", "accept_privacy": "y"}).status_code

    assert {register(n) for n in range(60)} == {200}
    assert register(60) == 429
