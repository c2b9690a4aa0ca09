"""Ministry staff tools: member search and export, audit log."""

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale

from portal.csv_export import csv_response
from portal.database import MAX_ID, utcnow
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.members.choices import DOCUMENTATION_NEEDS, GOVERNORATES, RESIDENCE_STATUSES
from portal.pagination import page_number
from portal.permissions import staff_required
from portal.staff import services
from portal.staff.forms import AuditFilterForm, MemberSearchForm

bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")



def _search_form() -> MemberSearchForm:
    return MemberSearchForm(formdata=request.args,
                            councils=services.active_councils())


def _render_members(form, page=None):
    filters = form.filters().active() if page is not None else {}
    return render_template("staff/members.html", form=form, page=page, query=filters,
                           governorates=GOVERNORATES)


@bp.get("/members")
@staff_required
def members():
    form = _search_form()
    if not form.validate():
        return _render_members(form)
    return _render_members(form, services.search_members(form.filters(), page_number(),
                                                         locale=str(get_locale())))


@bp.get("/members.csv")
@staff_required
def members_csv():
    form = _search_form()
    if not form.validate():
        return _render_members(form)
    records = services.export_members(form.filters())
    db.session.commit()  # on record before the first row leaves
    return csv_response(services.CSV_HEADER, records, f"members-{utcnow():%Y%m%d-%H%M}.csv")


def _member_row(user_id: int) -> services.MemberRow:
    row = services.find_member(user_id) if user_id <= MAX_ID else None
    if row is None:
        abort(404)
    return row


def _render_member(row: services.MemberRow, sensitive_shown: bool):
    return render_template("staff/member.html", row=row, governorates=GOVERNORATES,
                           residence_statuses=RESIDENCE_STATUSES,
                           documentation_needs=DOCUMENTATION_NEEDS,
                           sensitive_shown=sensitive_shown, form=ConfirmForm(formdata=None))


@bp.get("/members/<int:user_id>")
@staff_required
def member(user_id: int):
    """The member's record, without the sensitive answers: showing those is an audited POST,
    so that a link (or a prefetching browser) never creates a view on record."""
    return _render_member(_member_row(user_id), sensitive_shown=False)


@bp.post("/members/<int:user_id>/sensitive")
@staff_required
def reveal_sensitive(user_id: int):
    row = _member_row(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.record_sensitive_view(row)
    page = _render_member(row, sensitive_shown=True)
    db.session.commit()  # shown only once the view is on record
    return page


@bp.get("/audit")
@staff_required
def audit():
    form = AuditFilterForm(formdata=request.args)
    page, query = None, {}
    if form.validate():
        page = services.audit_events(form.filters(), page_number())
        query = {k: v for k, v in request.args.items() if k in form.data and v}
    return render_template("staff/audit.html", form=form, page=page, query=query,
                           detail_items=detail_items)


def detail_items(details: dict) -> list[tuple[str, str]]:
    """An event's details as readable pairs: nested filters as "key=value", lists joined."""
    def text(value) -> str:
        if isinstance(value, dict):
            return ", ".join(f"{k}={v}" for k, v in value.items())
        if isinstance(value, list | tuple):
            return ", ".join(map(str, value))
        return str(value)

    return [(key, text(value)) for key, value in (details or {}).items()]
