"""Council directory and pages, joining and leaving, and leaders' member lists."""

from functools import partial
from itertools import groupby

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import audit
from portal.councils import services
from portal.councils.export import member_list_csv
from portal.councils.forms import (
    CouncilForm,
    LeaveForm,
    MemberSearchForm,
    RequestDecisionForm,
    SearchForm,
)
from portal.councils.models import Council, CouncilStatus, Membership, MembershipStatus
from portal.councils.permissions import (
    can_act_for_members,
    can_manage_members,
    known_membership,
)
from portal.errors import commit_or_flash
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.i18n import country_name, sort_key
from portal.members.services import shared_with_leaders
from portal.pagination import NumberedPage
from portal.permissions import is_staff
from portal.throttle import limit_per_account

bp = Blueprint("councils", __name__, url_prefix="/councils", template_folder="templates")


def council_text(council: Council):
    """The council's name, city and description for this reader (see Council.text_in)."""
    return council.text_in(str(get_locale()))


def load_council(slug: str, *statuses: CouncilStatus) -> Council:
    """The council, or 404. Visitors and members only ever see active ones."""
    council = services.find_council(slug)
    visible = statuses or ((CouncilStatus.ACTIVE,) if not is_staff(current_user) else ())
    if council is None or (visible and council.status not in visible):
        abort(404)
    return council


def load_managed_council(slug: str) -> Council:
    """A council whose members the user may manage; 404 otherwise, so nothing leaks."""
    council = services.find_council(slug)
    if council is None or not can_manage_members(current_user, council):
        abort(404)
    return council


def refuse_while_suspended(council: Council):
    """Back to the member list with the reason, when the council's leaders may not act now."""
    if can_act_for_members(current_user, council):
        return None
    flash(_("This council is suspended: its leaders can see its members, but cannot decide "
            "requests or export the list until the ministry reactivates it."), "error")
    return redirect(url_for("councils.members", slug=council.slug))


DIRECTORY_PAGE = 50


@bp.route("/")
def directory():
    """Every council when there are few; when there are many, the countries first (a page
    listing hundreds of councils is too heavy for a phone), then one country's councils or a
    search's, 50 a page, in the reader's language and alphabet."""
    form = SearchForm(request.args)
    valid = form.validate()
    search, country = (form.q.data or "", form.country.data or "") if valid else ("", "")
    locale = str(get_locale())
    by_country = {} if search or country else services.active_countries()
    if sum(by_country.values()) > DIRECTORY_PAGE:
        countries = sorted(by_country.items(), key=lambda pair: sort_key(country_name(pair[0])))
        return render_template("councils/directory.html", form=form, countries=countries)
    rows = sorted(((council, council.text_in(locale), count)
                   for council, count in services.directory(search, locale, country.upper())),
                  key=lambda row: (sort_key(country_name(row[0].country)),
                                   sort_key(row[1].city or row[1].name)))
    number = min(max(request.args.get("page", 1, type=int), 1), len(rows) // DIRECTORY_PAGE + 1)
    shown = rows[(number - 1) * DIRECTORY_PAGE:number * DIRECTORY_PAGE]
    groups = [(country_name(code), list(group))
              for code, group in groupby(shown, key=lambda row: row[0].country)]
    query = {name: value for name, value in (("q", search), ("country", country)) if value}
    return render_template("councils/directory.html", form=form, groups=groups,
                           floor=services.PUBLIC_COUNT_FLOOR, query=query,
                           page=NumberedPage(shown, number, len(rows) > number * DIRECTORY_PAGE))


@bp.route("/<slug>")
def show(slug: str):
    council = load_council(slug)
    membership = services.membership_of(current_user, council)
    known_membership(current_user, council, membership)
    return render_template(
        "councils/show.html", council=council, leaders=services.leaders(council),
        membership=membership, form=ConfirmForm(),
        can_manage=can_manage_members(current_user, council))


@bp.route("/<slug>/join", methods=["POST"])
@login_required
def join(slug: str):
    council = load_council(slug, *CouncilStatus)
    if ConfirmForm().validate_on_submit():
        commit_or_flash(lambda: services.request_to_join(current_user, council),
                        _("Your request has been sent. You will get a mail when it is decided."))
    return redirect(url_for("councils.show", slug=slug) if council.is_active
                    else url_for("councils.directory"))


@bp.route("/<slug>/leave", methods=["GET", "POST"])
@login_required
def leave(slug: str):
    """GET asks "Leave <council>?" (warning a last leader); its POST, with confirm=yes, leaves.
    One URL for the question and the answer, as an HTML form without JavaScript needs; a POST
    without the confirmation (an old page's one-tap button) is sent to the question."""
    council = load_council(slug, *CouncilStatus)
    membership = services.current_membership(current_user, council)
    if membership is None:
        flash(_("You are not a member of this council."), "error")
        return redirect(url_for("members.councils"))
    form = LeaveForm()
    if request.method == "GET":
        return render_template("councils/leave.html", council=council, membership=membership,
                               form=form, last_leader=services.is_last_leader(membership))
    if not form.validate_on_submit():
        return redirect(url_for("councils.leave", slug=slug))
    commit_or_flash(lambda: services.leave(current_user, council),
                    _("You have left the council.")
                    if membership.status == MembershipStatus.APPROVED
                    else _("Your request is withdrawn."))
    return redirect(url_for("members.councils"))


@bp.route("/<slug>/home", methods=["POST"])
@login_required
def set_home(slug: str):
    council = load_council(slug, *CouncilStatus)
    if ConfirmForm().validate_on_submit():
        commit_or_flash(lambda: services.set_home(current_user, council),
                        _("Your home council is saved."))
    return redirect(url_for("members.councils"))


@bp.route("/propose", methods=["GET", "POST"])
@login_required
@limit_per_account("propose", "PROPOSALS_PER_DAY", 24 * 3600)
def propose():
    form, existing = CouncilForm(), None
    if form.validate_on_submit():
        try:
            services.propose_council(current_user, form.name.data, form.country.data,
                                     form.city.data, form.description.data,
                                     str(get_locale()))
        except services.DuplicateCouncil as duplicate:
            db.session.rollback()
            existing = duplicate.council
        else:
            db.session.commit()
            flash(_("Thank you. The ministry will review your proposal and tell you by mail."),
                  "success")
            return redirect(url_for("councils.directory"))
    return render_template("councils/propose.html", form=form, existing=existing)


LIST_STATE = ("requests_page", "page", "q")  # where the leader is in the member list


def list_state() -> dict[str, str]:
    """The member list's query parameters in this request: a decision's form carries them,
    so that the leader comes back to the page and search they were on."""
    return {name: request.args[name] for name in LIST_STATE if request.args.get(name)}


def list_url(slug: str, state: dict[str, str], **changes: str | None) -> str:
    """The member list with some of its parameters changed (None drops one), the others kept:
    paging the members leaves the requests' page and the search as they were."""
    return url_for("councils.members", slug=slug,
                   **{name: value for name, value in (state | changes).items() if value})


def members_page(council: Council, failed: Membership | None = None,
                 form: RequestDecisionForm | None = None) -> str:
    """The leader's page of requests and members, each paged by name. ``failed`` is a request
    whose decision came back with errors: its card shows them, with what the leader had chosen
    and typed."""
    state = list_state()
    search = MemberSearchForm(request.args)
    q = (search.q.data or "") if search.validate() else ""
    return render_template(
        "councils/members.html", council=council, blank=RequestDecisionForm(formdata=None),
        failed=failed, failed_form=form, can_act=can_act_for_members(current_user, council),
        state=state, search=search, q=q, counts=services.status_counts(council),
        PENDING=MembershipStatus.PENDING, APPROVED=MembershipStatus.APPROVED,
        list_url=partial(list_url, council.slug, state),
        pending=services.pending_requests(council, state.get("requests_page")),
        approved=services.approved_members(council, state.get("page"), q),
        shared_with_leaders=shared_with_leaders)


@bp.route("/<slug>/members")
@login_required
def members(slug: str):
    return members_page(load_managed_council(slug))


@bp.route("/<slug>/requests/<int:membership_id>", methods=["POST"])
@login_required
def decide(slug: str, membership_id: int):
    council = load_managed_council(slug)
    membership = services.find_request(council, membership_id)
    if membership is None:
        abort(404)
    if refused := refuse_while_suspended(council):
        return refused
    form = RequestDecisionForm()
    if not form.validate_on_submit():
        return members_page(council, membership, form)
    commit_or_flash(
        lambda: services.decide_request(membership, form.approves, form.note.data or "",
                                        current_user, form.reason.data),
        _("The request is approved.") if form.approves else _("The request is rejected."))
    return redirect(url_for("councils.members", slug=slug, **list_state()))


@bp.route("/<slug>/members.csv")
@login_required
def members_csv(slug: str):
    council = load_managed_council(slug)
    if refused := refuse_while_suspended(council):
        return refused
    rows = services.approved_counts([council.id]).get(council.id, 0)
    audit.record("members.exported", council, council=council.slug, rows=rows)
    db.session.commit()  # on record before the first row leaves
    return member_list_csv(council)
