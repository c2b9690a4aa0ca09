"""Pages of a long list taken by key, never by OFFSET.

OFFSET makes the database read and drop every row before the page, so page 200 of a council's
10,000 members costs 200 pages; a key ("after Ali Hassan, membership 5012") starts where the
last page stopped. The key travels in links as a signed cursor: a name with a ``|``, ``&`` or
any script survives the URL, and a cursor that was cut, edited or signed with an old secret
is read as "the first page" instead of an error.
"""

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from flask import current_app, request
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import Select, tuple_

from portal.extensions import db

PER_PAGE = 50
MAX_PAGE = 10_000  # deeper offsets only cost the database; narrow the filters instead


class NumberedPage(NamedTuple):
    """One page of a list that is short, or searched and filtered before it is paged, by
    number (OFFSET); ``has_next`` instead of a count of every match."""

    items: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_number() -> int:
    """The ?page= of this request, from 1 to MAX_PAGE whatever was typed."""
    return min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)


def numbered_page(rows: Sequence, number: int, per_page: int = PER_PAGE) -> NumberedPage:
    """``rows`` were read with numbered_limits: keep the page, and say whether more follow."""
    return NumberedPage(list(rows[:per_page]), number, len(rows) > per_page)


def numbered_limits(query: Select, number: int, per_page: int = PER_PAGE) -> Select:
    """The query for page ``number``, one row more than a page to tell whether another follows."""
    return query.limit(per_page + 1).offset((number - 1) * per_page)


class KeyPage(NamedTuple):
    """One page of rows, with the cursors of the pages before and after it (None: none)."""

    items: list
    previous: str | None
    next: str | None


def _signer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=salt)


def read_cursor(cursor: str | None, salt: str) -> tuple[bool, list] | None:
    """(forward, key) of a link's cursor; None for the first page, and for any cursor this
    list did not sign."""
    if not cursor:
        return None
    try:
        forward, key = _signer(salt).loads(cursor)
    except (BadData, ValueError, TypeError):
        return None
    return bool(forward), key


def key_page(query: Select, columns: Sequence, key_of: Callable[[Any], Sequence],
             cursor: str | None, salt: str, per_page: int = PER_PAGE,
             descending: bool = False) -> KeyPage:
    """The page of ``query`` that ``cursor`` points to, ordered by ``columns`` (unique
    together, the last one an id); ``key_of(row)`` gives a row's values of those columns.

    One statement: a page backwards reads the rows before the key in reverse order. A cursor
    past the end (its rows were decided or left since) falls back to the first page."""
    position = read_cursor(cursor, salt)
    forward = position is None or position[0]
    rows = list(db.session.scalars(_from(query, columns, position, descending)
                                     .limit(per_page + 1)))
    if not rows and position:
        return key_page(query, columns, key_of, None, salt, per_page, descending)
    more, rows = len(rows) > per_page, rows[:per_page]
    if not forward:
        rows.reverse()
    has_previous, has_next = (position is not None, more) if forward else (more, True)
    sign = _signer(salt).dumps
    return KeyPage(rows,
                   sign([False, list(key_of(rows[0]))]) if rows and has_previous else None,
                   sign([True, list(key_of(rows[-1]))]) if rows and has_next else None)


def _from(query: Select, columns: Sequence, position: tuple[bool, list] | None,
          descending: bool = False) -> Select:
    """The rows after (or, going back, before) the key, nearest first; ``descending``: the
    list runs from the highest key down (the newest first)."""
    ahead = [column.desc() if descending else column for column in columns]
    if position is None:
        return query.order_by(*ahead)
    forward, key = position
    at, there = tuple_(*columns), tuple_(*key)
    if forward != descending:  # towards higher keys
        return query.where(at > there).order_by(*ahead if forward else columns)
    return query.where(at < there).order_by(
        *ahead if forward else (column.desc() for column in columns))
