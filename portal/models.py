"""Every model, imported in one place so that the metadata (and Alembic) sees all tables."""

from portal.auth.models import Role, User
from portal.mail import OutboxMessage

__all__ = ["OutboxMessage", "Role", "User"]
