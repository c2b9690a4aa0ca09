"""CSV exports: every cell quoted and safe from spreadsheet formulas, streamed row by row."""

import csv
import io
import re
from collections.abc import Iterable, Iterator

from flask import Response, stream_with_context

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Phone numbers, amounts, dates: signs, digits, spaces, dots, brackets and dashes cannot call
# a function, so such a value stays as it is (+90 532 …, not '+90 532 …).
_PLAIN_DATA = re.compile(r"[-+\d\s.()]+")
_SEPARATORS = re.compile(r"([;\t])")  # kept in the result by the capturing group


def safe_cell(value: object) -> str:
    """The cell as text, with a leading quote wherever a spreadsheet would start a formula:
    at the start, and after a ";" or a tab inside it, where Excel in de, sv, tr and nl (which
    splits on ";") or a tab-separated reading would begin a new cell."""
    parts = _SEPARATORS.split("" if value is None else str(value))
    parts[2::2] = map(_guard, parts[2::2])
    return _guard("".join(parts))


def _guard(text: str) -> str:
    if text.startswith(_FORMULA_STARTS) and not _PLAIN_DATA.fullmatch(text):
        return "'" + text
    return text


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The header and each row as one line of CSV, every cell quoted (so that a "," in a value
    never splits it) and guarded by safe_cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    for row in _with_header(header, rows):
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _with_header(header, rows):
    yield header
    yield from rows


def csv_response(header: Iterable[str], rows: Iterable[Iterable[object]],
                 filename: str) -> Response:
    """A CSV attachment streamed while the rows are read, so a long export holds no list.

    The byte order mark lets spreadsheets read Arabic and Kurdish as UTF-8.
    """
    lines = stream_with_context(_with_bom(csv_lines(header, rows)))
    return Response(lines, content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })


def _with_bom(lines: Iterator[str]) -> Iterator[str]:
    yield "\ufeff"
    yield from lines
