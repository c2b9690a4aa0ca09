"""A round's exports: read back as HXL (libhxl) and as a workbook (openpyxl), sent reports only,
formulas harmless, each export on record."""

import io
from datetime import date, datetime

import hxl
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.extensions import db
from portal.needs.models import NeedsRound
from tests.conftest import counted_statements
from tests.needs.dashboard_data import staff_with_known_reports
from tests.needs.test_dashboard_pages import grow

TAGS = ["#country+code", "#org+name", "#date+reported", "#status", "#affected+hh", "",
        "#indicator+docs+passport", "#indicator+docs+national_card",
        "#indicator+docs+civil_records", "", "", "", "", "#description"]


@pytest.fixture
def staff(app, needs_world):
    return staff_with_known_reports(app, needs_world)


def export(client, round_id, extension, **query):
    response = client.get(f"/staff/needs/rounds/{round_id}/export.{extension}",
                          query_string=query)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert f'filename="needs-round-{round_id}.{extension}"' in \
        response.headers["Content-Disposition"]
    return response


def read_hxl(path):
    """The file as an HXL tool reads it (told of the byte order mark that lets spreadsheets
    read Arabic and Kurdish as UTF-8)."""
    return hxl.data(str(path), hxl.InputOptions(allow_local=True, encoding="utf-8-sig"))


def test_the_csv_reads_as_hxl(staff, needs_world, tmp_path):
    response = export(staff, needs_world["round_id"], "csv")
    assert response.mimetype == "text/csv"
    path = tmp_path / "export.csv"
    path.write_bytes(response.data)
    data = read_hxl(path)
    assert [column.display_tag or "" for column in data.columns] == TAGS
    assert [column.header for column in data.columns][:5] == [
        "Country code", "Council", "Date reported", "Status", "Households?"]
    assert data.columns[6].header == "Docs kinds?: Passport"
    rows = [row.values for row in data]
    # Sent reports only (Stockholm's is a draft), by country then council.
    assert [(row[0], row[1], row[3]) for row in rows] == [
        ("DE", "Iraqi Council of Berlin", "resolved"),
        ("TR", "Iraqi Council of Ankara", "under_review"),
        ("TR", "Iraqi Council of Istanbul", "submitted")]
    berlin, ankara, istanbul = rows
    assert istanbul[2] == "2026-10-21"  # sent late on the 20th UTC: the 21st in Baghdad
    assert istanbul[4:13] == ["10", "yes", "1", "1", "0", "4", "few", "12.5", "2026-10-01"]
    assert ankara[4:13] == ["20", "yes", "1", "0", "0", "6", "half", "", ""]
    # Docs kinds was not asked of Berlin (its condition unmet): empty, not 0.
    assert berlin[4:13] == ["5", "no", "", "", "", "", "none", "2.5", ""]
    assert istanbul[13] == "'=1+2 and a formula"  # neutralised, as in every CSV export
    turkey = read_hxl(path).with_rows("#country+code=TR")
    assert [row.get("#affected+hh") for row in turkey] == ["20", "10"]


def test_labels_in_the_chosen_language(staff, needs_world):
    text = export(staff, needs_world["round_id"], "csv", lang="ar").get_data(as_text=True)
    assert '"سؤال households"' in text.splitlines()[0]
    assert '"Households?"' not in text


def test_the_workbook_keeps_text_as_text(staff, needs_world):
    response = export(staff, needs_world["round_id"], "xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows())
    assert [cell.value or "" for cell in rows[1]] == TAGS
    assert rows[0][0].value == "Country code"
    istanbul = rows[4]
    notes = istanbul[13]
    assert notes.value == "=1+2 and a formula" and notes.data_type == "s"  # never a formula
    assert all(cell.data_type != "f" for row in rows for cell in row)
    assert istanbul[4].value == 10 and istanbul[4].data_type == "n"
    assert istanbul[11].value == 12.5
    assert istanbul[2].value == datetime(2026, 10, 21)
    assert istanbul[12].value.date() == date(2026, 10, 1)


def test_each_export_is_on_record(app, staff, needs_world):
    export(staff, needs_world["round_id"], "csv")
    export(staff, needs_world["round_id"], "xlsx")
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "needs.exported").order_by(AuditEvent.id)).all()
        assert [(e.subject_type, e.subject_id, e.details) for e in events] == [
            ("NeedsRound", needs_world["round_id"], {"format": "csv", "reports": 3}),
            ("NeedsRound", needs_world["round_id"], {"format": "xlsx", "reports": 3})]
        assert {e.actor_id for e in events} == {needs_world["ids"]["staff"]}


def test_an_unknown_round_is_not_found(staff):
    assert staff.get("/staff/needs/rounds/99999/export.csv").status_code == 404
    assert staff.get(f"/staff/needs/rounds/{2**40}/export.xlsx").status_code == 404


def statements(app, client, path):
    with app.app_context(), counted_statements() as seen:
        assert client.get(path).status_code == 200
    return len(seen)


def test_exports_do_not_grow_in_statements(app, staff, needs_world):
    paths = [f"/staff/needs/rounds/{needs_world['round_id']}/export.{ext}"
             for ext in ("csv", "xlsx")]
    grow(app, needs_world, 0, 10)
    few = [statements(app, staff, path) for path in paths]
    grow(app, needs_world, 10, 190)
    many = [statements(app, staff, path) for path in paths]
    assert many == few, (few, many)
    with app.app_context():
        assert db.session.get(NeedsRound, needs_world["round_id"]) is not None
