"""Who may do what with a council: named predicates for views and templates alike."""

from portal.auth.models import User
from portal.councils import services
from portal.councils.models import Council
from portal.permissions import is_staff


def can_manage_members(user: User, council: Council) -> bool:
    """Leaders of this council, and staff, see its join requests and its member list (leaders
    also while the council is suspended, so that they can answer its members' questions)."""
    return is_staff(user) or (user.is_authenticated and services.is_leader_of(user, council))


def can_act_for_members(user: User, council: Council) -> bool:
    """Deciding requests and exporting the member list: staff, and the council's leaders only
    while it is active. A suspended council's leaders keep no powers over people."""
    return is_staff(user) or (council.is_active and can_manage_members(user, council))
