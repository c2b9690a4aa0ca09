"""Operator commands for councils: create one, add members and leaders."""

import click
from babel import Locale
from flask.cli import AppGroup

from portal.auth.services import find_by_email
from portal.councils.services import add_member, create_council, find_council
from portal.extensions import db
from portal.i18n import LOCALES

councils_cli = AppGroup("councils", help="Manage councils.")


@councils_cli.command("create")
@click.option("--name", required=True)
@click.option("--country", required=True, help="ISO 3166-1 alpha-2 code, such as TR or SE.")
@click.option("--city", default=None, help="Leave out for a council of the whole country.")
@click.option("--locale", type=click.Choice(LOCALES), default="en", show_default=True,
              help="The language the name and city are written in (the council's default).")
def create_council_command(name, country, city, locale):
    """Create an active council and print its slug."""
    if country.upper() not in Locale("en").territories or len(country) != 2:
        raise click.ClickException(f"unknown country code {country!r}")
    council = create_council(name, country, city, locale=locale)
    db.session.commit()
    click.echo(council.slug)


@councils_cli.command("add-member")
@click.argument("slug")
@click.argument("email")
@click.option("--leader", is_flag=True, help="Make the member a leader of the council.")
def add_member_command(slug, email, leader):
    """Add an approved member (or leader) to a council."""
    council, user = find_council(slug), find_by_email(email)
    if council is None:
        raise click.ClickException(f"no council {slug!r}")
    if user is None or not user.is_active:
        raise click.ClickException(f"no account for {email}")
    add_member(council, user, leader=leader)
    db.session.commit()
    click.echo(f"{user.email} is {'a leader' if leader else 'a member'} of {council.slug}")
