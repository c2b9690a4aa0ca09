"""The one error services raise when a rule refuses a request, and the view helper that turns it
into a message for the person."""

from collections.abc import Callable

from flask import flash

from portal.extensions import db


class DomainError(Exception):
    """A rule refused the request. ``message`` is a (lazily) translated text for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def commit_or_flash(action: Callable[[], object], success: str) -> bool:
    """Run a service call: commit and flash ``success``, or roll back and flash why it was
    refused. Returns whether it succeeded."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return False
    db.session.commit()
    flash(success, "success")
    return True
