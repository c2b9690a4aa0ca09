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


councils_cli = AppGroup("councils", help="Manage councils.")


@councils_cli.command("create")
@click.option("--name", required=True)
@click.option("--country", required=True, help="ISO 3166-1 alpha-2 code, such as TR or SE.")
@click.option("--city", default=None, help="Leave out for a council of the whole country.")
def create_council_command(name, country, city):
    """Create an active council and print its slug."""
    from babel import Locale

    from portal.councils.services import create_council

    if country.upper() not in Locale("en").territories or len(country) != 2:
        raise click.ClickException(f"unknown country code {country!r}")
    council = create_council(name, country, city)
    db.session.commit()
    click.echo(council.slug)


@councils_cli.command("add-member")
@click.argument("slug")
@click.argument("email")
@click.option("--leader", is_flag=True, help="Make the member a leader of the council.")
def add_member_command(slug, email, leader):
    """Add an approved member (or leader) to a council."""
    from portal.councils.services import add_member, find_council

    council, user = find_council(slug), find_by_email(email)
    if council is None:
        raise click.ClickException(f"no council {slug!r}")
    if user is None or not user.is_active:
        raise click.ClickException(f"no account for {email}")
    add_member(council, user, leader=leader)
    db.session.commit()
    click.echo(f"{user.email} is {'a leader' if leader else 'a member'} of {council.slug}")
