"""The forms of the discussion: a post (``body``, and ``parent`` for a reply) and a report."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import Optional

from portal.forms import BaseForm, max_length, required
from portal.posts.labels import REPORT_REASON
from portal.posts.services import BODY_LENGTH, REPORT_TEXT_LENGTH


class PostForm(BaseForm):
    body = TextAreaField(_l("Your post"), [required(_l("Please write something.")),
                                           max_length(BODY_LENGTH)],
                         render_kw={"dir": "auto", "rows": 4})
    parent = IntegerField(validators=[Optional()])


class ReportForm(BaseForm):
    reason = RadioField(_l("What is wrong with this post?"), [required()], choices=[
        SelectChoice(code.value, label) for code, label in REPORT_REASON.items()])
    text = TextAreaField(_l("Anything the moderators should know"),
                         [Optional(), max_length(REPORT_TEXT_LENGTH)],
                         render_kw={"dir": "auto", "rows": 3},
                         description=_l("The author is never told who reported the post."))
