"""Supported languages, locale negotiation, text direction and CLDR-localized names."""

from functools import cache, lru_cache

from babel import Locale, numbers
from flask import current_app, request, url_for
from flask_babel import format_date as babel_format_date
from flask_babel import format_datetime as babel_format_datetime
from flask_babel import get_locale
from flask_login import current_user
from pyuca import Collator

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
    """Saved user choice, then ?lang= or the cookie, then Accept-Language, then the default."""
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


def text_direction(code: str | None = None) -> str:
    locale = Locale.parse(code) if code else get_locale()
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def country_name(code: str) -> str:
    return get_locale().territories.get(code, code)


def place_separator() -> str:
    """What separates a city from its country: "Istanbul, Türkiye", "إسطنبول، تركيا". A place
    is not a list, so not format_list (which would write "and")."""
    return "، " if text_direction() == "rtl" else ", "


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


def format_number(value) -> str:
    return localize_digits(
        numbers.format_decimal(value, locale=get_locale(), numbering_system="default")
    )


def format_date(value, style: str = "medium") -> str:
    return localize_digits(babel_format_date(value, style))


def format_datetime(value, style: str = "medium") -> str:
    return localize_digits(babel_format_datetime(value, style))


def url_with_lang(code: str) -> str:
    """This page's address with ?lang=code, keeping its other query arguments."""
    return current_path(lang=code)


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


def init_app(app) -> None:
    app.after_request(remember_requested_locale)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.filters.update(number=format_number, date=format_date, datetime=format_datetime)
    app.jinja_env.globals.update(
        LOCALES=LOCALES, AUTONYMS=AUTONYMS, text_direction=text_direction,
        country_name=country_name, url_with_lang=url_with_lang,
        current_path=current_path, place_separator=place_separator,
    )
    app.context_processor(lambda: {"current_locale": str(get_locale())})
