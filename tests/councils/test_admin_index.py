"""The staff's list of councils: 50 a page, the same statements whatever the number."""

from portal.councils.services import create_council
from portal.extensions import db
from tests.conftest import counted_statements, log_in


def councils(app, start: int, end: int) -> None:
    with app.test_request_context():
        for n in range(start, end):
            create_council(f"Council {n:03}", "SE", f"Town {n:03}")
        db.session.commit()


def page(app, client, number: int) -> tuple[int, str]:
    with app.app_context(), counted_statements() as statements:
        body = client.get(f"/staff/councils/?page={number}&lang=en").get_data(as_text=True)
    return len(statements), body


def test_fifty_a_page_with_a_fixed_cost(app, client, world):
    log_in(client, world["staff"])
    councils(app, 0, 3)
    few, _ = page(app, client, 1)
    councils(app, 3, 60)
    many, first = page(app, client, 1)
    assert many == few
    row = '<td><a href="/staff/councils/'
    assert first.count(row) == 50 and 'rel="next"' in first
    _, second = page(app, client, 2)
    assert second.count(row) == 60 + 2 - 50  # and the world's two
    assert 'rel="prev"' in second
