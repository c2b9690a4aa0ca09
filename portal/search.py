"""Search keys: text reduced to what readers of every script we serve consider the same.

A key is kept in a column beside each searched text, written whenever the text is, and a
query is reduced the same way before it is matched: ``إسطنبول``, ``اسطنبول`` and ``اسطنبول``
with harakat find each other, ``Östersund`` finds ``östersund`` on SQLite too, and ``١٢``
finds ``12``. Latin and Arabic spellings of one name are different keys: search cannot know
that ``Ahmed`` is ``أحمد``.
"""

import re
import unicodedata

from sqlalchemy import or_

from portal.database import escape_like

# Arabic harakat (fathatan to sukun), the superscript alef, tatweel and the zero-width
# (non-)joiners that Persian and Kurdish typing puts inside words.
_DROPPED = dict.fromkeys([*range(0x064B, 0x0653), 0x0670, 0x0640, 0x200C, 0x200D])
# Letters readers treat as one: alef forms, yeh forms, kaf forms, teh marbuta, dotless i; Eastern
# Arabic and Persian digits. Hamza carriers (ئ ؤ) and the Sorani letters ڵ ڕ ۆ ێ ە stay.
_UNIFIED = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ی": "ي",
    "ک": "ك",
    "ة": "ه",
    "ı": "i",  # Turkish dotless i: Diyarbakır is found as diyarbakir
    **{chr(0x0660 + n): str(n) for n in range(10)},
    **{chr(0x06F0 + n): str(n) for n in range(10)},
})
_COMBINING_MARK = "Mn"
_ARABIC_BLOCK = range(0x0600, 0x0700)
_SPACES = re.compile(r"\s+")


def search_key(text: str | None) -> str:
    """NFKC, case-folded, Latin accents and Arabic harakat removed, letter variants unified."""
    text = unicodedata.normalize("NFKC", text or "").casefold().translate(_DROPPED)
    text = text.translate(_UNIFIED)
    return _SPACES.sub(" ", _strip_latin_accents(text)).strip()


def _strip_latin_accents(text: str) -> str:
    """é → e, ö → o, ı stays ı; marks on Arabic-script letters were handled above (and
    decomposing them would split letters such as ۆ and ێ, which Sorani keeps distinct)."""
    out = []
    for char in text:
        if ord(char) in _ARABIC_BLOCK:
            out.append(char)
            continue
        out.extend(c for c in unicodedata.normalize("NFD", char)
                   if unicodedata.category(c) != _COMBINING_MARK)
    return unicodedata.normalize("NFC", "".join(out))


def joined_key(*texts: str | None) -> str:
    """One key for several texts (a name in every language, a city, a country), each kept as
    its own words so that a query never matches across two of them."""
    keys = dict.fromkeys(k for k in map(search_key, texts) if k)  # unique, in order
    return " | ".join(keys)


def matches(column, query: str):
    """A condition: the key column holds the query. One- and two-letter queries match the
    start of a word (``قم`` finds Qom, not every word containing those letters); longer ones
    match anywhere."""
    key = escape_like(search_key(query))
    if len(key) > 2:
        return column.like(f"%{key}%", escape="\\")
    return or_(column.like(f"{key}%", escape="\\"), column.like(f"% {key}%", escape="\\"))
