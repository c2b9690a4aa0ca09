"""Who may do what with a council: named predicates for views and templates alike."""

from portal.auth.models import User
from portal.councils import services
from portal.councils.models import Council
from portal.permissions import is_staff


def can_manage_members(user: User, council: Council) -> bool:
    """Leaders of this council, and staff, decide join requests and see its member list."""
    return is_staff(user) or (user.is_authenticated and services.is_leader_of(user, council))
