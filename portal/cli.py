"""Operator commands: accounts and demo data."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from portal import demo
from portal.auth import totp
from portal.auth.models import Role
from portal.auth.passwords import password_problem
from portal.auth.services import (
    create_verified_user,
    find_by_email,
    set_role,
    set_suspended,
)
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import LOCALES
from portal.production import is_production

users_cli = AppGroup("users", help="Manage accounts.")
demo_cli = AppGroup("demo", help="Demo content.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MEMBER.value,
              show_default=True)
@click.option("--name", required=True, help="Display name.")
@click.option("--password-stdin", is_flag=True, required=True,
              help="Read the password from standard input (never from the command line).")
@click.option("--locale", type=click.Choice(LOCALES), default="ar", show_default=True)
@click.option("--totp-secret", default=None,
              help="Turn on two-factor authentication with this base32 secret (for automation).")
def create_user_command(email, role, name, password_stdin, locale, totp_secret):
    """Create a verified account."""
    password = sys.stdin.readline().rstrip("\n")
    if problem := password_problem(password, email):
        raise click.ClickException(str(problem))
    user = _run(lambda: create_verified_user(email, name, password, Role(role), locale))
    if totp_secret:
        if not totp.is_usable_secret(totp_secret.upper()):
            raise click.ClickException("--totp-secret must be base32 of at least 112 bits")
        totp.enable(user, totp_secret.upper())
    db.session.commit()
    click.echo(f"created {user.role} {user.email}")


def _run(action):
    """Run a service for the operator, in English; a refusal becomes a command-line error."""
    with force_locale("en"):
        try:
            return action()
        except DomainError as error:
            raise click.ClickException(str(error.message)) from error


def _account(email: str):
    user = find_by_email(email)
    if user is None or user.deleted_at:
        raise click.ClickException(f"no account for {email}")
    return user


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def set_role_command(email, role):
    """Make an account a member, staff or admin (its sessions end)."""
    user = _account(email)
    set_role(user, Role(role))
    db.session.commit()
    click.echo(f"{user.email} is now {role}")


@users_cli.command("suspend")
@click.argument("email")
@click.option("--lift", is_flag=True, help="Reactivate a suspended account.")
def suspend_command(email, lift):
    """Suspend an account: every session ends and logging in is refused."""
    user = _account(email)
    set_suspended(user, not lift)
    db.session.commit()
    click.echo(f"{user.email} is {'active again' if lift else 'suspended'}")


@users_cli.command("reset-2fa")
@click.argument("email")
def reset_two_factor_command(email):
    """Turn off an account's 2FA (lost phone and codes): its sessions end, and a ministry
    account enrols again at its next login. The owner is told by mail."""
    user = _account(email)
    _run(lambda: totp.reset(user))
    db.session.commit()
    click.echo(f"two-factor authentication reset for {user.email}")


@demo_cli.command("load")
def load_demo_command():
    """Fill an empty database with demo content; print its accounts' credentials once, and
    keep them in DEMO_CREDENTIALS_FILE (instance/demo-credentials.txt, mode 0600)."""
    if is_production(current_app):
        raise click.ClickException("demo data is never loaded when PORTAL_ENV=production")
    path = Path(current_app.config["DEMO_CREDENTIALS_FILE"])
    made = demo.load_demo()
    if made is None:
        click.echo(f"the database already has content; nothing loaded (demo accounts: {path})")
        return
    text = demo.credentials_text(made)
    demo.write_credentials(path, text)  # first: the accounts exist only if their keys are kept
    db.session.commit()
    click.echo(f"{text}\ndemo data loaded; the credentials above are kept in {path}")


@demo_cli.command("remove")
def remove_demo_command():
    """Anonymize every demo account and delete the demo councils no one else joined."""
    accounts, councils = demo.remove_demo()
    db.session.commit()
    Path(current_app.config["DEMO_CREDENTIALS_FILE"]).unlink(missing_ok=True)
    click.echo(f"{accounts} demo accounts anonymized, {councils} demo councils deleted")
