"""The dashboard's bar charts, drawn on the server as SVG with pygal.

No script (``js=[]``: pygal otherwise links one from a CDN), no font or stylesheet from anywhere,
no comment naming pygal's site: the file is self-contained and printable, served with a CSP
that allows only its own inline styles. Each chart carries its text alternative (``<title>``,
``<desc>``, ``role="img"``); the page shows the same numbers as a table beside it. pygal has no
right-to-left mode, so for ar, ckb and fa the drawing is mirrored (the first bar, the value axis
and the legend's first entry on the right) and each text is mirrored back with its anchor
flipped, so that labels read as they should.
"""

import sys
from collections.abc import Callable
from typing import NamedTuple

import pygal
from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _
from pygal.etree import etree
from pygal.style import Style

from portal.i18n import country_name, format_number
from portal.needs.dashboard import Dashboard, Figures
from portal.needs.models import localized

# pygal appends an import hook for its map plugins (unused here) that lacks find_spec, so that
# Python warns on every failed import after it (an optional dependency tried, for instance).
sys.meta_path[:] = [finder for finder in sys.meta_path
                    if not isinstance(finder, pygal.PluginImportFixer)]

WIDTH, HEIGHT = 720, 400
FONTS = 'system-ui, "Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", Tahoma, sans-serif'
MOST_COUNTRIES = 7  # bars of the countries with most answers; the others together in one
STYLE = Style(font_family=FONTS, background="white", plot_background="white",
              title_font_size=16, label_font_size=12, major_label_font_size=12,
              legend_font_size=13, value_font_size=11)
# Content-Security-Policy of a chart response: its own <style> and nothing else.
CHART_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


class Series(NamedTuple):
    name: str
    values: list[float]


class Chart(NamedTuple):
    title: str
    categories: list[str]
    series: list[Series]

    def description(self) -> str:
        """The chart in words: for each bar group, each series' value."""
        return " ".join(
            _("%(category)s: %(values)s.", category=category, values=format_list(
                [_("%(name)s %(value)s", name=s.name, value=format_number(s.values[i]))
                 for s in self.series], locale=get_locale()))
            for i, category in enumerate(self.categories))


def render(chart: Chart, rtl: bool) -> str:
    """The chart as a standalone SVG document."""
    graph = pygal.Bar(js=[], style=STYLE, width=WIDTH, height=HEIGHT, title=chart.title,
                      x_labels=chart.categories, legend_at_bottom=True, print_values=True,
                      truncate_label=24, truncate_legend=30, no_data_text=_("No answers yet"),
                      value_formatter=format_number)
    graph.add_xml_filter(_inert)
    graph.add_xml_filter(_accessible(chart.title, chart.description()))
    if rtl:
        graph.add_xml_filter(_mirrored)
    for series in chart.series:
        graph.add(series.name, series.values)
    return graph.render(is_unicode=True)


def _inert(root):
    """Without pygal's inline script (its configuration for the tooltips script, written even
    with ``js=[]``) and its comments, which name its web site."""
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag is etree.Comment or child.tag == "script":
                parent.remove(child)
    return root


def _accessible(title: str, description: str) -> Callable:
    """Our title and description instead of pygal's title, named by the root for assistive
    technology."""
    def apply(root):
        for child in list(root):
            if child.tag == "title":
                root.remove(child)
        chart_id = root.get("id")
        for position, (tag, text) in enumerate((("title", title), ("desc", description))):
            element = root.makeelement(tag, {"id": f"{chart_id}-{tag}"})
            element.text = text
            root.insert(position, element)
        root.set("role", "img")
        root.set("aria-labelledby", f"{chart_id}-title")
        root.set("aria-describedby", f"{chart_id}-desc")
        return root

    return apply


_FLIPPED = {"start": "end", "end": "start", "middle": "middle"}


def _mirrored(root):
    """Right to left: the drawing mirrored around its middle, every text mirrored back in place
    and anchored at its other end (pygal's stylesheet anchors it; an inline style wins)."""
    for graph in root.iter("g"):
        if "graph" in graph.get("class", "").split():
            graph.set("transform", f"matrix(-1 0 0 1 {WIDTH} 0)")
            _unmirror_texts(graph, set())
    return root


def _unmirror_texts(element, classes: set[str]) -> None:
    for child in element:
        inherited = classes | set(child.get("class", "").split())
        if child.tag == "text":
            x = float(child.get("x", 0))
            child.set("transform", f"matrix(-1 0 0 1 {2 * x:g} 0)")
            child.set("style", f"text-anchor:{_FLIPPED[_anchor(inherited)]}")
        _unmirror_texts(child, inherited)


def _anchor(classes: set[str]) -> str:
    """Where pygal's graph.css anchors a text with these classes (its own and its groups')."""
    if classes & {"no_data", "centered", "title"}:
        return "middle"
    if "axis" in classes:
        return "end" if "y" in classes else "start" if "y2" in classes else "middle"
    return "start"


class Heading(NamedTuple):
    """A bar group or series of a chart, and a column or row of its table: one round's
    countries (several together, or all: None), or one round of a series."""

    label: str
    round_id: int
    countries: tuple[str, ...] | None
    total: bool = False  # all countries of one round: in the table, not drawn


def _weights(figures: Figures, round_id: int) -> dict[str, float]:
    """Each country's weight in one round, read in one pass over the figures: its answers to a
    choice question, else the sum of its numbers (or how many answered, for text and dates)."""
    weights: dict[str, float] = {}
    if figures.is_choice:
        codes = {choice.code for choice in figures.choices}
        for (found_round, country, code), count in figures.counts.items():
            if found_round == round_id and code in codes:
                weights[country] = weights.get(country, 0) + count
        return weights
    for (found_round, country), stats in figures.values.items():
        if found_round == round_id and stats.count:
            weights[country] = stats.total if stats.total is not None else stats.count
    return weights


def headings(dashboard: Dashboard, figures: Figures) -> list[Heading]:
    """Across rounds, each round (in the chosen country, or all). In one round, the countries
    with most answers each on its own, past MOST_COUNTRIES the others together, then all of
    them (unless one is chosen): chart and table show the same groups."""
    if len(dashboard.rounds) > 1:  # counted in the chosen country only, or in all
        return [Heading(r.label, r.id, None) for r in dashboard.rounds]
    round_id = dashboard.rounds[0].id
    weight = _weights(figures, round_id)
    ranked = sorted(dashboard.shown_countries, key=lambda c: (-weight.get(c, 0), c))
    if len(ranked) > MOST_COUNTRIES + 1:
        ranked, rest = ranked[:MOST_COUNTRIES], ranked[MOST_COUNTRIES:]
    else:
        rest = []
    found = [Heading(country_name(c), round_id, (c,)) for c in ranked]
    if rest:
        found.append(Heading(_("Other countries"), round_id, tuple(rest)))
    if not dashboard.country:
        found.append(Heading(_("All countries"), round_id, None, total=True))
    return found


def chart_title(figures: Figures, locale: str) -> str | None:
    """The title of the question's chart; None for text and dates, which have no chart. All
    the page needs of a chart, which it loads as an image of its own."""
    label = question_label(figures, locale)
    if figures.is_choice:
        return label
    return _("%(question)s (sums)", question=label) if figures.is_number else None


def chart_of(dashboard: Dashboard, figures: Figures, locale: str) -> Chart | None:
    """The chart of a choice or number question (text and dates have none)."""
    title = chart_title(figures, locale)
    if title is None:
        return None
    drawn = [h for h in headings(dashboard, figures) if not h.total]
    if figures.is_choice:
        return Chart(title, [choice_label(figures, c, locale) for c in figures.choices], [
            Series(h.label, [figures.count(h.round_id, c.code, h.countries)
                             for c in figures.choices]) for h in drawn])
    if len(dashboard.rounds) > 1:
        name = country_name(dashboard.country) if dashboard.country else _("All countries")
    else:
        name = dashboard.rounds[0].label
    return Chart(title, [h.label for h in drawn], [
        Series(name, [figures.stats(h.round_id, h.countries).total or 0 for h in drawn])])


def question_label(figures: Figures, locale: str) -> str:
    question = figures.question
    return localized(question.label, locale, question.survey.default_locale)[0] or question.name


def choice_label(figures: Figures, choice, locale: str) -> str:
    default = figures.question.survey.default_locale
    return localized(choice.label, locale, default)[0] or choice.code
