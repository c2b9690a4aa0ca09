"""Staff: the needs dashboard (figures and charts of the sent reports) and a round's exports."""

from collections.abc import Callable
from functools import cache
from typing import TypeVar

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import Form, SelectChoice, SelectField

from portal.csv_export import csv_response
from portal.database import MAX_ID
from portal.extensions import db
from portal.forms import QuickSelect
from portal.fragments import kept
from portal.i18n import country_name, format_number, isolated, sort_key, text_direction
from portal.needs import charts, dashboard, export
from portal.needs.labels import SECTOR
from portal.needs.models import NeedsRound, localized
from portal.permissions import staff_required

bp = Blueprint("needs_dashboard", __name__, url_prefix="/staff/needs",
               template_folder="templates")

T = TypeVar("T")
GROUPINGS = {"sector": _l("Needs sector"), "objective": _l("GCM objective")}


class DashboardForm(Form):
    """What the dashboard shows (a GET form: it changes nothing). ``show`` is ``round-ID`` for
    one round or ``survey-ID`` for every round of a survey's versions."""

    show = SelectField(_l("Round or survey"), widget=QuickSelect())
    country = SelectField(_l("Country"), widget=QuickSelect())
    group = SelectField(_l("Questions grouped by"), default="sector", widget=QuickSelect())

    def __init__(self, formdata, rounds: list[NeedsRound], locale: str):
        super().__init__(formdata)
        self.show.choices = _show_choices(rounds, locale)
        self.group.choices = [SelectChoice(key, str(label)) for key, label in GROUPINGS.items()]
        if self.group.data not in GROUPINGS:
            self.group.data = "sector"

    def offer_countries(self, countries: set[str]) -> None:
        ordered = sorted(countries, key=lambda c: sort_key(country_name(c)))
        self.country.choices = [SelectChoice("", _("All countries"))] + [
            SelectChoice(c, country_name(c)) for c in ordered]


def _survey_title(needs_round: NeedsRound, locale: str) -> str:
    survey = needs_round.survey
    return localized(survey.title, locale, survey.default_locale)[0]


def _show_choices(rounds: list[NeedsRound], locale: str) -> list[SelectChoice]:
    """Each survey (an option group): all its rounds as a series, then each of them."""
    groups: dict[str, list[SelectChoice]] = {}
    for needs_round in rounds:
        lineage = needs_round.survey.lineage_id or needs_round.survey_id
        title = _survey_title(needs_round, locale)
        options = groups.setdefault(title, [SelectChoice(
            f"survey-{lineage}", _("Every round, side by side"), optgroup=title)])
        options.append(SelectChoice(f"round-{needs_round.id}", isolated(needs_round.label),
                                    optgroup=title))
    return [option for options in groups.values() for option in options]


def scope_rounds(rounds: list[NeedsRound], show: str) -> list[NeedsRound]:
    """The rounds ``show`` names (oldest first), or none when it names nothing known."""
    kind, _sep, number = show.partition("-")
    if not number.isdigit():
        return []
    if kind == "survey":
        return dashboard.lineage_rounds(rounds, int(number))
    return [r for r in rounds if kind == "round" and r.id == int(number)]


def _country() -> str | None:
    code = request.args.get("country", "")
    return code if len(code) == 2 and code.isalpha() and code.isupper() else None


@bp.get("/dashboard")
@staff_required
def index():
    """One round (the newest by default) or a survey's rounds, for a country or all."""
    locale, rounds, country = str(get_locale()), dashboard.every_round(), _country()
    show = request.args.get("show") or (f"round-{rounds[0].id}" if rounds else "")
    form = DashboardForm(request.args, rounds, locale)
    form.show.data = show
    chosen = scope_rounds(rounds, show)
    countries, body = _figures(chosen, country, form.group.data, show) if chosen else ((), None)
    form.offer_countries(set(countries) | ({country} if country else set()))
    return render_template("needs/dashboard/index.html", form=form, body=body)


def _figures(chosen: list[NeedsRound], country: str | None, group: str,
             show: str) -> tuple[list[str], Markup]:
    """The countries that sent reports in these rounds, and their figures rendered — kept
    until a stamp of the rounds changes (a report sent, the survey edited, a council moved):
    counting and drawing thousands of cells for every visit would make it the slowest page."""

    def render() -> tuple[list[str], Markup]:
        figures = dashboard.build(chosen, country)
        sections = figures.by_objective() if group == "objective" else figures.by_sector()
        body = render_template(
            "needs/dashboard/_body.html", dashboard=figures, sections=sections, group=group,
            show=show, locale=str(get_locale()), chart_title=charts.chart_title,
            choice_label=charts.choice_label, headings=charts.headings, localized=localized,
            sector_names=SECTOR, n=cache(format_number))  # a page repeats a few small numbers
        return figures.countries, Markup(body)  # noqa: S704  # nosec B704 (autoescaped)

    return _kept(("needs-dashboard", show, country, group), chosen, render)


def _kept(key: tuple, chosen: list[NeedsRound], make: Callable[[], T]) -> T:
    """``make()``, kept until a stamp of the chosen rounds changes (NeedsRound.figures_stamp)."""
    return kept((*key, tuple((r.id, r.figures_stamp) for r in chosen)), make)


@bp.get("/dashboard/<show>/<question>.svg")
@staff_required
def chart(show: str, question: str):
    """One question's chart, a standalone SVG with a CSP of its own (the page's forbids inline
    styles, which pygal's drawing needs); kept as the page's figures are."""
    chosen, country = scope_rounds(dashboard.every_round(), show), _country()

    def draw() -> str:
        figures = dashboard.build(chosen, country, question) if chosen else None
        drawing = charts.chart_of(figures, figures.figures[0], str(get_locale())) if (
            figures and figures.figures) else None
        return "" if drawing is None else charts.render(
            drawing, rtl=text_direction(str(get_locale())) == "rtl")

    svg = _kept(("needs-chart", show, country, question), chosen, draw)
    if not svg:
        abort(404)
    return Response(svg, mimetype="image/svg+xml",
                    headers={"Content-Security-Policy": charts.CHART_CSP})


def _round(round_id: int) -> NeedsRound:
    if round_id > MAX_ID:  # SQLite's integers would overflow
        abort(404)
    return db.get_or_404(NeedsRound, round_id)


@bp.get("/rounds/<int:round_id>/export.csv")
@staff_required
def export_csv(round_id: int):
    """The round's sent reports, streamed as CSV (?lang= chooses the labels' language)."""
    needs_round = _round(round_id)
    columns = export.columns(needs_round, str(get_locale()))
    export.record_export(needs_round, "csv")
    db.session.commit()  # on record before the first row leaves
    return csv_response([column.label for column in columns], export.rows(round_id, columns),
                        f"needs-round-{round_id}.csv")


@bp.get("/rounds/<int:round_id>/export.xlsx")
@staff_required
def export_xlsx(round_id: int):
    needs_round = _round(round_id)
    columns = export.columns(needs_round, str(get_locale()))
    export.record_export(needs_round, "xlsx")
    db.session.commit()
    return Response(export.xlsx(round_id, columns), mimetype=export.XLSX_TYPE, headers={
        "Content-Disposition": f'attachment; filename="needs-round-{round_id}.xlsx"',
        "Cache-Control": "no-store"})
