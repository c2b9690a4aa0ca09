"""The dashboard page and its SVG charts: numbers on the page, charts that are self-contained,
accessible and mirrored right to left, and statements that do not grow with the reports."""

import re
from datetime import date

import pytest
from defusedxml import ElementTree

from portal.councils.models import Council, CouncilStatus
from portal.extensions import db
from portal.i18n import LOCALES
from portal.needs.models import NeedsRound, ReportStatus, Survey
from portal.security import CONTENT_SECURITY_POLICY
from tests.conftest import counted_statements
from tests.needs.dashboard_data import (
    ISTANBUL,
    add_round,
    report,
    staff_with_known_reports,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def staff(app, needs_world):
    return staff_with_known_reports(app, needs_world)


def page(client, **query):
    response = client.get("/staff/needs/dashboard", query_string=query)
    assert response.status_code == 200
    return re.sub(r">\s+<", "><", response.get_data(as_text=True))  # tags side by side


def test_the_newest_round_is_shown_with_its_tables_and_exports(staff, needs_world):
    html = page(staff)
    r = needs_world["round_id"]
    assert "3 reports sent" in html
    assert f"/staff/needs/rounds/{r}/export.csv" in html
    assert f"/staff/needs/rounds/{r}/export.xlsx" in html
    assert f'src="/staff/needs/dashboard/round-{r}/households.svg"' in html
    # Households in Türkiye: 2 answers, sum 30, mean 15, lowest 10, highest 20.
    assert "<td>2</td><td>30</td><td>15</td><td>10</td><td>20</td>" in html
    assert "Stockholm" not in html and "Sweden" not in html  # a draft only
    # Text and dates: no chart, the number of answers.
    assert "/notes.svg" not in html and "Number of answers" in html
    assert page(staff).count("<h2 id=\"section-") == 4  # documentation, return, information, other


def test_charts_are_fetched_as_the_reader_scrolls_to_them(staff):
    """A round has a chart a question, each a request of its own: on a phone most are far
    below the screen."""
    charts = re.findall(r'<img class="chart"[^>]*>', page(staff))
    assert charts and all('loading="lazy"' in chart for chart in charts)


def test_the_country_filter_and_the_objectives(staff, needs_world):
    html = page(staff, country="DE", group="objective")
    assert "1 report sent" in html
    assert "Objective 4: Ensure that all migrants have proof of legal identity" in html
    assert "No GCM objective" in html
    assert "?country=DE" in html  # charts drawn for the same country


def test_every_round_of_a_survey_side_by_side(app, staff, needs_world):
    with app.test_request_context():
        survey = db.session.get(Survey, needs_world["survey_id"])
        q3 = add_round(survey, "2026-Q3", date(2026, 7, 1))
        report(q3, needs_world["council_id"], ReportStatus.SUBMITTED,
               ISTANBUL | {"households": 7})
        db.session.commit()
    html = page(staff, show=f"survey-{needs_world['survey_id']}")
    exports = html[html.index("Reports and exports"):]
    assert exports.index("2026-Q3") < exports.index("2026-Q4")
    assert "Reports choosing each answer, by round" in html
    one_line = html
    assert "<bdi>2026-Q3</bdi></th><td>1</td><td>7</td>" in one_line
    assert "<bdi>2026-Q4</bdi></th><td>3</td><td>35</td>" in one_line


@pytest.mark.parametrize("locale", LOCALES)
def test_the_page_in_every_language(app, staff, needs_world, locale):
    html = page(staff, lang=locale)
    assert f'<html lang="{locale}"' in html
    assert len(html.encode()) < 100_000


def test_an_unknown_round_shows_nothing_and_an_empty_portal_says_so(app, staff):
    assert "reports sent" not in page(staff, show="round-99999")
    assert "reports sent" not in page(staff, show="nonsense")
    with app.app_context():
        db.session.execute(NeedsRound.__table__.delete())
        db.session.commit()
    assert "No survey has been published as a round yet." in page(staff)


def chart(client, name, round_id, **query):
    response = client.get(f"/staff/needs/dashboard/round-{round_id}/{name}.svg",
                          query_string=query)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    return response


def test_a_chart_is_self_contained_accessible_svg(staff, needs_world):
    response = chart(staff, "docs_kinds", needs_world["round_id"])
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    svg = response.get_data(as_text=True)
    root = ElementTree.fromstring(svg.encode())  # well-formed XML
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Docs kinds?"
    assert desc.text == ("Passport: Türkiye 2 and Germany 0. National_Card: Türkiye 1 and "
                         "Germany 0. Civil_Records: Türkiye 0 and Germany 0.")
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert "<script" not in svg and "@import" not in svg and "<!--" not in svg
    for element in root.iter():
        for name, value in element.attrib.items():
            assert "://" not in value and not value.startswith("//"), (element.tag, name)
    assert "url(" not in svg


def test_numbers_chart_sums_by_country(staff, needs_world):
    svg = chart(staff, "households", needs_world["round_id"]).get_data(as_text=True)
    desc = ElementTree.fromstring(svg.encode()).find(f"{SVG}desc").text
    assert desc == "Türkiye: 2026-Q4 30. Germany: 2026-Q4 5."


def test_charts_read_right_to_left_in_arabic(staff, needs_world):
    svg = chart(staff, "docs_problem", needs_world["round_id"], lang="ar").get_data(as_text=True)
    root = ElementTree.fromstring(svg.encode())
    graph = next(g for g in root.iter(f"{SVG}g") if "graph" in g.get("class", "").split())
    assert graph.get("transform") == "matrix(-1 0 0 1 720 0)"  # mirrored: first bar right
    texts = list(graph.iter(f"{SVG}text"))
    assert texts and all(t.get("transform", "").startswith("matrix(-1 0 0 1") for t in texts)
    axis = next(g for g in graph.iter(f"{SVG}g")
                if {"axis", "y"} <= set(g.get("class", "").split()))
    # The value axis, now on the right, has its labels anchored to read away from it.
    assert {t.get("style") for t in axis.iter(f"{SVG}text")} == {"text-anchor:start"}
    assert "تركيا" in svg  # country names in the staff member's language
    assert "matrix(-1" not in chart(staff, "docs_problem", needs_world["round_id"]).get_data(
        as_text=True)


def test_charts_of_text_and_unknown_questions_are_not_found(staff, needs_world):
    r = needs_world["round_id"]
    assert staff.get(f"/staff/needs/dashboard/round-{r}/notes.svg").status_code == 404
    assert staff.get(f"/staff/needs/dashboard/round-{r}/nothing.svg").status_code == 404
    assert staff.get("/staff/needs/dashboard/round-99999/households.svg").status_code == 404


def test_the_page_keeps_the_strict_policy(staff):
    response = staff.get("/staff/needs/dashboard")
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def grow(app, world, start: int, count: int) -> None:
    """``count`` more councils (in several countries), each with a sent report."""
    with app.test_request_context():
        needs_round = db.session.get(NeedsRound, world["round_id"])
        countries = ("TR", "DE", "SE", "IR", "JO")
        for n in range(start, start + count):
            council = Council(name=f"Council {n}", country=countries[n % 5], slug=f"c-{n}",
                              status=CouncilStatus.ACTIVE)
            db.session.add(council)
            db.session.flush()
            report(needs_round, council.id, ReportStatus.SUBMITTED,
                   ISTANBUL | {"households": n})
        db.session.commit()


def statements(app, client, path: str) -> int:
    with app.app_context(), counted_statements() as seen:
        assert client.get(path).status_code == 200, path
    return len(seen)


def test_statements_do_not_grow_with_the_reports(app, staff, needs_world):
    base, r = "/staff/needs/dashboard", needs_world["round_id"]
    paths = [base, f"{base}?show=survey-{needs_world['survey_id']}", f"{base}?country=TR",
             f"{base}/round-{r}/docs_kinds.svg", f"{base}/round-{r}/households.svg"]
    grow(app, needs_world, 0, 10)
    few = [statements(app, staff, path) for path in paths]
    grow(app, needs_world, 10, 190)
    many = [statements(app, staff, path) for path in paths]
    assert many == few and max(many) <= 8, list(zip(paths, few, many, strict=True))


def test_past_seven_countries_the_others_are_shown_together(app, staff, needs_world):
    """Seven countries with most households each on their own, the rest as one group, in the
    chart and in its table alike (the known reports: Türkiye 30, Germany 5)."""
    with app.test_request_context():
        needs_round = db.session.get(NeedsRound, needs_world["round_id"])
        for n, country in enumerate(("SE", "IR", "JO", "NL", "GB", "FR", "US", "CA")):
            council = Council(name=f"Council {country}", country=country, slug=f"c-{country}",
                              status=CouncilStatus.ACTIVE)
            db.session.add(council)
            db.session.flush()
            report(needs_round, council.id, ReportStatus.SUBMITTED, {"households": 100 - n})
        db.session.commit()
    svg = chart(staff, "households", needs_world["round_id"]).get_data(as_text=True)
    desc = ElementTree.fromstring(svg.encode()).find(f"{SVG}desc").text
    assert desc == ("Sweden: 2026-Q4 100. Iran: 2026-Q4 99. Jordan: 2026-Q4 98. Netherlands: "
                    "2026-Q4 97. United Kingdom: 2026-Q4 96. France: 2026-Q4 95. United States: "
                    "2026-Q4 94. Other countries: 2026-Q4 128.")  # Canada 93, Türkiye 30, Germany 5
    html = page(staff)
    assert "<bdi>Other countries</bdi></th><td>4</td><td>128</td>" in html
    assert "<bdi>All countries</bdi></th><td>11</td><td>807</td>" in html
