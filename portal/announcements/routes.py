"""Reading announcements, their Atom feed, and the member's choice of mail."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.announcements import mailing, reading
from portal.announcements.forms import MailChoiceForm
from portal.database import utcnow
from portal.errors import commit_or_flash
from portal.extensions import csrf, db
from portal.forms import ConfirmForm
from portal.i18n import LOCALES
from portal.mail import link
from portal.pagination import page_number
from portal.security import local_path

bp = Blueprint("announcements", __name__, template_folder="templates")


@bp.route("/announcements/")
def index():
    return render_template("announcements/index.html", page=reading.page(page_number()),
                           new_since=reading.seen_since(), seen_form=ConfirmForm())


@bp.route("/announcements/<int:announcement_id>")
def show(announcement_id: int):
    announcement = reading.find(announcement_id) or abort(404)
    return render_template("announcements/show.html", announcement=announcement)


FEED_MAX_AGE = 300  # seconds; a scheduled announcement may reach a cached feed that late


@bp.route("/announcements/feed.atom")
def feed():
    """The public announcements, as Atom 1.0, in the language ?lang= names."""
    locale = request.args.get("lang")
    locale = locale if locale in LOCALES else current_app.config["PORTAL_DEFAULT_LOCALE"]
    with force_locale(locale):
        announcements = reading.public_feed()
        body = render_template(
            "announcements/feed.xml", locale=locale, announcements=announcements, portal_link=link,
            updated=max((a.corrected_at or a.publish_at for a in announcements),
                        default=utcnow()))
    # Feed readers poll: they get a 304 while nothing changed, and may keep it a few minutes.
    response = Response(body, mimetype="application/atom+xml")
    response.cache_control.public, response.cache_control.max_age = True, FEED_MAX_AGE
    response.add_etag()
    return response.make_conditional(request)


@bp.route("/announcements/seen", methods=["POST"])
@login_required
def mark_seen():
    """"Mark all as read": a POST, as no GET writes."""
    if ConfirmForm().validate_on_submit():
        reading.mark_seen(current_user)
        db.session.commit()
    return redirect(local_path(request.form.get("next")) or url_for("announcements.index"))


@bp.route("/announcements/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: a mail client's one-click POST carries no token of ours
def unsubscribe(token: str):
    """GET asks (mail scanners fetch links); POST, from that page's button or from a mail
    client's List-Unsubscribe-Post, unsubscribes. No login: the token is the proof."""
    member = mailing.subscriber_of(token)
    if member is None:
        return render_template("announcements/unsubscribe.html", member=None), 404
    if request.method == "POST":
        mailing.set_mail_choice(member, False, how="link")
        db.session.commit()
        return render_template("announcements/unsubscribe.html", member=member, done=True)
    return render_template("announcements/unsubscribe.html", member=member, done=False)


@bp.route("/me/notifications", methods=["GET", "POST"])
@login_required
def notifications():
    user = current_user._get_current_object()
    form = MailChoiceForm(announcements="all" if user.announcement_mail else "none")
    if form.validate_on_submit() and commit_or_flash(
            lambda: mailing.set_mail_choice(user, form.announcements.data == "all", how="page"),
            _("Your choice is saved.")):
        return redirect(url_for("announcements.notifications"))
    return render_template("announcements/notifications.html", form=form)
