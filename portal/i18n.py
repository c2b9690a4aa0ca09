"""Supported languages, locale negotiation, text direction and CLDR-localized names."""

from datetime import date, datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale, numbers
from babel.core import get_global
from babel.dates import get_timezone_location
from babel.lists import format_list as babel_format_list
from flask import current_app, g, has_request_context, request, url_for
from flask_babel import Domain, get_locale, get_timezone, get_translations, gettext
from flask_babel import format_date as babel_format_date
from flask_babel import format_datetime as babel_format_datetime
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup, escape
from pyuca import Collator

from portal.extensions import babel
from portal.fragments import FragmentCache

# Arabic and Kurdish first, then the languages of the host countries.
LOCALES = ("ar", "ckb", "ku", "en", "tr", "fa", "de", "sv")
LOCALE_COOKIE = "lang"

# What each language is called in itself (GLOSSARY.md), for the switcher.
AUTONYMS = {
    "ar": "العربية",
    "ckb": "کوردی (سۆرانی)",
    "ku": "Kurdî (Kurmancî)",
    "en": "English",
    "tr": "Türkçe",
    "fa": "فارسی",
    "de": "Deutsch",
    "sv": "Svenska",
}


def negotiate(accept_languages: list[str], default: str) -> str:
    """Best supported locale for an Accept-Language list, best first.

    Babel's negotiation falls back from a regional tag to its language
    (``ckb-IQ`` → ``ckb``) before trying the next preference; Werkzeug's
    best_match would jump to ``ar`` instead.
    """
    found = Locale.negotiate(accept_languages, LOCALES, sep="-")
    return str(found) if found else default


def _requested_locale() -> str | None:
    code = request.args.get("lang", "")
    return code if code in LOCALES else None


def select_locale() -> str:
    """Saved user choice, then ?lang= or the cookie, then Accept-Language, then the default.

    Outside a request (a command, the mail worker) the default: operators read English
    command output, and mail sets its recipient's locale itself.
    """
    if not has_request_context():
        return "en"
    chosen = _requested_locale()
    if chosen:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    cookie = request.cookies.get(LOCALE_COOKIE, "")
    if cookie in LOCALES:
        return cookie
    default = current_app.config["PORTAL_DEFAULT_LOCALE"]
    return negotiate(list(request.accept_languages.values()), default)


def remember_requested_locale(response):
    """A visitor's ?lang= choice is kept in a cookie. For a signed-in person a GET stores
    nothing: their language is saved by the language menu's POST form."""
    chosen = _requested_locale()
    if chosen and not current_user.is_authenticated:
        response.set_cookie(
            LOCALE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


@cache
def _direction_of(code: str) -> str:
    return "rtl" if Locale.parse(code).character_order == "right-to-left" else "ltr"


def text_direction(code: str | None = None) -> str:
    return _direction_of(code or str(get_locale()))


def language_name(code: str) -> str:
    """The name of a language in the reader's language ("Arabic", «العربية»)."""
    return _language_name(code, str(get_locale()))


@cache
def _language_name(code: str, locale: str) -> str:
    return Locale.parse(code).get_display_name(locale) or code


def country_name(code: str) -> str:
    return get_locale().territories.get(code, code)


def place_separator(code: str | None = None) -> str:
    """What separates a city from its country: "Istanbul, Türkiye", "إسطنبول، تركيا". A place
    is not a list, so not format_list (which would write "and")."""
    return "، " if text_direction(code) == "rtl" else ", "


def bdi(text: str, lang: str | None = None) -> Markup:
    """Text typed by a person, isolated so that it neither takes nor gives direction, tagged with
    its language when known."""
    if lang:
        return Markup('<bdi lang="{}">{}</bdi>').format(lang, text)
    return Markup("<bdi>{}</bdi>").format(text)


def isolated(text: str) -> str:
    """``bdi`` for plain text, where no markup may go (a select's option): between U+2068 and
    U+2069. Without it right-to-left text turns a round's label "2026-Q4" into "Q4-2026"."""
    return f"\u2068{text}\u2069"


def place(city: str | None, country: str | None, city_lang: str | None = None) -> Markup:
    """A city and its country as one place: the city as typed (in <bdi>), then the CLDR country
    name, joined by the locale's comma."""
    parts = [bdi(city, city_lang)] if city else []
    if country:
        parts.append(country_name(country))
    return escape(place_separator()).join(parts)


def format_list(items) -> Markup:
    """A real list ("Arabic, Kurdish and English", "العربية والكردية") as the reader's language
    writes one. Items are escaped unless already markup (a name in <bdi>)."""
    joined = babel_format_list([str(escape(item)) for item in items], locale=get_locale())
    # Safe: every item is escaped above, and CLDR's list patterns hold no markup.
    return Markup(joined)  # noqa: S704  # nosec B704


def country_name_in(code: str, locale: str) -> str:
    return Locale.parse(locale).territories.get(code, code)


def country_choices() -> tuple[tuple[str, str], ...]:
    """Every ISO 3166-1 country except Iraq, named and sorted in the viewer's locale."""
    return _countries_in(str(get_locale()))


@cache  # CLDR data does not change while the portal runs: sort once per language
def _countries_in(locale: str) -> tuple[tuple[str, str], ...]:
    territories = Locale.parse(locale).territories
    codes = [c for c in territories if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES]
    return tuple(sorted(((code, territories[code]) for code in codes),
                        key=lambda pair: sort_key(pair[1])))


@cache
def _collator() -> Collator:
    return Collator()


@lru_cache(maxsize=8192)  # the same country and city names are sorted on every page
def sort_key(text: str):
    """Order by the Unicode Collation Algorithm, which sorts every script we serve sensibly
    (Ç after C, ئ with the Arabic letters), unlike code-point order."""
    return _collator().sort_key(text.casefold())


# CLDR territory codes that are not countries a person can live in (or are Iraq itself).
_NOT_COUNTRIES = {"IQ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"}


# Babel gives each numbering system's symbols but not its digits; these are CLDR's.
_DIGITS = {
    "arab": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
    "arabext": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
}


_TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII: what a phone keyboard in ar/ckb/fa types."""
    return text.translate(_TO_ASCII)


def localize_digits(text: str) -> str:
    """Write Latin digits in the viewer's CLDR default digits (ckb ١٢, fa ۱۲, ar 12)."""
    table = _DIGITS.get(get_locale().default_numbering_system)
    return text.translate(table) if table else text


def format_number(value, grouping: bool = True) -> str:
    """A number in the reader's digits and separators (1.234 in German, ۱٬۲۳۴ in Persian);
    without grouping for years (1995, never 1,995)."""
    locale = get_locale()  # None without a request (a test collecting its parameters)
    return _formatted_number(value, str(locale) if locale else "en", grouping)


@lru_cache(maxsize=4096)  # pages repeat small numbers (counts, years, page numbers)
def _formatted_number(value, locale: str, grouping: bool) -> str:
    table = _DIGITS.get(Locale.parse(locale).default_numbering_system)
    text = numbers.format_decimal(value, locale=locale, numbering_system="default",
                                  group_separator=grouping)
    return text.translate(table) if table else text


def format_date(value, style: str = "medium") -> str:
    return _formatted_date(value, style, str(get_locale()), display_time_zone())


def format_datetime(value, style: str = "medium") -> str:
    return _formatted_datetime(value, style, str(get_locale()), display_time_zone())


# Lists show the same few dates to every reader of a language and zone: formatting each is a
# tenth of a millisecond. The key holds the language and zone the body reads from the request.
@lru_cache(maxsize=4096)
def _formatted_date(value, style: str, _locale: str, _zone: str) -> str:
    return localize_digits(babel_format_date(value, style))


@lru_cache(maxsize=4096)
def _formatted_datetime(value, style: str, _locale: str, _zone: str) -> str:
    return localize_digits(babel_format_datetime(value, style))


# Where a person's dates and times are shown when nothing else says: the ministry's own zone.
DEFAULT_TIME_ZONE = "Asia/Baghdad"

# The zone where most people live, for each country that CLDR gives several zones (CLDR lists
# them in no useful order). Everywhere else a country has one zone. A test checks that every
# such country is here and that each zone is one of its own.
_MAIN_ZONES = {
    "AR": "America/Argentina/Buenos_Aires", "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo", "CA": "America/Toronto", "CD": "Africa/Kinshasa",
    "CL": "America/Santiago", "CN": "Asia/Shanghai", "CY": "Asia/Nicosia",
    "DE": "Europe/Berlin", "EC": "America/Guayaquil", "ES": "Europe/Madrid",
    "FM": "Pacific/Chuuk", "GL": "America/Nuuk", "ID": "Asia/Jakarta", "KI": "Pacific/Tarawa",
    "KZ": "Asia/Almaty", "MH": "Pacific/Majuro", "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City", "MY": "Asia/Kuala_Lumpur", "NZ": "Pacific/Auckland",
    "PF": "Pacific/Tahiti", "PG": "Pacific/Port_Moresby", "PS": "Asia/Hebron",
    "PT": "Europe/Lisbon", "RU": "Europe/Moscow", "UA": "Europe/Kyiv", "UM": "Pacific/Wake",
    "US": "America/New_York", "UZ": "Asia/Tashkent",
}


@cache
def country_zones() -> dict[str, tuple[str, ...]]:
    """Each country's IANA zones (CLDR), keeping only those the zone database (the host's, or
    the tzdata package where the host has none) knows, so that any of them can be used."""
    known = available_timezones()
    return {code: tuple(zone for zone in zones if zone in known)
            for code, zones in get_global("territory_zones").items()
            if len(code) == 2 and code.isalpha() and code not in ("AQ", "ZZ")}


@cache
def time_zones() -> frozenset[str]:
    """The zones a person may choose: every zone of a country."""
    return frozenset(zone for zones in country_zones().values() for zone in zones)


def country_time_zone(country: str | None) -> str | None:
    """The zone of a country, or the zone most of its people live in; None if unknown."""
    zones = country_zones().get(country or "", ())
    return zones[0] if len(zones) == 1 else _MAIN_ZONES.get(country or "")


def time_zone_of(user) -> str:
    """A person's display zone: their choice, else their country of residence's, else Baghdad."""
    if user.time_zone in time_zones():
        return user.time_zone
    profile = user.profile
    return country_time_zone(profile.country if profile else None) or DEFAULT_TIME_ZONE


def select_time_zone() -> str:
    """flask-babel's time zone selector: the signed-in person's zone; visitors see Baghdad."""
    if current_user and current_user.is_authenticated:
        return time_zone_of(current_user)
    return DEFAULT_TIME_ZONE


def display_time_zone() -> str:
    """The IANA name of the zone this request shows times in (see select_time_zone)."""
    return get_timezone().zone


def today() -> date:
    """Today's date where the reader is, not where the server is."""
    return datetime.now(ZoneInfo(display_time_zone())).date()


def zone_name(zone: str | None = None) -> str:
    """A zone named as a place in the reader's language: its country, or its city and country
    where the country has several zones ("Berlin, Deutschland", "تورونتو، كندا")."""
    zone = zone or display_time_zone()
    names = _zone_names(str(get_locale()))
    return names[zone][1] if zone in names else zone


def time_zone_choices(countries=()) -> list[tuple[str, str]]:
    """(zone, name) of every zone a person may choose, the zones of ``countries`` first (in
    that order), then the others by country and city in the reader's language."""
    names = _zone_names(str(get_locale()))
    first = [zone for country in countries for zone in country_zones().get(country or "", ())]
    rest = sorted(time_zones() - set(first), key=lambda zone: names[zone][0])
    return [(zone, names[zone][1]) for zone in (*dict.fromkeys(first), *rest)]


@cache  # CLDR data does not change while the portal runs
def _zone_names(locale: str) -> dict[str, tuple[tuple, str]]:
    """Each zone's (sort key, name) in ``locale``."""
    territories = Locale.parse(locale).territories
    separator = place_separator(locale)
    names = {}
    for code, zones in country_zones().items():
        country = territories.get(code, code)
        for zone in zones:
            city = get_timezone_location(zone, locale=locale, return_city=True)
            names[zone] = ((sort_key(country), sort_key(city)),
                           f"{city}{separator}{country}" if len(zones) > 1 else country)
    return names


def format_datetime_in_zone(value, style: str = "medium") -> str:
    """A time that matters, with its zone named: "13.12.2026, 00:30:00 (Berlin, Deutschland)"."""
    return gettext("%(time)s (%(zone)s)", time=format_datetime(value, style), zone=zone_name())


def url_with_lang(code: str) -> str:
    """This page's address with ?lang=code, keeping its other query arguments. Every page
    links all eight languages: the address is built once and the code appended."""
    if "path_without_lang" not in g:
        g.path_without_lang = current_path(lang=None)
    base = g.path_without_lang
    return f"{base}{'&' if '?' in base else '?'}lang={code}"


def current_path(**changes) -> str:
    """This page's address (with ``changes`` to its query), for links and forms that come
    back here.

    Built from the matched endpoint, never from the raw path: ``/%5Cevil.com`` must not
    become a link that browsers read as another host. Without a match (a 404), home.
    """
    if request.url_rule is None or request.endpoint is None:
        return url_for("main.home", **changes)
    # Names url_for reads itself (_external, _scheme, endpoint) never come from the query.
    query = {name: values for name, values in request.args.lists()
             if not name.startswith("_") and name != "endpoint"}
    return url_for(request.endpoint, **{**query, **changes, **(request.view_args or {})})


def _newstyle(function, plural: bool = False):
    """A gettext for templates as Jinja's i18n extension makes one (escaped, always formatted),
    bound to one catalogue: calling it skips Flask-Babel's per-call catalogue look-up."""
    @pass_context
    def translate(context, *arguments, **variables):
        if plural:
            variables.setdefault("num", arguments[2])
        text = function(*arguments)
        # The catalogue's text is ours, trusted as Jinja's own i18n extension trusts it.
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables  # noqa: S704  # nosec B704
    return translate


class RequestCatalogueDomain(Domain):
    """Flask-Babel's message domain, keeping the catalogue it found on the request: a page
    evaluates hundreds of lazy strings (labels, choices, descriptions), each of which would
    otherwise look the locale and the catalogue up again. Held with the locale object it was
    found for, so that force_locale (a mail in its reader's language) finds its own."""

    def get_translations(self):
        request_globals = g._get_current_object() if g else None
        locale = getattr(getattr(request_globals, "_flask_babel", None), "babel_locale", None)
        held = getattr(request_globals, "portal_catalogue", None)
        if held is not None and locale is not None and held[0] is locale:
            return held[1]
        translations = super().get_translations()
        if request_globals is not None:
            request_globals.portal_catalogue = (
                getattr(request_globals._flask_babel, "babel_locale", None), translations)
        return translations


_TEMPLATE_GETTEXT: dict[int, dict] = {}


def template_gettext() -> dict:
    """``gettext`` and ``ngettext`` for this render's language (a page calls them dozens of
    times), made once per catalogue."""
    translations = get_translations()
    bound = _TEMPLATE_GETTEXT.get(id(translations))
    if bound is None or bound["catalogue"] is not translations:
        bound = _TEMPLATE_GETTEXT[id(translations)] = {
            "catalogue": translations, "gettext": _newstyle(translations.ugettext),
            "ngettext": _newstyle(translations.ungettext, plural=True)}
    return {"gettext": bound["gettext"], "ngettext": bound["ngettext"]}


def init_app(app) -> None:
    babel.domain_instance = RequestCatalogueDomain(domain=app.config.get("BABEL_DOMAIN",
                                                                         "messages"))
    app.after_request(remember_requested_locale)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.add_extension(FragmentCache)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.filters.update(number=format_number, date=format_date, datetime=format_datetime,
                                 datetime_in_zone=format_datetime_in_zone,
                                 format_list=format_list, isolated=isolated)
    app.jinja_env.globals.update(
        LOCALES=LOCALES, AUTONYMS=AUTONYMS, text_direction=text_direction,
        country_name=country_name, language_name=language_name, url_with_lang=url_with_lang,
        current_path=current_path, place=place, bdi=bdi,
        zone_name=zone_name,
    )
    app.context_processor(lambda: {"current_locale": str(get_locale())})
    app.context_processor(template_gettext)
