"""CSV exports: the member list a leader may download (only what each member chose to share),
and the download response every export uses."""

import csv
import io

from flask import Response

from portal.councils.models import Membership
from portal.members.choices import SHAREABLE_FIELDS

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Spreadsheets run cells that start like a formula; a leading quote keeps them text."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def member_list_csv(memberships: list[Membership]) -> str:
    from portal.members.services import shared_with_leaders

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(label) for label in SHAREABLE_FIELDS.values()])
    for membership in memberships:
        shared = {code: value for code, _label, value in shared_with_leaders(membership.user)}
        writer.writerow([safe_cell(shared.get(code, "")) for code in SHAREABLE_FIELDS])
    return out.getvalue()


def csv_download(text: str, filename: str) -> Response:
    """A CSV attachment; the byte order mark lets spreadsheets read Arabic and Kurdish as UTF-8."""
    return Response("\ufeff" + text, content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })
