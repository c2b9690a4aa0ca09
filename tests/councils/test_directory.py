"""The directory at scale: every council while they are few; countries first when they are
many; one country's councils or a search 50 a page, sorted in the reader's alphabet."""

from portal.councils.services import create_council
from portal.extensions import db
from tests.conftest import counted_statements


def councils(app, country: str, count: int, start: int = 0) -> None:
    with app.test_request_context():
        for n in range(start, start + count):
            create_council(f"Council {n:03}", country, f"Town {n:03}")
        db.session.commit()


def test_few_councils_are_all_listed(app, client):
    councils(app, "SE", 3)
    page = client.get("/councils/?lang=en").get_data(as_text=True)
    assert page.count('href="/councils/se-town-') == 3 and "Councils by country" not in page


def test_many_councils_start_with_their_countries(app, client):
    councils(app, "SE", 40)
    councils(app, "DE", 30, start=40)
    with app.app_context(), counted_statements() as statements:
        page = client.get("/councils/?lang=en").get_data(as_text=True)
    assert len(statements) <= 2 and len(page) < 20_000
    assert 'href="/councils/?country=SE"' in page and "40 councils" in page
    assert "Germany" in page.split("Sweden")[0]  # in the reader's alphabet
    sweden = client.get("/councils/?country=SE&lang=en").get_data(as_text=True)
    assert sweden.count('href="/councils/se-town-') == 40 and "de-town" not in sweden


def test_a_long_result_comes_in_pages(app, client):
    councils(app, "SE", 70)
    first = client.get("/councils/?q=town&lang=en").get_data(as_text=True)
    assert first.count('href="/councils/se-town-') == 50 and 'rel="next"' in first
    second = client.get("/councils/?q=town&page=2&lang=en").get_data(as_text=True)
    assert second.count('href="/councils/se-town-') == 20 and 'rel="prev"' in second
    assert client.get("/councils/?q=town&page=99999").status_code == 200
    assert client.get("/councils/?country=<b>").status_code == 200
