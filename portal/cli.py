"""Operator commands: accounts and demo data."""

import sys

import click
from flask.cli import AppGroup

from portal.auth.models import Role
from portal.auth.services import AccountError, create_verified_user
from portal.extensions import db
from portal.i18n import LOCALES

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
def create_user_command(email, role, name, password_stdin, locale):
    """Create a verified account."""
    password = sys.stdin.readline().rstrip("\n")
    if not 10 <= len(password) <= 128:
        raise click.ClickException("the password must have 10 to 128 characters")
    try:
        user = create_verified_user(email, name, password, Role(role), locale)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"created {user.role} {user.email}")


@demo_cli.command("load")
def load_demo_command():
    """Fill an empty database with demo content (does nothing when there are users)."""
    from portal.demo import load_demo

    if load_demo():
        db.session.commit()
        click.echo("demo data loaded")
    else:
        click.echo("the database already has content; nothing loaded")
