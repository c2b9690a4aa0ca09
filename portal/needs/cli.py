"""Operator commands for needs surveys: import and export XLSForm, publish rounds."""

from pathlib import Path

import click
from flask.cli import AppGroup

from portal.councils.services import find_council
from portal.errors import DomainError
from portal.extensions import db
from portal.needs.models import Survey
from portal.needs.rounds import publish
from portal.needs.tallies import retally_everything
from portal.needs.xlsform import XLSFormError, read_survey, write_survey

surveys_cli = AppGroup("surveys", help="Build, import, export and publish needs surveys.")


@surveys_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_command(path):
    """Import an XLSForm workbook as a new survey: print what was ignored, then its id.
    A refused workbook stores nothing and prints every problem on stderr."""
    with open(path, "rb") as stream:
        try:
            survey, warnings = read_survey(stream)
        except XLSFormError as error:
            for line in [error.message, *error.problems]:
                click.echo(line, err=True)
            raise click.exceptions.Exit(1) from error
    db.session.commit()
    for warning in warnings:
        click.echo(warning)
    click.echo(survey.id)


@surveys_cli.command("export")
@click.argument("survey_id", type=int)
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_command(survey_id, path):
    """Write a survey as an XLSForm workbook."""
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise click.ClickException(f"no survey {survey_id}")
    Path(path).write_bytes(write_survey(survey))
    click.echo(f"survey {survey_id} written to {path}")


@surveys_cli.command("publish")
@click.argument("survey_id", type=int)
@click.option("--round", "label", required=True, help="The round's label, such as 2026-Q4.")
@click.option("--country", "countries", multiple=True,
              help="ISO 3166-1 code of a country whose councils answer (repeatable).")
@click.option("--council", "slugs", multiple=True, help="Slug of a council that answers "
              "(repeatable). Without --country or --council, every council answers.")
@click.option("--opens", type=click.DateTime(["%Y-%m-%d"]), help="First day (default: today "
              "in Baghdad).")
@click.option("--closes", type=click.DateTime(["%Y-%m-%d"]), help="Last day, until midnight "
              "Baghdad time (default: 30 days after the first).")
def publish_command(survey_id, label, countries, slugs, opens, closes):
    """Publish a survey as a round and print the round's id."""
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise click.ClickException(f"no survey {survey_id}")
    councils = [find_council(slug) for slug in slugs]
    if None in councils:
        raise click.ClickException(f"no council {slugs[councils.index(None)]!r}")
    try:
        needs_round = publish(survey, label, countries, councils,
                              opens.date() if opens else None, closes.date() if closes else None)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(needs_round.id)


@surveys_cli.command("retally")
def retally_command():
    """Count the dashboard's tallies again from every sent report (after reports or answers
    were changed in the database by hand)."""
    retally_everything()
    db.session.commit()
    click.echo("tallies counted again")
