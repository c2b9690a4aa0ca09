"""The member list a leader may download: only what each member chose to share."""

from collections.abc import Iterator

from flask import Response

from portal.councils import services
from portal.councils.models import Council
from portal.csv_export import csv_response
from portal.members.choices import SHAREABLE_FIELDS
from portal.members.services import shared_with_leaders


def _rows(council: Council) -> Iterator[list[str]]:
    for membership in services.approved_members_in_batches(council):
        shared = {code: value for code, _label, value in shared_with_leaders(membership.user)}
        yield [shared.get(code, "") for code in SHAREABLE_FIELDS]


def member_list_csv(council: Council) -> Response:
    """The council's approved members as a streamed CSV, one column per shareable field."""
    header = [str(label) for label in SHAREABLE_FIELDS.values()]
    return csv_response(header, _rows(council), f"{council.slug}-members.csv")
