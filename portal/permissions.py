"""Who may do what, account-wide: named predicates, and the decorators views use them through.

Council-level rules (leaders of one council) live in ``portal/councils/permissions.py``.
"""

from functools import wraps

from flask import abort, current_app
from flask_login import current_user

from portal.auth.models import Role, User


def is_staff(user: User) -> bool:
    """Ministry staff and admins: they manage councils, members and content."""
    return user.is_authenticated and user.role in (Role.STAFF, Role.ADMIN)


def is_admin(user: User) -> bool:
    """System administrators: staff who also manage the ministry's own accounts."""
    return user.is_authenticated and user.role == Role.ADMIN


def _requires(predicate):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = _requires(is_staff)
admin_required = _requires(is_admin)
