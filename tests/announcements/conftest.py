"""Announcements written through the service, as staff would publish them."""

from datetime import timedelta

import pytest

from portal.announcements import services
from portal.announcements.models import Audience
from portal.auth.models import User
from portal.councils.models import Council
from portal.database import utcnow
from portal.extensions import db


def announce(staff_id: int, texts: dict, *, audience=Audience.ALL, countries=(), councils=(),
             default_locale="en", publish_in: timedelta | None = None,
             expires_in: timedelta | None = None, pinned=False) -> int:
    """Publish an announcement (inside an app context); its id."""
    now = utcnow()
    draft = services.Draft(
        texts={locale: (f"{title}", f"{title}: the text.") if isinstance(title, str) else title
               for locale, title in texts.items()},
        default_locale=default_locale, audience=audience, countries=list(countries),
        councils=[db.session.get(Council, council_id) for council_id in councils],
        pinned=pinned, publish_at=now + publish_in if publish_in else None,
        expires_at=now + expires_in if expires_in else None)
    announcement = services.publish(None, draft, db.session.get(User, staff_id))
    db.session.commit()
    return announcement.id


@pytest.fixture
def published(app, world):
    """Announcements for everyone, for Türkiye only, for the Berlin council only."""
    staff = world["ids"]["staff"]
    with app.test_request_context():
        return {
            "all": announce(staff, {"en": "For everyone", "ar": "للجميع"}),
            "turkey": announce(staff, {"en": "Turkey only"}, audience=Audience.COUNTRIES,
                               countries=["TR"]),
            "berlin": announce(staff, {"de": "Nur Berlin"}, default_locale="de",
                               audience=Audience.COUNCILS,
                               councils=[world["other_council_id"]]),
        }


@pytest.fixture
def client(app):
    """A browser reading in English (the portal's default language is Arabic)."""
    client = app.test_client()
    client.set_cookie("lang", "en")
    return client
