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


def commit_or_flash(action: Callable[[], object], success: str,
                    explain: Callable[[DomainError], list] | None = None) -> bool:
    """Run a service call: commit and flash ``success``, or roll back and flash why it was
    refused — ``explain(error)``, when given, may put the refusal's messages on a form's fields
    and returns those left to flash. Returns whether it succeeded."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        for message in explain(error) if explain else [error.message]:
            flash(str(message), "error")
        return False
    db.session.commit()
    flash(success, "success")
    return True
