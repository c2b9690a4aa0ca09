"""Who may do what with a council: named predicates for views and templates alike."""

from flask import g

from portal.auth.models import User
from portal.councils import services
from portal.councils.models import Council
from portal.permissions import is_staff


def can_manage_members(user: User, council: Council) -> bool:
    """Leaders of this council, and staff, see its join requests and its member list (leaders
    also while the council is suspended, so that they can answer its members' questions)."""
    return is_staff(user) or (user.is_authenticated and _leads(user, council))


def _leads(user: User, council: Council) -> bool:
    """Whether the user leads the council, looked up once per request: a page asks both
    predicates, and leadership does not change while a request reads it."""
    answers = g.setdefault("council_leaders", {})
    if (user.id, council.id) not in answers:
        answers[user.id, council.id] = services.is_leader_of(user, council)
    return answers[user.id, council.id]


def known_membership(user: User, council: Council, membership) -> None:
    """A page that has loaded the user's membership of the council: leadership is read from
    it rather than asked of the database again."""
    if user.is_authenticated:
        g.setdefault("council_leaders", {})[user.id, council.id] = \
            membership is not None and membership.is_leader


def can_act_for_members(user: User, council: Council) -> bool:
    """Deciding requests and exporting the member list: staff, and the council's leaders only
    while it is active. A suspended council's leaders keep no powers over people."""
    return is_staff(user) or (council.is_active and can_manage_members(user, council))
